/*
 * spr_internal.h — what the files of the Sprint service plugin share: the immutable state, the
 * request/JSON/database helpers (spr_util.c), the calls to the other services (spr_client.c),
 * the event publishers (spr_events.c) and every route handler (named in routes.c).
 * The plugin sees the host only through dsm/plugin.h.
 */
#ifndef SPR_INTERNAL_H
#define SPR_INTERNAL_H

#include <json-c/json.h>

#include "dsm/plugin.h"
#include "spr_logic.h"

/* Created by init, read-only afterwards (shared by every worker thread). */
typedef struct {
    const dsm_api_t *api;
    char *service_name;  /* conf service_name, default "sprint-service" (S2) */
    char *project_url;   /* conf project_url, default http://127.0.0.1:8080 (no trailing /) */
    char *backlog_url;   /* conf backlog_url */
    char *chronicle_url; /* conf chronicle_url */
} spr_state_t;

extern const dsm_route_t spr_routes[];

/* Columns of a Sprint (api.md §4), in JSON key order; dates shown as their DATE part. */
#define SPR_SPRINT_COLS                                                                            \
    "s.sprint_id, s.project_id, s.sprint_name, to_char(s.start_date, 'YYYY-MM-DD'), "             \
    "to_char(s.end_date, 'YYYY-MM-DD'), s.duration_weeks, s.status"
/* Columns of a TaskInSprint, in JSON key order. */
#define SPR_TASK_COLS                                                                              \
    "t.task_id, t.title, t.status, t.sprint_id, t.progress_percentage, t.assigned_to"

/* ---- spr_util.c ---- */
/* A path parameter ("" when absent; the host has already refused invalid UTF-8). */
const char *spr_param(const spr_state_t *st, dsm_req_t *req, const char *name);
/* Database failure: roll back when in_tx, log, then api->reply_db_error (503/409/500). */
int spr_db_fail(const spr_state_t *st, dsm_req_t *req, int in_tx);
/* Roll back (when in_tx) and reply status {"detail": text}. Returns DSM_OK. */
int spr_fail(const spr_state_t *st, dsm_req_t *req, int in_tx, int status, const char *text);
/* SQL text → JSON (NULL → NULL, i.e. JSON null once added). */
struct json_object *spr_jstr(const char *s);
struct json_object *spr_jint(const char *s);
int spr_atoi(const char *s); /* NULL → 0 */
/* Row `row` of SPR_SPRINT_COLS (from column col0) as a Sprint object / a spr_sprint_t. */
struct json_object *spr_sprint_json(const spr_state_t *st, const dsm_rows_t *r, int row,
                                    int col0);
void spr_sprint_row(const spr_state_t *st, const dsm_rows_t *r, int row, int col0,
                    spr_sprint_t *out);
/* Row `row` of SPR_TASK_COLS (from column col0) as a TaskInSprint object. */
struct json_object *spr_task_json(const spr_state_t *st, const dsm_rows_t *r, int row, int col0);
/* The server's local date "YYYY-MM-DD" (api.md §0.1: "today" is the server's local date). */
void spr_today(char out[11]);
/* A PostgreSQL array literal of items in the arena (NULL on out-of-memory). */
const char *spr_array_param(const spr_state_t *st, dsm_req_t *req, const char *const *items,
                            size_t n);
/* Append text to a "warnings" array kept in *warnings (created on first use). */
void spr_warn(struct json_object **warnings, const char *text);
/* 1 when Redis answers PING; otherwise replies 503 (rolling back when in_tx) and returns 0. */
int spr_require_redis(const spr_state_t *st, dsm_req_t *req, int in_tx, const char *why);

/* ---- spr_client.c: calls to the Project, Backlog and Chronicle services ---- */
typedef enum { SPR_PROJECT = 0, SPR_BACKLOG = 1, SPR_CHRONICLE = 2 } spr_svc_e;

typedef struct {
    int status;                /* HTTP status, -1 when no answer came */
    const char *err;           /* why no answer came (transport error, "Circuit breaker is OPEN") */
    struct json_object *body;  /* parsed JSON reply or NULL; released by spr_resp_free */
} spr_resp_t;

/* method + path (already encoded, with query) against the service's base URL, through the
 * circuit breaker named after the service ("project", "backlog", "chronicle"), 2 s per attempt,
 * one retry for idempotent methods. Returns 1 on a 2xx answer, else 0. */
int spr_call(const spr_state_t *st, dsm_req_t *req, spr_svc_e svc, const char *method,
             const char *path, const struct json_object *body, spr_resp_t *out);
void spr_resp_free(spr_resp_t *r);
/* "Backlog Service" etc. */
const char *spr_svc_title(spr_svc_e svc);
/* Why a call failed, for a detail or a warning: "Circuit breaker is OPEN", "HTTP 503", ... */
const char *spr_resp_reason(const spr_state_t *st, dsm_req_t *req, const spr_resp_t *r);
/* Roll back (when in_tx) and reply 503 "<Service> is currently unavailable (<reason>)<what>". */
int spr_unavailable(const spr_state_t *st, dsm_req_t *req, int in_tx, spr_svc_e svc,
                    const spr_resp_t *r, const char *what);
/* The encoded path segment of s in the arena. */
const char *spr_seg(const spr_state_t *st, dsm_req_t *req, const char *s);

/* ---- spr_events.c: Redis Streams (one field "data" holding the JSON document) ---- */
int spr_publish(const spr_state_t *st, dsm_req_t *req, const char *stream,
                struct json_object *doc /* taken */);
int spr_publish_task_updated(const spr_state_t *st, dsm_req_t *req, const spr_task_evt_t *e,
                             const char *correlation_id /* NULL: a fresh uuid4 */);
int spr_publish_progressed(const spr_state_t *st, dsm_req_t *req, const char *sprint_id,
                           const spr_entry_t *e);
int spr_publish_sprint_closed(const spr_state_t *st, dsm_req_t *req, const spr_sprint_t *s,
                              const char *status, int total, int completed, int moved_back);
int spr_publish_sprint_started(const spr_state_t *st, dsm_req_t *req, const spr_sprint_t *s,
                               const char *const *task_ids, size_t n);

/* ---- handlers (see routes.c for the URL of each) ---- */
int spr_health_live(void *state, dsm_req_t *req);      /* S1 */
int spr_health_ready(void *state, dsm_req_t *req);     /* S2 */
int spr_active_any(void *state, dsm_req_t *req);       /* S3 */
int spr_active_project(void *state, dsm_req_t *req);   /* S4 */
int spr_sprint_create(void *state, dsm_req_t *req);    /* S5 */
int spr_list_projects(void *state, dsm_req_t *req);    /* S6 */
int spr_sprint_get(void *state, dsm_req_t *req);       /* S7 */
int spr_sprint_tasks(void *state, dsm_req_t *req);     /* S8 */
int spr_by_project(void *state, dsm_req_t *req);       /* S9 */
int spr_task_progress(void *state, dsm_req_t *req);    /* S10 */
int spr_sprint_close(void *state, dsm_req_t *req);     /* S11 */
int spr_task_summary(void *state, dsm_req_t *req);     /* S12 */
int spr_daily_scrum(void *state, dsm_req_t *req);      /* S13 */
/* spr_simcap.c: the simulated capacity of a project (not in the original; routes.c item 16) */
int spr_simcap_put(void *state, dsm_req_t *req);
int spr_simcap_get(void *state, dsm_req_t *req);
int spr_simcap_delete(void *state, dsm_req_t *req);

#endif /* SPR_INTERNAL_H */
