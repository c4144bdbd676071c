/*
 * chr_internal.h — what the files of the Chronicle service plugin share: the immutable state,
 * the request/JSON helpers (chr_util.c), the nested-body validator (chr_valid.c), the SQL
 * fragments the analytics share, and every route and stream handler (named in routes.c).
 * The plugin sees the host only through dsm/plugin.h.
 */
#ifndef CHR_INTERNAL_H
#define CHR_INTERNAL_H

#include <json.h>
#include <stdint.h>

#include "chr_logic.h"
#include "dsm/plugin.h"

/* Column limits of chronicle_db (data-architecture.md §4.2) and the service's own limit for
 * free text (TEXT columns and strings stored inside JSONB): longer → 422 string_too_long. */
#define CHR_MAX_ID     255   /* VARCHAR(255): project_id, sprint_id, facilitator_id, ... */
#define CHR_MAX_STATUS 50    /* retrospective_action_items.status VARCHAR(50) */
#define CHR_MAX_TEXT   65536 /* characters per text field */

/* Created by init, read-only afterwards (shared by every worker and consumer thread). */
typedef struct {
    const dsm_api_t *api;
    char *service_name; /* conf service_name, default "chronicle-service" (C2) */
} chr_state_t;

extern const dsm_route_t chr_routes[];
extern const dsm_consumer_t chr_consumers[];

/* clang-format off */
/* ---- SQL fragments shared by the analytics (chr_stats.c, chr_similar.c, chr_impact.c) ---- */

/* A JSONB value as an array / object, or an empty one when it is anything else (so
 * jsonb_array_elements / jsonb_each never fail on odd historical data). */
#define CHR_SQL_ARR(x) "(CASE WHEN jsonb_typeof(" x ") = 'array' THEN " x " ELSE '[]'::jsonb END)"
#define CHR_SQL_OBJ(x) "(CASE WHEN jsonb_typeof(" x ") = 'object' THEN " x " ELSE '{}'::jsonb END)"

/* A retrospective's tasks and tasks done (an item with status close/closed/completed/complete/
 * done in any case, or progress_percentage >= 100) are the stored columns task_stats[1] and
 * task_stats[2] of sprint_retrospectives, its team members task_employees (sql/chronicle_db/008,
 * the one definition). */

/* chr_imp_norm() in SQL: surrounding whitespace and trailing dots removed, lower-cased. */
#define CHR_SQL_IMP_NORM(x) "lower(regexp_replace(coalesce(" x ", ''), '^\\s+|[\\s.]+$', '', 'g'))"

/*
 * Every task entry of the daily scrum notes that satisfy cond (a condition on chronicle_notes,
 * e.g. "project_id = $1"), as rows "dt(project_id, sprint_id, day, task_id, imp)":
 *   current shape  additional_data = {"reports": {date: [{"employee_id", "tasks": [...]}]}, ...}
 *   legacy shape   additional_data = {date: [{..., "tasks": [...]}]}
 *   legacy columns impediments on the note itself (no task id).
 * day = report_date, or the creation date when the note has none. Notes that carry
 * orchestration_decision_details are orchestrator decisions filed as daily reports, not daily
 * scrums: they are left out. Use as the start of a WITH list.
 * KEEP IN STEP with chronicle_project_patterns() in sql/chronicle_db/006 (the same expansion,
 * kept there so that PostgreSQL keeps its plan).
 */
#define CHR_SQL_DAILY_TASKS(cond)                                                                 \
    "WITH dn AS (SELECT project_id, sprint_id, coalesce(report_date, created_at::date) AS day, "  \
    "additional_data AS ad, impediments FROM chronicle_notes "                                    \
    "WHERE event_type = 'daily_scrum_report' AND " cond " AND NOT "                               \
    "coalesce(additional_data ? 'orchestration_decision_details', false)), "                     \
    "dd AS (SELECT dn.project_id, dn.sprint_id, dn.day, d.value AS emps FROM dn, "                \
    "LATERAL jsonb_each(CASE WHEN jsonb_typeof(dn.ad -> 'reports') = 'object' THEN "              \
    "dn.ad -> 'reports' WHEN jsonb_typeof(dn.ad) = 'object' AND NOT dn.ad ? 'reports' "           \
    "THEN dn.ad ELSE '{}'::jsonb END) d), "                                                       \
    "dt AS (SELECT dd.project_id, dd.sprint_id, dd.day, t ->> 'id' AS task_id, "                  \
    "t ->> 'impediments' AS imp FROM dd, LATERAL jsonb_array_elements(" CHR_SQL_ARR("dd.emps")   \
    ") e, LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e) = 'object' THEN "                \
    CHR_SQL_ARR("e -> 'tasks'") " ELSE '[]'::jsonb END) t WHERE jsonb_typeof(t) = 'object' "      \
    "UNION ALL SELECT project_id, sprint_id, day, NULL, impediments FROM dn "                     \
    "WHERE impediments IS NOT NULL) "

/* An impediment text x that means "no impediment" ($n = chr_no_impediment_array()). */
#define CHR_SQL_NO_IMP(x, arr) "(" CHR_SQL_IMP_NORM(x) " = ANY(" arr "::text[]))"

/* clang-format on */

/* ---- chr_util.c ---- */
/* Database failure: roll back when in_tx, then api->reply_db_error (503/409/422/500). */
int chr_db_fail(const chr_state_t *st, dsm_req_t *req, int in_tx);
/* A query parameter used as an optional filter: NULL when absent or empty (Python `if x:`). */
const char *chr_filter(const chr_state_t *st, dsm_req_t *req, const char *name);
/* A path parameter ("" when absent). */
const char *chr_param(const chr_state_t *st, dsm_req_t *req, const char *name);
/* After a successful api->v_str of a body field: record "string_too_long" when value has more
 * than max characters. */
void chr_check_len(const chr_state_t *st, dsm_req_t *req, const char *field, const char *value,
                   size_t max);
/* SQL text → JSON (NULL → NULL, i.e. JSON null once added to an object or array). */
struct json_object *chr_jstr(const char *s);
struct json_object *chr_jint(const char *s);
/* A double printed as Python prints a float ("7.0", "0.85"). */
struct json_object *chr_jfloat(double d);
/* A JSONB column read back as text (PostgreSQL's key order) → json-c; NULL → NULL. */
struct json_object *chr_jparse(const char *text);
/* PostgreSQL timestamp text ("2025-09-18 14:00:05.12", "...+00") → Python isoformat
 * ("2025-09-18T14:00:05.120000", "...+00:00"; the fraction only when non-zero), in the arena;
 * with utc set a naive text is marked "+00:00". NULL → NULL. */
const char *chr_ts_text(const chr_state_t *st, dsm_req_t *req, const char *pg_ts, int utc);
/* chr_ts_text(..., 0) as JSON (NULL → JSON null). */
struct json_object *chr_jts(const chr_state_t *st, dsm_req_t *req, const char *pg_ts);
/* json_object_to_json_string of obj (compact) copied into the arena. */
const char *chr_json_text(const chr_state_t *st, dsm_req_t *req, struct json_object *obj);
/* {"message": msg, key: id} with status 201. */
int chr_reply_created(const chr_state_t *st, dsm_req_t *req, const char *msg, const char *key,
                      const char *id);
/* Server-local "now" as Python's datetime.now().isoformat() (arena). */
const char *chr_local_now(const chr_state_t *st, dsm_req_t *req);
/* The member key of obj, borrowed; NULL when absent or JSON null. */
struct json_object *chr_member(struct json_object *obj, const char *key);
/* 1 when obj has member key (even JSON null). */
int chr_has(struct json_object *obj, const char *key);

/* ---- chr_valid.c: nested body validation with FastAPI locations ----
 * A location is a chain of path elements from the body root. Problems of a direct member of
 * the body (loc ["body", field]) go to the host (api->v_problem, answered by api->v_failed);
 * deeper ones collect in vc->problems with their full loc, answered by chr_vc_reply. */
typedef struct chr_path_s {
    const struct chr_path_s *up; /* NULL: a member of the body */
    const char *key;             /* member name, or NULL for an array index */
    size_t idx;
} chr_path_t;

typedef struct {
    const chr_state_t *st;
    dsm_req_t *req;
    struct json_object *problems; /* array, owned; NULL until the first deep problem */
} chr_vc_t;

#define CHR_V_REQ  0x1u /* absent → "missing" */
#define CHR_V_NULL 0x2u /* JSON null allowed (Optional[...]) */

void chr_vc_init(chr_vc_t *vc, const chr_state_t *st, dsm_req_t *req);
/* Sends the collected deep problems as one 422 (returns 1), or frees nothing and returns 0. */
int chr_vc_reply(chr_vc_t *vc);
void chr_vc_free(chr_vc_t *vc);
void chr_vc_problem(chr_vc_t *vc, const chr_path_t *at, const char *type, const char *msg,
                    struct json_object *input, struct json_object *ctx /* taken */);
/* Each checks member key of obj (at = the path of obj, NULL for the body itself) and returns 1
 * when present and valid (*out set), 0 when absent/null and allowed, -1 when a problem was
 * recorded. Strings must not exceed max characters. */
int chr_vc_str(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
               unsigned flags, size_t max, const char **out);
int chr_vc_int(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
               unsigned flags, int64_t *out);
int chr_vc_float(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                 unsigned flags, double *out);
int chr_vc_bool(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                unsigned flags, int *out);
int chr_vc_datetime(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                    unsigned flags, chr_dt_t *out);
/* A JSON array (list_type). */
int chr_vc_list(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                unsigned flags, struct json_object **out);
/* A JSON object: model (model_type "... instance of <model>") when model is set, else a plain
 * dict (dict_type). */
int chr_vc_object(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                  unsigned flags, const char *model, struct json_object **out);
/* Any value (Any): required presence only; *out may be NULL for JSON null. */
int chr_vc_any(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
               unsigned flags, struct json_object **out);
/* Element i of an array checked as a model / dict / string (the element's own location). */
int chr_vc_item_object(chr_vc_t *vc, const chr_path_t *at, struct json_object *item, size_t i,
                       const char *model);
int chr_vc_item_str(chr_vc_t *vc, const chr_path_t *at, struct json_object *item, size_t i,
                    size_t max, const char **out);

/* ---- handlers (see routes.c for the URL of each) ---- */
int chr_health_live(void *state, dsm_req_t *req);     /* C1, C3 */
int chr_health_ready(void *state, dsm_req_t *req);    /* C2 */
int chr_daily_create(void *state, dsm_req_t *req);    /* C4 */
int chr_planning_create(void *state, dsm_req_t *req); /* C5 */
int chr_retro_create(void *state, dsm_req_t *req);    /* C6 */
int chr_audit_create(void *state, dsm_req_t *req);    /* C7 */
int chr_daily_get(void *state, dsm_req_t *req);       /* C8 */
int chr_retro_list(void *state, dsm_req_t *req);      /* C9 */
int chr_planning_list(void *state, dsm_req_t *req);   /* C10 */
int chr_audit_list(void *state, dsm_req_t *req);      /* C11 */
int chr_metrics_summary(void *state, dsm_req_t *req); /* C12 */
int chr_patterns(void *state, dsm_req_t *req);        /* C13 */
int chr_velocity(void *state, dsm_req_t *req);        /* C14 */
int chr_sprint_progress(void *state, dsm_req_t *req); /* C18 */
int chr_impediments(void *state, dsm_req_t *req);     /* C15 */
int chr_similar(void *state, dsm_req_t *req);         /* C16 */
int chr_impact(void *state, dsm_req_t *req);          /* C17 */

/* chr_events.c — orchestration_events / agent_learning_events → audit notes */
int chr_event_strategy(void *state, dsm_req_t *req, const dsm_msg_t *msg);

#endif /* CHR_INTERNAL_H */
