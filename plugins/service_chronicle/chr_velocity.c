/* chr_velocity.c — C14 velocity trend: completed tasks per sprint from the retrospectives. */
#include <stdlib.h>

#include "chr_internal.h"

/* C14 GET /v1/analytics/project/{project_id}/velocity — sprints by start date (undated last);
 * completed = tasks_summary items with a done status or progress >= 100 (task_stats[2], kept by
 * sql/chronicle_db/008); average over every retrospective, 2 decimals. */
int chr_velocity(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = chr_param(st, req, "project_id");
    const char *p[1] = {pid};
    struct json_object *o, *trend;
    double total = 0;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL,
                     "SELECT r.sprint_id, to_char(r.start_date, 'YYYY-MM-DD'), "
                     "to_char(r.end_date, 'YYYY-MM-DD'), r.task_stats[2] "
                     "FROM sprint_retrospectives r WHERE r.project_id = $1 "
                     "ORDER BY r.start_date NULLS LAST, r.created_at, r.sprint_id",
                     1, p);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    n = api->rows_count(r);
    trend = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        struct json_object *s = json_object_new_object();

        json_object_object_add(s, "sprint_id", chr_jstr(api->rows_value(r, i, 0)));
        json_object_object_add(s, "start_date", chr_jstr(api->rows_value(r, i, 1)));
        json_object_object_add(s, "end_date", chr_jstr(api->rows_value(r, i, 2)));
        json_object_object_add(s, "completed_tasks", chr_jint(api->rows_value(r, i, 3)));
        total += strtod(api->rows_value(r, i, 3), NULL);
        json_object_array_add(trend, s);
    }
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "velocity_trend_data", trend);
    json_object_object_add(o, "average_velocity",
                           chr_jfloat(n > 0 ? chr_round(total / n, 2) : 0.0));
    json_object_object_add(o, "velocity_analysis",
                           json_object_new_string("Analysis of tasks completed per sprint over "
                                                  "time."));
    return api->reply_json(req, 200, o);
}
