/*
 * orc_logic.h — the orchestrator's pure decision arithmetic (no host API): rounding, the
 * confidence gate, the combiner, and the small Chronicle pattern computations the
 * intelligence endpoints show (velocity trend, success indicators, confidence).
 * docs/ORCHESTRATOR.md §5 is the contract these implement.
 */
#ifndef ORC_LOGIC_H
#define ORC_LOGIC_H

#include <stddef.h>

/* Python round(): half to even. round2 = round(x, 2). */
double orc_round_even(double x);
double orc_round2(double x);
double orc_round_n(double x, int decimals);

typedef enum { ORC_F_TASKS = 0, ORC_F_WEEKS = 1, ORC_F_OTHER = 2 } orc_field_e;
orc_field_e orc_field_kind(const char *field);

typedef struct {
    double confidence_threshold;        /* 0.5 */
    int min_similar_projects;           /* 3: evidence for task-count proposals */
    int min_duration_evidence;          /* 1 */
    double max_task_adjustment_percent; /* 0.5 */
    double task_difference_threshold;   /* 1: |applied - base| must exceed it */
    int min_weeks, max_weeks;           /* 1, 4 */
    int max_week_change;                /* 2 */
    int enable_tasks, enable_weeks;     /* 1, 1 */
} orc_gate_t;

void orc_gate_defaults(orc_gate_t *g);

/* The gate of §5.2 for one proposal. Returns NULL when it passes, else the reason (written to
 * buf: "confidence 0.42 < 0.50", "evidence 2 < 3", "change 60% > 50%", "out of range 1..4",
 * "above 7 unassigned tasks", "adjustment disabled", "no sprint is created", "not a number"). */
const char *orc_gate_check(const orc_gate_t *g, orc_field_e f, double base, double value,
                           double confidence, int evidence, int unassigned, int creates_sprint,
                           char *buf, size_t n);

typedef struct {
    double value, confidence, weight; /* weight = the source's combiner weight W */
    int evidence;
} orc_prop_t;

typedef struct {
    size_t used;       /* proposals with W*c > 0 */
    double raw;        /* sum(w v) / sum(w) */
    double applied;    /* round half even of raw */
    double confidence; /* sum(w c) / sum(w) */
    int evidence;      /* sum of evidence of the used ones */
    int changes;       /* 1: applied differs enough from base to be applied */
} orc_comb_t;

/* A proposal outside the allowed change (tasks: ±max_task_adjustment_percent of the baseline,
 * within 0..unassigned; weeks: ±max_week_change within min..max weeks) is LIMITED to the
 * nearest allowed value rather than discarded: the teams that need the biggest correction
 * still get the largest one allowed (fix measured by make bench-decisions). */
double orc_gate_limit(const orc_gate_t *g, orc_field_e f, double base, double value,
                      int unassigned);

/* Combine the proposals that passed the gate (§5.3). share[i], moved[i] (may be NULL) receive
 * each proposal's share of the weight and how far it moved the number (round2(share*(v-B)));
 * both 0 for unused ones. Returns used. */
size_t orc_combine(const orc_gate_t *g, orc_field_e f, double base, const orc_prop_t *p,
                   size_t n, double *share, double *moved, orc_comb_t *out);

/* ---- Chronicle pattern helpers (orchestrator.md §3.3, fixes #9 and #10) ---- */
typedef struct {
    double current, min, max, slope, confidence;
    const char *direction; /* "increasing" | "decreasing" | "stable" */
} orc_velocity_t;

/* y[0..n-1]: completed tasks per sprint, oldest first. Returns 0, or -1 when n == 0. */
int orc_velocity_trend(const double *y, size_t n, orc_velocity_t *out);

typedef struct {
    double optimal_tasks;         /* round half even of the mean optimal_task_count (> 0) */
    double recommended_weeks;     /* round half even of mean(avg_sprint_duration days) / 7 */
    double success_probability;   /* round2(#(completion_rate > 0.8) / n) */
    int has_optimal;              /* some similar project had optimal_task_count > 0 */
} orc_success_t;

/* Over n similar projects; opt[i] < 0 means "no optimal_task_count". Returns -1 when n == 0. */
int orc_success_indicators(const double *opt, const double *days, const double *completion,
                           size_t n, orc_success_t *out);

/* §3.3.5: 0.3 + 0.2*mean(similarity) with similar projects; + 0.3*vc when vc > 0.3;
 * + 0.2*sp when sp > 0.6; min(round2, 1). Pass nsim = 0 / have_v = 0 / have_sp = 0 for absent. */
double orc_chronicle_confidence(size_t nsim, double mean_similarity, int have_v, double vconf,
                                int have_sp, double sp);

/* The capacity a closed sprint showed, in tasks (docs/ORCHESTRATOR.md §8). A sprint that did
 * not complete everything shows its completed count. One that completed everything it held
 * (completed >= committed > 0) and whose daily reports (done[i] of total[i] tasks on scrum day
 * i, oldest first) show everything done on day d of its ndays days, d ≤ 3/4 · ndays (clearly
 * early: a day's pace varies), had spare capacity: committed · ndays / d, at most twice the
 * commitment. *days_done = d (0: never all
 * done in the reports, or no reports). */
double orc_capacity_estimate(int committed, int completed, const int *done, const int *total,
                             size_t ndays, int *days_done);

/* 1 when s is a UUID in its 36-character form (8-4-4-4-12 hex digits), else 0. */
int orc_uuid_ok(const char *s);

#endif /* ORC_LOGIC_H */
