/* chr_retro.c — sprint retrospectives: C6 record one (409 for a second one of the same sprint),
 * C9 list them with their action items and attendees. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "chr_internal.h"

/* action_items: [{"description", "status" (default "open")}] */
static struct json_object *norm_actions(chr_vc_t *vc, struct json_object *list)
{
    chr_path_t lp = {NULL, "action_items", 0};
    struct json_object *arr = json_object_new_array();

    for (size_t i = 0; list != NULL && i < json_object_array_length(list); i++) {
        struct json_object *it = json_object_array_get_idx(list, i), *o;
        chr_path_t ip = {&lp, NULL, i};
        const char *desc = NULL, *status = NULL;

        if (chr_vc_item_object(vc, &lp, it, i, "ActionItem") != 1)
            continue;
        chr_vc_str(vc, &ip, it, "description", CHR_V_REQ, CHR_MAX_TEXT, &desc);
        chr_vc_str(vc, &ip, it, "status", 0, CHR_MAX_STATUS, &status);
        o = json_object_new_object();
        json_object_object_add(o, "description", chr_jstr(desc));
        json_object_object_add(o, "status",
                               json_object_new_string(status != NULL ? status : "open"));
        json_object_array_add(arr, o);
    }
    return arr;
}

/* attendees: [employee id, ...] */
static struct json_object *norm_attendees(chr_vc_t *vc, struct json_object *list)
{
    chr_path_t lp = {NULL, "attendees", 0};
    struct json_object *arr = json_object_new_array();

    for (size_t i = 0; list != NULL && i < json_object_array_length(list); i++) {
        const char *s = NULL;

        if (chr_vc_item_str(vc, &lp, json_object_array_get_idx(list, i), i, CHR_MAX_ID, &s) == 1)
            json_object_array_add(arr, json_object_new_string(s));
    }
    return arr;
}

/* tasks_summary: [TaskSummaryItem] in the model's key order. */
static struct json_object *norm_tasks(chr_vc_t *vc, struct json_object *list)
{
    static const struct {
        const char *key;
        size_t max;
    } strs[4] = {{"description", CHR_MAX_TEXT},
                 {"status", CHR_MAX_ID},
                 {"task_id", CHR_MAX_ID},
                 {"employee_id", CHR_MAX_ID}};
    chr_path_t lp = {NULL, "tasks_summary", 0};
    struct json_object *arr = json_object_new_array();

    for (size_t i = 0; list != NULL && i < json_object_array_length(list); i++) {
        struct json_object *it = json_object_array_get_idx(list, i), *o;
        chr_path_t ip = {&lp, NULL, i};
        int64_t pct = 0;

        if (chr_vc_item_object(vc, &lp, it, i, "TaskSummaryItem") != 1)
            continue;
        o = json_object_new_object();
        for (int k = 0; k < 4; k++) {
            const char *s = NULL;

            chr_vc_str(vc, &ip, it, strs[k].key, CHR_V_REQ, strs[k].max, &s);
            json_object_object_add(o, strs[k].key, chr_jstr(s));
        }
        chr_vc_int(vc, &ip, it, "progress_percentage", CHR_V_REQ, &pct);
        json_object_object_add(o, "progress_percentage", json_object_new_int64(pct));
        json_object_array_add(arr, o);
    }
    return arr;
}

/* Top-level scalar fields of SprintRetrospectiveNote into p[0..9] (see the INSERT). */
static void retro_fields(const chr_state_t *st, dsm_req_t *req, const char **p, char *start,
                         char *end, char *weeks, size_t weeks_len)
{
    const dsm_api_t *api = st->api;
    static const char *const texts[4] = {"sprint_name", "what_went_well", "what_could_be_improved",
                                         "facilitator_id"};
    static const int slots[4] = {2, 6, 7, 8};
    static const size_t maxes[4] = {CHR_MAX_TEXT, CHR_MAX_TEXT, CHR_MAX_TEXT, CHR_MAX_ID};
    int64_t w = 0;

    api->v_str(req, "body", "sprint_id", DSM_V_REQUIRED, &p[0]);
    api->v_str(req, "body", "project_id", DSM_V_REQUIRED, &p[1]);
    chr_check_len(st, req, "sprint_id", p[0], CHR_MAX_ID);
    chr_check_len(st, req, "project_id", p[1], CHR_MAX_ID);
    for (int i = 0; i < 4; i++) {
        api->v_str(req, "body", texts[i], 0, &p[slots[i]]);
        chr_check_len(st, req, texts[i], p[slots[i]], maxes[i]);
    }
    if (api->v_date(req, "body", "start_date", 0, start) == 1)
        p[3] = start;
    if (api->v_date(req, "body", "end_date", 0, end) == 1)
        p[4] = end;
    if (api->v_int(req, "body", "duration_weeks", 0, &w) == 1) {
        if (w < INT32_MIN || w > INT32_MAX)
            api->v_problem(req, "body", "duration_weeks", "value_error",
                           "Value error, duration_weeks must fit in a 32-bit integer",
                           chr_member(api->req_body(req), "duration_weeks"));
        snprintf(weeks, weeks_len, "%lld", (long long)w);
        p[5] = weeks;
    }
    if (p[3] != NULL && p[4] != NULL && strcmp(p[4], p[3]) < 0)
        api->v_problem(req, "body", "end_date", "value_error",
                       "Value error, end_date must not be before start_date",
                       chr_member(api->req_body(req), "end_date"));
}

/* C6 POST /v1/notes/sprint_retrospective — 201 {"message", "retrospective_id"}; a second
 * retrospective for the same sprint_id → 409. The retrospective, its action items and its
 * attendees are one INSERT statement (atomic); repeated attendees are stored once. */
int chr_retro_create(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *body = api->req_body(req);
    struct json_object *actions = NULL, *attendees = NULL, *tasks = NULL;
    struct json_object *na = NULL, *nt = NULL, *ns = NULL;
    const char *p[12] = {NULL};
    char start[11] = "", end[11] = "", weeks[24] = "";
    chr_vc_t vc;
    dsm_rows_t *r;
    int rc = DSM_OK;

    chr_vc_init(&vc, st, req);
    retro_fields(st, req, p, start, end, weeks, sizeof(weeks));
    chr_vc_list(&vc, NULL, body, "action_items", 0, &actions);
    chr_vc_list(&vc, NULL, body, "attendees", 0, &attendees);
    chr_vc_list(&vc, NULL, body, "tasks_summary", 0, &tasks);
    if (api->v_failed(req))
        goto done;
    na = norm_actions(&vc, actions);
    nt = norm_attendees(&vc, attendees);
    ns = norm_tasks(&vc, tasks);
    if (chr_vc_reply(&vc))
        goto done;

    p[9] = json_object_array_length(ns) > 0 ? chr_json_text(st, req, ns) : NULL;
    p[10] = chr_json_text(st, req, na);
    p[11] = chr_json_text(st, req, nt);
    r = api->db_exec(
        req, NULL,
        "WITH r AS (INSERT INTO sprint_retrospectives (sprint_id, project_id, sprint_name, "
        "start_date, end_date, duration_weeks, what_went_well, what_could_be_improved, "
        "facilitator_id, tasks_summary) VALUES ($1, $2, $3, $4::date, $5::date, $6::integer, $7, "
        "$8, $9, $10::jsonb) ON CONFLICT (sprint_id) DO NOTHING RETURNING id), "
        "a AS (INSERT INTO retrospective_action_items (retrospective_id, description, status) "
        "SELECT r.id, x.description, x.status FROM r, "
        "jsonb_to_recordset($11::jsonb) AS x(description text, status text)), "
        "t AS (INSERT INTO retrospective_attendees (retrospective_id, employee_id) "
        "SELECT DISTINCT r.id, e FROM r, jsonb_array_elements_text($12::jsonb) AS e) "
        "SELECT id::text FROM r",
        12, p);
    if (r == NULL)
        rc = chr_db_fail(st, req, 0);
    else if (api->rows_count(r) == 0)
        rc = api->reply_error(req, 409, "Sprint retrospective for sprint %s already exists.", p[0]);
    else
        rc = chr_reply_created(st, req, "Sprint retrospective recorded successfully",
                               "retrospective_id", api->rows_value(r, 0, 0));
done:
    chr_vc_free(&vc);
    if (na != NULL)
        json_object_put(na);
    if (nt != NULL)
        json_object_put(nt);
    if (ns != NULL)
        json_object_put(ns);
    return rc;
}

/* C9 GET /v1/notes/sprint_retrospective?sprint_id=&project_id= — newest first; 404 when none.
 * Action items are the distinct (description, status) pairs ordered by description, status;
 * attendees distinct and sorted; created_at in UTC ("+00:00"). */
int chr_retro_list(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *p[2] = {chr_filter(st, req, "sprint_id"), chr_filter(st, req, "project_id")};
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(
        req, NULL,
        "SELECT sr.id::text, sr.sprint_id, sr.project_id, sr.sprint_name, "
        "to_char(sr.start_date, 'YYYY-MM-DD'), to_char(sr.end_date, 'YYYY-MM-DD'), "
        "sr.duration_weeks, sr.what_went_well, sr.what_could_be_improved, "
        "(SELECT coalesce(json_agg(json_build_object('description', ai.description, 'status', "
        "ai.status) ORDER BY ai.description, ai.status), '[]'::json) FROM (SELECT DISTINCT "
        "description, status FROM retrospective_action_items WHERE retrospective_id = sr.id) ai)"
        "::text, sr.facilitator_id, "
        "(SELECT coalesce(json_agg(ra.employee_id ORDER BY ra.employee_id), '[]'::json) "
        "FROM retrospective_attendees ra WHERE ra.retrospective_id = sr.id)::text, "
        "coalesce(sr.tasks_summary, '[]'::jsonb)::text, "
        "(sr.created_at AT TIME ZONE 'UTC')::text "
        "FROM sprint_retrospectives sr WHERE ($1::text IS NULL OR sr.sprint_id = $1) "
        "AND ($2::text IS NULL OR sr.project_id = $2) ORDER BY sr.created_at DESC, sr.id",
        2, p);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    n = api->rows_count(r);
    if (n == 0)
        return api->reply_error(req, 404,
                                "No sprint retrospective notes found for the given criteria.");
    arr = json_object_new_array_ext(n);
    for (int i = 0; i < n; i++) {
        static const char *const keys[9] = {
            "retrospective_id", "sprint_id",      "project_id",
            "sprint_name",      "start_date",     "end_date",
            "duration_weeks",   "what_went_well", "what_could_be_improved"};
        struct json_object *o = json_object_new_object();
        const char *created = api->rows_value(r, i, 13);

        for (int c = 0; c < 9; c++)
            json_object_object_add(o, keys[c],
                                   c == 6 ? chr_jint(api->rows_value(r, i, c))
                                          : chr_jstr(api->rows_value(r, i, c)));
        json_object_object_add(o, "action_items", chr_jparse(api->rows_value(r, i, 9)));
        json_object_object_add(o, "facilitator_id", chr_jstr(api->rows_value(r, i, 10)));
        json_object_object_add(o, "attendees", chr_jparse(api->rows_value(r, i, 11)));
        json_object_object_add(o, "tasks_summary", chr_jparse(api->rows_value(r, i, 12)));
        json_object_object_add(o, "created_at", chr_jstr(chr_ts_text(st, req, created, 1)));
        json_object_array_add(arr, o);
    }
    return api->reply_json(req, 200, arr);
}
