/* bl_tasks.c — B7 partial update of one task. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bl_internal.h"

/* A body member of a valid request, for the "input" of a problem (borrowed). */
static struct json_object *body_member(const dsm_api_t *api, dsm_req_t *req, const char *field)
{
    struct json_object *v = NULL;

    json_object_object_get_ex(api->req_body(req), field, &v);
    return v;
}

/* B7 PUT /tasks/{task_id} — body TaskUpdate, every member optional:
 *  title, description, status, assigned_to, progress_percentage: applied when present and not
 *  null; sprint_id: applied whenever the key is present (null clears it); status "unassigned"
 *  without a sprint_id key also clears sprint_id. status must be one of the four known statuses
 *  and progress_percentage 0..100 (422 lists, FastAPI shape); nothing to apply → 422 "No fields
 *  provided for update."; unknown task → 404. One UPDATE statement: all or nothing. */
int bl_task_update(void *state, dsm_req_t *req)
{
    const bl_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *title = NULL, *description = NULL, *status = NULL, *assigned = NULL;
    const char *sprint = NULL, *params[8];
    int64_t progress = 0;
    int has_progress, has_sprint_key, set_sprint;
    char progress_txt[24];
    struct json_object *o;
    dsm_rows_t *r;

    /* field by field, in the model's order, so the 422 list is in Pydantic's order */
    if (api->v_str(req, "body", "title", 0, &title) > 0)
        bl_check_len(st, req, "title", title, BL_MAX_VARCHAR);
    api->v_str(req, "body", "description", 0, &description);
    if (api->v_str(req, "body", "status", 0, &status) > 0 && !bl_status_known(status))
        api->v_problem(req, "body", "status", "literal_error", BL_STATUS_LITERAL_MSG,
                       body_member(api, req, "status"));
    if (api->v_str(req, "body", "assigned_to", 0, &assigned) > 0)
        bl_check_len(st, req, "assigned_to", assigned, BL_MAX_VARCHAR);
    if (api->v_str(req, "body", "sprint_id", 0, &sprint) > 0)
        bl_check_len(st, req, "sprint_id", sprint, BL_MAX_VARCHAR);
    has_progress = api->v_int(req, "body", "progress_percentage", 0, &progress) > 0;
    if (has_progress && progress < 0)
        api->v_problem(req, "body", "progress_percentage", "greater_than_equal",
                       "Input should be greater than or equal to 0",
                       body_member(api, req, "progress_percentage"));
    else if (has_progress && progress > 100)
        api->v_problem(req, "body", "progress_percentage", "less_than_equal",
                       "Input should be less than or equal to 100",
                       body_member(api, req, "progress_percentage"));
    if (api->v_failed(req))
        return DSM_OK;

    has_sprint_key = json_object_object_get_ex(api->req_body(req), "sprint_id", NULL);
    set_sprint = has_sprint_key || (status != NULL && strcmp(status, "unassigned") == 0);
    if (title == NULL && description == NULL && status == NULL && assigned == NULL &&
        !has_progress && !has_sprint_key)
        return api->reply_error(req, 422, "No fields provided for update.");

    snprintf(progress_txt, sizeof(progress_txt), "%" PRId64, progress);
    params[0] = api->req_param(req, "task_id");
    params[1] = title;
    params[2] = description;
    params[3] = status;
    params[4] = assigned;
    params[5] = set_sprint ? "true" : "false";
    params[6] = has_sprint_key ? sprint : NULL;
    params[7] = has_progress ? progress_txt : NULL;
    r = api->db_exec(req, NULL,
                     "UPDATE tasks SET title = COALESCE($2, title), "
                     "description = COALESCE($3, description), status = COALESCE($4, status), "
                     "assigned_to = COALESCE($5, assigned_to), "
                     "sprint_id = CASE WHEN $6::boolean THEN $7::varchar ELSE sprint_id END, "
                     "progress_percentage = COALESCE($8::int, progress_percentage) "
                     "WHERE task_id = $1",
                     8, params);
    if (r == NULL)
        return bl_db_fail(st, req, 0, "Database operation failed during task update.");
    if (api->rows_affected(r) == 0)
        return api->reply_error(req, 404, "Task %s not found.", params[0]);

    o = json_object_new_object();
    json_object_object_add(
        o, "message", bl_jstr(api->psprintf(req, "Task %s updated successfully", params[0])));
    return api->reply_json(req, 200, o);
}
