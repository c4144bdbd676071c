/* spr_tasks.c — reading the tasks of a sprint: S8 the list, S12 the summary. */
#include "spr_internal.h"

/* S8 GET /sprints/{sprint_id}/tasks — [TaskInSprint] by task id; [] for an unknown sprint
 * (as the original). */
int spr_sprint_tasks(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {spr_param(st, req, "sprint_id")};
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL,
                     "SELECT " SPR_TASK_COLS " FROM tasks t WHERE t.sprint_id = $1 ORDER BY t.task_id",
                     1, params);
    if (r == NULL)
        return spr_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array();
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, spr_task_json(st, r, i, 0));
    return api->reply_json(req, 200, arr);
}

/* S12 GET /sprints/{sprint_id}/task-summary — {"total_tasks","completed_tasks","pending_tasks"}
 * from the sprint-local rows (completed = progress 100); 0/0/0 once the sprint is closed. */
int spr_task_summary(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {spr_param(st, req, "sprint_id")};
    struct json_object *o;
    dsm_rows_t *r;
    int total, done;

    r = api->db_exec(req, NULL,
                     "SELECT (SELECT count(*) FROM tasks t WHERE t.sprint_id = s.sprint_id), "
                     "(SELECT count(*) FROM tasks t WHERE t.sprint_id = s.sprint_id "
                     "AND t.progress_percentage = 100) FROM sprints s WHERE s.sprint_id = $1",
                     1, params);
    if (r == NULL)
        return spr_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Sprint %s not found.", params[0]);
    total = spr_atoi(api->rows_value(r, 0, 0));
    done = spr_atoi(api->rows_value(r, 0, 1));
    o = json_object_new_object();
    json_object_object_add(o, "total_tasks", json_object_new_int(total));
    json_object_object_add(o, "completed_tasks", json_object_new_int(done));
    json_object_object_add(o, "pending_tasks", json_object_new_int(total - done));
    return api->reply_json(req, 200, o);
}
