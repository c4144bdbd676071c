/* chr_stats.c — analytics from stored history: C12 system summary, C13 project patterns,
 * C15 impediment frequencies with their resolution status. Computed on every call (no cache). */
#include <stdlib.h>

#include "chr_internal.h"

/* C12 GET /v1/analytics/metrics/summary */
int chr_metrics_summary(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *o;
    int64_t open_items, total_items;
    dsm_rows_t *r;

    r = api->db_exec(
        req, NULL,
        "SELECT (SELECT count(*) FROM (SELECT project_id FROM chronicle_notes "
        "WHERE project_id <> '' UNION SELECT project_id FROM sprint_retrospectives "
        "WHERE project_id <> '') p), "
        "(SELECT count(*) FROM (SELECT sprint_id FROM chronicle_notes WHERE sprint_id <> '' "
        "UNION SELECT sprint_id FROM sprint_retrospectives WHERE sprint_id <> '') s), "
        "(SELECT count(*) FROM chronicle_notes WHERE event_type = 'daily_scrum_report' AND NOT "
        "coalesce(additional_data ? 'orchestration_decision_details', false)), "
        "(SELECT count(*) FROM sprint_retrospectives), "
        "(SELECT count(*) FROM retrospective_action_items), "
        "(SELECT count(*) FROM retrospective_action_items WHERE lower(status) = 'open')",
        0, NULL);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    total_items = strtoll(api->rows_value(r, 0, 4), NULL, 10);
    open_items = strtoll(api->rows_value(r, 0, 5), NULL, 10);
    o = json_object_new_object();
    json_object_object_add(o, "total_projects", chr_jint(api->rows_value(r, 0, 0)));
    json_object_object_add(o, "total_sprints", chr_jint(api->rows_value(r, 0, 1)));
    json_object_object_add(o, "total_daily_scrum_reports", chr_jint(api->rows_value(r, 0, 2)));
    json_object_object_add(o, "total_retrospectives", chr_jint(api->rows_value(r, 0, 3)));
    json_object_object_add(o, "total_action_items", json_object_new_int64(total_items));
    json_object_object_add(o, "overall_system_health",
                           json_object_new_string(chr_health(open_items, total_items)));
    json_object_object_add(o, "summary_analysis",
                           json_object_new_string("Aggregated metrics across all DSM projects, "
                                                  "providing a high-level overview of activity "
                                                  "and historical data."));
    return api->reply_json(req, 200, o);
}

/* {text: count} from rows [from, to) of (kind, text, count), in row order. */
static struct json_object *count_map(const dsm_api_t *api, const dsm_rows_t *r, int from, int to)
{
    struct json_object *o = json_object_new_object();

    for (int i = from; i < to; i++) {
        const char *k = api->rows_value(r, i, 1);

        if (k != NULL)
            json_object_object_add(o, k, chr_jint(api->rows_value(r, i, 2)));
    }
    return o;
}

/* C13 GET /v1/analytics/project/{project_id}/patterns — never 404 (zeros for an unknown id).
 * One statement (one snapshot), chronicle_project_patterns() of sql/chronicle_db/006: rows
 * (kind, text, n1, n2, n3), kind 0 = the counts (daily scrums, retrospectives, tasks completed),
 * 1 = an impediment and how often it was reported, 2 = a retrospective action item and how
 * often; each kind by count, then text. */
int chr_patterns(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = chr_param(st, req, "project_id");
    const char *p[2] = {pid, chr_no_impediment_array()};
    struct json_object *o, *m;
    dsm_rows_t *r;
    int n, imp_end = 1;

    r = api->db_exec(req, NULL, "SELECT * FROM chronicle_project_patterns($1, $2::text[])", 2, p);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    n = api->rows_count(r);
    if (n < 1 || api->rows_value(r, 0, 0)[0] != '0')
        return api->reply_error(req, 500, "Internal Server Error");
    while (imp_end < n && api->rows_value(r, imp_end, 0)[0] == '1')
        imp_end++;

    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    m = json_object_new_object();
    json_object_object_add(m, "daily_scrum_count", chr_jint(api->rows_value(r, 0, 2)));
    json_object_object_add(m, "retrospective_count", chr_jint(api->rows_value(r, 0, 3)));
    json_object_object_add(m, "total_tasks_completed_in_daily_scrums",
                           chr_jint(api->rows_value(r, 0, 4)));
    json_object_object_add(o, "metrics", m);
    json_object_object_add(o, "common_impediments_reported", count_map(api, r, 1, imp_end));
    json_object_object_add(o, "common_retrospective_action_items", count_map(api, r, imp_end, n));
    json_object_object_add(
        o, "patterns_analysis_summary",
        chr_jstr(api->psprintf(req,
                               "Detailed analysis of project patterns for %s based on %s daily "
                               "scrums and %s retrospectives.",
                               pid, api->rows_value(r, 0, 2), api->rows_value(r, 0, 3))));
    return api->reply_json(req, 200, o);
}

/* C15 GET /v1/analytics/project/{project_id}/impediments — impediments reported in daily
 * scrums: how often each text was reported, and per report whether it is "resolved" (the same
 * task of the same sprint was reported without impediment on a later day) or still "open". */
int chr_impediments(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = chr_param(st, req, "project_id");
    const char *p[2] = {pid, chr_no_impediment_array()};
    struct json_object *o, *freq, *status;
    dsm_rows_t *r;

    r = api->db_exec(
        req, NULL,
        CHR_SQL_DAILY_TASKS("project_id = $1") ", mk AS (SELECT dt.*, " CHR_SQL_NO_IMP(
            "dt.imp", "$2") " AS clear FROM dt), "
                            "fl AS (SELECT imp, clear, coalesce(task_id IS NOT NULL AND day < "
                            "max(day) FILTER "
                            "(WHERE clear) OVER (PARTITION BY sprint_id, task_id), false) AS "
                            "resolved FROM mk) "
                            "SELECT imp, count(*), count(*) FILTER (WHERE NOT resolved), "
                            "count(*) FILTER (WHERE resolved) FROM fl WHERE NOT clear GROUP BY imp "
                            "ORDER BY count(*) DESC, imp",
        2, p);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    freq = json_object_new_object();
    status = json_object_new_object();
    for (int i = 0; i < api->rows_count(r); i++) {
        const char *k = api->rows_value(r, i, 0);
        struct json_object *s = json_object_new_object();
        const char *open = api->rows_value(r, i, 2), *resolved = api->rows_value(r, i, 3);

        json_object_object_add(freq, k, chr_jint(api->rows_value(r, i, 1)));
        if (strtoll(open, NULL, 10) > 0)
            json_object_object_add(s, "open", chr_jint(open));
        if (strtoll(resolved, NULL, 10) > 0)
            json_object_object_add(s, "resolved", chr_jint(resolved));
        json_object_object_add(status, k, s);
    }
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "impediment_frequency", freq);
    json_object_object_add(o, "impediment_status_counts", status);
    json_object_object_add(o, "impediment_analysis_summary",
                           json_object_new_string("Analysis of common impediments and their "
                                                  "resolution status."));
    return api->reply_json(req, 200, o);
}
