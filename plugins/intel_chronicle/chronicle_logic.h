/*
 * chronicle_logic.h — what the "chronicle" intelligence source computes from the Chronicle
 * analytics (spec/orchestrator.md §3.3–§3.4): velocity trend, success indicators, the Chronicle
 * confidence score, the data-quality report and the task-count / sprint-duration proposals.
 * Pure: no host API and no state; json-c only to read Chronicle's answers. Linked into the
 * plugin and, directly, into tests/unit/plugins/test_chronicle_intel_logic.c.
 *
 * Defects of the original fixed here (Appendix A):
 *   #9  success indicators use Chronicle's optimal_task_count (mean over the similar projects
 *       that have one) instead of the placeholder 6, and avg_sprint_duration (days) is
 *       converted to weeks;
 *   #10 the velocity confidence is clamped to [0, 1];
 *   #16 proposals carry an explicit evidence count (no number parsed back out of text);
 *   #31 no hard-coded similar projects for any project id.
 * Also: an optimal_task_count of 0 is Chronicle's "no sprint with tasks", not a recommendation
 * of 0 tasks, so it is ignored (the original's [QUIRK] counted it).
 */
#ifndef CHRONICLE_LOGIC_H
#define CHRONICLE_LOGIC_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

#define CHI_MAX_SIMILAR 64  /* similar projects kept */
#define CHI_MAX_SPRINTS 256 /* velocity points kept (the most recent ones) */
#define CHI_ID_MAX 64
#define CHI_TEXT_MAX 512

/* Thresholds (§9.2, effective DecisionConfig values). */
typedef struct {
    double similarity_threshold;          /* 0.7: asked of Chronicle */
    double min_similarity_for_proposal;   /* 0.5 */
    double min_confidence_for_task;       /* 0.5 */
    double task_difference_threshold;     /* 1: |B - opt| must exceed it */
    double min_velocity_conf_scoring;     /* 0.3 */
    double min_velocity_conf_duration;    /* 0.5 */
    double success_rate_cut;              /* 0.8: a similar project "succeeded" above it */
    double success_probability_scoring;   /* 0.6 */
    int64_t min_weeks;                    /* 1 */
    int64_t max_weeks;                    /* 4 */
} chi_config_t;

void chi_config_defaults(chi_config_t *c);

/* One similar project as Chronicle summarises it (§3.2.4). */
typedef struct {
    char project_id[CHI_ID_MAX];
    double similarity;
    double completion_rate;
    double avg_sprint_duration_days;
    int64_t optimal_task_count; /* <= 0: unknown */
    int64_t team_size;
} chi_similar_t;

/* §3.3.3 velocity trend. present = 0 when Chronicle had no sprint. */
typedef struct {
    int present;
    size_t n;
    double current;     /* completed tasks of the latest sprint */
    double min, max;    /* historical range */
    double slope;       /* OLS slope, rounded to 4 decimals */
    const char *direction; /* "increasing" | "decreasing" | "stable" */
    double confidence;  /* round(min(n/10,1) × (1 − |slope|), 2), clamped to [0,1] (#10) */
    double average;     /* mean completed tasks per sprint */
} chi_velocity_t;

/* §3.3.4 success indicators. present = 0 without similar projects. */
typedef struct {
    int present;
    int has_optimal;
    int64_t optimal_tasks_per_sprint; /* #9: mean of Chronicle's optimal_task_count */
    int has_duration;
    int64_t recommended_sprint_duration; /* #9: weeks, from days, within [min,max]_weeks */
    double success_probability;          /* share of similar projects above success_rate_cut */
} chi_success_t;

/* §3.4 proposal (one per kind). */
typedef struct {
    int proposed;
    int64_t original;
    int64_t recommended;
    double confidence;
    int evidence_count; /* #16 explicit */
    char evidence_source[128];
    char rationale[CHI_TEXT_MAX];
    char expected_improvement[128];
} chi_proposal_t;

/* §3.3.6 data-quality report (numbers only; the plugin writes the JSON). */
typedef struct {
    int data_available;
    int has_patterns;
    int64_t velocity_sprints;        /* sprints in the velocity answer */
    int64_t daily_scrum_count;       /* from patterns (the original's "historical_sprints") */
    int64_t tasks_completed_in_daily_scrums; /* from patterns (the original's mislabelled
                                                "avg_completion_rate") */
    int has_velocity;                /* average velocity > 0 */
    double common_team_velocity;
    int has_impediments;
    double data_quality_score;       /* 0.78 with patterns, 0 without data */
} chi_quality_t;

/* Python round(x, nd) on floats (half to even). */
double chi_round(double x, int nd);

/* ---- computations ---- */
void chi_velocity(const double *completed, size_t n, chi_velocity_t *out);
void chi_success(const chi_config_t *c, const chi_similar_t *s, size_t n, chi_success_t *out);
/* §3.3.5: 0.3 + 0.2·mean(similarity) with similar projects, + 0.3·vc when vc > 0.3,
 * + 0.2·sp when sp > 0.6; rounded to 2 decimals, at most 1. */
double chi_confidence(const chi_config_t *c, const chi_similar_t *s, size_t n,
                      const chi_velocity_t *v, const chi_success_t *si);
/* §3.4 task count: baseline B against the similar projects. Returns out->proposed. */
int chi_task_proposal(const chi_config_t *c, int64_t baseline, const chi_similar_t *s, size_t n,
                      chi_proposal_t *out);
/* §3.4 sprint duration: baseline D (weeks) against the velocity trend. Returns out->proposed. */
int chi_duration_proposal(const chi_config_t *c, int64_t baseline, const chi_velocity_t *v,
                          chi_proposal_t *out);
/* §6.5, Chronicle part, one sentence per line (at most 3, each < 256 bytes); the "No
 * significant patterns…" line when there is nothing. Returns the number of lines. */
size_t chi_summary_lines(size_t nsimilar, const chi_velocity_t *v, const chi_success_t *si,
                         char lines[][256]);
/* The same lines joined with single spaces (the original's insights_summary). snprintf
 * contract. */
size_t chi_insights_summary(size_t nsimilar, const chi_velocity_t *v, const chi_success_t *si,
                            char *buf, size_t n);

/* ---- Chronicle answers (json-c, borrowed) → numbers ---- */
/* GET /v1/analytics/projects/similar: a JSON array (anything else = none). Keeps at most max,
 * best similarity first (as Chronicle sorts them). Returns the number kept. */
size_t chi_parse_similar(const struct json_object *body, chi_similar_t *out, size_t max);
/* GET /v1/analytics/project/{pid}/velocity: completed_tasks of velocity_trend_data in order,
 * the latest max when there are more. Returns the number written. */
size_t chi_parse_velocity(const struct json_object *body, double *out, size_t max);
/* §3.3.6 from the patterns / velocity / impediments answers (each may be NULL = not answered).
 * Without an impediments answer, impediment data is "available" when the patterns answer lists
 * common impediments (the contract's perception carries patterns, not impediments). */
void chi_quality(const struct json_object *patterns, const struct json_object *velocity,
                 const struct json_object *impediments, chi_quality_t *out);

/* ---- JSON out (new references) ---- */
/* PatternAnalysis (§3.3.2) without performance_metrics (the plugin adds it). */
struct json_object *chi_pattern_analysis_json(const chi_similar_t *s, size_t n,
                                              const chi_velocity_t *v, const chi_success_t *si);
/* DataQualityReport (§3.3.6, api.md O19): data_available, historical_sprints (daily scrums),
 * avg_completion_rate (tasks completed in daily scrums — the original's label),
 * common_team_velocity,
 * data_quality_score, observation_note, recommendations. */
struct json_object *chi_quality_json(const chi_quality_t *q);

/* params.<obj>.<key> as a number, or dflt (e.g. ("gate", "max_weeks")). */
double chi_param_num(const struct json_object *params, const char *obj, const char *key,
                     double dflt);
/* params.replay is true. */
int chi_replay(const struct json_object *params);


#endif /* CHRONICLE_LOGIC_H */
