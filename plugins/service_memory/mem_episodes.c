/* mem_episodes.c — episodes: get one, list, delete (one / a project's), record an outcome. */
#include <stdlib.h>
#include <string.h>

#include "mem_internal.h"

/* The embedding text of a row ("{...}" / "[...]") as a JSON array, or JSON null. */
static struct json_object *embedding_json(mem_state_t *st, dsm_req_t *req, const char *text)
{
    float *v = st->api->palloc(req, sizeof(float) * MEM_DIM);
    struct json_object *arr;
    long n;

    if (text == NULL || v == NULL || (n = mem_vec_parse(text, v, MEM_DIM)) < 0)
        return NULL;
    arr = json_object_new_array_ext((int)n);
    for (long i = 0; i < n; i++)
        json_object_array_add(arr, mem_jfloat(v[i]));
    return arr;
}

/* GET /v1/memory/episodes/{episode_id}?include_embedding=false — 404 when unknown. */
int mem_episode_get(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {mem_path_uuid(st, req, "episode_id")};
    int with_vec = 0;
    struct json_object *o;
    dsm_rows_t *r;

    api->v_bool(req, "query", "include_embedding", 0, &with_vec);
    if (api->v_failed(req))
        return DSM_OK;
    r = api->db_exec(req, MEM_DB,
                     with_vec ? "SELECT " MEM_EPISODE_COLS ", embedding::text FROM agent_episodes "
                                "WHERE episode_id = $1::uuid"
                              : "SELECT " MEM_EPISODE_COLS " FROM agent_episodes "
                                "WHERE episode_id = $1::uuid",
                     1, params);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Episode %s not found", params[0]);
    o = mem_episode_json(st, req, r, 0, 0);
    if (with_vec)
        json_object_object_add(o, "embedding",
                               embedding_json(st, req, api->rows_value(r, 0, MEM_EPISODE_NCOLS)));
    return api->reply_json(req, 200, o);
}

/* GET /v1/memory/episodes?project_id=&sprint_id=&since_hours=&limit=50&offset=0 — newest
 * first (timestamp DESC, then episode_id). {"episodes": [...], "count": n}. */
int mem_episode_list(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[5] = {NULL, NULL, NULL, "50", "0"};
    int64_t limit = 50, offset = 0;
    double hours = 0;
    struct json_object *arr, *o;
    dsm_rows_t *r;
    int n;

    api->v_str(req, "query", "project_id", 0, &params[0]);
    api->v_str(req, "query", "sprint_id", 0, &params[1]);
    if (api->v_float(req, "query", "since_hours", 0, &hours) > 0) {
        mem_check_range(st, req, "query", "since_hours", hours, 0.001, 1e6);
        params[2] = mem_num_text(st, req, hours);
    }
    if (api->v_int(req, "query", "limit", 0, &limit) > 0)
        mem_check_range(st, req, "query", "limit", (double)limit, 1, 1000);
    if (api->v_int(req, "query", "offset", 0, &offset) > 0)
        mem_check_range(st, req, "query", "offset", (double)offset, 0, 1e9);
    if (api->v_failed(req))
        return DSM_OK;
    params[3] = api->psprintf(req, "%lld", (long long)limit);
    params[4] = api->psprintf(req, "%lld", (long long)offset);
    r = api->db_exec(req, MEM_DB,
                     "SELECT " MEM_EPISODE_COLS " FROM agent_episodes "
                     "WHERE ($1::text IS NULL OR project_id = $1) "
                     "AND ($2::text IS NULL OR sprint_id = $2) "
                     "AND ($3::float8 IS NULL OR \"timestamp\" >= now() - make_interval(secs => $3::float8 * 3600)) "
                     "ORDER BY \"timestamp\" DESC, episode_id LIMIT $4::int OFFSET $5::int",
                     5, params);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, mem_episode_json(st, req, r, i, 0));
    o = json_object_new_object();
    json_object_object_add(o, "episodes", arr);
    json_object_object_add(o, "count", json_object_new_int(n));
    return api->reply_json(req, 200, o);
}

/* DELETE /v1/memory/episodes/{episode_id} — 200 {"deleted": id}; 404 when unknown. Its
 * strategy_performance_log rows go with it (ON DELETE CASCADE). */
int mem_episode_delete(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {mem_path_uuid(st, req, "episode_id")};
    struct json_object *o;
    dsm_rows_t *r;

    if (api->v_failed(req))
        return DSM_OK;
    r = api->db_exec(req, MEM_DB, "DELETE FROM agent_episodes WHERE episode_id = $1::uuid", 1,
                     params);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_affected(r) == 0)
        return api->reply_error(req, 404, "Episode %s not found", params[0]);
    o = json_object_new_object();
    json_object_object_add(o, "deleted", json_object_new_string(params[0]));
    return api->reply_json(req, 200, o);
}

/* DELETE /v1/memory/episodes?project_id=X — every episode of one project (retention, test
 * clean-up). 200 {"project_id": X, "deleted": n}; project_id is required. */
int mem_episode_delete_project(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {NULL};
    struct json_object *o;
    dsm_rows_t *r;

    api->v_str(req, "query", "project_id", DSM_V_REQUIRED | DSM_V_NONEMPTY, &params[0]);
    if (api->v_failed(req))
        return DSM_OK;
    r = api->db_exec(req, MEM_DB, "DELETE FROM agent_episodes WHERE project_id = $1", 1, params);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(params[0]));
    json_object_object_add(o, "deleted", json_object_new_int(api->rows_affected(r)));
    return api->reply_json(req, 200, o);
}

/* PUT /v1/memory/episodes/{episode_id}/outcome — body {"outcome": {...}, "outcome_quality":
 * 0..1 (optional)}; sets outcome_recorded_at = now(). In the same statement the episode's
 * strategy_performance_log rows that have no outcome_quality yet get this quality and
 * performance_delta = quality - predicted_outcome.expected_quality (orchestrator.md §4.7).
 * 200 with the episode + "performance_rows_updated"; 404 when unknown. */
int mem_episode_outcome(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    mem_obj_t o = {st, req, api->req_body(req), ""};
    const char *params[3] = {mem_path_uuid(st, req, "episode_id"), NULL, NULL};
    struct json_object *outcome = NULL, *res;
    double q = 0;
    dsm_rows_t *r;

    mem_f_json(&o, "outcome", 1, 0, &outcome);
    if (mem_f_num(&o, "outcome_quality", 0, 0.0, 1.0, &q) > 0)
        params[2] = mem_num_text(st, req, q);
    if (api->v_failed(req))
        return DSM_OK;
    params[1] = mem_json_text(st, req, outcome);
    r = api->db_exec(req, MEM_DB,
                     "WITH e AS (UPDATE agent_episodes SET outcome = $2::jsonb, "
                     "outcome_quality = $3::float8, outcome_recorded_at = now() "
                     "WHERE episode_id = $1::uuid RETURNING " MEM_EPISODE_COLS "), "
                     "p AS (UPDATE strategy_performance_log l SET outcome_quality = e.outcome_quality, "
                     "performance_delta = CASE WHEN jsonb_typeof(l.predicted_outcome->'expected_quality') = 'number' "
                     "THEN e.outcome_quality - (l.predicted_outcome->>'expected_quality')::float8 "
                     "ELSE l.performance_delta END, updated_at = now() "
                     "FROM e WHERE l.episode_id = e.episode_id AND l.outcome_quality IS NULL "
                     "AND e.outcome_quality IS NOT NULL RETURNING 1) "
                     "SELECT e.*, (SELECT count(*) FROM p) FROM e",
                     3, params);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Episode %s not found", params[0]);
    res = mem_episode_json(st, req, r, 0, 0);
    json_object_object_add(res, "performance_rows_updated",
                           mem_jint(api->rows_value(r, 0, MEM_EPISODE_NCOLS)));
    return api->reply_json(req, 200, res);
}
