/* prj_projects.c — projects: P3 create, P4 list, P5 get, P6 set status. */
#include "prj_internal.h"

/* API model Project ↔ table projects: id↔prjid, name↔projectname, description↔codename. */
static const char *const prj_project_fields[4] = {"id", "name", "description", "status"};

#define PRJ_PROJECT_COLS "prjid, projectname, codename, status"

/* One projects row (columns of PRJ_PROJECT_COLS) as a Project object, values as stored. */
static struct json_object *project_json(const dsm_api_t *api, const dsm_rows_t *r, int row)
{
    struct json_object *o = json_object_new_object();

    for (int c = 0; c < 4; c++)
        json_object_object_add(o, prj_project_fields[c], prj_jstr(api->rows_value(r, row, c)));
    return o;
}

/* P3 POST /projects — 201; a duplicate id is 409 (original: 500). */
int prj_project_create(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *v[4] = {NULL, NULL, NULL, NULL};
    struct json_object *o;
    dsm_rows_t *r;

    for (int i = 0; i < 4; i++)
        api->v_str(req, "body", prj_project_fields[i], DSM_V_REQUIRED, &v[i]);
    if (api->v_failed(req))
        return DSM_OK;
    for (int i = 0; i < 4; i++) {
        if (v[i] == NULL) { /* required but JSON null, should the host not have said so */
            prj_null_problem(st, req, prj_project_fields[i]);
            continue;
        }
        prj_check_len(st, req, prj_project_fields[i], v[i], PRJ_MAX_VARCHAR);
    }
    if (api->v_failed(req))
        return DSM_OK;

    r = api->db_exec(req, NULL,
                     "INSERT INTO projects (prjid, projectname, codename, status) "
                     "VALUES ($1, $2, $3, $4) ON CONFLICT (prjid) DO NOTHING",
                     4, v);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    if (api->rows_affected(r) == 0)
        return api->reply_error(req, 409, "Project %s already exists.", v[0]);

    o = json_object_new_object();
    json_object_object_add(o, "message", json_object_new_string("Project created successfully"));
    json_object_object_add(o, "project_id", json_object_new_string(v[0]));
    return api->reply_json(req, 201, o);
}

/* P4 GET /projects — every project, ORDER BY prjid (original: table order). */
int prj_project_list(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL, "SELECT " PRJ_PROJECT_COLS " FROM projects ORDER BY prjid", 0,
                     NULL);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, project_json(api, r, i));
    return api->reply_json(req, 200, arr);
}

/* P5 GET /projects/{project_id} — values whitespace-trimmed (Python str.strip). */
int prj_project_get(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {prj_param(st, req, "project_id")};
    struct json_object *o;
    dsm_rows_t *r;

    r = api->db_exec(req, NULL, "SELECT " PRJ_PROJECT_COLS " FROM projects WHERE prjid = $1", 1,
                     params);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Project %s not found.", params[0]);

    o = json_object_new_object();
    for (int c = 0; c < 4; c++) {
        const char *s = api->rows_value(r, 0, c);
        size_t len = 0;

        if (s != NULL)
            s = prj_strip(s, &len);
        json_object_object_add(o, prj_project_fields[c],
                               s != NULL ? json_object_new_string_len(s, (int)len) : NULL);
    }
    return api->reply_json(req, 200, o);
}

/* P6 PUT /projects/{project_id}/status — body {"status": "..."}; 404 for an unknown id. */
int prj_project_status(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[2] = {NULL, prj_param(st, req, "project_id")};
    struct json_object *o;
    dsm_rows_t *r;

    api->v_str(req, "body", "status", DSM_V_REQUIRED, &params[0]);
    if (api->v_failed(req))
        return DSM_OK;
    if (params[0] == NULL)
        prj_null_problem(st, req, "status");
    prj_check_len(st, req, "status", params[0], PRJ_MAX_VARCHAR);
    if (api->v_failed(req))
        return DSM_OK;

    r = api->db_exec(req, NULL, "UPDATE projects SET status = $1 WHERE prjid = $2", 2, params);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    if (api->rows_affected(r) == 0)
        return api->reply_error(req, 404, "Project %s not found.", params[1]);

    o = json_object_new_object();
    json_object_object_add(o, "message",
                           json_object_new_string("Project status updated successfully"));
    json_object_object_add(o, "project_id", json_object_new_string(params[1]));
    json_object_object_add(o, "status", json_object_new_string(params[0]));
    return api->reply_json(req, 200, o);
}
