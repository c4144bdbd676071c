/*
 * rules_logic.h — the rule-based baseline of an orchestration decision (spec/orchestrator.md §2),
 * as pure C: no host API, no json-c, no state. Linked into the "rules" intelligence plugin and,
 * directly, into the unit tests (tests/unit/plugins/test_rules_logic.c).
 *
 * Defects of the original fixed here (Appendix A): #4 the sprint name counts every sprint of
 * the project (not the in-progress ones, which are always 0 when a sprint is created); #5
 * cronjob_deleted is set when a sprint is closed (its daily-scrum schedule goes with it); #6 the
 * baseline duration is the requested sprint_duration_weeks (what is executed), not a constant 2.
 * The perception and the Baseline object are those of docs/ORCHESTRATOR.md §2–§3.
 */
#ifndef RULES_LOGIC_H
#define RULES_LOGIC_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

#define RUL_ID_MAX 128     /* sprint ids / names ("<pid>-S01") */
#define RUL_TEXT_MAX 4096  /* reasoning text */

/* One availability conflict (§2.3 R1): a holiday or a PTO entry inside the sprint window. */
typedef struct {
    const char *type; /* "holiday" | "pto" (unused by the wording) */
    const char *name; /* holiday name, or the employee's name for PTO */
    const char *date; /* "YYYY-MM-DD" (PTO: its start date) */
} rul_conflict_t;

/* Everything the rules read (§2.1). Strings are borrowed. */
typedef struct {
    const char *project_id;
    int64_t unassigned;            /* U: tasks with status 'unassigned' and no sprint */
    int64_t active_sprints;        /* A: in-progress sprints of the project */
    const char *current_sprint_id; /* S: the in-progress sprint, NULL when none */
    int64_t next_number;           /* number of the next sprint: every sprint + 1 (#4) */
    int has_summary;               /* the current sprint's task summary is known */
    int64_t summary_total;
    int64_t summary_pending;
    int schedule_exists;           /* the daily-scrum schedule of S exists (R2b/R2c) */
    int availability_conflict;     /* availability.status == "conflict" */
    size_t nconflicts;
    const rul_conflict_t *conflicts;
    /* request options (§1.1) */
    int create_sprint_if_needed;   /* default 1 */
    int create_cronjob;            /* default 1 */
    int64_t max_tasks_per_sprint;  /* default 10 */
    int64_t sprint_duration_weeks; /* default 2 */
} rul_input_t;

/* Which row of the outcome table (§2.4) the state fell into. */
typedef enum {
    RUL_NOTHING = 0,       /* A == 0 and (U == 0 or the create flag is off) */
    RUL_CLOSE = 1,         /* A > 0, pending == 0: close S */
    RUL_RECREATE_JOB = 2,  /* A > 0, pending > 0 or no summary, schedule missing */
    RUL_NO_ACTION = 3,     /* A > 0, schedule exists */
    RUL_CREATE = 4,        /* A == 0, U > 0, create flag: new sprint */
} rul_outcome_e;

/* Reasoning items in the order the rules add them (R4 joins them with "; "). */
typedef enum {
    RUL_R_CONFLICTS = 1,  /* R1 */
    RUL_R_RECREATE,       /* R2b */
    RUL_R_JOB_EXISTS,     /* R2c */
    RUL_R_NO_SPRINT,      /* R3 */
    RUL_R_PROPOSE_SPRINT, /* R3 */
    RUL_R_PROPOSE_TASKS,  /* R3 */
    RUL_R_JOB_TRIGGER,    /* R3 */
} rul_reason_e;

#define RUL_MAX_REASONS 8

typedef struct {
    rul_outcome_e outcome;
    int create_new_sprint;
    int64_t tasks_to_assign;
    int cronjob_created;
    int sprint_closure_triggered;
    int cronjob_deleted;
    int64_t sprint_duration_weeks;
    char sprint_name[RUL_ID_MAX];        /* "" = null */
    char sprint_id[RUL_ID_MAX];          /* "" = null (set when recreating a schedule) */
    char sprint_id_to_close[RUL_ID_MAX]; /* "" = null */
    rul_reason_e reasons[RUL_MAX_REASONS];
    size_t nreasons;
    size_t nwarnings;                    /* one per conflict (R1), see rul_warning() */
    int evidence_count;                  /* facts of the perception the outcome rests on */
} rul_decision_t;

/* Default options (§1.1) in an otherwise zeroed input. */
void rul_input_defaults(rul_input_t *in);

/* Evaluate R1–R3 in order (§2.3). Deterministic, never fails. */
void rul_decide(const rul_input_t *in, rul_decision_t *out);

/* R4: the reasoning items joined with "; ", or the "No specific actions required…" text.
 * snprintf contract: writes at most n bytes, returns the length the text needs. */
size_t rul_reasoning(const rul_input_t *in, const rul_decision_t *d, char *buf, size_t n);

/* R1 warning i (< d->nwarnings): "Sprint timeline includes upcoming holiday: {name} on {date}".
 * snprintf contract. */
size_t rul_warning(const rul_input_t *in, size_t i, char *buf, size_t n);

/* "run-dailyscrum-<lower(pid)>-<lower(sid)>" — the schedule (ex-CronJob) name of a sprint.
 * snprintf contract. */
size_t rul_job_name(const char *project_id, const char *sprint_id, char *buf, size_t n);

/* Short name of an outcome: "nothing", "close_sprint", "recreate_schedule", "no_action",
 * "create_sprint". */
const char *rul_outcome_name(rul_outcome_e o);

/* ---- docs/ORCHESTRATOR.md: perception in, Baseline out (json-c, no host API) ---- */

#define RUL_MAX_CONFLICTS 64

/* Everything rul_decide() reads, taken from dc->perception (§2 of the contract). Members that
 * are absent or of the wrong type keep their defaults. Strings point into the perception. */
typedef struct {
    rul_input_t in;
    rul_conflict_t conflicts[RUL_MAX_CONFLICTS];
    char job[RUL_ID_MAX * 2];    /* schedule name looked for in perception.schedules */
} rul_perceived_t;

void rul_from_perception(const struct json_object *perception, const char *project_id,
                         rul_perceived_t *out);

/* The Baseline object of the contract (§3): create_new_sprint, tasks_to_assign,
 * sprint_duration_weeks, cronjob_created, sprint_closure_triggered, cronjob_deleted,
 * sprint_name, sprint_id, sprint_id_to_close, reasoning, reasoning_parts, warnings
 * (+ "outcome", the row of §2.4). New reference. */
struct json_object *rul_baseline_json(const rul_input_t *in, const rul_decision_t *d);


#endif /* RULES_LOGIC_H */
