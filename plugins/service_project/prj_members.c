/* prj_members.c — project ↔ employee mapping: P7 members of a project, P19 assign employees,
 * P20 projects of an employee. */
#include <string.h>

#include "prj_internal.h"

/* P7 GET /projects/{project_id}/team-members — 200 with [] for an unknown project. */
int prj_members_list(void *state, dsm_req_t *req)
{
    static const char *const keys[5] = {"id", "name", "gender", "state", "age"};
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {prj_param(st, req, "project_id")};
    struct json_object *o, *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL,
                     "SELECT t.id, t.name, t.gender, t.state, t.age FROM teams t "
                     "JOIN project_team_mapping ptm ON t.id = ptm.employee_id "
                     "WHERE ptm.project_id = $1 ORDER BY t.id",
                     1, params);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        struct json_object *m = json_object_new_object();

        for (int c = 0; c < 4; c++)
            json_object_object_add(m, keys[c], prj_jstr(api->rows_value(r, i, c)));
        json_object_object_add(m, keys[4], prj_jint(api->rows_value(r, i, 4)));
        json_object_array_add(arr, m);
    }
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(params[0]));
    json_object_object_add(o, "team_members", arr);
    return api->reply_json(req, 200, o);
}

/* The employee ids of a P19 body as a text[] literal, or NULL after replying 422/500.
 * Ids with an embedded NUL cannot exist in teams and are left out (skipped like unknown ids). */
static const char *assign_ids(const prj_state_t *st, dsm_req_t *req, struct json_object *body)
{
    const dsm_api_t *api = st->api;
    struct json_object *ids = NULL;
    const char **items;
    size_t n, k = 0;
    const char *lit;

    if (!json_object_is_type(body, json_type_object)) {
        api->reply_error(req, 422, "Request body must be a JSON object.");
        return NULL;
    }
    if (!json_object_object_get_ex(body, "employee_ids", &ids) ||
        !json_object_is_type(ids, json_type_array)) {
        api->reply_error(req, 422, "'employee_ids' must be a list.");
        return NULL;
    }
    n = json_object_array_length(ids);
    for (size_t i = 0; i < n; i++)
        if (!json_object_is_type(json_object_array_get_idx(ids, i), json_type_string)) {
            api->reply_error(req, 422, "All 'employee_ids' must be strings.");
            return NULL;
        }
    items = api->palloc(req, (n + 1) * sizeof(*items));
    if (items == NULL)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(ids, i);
        const char *s = json_object_get_string(e);

        if (s != NULL && strlen(s) == (size_t)json_object_get_string_len(e))
            items[k++] = s;
    }
    lit = api->pg_array(req, items, k);
    if (lit == NULL)
        goto oom;
    return lit;
oom:
    api->reply_error(req, 500, "Internal Server Error");
    return NULL;
}

/* P19 POST /projects/{project_id}/team-members-assign — body {"employee_ids": [...]} (raw JSON).
 * Unknown employees are skipped; the project must exist (404, original: not checked).
 * One transaction: the project check, then one statement that maps every known employee and
 * sets its project_assign flag. */
int prj_members_assign(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *body = api->req_body(req), *o;
    const char *params[2] = {prj_param(st, req, "project_id"), NULL};
    dsm_rows_t *r;

    if (body == NULL && api->req_body_len(req) == 0)
        return api->reply_error(req, 400, "Invalid JSON format");
    params[1] = assign_ids(st, req, body);
    if (params[1] == NULL)
        return DSM_OK; /* replied */

    if (api->db_begin(req, NULL) != DSM_OK)
        return prj_db_fail(st, req, 0);
    r = api->db_exec(req, NULL, "SELECT 1 FROM projects WHERE prjid = $1 FOR KEY SHARE", 1,
                     params);
    if (r == NULL)
        return prj_db_fail(st, req, 1);
    if (api->rows_count(r) == 0) {
        api->db_rollback(req, NULL);
        return api->reply_error(req, 404, "Project %s not found.", params[0]);
    }
    r = api->db_exec(req, NULL,
                     "WITH ids AS (SELECT t.id FROM teams t WHERE t.id = ANY ($2::text[])), "
                     "ins AS (INSERT INTO project_team_mapping (project_id, employee_id) "
                     "SELECT $1::text, id FROM ids "
                     "ON CONFLICT (project_id, employee_id) DO NOTHING) "
                     "UPDATE teams SET project_assign = TRUE WHERE id IN (SELECT id FROM ids)",
                     2, params);
    if (r == NULL)
        return prj_db_fail(st, req, 1);
    if (api->db_commit(req, NULL) != DSM_OK)
        return prj_db_fail(st, req, 0);

    o = json_object_new_object();
    json_object_object_add(o, "message",
                           prj_jstr(api->psprintf(
                               req, "Team members assigned to project %s successfully", params[0])));
    return api->reply_json(req, 200, o);
}

/* P20 GET /employees/{employee_id}/teams — the employee's projects as "teams". */
int prj_employee_projects(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {prj_param(st, req, "employee_id")};
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL,
                     "SELECT DISTINCT ptm.project_id, p.projectname FROM project_team_mapping ptm "
                     "JOIN projects p ON ptm.project_id = p.prjid "
                     "WHERE ptm.employee_id = $1 ORDER BY ptm.project_id",
                     1, params);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    n = api->rows_count(r);
    if (n == 0)
        return api->reply_error(req, 404, "Employee %s not assigned to any projects.",
                                params[0]);
    arr = json_object_new_array_ext(n);
    for (int i = 0; i < n; i++) {
        struct json_object *t = json_object_new_object(), *members = json_object_new_array();

        json_object_object_add(t, "id", prj_jstr(api->rows_value(r, i, 0)));
        json_object_object_add(t, "name", prj_jstr(api->rows_value(r, i, 1)));
        json_object_array_add(members, prj_team_member(params[0], NULL));
        json_object_object_add(t, "members", members);
        json_object_array_add(arr, t);
    }
    return api->reply_json(req, 200, arr);
}
