/*
 * mem_performance.c — strategy_performance_log: append a row for a strategy applied to an
 * episode, list a strategy's rows, update a row when the outcome is known. When a quality
 * arrives without performance_delta, the delta is quality - predicted_outcome.expected_quality
 * (orchestrator.md §5.4) if the prediction has that number.
 */
#include <string.h>

#include "mem_internal.h"

#define MEM_PERF_COLS                                                                              \
    "log_id, strategy_id, episode_id, project_id, application_timestamp, predicted_outcome, "      \
    "actual_outcome, outcome_quality, strategy_confidence, context_similarity, "                   \
    "performance_delta, created_at, updated_at"

static struct json_object *perf_json(mem_state_t *st, dsm_req_t *req, const dsm_rows_t *r, int row)
{
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object();

#define V(i) api->rows_value(r, row, (i))
    json_object_object_add(o, "log_id", mem_jstr(V(0)));
    json_object_object_add(o, "strategy_id", mem_jstr(V(1)));
    json_object_object_add(o, "episode_id", mem_jstr(V(2)));
    json_object_object_add(o, "project_id", mem_jstr(V(3)));
    json_object_object_add(o, "application_timestamp", mem_jts(st, req, V(4)));
    json_object_object_add(o, "predicted_outcome", mem_jjson(V(5)));
    json_object_object_add(o, "actual_outcome", mem_jjson(V(6)));
    json_object_object_add(o, "outcome_quality", mem_jnum(V(7)));
    json_object_object_add(o, "strategy_confidence", mem_jnum(V(8)));
    json_object_object_add(o, "context_similarity", mem_jnum(V(9)));
    json_object_object_add(o, "performance_delta", mem_jnum(V(10)));
    json_object_object_add(o, "created_at", mem_jts(st, req, V(11)));
    json_object_object_add(o, "updated_at", mem_jts(st, req, V(12)));
#undef V
    return o;
}

static const char *opt_num(mem_state_t *st, dsm_req_t *req, int present, double v)
{
    return present > 0 ? mem_num_text(st, req, v) : NULL;
}

/* POST /v1/memory/strategies/{strategy_id}/performance — body {"episode_id" (required),
 * "project_id" (required), "strategy_confidence" 0..1 (required), "predicted_outcome" {...},
 * "actual_outcome" {...}, "outcome_quality" 0..1, "context_similarity" 0..1,
 * "performance_delta"} → 201 with the row; 404 for an unknown strategy or episode. */
int mem_perf_create(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    mem_obj_t o = {st, req, api->req_body(req), ""};
    const char *p[9] = {0};
    struct json_object *pred = NULL, *actual = NULL;
    double q = 0, conf = 0, sim = 0, delta = 0;
    int hq, hc, hs, hd;
    dsm_rows_t *r;

    p[0] = mem_path_uuid(st, req, "strategy_id");
    mem_f_uuid(&o, "episode_id", 1, &p[1]);
    mem_f_str(&o, "project_id", 1, MEM_MAX_LOG_PROJECT, &p[2]);
    mem_f_json(&o, "predicted_outcome", 0, 0, &pred);
    mem_f_json(&o, "actual_outcome", 0, 0, &actual);
    hq = mem_f_num(&o, "outcome_quality", 0, 0.0, 1.0, &q);
    hc = mem_f_num(&o, "strategy_confidence", 1, 0.0, 1.0, &conf);
    hs = mem_f_num(&o, "context_similarity", 0, 0.0, 1.0, &sim);
    hd = mem_f_num(&o, "performance_delta", 0, -1e300, 1e300, &delta);
    if (api->v_failed(req))
        return DSM_OK;
    p[3] = mem_json_text(st, req, pred);
    p[4] = mem_json_text(st, req, actual);
    p[5] = opt_num(st, req, hq, q);
    p[6] = opt_num(st, req, hc, conf);
    p[7] = opt_num(st, req, hs, sim);
    p[8] = opt_num(st, req, hd, delta);
    r = api->db_exec(req, MEM_DB,
                     "INSERT INTO strategy_performance_log (strategy_id, episode_id, project_id, "
                     "predicted_outcome, actual_outcome, outcome_quality, strategy_confidence, "
                     "context_similarity, performance_delta) VALUES ($1::uuid, $2::uuid, $3, "
                     "$4::jsonb, $5::jsonb, $6::float8, $7::float8, $8::float8, "
                     "COALESCE($9::float8, CASE WHEN jsonb_typeof($4::jsonb->'expected_quality') = "
                     "'number' THEN $6::float8 - ($4::jsonb->>'expected_quality')::float8 END)) "
                     "RETURNING " MEM_PERF_COLS,
                     9, p);
    if (r == NULL) {
        const char *msg = api->db_errmsg(req);

        if (strcmp(api->db_sqlstate(req), "23503") == 0 && msg != NULL) {
            if (strstr(msg, "strategy_id_fkey") != NULL)
                return api->reply_error(req, 404, "Strategy %s not found", p[0]);
            if (strstr(msg, "episode_id_fkey") != NULL)
                return api->reply_error(req, 404, "Episode %s not found", p[1]);
        }
        return mem_db_fail(st, req, 0);
    }
    return api->reply_json(req, 201, perf_json(st, req, r, 0));
}

/* GET /v1/memory/strategies/{strategy_id}/performance?days=30&limit=100 — newest first.
 * {"strategy_id", "days", "performance": [...], "count"}; 404 for an unknown strategy. */
int mem_perf_list(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *p[3] = {mem_path_uuid(st, req, "strategy_id"), "30", "100"};
    int64_t days = 30, limit = 100;
    struct json_object *arr, *o;
    dsm_rows_t *r;
    int n;

    if (api->v_int(req, "query", "days", 0, &days) > 0)
        mem_check_range(st, req, "query", "days", (double)days, 1, 36500);
    if (api->v_int(req, "query", "limit", 0, &limit) > 0)
        mem_check_range(st, req, "query", "limit", (double)limit, 1, 1000);
    if (api->v_failed(req))
        return DSM_OK;
    p[1] = api->psprintf(req, "%lld", (long long)days);
    p[2] = api->psprintf(req, "%lld", (long long)limit);
    r = api->db_exec(req, MEM_DB, "SELECT 1 FROM agent_knowledge WHERE knowledge_id = $1::uuid",
                     1, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Strategy %s not found", p[0]);
    r = api->db_exec(req, MEM_DB,
                     "SELECT " MEM_PERF_COLS " FROM strategy_performance_log "
                     "WHERE strategy_id = $1::uuid "
                     "AND application_timestamp >= now() - make_interval(days => $2::int) "
                     "ORDER BY application_timestamp DESC, log_id LIMIT $3::int",
                     3, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, perf_json(st, req, r, i));
    o = json_object_new_object();
    json_object_object_add(o, "strategy_id", json_object_new_string(p[0]));
    json_object_object_add(o, "days", json_object_new_int64(days));
    json_object_object_add(o, "performance", arr);
    json_object_object_add(o, "count", json_object_new_int(n));
    return api->reply_json(req, 200, o);
}

/* PATCH /v1/memory/performance/{log_id} — optional "predicted_outcome", "actual_outcome",
 * "outcome_quality", "context_similarity", "performance_delta"; updated_at = now().
 * 200 with the row; 404 when unknown. */
int mem_perf_update(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    mem_obj_t o = {st, req, api->req_body(req), ""};
    const char *p[6] = {0};
    struct json_object *pred = NULL, *actual = NULL;
    double q = 0, sim = 0, delta = 0;
    int hq, hs, hd;
    dsm_rows_t *r;

    p[0] = mem_path_uuid(st, req, "log_id");
    mem_f_json(&o, "predicted_outcome", 0, 0, &pred);
    mem_f_json(&o, "actual_outcome", 0, 0, &actual);
    hq = mem_f_num(&o, "outcome_quality", 0, 0.0, 1.0, &q);
    hs = mem_f_num(&o, "context_similarity", 0, 0.0, 1.0, &sim);
    hd = mem_f_num(&o, "performance_delta", 0, -1e300, 1e300, &delta);
    if (api->v_failed(req))
        return DSM_OK;
    p[1] = mem_json_text(st, req, pred);
    p[2] = mem_json_text(st, req, actual);
    p[3] = opt_num(st, req, hq, q);
    p[4] = opt_num(st, req, hs, sim);
    p[5] = opt_num(st, req, hd, delta);
    r = api->db_exec(req, MEM_DB,
                     "UPDATE strategy_performance_log SET "
                     "predicted_outcome = COALESCE($2::jsonb, predicted_outcome), "
                     "actual_outcome = COALESCE($3::jsonb, actual_outcome), "
                     "outcome_quality = COALESCE($4::float8, outcome_quality), "
                     "context_similarity = COALESCE($5::float8, context_similarity), "
                     "performance_delta = COALESCE($6::float8, CASE WHEN $4::float8 IS NOT NULL "
                     "AND jsonb_typeof(COALESCE($2::jsonb, predicted_outcome)->'expected_quality') = "
                     "'number' THEN $4::float8 - (COALESCE($2::jsonb, predicted_outcome)->>"
                     "'expected_quality')::float8 ELSE performance_delta END), "
                     "updated_at = now() WHERE log_id = $1::uuid RETURNING " MEM_PERF_COLS,
                     6, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Performance log entry %s not found", p[0]);
    return api->reply_json(req, 200, perf_json(st, req, r, 0));
}
