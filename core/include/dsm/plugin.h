/*
 * dsm/plugin.h — the one public header of the DSM plugin ABI.
 *
 * A plugin is a shared object exporting exactly one symbol, dsm_plugin_entry(), which returns
 * a pointer to a static, constant descriptor (dsm_plugin_t). The host checks the descriptor
 * (magic, ABI major/minor, size, build signature, name, kind, tables), calls init() with the
 * API table below, and from then on calls the plugin's route handlers (service plugins) or
 * analyze()/record() (intelligence plugins) from many threads at once.
 *
 * Plugins reach the host ONLY through the dsm_api_t table handed to init(). They never link
 * the host, never link each other, keep no mutable file-scope state, start no threads, install
 * no signal handlers and open no connections of their own. See docs/PLUGINS.md.
 *
 * ABI changelog (append-only inside a major version: new members go at the end of a struct)
 *   1.0  2026-11-25  first version: descriptor, routes, consumers, analyze/record, API table
 *                    (request, arena, replies, db, redis, http, log, config, intel,
 *                    http_request with retries and circuit breakers).
 *
 * Memory ownership, in one place:
 *   - dsm_req_t, the parsed body, path/query values, and every dsm_rows_t are host-owned and
 *     valid only until the handler (or analyze/record/consumer) returns.
 *   - api->palloc() memory is freed by the host at the end of the request.
 *   - api->reply_json() TAKES the caller's json-c reference (do not json_object_put it).
 *   - A json_object returned by api->http_call() in *body_out belongs to the caller.
 *   - Strings given to the host (SQL, params, messages) are copied if the host keeps them.
 */
#ifndef DSM_PLUGIN_H
#define DSM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

#define DSM_PLUGIN_MAGIC 0x44534d50u /* "DSMP" */
#define DSM_ABI_MAJOR 1
#define DSM_ABI_MINOR 1 /* 1.1: pg_array, url_escape, now_ns, conf_num_checked */
#define DSM_BUILD_SIG "ptr" DSM__STR(__SIZEOF_POINTER__) "-long" DSM__STR(__SIZEOF_LONG__) "-jsonc5"
#define DSM__STR(x) DSM__STR2(x)
#define DSM__STR2(x) #x

/* Return codes of handlers, init, analyze, consumers. */
#define DSM_OK 0
#define DSM_ERR (-1)
#define DSM_DECLINED (-2) /* analyze: nothing to say about this context */
#define DSM_RETRY (-3)    /* consumer: leave the message pending, it will be re-delivered */

typedef enum { DSM_KIND_SERVICE = 1, DSM_KIND_INTEL = 2 } dsm_kind_e;

typedef enum {
    DSM_GET = 1,
    DSM_POST = 2,
    DSM_PUT = 3,
    DSM_DELETE = 4,
    DSM_PATCH = 5,
} dsm_method_e;

/* Route flags. */
#define DSM_RF_BODY_MODEL 0x1u /* JSON object body required, FastAPI model style: malformed → 422 json_invalid */
#define DSM_RF_BODY_RAW 0x2u   /* body parsed if present; malformed → 400 "Invalid JSON format" */
#define DSM_RF_BODY_OPTIONAL 0x4u /* with BODY_MODEL: an empty body is allowed (req_body() is NULL) */

/* Validation flags (api->v_*). */
#define DSM_V_REQUIRED 0x1u
#define DSM_V_DATETIME_OK 0x2u /* v_date: accept a datetime and keep its date */
#define DSM_V_NONEMPTY 0x4u    /* v_str: "" is a problem ("string_too_short") */

typedef struct dsm_req_s dsm_req_t;       /* opaque, host-owned, one per request or message */
typedef struct dsm_rows_s dsm_rows_t;     /* opaque, host-owned query result */
typedef struct dsm_conf_s dsm_conf_t;     /* opaque, the plugin's configuration */
typedef struct dsm_advice_s dsm_advice_t; /* opaque, what an intelligence plugin proposes */
typedef struct dsm_intel_set_s dsm_intel_set_t; /* opaque, results of running all sources */

typedef int (*dsm_handler_fn)(void *state, dsm_req_t *req);

typedef struct {
    dsm_method_e method;
    const char *pattern; /* "/projects/{project_id}/calendar/pto/{pto_id}" */
    dsm_handler_fn handler;
    uint32_t flags; /* DSM_RF_* */
} dsm_route_t;    /* tables end with an entry whose pattern is NULL */

/* A message read from a Redis stream by a consumer group. */
typedef struct {
    const char *stream;
    const char *id; /* "1700000000000-0" */
    size_t nfields;
    const char *const *keys;
    const char *const *values;
    uint32_t deliveries; /* 1 on first delivery */
} dsm_msg_t;

typedef int (*dsm_consume_fn)(void *state, dsm_req_t *req, const dsm_msg_t *msg);

typedef struct {
    const char *stream;
    const char *group;
    dsm_consume_fn handler; /* DSM_OK → XACK; DSM_RETRY → stays pending; DSM_ERR → logged + XACK */
} dsm_consumer_t;         /* tables end with an entry whose stream is NULL */

/* The context an intelligence source is asked about. Versioned by size: read only members
 * that lie inside dc->size. All pointers are borrowed for the duration of analyze(). */
typedef struct {
    uint32_t size;
    const char *project_id;
    const struct json_object *perception; /* project snapshot: backlog, team, calendar, sprints */
    const struct json_object *baseline;   /* the rule-based decision (NULL for the rules source) */
    const struct json_object *params;     /* this source's configuration (may be NULL) */
    int64_t deadline_ns;                  /* absolute CLOCK_MONOTONIC; http_call clamps to it */
    const char *decision_id;              /* correlates analyze() with a later record() */
} dsm_decision_t;

/* Size-versioned structs (dsm_decision_t, dsm_outcome_t, dsm_http_opts_t): 1 when the struct
 * the host handed over is large enough to hold member m — read only members for which it is. */
#define DSM_HAS(s, m) ((s)->size >= offsetof(__typeof__(*(s)), m) + sizeof((s)->m))

/* An outcome known later (sprint close), handed to record(). */
typedef struct {
    uint32_t size;
    const char *project_id;
    const char *decision_id;
    const struct json_object *outcome; /* {"completion_rate":..,"committed":..,"completed":..} */
} dsm_outcome_t;

typedef struct dsm_api_s dsm_api_t;

/* Options of api->http_request(). Versioned by size; zero-initialise, set size = sizeof. */
typedef struct {
    uint32_t size;
    const char *method;                /* "GET" */
    const char *url;
    const struct json_object *body;    /* NULL: no body */
    long timeout_ms;                   /* per attempt; clamped to the request's deadline */
    int retries;                       /* extra attempts, 0..5 */
    int retry_unsafe;                  /* 1: retry POST/PATCH too (the callee is idempotent) */
    const char *breaker;               /* circuit breaker name, e.g. "project"; NULL: none */
} dsm_http_opts_t;

/* One readiness check for api->reply_ready(): exactly one of db / redis / url is set. */
typedef struct {
    const char *name;  /* key in the reply: "database", "redis", "project_service", ... */
    const char *db;    /* SELECT 1 on this configured database ("main", "memory") */
    int redis;         /* 1: PING */
    const char *url;   /* GET answers 200 */
    int informational; /* 1: reported, but does not decide readiness */
} dsm_ready_check_t;

typedef struct {
    int status;               /* HTTP status, -1 when no answer */
    struct json_object *body; /* parsed JSON reply or NULL; the caller owns it */
    const char *err;          /* why there was no answer (static or arena text) */
    double ms;                /* time taken */
} dsm_http_result_t;

typedef struct dsm_plugin_s {
    uint32_t magic;
    uint16_t abi_major;
    uint16_t abi_minor;
    uint32_t size; /* sizeof(dsm_plugin_t) as the plugin was compiled */
    const char *build_sig;
    const char *name;    /* slot key, [a-z0-9_]+ */
    const char *version; /* the plugin's own version, shown by /admin/status and in logs */
    dsm_kind_e kind;
    uint32_t flags; /* reserved, 0 */

    int (*init)(const dsm_api_t *api, const dsm_conf_t *conf, void **state);
    void (*fini)(void *state);

    /* DSM_KIND_SERVICE */
    const dsm_route_t *routes;
    const dsm_consumer_t *consumers;

    /* DSM_KIND_INTEL */
    int (*analyze)(void *state, dsm_req_t *req, const dsm_decision_t *dc, dsm_advice_t *out);
    int (*record)(void *state, dsm_req_t *req, const dsm_outcome_t *oc); /* optional */

    /* Any kind, optional: called every tick_ms from one host thread per instance (schedules,
     * housekeeping), always on the current generation, with a request context whose deadline
     * is tick_ms (at least 1 s). Several instances of a pool tick independently: coordinate
     * through the database (e.g. an advisory lock) when something must happen once. */
    int (*tick)(void *state, dsm_req_t *req);
    uint32_t tick_ms;

    uintptr_t spare[8]; /* zero; future hooks without changing the size */
} dsm_plugin_t;

/* A validation problem, FastAPI style: {"type","loc":[where,field],"msg","input"}. */
typedef struct {
    const char *where; /* "body", "query", "path" */
    const char *field; /* NULL for the body as a whole */
    const char *type;  /* "missing", "int_parsing", "string_type", "date_from_datetime_parsing", ... */
    const char *msg;   /* "Field required" */
    const struct json_object *input; /* borrowed; NULL → JSON null */
} dsm_invalid_t;

struct dsm_api_s {
    uint16_t abi_major;
    uint16_t abi_minor;
    uint32_t size; /* sizeof(dsm_api_t) of the host */

    /* ---- request ---- */
    dsm_method_e (*req_method)(const dsm_req_t *req);
    const char *(*req_path)(const dsm_req_t *req);                       /* decoded path */
    const char *(*req_param)(const dsm_req_t *req, const char *name);    /* path {param}, decoded */
    const char *(*req_query)(const dsm_req_t *req, const char *name);    /* first value or NULL */
    const char *(*req_header)(const dsm_req_t *req, const char *name);   /* "content-type" */
    struct json_object *(*req_body)(const dsm_req_t *req);               /* borrowed, NULL if none */
    size_t (*req_body_len)(const dsm_req_t *req);
    const char *(*req_id)(const dsm_req_t *req);
    int64_t (*req_deadline_ns)(const dsm_req_t *req); /* absolute CLOCK_MONOTONIC */

    /* ---- per-request arena (freed when the request ends) ---- */
    void *(*palloc)(dsm_req_t *req, size_t n);             /* zeroed */
    char *(*pstrdup)(dsm_req_t *req, const char *s);
    char *(*psprintf)(dsm_req_t *req, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

    /* ---- replies: exactly one per request; the host renders, logs and times it ---- */
    int (*reply_json)(dsm_req_t *req, int status, struct json_object *body); /* takes the ref */
    int (*reply_error)(dsm_req_t *req, int status, const char *fmt, ...)
        __attribute__((format(printf, 3, 4))); /* {"detail": "<text>"}; returns DSM_ERR */
    int (*reply_detail)(dsm_req_t *req, int status, struct json_object *detail); /* takes the ref */
    int (*reply_invalid)(dsm_req_t *req, size_t n, const dsm_invalid_t *problems); /* 422 list */

    /* ---- PostgreSQL: parameterised only, one connection per thread and database ----
     * db: a configured database name ("main" when NULL). params are text values, NULL = SQL NULL.
     * Returns NULL on error; db_sqlstate()/db_errmsg() then describe it. On a connection with
     * db.NAME.prepare = 1 the host prepares each distinct SELECT/INSERT/UPDATE/DELETE/WITH/VALUES
     * text once and runs it by name: pass the same SQL text for the same statement (values go in
     * params), never text built per call. */
    dsm_rows_t *(*db_exec)(dsm_req_t *req, const char *db, const char *sql, int nparams,
                           const char *const *params);
    int (*db_begin)(dsm_req_t *req, const char *db);
    int (*db_commit)(dsm_req_t *req, const char *db);
    int (*db_rollback)(dsm_req_t *req, const char *db);
    const char *(*db_sqlstate)(const dsm_req_t *req); /* "23505", or "08006" when unreachable */
    const char *(*db_errmsg)(const dsm_req_t *req);
    int (*reply_db_error)(dsm_req_t *req); /* 503 when unreachable, 409 on unique violation, else 500 */
    int (*rows_count)(const dsm_rows_t *rows);
    int (*rows_affected)(const dsm_rows_t *rows);
    const char *(*rows_value)(const dsm_rows_t *rows, int row, int col); /* NULL for SQL NULL */
    int (*rows_col)(const dsm_rows_t *rows, const char *name);           /* -1 if absent */

    /* ---- Redis (one connection per thread) ---- */
    int (*redis_xadd)(dsm_req_t *req, const char *stream, size_t nfields, const char *const *keys,
                      const char *const *values, char *id_out, size_t id_len);
    int (*redis_ping)(dsm_req_t *req);

    /* ---- HTTP to other services (libcurl, one handle per thread). timeout_ms is clamped to the
     * request's deadline. body may be NULL. *body_out receives the parsed JSON reply (caller
     * owns it) or NULL. Returns the HTTP status, or -1 when no answer came (*err_out says why). */
    int (*http_call)(dsm_req_t *req, const char *method, const char *url,
                     const struct json_object *body, long timeout_ms,
                     struct json_object **body_out, const char **err_out);

    /* ---- logging: one JSON line; fields is NULL or an object whose keys are merged in ---- */
    void (*log)(dsm_req_t *req, const char *level, const char *event, const char *msg,
                struct json_object *fields /* taken */);

    /* ---- configuration ---- */
    const char *(*conf_get)(const dsm_conf_t *conf, const char *key); /* NULL if unset */
    const char *(*conf_env)(const char *name); /* getenv, host-side */

    /* ---- validation, Pydantic-lax (FastAPI-compatible 422 lists) ----
     * where is "body" (a member of the parsed JSON object body), "query" or "path".
     * Each call records a problem in the request when the value is missing (with
     * DSM_V_REQUIRED) or has the wrong type, then returns; after checking every field call
     * v_failed(), which sends the collected 422 and returns 1 when there was any problem.
     * Return values: 1 present and valid, 0 absent (or JSON null), -1 invalid (recorded). */
    int (*v_str)(dsm_req_t *req, const char *where, const char *field, unsigned flags,
                 const char **out); /* arena copy; JSON numbers are NOT strings (string_type) */
    int (*v_int)(dsm_req_t *req, const char *where, const char *field, unsigned flags,
                 int64_t *out); /* 5, "5", "5.0", 5.0, true ok (Pydantic lax); 5.5, "five" not */
    int (*v_float)(dsm_req_t *req, const char *where, const char *field, unsigned flags,
                   double *out);
    int (*v_bool)(dsm_req_t *req, const char *where, const char *field, unsigned flags, int *out);
    /* ISO date "YYYY-MM-DD" (with DSM_V_DATETIME_OK also "YYYY-MM-DDTHH:MM:SS[.f][Z|+hh:mm]",
     * truncated to its date); out gets "YYYY-MM-DD" */
    int (*v_date)(dsm_req_t *req, const char *where, const char *field, unsigned flags,
                  char out[11]);
    int (*v_failed)(dsm_req_t *req);
    /* Record a problem of the handler's own (e.g. a cross-field rule). */
    void (*v_problem)(dsm_req_t *req, const char *where, const char *field, const char *type,
                      const char *msg, const struct json_object *input);

    /* ---- small shared helpers ---- */
    const char *(*uuid4)(dsm_req_t *req);      /* arena string, lower-case canonical */
    const char *(*utcnow_iso)(dsm_req_t *req); /* naive UTC, Python isoformat */
    /* PostgreSQL timestamp text → Python isoformat ("2025-09-18 14:00:04.918273" →
     * "2025-09-18T14:00:04.918273", "+00" → "+00:00"); NULL → NULL */
    const char *(*ts_iso)(dsm_req_t *req, const char *pg_ts);
    int (*date_valid)(const char *yyyy_mm_dd); /* 1 when a real calendar date */

    /* ---- intelligence ---- */
    /* analyze(): one proposal for a decision field ("tasks_to_assign", ...). */
    int (*advise)(dsm_advice_t *out, const char *field, double value, double confidence,
                  int evidence_count, const char *reasoning);
    void (*advice_insight)(dsm_advice_t *out, struct json_object *insight /* taken */);
    /* Run every loaded intelligence source of the pinned generation in configured order.
     * Returns a JSON array (caller owns) of {"source","version","status","ms","proposals",
     * "insight","error"}; status is ok | declined | failed | skipped. */
    struct json_object *(*intel_run)(dsm_req_t *req, const dsm_decision_t *dc);
    /* Hand an outcome to every loaded intelligence source that has record(). */
    int (*intel_record)(dsm_req_t *req, const dsm_outcome_t *oc);

    /* ---- HTTP with retries and a circuit breaker (calls between services) ----
     * Like http_call, plus: up to o->retries extra attempts (only for GET/HEAD/PUT/DELETE, or
     * any method when o->retry_unsafe) after a transport failure or a 502/503/504, with a short
     * backoff, all inside the timeout and the request's deadline; and the process-wide circuit
     * breaker named o->breaker (NULL: none). A breaker opens when, over the last 10 s, at least
     * 3 calls were made and half or more failed (no answer or 5xx); while open, calls return -1
     * at once with *err_out "Circuit breaker is OPEN"; 30 s after the last failure one trial
     * call is let through (half-open): success closes it, failure opens it again. */
    int (*http_request)(dsm_req_t *req, const dsm_http_opts_t *o, struct json_object **body_out,
                        const char **err_out);
    /* n calls at once (libcurl multi), each with its own options (breaker honoured; retries:
     * failed calls are retried together, up to the largest o[i].retries). Returns when all
     * are done or the shortest deadline passed; res[i] is filled for every call (status -1 and
     * err when it got no answer). The bodies in res[] belong to the caller. n <= 16. */
    int (*http_parallel)(dsm_req_t *req, size_t n, const dsm_http_opts_t *o,
                         dsm_http_result_t *res);

    /* ---- health endpoints every service has ----
     * reply_live: 200 {"status":"ok"}.
     * reply_ready: runs the checks (URL checks in parallel, 2 s each) and answers 200, or 503
     * when a check that is not informational fails, in the original services' shape:
     *   {"service", "status":"ready"|"not_ready",
     *    "<name>":"ok"|"error" for each database / Redis check (e.g. "database", "redis"),
     *    "external_apis":{"<name>":"ok"|"error", ...} for URL checks (only if any),
     *    "timestamp"}                                                                    */
    int (*reply_live)(dsm_req_t *req);
    int (*reply_ready)(dsm_req_t *req, const char *service, const dsm_ready_check_t *checks,
                       size_t n);

    /* ---- small shared readers ----
     * conf_num: the plugin setting `key` as a number in [lo, hi]; dflt when unset or invalid. */
    double (*conf_num)(const dsm_conf_t *conf, const char *key, double dflt, double lo, double hi);
    /* The decision parameters of docs/ORCHESTRATOR.md §4, read from dc->params:
     * intel_wanted: 1 when dc->params has no "sources" list or lists `source` (a source that is
     * not wanted returns DSM_DECLINED at once); intel_budget_ms: params.source.<source>.
     * deadline_ms when it is a number in [1, 1e9), else dflt. */
    int (*intel_wanted)(const dsm_decision_t *dc, const char *source);
    long (*intel_budget_ms)(const dsm_decision_t *dc, const char *source, long dflt);

    /* ---- ABI 1.1 ----
     * pg_array: a PostgreSQL array literal of n strings, in the request arena, for a
     * parameter cast to text[], uuid[] … ($1::text[]): every element double-quoted with " and \
     * escaped, a NULL item as NULL; "{}" when n is 0. NULL when out of memory. */
    const char *(*pg_array)(dsm_req_t *req, const char *const *items, size_t n);
    /* url_escape: s percent-encoded for a URL path segment or query value (RFC 3986: only
     * A-Z a-z 0-9 - _ . ~ kept), in the request arena; "" for NULL; NULL when out of memory. */
    const char *(*url_escape)(dsm_req_t *req, const char *s);
    /* now_ns: CLOCK_MONOTONIC in nanoseconds (deadlines, durations; comparable with
     * dc->deadline_ns). */
    int64_t (*now_ns)(void);
    /* conf_num_checked: as conf_num, but a value that is set and is not a number in [lo, hi]
     * logs one error line naming conf.<plugin>.<key> and sets *bad = 1 (init should then refuse,
     * so that a typo never runs silently on a default). */
    double (*conf_num_checked)(const dsm_conf_t *conf, const char *key, double dflt, double lo,
                               double hi, int *bad);
};

/*
 * DSM_PLUGIN(...) — define the descriptor and the entry point, in exactly one .c file:
 *
 *   DSM_PLUGIN(.name = "project", .version = "1.0.0", .kind = DSM_KIND_SERVICE,
 *              .init = prj_init, .fini = prj_fini, .routes = prj_routes);
 */
#define DSM_EXPORT __attribute__((visibility("default")))
#define DSM_PLUGIN(...)                                                                            \
    DSM_EXPORT const dsm_plugin_t *dsm_plugin_entry(void);                                         \
    DSM_EXPORT const dsm_plugin_t *dsm_plugin_entry(void)                                          \
    {                                                                                              \
        static const dsm_plugin_t desc = {.magic = DSM_PLUGIN_MAGIC,                               \
                                          .abi_major = DSM_ABI_MAJOR,                              \
                                          .abi_minor = DSM_ABI_MINOR,                              \
                                          .size = sizeof(dsm_plugin_t),                            \
                                          .build_sig = DSM_BUILD_SIG,                              \
                                          __VA_ARGS__};                                            \
        return &desc;                                                                              \
    }

#endif /* DSM_PLUGIN_H */
