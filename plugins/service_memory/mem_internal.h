/*
 * mem_internal.h — what the files of the agent-memory plugin share: the state created by
 * init, the search cache, the embedder, the request/JSON helpers and every route handler
 * (named in routes.c). The plugin sees the host only through dsm/plugin.h.
 */
#ifndef MEM_INTERNAL_H
#define MEM_INTERNAL_H

#include <json.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "dsm/plugin.h"
#include "mem_embed_logic.h"
#include "mem_idmap_logic.h"
#include "mem_text_logic.h"
#include "mem_vec_logic.h"

#define MEM_DB "memory" /* db.memory = agent_memory (through PgBouncer, transaction pooling) */

/* VARCHAR limits of agent_memory (spec/data-architecture.md §4.2). */
#define MEM_MAX_PROJECT 50
#define MEM_MAX_EPISODE_TYPE 255
#define MEM_MAX_AGENT_VERSION 20
#define MEM_MAX_MODE 50
#define MEM_MAX_KNOWLEDGE_TYPE 50
#define MEM_MAX_CREATED_BY 50
#define MEM_MAX_USER 100
#define MEM_MAX_LOG_PROJECT 255

#define MEM_K_MAX 100          /* search: top-k upper bound */
#define MEM_BULK_MAX 1000      /* episodes per bulk request */
#define MEM_BACKFILL_MAX 1000  /* rows per backfill request */
#define MEM_UUID_LEN 36

/* How embeddings are stored — found out from the column type on first use. */
typedef enum {
    MEM_BACKEND_UNKNOWN = 0,
    MEM_BACKEND_ARRAY = 1,   /* real[]: exact search in the plugin's cache (mem_cache.c) */
    MEM_BACKEND_PGVECTOR = 2 /* vector(1024): ORDER BY embedding <=> $1 in PostgreSQL */
} mem_backend_e;

typedef struct mem_cache_s mem_cache_t;

/* Created by init; the configuration members are read-only afterwards. backend is set once
 * (atomically) by the first request that needs it; cache has its own locks. */
typedef struct {
    const dsm_api_t *api;
    /* embedder (conf.memory.*) */
    char *embed_url;      /* NULL: the local feature-hashing embedder */
    char *embed_model;
    long embed_timeout_ms;
    int embed_defer;      /* embed_fallback = defer: store without embedding when the server fails */
    /* pgvector search: exact (sequential, identical to the cache) unless pgvector_search = hnsw */
    int pgvector_hnsw;
    int hnsw_ef_search;
    atomic_int backend;   /* mem_backend_e */
    mem_cache_t *cache;
} mem_state_t;

extern const dsm_route_t mem_routes[];

/* ---- mem_backend.c ---- */
/* The storage backend, detected on first use. MEM_BACKEND_UNKNOWN after a database error
 * (the request's db error is set; reply with mem_db_fail). */
mem_backend_e mem_backend(mem_state_t *st, dsm_req_t *req);
/* An embedding as a SQL literal for the backend ("{...}" or "[...]"), in the arena. */
char *mem_vec_literal(mem_state_t *st, dsm_req_t *req, mem_backend_e be, const float *v);

/* ---- mem_embed.c ---- */
/* Embed text into out[MEM_DIM] (normalised) with the configured embedder. Returns 0, or -1
 * with *err saying why (the embedding server is down, answered badly, ...). */
int mem_embed(mem_state_t *st, dsm_req_t *req, const char *text, float *out, const char **err);
/* Canonical text of a context → embedding (the one path every embedding takes). */
int mem_embed_context(mem_state_t *st, dsm_req_t *req, struct json_object *ctx, float *out,
                      const char **err);
const char *mem_embed_provider(const mem_state_t *st); /* "local" | "ollama" */
const char *mem_embed_model(const mem_state_t *st);
/* 503 {"detail":"Embedding service unavailable: <err>"} */
int mem_embed_fail(mem_state_t *st, dsm_req_t *req, const char *err);
/* The embedding server answers (GET <url>/api/tags); always 1 for the local embedder. */
int mem_embed_ping(mem_state_t *st, dsm_req_t *req, const char **err);

/* ---- mem_cache.c ---- */
mem_cache_t *mem_cache_new(void);
void mem_cache_free(mem_cache_t *c);
/* Bring the cache up to date with agent_episodes. t0_ns: when the caller's request started
 * (a refresh that began after it and has finished is enough). 0, or -1 on a database error. */
int mem_cache_refresh(mem_state_t *st, dsm_req_t *req, int64_t t0_ns, int force);
/* Exact top-k by cosine. project NULL = all. Writes up to k hits (ids in the arena) best first. */
typedef struct {
    const char *episode_id;
    float similarity;
} mem_found_t;
size_t mem_cache_search(mem_state_t *st, dsm_req_t *req, const float *q, const char *project,
                        int with_outcome, float min_sim, size_t k, mem_found_t *out,
                        size_t *scanned);
/* Write-through of a committed episode (skipped when a refresh is running). */
void mem_cache_add(mem_state_t *st, const char *episode_id, const char *project_id,
                   const char *xid, int has_outcome, const float *vec);
typedef struct {
    size_t entries, projects;
    double mb;
    uint64_t watermark;
    int loaded;
    double last_refresh_ms;
} mem_cache_stats_t;
void mem_cache_stats(mem_state_t *st, mem_cache_stats_t *out);

/* ---- mem_util.c ---- */
/* Whole milliseconds since t0_ns (api->now_ns), rounded. */
int mem_ms_since(const mem_state_t *st, int64_t t0_ns);
/* Database failure: roll back when in_tx, then api->reply_db_error (503/409/422/500). */
int mem_db_fail(mem_state_t *st, dsm_req_t *req, int in_tx);
/* Canonical lower-case UUID of s (with or without dashes) into out[37]; 0 ok, -1 invalid. */
int mem_uuid_norm(const char *s, char out[MEM_UUID_LEN + 1]);
/* A path parameter that must be a UUID: canonical arena copy, or NULL after recording a 422
 * problem (the caller then returns via api->v_failed). */
const char *mem_path_uuid(mem_state_t *st, dsm_req_t *req, const char *name);
size_t mem_utf8_chars(const char *s);
/* Number of UTF-8 characters of s is at most max, else a "string_too_long" problem. */
void mem_check_len(mem_state_t *st, dsm_req_t *req, const char *where, const char *field,
                   const char *value, size_t max);
/* Range problems ("greater_than_equal" / "less_than_equal", Pydantic wording). */
void mem_check_range(mem_state_t *st, dsm_req_t *req, const char *where, const char *field,
                     double v, double lo, double hi);

/* Validation of members of any JSON object (nested bodies such as bulk items included).
 * field is the member name; loc is ["body", prefix + field]. Return values as api->v_*:
 * 1 present and valid, 0 absent or null, -1 invalid (problem recorded). */
typedef struct {
    mem_state_t *st;
    dsm_req_t *req;
    struct json_object *obj; /* the object whose members are checked */
    const char *prefix;      /* "" or "episodes.3." */
} mem_obj_t;
int mem_f_str(const mem_obj_t *o, const char *field, int required, size_t maxlen,
              const char **out);
int mem_f_num(const mem_obj_t *o, const char *field, int required, double lo, double hi,
              double *out);
int mem_f_int(const mem_obj_t *o, const char *field, int required, int64_t lo, int64_t hi,
              int64_t *out);
int mem_f_bool(const mem_obj_t *o, const char *field, int required, int *out);
/* JSON object member (dict_type); with allow_array also a list. *out borrowed. */
int mem_f_json(const mem_obj_t *o, const char *field, int required, int allow_array,
               struct json_object **out);
int mem_f_uuid(const mem_obj_t *o, const char *field, int required, const char **out);
/* List of UUIDs → PostgreSQL uuid[] literal "{a,b}" (arena). */
int mem_f_uuid_list(const mem_obj_t *o, const char *field, int required, const char **out);
/* List of 1024 numbers → normalised floats (out must hold MEM_DIM). */
int mem_f_embedding(const mem_obj_t *o, const char *field, float *out);
/* Record a problem at loc ["body", prefix + field]. */
void mem_f_problem(const mem_obj_t *o, const char *field, const char *type, const char *msg,
                   struct json_object *input);

/* SQL text → JSON. */
struct json_object *mem_jstr(const char *s);
struct json_object *mem_jint(const char *s);
struct json_object *mem_jnum(const char *s);
struct json_object *mem_jbool(const char *s);
struct json_object *mem_jjson(const char *s); /* parsed JSON text (jsonb) */
struct json_object *mem_jts(mem_state_t *st, dsm_req_t *req, const char *pg_ts);
/* A borrowed JSON value serialised compactly into the arena (NULL for NULL / JSON null). */
const char *mem_json_text(mem_state_t *st, dsm_req_t *req, struct json_object *v);
/* "%.17g" text of a double into the arena. */
const char *mem_num_text(mem_state_t *st, dsm_req_t *req, double v);
/* Shortest float text as a JSON number. */
struct json_object *mem_jfloat(float f);

/* ---- mem_metrics.c ---- */
/* One agent_memory_metrics row (errors are logged, never reported to the client). */
void mem_metric(mem_state_t *st, dsm_req_t *req, const char *op, int latency_ms, int results,
                const char *project_id, long episode_count, double memory_mb, int exact);

/* ---- mem_episode_io.c ---- */
/* Columns of an episode as the API shows it (without the embedding), in this order. */
#define MEM_EPISODE_COLS                                                                           \
    "episode_id, project_id, episode_type, \"timestamp\", context, decision, actions, patterns, "  \
    "outcome, outcome_quality, outcome_recorded_at, requires_embedding, agent_version, "           \
    "control_mode, decision_source, sprint_id, chronicle_note_id, "                                \
    "embedding IS NOT NULL AS has_embedding, mem_xid::text AS mem_xid"
#define MEM_EPISODE_NCOLS 19
struct json_object *mem_episode_json(mem_state_t *st, dsm_req_t *req, const dsm_rows_t *r,
                                     int row, int col0);

/* ---- handlers (see routes.c for the URL of each) ---- */
int mem_health(void *state, dsm_req_t *req);
int mem_episode_store(void *state, dsm_req_t *req);
int mem_episode_bulk(void *state, dsm_req_t *req);
int mem_episode_get(void *state, dsm_req_t *req);
int mem_episode_list(void *state, dsm_req_t *req);
int mem_episode_delete(void *state, dsm_req_t *req);
int mem_episode_delete_project(void *state, dsm_req_t *req);
int mem_episode_outcome(void *state, dsm_req_t *req);
int mem_episode_search(void *state, dsm_req_t *req);
int mem_backfill(void *state, dsm_req_t *req);
int mem_strategy_create(void *state, dsm_req_t *req);
int mem_strategy_list(void *state, dsm_req_t *req);
int mem_strategy_get(void *state, dsm_req_t *req);
int mem_strategy_update(void *state, dsm_req_t *req);
int mem_perf_create(void *state, dsm_req_t *req);
int mem_perf_list(void *state, dsm_req_t *req);
int mem_perf_update(void *state, dsm_req_t *req);
int mem_session_create(void *state, dsm_req_t *req);
int mem_session_list(void *state, dsm_req_t *req);
int mem_session_get(void *state, dsm_req_t *req);
int mem_session_update(void *state, dsm_req_t *req);
int mem_session_end(void *state, dsm_req_t *req);
int mem_session_cleanup(void *state, dsm_req_t *req);
int mem_metrics_list(void *state, dsm_req_t *req);
int mem_metrics_summary(void *state, dsm_req_t *req);

#endif /* MEM_INTERNAL_H */
