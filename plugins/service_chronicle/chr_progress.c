/* chr_progress.c — C18 (an addition): a sprint's daily progress as its daily scrum reports
 * recorded it, day by day. The orchestrator reads it when the sprint closes: a sprint that
 * finished everything before its last scrum day shows more capacity than it used. */
#include <stdlib.h>

#include "chr_internal.h"

/* C18 GET /v1/analytics/sprint/{sprint_id}/progress — one entry per report date, oldest
 * first: {"date","total_tasks","completed_tasks"} from the reports' summary_metrics (the
 * orchestrator's decision notes and reports without numeric metrics left out; two reports of
 * one date: the larger counts). 200 with "days": [] when the sprint has none. */
int chr_sprint_progress(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *sid = chr_param(st, req, "sprint_id");
    const char *p[1] = {sid};
    struct json_object *o, *days;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(
        req, NULL,
        "SELECT to_char(coalesce(report_date, created_at::date), 'YYYY-MM-DD') AS day, "
        "max(floor((summary_metrics ->> 'total_tasks')::numeric))::int, "
        "max(floor((summary_metrics ->> 'completed_tasks')::numeric))::int "
        "FROM chronicle_notes WHERE event_type = 'daily_scrum_report' AND sprint_id = $1 "
        "AND NOT coalesce(additional_data ? 'orchestration_decision_details', false) "
        "AND jsonb_typeof(summary_metrics -> 'total_tasks') = 'number' "
        "AND jsonb_typeof(summary_metrics -> 'completed_tasks') = 'number' "
        "GROUP BY 1 ORDER BY 1",
        1, p);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    n = api->rows_count(r);
    days = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        struct json_object *d = json_object_new_object();

        json_object_object_add(d, "date", chr_jstr(api->rows_value(r, i, 0)));
        json_object_object_add(d, "total_tasks", chr_jint(api->rows_value(r, i, 1)));
        json_object_object_add(d, "completed_tasks", chr_jint(api->rows_value(r, i, 2)));
        json_object_array_add(days, d);
    }
    o = json_object_new_object();
    json_object_object_add(o, "sprint_id", json_object_new_string(sid));
    json_object_object_add(o, "days", days);
    return api->reply_json(req, 200, o);
}
