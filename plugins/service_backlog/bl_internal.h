/*
 * bl_internal.h — what the files of the Backlog service plugin share: the immutable state, the
 * small JSON/database helpers (bl_util.c), the Project service client (bl_project.c), every
 * route handler (named in routes.c) and the TASK_UPDATED consumer (bl_events.c).
 * The plugin sees the host only through dsm/plugin.h.
 */
#ifndef BL_INTERNAL_H
#define BL_INTERNAL_H

#include <json.h>

#include "bl_logic.h"
#include "dsm/plugin.h"

#define BL_DEFAULT_SERVICE_NAME "backlog-service"
#define BL_DEFAULT_PROJECT_URL "http://127.0.0.1:8080"
#define BL_PROJECT_BREAKER "project"
#define BL_PROJECT_TIMEOUT_MS 2000 /* per attempt; one retry for GETs */

/* VARCHAR limits of backlog_db.tasks (shared/spec/data-architecture.md §2.2). */
#define BL_MAX_VARCHAR 255
#define BL_MAX_STATUS 50

/* Created by init, read-only afterwards (shared by every worker and consumer thread). */
typedef struct {
    const dsm_api_t *api;
    char *service_name; /* conf service_name, default "backlog-service" (B2) */
    char *project_url;  /* conf project_url without trailing '/', default BL_DEFAULT_PROJECT_URL */
} bl_state_t;

extern const dsm_route_t bl_routes[];
extern const dsm_consumer_t bl_consumers[];

/* The columns of a Task, in the reply's key order. */
#define BL_TASK_COLS                                                                               \
    "task_id, project_id, title, description, status, assigned_to, sprint_id, "                   \
    "progress_percentage"

/* ---- bl_util.c ---- */
/* SQL text → JSON (NULL → NULL, i.e. JSON null once added to an object or array). */
struct json_object *bl_jstr(const char *s);
struct json_object *bl_jint(const char *s);
/* One row of BL_TASK_COLS as a Task object (api.md §3, this key order). */
struct json_object *bl_task_json(const dsm_api_t *api, const dsm_rows_t *r, int row);
/* Database failure: roll back when in_tx; 503 "Database unavailable" when the database cannot
 * be reached, otherwise 500 {"detail": msg} (the spec's message for the endpoint). The
 * database's own message is logged, never sent. */
int bl_db_fail(const bl_state_t *st, dsm_req_t *req, int in_tx, const char *msg);
/* Body string checked with api->v_str: record "string_too_long" when longer than max. */
void bl_check_len(const bl_state_t *st, dsm_req_t *req, const char *field, const char *value,
                  size_t max);

/* ---- bl_project.c: the Project service over HTTP (breaker "project") ---- */
/* GET <project_url>/projects/{id}: 0 when the project exists; otherwise the reply has been
 * sent (404 "Project X not found.", 503 when the Project service cannot answer) and -1. */
int bl_project_require(const bl_state_t *st, dsm_req_t *req, const char *project_id);
/* GET <project_url>/projects: the JSON array (caller puts it), or NULL after a 503 reply. */
struct json_object *bl_project_list(const bl_state_t *st, dsm_req_t *req);

/* ---- handlers (see routes.c for the URL of each) ---- */
int bl_health_live(void *state, dsm_req_t *req);      /* B1 */
int bl_health_ready(void *state, dsm_req_t *req);     /* B2 */
int bl_summary_all(void *state, dsm_req_t *req);      /* B3 */
int bl_generate(void *state, dsm_req_t *req);         /* B4 */
int bl_summary_project(void *state, dsm_req_t *req);  /* B5 */
int bl_task_list(void *state, dsm_req_t *req);        /* B6 */
int bl_task_update(void *state, dsm_req_t *req);      /* B7 */

/* ---- consumer (bl_events.c) ---- */
int bl_consume_task_update(void *state, dsm_req_t *req, const dsm_msg_t *msg);

#endif /* BL_INTERNAL_H */
