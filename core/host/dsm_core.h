/*
 * dsm_core.h — the host's internal types, shared by core/host/ files only (plugins never see it).
 *
 * Ownership summary:
 *   dsm_host_t    one per process, created by main, lives until exit.
 *   dsm_thread_t  one per worker thread; owns its arena, database/Redis/curl connections.
 *   dsm_req_t     one per request (or consumer message); borrows the thread; every pointer in
 *                 it is arena memory or borrowed from libfcgi and dies with the request.
 *   dsm_gen_t     immutable once published; refcounted by pins; freed by the control thread.
 *   dsm_slot_t    one loaded plugin file; shared by the generations that contain it.
 */
#ifndef DSM_CORE_H
#define DSM_CORE_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "dsm/plugin.h"

struct json_object;
typedef struct dsm_arena_s dsm_arena_t;
typedef struct dsm_router_s dsm_router_t;
typedef struct dsm_host_s dsm_host_t;
typedef struct dsm_thread_s dsm_thread_t;

/* ------------------------------------------------------------------ config (dsm_config.c) */
typedef struct {
    char *key;
    char *value;
} dsm_kv_t;

typedef struct {
    char *name;
    char *path;
} dsm_plugin_conf_t;

typedef struct {
    char *file;
    char *instance;
    char *listen;
    int threads;
    int keepalive_conns;
    int consumer_idle_ms; /* pending entries older than this are reclaimed (XAUTOCLAIM) */
    int log_sample;       /* log 1 of N successful requests (errors always); 1 = all */
    int consumer_threads; /* threads per declared stream consumer (1) */
    size_t max_body;
    char *plugin_dir;
    char *redis_host;
    int redis_port;
    bool admin;
    char *health_base;
    char *health_pools; /* space separated */
    dsm_plugin_conf_t *plugins;
    size_t nplugins;
    dsm_kv_t *kv; /* every key = value line, in file order (db.*, conf.*) */
    size_t nkv;
} dsm_config_t;

int dsm_config_load(dsm_config_t *cfg, const char *file, char *err, size_t errlen);
int dsm_config_set(dsm_config_t *cfg, const char *key, const char *value, char *err, size_t errlen);
int dsm_config_finish(dsm_config_t *cfg, char *err, size_t errlen); /* defaults + env + checks */
const char *dsm_config_get(const dsm_config_t *cfg, const char *key);
void dsm_config_free(dsm_config_t *cfg);

/* ------------------------------------------------------------------ log (dsm_log.c) */
void dsm_log_init(const char *instance);
/* fields: NULL or a json object whose members are appended (reference taken). */
void dsm_log_line(const char *level, const char *event, const char *req_id, const char *msg,
                  struct json_object *fields);
void dsm_logf(const char *level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------------ arena (dsm_arena.c) */
typedef void (*dsm_cleanup_fn)(void *p);
dsm_arena_t *dsm_arena_new(void);
void *dsm_arena_alloc(dsm_arena_t *a, size_t n); /* zeroed, 16-aligned; NULL only on OOM */
char *dsm_arena_strdup(dsm_arena_t *a, const char *s);
char *dsm_arena_strndup(dsm_arena_t *a, const char *s, size_t n);
char *dsm_arena_vprintf(dsm_arena_t *a, const char *fmt, va_list ap);
char *dsm_arena_printf(dsm_arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int dsm_arena_defer(dsm_arena_t *a, dsm_cleanup_fn fn, void *p); /* run at reset, LIFO */
void dsm_arena_reset(dsm_arena_t *a); /* runs cleanups, keeps the first block */
void dsm_arena_free(dsm_arena_t *a);

/* ------------------------------------------------------------------ router (dsm_router.c) */
typedef struct {
    const dsm_route_t *route;
    size_t slot; /* index of the plugin slot in the generation */
} dsm_route_ref_t;

typedef enum { DSM_MATCH_OK, DSM_MATCH_404, DSM_MATCH_405, DSM_MATCH_307 } dsm_match_e;

typedef struct {
    dsm_match_e result;
    const dsm_route_ref_t *ref;
    size_t nparams;
    const char *names[16];
    char *values[16]; /* arena copies of the decoded segments */
} dsm_match_t;

dsm_router_t *dsm_router_new(void);
/* Returns 0, or -1 with err filled (bad pattern, collision). */
int dsm_router_add(dsm_router_t *r, const dsm_route_t *route, size_t slot, const char *owner,
                   char *err, size_t errlen);
/* path: decoded path; segs are split on '/', decoded per segment by the caller. */
void dsm_router_match(const dsm_router_t *r, dsm_arena_t *a, dsm_method_e m, char *const *segs,
                      size_t nsegs, bool trailing_slash, dsm_match_t *out);
void dsm_router_free(dsm_router_t *r);
int dsm_method_parse(const char *s, dsm_method_e *out);
const char *dsm_method_name(dsm_method_e m);

/* ------------------------------------------------------------------ plugins (dsm_loader.c) */
typedef struct dsm_slot_s {
    char *name;
    char *src_path;  /* configured path */
    char *copy_path; /* private copy that was dlopen'ed (unlinked after load) */
    void *dl;
    const dsm_plugin_t *desc;
    void *state;
    uint64_t serial; /* load counter, shown in /admin/status */
    char loaded_at[32];
    atomic_int refs; /* generations holding this slot */
    struct dsm_conf_s *conf;
} dsm_slot_t;

struct dsm_conf_s {
    const dsm_config_t *cfg;
    const char *plugin; /* slot name: keys are conf.<plugin>.<key> */
};

/* Load, check and init. Returns NULL with err filled (one precise reason). */
dsm_slot_t *dsm_slot_load(dsm_host_t *h, const char *name, const char *path, char *err,
                          size_t errlen);
void dsm_slot_release(dsm_slot_t *s); /* refs--, fini + dlclose at 0 */
/* The ABI check itself, separate so unit tests can feed it hand-made descriptors. */
int dsm_plugin_check(const dsm_plugin_t *d, const char *expect_name, char *err, size_t errlen);

/* ------------------------------------------------------------------ generations (dsm_gen.c) */
typedef struct dsm_gen_s {
    uint64_t number;
    int pins;     /* under host->gen_mu */
    bool retired; /* no longer current */
    dsm_slot_t **slots;
    size_t nslots;
    dsm_router_t *router;
    struct dsm_gen_s *next; /* in host->retired */
} dsm_gen_t;

dsm_gen_t *dsm_gen_build(dsm_host_t *h, dsm_slot_t **slots, size_t n, char *err, size_t errlen);
dsm_gen_t *dsm_gen_pin(dsm_host_t *h);
void dsm_gen_unpin(dsm_host_t *h, dsm_gen_t *g);
void dsm_gen_publish(dsm_host_t *h, dsm_gen_t *g); /* old current → retired list */
int dsm_gen_sweep(dsm_host_t *h);                 /* free retired gens with 0 pins; returns #left */
void dsm_gen_destroy(dsm_gen_t *g);
/* Reload one plugin (name) or all (name == NULL). Serialised. Returns 0 when everything asked
 * for was swapped, -1 when something was refused (msg says what; the rest still swapped). */
int dsm_reload(dsm_host_t *h, const char *name, char *msg, size_t msglen);
int dsm_load_initial(dsm_host_t *h, char *err, size_t errlen);

/* ------------------------------------------------------------------ host, threads */
typedef struct {
    char *name;
    void *conn; /* PGconn * */
    char *conninfo;
    bool prepare;              /* config db.NAME.prepare: statements prepared once (dsm_db_stmt.c) */
    struct dsm_stmt_s *stmts;  /* the statements prepared on conn (owned) */
    size_t nstmts, cap;
    unsigned next_id;
} dsm_dbconn_t;

struct dsm_thread_s {
    dsm_host_t *host;
    int index;
    pthread_t tid;
    dsm_arena_t *arena;
    dsm_dbconn_t db[8];
    size_t ndb;
    void *redis; /* redisContext * */
    void *curl;  /* CURL * */
    void *curlm; /* CURLM * of http_parallel: kept, so its connections are reused */
    atomic_int busy;
    atomic_bool done;
    uint64_t counter; /* request ids */
    uint64_t rng[2];
};

typedef struct {
    char at[32];
    bool ok;
    char message[512];
} dsm_reload_result_t;

typedef struct {
    char plugin[64];
    char stream[128];
    char group[128];
    char consumer[96]; /* consumer name in the group: the instance name (+ ".k") */
} dsm_consumer_ref_t;

typedef struct {
    dsm_consumer_ref_t ref;
    dsm_thread_t thr;
    atomic_ullong handled, failed, retried, dropped; /* shown by /admin/status */
    bool backoff; /* consumer thread only */
} dsm_consumer_run_t;

typedef struct {
    char plugin[64];
    uint32_t period_ms;
    dsm_thread_t thr;
    atomic_ullong ok, failed;
} dsm_tick_run_t;

struct dsm_host_s {
    dsm_config_t cfg;
    const dsm_api_t *api;
    int listen_fd;
    char started_at[32];

    pthread_mutex_t gen_mu; /* current, pins, retired */
    dsm_gen_t *current;
    dsm_gen_t *retired;
    uint64_t next_gen;

    pthread_mutex_t reload_mu; /* one reload at a time; last_reload */
    dsm_reload_result_t last_reload;
    atomic_ullong slot_serial;
    atomic_ullong copy_counter;

    dsm_thread_t *threads;
    int nthreads;
    dsm_consumer_run_t *consumers; /* stream consumer threads (dsm_consumer.c) */
    size_t nconsumers;
    dsm_tick_run_t *ticks; /* periodic plugin calls (dsm_tick.c) */
    size_t nticks;
    atomic_bool stopping;
    atomic_int in_flight;
    atomic_ullong served;
    atomic_ullong by_class[6]; /* replies by status class: [2] = 2xx ... [5] = 5xx */
    atomic_ullong reloads_ok, reloads_failed;
};

/* ------------------------------------------------------------------ requests (dsm_request.c) */
typedef struct {
    const char *key;
    const char *value;
} dsm_pair_t;

struct dsm_req_s {
    dsm_thread_t *thr;
    dsm_arena_t *arena;
    dsm_gen_t *gen; /* pinned */
    dsm_method_e method;
    const char *method_str;
    const char *uri;  /* raw REQUEST_URI */
    char *path;       /* decoded */
    dsm_pair_t *query;
    size_t nquery;
    dsm_match_t match;
    char **env; /* FastCGI params (borrowed) or NULL */
    const char *body;
    size_t body_len;
    struct json_object *json; /* parsed body (deferred put) */
    char id[72];
    int64_t start_ns;
    int64_t deadline_ns;
    /* reply */
    bool replied;
    int status;
    const char *out;
    size_t out_len;
    const char *ctype;
    const char *location;
    /* validation */
    struct json_object *problems; /* array (deferred put) */
    /* database */
    const char *tx_db;
    char sqlstate[6];
    const char *errmsg;
};

/* Fill from raw parts. env may be NULL (tests, consumers). Returns 0, or an HTTP status
 * (400) with a reply already set when the URI cannot be decoded. */
int dsm_req_init(dsm_req_t *r, dsm_thread_t *t, const char *method, const char *uri, char **env);
const char *dsm_req_env(const dsm_req_t *r, const char *name);
/* Parse the body as the route asks; sends 422/400 itself and returns -1 on failure. */
int dsm_req_parse_body(dsm_req_t *r, uint32_t flags);
int dsm_percent_decode(char *s, bool plus_is_space); /* in place; -1 on bad escape / %00 */
bool dsm_utf8_valid(const char *s, size_t n);

/* ------------------------------------------------------------------ replies (dsm_reply.c) */
int dsm_reply_json(dsm_req_t *r, int status, struct json_object *body);
int dsm_reply_error(dsm_req_t *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int dsm_reply_detail(dsm_req_t *r, int status, struct json_object *detail);
int dsm_reply_invalid(dsm_req_t *r, size_t n, const dsm_invalid_t *p);
int dsm_reply_text(dsm_req_t *r, int status, const char *ctype, const char *text, size_t len);
void dsm_problem_add(dsm_req_t *r, const char *where, const char *field, const char *type,
                     const char *msg, const struct json_object *input);
int dsm_problems_reply(dsm_req_t *r); /* 1 when problems were sent as 422 */

/* ------------------------------------------------------------------ validation (dsm_validate.c) */
int dsm_v_str(dsm_req_t *r, const char *where, const char *field, unsigned flags, const char **out);
int dsm_v_int(dsm_req_t *r, const char *where, const char *field, unsigned flags, int64_t *out);
int dsm_v_float(dsm_req_t *r, const char *where, const char *field, unsigned flags, double *out);
int dsm_v_bool(dsm_req_t *r, const char *where, const char *field, unsigned flags, int *out);
int dsm_v_date(dsm_req_t *r, const char *where, const char *field, unsigned flags, char out[11]);
int dsm_date_valid(const char *s);

/* ------------------------------------------------------------------ db / redis / http */
dsm_rows_t *dsm_db_exec(dsm_req_t *r, const char *db, const char *sql, int n,
                        const char *const *params);
int dsm_db_begin(dsm_req_t *r, const char *db);
int dsm_db_commit(dsm_req_t *r, const char *db);
int dsm_db_rollback(dsm_req_t *r, const char *db);
int dsm_reply_db_error(dsm_req_t *r);
int dsm_rows_count(const dsm_rows_t *rows);
int dsm_rows_affected(const dsm_rows_t *rows);
const char *dsm_rows_value(const dsm_rows_t *rows, int row, int col);
int dsm_rows_col(const dsm_rows_t *rows, const char *name);
void dsm_db_thread_close(dsm_thread_t *t);

/* dsm_db_stmt.c — the prepared statements of one connection (named dsm_s<id>) */
#define DSM_STMT_NAME_LEN 24
int dsm_stmt_worth(const char *sql); /* 1: a planned statement (SELECT, INSERT, …, WITH) */
void dsm_stmt_name(unsigned id, char out[DSM_STMT_NAME_LEN]);
int dsm_stmt_find(const dsm_dbconn_t *c, const char *sql, unsigned *id); /* 1 found, 0 not */
/* A new entry for sql (*id = its number), before the PREPARE; -1: cache full or out of memory */
int dsm_stmt_add(dsm_dbconn_t *c, const char *sql, unsigned *id);
void dsm_stmt_forget(dsm_dbconn_t *c, unsigned id);
void dsm_stmt_clear(dsm_dbconn_t *c);
void dsm_db_request_end(dsm_req_t *r); /* roll back a transaction left open */

int dsm_redis_xadd(dsm_req_t *r, const char *stream, size_t n, const char *const *k,
                   const char *const *v, char *id_out, size_t id_len);
int dsm_redis_ping(dsm_req_t *r);
void dsm_redis_thread_close(dsm_thread_t *t);

int dsm_http_call(dsm_req_t *r, const char *method, const char *url,
                  const struct json_object *body, long timeout_ms, struct json_object **body_out,
                  const char **err_out);
void dsm_http_thread_close(dsm_thread_t *t);
int dsm_http_request(dsm_req_t *r, const dsm_http_opts_t *o, struct json_object **body_out,
                     const char **err_out);
int dsm_http_parallel(dsm_req_t *r, size_t n, const dsm_http_opts_t *o, dsm_http_result_t *res);
/* dsm_health.c */
int dsm_reply_live(dsm_req_t *r);
int dsm_reply_ready(dsm_req_t *r, const char *service, const dsm_ready_check_t *c, size_t n);
/* dsm_breaker.c */
int dsm_breaker_allow(const char *name, int64_t now_ns);
void dsm_breaker_record(const char *name, bool success, int64_t now_ns);
struct json_object *dsm_breaker_status(void);
void dsm_breaker_reset_all(void); /* tests */

/* ------------------------------------------------------------------ misc (dsm_util.c) */
int64_t dsm_now_ns(void); /* CLOCK_MONOTONIC */
void dsm_utc_iso(char *buf, size_t len, bool zulu); /* naive (Python isoformat) or ...Z */
const char *dsm_uuid4(dsm_req_t *r);
const char *dsm_utcnow_iso(dsm_req_t *r);
const char *dsm_ts_iso(dsm_req_t *r, const char *pg_ts);
/* A PostgreSQL array literal of n strings into out (cap bytes, NUL-terminated when cap > 0);
 * returns the full length. dsm_pg_array: the same in the request arena (api->pg_array). */
size_t dsm_pg_array_format(char *out, size_t cap, const char *const *items, size_t n);
const char *dsm_pg_array(dsm_req_t *r, const char *const *items, size_t n);
/* s percent-encoded (RFC 3986 unreserved kept) into out; returns the full length.
 * dsm_url_escape: the same in the request arena (api->url_escape). */
size_t dsm_url_escape_format(char *out, size_t cap, const char *s);
const char *dsm_url_escape(dsm_req_t *r, const char *s);
uint64_t dsm_rand64(dsm_thread_t *t);

/* ------------------------------------------------------------------ api, intel, admin */
const dsm_api_t *dsm_api_table(void);
dsm_host_t *dsm_host_of(const dsm_req_t *r);
struct json_object *dsm_intel_run(dsm_req_t *r, const dsm_decision_t *dc);
int dsm_intel_record(dsm_req_t *r, const dsm_outcome_t *oc);
int dsm_advise(dsm_advice_t *out, const char *field, double value, double confidence,
               int evidence_count, const char *reasoning);
void dsm_advice_insight(dsm_advice_t *out, struct json_object *insight);
int dsm_intel_wanted(const dsm_decision_t *dc, const char *source);
long dsm_intel_budget_ms(const dsm_decision_t *dc, const char *source, long dflt);
/* Built-in endpoints (admin + pools health). Returns 1 when it handled the request. */
int dsm_admin_dispatch(dsm_req_t *r);
void dsm_metrics_reply(dsm_req_t *r); /* Prometheus text of the host's own counters */

/* ------------------------------------------------------------------ dispatch (dsm_dispatch.c) */
/* Route and run one request on the pinned generation; always leaves a reply in r. */
void dsm_dispatch(dsm_req_t *r);
/* Serialise the reply (headers + body) into the arena. */
const char *dsm_render(dsm_req_t *r, size_t *len);
void dsm_log_request(dsm_req_t *r);

/* ------------------------------------------------------------------ threads */
int dsm_thread_setup(dsm_thread_t *t, dsm_host_t *h, int index);
void dsm_thread_teardown(dsm_thread_t *t);
int dsm_listen_open(const char *spec, char *err, size_t errlen);
void dsm_notify_ready(void); /* systemd Type=notify */
int dsm_workers_start(dsm_host_t *h);
int dsm_consumers_start(dsm_host_t *h);
int dsm_ticks_start(dsm_host_t *h);
int dsm_control_run(dsm_host_t *h, bool own_socket); /* main thread: signals, retiring, stop */

#endif /* DSM_CORE_H */
