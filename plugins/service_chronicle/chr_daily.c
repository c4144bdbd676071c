/* chr_daily.c — daily scrum reports: C4 record one, C8 read them back merged per date. */
#include <string.h>

#include "chr_internal.h"

static const char *const chr_metric_keys[4] = {"total_team_members", "total_tasks",
                                               "completed_tasks", "pending_tasks"};

/* SummaryMetrics: the four integers, in the model's order. */
static struct json_object *norm_metrics(chr_vc_t *vc, struct json_object *m)
{
    chr_path_t at = {NULL, "summary_metrics", 0};
    struct json_object *o = json_object_new_object();

    for (int i = 0; i < 4; i++) {
        int64_t v = 0;

        if (chr_vc_int(vc, &at, m, chr_metric_keys[i], CHR_V_REQ, &v) == 1)
            json_object_object_add(o, chr_metric_keys[i], json_object_new_int64(v));
    }
    return o;
}

/* TaskReport at *at (an element of "tasks"), normalised as the original's .dict() stores it. */
static struct json_object *norm_task(chr_vc_t *vc, const chr_path_t *at, struct json_object *t)
{
    static const char *const texts[3] = {"yesterday_work", "today_work", "impediments"};
    struct json_object *o = json_object_new_object();
    const char *id = NULL, *s;
    chr_dt_t dt;
    char iso[48];

    chr_vc_str(vc, at, t, "id", CHR_V_REQ, CHR_MAX_ID, &id);
    json_object_object_add(o, "id", chr_jstr(id));
    for (int i = 0; i < 3; i++) {
        chr_vc_str(vc, at, t, texts[i], CHR_V_NULL, CHR_MAX_TEXT, &s);
        json_object_object_add(o, texts[i], chr_jstr(s));
    }
    if (chr_vc_datetime(vc, at, t, "created_at", CHR_V_REQ, &dt) == 1) {
        chr_dt_iso(&dt, 0, iso, sizeof(iso));
        json_object_object_add(o, "created_at", json_object_new_string(iso));
    }
    return o;
}

/* EmployeeReport at *at: "assigned_to" (the alias, tried first) or "employee_id", and tasks. */
static struct json_object *norm_employee(chr_vc_t *vc, const chr_path_t *at, struct json_object *e)
{
    struct json_object *o = json_object_new_object(), *tasks = NULL, *arr;
    const char *key = chr_has(e, "assigned_to") ? "assigned_to" : "employee_id";
    const char *who = NULL;
    chr_path_t tp = {at, "tasks", 0};

    chr_vc_str(vc, at, e, key, CHR_V_NULL, CHR_MAX_ID, &who);
    json_object_object_add(o, "employee_id", chr_jstr(who));
    arr = json_object_new_array();
    if (chr_vc_list(vc, at, e, "tasks", CHR_V_REQ, &tasks) == 1) {
        for (size_t j = 0; j < json_object_array_length(tasks); j++) {
            struct json_object *t = json_object_array_get_idx(tasks, j);
            chr_path_t ti = {&tp, NULL, j};

            if (chr_vc_item_object(vc, &tp, t, j, "TaskReport") == 1)
                json_object_array_add(arr, norm_task(vc, &ti, t));
        }
    }
    json_object_object_add(o, "tasks", arr);
    return o;
}

/* reports: {"<date>": [EmployeeReport, ...]} with assigned_to renamed employee_id. */
static struct json_object *norm_reports(chr_vc_t *vc, struct json_object *reports)
{
    chr_path_t rp = {NULL, "reports", 0};
    struct json_object *out = json_object_new_object();

    json_object_object_foreach(reports, date, list)
    {
        chr_path_t dp = {&rp, date, 0};
        struct json_object *arr = json_object_new_array(), *items = NULL;

        (void)list;
        if (chr_vc_list(vc, &rp, reports, date, CHR_V_REQ, &items) == 1) {
            for (size_t i = 0; i < json_object_array_length(items); i++) {
                struct json_object *e = json_object_array_get_idx(items, i);
                chr_path_t ei = {&dp, NULL, i};

                if (chr_vc_item_object(vc, &dp, e, i, "EmployeeReport") == 1)
                    json_object_array_add(arr, norm_employee(vc, &ei, e));
            }
        }
        json_object_object_add(out, date, arr);
    }
    return out;
}

/* C4 POST /v1/notes/daily_scrum_report — 201 {"message", "note_id"}. */
int chr_daily_create(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *body = api->req_body(req);
    struct json_object *metrics = NULL, *reports = NULL, *details = NULL;
    struct json_object *nm = NULL, *nr = NULL, *ad = NULL;
    const char *p[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    char report_date[11] = "";
    chr_vc_t vc;
    dsm_rows_t *r;
    int rc = DSM_OK;

    chr_vc_init(&vc, st, req);
    api->v_str(req, "body", "project_id", DSM_V_REQUIRED, &p[0]);
    api->v_str(req, "body", "sprint_id", 0, &p[1]);
    if (api->v_date(req, "body", "report_date", 0, report_date) == 1)
        p[2] = report_date;
    api->v_str(req, "body", "summary", 0, &p[3]);
    chr_vc_object(&vc, NULL, body, "summary_metrics", CHR_V_NULL, "SummaryMetrics", &metrics);
    chr_vc_object(&vc, NULL, body, "reports", CHR_V_REQ, NULL, &reports);
    chr_vc_object(&vc, NULL, body, "orchestration_decision_details", CHR_V_NULL, NULL, &details);
    chr_check_len(st, req, "project_id", p[0], CHR_MAX_ID);
    chr_check_len(st, req, "sprint_id", p[1], CHR_MAX_ID);
    chr_check_len(st, req, "summary", p[3], CHR_MAX_TEXT);
    if (api->v_failed(req))
        goto done;
    if (metrics != NULL)
        nm = norm_metrics(&vc, metrics);
    nr = norm_reports(&vc, reports);
    if (chr_vc_reply(&vc))
        goto done;

    if (json_object_object_length(nr) > 0 ||
        (details != NULL && json_object_object_length(details) > 0)) {
        ad = json_object_new_object();
        if (json_object_object_length(nr) > 0)
            json_object_object_add(ad, "reports", json_object_get(nr));
        if (details != NULL && json_object_object_length(details) > 0)
            json_object_object_add(ad, "orchestration_decision_details", json_object_get(details));
    }
    p[4] = nm != NULL ? chr_json_text(st, req, nm) : NULL;
    p[5] = ad != NULL ? chr_json_text(st, req, ad) : NULL;
    r = api->db_exec(req, NULL,
                     "INSERT INTO chronicle_notes (event_type, project_id, sprint_id, report_date, "
                     "summary, summary_metrics, additional_data) VALUES ('daily_scrum_report', $1, "
                     "$2, $3::date, $4, $5::jsonb, $6::jsonb) RETURNING id::text",
                     6, p);
    if (r == NULL)
        rc = chr_db_fail(st, req, 0);
    else
        rc = chr_reply_created(st, req, "Daily scrum report recorded successfully", "note_id",
                               api->rows_value(r, 0, 0));
done:
    chr_vc_free(&vc);
    if (nm != NULL)
        json_object_put(nm);
    if (nr != NULL)
        json_object_put(nr);
    if (ad != NULL)
        json_object_put(ad);
    return rc;
}

/* ---------------------------------------------------------------- C8 */

/* A stored task's created_at as the response model prints it (aware UTC → "Z"). */
static struct json_object *task_created_at(struct json_object *v)
{
    chr_dt_t dt;
    char iso[48];

    if (v == NULL || !json_object_is_type(v, json_type_string) ||
        chr_dt_parse(json_object_get_string(v), &dt, NULL) != 0)
        return json_object_get(v);
    chr_dt_iso(&dt, 1, iso, sizeof(iso));
    return json_object_new_string(iso);
}

/* EmployeeReportResponse from a stored employee entry. */
static struct json_object *employee_out(struct json_object *e)
{
    static const char *const texts[3] = {"yesterday_work", "today_work", "impediments"};
    struct json_object *o = json_object_new_object(), *tasks = chr_member(e, "tasks");
    struct json_object *who = chr_member(e, "employee_id"), *arr = json_object_new_array();

    /* The original: employee_id or assigned_to (when the key exists) or "unassigned". */
    if (who == NULL || !json_object_is_type(who, json_type_string) ||
        json_object_get_string_len(who) == 0)
        who = chr_has(e, "assigned_to") ? chr_member(e, "assigned_to") : NULL;
    json_object_object_add(o, "employee_id",
                           who != NULL || chr_has(e, "assigned_to")
                               ? json_object_get(who)
                               : json_object_new_string("unassigned"));
    for (size_t j = 0; tasks != NULL && json_object_is_type(tasks, json_type_array) &&
                       j < json_object_array_length(tasks);
         j++) {
        struct json_object *t = json_object_array_get_idx(tasks, j), *to;

        if (t == NULL || !json_object_is_type(t, json_type_object))
            continue;
        to = json_object_new_object();
        json_object_object_add(to, "id", json_object_get(chr_member(t, "id")));
        for (int i = 0; i < 3; i++)
            json_object_object_add(to, texts[i], json_object_get(chr_member(t, texts[i])));
        json_object_object_add(to, "created_at", task_created_at(chr_member(t, "created_at")));
        json_object_array_add(arr, to);
    }
    json_object_object_add(o, "tasks", arr);
    return o;
}

/* Adds the employee entries of one note to the merged {date: [...]} object. */
static void merge_reports(struct json_object *merged, struct json_object *ad)
{
    struct json_object *src = chr_member(ad, "reports");

    if (src == NULL && ad != NULL && json_object_is_type(ad, json_type_object) &&
        !chr_has(ad, "reports") && !chr_has(ad, "orchestration_decision_details"))
        src = ad; /* legacy shape {date: [...]} */
    if (src == NULL || !json_object_is_type(src, json_type_object))
        return;
    json_object_object_foreach(src, date, list)
    {
        struct json_object *dst = chr_member(merged, date);

        if (list == NULL || !json_object_is_type(list, json_type_array))
            continue;
        if (dst == NULL) {
            dst = json_object_new_array();
            json_object_object_add(merged, date, dst);
        }
        for (size_t i = 0; i < json_object_array_length(list); i++) {
            struct json_object *e = json_object_array_get_idx(list, i);

            if (e != NULL && json_object_is_type(e, json_type_object))
                json_object_array_add(dst, employee_out(e));
        }
    }
}

/* The four counters of a stored summary_metrics, in the model's order; NULL when empty. */
static struct json_object *metrics_out(struct json_object *m)
{
    struct json_object *o;

    if (m == NULL || !json_object_is_type(m, json_type_object) || json_object_object_length(m) == 0)
        return NULL;
    o = json_object_new_object();
    for (int i = 0; i < 4; i++)
        json_object_object_add(o, chr_metric_keys[i],
                               json_object_get(chr_member(m, chr_metric_keys[i])));
    return o;
}

/* C8 GET /v1/notes/daily_scrum_report?sprint_id=&project_id=&daily_scrum_date= — every
 * matching note merged (report_date DESC, created_at ASC); 404 when none. */
int chr_daily_get(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *p[3] = {chr_filter(st, req, "sprint_id"), chr_filter(st, req, "project_id"), NULL};
    char day[11] = "";
    struct json_object *o, *merged, *metrics = NULL;
    const char *summary = "No Holiday or PTO reported for this daily stand-up";
    dsm_rows_t *r;
    int n;

    if (api->v_date(req, "query", "daily_scrum_date", 0, day) == 1)
        p[2] = day;
    if (api->v_failed(req))
        return DSM_OK;
    r = api->db_exec(req, NULL,
                     "SELECT project_id, sprint_id, summary, summary_metrics::text, "
                     "additional_data::text FROM chronicle_notes "
                     "WHERE event_type = 'daily_scrum_report' "
                     "AND ($1::text IS NULL OR sprint_id = $1) "
                     "AND ($2::text IS NULL OR project_id = $2) "
                     "AND ($3::date IS NULL OR report_date = $3::date) "
                     "ORDER BY report_date DESC, created_at ASC, id",
                     3, p);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    n = api->rows_count(r);
    if (n == 0)
        return api->reply_error(req, 404, "No daily scrum reports found for the given criteria.");

    merged = json_object_new_object();
    for (int i = 0; i < n; i++) {
        const char *s = api->rows_value(r, i, 2);
        struct json_object *ad;

        if (metrics == NULL) {
            struct json_object *m = chr_jparse(api->rows_value(r, i, 3));

            metrics = metrics_out(m);
            if (m != NULL)
                json_object_put(m);
        }
        if (s != NULL && s[0] != '\0')
            summary = s;
        ad = chr_jparse(api->rows_value(r, i, 4));
        merge_reports(merged, ad);
        if (ad != NULL)
            json_object_put(ad);
    }
    o = json_object_new_object();
    json_object_object_add(o, "project_id", chr_jstr(api->rows_value(r, 0, 0)));
    json_object_object_add(o, "sprint_id", chr_jstr(api->rows_value(r, 0, 1)));
    json_object_object_add(o, "created_at", chr_jstr(chr_local_now(st, req)));
    json_object_object_add(o, "summary", json_object_new_string(summary));
    json_object_object_add(o, "summary_metrics", metrics);
    json_object_object_add(o, "reports", merged);
    return api->reply_json(req, 200, o);
}
