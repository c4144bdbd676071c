/* prj_calendar.c — calendar: P8 holidays, P9 list / P10 add / P11 delete PTO, P12 availability.
 * pto_calendar.start_date/end_date are TIMESTAMP columns; the API shows their DATE part.
 * Dates are rendered with to_char(..., 'YYYY-MM-DD') so the server's DateStyle never matters. */
#include <string.h>

#include "prj_internal.h"

/* P8 GET /calendar/holidays — every holiday, ordered by date. */
int prj_holidays_list(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL,
                     "SELECT to_char(holiday_date, 'YYYY-MM-DD'), holiday_name, type "
                     "FROM us_holidays ORDER BY holiday_date",
                     0, NULL);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        struct json_object *h = json_object_new_object();

        json_object_object_add(h, "holiday_date", prj_jstr(api->rows_value(r, i, 0)));
        json_object_object_add(h, "holiday_name", prj_jstr(api->rows_value(r, i, 1)));
        json_object_object_add(h, "type", prj_jstr(api->rows_value(r, i, 2)));
        json_object_array_add(arr, h);
    }
    return api->reply_json(req, 200, arr);
}

/* {"pto_id","employee_id","start_date","end_date","reason"} (PTOResponse). */
static struct json_object *pto_json(const char *pto_id, const char *employee_id,
                                    const char *start, const char *end, const char *reason)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "pto_id", prj_jstr(pto_id));
    json_object_object_add(o, "employee_id", prj_jstr(employee_id));
    json_object_object_add(o, "start_date", prj_jstr(start));
    json_object_object_add(o, "end_date", prj_jstr(end));
    json_object_object_add(o, "reason", prj_jstr(reason));
    return o;
}

/* P9 GET /projects/{project_id}/calendar/pto — PTO of the project's members by start date. */
int prj_pto_list(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {prj_param(st, req, "project_id")};
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL,
                     "SELECT pc.pto_id, pc.employee_id, to_char(pc.start_date, 'YYYY-MM-DD'), "
                     "to_char(pc.end_date, 'YYYY-MM-DD'), pc.reason FROM pto_calendar pc "
                     "JOIN project_team_mapping ptm ON pc.employee_id = ptm.employee_id "
                     "WHERE ptm.project_id = $1 ORDER BY pc.start_date, pc.pto_id",
                     1, params);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, pto_json(api->rows_value(r, i, 0), api->rows_value(r, i, 1),
                                            api->rows_value(r, i, 2), api->rows_value(r, i, 3),
                                            api->rows_value(r, i, 4)));
    return api->reply_json(req, 200, arr);
}

/* P10 POST /projects/{project_id}/calendar/pto?employee_id=E001 — body start_date, end_date,
 * reason. end_date before start_date → 422. The mapping check and the insert are one
 * statement (INSERT ... SELECT ... WHERE EXISTS): nothing inserted means "not assigned". */
int prj_pto_add(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *employee_id = NULL, *reason = NULL;
    char start[11] = "", end[11] = "";
    const char *params[6];
    struct json_object *input = NULL;
    dsm_rows_t *r;

    api->v_str(req, "query", "employee_id", DSM_V_REQUIRED, &employee_id);
    api->v_date(req, "body", "start_date", DSM_V_REQUIRED, start);
    api->v_date(req, "body", "end_date", DSM_V_REQUIRED, end);
    api->v_str(req, "body", "reason", 0, &reason);
    if (api->v_failed(req))
        return DSM_OK;
    prj_check_date(st, req, "body", "start_date", start);
    prj_check_date(st, req, "body", "end_date", end);
    if (api->v_failed(req))
        return DSM_OK;
    if (strcmp(end, start) < 0) {
        json_object_object_get_ex(api->req_body(req), "end_date", &input);
        api->v_problem(req, "body", "end_date", "value_error",
                       "Value error, end_date must not be before start_date", input);
    }
    if (api->v_failed(req))
        return DSM_OK;

    params[0] = api->uuid4(req);
    params[1] = employee_id != NULL ? employee_id : "";
    params[5] = prj_param(st, req, "project_id");
    if (prj_utf8_chars(params[1]) > PRJ_MAX_VARCHAR) /* cannot be mapped; keeps SQL from 22001 */
        return api->reply_error(req, 404, "Employee %s not assigned to project %s", params[1],
                                params[5]);
    params[2] = start;
    params[3] = end;
    params[4] = reason;
    r = api->db_exec(req, NULL,
                     "INSERT INTO pto_calendar (pto_id, employee_id, start_date, end_date, reason) "
                     "SELECT $1::text, $2::text, $3::date, $4::date, $5::text "
                     "WHERE EXISTS (SELECT 1 FROM project_team_mapping "
                     "WHERE project_id = $6::text AND employee_id = $2::text)",
                     6, params);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    if (api->rows_affected(r) == 0)
        return api->reply_error(req, 404, "Employee %s not assigned to project %s", params[1],
                                params[5]);
    return api->reply_json(req, 201, pto_json(params[0], params[1], start, end, params[4]));
}

/* P11 DELETE /projects/{project_id}/calendar/pto/{pto_id} — only a PTO of a project member;
 * check and delete are one statement. */
int prj_pto_delete(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[2] = {prj_param(st, req, "pto_id"), prj_param(st, req, "project_id")};
    struct json_object *o;
    dsm_rows_t *r;

    r = api->db_exec(req, NULL,
                     "DELETE FROM pto_calendar pc WHERE pc.pto_id = $1::text AND EXISTS "
                     "(SELECT 1 FROM project_team_mapping ptm "
                     "WHERE ptm.employee_id = pc.employee_id AND ptm.project_id = $2::text)",
                     2, params);
    if (r == NULL)
        return prj_db_fail(st, req, 0);
    if (api->rows_affected(r) == 0)
        return api->reply_error(req, 404, "PTO entry %s not found for project %s", params[0],
                                params[1]);
    o = json_object_new_object();
    json_object_object_add(o, "message", json_object_new_string("PTO entry deleted successfully"));
    json_object_object_add(o, "pto_id", json_object_new_string(params[0]));
    return api->reply_json(req, 200, o);
}

/* One P12 conflict {"type","date","name","details"}. */
static struct json_object *conflict_json(const char *type, const char *date, const char *name,
                                         const char *details)
{
    struct json_object *c = json_object_new_object();

    json_object_object_add(c, "type", json_object_new_string(type));
    json_object_object_add(c, "date", prj_jstr(date));
    json_object_object_add(c, "name", prj_jstr(name));
    json_object_object_add(c, "details", prj_jstr(details));
    return c;
}

/* P12 row of the PTO query → conflict; columns: start date, start ts, end ts, id, name. */
static struct json_object *pto_conflict(const dsm_api_t *api, dsm_req_t *req,
                                        const dsm_rows_t *r, int i)
{
    const char *name = prj_pto_name(api->rows_value(r, i, 4), api->rows_value(r, i, 3));
    const char *s_ts = api->rows_value(r, i, 1), *e_ts = api->rows_value(r, i, 2);
    size_t len = prj_pto_details(NULL, 0, name, s_ts, e_ts);
    char *details = api->palloc(req, len + 1);

    if (details != NULL)
        prj_pto_details(details, len + 1, name, s_ts, e_ts);
    return conflict_json("pto", api->rows_value(r, i, 0), name, details);
}

/* P12 GET /projects/{project_id}/availability/check?start_date=&end_date= — holidays in the
 * window (by date), then PTO of project members overlapping it (by start date). */
int prj_availability(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    char start[11] = "", end[11] = "";
    const char *hparams[2], *pparams[3];
    struct json_object *o, *arr;
    dsm_rows_t *hol, *pto;
    int nh, np;

    api->v_date(req, "query", "start_date", DSM_V_REQUIRED, start);
    api->v_date(req, "query", "end_date", DSM_V_REQUIRED, end);
    if (api->v_failed(req))
        return DSM_OK;
    prj_check_date(st, req, "query", "start_date", start);
    prj_check_date(st, req, "query", "end_date", end);
    if (api->v_failed(req))
        return DSM_OK;

    hparams[0] = start;
    hparams[1] = end;
    hol = api->db_exec(req, NULL,
                       "SELECT to_char(holiday_date, 'YYYY-MM-DD'), holiday_name FROM us_holidays "
                       "WHERE holiday_date BETWEEN $1::date AND $2::date ORDER BY holiday_date",
                       2, hparams);
    if (hol == NULL)
        return prj_db_fail(st, req, 0);
    pparams[0] = prj_param(st, req, "project_id");
    pparams[1] = end;
    pparams[2] = start;
    pto = api->db_exec(req, NULL,
                       "SELECT to_char(pc.start_date, 'YYYY-MM-DD'), "
                       "to_char(pc.start_date, 'YYYY-MM-DD HH24:MI:SS.US'), "
                       "to_char(pc.end_date, 'YYYY-MM-DD HH24:MI:SS.US'), pc.employee_id, t.name "
                       "FROM pto_calendar pc "
                       "JOIN project_team_mapping ptm ON pc.employee_id = ptm.employee_id "
                       "JOIN teams t ON pc.employee_id = t.id "
                       "WHERE ptm.project_id = $1 AND pc.start_date <= $2::date "
                       "AND pc.end_date >= $3::date ORDER BY pc.start_date, pc.pto_id",
                       3, pparams);
    if (pto == NULL)
        return prj_db_fail(st, req, 0);

    nh = api->rows_count(hol);
    np = api->rows_count(pto);
    arr = json_object_new_array_ext(nh + np > 0 ? nh + np : 1);
    for (int i = 0; i < nh; i++) {
        const char *hname = api->rows_value(hol, i, 1);

        json_object_array_add(arr, conflict_json("holiday", api->rows_value(hol, i, 0), hname,
                                                 api->psprintf(req, "US Holiday: %s",
                                                               hname != NULL ? hname : "None")));
    }
    for (int i = 0; i < np; i++)
        json_object_array_add(arr, pto_conflict(api, req, pto, i));
    o = json_object_new_object();
    json_object_object_add(o, "status", json_object_new_string(nh + np > 0 ? "conflict" : "ok"));
    json_object_object_add(o, "conflicts", arr);
    return api->reply_json(req, 200, o);
}
