/* mem_health.c — GET /v1/memory/health: database, embedder and search backend. */
#include "mem_internal.h"

/* 200 {"status": "ok" | "degraded" (embedding server down), ...}; 503 "unavailable" when the
 * agent_memory database does not answer. */
int mem_health(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    int db_ok = api->db_exec(req, MEM_DB, "SELECT 1", 0, NULL) != NULL;
    mem_backend_e be = db_ok ? mem_backend(st, req) : MEM_BACKEND_UNKNOWN;
    const char *err = NULL;
    int emb_ok = mem_embed_ping(st, req, &err);
    struct json_object *o = json_object_new_object(), *emb = json_object_new_object();
    struct json_object *search = json_object_new_object();

    if (!db_ok)
        api->log(req, "error", "memory_health", api->db_errmsg(req), NULL);
    json_object_object_add(o, "status", json_object_new_string(!db_ok ? "unavailable"
                                                               : emb_ok ? "ok" : "degraded"));
    json_object_object_add(o, "database", json_object_new_string(db_ok ? "ok" : "error"));
    json_object_object_add(emb, "provider", json_object_new_string(mem_embed_provider(st)));
    json_object_object_add(emb, "model", json_object_new_string(mem_embed_model(st)));
    json_object_object_add(emb, "dimensions", json_object_new_int(MEM_DIM));
    json_object_object_add(emb, "status", json_object_new_string(emb_ok ? "ok" : "unavailable"));
    if (st->embed_url != NULL)
        json_object_object_add(emb, "url", json_object_new_string(st->embed_url));
    json_object_object_add(emb, "fallback", json_object_new_string(st->embed_defer ? "defer" : "none"));
    if (err != NULL)
        json_object_object_add(emb, "error", json_object_new_string(err));
    json_object_object_add(o, "embedding", emb);
    json_object_object_add(search, "backend",
                           json_object_new_string(be == MEM_BACKEND_PGVECTOR ? "pgvector"
                                                  : be == MEM_BACKEND_ARRAY  ? "cache"
                                                                             : "unknown"));
    if (be == MEM_BACKEND_ARRAY) {
        mem_cache_stats_t cs;

        mem_cache_stats(st, &cs);
        json_object_object_add(search, "exact", json_object_new_boolean(1));
        json_object_object_add(search, "loaded", json_object_new_boolean(cs.loaded));
        json_object_object_add(search, "episodes_cached", json_object_new_int64((int64_t)cs.entries));
        json_object_object_add(search, "projects", json_object_new_int64((int64_t)cs.projects));
        json_object_object_add(search, "memory_mb", json_object_new_double(cs.mb));
        json_object_object_add(search, "last_refresh_ms", json_object_new_double(cs.last_refresh_ms));
    } else if (be == MEM_BACKEND_PGVECTOR) {
        json_object_object_add(search, "exact", json_object_new_boolean(!st->pgvector_hnsw));
    }
    json_object_object_add(o, "search", search);
    json_object_object_add(o, "timestamp", mem_jstr(api->utcnow_iso(req)));
    return api->reply_json(req, db_ok ? 200 : 503, o);
}
