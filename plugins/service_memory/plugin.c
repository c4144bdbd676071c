/*
 * plugin.c — the agent-memory service plugin ("memory"): descriptor, init and fini.
 * Loaded into the chronicle pool after "chronicle"; its database is db.memory (agent_memory
 * through PgBouncer). The endpoints are listed in routes.c.
 *
 * Configuration (conf.memory.KEY in the instance config):
 *   embed_url         base URL of an Ollama-compatible server (POST <url>/api/embed); unset:
 *                     the deterministic local embedder (mem_embed_logic.c)
 *   embed_model       model name sent to the server (mxbai-embed-large:latest, 1024 dims)
 *   embed_timeout_ms  per call (5000), clamped to the request deadline
 *   embed_fallback    none (503 when the server fails, default) | defer (store the episode
 *                     without embedding, flagged for POST /v1/memory/embeddings/backfill)
 *   pgvector_search   exact (default: same results as without pgvector) | hnsw (the index)
 *   hnsw_ef_search    ef_search for hnsw mode (100)
 */
#include <stdlib.h>
#include <string.h>

#include "mem_internal.h"

#define MEM_DEFAULT_MODEL "mxbai-embed-large:latest"

static char *conf_dup(const dsm_api_t *api, const dsm_conf_t *conf, const char *key,
                      const char *dflt)
{
    const char *v = api->conf_get(conf, key);

    if (v == NULL || v[0] == '\0')
        v = dflt;
    return v != NULL ? strdup(v) : NULL;
}

static long conf_long(const dsm_api_t *api, const dsm_conf_t *conf, const char *key, long dflt,
                      long lo, long hi)
{
    const char *v = api->conf_get(conf, key);
    char *end;
    long n;

    if (v == NULL || v[0] == '\0')
        return dflt;
    n = strtol(v, &end, 10);
    return *end == '\0' && n >= lo && n <= hi ? n : dflt;
}

static int conf_is(const dsm_api_t *api, const dsm_conf_t *conf, const char *key,
                   const char *value)
{
    const char *v = api->conf_get(conf, key);

    return v != NULL && strcmp(v, value) == 0;
}

static void mem_fini(void *state)
{
    mem_state_t *st = state;

    if (st == NULL)
        return;
    mem_cache_free(st->cache);
    free(st->embed_url);
    free(st->embed_model);
    free(st);
}

static int mem_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    mem_state_t *st = calloc(1, sizeof(*st));
    size_t len;

    if (st == NULL)
        return DSM_ERR;
    st->api = api;
    st->embed_url = conf_dup(api, conf, "embed_url", NULL);
    st->embed_model = conf_dup(api, conf, "embed_model", MEM_DEFAULT_MODEL);
    st->embed_timeout_ms = conf_long(api, conf, "embed_timeout_ms", 5000, 1, 600000);
    st->embed_defer = conf_is(api, conf, "embed_fallback", "defer");
    st->pgvector_hnsw = conf_is(api, conf, "pgvector_search", "hnsw");
    st->hnsw_ef_search = (int)conf_long(api, conf, "hnsw_ef_search", 100, 1, 1000);
    atomic_init(&st->backend, MEM_BACKEND_UNKNOWN);
    st->cache = mem_cache_new();
    if (st->embed_model == NULL || st->cache == NULL) {
        mem_fini(st);
        return DSM_ERR;
    }
    if (st->embed_url != NULL) { /* "http://host:11434/" → "http://host:11434" */
        len = strlen(st->embed_url);
        while (len > 0 && st->embed_url[len - 1] == '/')
            st->embed_url[--len] = '\0';
    }
    *state = st;
    return DSM_OK;
}

DSM_PLUGIN(.name = "memory", .version = "1.0.0", .kind = DSM_KIND_SERVICE, .init = mem_init,
           .fini = mem_fini, .routes = mem_routes)
