/*
 * spr_progress.c — S10 POST /tasks/{task_id}/progress: set a sprint task's status and/or
 * progress (rules: spr_progress_apply in spr_logic.c), then publish TASK_UPDATED with the
 * row's resulting status and progress, so the Backlog consumer applies every update (the
 * original sent progress null for status-only updates, which the consumer dropped).
 */
#include <stdio.h>
#include <string.h>

#include "spr_internal.h"

/* The borrowed input of a body field, for a 422 entry. */
static struct json_object *input_of(const dsm_api_t *api, dsm_req_t *req, const char *field)
{
    struct json_object *v = NULL;

    json_object_object_get_ex(api->req_body(req), field, &v);
    return v;
}

/* Body {"status"?: str, "progress_percentage"?: int 0..100}; 1 valid, 0 replied 422. */
static int read_body(const spr_state_t *st, dsm_req_t *req, const char **status, int *has_progress,
                     int64_t *progress)
{
    const dsm_api_t *api = st->api;

    api->v_str(req, "body", "status", 0, status);
    *has_progress = api->v_int(req, "body", "progress_percentage", 0, progress) == 1;
    if (api->v_failed(req))
        return 0;
    if (*has_progress && (*progress < 0 || *progress > 100))
        api->v_problem(req, "body", "progress_percentage", "value_error",
                       "Value error, Progress percentage must be between 0 and 100",
                       input_of(api, req, "progress_percentage"));
    if (*status != NULL && !spr_task_status_known(*status))
        api->v_problem(req, "body", "status", "literal_error",
                       "Input should be 'assigned_to_sprint', 'in_progress' or 'completed'",
                       input_of(api, req, "status"));
    if (api->v_failed(req))
        return 0;
    if (*status == NULL && !*has_progress) {
        api->reply_error(req, 422, "No fields provided for update.");
        return 0;
    }
    return 1;
}

/* S10 POST /tasks/{task_id}/progress */
int spr_task_progress(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *task_id = spr_param(st, req, "task_id");
    const char *params[3] = {task_id, NULL, NULL};
    const char *status = NULL, *new_status;
    int has_progress = 0, new_progress;
    int64_t progress = 0;
    spr_progress_rc rc;
    spr_task_evt_t e;
    struct json_object *o;
    dsm_rows_t *r;
    char pbuf[16];

    if (!read_body(st, req, &status, &has_progress, &progress))
        return DSM_OK;
    if (api->db_begin(req, NULL) != DSM_OK)
        return spr_db_fail(st, req, 0);
    r = api->db_exec(req, NULL,
                     "SELECT t.status, t.progress_percentage, t.sprint_id, t.assigned_to, "
                     "s.project_id FROM tasks t JOIN sprints s ON s.sprint_id = t.sprint_id "
                     "WHERE t.task_id = $1 FOR UPDATE OF t",
                     1, params);
    if (r == NULL)
        return spr_db_fail(st, req, 1);
    if (api->rows_count(r) == 0)
        return spr_fail(st, req, 1, 404,
                        api->psprintf(req, "Task %s not found in SprintDB.", task_id));
    rc = spr_progress_apply(api->rows_value(r, 0, 0), spr_atoi(api->rows_value(r, 0, 1)), status,
                            has_progress, progress, &new_status, &new_progress);
    if (rc != SPR_PROGRESS_OK)
        return spr_fail(st, req, 1, 422, spr_progress_message(rc));
    if (!spr_require_redis(st, req, 1, "the TASK_UPDATED event cannot be published; nothing "
                                       "was changed."))
        return DSM_OK;
    e.task_id = task_id;
    e.sprint_id = api->pstrdup(req, api->rows_value(r, 0, 2));
    e.assigned_to = api->rows_value(r, 0, 3) != NULL ? api->pstrdup(req, api->rows_value(r, 0, 3))
                                                     : NULL;
    e.project_id = api->pstrdup(req, api->rows_value(r, 0, 4));
    e.status = new_status = api->pstrdup(req, new_status);
    e.progress = new_progress;
    snprintf(pbuf, sizeof pbuf, "%d", new_progress);
    params[1] = new_status;
    params[2] = pbuf;
    if (api->db_exec(req, NULL,
                     "UPDATE tasks SET status = $2, progress_percentage = $3::int "
                     "WHERE task_id = $1",
                     3, params) == NULL)
        return spr_db_fail(st, req, 1);
    if (api->db_commit(req, NULL) != DSM_OK)
        return spr_db_fail(st, req, 0);

    o = json_object_new_object();
    json_object_object_add(o, "message",
                           spr_jstr(api->psprintf(req,
                                                  "Task %s progress updated successfully in SprintDB",
                                                  task_id)));
    if (spr_publish_task_updated(st, req, &e, NULL) != DSM_OK) {
        struct json_object *w = NULL;

        spr_warn(&w, "TASK_UPDATED event could not be published to Redis; the Backlog service "
                     "was not updated.");
        json_object_object_add(o, "warnings", w);
    }
    return api->reply_json(req, 200, o);
}
