/*
 * mem_search.c — POST /v1/memory/episodes/search: the k nearest episodes of a context.
 *
 * Body: {"context": {...}} (embedded through the canonical text, exactly as stored episodes
 * are) or {"embedding": [1024 numbers]}, exactly one of the two; "k" 1..100 (default 5);
 * "min_similarity" -1..1 (default 0: cosine similarity below it is left out); "project_id"
 * (optional filter); "with_outcome" (default false; true: only episodes whose outcome was
 * recorded — outcome or outcome_quality set — exactly the k best of those: the cache knows
 * which have one, sql/agent_memory/003). Answer 200 {"results":
 * [episode + "similarity", ...] best first,
 * "count", "k", "backend": "cache" | "pgvector", "exact", "search_ms"}. Equal similarities are
 * ordered by episode_id. Every search writes one agent_memory_metrics row ("recall_similar").
 *
 * Backends (mem_backend.c): real[] → the plugin's exact cache (mem_cache.c); pgvector →
 * ORDER BY embedding <=> $1 LIMIT k in PostgreSQL. pgvector runs exactly (index scans off, a
 * sequential scan with a top-k sort: the same results as the cache) unless
 * conf.memory.pgvector_search = hnsw, which uses the HNSW index (faster, approximate, ef_search
 * conf.memory.hnsw_ef_search).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem_internal.h"

/* Episode rows of the hits + the metrics row, in one statement. $1 uuid[] of the hits,
 * $2 latency ms, $3 hit count, $4 cache MB, $5 project filter, $6 episodes scanned. */
static const char *const cache_rows_sql =
    "WITH m AS (INSERT INTO agent_memory_metrics (operation_type, latency_ms, results_count, "
    "recall_accuracy, memory_usage_mb, project_id, episode_count) "
    "VALUES ('recall_similar', $2::int, $3::int, 1.0, $4::float8, $5, $6::int)) "
    "SELECT " MEM_EPISODE_COLS " FROM agent_episodes WHERE episode_id = ANY($1::uuid[])";

static const char *const pgvector_sql =
    "SELECT " MEM_EPISODE_COLS ", (1 - (embedding <=> $1::vector))::real AS similarity "
    "FROM agent_episodes WHERE embedding IS NOT NULL AND ($2::text IS NULL OR project_id = $2) "
    "AND 1 - (embedding <=> $1::vector) >= $3::float8 "
    "AND (NOT $5::boolean OR outcome IS NOT NULL OR outcome_quality IS NOT NULL) "
    "ORDER BY embedding <=> $1::vector, episode_id LIMIT $4::int";

typedef struct {
    struct json_object *ctx;
    float *q;
    const char *project;
    int64_t k;
    double min_sim;
    int with_outcome;
} mem_query_t;

static int parse_query(mem_state_t *st, dsm_req_t *req, mem_query_t *qy)
{
    const dsm_api_t *api = st->api;
    mem_obj_t o = {st, req, api->req_body(req), ""};
    int has_ctx, has_vec;

    qy->k = 5;
    qy->min_sim = 0.0;
    qy->q = api->palloc(req, sizeof(float) * MEM_DIM);
    if (qy->q == NULL) {
        api->reply_error(req, 500, "Internal Server Error");
        return -1;
    }
    has_ctx = mem_f_json(&o, "context", 0, 0, &qy->ctx);
    has_vec = mem_f_embedding(&o, "embedding", qy->q);
    if (has_ctx == 0 && has_vec == 0)
        mem_f_problem(&o, "context", "missing", "Field required (or give an embedding)", o.obj);
    if (has_ctx > 0 && has_vec > 0)
        mem_f_problem(&o, "embedding", "value_error",
                      "Value error, give either context or embedding, not both", NULL);
    mem_f_str(&o, "project_id", 0, MEM_MAX_PROJECT, &qy->project);
    mem_f_int(&o, "k", 0, 1, MEM_K_MAX, &qy->k);
    mem_f_num(&o, "min_similarity", 0, -1.0, 1.0, &qy->min_sim);
    mem_f_bool(&o, "with_outcome", 0, &qy->with_outcome);
    if (api->v_failed(req))
        return -1;
    return 0;
}

static struct json_object *reply_body(struct json_object *results, int n, int64_t k,
                                      const char *backend, int exact, int ms)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "results", results);
    json_object_object_add(o, "count", json_object_new_int(n));
    json_object_object_add(o, "k", json_object_new_int64(k));
    json_object_object_add(o, "backend", json_object_new_string(backend));
    json_object_object_add(o, "exact", json_object_new_boolean(exact));
    json_object_object_add(o, "search_ms", json_object_new_int(ms));
    return o;
}

/* The rows of r in the order of the hits (best first), each with its "similarity", appended
 * to results; hits without a row are skipped. Returns how many. */
static int add_rows(mem_state_t *st, dsm_req_t *req, dsm_rows_t *r, const mem_found_t *hits,
                    size_t got, struct json_object *results)
{
    const dsm_api_t *api = st->api;
    int n = api->rows_count(r), found = 0;

    for (size_t i = 0; i < got; i++) {
        for (int j = 0; j < n; j++) {
            if (strcmp(api->rows_value(r, j, 0), hits[i].episode_id) == 0) {
                struct json_object *e = mem_episode_json(st, req, r, j, 0);

                json_object_object_add(e, "similarity", mem_jfloat(hits[i].similarity));
                json_object_array_add(results, e);
                found++;
                break;
            }
        }
    }
    return found;
}

/* real[] backend: refresh + scan the cache, then read the hits' rows. A hit whose row is gone
 * (deleted between the refresh and the read) makes the search run once more. */
static int search_cache(mem_state_t *st, dsm_req_t *req, const mem_query_t *qy, int64_t t0)
{
    const dsm_api_t *api = st->api;
    mem_found_t *hits = api->palloc(req, (size_t)qy->k * sizeof(*hits));
    struct json_object *results = NULL;
    mem_cache_stats_t cs;

    if (hits == NULL)
        return api->reply_error(req, 500, "Internal Server Error");
    for (int attempt = 0; attempt < 2; attempt++) {
        size_t got, scanned = 0, len = 0;
        char *lit = api->palloc(req, (size_t)qy->k * (MEM_UUID_LEN + 1) + 3);
        const char *params[6];
        dsm_rows_t *r;
        int rc = mem_cache_refresh(st, req, t0, attempt > 0), found = 0;

        if (rc == -2 || lit == NULL)
            return api->reply_error(req, 500, "Search cache out of memory");
        if (rc != 0)
            return mem_db_fail(st, req, 0);
        got = mem_cache_search(st, req, qy->q, qy->project, qy->with_outcome,
                               qy->min_sim <= -1.0 ? -INFINITY : (float)qy->min_sim,
                               (size_t)qy->k, hits, &scanned);
        lit[len++] = '{';
        for (size_t i = 0; i < got; i++) {
            if (i > 0)
                lit[len++] = ',';
            memcpy(lit + len, hits[i].episode_id, MEM_UUID_LEN);
            len += MEM_UUID_LEN;
        }
        lit[len++] = '}';
        lit[len] = '\0';
        mem_cache_stats(st, &cs);
        params[0] = lit;
        params[1] = api->psprintf(req, "%d", mem_ms_since(st, t0));
        params[2] = api->psprintf(req, "%zu", got);
        params[3] = api->psprintf(req, "%.3f", cs.mb);
        params[4] = qy->project;
        params[5] = api->psprintf(req, "%zu", scanned);
        r = api->db_exec(req, MEM_DB, cache_rows_sql, 6, params);
        if (r == NULL)
            return mem_db_fail(st, req, 0);
        results = json_object_new_array_ext(got > 0 ? (int)got : 1);
        found = add_rows(st, req, r, hits, got, results);
        if ((size_t)found == got || attempt == 1)
            return api->reply_json(req, 200, reply_body(results, found, qy->k, "cache", 1,
                                                        mem_ms_since(st, t0)));
        json_object_put(results);
    }
    return api->reply_error(req, 500, "Internal Server Error"); /* not reached */
}

/* pgvector backend: one transaction (SET LOCAL of the scan mode + the query), then the
 * metrics row. */
static int search_pgvector(mem_state_t *st, dsm_req_t *req, const mem_query_t *qy, int64_t t0)
{
    const dsm_api_t *api = st->api;
    const char *params[5], *set[1];
    struct json_object *results;
    dsm_rows_t *r;
    int n;

    params[0] = mem_vec_literal(st, req, MEM_BACKEND_PGVECTOR, qy->q);
    params[1] = qy->project;
    params[2] = mem_num_text(st, req, qy->min_sim);
    params[3] = api->psprintf(req, "%lld", (long long)qy->k);
    params[4] = qy->with_outcome ? "true" : "false";
    if (params[0] == NULL)
        return api->reply_error(req, 500, "Internal Server Error");
    if (api->db_begin(req, MEM_DB) != DSM_OK)
        return mem_db_fail(st, req, 0);
    if (st->pgvector_hnsw) {
        set[0] = api->psprintf(req, "%d", st->hnsw_ef_search);
        r = api->db_exec(req, MEM_DB, "SELECT set_config('hnsw.ef_search', $1, true)", 1, set);
    } else {
        r = api->db_exec(req, MEM_DB, "SELECT set_config('enable_indexscan', 'off', true)", 0, NULL);
    }
    if (r == NULL || (r = api->db_exec(req, MEM_DB, pgvector_sql, 5, params)) == NULL)
        return mem_db_fail(st, req, 1);
    if (api->db_commit(req, MEM_DB) != DSM_OK)
        return mem_db_fail(st, req, 0);
    n = api->rows_count(r);
    results = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        struct json_object *e = mem_episode_json(st, req, r, i, 0);
        const char *sim = api->rows_value(r, i, MEM_EPISODE_NCOLS);

        json_object_object_add(e, "similarity", mem_jfloat(sim != NULL ? strtof(sim, NULL) : 0.0f));
        json_object_array_add(results, e);
    }
    mem_metric(st, req, "recall_similar", mem_ms_since(st, t0), n, qy->project, -1, 0.0,
               !st->pgvector_hnsw);
    return api->reply_json(req, 200, reply_body(results, n, qy->k, "pgvector", !st->pgvector_hnsw,
                                                mem_ms_since(st, t0)));
}

int mem_episode_search(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    int64_t t0 = st->api->now_ns();
    mem_query_t qy = {0};
    mem_backend_e be;
    const char *err = NULL;

    if (parse_query(st, req, &qy) != 0)
        return DSM_OK;
    be = mem_backend(st, req);
    if (be == MEM_BACKEND_UNKNOWN)
        return mem_db_fail(st, req, 0);
    if (qy.ctx != NULL && mem_embed_context(st, req, qy.ctx, qy.q, &err) != 0)
        return mem_embed_fail(st, req, err);
    if (be == MEM_BACKEND_PGVECTOR)
        return search_pgvector(st, req, &qy, t0);
    return search_cache(st, req, &qy, t0);
}
