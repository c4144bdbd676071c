/*
 * strategy_logic.h — scoring of learned strategies (agent_knowledge rows) against a decision
 * context, the success-probability boost, the optional task/duration proposal and the outcome
 * feedback (spec/orchestrator.md §5.2–§5.4, §5.7). Pure: no host API, no state; json-c only for
 * the strategy content and the context map. Linked into the "strategy" plugin and, directly,
 * into tests/unit/plugins/test_strategy_logic.c.
 *
 * Defects / dead code of the original handled here (Appendix A and §5):
 *   #22 applicability_conditions are read from the top level of content (flat, as the C
 *       generator stores them) and, for strategies stored by the original generator, from
 *       content.content;
 *   #24 outcome feedback updates counters only (success_rate is the table's generated column);
 *   §5.3 a strategy can now propose (the CR's intent): the best applicable strategy with
 *       confidence >= 0.75 proposes its recommendation, with |supporting_episodes| as evidence;
 *   §5.2 applies_to() accepted every strategy: here a strategy one of whose conditions names a
 *       context key and does not match it is not applicable (it is neither listed nor proposes),
 *       and the candidates are ranked by applicability × confidence before the limit applies,
 *       so a project-specific strategy is not crowded out by confident strategies of others.
 * Strategy content, the context keys and the outcome feedback are those of docs/ORCHESTRATOR.md
 * §7 ("Strategy content") and §8.
 */
#ifndef STRATEGY_LOGIC_H
#define STRATEGY_LOGIC_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

#define STG_MAX_STRATEGIES 16
#define STG_ID_MAX 64
#define STG_TEXT_MAX 512
#define STG_MAX_INSIGHTS 5

typedef struct {
    double min_confidence;        /* 0.3: repository query */
    int limit;                    /* 5: repository query */
    double base_score;            /* 0.5 */
    double step;                  /* 0.1 per matched condition / track-record item */
    double boost_threshold;       /* 0.5: recommendation_confidence above it boosts */
    double boost_factor;          /* 0.1 */
    double propose_confidence;    /* 0.75: a strategy proposes at or above it */
    double propose_applicability; /* 0.5 */
    double success_quality;       /* 0.8: an outcome of this quality counts as a success */
    double feedback_rate;         /* 0.1: conf + rate · (quality − conf) (ORCHESTRATOR.md §8) */
    int64_t min_weeks, max_weeks; /* 1, 4 */
} stg_config_t;

void stg_config_defaults(stg_config_t *c);

/* One strategy as the memory API returns it (borrowed pointers into the JSON row). */
typedef struct {
    char id[STG_ID_MAX];
    const char *description;
    double confidence;
    int has_success_rate;
    double success_rate;
    int64_t times_applied;
    int64_t success_count, failure_count;
    int64_t supporting; /* |supporting_episodes| */
    const struct json_object *content;
    /* filled by stg_score() */
    double applicability;
    int matched;    /* conditions that matched the context */
    int mismatched; /* conditions whose key is in the context and that did not match */
} stg_strategy_t;

/* A row of GET /v1/memory/strategies → strategy. 0, or -1 when it is not a usable row. */
int stg_from_json(const struct json_object *row, stg_strategy_t *out);

/* Evidence behind a strategy's proposal: |supporting_episodes| or its applications with a
 * recorded outcome (success + failure), whichever is larger (ORCHESTRATOR.md §5.1). */
int stg_evidence(const stg_strategy_t *s);

/* The context strategies are matched against (§5.2, keys of ORCHESTRATOR.md §7), from the
 * perception: project_id, team_size, backlog_tasks, unassigned_tasks, availability_conflicts,
 * sprint_duration_weeks (options), and from perception.chronicle when present
 * similar_projects_count, avg_similarity_score, current_velocity. New reference. */
struct json_object *stg_context(const struct json_object *perception, const char *project_id);

/* Score every candidate, drop the inapplicable (a mismatched condition), rank the rest by
 * applicability × confidence (stable), keep the best `limit`. In place; returns the count. */
size_t stg_select(const stg_config_t *c, stg_strategy_t *s, size_t n,
                  const struct json_object *context);

/* The applicability conditions of a content object: content.applicability_conditions, else
 * content.content.applicability_conditions (the original generator's nesting), else NULL. */
const struct json_object *stg_conditions(const struct json_object *content);

/* 1 when the context value satisfies the condition: {"min","max"} (either bound optional,
 * inclusive) for a number, a list containing the value, or an equal value. */
int stg_cond_match(const struct json_object *cond, const struct json_object *value);

/* §5.2 applicability score: 0.5 + 0.1 per matching condition (key present in context) + 0.1 if
 * success_rate > 0.7 + 0.1 if times_applied > 5, at most 1. Also sets matched/mismatched. */
double stg_score(const stg_config_t *c, stg_strategy_t *s, const struct json_object *context);

/* mean(applicability × confidence); 0 without strategies. */
double stg_recommendation_confidence(const stg_strategy_t *s, size_t n);

/* §5.3 boost of a success probability: + factor × rc when rc > threshold, capped at 1. */
double stg_boost(const stg_config_t *c, double success_probability, double rc);

/* §5.2 insight lines (at most STG_MAX_INSIGHTS, each < 256 bytes). team_size < 0: unknown.
 * Returns the number written. */
size_t stg_insights(const stg_strategy_t *s, size_t n, int64_t team_size,
                    char out[][256], size_t max);

/* Index of the best match (highest applicability × confidence; ties: first) or -1. */
int stg_best(const stg_strategy_t *s, size_t n);

typedef struct {
    int proposed;
    int64_t original, recommended;
    double confidence;
    int evidence_count;
    int strategy_index;
    char rationale[STG_TEXT_MAX];
} stg_proposal_t;

/* §5.3 (CR intent): of the strategies without a mismatched condition whose confidence >=
 * propose_confidence and applicability >= propose_applicability, the most specific (most
 * matched conditions: a project's own strategy first), then the best applicability ×
 * confidence, proposes from
 * content.recommendation (or content.content.recommendation), evidence stg_evidence():
 *   {"action": "reduce_task_count" | "increase_task_count", "adjustment_percent": p}
 *       → round(B × (1 ∓ p)) tasks;
 *   {"tasks_to_assign": n} → n tasks;   {"sprint_duration_weeks": w} → w weeks (clamped);
 * only values that differ from the baseline are proposed; no task proposal when B <= 0.
 * Returns how many of the two proposals were made. */
int stg_propose(const stg_config_t *c, const stg_strategy_t *s, size_t n, int64_t base_tasks,
                int64_t base_weeks, stg_proposal_t *task, stg_proposal_t *weeks);

/* ---- outcome feedback (record) ---- */
/* Quality of a sprint outcome in [0,1]: quality_score when given (>= 0), else the completion
 * rate, else completed / committed; -1 when none is known. */
double stg_outcome_quality(double quality_score, double completion_rate, double committed,
                           double completed);
/* Outcome feedback (ORCHESTRATOR.md §8 step 3): clamp(conf + rate · (q − conf), 0.1, 1). */
double stg_feedback_confidence(const stg_config_t *c, double confidence, double quality);

/* params.urls.<name> or NULL. */
const char *stg_param_url(const struct json_object *params, const char *name);

/* Python round(x, nd) on floats (half to even). */
double stg_round(double x, int nd);

#endif /* STRATEGY_LOGIC_H */
