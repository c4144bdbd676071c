/* spr_sprints.c — reading sprints: S3 any active sprint, S4 active sprint of a project,
 * S6 sprints grouped by project, S7 one sprint with its tasks, S9 sprints of a project. */
#include <string.h>

#include "spr_internal.h"

/* S3 GET /sprints/active — an in-progress sprint of any project (lowest sprint id). */
int spr_active_any(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *o;
    dsm_rows_t *r;

    r = api->db_exec(req, NULL,
                     "SELECT sprint_id FROM sprints WHERE status = 'in_progress' "
                     "ORDER BY sprint_id LIMIT 1",
                     0, NULL);
    if (r == NULL)
        return spr_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "No active sprint found.");
    o = json_object_new_object();
    json_object_object_add(o, "sprint_id", spr_jstr(api->rows_value(r, 0, 0)));
    return api->reply_json(req, 200, o);
}

/* S4 GET /sprints/active/{project_id} */
int spr_active_project(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {spr_param(st, req, "project_id")};
    struct json_object *o;
    dsm_rows_t *r;

    r = api->db_exec(req, NULL,
                     "SELECT sprint_id FROM sprints WHERE project_id = $1 AND "
                     "status = 'in_progress' ORDER BY sprint_id LIMIT 1",
                     1, params);
    if (r == NULL)
        return spr_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "No active sprint found for project %s.", params[0]);
    o = json_object_new_object();
    json_object_object_add(o, "sprint_id", spr_jstr(api->rows_value(r, 0, 0)));
    return api->reply_json(req, 200, o);
}

/* S6 GET /sprints/list_projects — [{"project_id","sprints":[Sprint...]}], projects by id,
 * sprints newest first (start_date DESC, then sprint_id DESC). */
int spr_list_projects(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *arr, *group = NULL, *sprints = NULL;
    const char *last = NULL;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL,
                     "SELECT " SPR_SPRINT_COLS " FROM sprints s "
                     "ORDER BY s.project_id, s.start_date DESC, s.sprint_id DESC",
                     0, NULL);
    if (r == NULL)
        return spr_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array();
    for (int i = 0; i < n; i++) {
        const char *pid = api->rows_value(r, i, 1);

        if (group == NULL || strcmp(pid, last) != 0) {
            group = json_object_new_object();
            sprints = json_object_new_array();
            json_object_object_add(group, "project_id", spr_jstr(pid));
            json_object_object_add(group, "sprints", sprints);
            json_object_array_add(arr, group);
            last = pid;
        }
        json_object_array_add(sprints, spr_sprint_json(st, r, i, 0));
    }
    return api->reply_json(req, 200, arr);
}

/* S7 GET /sprints/{sprint_id} — {"sprint": Sprint, "tasks": [TaskInSprint]} (tasks by id; a
 * closed sprint has none: the sprint-local rows are removed at close). */
int spr_sprint_get(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {spr_param(st, req, "sprint_id")};
    struct json_object *o, *tasks;
    dsm_rows_t *r, *t;
    int n;

    r = api->db_exec(req, NULL, "SELECT " SPR_SPRINT_COLS " FROM sprints s WHERE s.sprint_id = $1",
                     1, params);
    if (r == NULL)
        return spr_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Sprint %s not found.", params[0]);
    t = api->db_exec(req, NULL,
                     "SELECT " SPR_TASK_COLS " FROM tasks t WHERE t.sprint_id = $1 ORDER BY t.task_id",
                     1, params);
    if (t == NULL)
        return spr_db_fail(st, req, 0);
    n = api->rows_count(t);
    tasks = json_object_new_array();
    for (int i = 0; i < n; i++)
        json_object_array_add(tasks, spr_task_json(st, t, i, 0));
    o = json_object_new_object();
    json_object_object_add(o, "sprint", spr_sprint_json(st, r, 0, 0));
    json_object_object_add(o, "tasks", tasks);
    return api->reply_json(req, 200, o);
}

/* S9 GET /sprints/by-project/{project_id}?status= — [Sprint] newest first; an empty status is
 * no filter. */
int spr_by_project(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *status = api->req_query(req, "status");
    const char *params[2] = {spr_param(st, req, "project_id"),
                             status != NULL && status[0] != '\0' ? status : NULL};
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL,
                     "SELECT " SPR_SPRINT_COLS " FROM sprints s WHERE s.project_id = $1 "
                     "AND ($2::text IS NULL OR s.status = $2) "
                     "ORDER BY s.start_date DESC, s.sprint_id DESC",
                     2, params);
    if (r == NULL)
        return spr_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array();
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, spr_sprint_json(st, r, i, 0));
    return api->reply_json(req, 200, arr);
}
