/*
 * mem_backfill.c — POST /v1/memory/embeddings/backfill?limit=N: embed up to N (0..1000,
 * default 100) episodes flagged requires_embedding, oldest first, from the canonical text of
 * their stored context (the same builder as on store and search). limit=0 only counts.
 * 200 {"processed", "embedded", "failed", "remaining", "provider", "model"}; when the embedding
 * server is down: 503 {"detail": "Embedding service unavailable: ...", plus the same counts}
 * (what was embedded before it failed is kept). core/tools/backfill.sh calls this until
 * nothing remains. One metrics row ("backfill_embeddings") per call that embedded something.
 */
#include <stdlib.h>

#include "mem_internal.h"

#define MEM_UPDATE_SQL(CAST)                                                                       \
    "WITH u AS (UPDATE agent_episodes a SET embedding = (e->>'embedding')::" CAST ", "             \
    "requires_embedding = false FROM jsonb_array_elements($1::jsonb) AS t(e) "                     \
    "WHERE a.episode_id = (e->>'episode_id')::uuid AND a.requires_embedding RETURNING 1) "         \
    "SELECT (SELECT count(*) FROM u), "                                                            \
    "(SELECT count(*) FROM agent_episodes WHERE requires_embedding) - (SELECT count(*) FROM u)"

static const char *const update_sql[3] = {
    [MEM_BACKEND_ARRAY] = MEM_UPDATE_SQL("real[]"),
    [MEM_BACKEND_PGVECTOR] = MEM_UPDATE_SQL("vector"),
};

static int reply_counts(mem_state_t *st, dsm_req_t *req, int status, const char *detail,
                        int processed, int embedded, int failed, const char *remaining)
{
    struct json_object *o = json_object_new_object();

    if (detail != NULL)
        json_object_object_add(o, "detail", json_object_new_string(detail));
    json_object_object_add(o, "processed", json_object_new_int(processed));
    json_object_object_add(o, "embedded", json_object_new_int(embedded));
    json_object_object_add(o, "failed", json_object_new_int(failed));
    json_object_object_add(o, "remaining", mem_jint(remaining));
    json_object_object_add(o, "provider", json_object_new_string(mem_embed_provider(st)));
    json_object_object_add(o, "model", json_object_new_string(mem_embed_model(st)));
    return st->api->reply_json(req, status, o);
}

int mem_backfill(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    int64_t t0 = st->api->now_ns(), limit = 100;
    const char *params[1], *err = NULL, *remaining;
    struct json_object *batch;
    mem_backend_e be;
    dsm_rows_t *r, *u;
    float *vec = api->palloc(req, sizeof(float) * MEM_DIM);
    int n, done = 0, failed = 0, embedded;

    if (api->v_int(req, "query", "limit", 0, &limit) > 0)
        mem_check_range(st, req, "query", "limit", (double)limit, 0, MEM_BACKFILL_MAX);
    if (api->v_failed(req))
        return DSM_OK;
    if (vec == NULL)
        return api->reply_error(req, 500, "Internal Server Error");
    be = mem_backend(st, req);
    if (be == MEM_BACKEND_UNKNOWN)
        return mem_db_fail(st, req, 0);
    params[0] = api->psprintf(req, "%lld", (long long)limit);
    r = api->db_exec(req, MEM_DB,
                     "SELECT episode_id::text, context, "
                     "(SELECT count(*) FROM agent_episodes WHERE requires_embedding) "
                     "FROM agent_episodes WHERE requires_embedding "
                     "ORDER BY \"timestamp\", episode_id LIMIT $1::int",
                     1, params);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    n = api->rows_count(r);
    if (n == 0) {
        if (limit > 0)
            return reply_counts(st, req, 200, NULL, 0, 0, 0, "0");
        r = api->db_exec(req, MEM_DB,
                         "SELECT count(*) FROM agent_episodes WHERE requires_embedding", 0, NULL);
        if (r == NULL)
            return mem_db_fail(st, req, 0);
        return reply_counts(st, req, 200, NULL, 0, 0, 0, api->rows_value(r, 0, 0));
    }
    batch = json_object_new_array_ext(n);
    for (int i = 0; i < n && err == NULL; i++) {
        struct json_object *ctx = mem_jjson(api->rows_value(r, i, 1)), *item;
        const char *lit;

        if (mem_embed_context(st, req, ctx, vec, &err) != 0) {
            json_object_put(ctx);
            failed++;
            break;
        }
        json_object_put(ctx);
        lit = mem_vec_literal(st, req, be, vec);
        if (lit == NULL) {
            err = "out of memory";
            failed++;
            break;
        }
        item = json_object_new_object();
        json_object_object_add(item, "episode_id", json_object_new_string(api->rows_value(r, i, 0)));
        json_object_object_add(item, "embedding", json_object_new_string(lit));
        json_object_array_add(batch, item);
        done++;
    }
    embedded = 0;
    remaining = api->rows_value(r, 0, 2);
    if (done > 0) {
        params[0] = api->pstrdup(req, json_object_to_json_string_ext(batch, JSON_C_TO_STRING_PLAIN));
        u = api->db_exec(req, MEM_DB, update_sql[be], 1, params);
        if (u == NULL) {
            json_object_put(batch);
            return mem_db_fail(st, req, 0);
        }
        embedded = (int)strtol(api->rows_value(u, 0, 0), NULL, 10);
        remaining = api->rows_value(u, 0, 1);
        mem_metric(st, req, "backfill_embeddings", mem_ms_since(st, t0), embedded, NULL, -1, 0.0, 0);
    }
    json_object_put(batch);
    if (err != NULL) {
        api->log(req, "error", "backfill", err, NULL);
        return reply_counts(st, req, 503,
                            api->psprintf(req, "Embedding service unavailable: %s", err),
                            done + failed, embedded, failed, remaining);
    }
    return reply_counts(st, req, 200, NULL, done, embedded, failed, remaining);
}
