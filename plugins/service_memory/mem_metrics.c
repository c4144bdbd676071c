/* mem_metrics.c — agent_memory_metrics: one row per store / search / backfill (written by
 * those handlers), GET /v1/memory/metrics (rows) and GET /v1/memory/metrics/summary. */
#include "mem_internal.h"

void mem_metric(mem_state_t *st, dsm_req_t *req, const char *op, int latency_ms, int results,
                const char *project_id, long episode_count, double memory_mb, int exact)
{
    const dsm_api_t *api = st->api;
    const char *params[7] = {
        op,
        api->psprintf(req, "%d", latency_ms),
        api->psprintf(req, "%d", results),
        exact ? "1.0" : NULL,
        memory_mb > 0 ? api->psprintf(req, "%.3f", memory_mb) : NULL,
        project_id,
        episode_count >= 0 ? api->psprintf(req, "%ld", episode_count) : NULL,
    };

    if (api->db_exec(req, MEM_DB,
                     "INSERT INTO agent_memory_metrics (operation_type, latency_ms, results_count, "
                     "recall_accuracy, memory_usage_mb, project_id, episode_count) "
                     "VALUES ($1, $2::int, $3::int, $4::float8, $5::float8, $6, $7::int)",
                     7, params) == NULL)
        api->log(req, "warn", "memory_metric", api->db_errmsg(req), NULL);
}

/* GET /v1/memory/metrics?operation_type=&project_id=&limit=100 — newest first. */
int mem_metrics_list(void *state, dsm_req_t *req)
{
    static const char *const num_cols[] = {"recall_accuracy", "precision", "memory_usage_mb",
                                           "cpu_percent"};
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[3] = {NULL, NULL, NULL};
    int64_t limit = 100;
    struct json_object *arr, *o;
    dsm_rows_t *r;
    int n;

    api->v_str(req, "query", "operation_type", 0, &params[0]);
    api->v_str(req, "query", "project_id", 0, &params[1]);
    if (api->v_int(req, "query", "limit", 0, &limit) > 0)
        mem_check_range(st, req, "query", "limit", (double)limit, 1, 1000);
    if (api->v_failed(req))
        return DSM_OK;
    params[2] = api->psprintf(req, "%lld", (long long)limit);
    r = api->db_exec(req, MEM_DB,
                     "SELECT metric_id, \"timestamp\", operation_type, latency_ms, results_count, "
                     "recall_accuracy, precision, memory_usage_mb, cpu_percent, project_id, "
                     "episode_count, strategy_count FROM agent_memory_metrics "
                     "WHERE ($1::text IS NULL OR operation_type = $1) "
                     "AND ($2::text IS NULL OR project_id = $2) "
                     "ORDER BY \"timestamp\" DESC, metric_id LIMIT $3::int",
                     3, params);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        struct json_object *m = json_object_new_object();

        json_object_object_add(m, "metric_id", mem_jstr(api->rows_value(r, i, 0)));
        json_object_object_add(m, "timestamp", mem_jts(st, req, api->rows_value(r, i, 1)));
        json_object_object_add(m, "operation_type", mem_jstr(api->rows_value(r, i, 2)));
        json_object_object_add(m, "latency_ms", mem_jint(api->rows_value(r, i, 3)));
        json_object_object_add(m, "results_count", mem_jint(api->rows_value(r, i, 4)));
        for (int c = 0; c < 4; c++)
            json_object_object_add(m, num_cols[c], mem_jnum(api->rows_value(r, i, 5 + c)));
        json_object_object_add(m, "project_id", mem_jstr(api->rows_value(r, i, 9)));
        json_object_object_add(m, "episode_count", mem_jint(api->rows_value(r, i, 10)));
        json_object_object_add(m, "strategy_count", mem_jint(api->rows_value(r, i, 11)));
        json_object_array_add(arr, m);
    }
    o = json_object_new_object();
    json_object_object_add(o, "metrics", arr);
    json_object_object_add(o, "count", json_object_new_int(n));
    return api->reply_json(req, 200, o);
}

/* GET /v1/memory/metrics/summary?minutes=60 — per operation over the window: count, average,
 * p50, p95 and max latency (ms), average results. */
int mem_metrics_summary(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    int64_t minutes = 60;
    const char *params[1];
    struct json_object *ops, *o;
    dsm_rows_t *r;
    int n;

    if (api->v_int(req, "query", "minutes", 0, &minutes) > 0)
        mem_check_range(st, req, "query", "minutes", (double)minutes, 1, 525600);
    if (api->v_failed(req))
        return DSM_OK;
    params[0] = api->psprintf(req, "%lld", (long long)minutes);
    r = api->db_exec(req, MEM_DB,
                     "SELECT operation_type, count(*), avg(latency_ms), "
                     "percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms), "
                     "percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), max(latency_ms), "
                     "avg(results_count) FROM agent_memory_metrics "
                     "WHERE \"timestamp\" >= now() - make_interval(mins => $1::int) "
                     "GROUP BY operation_type ORDER BY operation_type",
                     1, params);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    n = api->rows_count(r);
    ops = json_object_new_object();
    for (int i = 0; i < n; i++) {
        struct json_object *m = json_object_new_object();

        json_object_object_add(m, "count", mem_jint(api->rows_value(r, i, 1)));
        json_object_object_add(m, "avg_latency_ms", mem_jnum(api->rows_value(r, i, 2)));
        json_object_object_add(m, "p50_latency_ms", mem_jnum(api->rows_value(r, i, 3)));
        json_object_object_add(m, "p95_latency_ms", mem_jnum(api->rows_value(r, i, 4)));
        json_object_object_add(m, "max_latency_ms", mem_jint(api->rows_value(r, i, 5)));
        json_object_object_add(m, "avg_results", mem_jnum(api->rows_value(r, i, 6)));
        json_object_object_add(ops, api->rows_value(r, i, 0) ? api->rows_value(r, i, 0) : "null", m);
    }
    o = json_object_new_object();
    json_object_object_add(o, "window_minutes", json_object_new_int64(minutes));
    json_object_object_add(o, "operations", ops);
    return api->reply_json(req, 200, o);
}
