/*
 * prj_internal.h — what the files of the Project service plugin share: the immutable state,
 * the small request/JSON helpers (prj_util.c) and every route handler (named in routes.c).
 * The plugin sees the host only through dsm/plugin.h.
 */
#ifndef PRJ_INTERNAL_H
#define PRJ_INTERNAL_H

#include <json.h>

#include "dsm/plugin.h"
#include "prj_logic.h"

/* VARCHAR limits of project_db (shared/spec/data-architecture.md §1.2). */
#define PRJ_MAX_VARCHAR 255
#define PRJ_MAX_GENDER 10
#define PRJ_MAX_STATE 50

/* Created by init, read-only afterwards (shared by every worker thread). */
typedef struct {
    const dsm_api_t *api;
    char *service_name; /* conf service_name, default "project-service" (P2) */
} prj_state_t;

extern const dsm_route_t prj_routes[];

/* ---- prj_util.c ---- */
/* A path parameter ("" when absent). Request texts are valid UTF-8 here: the host refuses a
 * path, query or body that is not (400/422) before any handler runs. */
const char *prj_param(const prj_state_t *st, dsm_req_t *req, const char *name);
/* A JSON member of a raw body as text: 1 a string without NUL (*out = it), 0 absent
 * or null, -1 any other type or a string with an embedded NUL. */
int prj_json_text(const prj_state_t *st, dsm_req_t *req, struct json_object *obj,
                  const char *key, const char **out);
/* Body fields validated with api->v_str: record "string_too_long" when longer than max. */
void prj_check_len(const prj_state_t *st, dsm_req_t *req, const char *field, const char *value,
                   size_t max);
/* A required body string that came as JSON null: Pydantic's "string_type" problem. */
void prj_null_problem(const prj_state_t *st, dsm_req_t *req, const char *field);
/* After a successful api->v_date: record a problem unless value is a real calendar date
 * (an empty value, i.e. a required date that came as null, is "missing"). */
void prj_check_date(const prj_state_t *st, dsm_req_t *req, const char *where, const char *field,
                    const char *value);
/* Database failure: roll back when in_tx, then api->reply_db_error (503/409/500). */
int prj_db_fail(const prj_state_t *st, dsm_req_t *req, int in_tx);
/* SQL text → JSON (NULL → NULL, i.e. JSON null once added to an object or array). */
struct json_object *prj_jstr(const char *s);
struct json_object *prj_jint(const char *s);
struct json_object *prj_jbool(const char *s);
/* {"employee_id": id, "employee_name": name} (TeamMember). */
struct json_object *prj_team_member(const char *id, const char *name);

/* ---- handlers (see routes.c for the URL of each) ---- */
int prj_health_live(void *state, dsm_req_t *req);      /* P1 */
int prj_health_ready(void *state, dsm_req_t *req);     /* P2 */
int prj_project_create(void *state, dsm_req_t *req);   /* P3 */
int prj_project_list(void *state, dsm_req_t *req);     /* P4 */
int prj_project_get(void *state, dsm_req_t *req);      /* P5 */
int prj_project_status(void *state, dsm_req_t *req);   /* P6 */
int prj_members_list(void *state, dsm_req_t *req);     /* P7 */
int prj_holidays_list(void *state, dsm_req_t *req);    /* P8 */
int prj_pto_list(void *state, dsm_req_t *req);         /* P9 */
int prj_pto_add(void *state, dsm_req_t *req);          /* P10 */
int prj_pto_delete(void *state, dsm_req_t *req);       /* P11 */
int prj_availability(void *state, dsm_req_t *req);     /* P12 */
int prj_employee_create(void *state, dsm_req_t *req);  /* P13 */
int prj_employee_debug(void *state, dsm_req_t *req);   /* P14 */
int prj_employee_get(void *state, dsm_req_t *req);     /* P15 */
int prj_team_list(void *state, dsm_req_t *req);        /* P16 */
int prj_team_get(void *state, dsm_req_t *req);         /* P17 */
int prj_team_members(void *state, dsm_req_t *req);     /* P18 */
int prj_members_assign(void *state, dsm_req_t *req);   /* P19 */
int prj_employee_projects(void *state, dsm_req_t *req); /* P20 */

#endif /* PRJ_INTERNAL_H */
