/*
 * bl_backlogs.c — backlogs: B3 summaries of all projects, B4 generate, B5 one project's
 * summary, B6 list a project's tasks.
 */
#include <stdlib.h>
#include <string.h>

#include "bl_internal.h"

/* Counts per status of the given projects: project_id, status, tasks, tasks unassigned for a
 * sprint (status 'unassigned' AND sprint_id IS NULL). Statuses in byte order, NULL last. */
#define BL_COUNTS_SQL(where)                                                                       \
    "SELECT project_id, status, count(*), "                                                        \
    "count(*) FILTER (WHERE status = 'unassigned' AND sprint_id IS NULL) "                         \
    "FROM tasks WHERE " where " GROUP BY project_id, status "                                      \
    "ORDER BY project_id, status COLLATE \"C\" NULLS LAST"

/* {"project_id", "total_tasks": 0, "status_counts": {}, "unassigned_for_sprint_count": 0} */
static struct json_object *summary_new(const char *project_id)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "project_id", json_object_new_string(project_id));
    json_object_object_add(o, "total_tasks", json_object_new_int64(0));
    json_object_object_add(o, "status_counts", json_object_new_object());
    json_object_object_add(o, "unassigned_for_sprint_count", json_object_new_int64(0));
    return o;
}

/* Add one row of BL_COUNTS_SQL to a summary. A NULL status is the key "null", as Python's
 * json.dumps writes a None key. */
static void summary_add(const dsm_api_t *api, struct json_object *sum, const dsm_rows_t *r,
                        int row)
{
    const char *status = api->rows_value(r, row, 1);
    struct json_object *v = NULL, *counts = NULL;
    const char *cnt = api->rows_value(r, row, 2), *free_cnt = api->rows_value(r, row, 3);
    int64_t n = cnt != NULL ? strtoll(cnt, NULL, 10) : 0;

    json_object_object_get_ex(sum, "status_counts", &counts);
    json_object_object_add(counts, status != NULL ? status : "null", json_object_new_int64(n));
    if (json_object_object_get_ex(sum, "total_tasks", &v))
        json_object_int_inc(v, n);
    if (free_cnt != NULL && json_object_object_get_ex(sum, "unassigned_for_sprint_count", &v))
        json_object_int_inc(v, strtoll(free_cnt, NULL, 10));
}

/* The "id" of each project the Project service listed, as a text[] literal; NULL when out of
 * memory. *n gets the number of ids. */
static const char *project_ids_array(const dsm_api_t *api, dsm_req_t *req,
                                     struct json_object *projects, size_t *n)
{
    size_t len = json_object_array_length(projects);
    const char **ids = api->palloc(req, (len + 1) * sizeof(*ids));
    struct json_object *id;

    *n = 0;
    if (ids == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (json_object_object_get_ex(json_object_array_get_idx(projects, i), "id", &id) &&
            json_object_is_type(id, json_type_string))
            ids[(*n)++] = json_object_get_string(id);
    }
    return api->pg_array(req, ids, *n);
}

/* B3 GET /backlogs/summary — one summary per project the Project service lists: first those
 * that have tasks, then the others, each group in the Project service's order. */
int bl_summary_all(void *state, dsm_req_t *req)
{
    static const char msg[] = "Database operation failed during summary retrieval.";
    const bl_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *projects = bl_project_list(st, req), *by_id, *seen, *out, *id, *sum;
    const char *params[1];
    dsm_rows_t *r;
    size_t nids = 0, len;

    if (projects == NULL)
        return DSM_OK; /* replied 503 */
    params[0] = project_ids_array(api, req, projects, &nids);
    if (params[0] == NULL) {
        json_object_put(projects);
        return api->reply_error(req, 500, "Out of memory");
    }
    r = nids > 0 ? api->db_exec(req, NULL, BL_COUNTS_SQL("project_id = ANY($1::text[])"), 1,
                                params)
                 : NULL;
    if (nids > 0 && r == NULL) {
        json_object_put(projects);
        return bl_db_fail(st, req, 0, msg);
    }

    by_id = json_object_new_object();
    for (int i = 0; i < api->rows_count(r); i++) {
        const char *pid = api->rows_value(r, i, 0);
        if (!json_object_object_get_ex(by_id, pid, &sum)) {
            sum = summary_new(pid);
            json_object_object_add(by_id, pid, sum);
        }
        summary_add(api, sum, r, i);
    }
    seen = json_object_new_object();
    out = json_object_new_array();
    len = json_object_array_length(projects);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < len; i++) {
            const char *pid;
            if (!json_object_object_get_ex(json_object_array_get_idx(projects, i), "id", &id) ||
                !json_object_is_type(id, json_type_string))
                continue;
            pid = json_object_get_string(id);
            if (json_object_object_get_ex(seen, pid, NULL))
                continue;
            if (json_object_object_get_ex(by_id, pid, &sum) != (pass == 0))
                continue;
            json_object_object_add(seen, pid, NULL);
            json_object_array_add(out, pass == 0 ? json_object_get(sum) : summary_new(pid));
        }
    }
    json_object_put(seen);
    json_object_put(by_id);
    json_object_put(projects);
    return api->reply_json(req, 200, out);
}

/* B4 POST /backlogs/{project_id} — the project must exist in the Project service; then the ten
 * template tasks are upserted as fresh unassigned tasks in ONE statement (so one transaction):
 * generating again resets them (progress 0, no sprint, no assignee), as the spec intends — the
 * orchestration cycle recycles them this way (workflows.md §2.4, §2.9). Other tasks of the
 * project are not touched; stories and story_tasks neither (no endpoint uses them). */
int bl_generate(void *state, dsm_req_t *req)
{
    const bl_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = api->req_param(req, "project_id");
    const char *ids[BL_TEMPLATE_COUNT], *titles[BL_TEMPLATE_COUNT], *descs[BL_TEMPLATE_COUNT];
    const char *params[4];
    struct json_object *o;
    dsm_rows_t *r;

    if (pid == NULL)
        pid = "";
    if (bl_project_require(st, req, pid) != 0)
        return DSM_OK; /* replied 404 / 503 */
    if (bl_utf8_chars(pid) > BL_MAX_PROJECT_ID)
        return api->reply_error(req, 422,
                                "Project id %s is too long for task ids (at most %d characters).",
                                pid, BL_MAX_PROJECT_ID);
    for (int i = 0; i < BL_TEMPLATE_COUNT; i++) {
        const bl_template_task_t *t = bl_template(i + 1);
        size_t need = bl_task_id(NULL, 0, pid, i + 1) + 1;
        char *id = api->palloc(req, need);
        if (id == NULL)
            return api->reply_error(req, 500, "Out of memory");
        bl_task_id(id, need, pid, i + 1);
        ids[i] = id;
        titles[i] = t->title;
        descs[i] = t->description;
    }
    params[0] = pid;
    for (int a = 0; a < 3; a++) {
        const char *const *items = a == 0 ? ids : a == 1 ? titles : descs;
        const char *lit = api->pg_array(req, items, BL_TEMPLATE_COUNT);
        if (lit == NULL)
            return api->reply_error(req, 500, "Out of memory");
        params[a + 1] = lit;
    }
    r = api->db_exec(req, NULL,
                     "INSERT INTO tasks (task_id, project_id, title, description, status, "
                     "assigned_to, sprint_id, progress_percentage) "
                     "SELECT t.task_id, $1, t.title, t.description, 'unassigned', NULL, NULL, 0 "
                     "FROM unnest($2::text[], $3::text[], $4::text[]) "
                     "AS t(task_id, title, description) "
                     "ON CONFLICT (task_id) DO UPDATE SET title = EXCLUDED.title, "
                     "description = EXCLUDED.description, status = EXCLUDED.status, "
                     "assigned_to = NULL, sprint_id = NULL, progress_percentage = 0",
                     4, params);
    if (r == NULL)
        return bl_db_fail(st, req, 0, "Database operation failed during backlog generation.");

    o = json_object_new_object();
    json_object_object_add(
        o, "message",
        bl_jstr(api->psprintf(req, "Backlog generated successfully for project %s", pid)));
    json_object_object_add(o, "tasks_count", json_object_new_int(api->rows_affected(r)));
    return api->reply_json(req, 201, o);
}

/* B5 GET /backlogs/{project_id}/summary — zeros for an unknown project, never 404. */
int bl_summary_project(void *state, dsm_req_t *req)
{
    const bl_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {api->req_param(req, "project_id")};
    struct json_object *sum;
    dsm_rows_t *r;

    if (params[0] == NULL)
        params[0] = "";
    r = api->db_exec(req, NULL, BL_COUNTS_SQL("project_id = $1"), 1, params);
    if (r == NULL)
        return bl_db_fail(st, req, 0, "Database operation failed during summary retrieval.");
    sum = summary_new(params[0]);
    for (int i = 0; i < api->rows_count(r); i++)
        summary_add(api, sum, r, i);
    return api->reply_json(req, 200, sum);
}

/* B6 GET /backlogs/{project_id}?status= — the project's tasks by task id (an empty status is
 * no filter); [] for an unknown project. */
int bl_task_list(void *state, dsm_req_t *req)
{
    const bl_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[2] = {api->req_param(req, "project_id"), api->req_query(req, "status")};
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    if (params[0] == NULL)
        params[0] = "";
    if (params[1] != NULL && params[1][0] == '\0')
        params[1] = NULL;
    r = api->db_exec(req, NULL,
                     "SELECT " BL_TASK_COLS " FROM tasks WHERE project_id = $1 "
                     "AND ($2::text IS NULL OR status = $2::text) ORDER BY task_id COLLATE \"C\"",
                     2, params);
    if (r == NULL)
        return bl_db_fail(st, req, 0, "Database operation failed during task retrieval.");
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, bl_task_json(api, r, i));
    return api->reply_json(req, 200, arr);
}
