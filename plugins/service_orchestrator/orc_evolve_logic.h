/*
 * orc_evolve_logic.h — the pure arithmetic of the daily strategy evolution
 * (docs/ORCHESTRATOR.md §11, orchestrator.md §5.5–§5.7 with fixes #22, #25, #27): context
 * signatures, patterns from episodes with outcomes, strategy confidence, and the learning
 * optimizer's assessment. No host API.
 */
#ifndef ORC_EVOLVE_LOGIC_H
#define ORC_EVOLVE_LOGIC_H

#include <stddef.h>

/* "medium_team_medium_backlog_calendar_clear" (+ "_project_<pid>" when pid != NULL). */
void orc_signature(int team_size, int unassigned, int conflicts, const char *pid, char *buf,
                   size_t n);

/* Bucket bounds the signature uses, for applicability conditions. */
void orc_team_bucket(int team_size, int *lo, int *hi);    /* 0-3, 4-8, 9-1000 */
void orc_backlog_bucket(int unassigned, int *lo, int *hi); /* 0-5, 6-15, 16-100000 */

typedef struct {
    double completed; /* tasks completed in the sprint (the capacity it showed) */
    double committed;
    double quality;   /* outcome_quality = completed / committed */
} orc_obs_t;

typedef struct {
    size_t frequency;          /* episodes in the group */
    double avg_quality;        /* mean outcome quality of the past decisions */
    double mean_completed;
    double recommendation;     /* tasks to commit next time */
    double expected_completion; /* mean min(1, completed_i / recommendation) */
    double consistency;        /* 1 - min(1, stdev(completed) / max(mean, 1)) */
    double confidence;         /* strategy confidence (§5.7 weights) */
    double success_probability; /* share of episodes with completed >= recommendation */
    const char *risk_level;    /* low | medium | high */
} orc_pattern_t;

/* The pattern of a group of n observations. The recommendation is the mean completed count
 * rounded half to even; when the group's decisions were (almost) all fully completed
 * (avg_quality >= 0.95) the capacity may be higher than what was committed, so it is one more.
 * Never below 1. Returns -1 when n == 0. */
int orc_pattern_of(const orc_obs_t *obs, size_t n, orc_pattern_t *out);

/* §5.5 assessment over the qualities of a strategy's recent applications (oldest first; rows
 * without quality left out by the caller, fix #25) and their deltas. */
typedef enum {
    ORC_ACT_NONE = 0,
    ORC_ACT_RAISE,      /* confidence + 0.05 (max 1) */
    ORC_ACT_LOWER,      /* confidence - 0.05 (min 0.1) */
    ORC_ACT_DEACTIVATE
} orc_opt_action_e;

typedef struct {
    double avg_quality, avg_delta;
    const char *trend;      /* improving | stable | declining */
    const char *assessment; /* excellent | good | improving | acceptable | underperforming | poor */
    orc_opt_action_e action;
} orc_assess_t;

/* n >= 3 required (else -1, "insufficient data"). deltas may be NULL (avg_delta 0).
 * Actions: deactivate when poor, underperforming and declining, or avg quality <= 0.25; raise
 * when excellent or good; lower when underperforming (not declining) or acceptable with a
 * negative average delta (the spec's "(underperforming or acceptable) and declining" cannot
 * happen: those assessments exclude a declining trend); otherwise none. */
int orc_assess(const double *quality, const double *delta, size_t n, orc_assess_t *out);

#endif /* ORC_EVOLVE_LOGIC_H */
