/*
 * orc_internal.h — what the files of the orchestrator service plugin share: the state made by
 * init (configuration, read-only afterwards; in-process operation counters behind a mutex),
 * the service-call and JSON helpers (orc_util.c), the decision pipeline (orc_perceive.c,
 * orc_pipeline.c, orc_act.c, orc_store.c), outcomes, schedules, and every route handler
 * (named in routes.c). The decision contract is docs/ORCHESTRATOR.md.
 */
#ifndef ORC_INTERNAL_H
#define ORC_INTERNAL_H

#include <json.h>
#include <pthread.h>
#include <stdint.h>

#include "dsm/plugin.h"
#include "orc_cron_logic.h"
#include "orc_evolve_logic.h"
#include "orc_logic.h"
#include "orc_rules_logic.h"

#define ORC_VERSION "1.0.0"
#define ORC_AGENT_VERSION "2.0.0"
#define ORC_MAX_PROJECT 50
#define ORC_STREAM "orchestration_events"
#define ORC_LEARNING_STREAM "agent_learning_events"

/* Services the orchestrator calls; also the circuit breaker names. */
typedef enum { ORC_PROJECT = 0, ORC_BACKLOG, ORC_SPRINT, ORC_CHRONICLE, ORC_MEMORY, ORC_NSVC } orc_svc_e;

#define ORC_NMODES 4
extern const char *const orc_modes[ORC_NMODES]; /* rule_based_only, intelligence_enhanced, hybrid, learning_enhanced */

/* In-process timing of named operations (O20/O26 "monitor summaries"). */
typedef enum {
    ORC_OP_ORCHESTRATION = 0, /* the whole O4 */
    ORC_OP_PERCEPTION,
    ORC_OP_BASELINE,
    ORC_OP_ADVISE,
    ORC_OP_GATE,
    ORC_OP_EXPLAIN,
    ORC_OP_ACTIONS,
    ORC_OP_EPISODE_STORE,
    ORC_OP_EPISODE_RETRIEVAL, /* the episodes source's time (from its report) */
    ORC_OP_PATTERN_ANALYSIS,  /* the chronicle source's time */
    ORC_OP_STRATEGY,          /* the strategy source's time */
    ORC_OP_SCHEDULE_FIRE,
    ORC_OP_COUNT
} orc_op_e;

typedef struct {
    uint64_t calls, ok;
    double sum_ms, max_ms, min_ms;
} orc_opstat_t;

typedef struct {
    pthread_mutex_t mu;
    orc_opstat_t op[ORC_OP_COUNT];
    uint64_t decisions, adjustments_applied, proposals_seen, proposals_passed;
} orc_stats_t;

typedef struct {
    const dsm_api_t *api;
    const dsm_conf_t *conf;  /* lives as long as the slot: per-source keys are read per decision */
    char *url[ORC_NSVC];     /* base URLs without a trailing slash */
    char *default_mode;
    char *mode_sources[ORC_NMODES]; /* space-separated advise sources per mode */
    char *baseline_source;
    char *explain_sources;
    char *task_count_field;  /* S5 body member carrying the task count */
    long decision_deadline_ms;
    long http_timeout_ms;
    long catchup_s;
    orc_gate_t gate;         /* defaults, before per-project overrides */
    orc_stats_t *stats;
    int64_t started_ns;
} orc_state_t;

extern const dsm_route_t orc_routes[];
extern const dsm_consumer_t orc_consumers[];

/* ---- orc_util.c ---- */
/* Milliseconds since t0_ns (api->now_ns). */
double orc_ms_since(const orc_state_t *st, int64_t t0_ns);
/* Where a stage's time went (performance_metrics.stages_ms.*_steps): steps[name] = ms, or, when
 * t is given, the ms since *t (then *t = now). Nothing when steps is NULL. */
void orc_step_add(const orc_state_t *st, struct json_object *steps, const char *name, double ms,
                  int64_t *t);
const char *orc_svc_title(orc_svc_e s);  /* "Project Service" */
const char *orc_svc_key(orc_svc_e s);    /* "project" */
/* Percent-encode a path segment (arena). */
const char *orc_seg(orc_state_t *st, dsm_req_t *req, const char *s);
/* One call to a service: URL = base + path. body may be NULL. Retries GETs once; the breaker
 * is the service's. Returns the HTTP status (-1 no answer, *err says why); *out owned by the
 * caller (may be NULL). timeout_ms 0 → conf http_timeout_ms. */
int orc_call(orc_state_t *st, dsm_req_t *req, orc_svc_e svc, const char *method,
             const char *path, const struct json_object *body, long timeout_ms,
             struct json_object **out, const char **err);
/* Reply for a failed required call: 503 naming the dependency when no answer/5xx/breaker,
 * 404 "<what> not found." given, else the status with "<Service> error: <body>". */
int orc_reply_dependency(orc_state_t *st, dsm_req_t *req, orc_svc_e svc, int status,
                         const struct json_object *body, const char *err);
int orc_db_fail(orc_state_t *st, dsm_req_t *req, int in_tx);
struct json_object *orc_jstr_or_null(const char *s);
struct json_object *orc_jint_text(const char *s);  /* SQL text → int / null */
struct json_object *orc_jnum_text(const char *s);  /* SQL text → double / null */
struct json_object *orc_jbool_text(const char *s); /* "t"/"f" → bool / null */
struct json_object *orc_jjson_text(const char *s); /* jsonb text → parsed / null */
const char *orc_json_text(dsm_req_t *req, const dsm_api_t *api, const struct json_object *o);
/* A float rounded to 4 decimals as JSON (integral values as ints). */
struct json_object *orc_jd(double v);
/* A float printed shortest-round-trip ("0.1", "10.0"), Python style. */
struct json_object *orc_jfloat(double v);
/* Add a FastAPI-style problem {"type","loc":[a,b?,c?],"msg","input"} to list. */
void orc_problem(struct json_object *list, const char *a, const char *b, const char *c,
                 const char *type, const char *msg, const struct json_object *input);
/* Split a space/comma separated list: returns 1 when name is in it. */
int orc_list_has(const char *list, const char *name);
/* conf.orchestrator.<prefix>.<name> as a number, or def. */
double orc_conf_num(orc_state_t *st, const char *prefix, const char *name, double def);
int orc_mode_index(const char *mode); /* -1 unknown */
/* Operation counters. */
void orc_stat(orc_state_t *st, orc_op_e op, double ms, int ok);
struct json_object *orc_stat_summary(orc_state_t *st, orc_op_e op);
const char *orc_op_name(orc_op_e op);
/* Project existence through the Project service: 1 exists, 0 replied (404/503…), reply sent. */
int orc_project_check(orc_state_t *st, dsm_req_t *req, const char *pid);
/* Publish {"data": json} on stream; 0 ok. */
int orc_publish(orc_state_t *st, dsm_req_t *req, const char *stream, const struct json_object *data);

/* ---- orc_mode.c ---- */
typedef struct {
    char mode[32];
    orc_gate_t gate;
    int from_db;       /* 1: a per-project row exists */
    int resource_adj;  /* enable_resource_allocation_adjustment (reported only) */
} orc_mode_t;
/* The project's mode and gate (defaults when no row). 0 ok, -1 database error (not replied). */
int orc_mode_get(orc_state_t *st, dsm_req_t *req, const char *pid, orc_mode_t *out);
struct json_object *orc_gate_json(const orc_gate_t *g);

/* ---- orc_perceive.c ---- */
typedef struct {
    struct json_object *options; /* validated request options (owned by the caller) */
    long weeks;
    const char *mode;
    int with_chronicle;          /* 0: skip the Chronicle analytics calls */
    struct json_object **timings; /* optional out: ms of each call and step (caller owns) */
} orc_perceive_opts_t;
/* Build the perception (docs/ORCHESTRATOR.md §2). 0 with *out (caller owns), or -1 after a
 * reply (unknown project 404, a required service 503 / passthrough). */
int orc_perceive(orc_state_t *st, dsm_req_t *req, const char *pid, const orc_perceive_opts_t *o,
                 struct json_object **out);

/* The perception's "chronicle" member alone (velocity, similar projects, patterns). */
struct json_object *orc_chronicle_data(orc_state_t *st, dsm_req_t *req, const char *pid);

/* ---- orc_pipeline.c ---- */
typedef struct {
    /* inputs */
    const char *project_id;
    const char *decision_id;
    struct json_object *perception;    /* borrowed */
    const char *mode;
    orc_gate_t gate;
    const char *advise_sources;        /* NULL: the mode's list */
    struct json_object *baseline_in;   /* replay: the recorded baseline (borrowed), or NULL */
    int replay;
    int explain;                       /* run the explain pass */
    int64_t deadline_ns;
    /* outputs (owned; orc_decision_free) */
    struct json_object *baseline;      /* Baseline + baseline_source */
    struct json_object *decisions;     /* the response's "decisions" object */
    struct json_object *sources;       /* intelligence_sources report */
    struct json_object *applied_sources;   /* {"tasks_to_assign": ["chronicle", …]} */
    struct json_object *applied_strategies; /* array of strategy ids (UUIDs only) */
    struct json_object *source_insights;    /* {"chronicle": {...}, ...} */
    struct json_object *advisory;      /* ai_agent_advisory or NULL */
    struct json_object *strategy_insight;   /* borrowed from source_insights */
    char *insights_summary;
    double confidence;                 /* overall_decision_confidence */
    int adjustments;                   /* applied adjustments */
} orc_decision_t;
int orc_decide(orc_state_t *st, dsm_req_t *req, orc_decision_t *d);
void orc_decision_free(orc_decision_t *d);

/* ---- orc_act.c ---- */
typedef struct {
    struct json_object *actions;  /* actions_taken (array of strings) */
    const char *created_sprint;   /* arena */
    const char *closed_sprint;
    const char *schedule_name;    /* created / recreated / deleted */
    int committed;                /* tasks the sprint got (-1 unknown) */
    struct json_object *close_result; /* S11 body (owned) */
    int closed_committed;         /* total tasks of the closed sprint before the close */
} orc_acts_t;
/* Execute the final decision (close, create with the final numbers, schedules). Warnings
 * go into decisions.warnings. Never replies. */
void orc_act(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, const char *schedule_expr,
             const char *schedule_tz, orc_acts_t *out);
void orc_acts_free(orc_acts_t *a);

/* ---- orc_store.c ---- */
/* Insert the decision row, store the episode, strategy log rows and STRATEGY_APPLIED events,
 * the audit note, the daily note and the orchestration event. Warnings appended to
 * decisions.warnings. */
void orc_store(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_acts_t *a,
               double duration_ms, const char **episode_id_out, struct json_object *steps);

/* ---- orc_outcome.c ---- */
typedef struct {
    const char *project_id, *sprint_id;
    int completed, moved_back, committed; /* committed < 0: completed + moved_back */
    const char *status;                    /* status_updated_to */
    const char *closed_by;                 /* orchestrator | sprint_service | reconciled (the
                                            * only one that waits for another recorder) */
} orc_close_t;
/* Record the outcome of a closed sprint once (docs/ORCHESTRATOR.md §8). Returns 1 recorded,
 * 0 nothing to record (no creating decision, or already recorded), -1 failed (retry later). */
int orc_outcome_record(orc_state_t *st, dsm_req_t *req, const orc_close_t *c,
                       struct json_object **outcome_out);
int orc_consume_sprint_event(void *state, dsm_req_t *req, const dsm_msg_t *msg);
/* Outcomes of the project's closed sprints (perception.sprints.recent) that no close action or
 * event recorded, from their Chronicle retrospectives (at most 3 per call). Returns how many. */
int orc_outcome_reconcile(orc_state_t *st, dsm_req_t *req, const char *pid,
                          const struct json_object *perception);

/* ---- orc_schedule.c ---- */
/* Create (or keep) the schedule of a sprint. 0 created, 1 existed, -1 failed (*err). */
int orc_schedule_create(orc_state_t *st, dsm_req_t *req, const char *name, const char *pid,
                        const char *sid, const char *cron, const char *tz, const char **err);
int orc_schedule_delete_sprint(orc_state_t *st, dsm_req_t *req, const char *pid, const char *sid);
/* The project's schedules as the perception / O5 show them (NULL on database error). */
struct json_object *orc_schedule_list(orc_state_t *st, dsm_req_t *req, const char *pid, int full);
int orc_tick(void *state, dsm_req_t *req);

/* ---- orc_patterns.c (from the perception's "chronicle" member) ---- */
struct json_object *orc_velocity_json(const struct json_object *velocity);         /* NULL: no data */
struct json_object *orc_pattern_analysis(const struct json_object *chronicle, double *confidence);
struct json_object *orc_data_quality(const struct json_object *chronicle);
struct json_object *orc_similar_list(const struct json_object *chronicle);         /* borrowed */

/* ---- orc_intel.c ---- */
/* The O15 body for a project (chronicle: the perception's chronicle member, borrowed). */
struct json_object *orc_insights_body(orc_state_t *st, dsm_req_t *req, const char *pid,
                                      const struct json_object *chronicle);
/* The loaded intelligence sources [{"source","version"}] (an intel_run nobody answers). */
struct json_object *orc_loaded_sources(orc_state_t *st, dsm_req_t *req);

/* ---- orc_orchestrate.c ---- */
/* Options of O4 (validated, defaults filled) or NULL after replying 422. */
struct json_object *orc_options(orc_state_t *st, dsm_req_t *req, struct json_object *body);
struct json_object *orc_resource_usage(void);

/* ---- orc_evolve.c ---- */
/* The run's result (owned), or NULL when it already answered the request (409 while another
 * run holds the lock, 503/500 on a database error). */
struct json_object *orc_evolve_run(orc_state_t *st, dsm_req_t *req, const char *project_id,
                                   int min_episodes, int days, int max_strategies, int optimise);

/* ---- handlers (see routes.c for the URL of each) ---- */
int orc_health_live(void *state, dsm_req_t *req);          /* O1 */
int orc_health_ready(void *state, dsm_req_t *req);         /* O2 */
int orc_orchestrate(void *state, dsm_req_t *req);          /* O4 */
int orc_status(void *state, dsm_req_t *req);               /* O5 */
int orc_cronjob_delete(void *state, dsm_req_t *req);       /* O6 */
int orc_strategy_status(void *state, dsm_req_t *req);      /* O7 */
int orc_strategy_evolve(void *state, dsm_req_t *req);      /* O8 */
int orc_strategy_evolve_project(void *state, dsm_req_t *req); /* O9 */
int orc_strategy_analytics(void *state, dsm_req_t *req);   /* O10 */
int orc_strategy_list(void *state, dsm_req_t *req);        /* O11 */
int orc_strategy_performance(void *state, dsm_req_t *req); /* O12 */
int orc_strategy_deactivate(void *state, dsm_req_t *req);  /* O13 */
int orc_strategy_health(void *state, dsm_req_t *req);      /* O14 */
int orc_intel_insights(void *state, dsm_req_t *req);       /* O15 */
int orc_intel_similar(void *state, dsm_req_t *req);        /* O16 */
int orc_intel_velocity(void *state, dsm_req_t *req);       /* O17 */
int orc_intel_models_health(void *state, dsm_req_t *req);  /* O18 */
int orc_intel_data_quality(void *state, dsm_req_t *req);   /* O19 */
int orc_intel_perf_metrics(void *state, dsm_req_t *req);   /* O20 */
int orc_intel_decision_impact(void *state, dsm_req_t *req); /* O21 */
int orc_intel_decision_mode(void *state, dsm_req_t *req);  /* O22 */
int orc_intel_decision_audit(void *state, dsm_req_t *req); /* O23 */
int orc_intel_hybrid_patterns(void *state, dsm_req_t *req); /* O24 */
int orc_intel_episode_insights(void *state, dsm_req_t *req); /* O25 */
int orc_intel_hybrid_metrics(void *state, dsm_req_t *req); /* O26 */
int orc_replay(void *state, dsm_req_t *req);               /* replay (issue item 7) */

#endif /* ORC_INTERNAL_H */
