/*
 * chr_impact.c — C17 decision impact: the orchestration decisions of a project in a time window
 * (daily-scrum notes carrying orchestration_decision_details, and decision audits of C7), one
 * per sprint, joined with the outcome of that sprint (its retrospective), grouped by the
 * decision's real decision_source (intelligence-enhanced vs rule-based).
 */
#include <stdlib.h>
#include <string.h>

#include "chr_internal.h"

/* Optional query datetime → naive UTC; 1 given, 0 absent, -1 problem recorded. */
static int query_dt(const chr_state_t *st, dsm_req_t *req, const char *field, chr_dt_t *out)
{
    const dsm_api_t *api = st->api;
    const char *v = api->req_query(req, field), *why = "invalid format";
    chr_dt_t dt;

    if (v == NULL)
        return 0;
    if (chr_dt_parse(v, &dt, &why) != 0) {
        struct json_object *in = json_object_new_string(v);

        api->v_problem(req, "query", field, "datetime_from_date_parsing",
                       api->psprintf(req, "Input should be a valid datetime or date, %s", why), in);
        json_object_put(in);
        return -1;
    }
    chr_dt_to_utc(&dt, out);
    return 1;
}

/* A UTC instant "YYYY-MM-DD HH:MM:SS.ffffff+00" for a ::timestamptz parameter (compared with
 * created_at, a naive timestamp in the session's time zone, after ::timestamp). */
static const char *sql_ts(const chr_state_t *st, dsm_req_t *req, const chr_dt_t *dt)
{
    return st->api->psprintf(req, "%04d-%02d-%02d %02d:%02d:%02d.%06d+00", dt->y, dt->mo, dt->d,
                             dt->h, dt->mi, dt->s, dt->us);
}

/* Its UTC calendar date, compared with the retrospectives' start_date. */
static const char *sql_date(const chr_state_t *st, dsm_req_t *req, const chr_dt_t *dt)
{
    return st->api->psprintf(req, "%04d-%02d-%02d", dt->y, dt->mo, dt->d);
}

static const char *iso(const chr_state_t *st, dsm_req_t *req, const chr_dt_t *dt)
{
    char buf[48];

    chr_dt_iso(dt, 0, buf, sizeof(buf));
    return st->api->pstrdup(req, buf);
}

/* Accumulated outcomes of one group of decisions. */
typedef struct {
    size_t n;        /* decisions with an outcome */
    double rate_sum; /* Σ completion rate */
    size_t n_eff;    /* outcomes with a duration */
    double eff_sum;  /* Σ completed tasks per week */
} chr_group_t;

/* clang-format off */
#define CHR_IMPACT_SQL                                                                            \
    "WITH dec AS ("                                                                               \
    "SELECT n.id::text AS audit_id, n.project_id, n.sprint_id, n.created_at, 1 AS kind, "         \
    "n.additional_data -> 'orchestration_decision_details' ->> 'decision_type' AS dtype, "        \
    "n.additional_data -> 'orchestration_decision_details' ->> 'decision_source' AS dsource, "    \
    CHR_SQL_OBJ("n.additional_data -> 'orchestration_decision_details' -> "                       \
                "'intelligence_adjustments'") " AS adj "                                          \
    "FROM chronicle_notes n WHERE n.event_type = 'daily_scrum_report' AND n.project_id = $1 "     \
    "AND jsonb_typeof(n.additional_data -> 'orchestration_decision_details') = 'object' "         \
    "AND n.created_at BETWEEN $2::timestamptz::timestamp AND $3::timestamptz::timestamp "         \
    "AND n.sprint_id <> '' "                                                                      \
    "UNION ALL "                                                                                  \
    "SELECT coalesce(n.additional_data ->> 'audit_id', n.id::text), n.project_id, "               \
    "coalesce(n.sprint_id, n.additional_data ->> 'sprint_id'), n.created_at, 0, "                 \
    "CASE WHEN n.additional_data -> 'final_decision' ->> 'create_new_sprint' = 'true' "           \
    "THEN 'CREATE_NEW_SPRINT' END, n.additional_data -> 'final_decision' ->> 'decision_source', " \
    CHR_SQL_OBJ("n.additional_data -> 'applied_adjustments'") " "                                 \
    "FROM chronicle_notes n WHERE n.event_type = 'orchestration_decision_audit' "                 \
    "AND n.project_id = $1 AND jsonb_typeof(n.additional_data -> 'final_decision') = 'object' "   \
    "AND NOT coalesce(n.additional_data ? 'stream_id', false) "                                   \
    "AND n.created_at BETWEEN $2::timestamptz::timestamp AND $3::timestamptz::timestamp "         \
    "AND coalesce(n.sprint_id, n.additional_data ->> 'sprint_id') <> ''), "                       \
    "pick AS (SELECT DISTINCT ON (sprint_id) * FROM dec ORDER BY sprint_id, "                     \
    "(dtype = 'CREATE_NEW_SPRINT') DESC NULLS LAST, kind, created_at), "                          \
    "outc AS (SELECT r.sprint_id, r.end_date - r.start_date AS days, r.task_stats[1] AS total, "  \
    "r.task_stats[2] AS done FROM sprint_retrospectives r "                                       \
    "WHERE r.project_id = $1 AND r.start_date BETWEEN $4::date AND $5::date) "                    \
    "SELECT p.audit_id, p.project_id, p.sprint_id, coalesce(p.dsource, 'unknown'), "              \
    "p.created_at::text, p.adj::text, o.sprint_id IS NOT NULL, o.total, o.done, o.days "          \
    "FROM pick p LEFT JOIN outc o ON o.sprint_id = p.sprint_id ORDER BY p.created_at, p.sprint_id"
/* clang-format on */

/* One detail object from row i; adds its outcome to the group it belongs to. */
static struct json_object *detail(const chr_state_t *st, dsm_req_t *req, const dsm_rows_t *r, int i,
                                  chr_group_t *intel, chr_group_t *rule)
{
    const dsm_api_t *api = st->api;
    const char *src = api->rows_value(r, i, 3), *days = api->rows_value(r, i, 9);
    struct json_object *o = json_object_new_object();
    chr_group_t *g = chr_intel_source(src) ? intel : rule;
    int64_t total, done;
    double rate;

    json_object_object_add(o, "audit_id", chr_jstr(api->rows_value(r, i, 0)));
    json_object_object_add(o, "project_id", chr_jstr(api->rows_value(r, i, 1)));
    json_object_object_add(o, "sprint_id", chr_jstr(api->rows_value(r, i, 2)));
    json_object_object_add(o, "decision_source", chr_jstr(src));
    json_object_object_add(o, "timestamp", chr_jts(st, req, api->rows_value(r, i, 4)));
    json_object_object_add(o, "intelligence_adjustments", chr_jparse(api->rows_value(r, i, 5)));
    if (api->rows_value(r, i, 6)[0] != 't') {
        json_object_object_add(o, "completion_rate", NULL);
        json_object_object_add(o, "success", NULL);
        json_object_object_add(o, "notes",
                               json_object_new_string("Outcome data not yet available."));
        return o;
    }
    total = strtoll(api->rows_value(r, i, 7), NULL, 10);
    done = strtoll(api->rows_value(r, i, 8), NULL, 10);
    rate = total > 0 ? (double)done / (double)total : 0.0;
    g->n++;
    g->rate_sum += rate;
    if (days != NULL && atol(days) > 0) {
        g->n_eff++;
        g->eff_sum += (double)done / (atol(days) / 7.0);
    }
    json_object_object_add(o, "completion_rate", chr_jfloat(chr_round(rate, 2)));
    json_object_object_add(o, "success", json_object_new_boolean(rate >= 0.8));
    json_object_object_add(o, "actual_duration_weeks",
                           days != NULL ? chr_jfloat(atol(days) / 7.0) : NULL);
    json_object_object_add(o, "actual_task_count", json_object_new_int64(total));
    return o;
}

/* C17 GET /v1/analytics/decisions/impact/{project_id}?start_date=&end_date= — optional ISO
 * datetimes (a bare date is midnight; an offset is converted to UTC); end defaults to UTC now,
 * start to end - 30 days; start after end → 422. Never 404. */
int chr_impact(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    chr_dt_t start, end;
    int has_start = query_dt(st, req, "start_date", &start);
    int has_end = query_dt(st, req, "end_date", &end);
    chr_group_t intel = {0, 0, 0, 0}, rule = {0, 0, 0, 0};
    struct json_object *o, *period, *details;
    const char *p[5];
    double ia, ra;
    dsm_rows_t *r;
    int n;

    if (api->v_failed(req))
        return DSM_OK;
    if (!has_end && chr_dt_parse(api->utcnow_iso(req), &end, NULL) != 0)
        return api->reply_error(req, 500, "Internal Server Error");
    if (!has_start)
        chr_dt_add_days(&end, -30, &start);
    if (chr_dt_cmp(&start, &end) > 0) {
        struct json_object *in = json_object_new_string(api->req_query(req, "start_date"));

        api->v_problem(req, "query", "start_date", "value_error",
                       "Value error, start_date must not be after end_date", in);
        json_object_put(in);
        api->v_failed(req);
        return DSM_OK;
    }
    p[0] = chr_param(st, req, "project_id");
    p[1] = sql_ts(st, req, &start);
    p[2] = sql_ts(st, req, &end);
    p[3] = sql_date(st, req, &start);
    p[4] = sql_date(st, req, &end);
    r = api->db_exec(req, NULL, CHR_IMPACT_SQL, 5, p);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    n = api->rows_count(r);
    details = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(details, detail(st, req, r, i, &intel, &rule));

    ia = intel.n > 0 ? intel.rate_sum / (double)intel.n : 0.0;
    ra = rule.n > 0 ? rule.rate_sum / (double)rule.n : 0.0;
    o = json_object_new_object();
    period = json_object_new_object();
    json_object_object_add(period, "start_date", chr_jstr(iso(st, req, &start)));
    json_object_object_add(period, "end_date", chr_jstr(iso(st, req, &end)));
    json_object_object_add(o, "time_period", period);
    json_object_object_add(o, "total_decisions_analyzed", json_object_new_int(n));
    json_object_object_add(o, "intelligence_enhanced_decisions",
                           json_object_new_int64((int64_t)intel.n));
    json_object_object_add(o, "rule_based_decisions", json_object_new_int64((int64_t)rule.n));
    json_object_object_add(o, "intelligence_completion_rate_avg", chr_jfloat(chr_round(ia, 3)));
    json_object_object_add(o, "rule_based_completion_rate_avg", chr_jfloat(chr_round(ra, 3)));
    json_object_object_add(o, "completion_rate_improvement_percent",
                           chr_jfloat(chr_improvement_pct(ia, intel.n, ra, rule.n)));
    json_object_object_add(
        o, "task_efficiency_improvement_percent",
        chr_jfloat(chr_improvement_pct(
            intel.n_eff > 0 ? intel.eff_sum / (double)intel.n_eff : 0, intel.n_eff,
            rule.n_eff > 0 ? rule.eff_sum / (double)rule.n_eff : 0, rule.n_eff)));
    json_object_object_add(o, "resource_utilization_improvement_percent", chr_jfloat(0.0));
    json_object_object_add(o, "details", details);
    return api->reply_json(req, 200, o);
}
