/* prj_employees.c — employees and "teams" (a team is one employee): P13 create, P14 debug echo,
 * P15 get, P16 list active, P17 team, P18 team members. */
#include <stdint.h>

#include "prj_internal.h"

/* P13 age: a JSON integer (or an integral number, Pydantic-lax) within INTEGER; NULL when
 * absent or null. Returns -1 for anything else. */
static int employee_age(const prj_state_t *st, dsm_req_t *req, struct json_object *body,
                        const char **out)
{
    struct json_object *a = NULL;
    double d;
    int64_t v;

    *out = NULL;
    if (!json_object_object_get_ex(body, "age", &a) || a == NULL)
        return 0;
    if (json_object_is_type(a, json_type_int)) {
        v = json_object_get_int64(a);
    } else if (json_object_is_type(a, json_type_double)) {
        d = json_object_get_double(a);
        if (!(d >= INT32_MIN && d <= INT32_MAX)) /* also NaN and infinities */
            return -1;
        v = (int64_t)d;
        if ((double)v != d) /* 31.5 */
            return -1;
    } else {
        return -1;
    }
    if (v < INT32_MIN || v > INT32_MAX)
        return -1;
    *out = st->api->psprintf(req, "%lld", (long long)v);
    return *out != NULL ? 1 : -1;
}

/* An optional P13 text member of at most max characters; 0 ok, -1 after replying 422. */
static int employee_opt(const prj_state_t *st, dsm_req_t *req, struct json_object *body,
                        const char *key, size_t max, const char **out)
{
    if (prj_json_text(st, req, body, key, out) >= 0 &&
        (*out == NULL || prj_utf8_chars(*out) <= max))
        return 0;
    st->api->reply_error(req, 422, "%s must be a string of at most %zu characters.", key, max);
    return -1;
}

/* P13 POST /employees — raw JSON {"employee_id","name","gender","state","age"}; inserts an
 * active, unassigned employee; an existing id is left unchanged and still answered 201. */
int prj_employee_create(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *body = api->req_body(req), *o;
    const char *v[5] = {NULL, NULL, NULL, NULL, NULL}; /* id, name, gender, state, age */
    dsm_rows_t *r;

    if (body == NULL && api->req_body_len(req) == 0)
        return api->reply_error(req, 400, "Invalid JSON format");
    if (!json_object_is_type(body, json_type_object))
        return api->reply_error(req, 422, "Request body must be a JSON object.");
    if (prj_json_text(st, req, body, "employee_id", &v[0]) != 1 || v[0][0] == '\0' ||
        prj_json_text(st, req, body, "name", &v[1]) != 1 || v[1][0] == '\0')
        return api->reply_error(req, 422, "Employee ID and name are required.");
    if (employee_opt(st, req, body, "employee_id", PRJ_MAX_VARCHAR, &v[0]) < 0 ||
        employee_opt(st, req, body, "name", PRJ_MAX_VARCHAR, &v[1]) < 0 ||
        employee_opt(st, req, body, "gender", PRJ_MAX_GENDER, &v[2]) < 0 ||
        employee_opt(st, req, body, "state", PRJ_MAX_STATE, &v[3]) < 0)
        return DSM_OK; /* replied */
    if (employee_age(st, req, body, &v[4]) < 0)
        return api->reply_error(req, 422, "age must be an integer.");

    r = api->db_exec(req, NULL,
                     "INSERT INTO teams (id, name, gender, state, age, project_assign, active) "
                     "VALUES ($1, $2, $3, $4, $5::integer, FALSE, TRUE) "
                     "ON CONFLICT (id) DO NOTHING",
                     5, v);
    if (r == NULL)
        return prj_db_fail(st, req, 0);

    o = json_object_new_object();
    json_object_object_add(o, "employee_id", json_object_new_string(v[0]));
    json_object_object_add(o, "employee_name", json_object_new_string(v[1]));
    return api->reply_json(req, 201, o);
}

/* P14 POST /debug-employees — echoes the host and content-type headers and the body length. */
int prj_employee_debug(void *state, dsm_req_t *req)
{
    static const char *const names[2] = {"host", "content-type"};
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object(), *h = json_object_new_object();

    for (int i = 0; i < 2; i++) {
        const char *v = api->req_header(req, names[i]);

        if (v != NULL)
            json_object_object_add(h, names[i], prj_jstr(v));
    }
    json_object_object_add(o, "message", json_object_new_string("Debug info logged"));
    json_object_object_add(o, "headers", h);
    json_object_object_add(o, "body_length",
                           json_object_new_int64((int64_t)api->req_body_len(req)));
    return api->reply_json(req, 200, o);
}

/* P15 GET /employees/{employee_id} — the teams row plus assigned_projects (ordered). */
int prj_employee_get(void *state, dsm_req_t *req)
{
    static const char *const keys[7] = {"id",  "name",           "gender", "state",
                                        "age", "project_assign", "active"};
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {prj_param(st, req, "employee_id")};
    struct json_object *o, *projects;
    dsm_rows_t *emp, *prj;
    int n;

    emp = api->db_exec(req, NULL,
                       "SELECT id, name, gender, state, age, project_assign, active "
                       "FROM teams WHERE id = $1",
                       1, params);
    if (emp == NULL)
        return prj_db_fail(st, req, 0);
    if (api->rows_count(emp) == 0)
        return api->reply_error(req, 404, "Employee not found");
    prj = api->db_exec(req, NULL,
                       "SELECT project_id FROM project_team_mapping WHERE employee_id = $1 "
                       "ORDER BY project_id",
                       1, params);
    if (prj == NULL)
        return prj_db_fail(st, req, 0);

    o = json_object_new_object();
    for (int c = 0; c < 4; c++)
        json_object_object_add(o, keys[c], prj_jstr(api->rows_value(emp, 0, c)));
    json_object_object_add(o, keys[4], prj_jint(api->rows_value(emp, 0, 4)));
    json_object_object_add(o, keys[5], prj_jbool(api->rows_value(emp, 0, 5)));
    json_object_object_add(o, keys[6], prj_jbool(api->rows_value(emp, 0, 6)));
    n = api->rows_count(prj);
    projects = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(projects, prj_jstr(api->rows_value(prj, i, 0)));
    json_object_object_add(o, "assigned_projects", projects);
    return api->reply_json(req, 200, o);
}

/* P16 GET /teams — active employees as TeamMembers, ordered by id. */
int prj_team_list(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL, "SELECT id, name FROM teams WHERE active = TRUE ORDER BY id", 0,
                     NULL);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(arr,
                              prj_team_member(api->rows_value(r, i, 0), api->rows_value(r, i, 1)));
    return api->reply_json(req, 200, arr);
}

/* One employee by id (P17, P18); NULL after replying 404 (detail) or a database error. */
static dsm_rows_t *team_row(const prj_state_t *st, dsm_req_t *req, const char *detail)
{
    const dsm_api_t *api = st->api;
    const char *params[1] = {prj_param(st, req, "team_id")};
    dsm_rows_t *r = api->db_exec(req, NULL, "SELECT id, name FROM teams WHERE id = $1", 1, params);

    if (r == NULL) {
        prj_db_fail(st, req, 0);
        return NULL;
    }
    if (api->rows_count(r) == 0) {
        api->reply_error(req, 404, "%s", detail);
        return NULL;
    }
    return r;
}

/* P17 GET /teams/{team_id} — {"id","name","members":[the employee]}. */
int prj_team_get(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    dsm_rows_t *r = team_row(st, req, "Team not found");
    struct json_object *o, *members;
    const char *id, *name;

    if (r == NULL)
        return DSM_OK; /* replied */
    id = api->rows_value(r, 0, 0);
    name = api->rows_value(r, 0, 1);
    o = json_object_new_object();
    json_object_object_add(o, "id", prj_jstr(id));
    json_object_object_add(o, "name", prj_jstr(name));
    members = json_object_new_array();
    json_object_array_add(members, prj_team_member(id, name));
    json_object_object_add(o, "members", members);
    return api->reply_json(req, 200, o);
}

/* P18 GET /teams/{team_id}/members — [the employee]. */
int prj_team_members(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    dsm_rows_t *r = team_row(st, req, "Team (employee) not found");
    struct json_object *arr;

    if (r == NULL)
        return DSM_OK; /* replied */
    arr = json_object_new_array();
    json_object_array_add(arr,
                          prj_team_member(api->rows_value(r, 0, 0), api->rows_value(r, 0, 1)));
    return api->reply_json(req, 200, arr);
}
