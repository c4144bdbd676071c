/*
 * spr_logic.h — pure helpers of the Sprint service: no host API, no state. Linked into the
 * plugin and, directly, into the unit tests (tests/unit/plugins/test_sprint_logic.c).
 * Builders of JSON documents return a new json-c object the caller owns.
 */
#ifndef SPR_LOGIC_H
#define SPR_LOGIC_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

/* ---- statuses (workflows.md §2.2) ---- */
#define SPR_ST_IN_PROGRESS "in_progress"
#define SPR_ST_COMPLETED "completed"
#define SPR_ST_CLOSED_PENDING "closed_with_pending_tasks"
#define SPR_TS_ASSIGNED "assigned_to_sprint" /* sprint-local task states */
#define SPR_TS_IN_PROGRESS "in_progress"
#define SPR_TS_COMPLETED "completed"
#define SPR_TS_BACKLOG "unassigned" /* backlog state a task returns to at close */

/* ---- limits ---- */
#define SPR_MAX_TASK_SPRINT_ID 20 /* tasks.sprint_id VARCHAR(20) */
#define SPR_MAX_PROJECT_ID 50     /* sprints.project_id VARCHAR(50) */
#define SPR_MAX_NAME 255          /* sprints.sprint_name VARCHAR(255) */
#define SPR_MIN_WEEKS 1
#define SPR_MAX_WEEKS 8
#define SPR_STEP_MIN 5 /* daily scrum increment, inclusive */
#define SPR_STEP_MAX 30
#define SPR_IMPEDIMENT_PERCENT 10

/* ---- sprint ids: "<project>-S<nn>" (two digits, three from 100) ---- */

/* The number n of sprint_id when it is exactly "<pid>-S<digits>" (n >= 1), else 0. */
int spr_sprint_number(const char *pid, const char *sprint_id);
/* The number of the next sprint of pid given the ids of its existing sprints: one more than
 * both their count and the highest number among them, so an id is never reused even when a
 * row was removed or an id does not follow the pattern. */
int spr_next_number(const char *pid, const char *const *ids, size_t n);
/* "<pid>-S%02d". snprintf contract: writes at most n bytes, returns the length needed. */
size_t spr_sprint_id(char *out, size_t n, const char *pid, int number);

/* ---- dates ("YYYY-MM-DD", proleptic Gregorian) ---- */

/* 1 and *days = days since 1970-01-01 when s is a real calendar date, else 0. */
int spr_date_parse(const char *s, long *days);
void spr_date_format(long days, char out[11]);
/* out = date + 7 * weeks days; 0 when date is not a valid date. */
int spr_date_add_weeks(const char *date, int weeks, char out[11]);
/* 1 when start <= date <= end (ISO dates compare as text; the first 10 characters are used,
 * so "2025-12-24T00:00:00" works too). */
int spr_date_within(const char *date, const char *start, const char *end);

/* ---- text helpers ---- */


/* ---- S5: task selection and round-robin assignment ---- */

/* out[i] = assignees[i] when non-NULL and non-empty, else members[k++ % nmembers] (k starts at
 * 0 and advances only when used), else NULL (no team). */
void spr_assign_round_robin(const char *const *assignees, size_t n, const char *const *members,
                            size_t nmembers, const char **out);

/* ---- S10: task progress rules ---- */

/* 1 when s is a sprint-local task status a client may set (assigned_to_sprint, in_progress,
 * completed). */
int spr_task_status_known(const char *s);

typedef enum {
    SPR_PROGRESS_OK = 0,
    SPR_PROGRESS_NOTHING,       /* neither field given */
    SPR_PROGRESS_RANGE,         /* progress outside 0..100 */
    SPR_PROGRESS_STATUS,        /* unknown status */
    SPR_PROGRESS_INCONSISTENT,  /* completed with progress < 100, or 100 without completed */
    SPR_PROGRESS_REOPEN_DONE,   /* status-only change of a 100 % task to a non-completed status */
} spr_progress_rc;

/* Apply an S10 update to a task (cur_status, cur_progress):
 *   both given   → as given; they must agree (completed ⟺ 100);
 *   progress only → status completed at 100, else in_progress;
 *   status only  → completed sets progress 100; another status keeps the progress, which must
 *                  then be below 100.
 * new_status NULL = not given; has_progress 0 = not given. */
spr_progress_rc spr_progress_apply(const char *cur_status, int cur_progress,
                                   const char *new_status, int has_progress, int64_t new_progress,
                                   const char **out_status, int *out_progress);
/* A sentence describing rc (for the 422 detail). */
const char *spr_progress_message(spr_progress_rc rc);

/* ---- S13: the daily scrum simulation ---- */

/* A per-task random stream: FNV-1a of the parts (seed, sprint id, task id, date, the task's
 * progress before today), then splitmix64 draws. Same parts → same draws, so a run with a given
 * seed is reproducible while repeated runs of one day still differ (the progress moved). */
uint64_t spr_rng_seed(const char *seed, const char *sprint_id, const char *task_id,
                      const char *date, int old_progress);
uint64_t spr_rng_next(uint64_t *state);
int spr_rng_range(uint64_t *state, int lo, int hi); /* uniform in [lo, hi] */

typedef struct {
    int made;         /* percentage points added, SPR_STEP_MIN..MAX (may exceed what was left) */
    int progress;     /* new total, min(100, old + made) */
    const char *status; /* completed at 100, else in_progress */
    int impediment;   /* 1 in SPR_IMPEDIMENT_PERCENT % of the steps */
} spr_step_t;

/* One day of work on a task at old % (old < 100). */
void spr_scrum_step(uint64_t *rng, int old, spr_step_t *out);

/* ---- S13 with a simulated capacity (a sim_capacity row for the project) ----
 * The team does points_per_member_day percentage points of task work per member present
 * (team size − members on PTO that day), varied by a uniform ±variation_percent, and spends
 * that budget on the sprint's unfinished tasks in task-id order: each task takes what it still
 * needs (at most 100 − its progress) until the budget is used up; the rest get nothing today.
 * So a sprint completes about Σ budget / 100 tasks whatever was committed. */
#define SPR_SIM_MAX_POINTS 1000
#define SPR_SIM_MAX_VARIATION 90

/* The day's budget in percentage points: round(points · present · (100 + u) / 100) with u
 * uniform in [−variation, +variation] (one draw from rng when variation > 0); 0 when present ≤ 0
 * or points ≤ 0. */
int spr_sim_budget(uint64_t *rng, int points_per_member_day, int variation_percent, int present);
/* One task at old % (old < 100) under a budget: made = min(*budget, 100 − old), *budget −= made,
 * progress/status as spr_scrum_step, impediment as spr_scrum_step (drawn only when made > 0).
 * made == 0: the task was not worked on today (its status is left as the caller had it). */
void spr_sim_step(uint64_t *rng, int *budget, int old, spr_step_t *out);

/* One task line of the daily report. */
typedef struct {
    const char *task_id;
    const char *title;
    const char *assignee; /* NULL → "unassigned" */
    int on_pto;           /* 1: no progress today, the assignee is on PTO */
    int made, progress;   /* progress = total after today */
    int impediment;
    const char *created_at;
} spr_entry_t;

/* The texts of a task line (snprintf contract each). */
size_t spr_text_yesterday(char *out, size_t n, const spr_entry_t *e);
size_t spr_text_today(char *out, size_t n, const spr_entry_t *e);
const char *spr_text_impediments(const spr_entry_t *e);

typedef struct {
    int total_team_members, total_tasks, completed_tasks, pending_tasks;
} spr_metrics_t;

/* "Daily stand-up for sprint X. N tasks had progress simulated." plus, when some assignees are
 * on PTO, " On PTO today: E002, E003." (pto: the distinct ids, in order). snprintf contract. */
size_t spr_scrum_summary(char *out, size_t n, const char *sprint_id, int updated,
                         const char *const *pto, size_t npto);

/* The Chronicle C4 body: {"project_id","sprint_id","report_date","summary","summary_metrics":
 * {...},"reports":{"<date>":[{"assigned_to","tasks":[{"id","yesterday_work","today_work",
 * "impediments","created_at"}]}]}} — one group per assignee in order of first appearance. */
json_object *spr_report_build(const char *project_id, const char *sprint_id, const char *date,
                              const char *summary, const spr_metrics_t *m,
                              const spr_entry_t *entries, size_t n);

/* ---- S11: retrospective ---- */

typedef struct {
    const char *task_id, *title, *status, *assignee; /* assignee NULL → "unassigned" */
    int progress;
} spr_task_t;

typedef struct {
    const char *sprint_id, *project_id, *sprint_name, *start_date, *end_date;
    int duration_weeks; /* < 0: unknown (JSON null) */
    const char *status;
} spr_sprint_t;

typedef struct {
    int completed;   /* progress == 100 */
    int in_progress; /* 0 < progress < 100 */
    int not_started; /* progress == 0, or status not_started / assigned_to_sprint */
    int unfinished;  /* progress < 100: go back to the backlog */
} spr_retro_counts_t;

void spr_retro_counts(const spr_task_t *t, size_t n, spr_retro_counts_t *c);
/* The Chronicle C6 body (api.md §4 S11 step 5, texts as specified). */
json_object *spr_retro_build(const spr_sprint_t *s, const spr_task_t *t, size_t n);

/* ---- events (api.md §8) ---- */

typedef struct {
    const char *task_id, *project_id, *sprint_id, *status, *assigned_to; /* NULL → null */
    int progress;
} spr_task_evt_t;

/* TASK_UPDATED on task_update_events: {"event_id","event_type","timestamp","aggregate_id",
 * "aggregate_type":"Task","event_data":{"task_id","project_id","sprint_id","status",
 * "progress_percentage","updated_at","assigned_to"},"metadata":{"source_service":
 * "SprintService","correlation_id"}}. */
json_object *spr_evt_task_updated(const char *event_id, const char *timestamp,
                                  const char *correlation_id, const spr_task_evt_t *e);
/* TASK_PROGRESSED on daily_scrum_events: {"event_id","event_type","timestamp","sprint_id",
 * "task_id","progress_made","new_total_progress","employee_id","yesterday_work","today_work",
 * "impediments"}. */
json_object *spr_evt_task_progressed(const char *event_id, const char *timestamp,
                                     const char *sprint_id, const spr_entry_t *e);
/* SprintStarted on dsm:events: {"event_id","event_type","aggregate_id","payload":{"sprint_id",
 * "project_id","sprint_name","start_date","end_date","tasks":[ids]},"timestamp",
 * "correlation_id"}. */
json_object *spr_evt_sprint_started(const char *event_id, const char *timestamp,
                                    const char *correlation_id, const spr_sprint_t *s,
                                    const char *const *task_ids, size_t n);
/* SprintClosed on dsm:events: the sprint's end state and counts (the orchestrator learns from it). */
json_object *spr_evt_sprint_closed(const char *event_id, const char *timestamp,
                                   const char *correlation_id, const spr_sprint_t *s,
                                   const char *status, int total, int completed, int moved_back);

#endif /* SPR_LOGIC_H */
