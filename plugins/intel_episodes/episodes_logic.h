/*
 * episodes_logic.h — the pure part of the "episodes" source (spec/orchestrator.md §4.3–§4.5,
 * docs/ORCHESTRATOR.md §2, §5, §7): the search request, reading the episodes the memory API
 * returns, the memory bridge (episodes → patterns → proposals) and the insight. json-c, libc
 * and libm only; unit-tested without a host.
 *
 * The memory bridge, fixed (Appendix A #13, #14, #16 and the learning loop of issue 6):
 *
 *  1. Relevance. An episode is USED when its similarity ≥ min_similarity, it has a recorded
 *     outcome with a committed count > 0 and a completed count, its context names a team
 *     (team.size > 0; the original looked for a top-level team_size that no episode has, #14),
 *     and it was recorded before the decision's perception (generated_at; matters for replays).
 *     Unlike the original, failed sprints (quality < 0.5) are kept: "the team finished 4 of
 *     10" is the strongest evidence of its capacity there is. Duplicate ids count once.
 *  2. Task count = the capacity the similar sprints showed: each used episode i contributes
 *     its completed count dᵢ — plus one when it completed everything it held (dᵢ ≥ committed:
 *     only a lower bound of the capacity; without it a cautious count confirms itself and can
 *     never grow back) — scaled to the current team and sprint length when both sides are
 *     known (fᵢ = (T/tᵢ)·(W/wᵢ), clamped to [0.25, 4]): cᵢ = dᵢ·fᵢ. With similarities sᵢ:
 *        v        = round_half_even(Σ sᵢcᵢ / Σ sᵢ), at least 1, at most max_tasks (if ≥ 1)
 *        support  S = {i : |cᵢ − v| ≤ 1}          evidence_count = |S|
 *        agree    = Σ_S sᵢ / Σ sᵢ                 sim_S = mean_S sᵢ
 *        success  = Σ sᵢ·min(cᵢ/v, 1) / Σ sᵢ     (the completion v would have had)
 *        confidence = agree × sim_S × success    (similarity × quality)
 *     (The original took the task count of the single best-quality episode and read a key
 *     the logger never wrote, #14; a count that over-committed could never be learnt down.)
 *  3. Sprint duration (Episode Pattern Analyzer): group the used episodes with a known
 *     duration in 1..8 weeks by it; among groups of ≥ min_support episodes whose mean quality
 *     q̄ ≥ 0.7 take the highest q̄ (ties: the baseline's duration, then the shorter);
 *     confidence = (|G| / n_w) × q̄ × s̄_G, evidence_count = |G|, success_rate = q̄.
 *  4. Success metrics: average quality q̄ over the used episodes; its confidence
 *     (#with quality / n) × max(0.5, 1 − stdev) (sample stdev, only with ≥ 2 values).
 *  5. Overall confidence = mean of min(n/5, 1), q̄, the mean pattern confidence (if any
 *     pattern), the success-metrics confidence. Context quality = 0.7·(used / retrieved) +
 *     0.3·mean similarity. Pattern weight = min(0.6·min(n/5,1) + 0.4·q̄, 0.8).
 *  No used episode → an empty context (all zero, no pattern, no proposal).
 *
 * Quality of an episode = outcome_quality, else outcome.quality_score, else
 * outcome.completion_rate, else completed / committed.
 */
#ifndef EPISODES_LOGIC_H
#define EPISODES_LOGIC_H

#include <stddef.h>

struct json_object;

#define EP_ID_MAX 64
#define EP_MIN_SIMILARITY 0.6 /* memory bridge */
#define EP_MIN_SUPPORT 2      /* episode pattern analyzer */
#define EP_SUCCESS_QUALITY 0.7
#define EP_SCALE_MIN 0.25
#define EP_SCALE_MAX 4.0

/* One episode as the memory API returned it, reduced to what the bridge reads. -1 = unknown. */
typedef struct {
    char episode_id[EP_ID_MAX];
    char project_id[EP_ID_MAX];
    double similarity;
    double quality;   /* 0..1 or -1 */
    long committed;   /* tasks the sprint held */
    long completed;   /* tasks it completed */
    long weeks;       /* its sprint duration */
    long team_size;   /* team.size of its context */
    double ts;        /* its "timestamp" in seconds since the epoch, or -1 */
    double capacity;  /* outcome.capacity_estimate (the sprint finished early), or -1 */
    int has_outcome;
} ep_episode_t;

/* Read one search result (an episode object + "similarity"). Missing members stay unknown. */
void ep_episode_from_json(const struct json_object *e, ep_episode_t *out);

/* What the decision looks like now. -1 = unknown. */
typedef struct {
    double min_similarity; /* EP_MIN_SIMILARITY */
    int min_support;       /* EP_MIN_SUPPORT */
    long team_size;        /* perception team.size */
    long weeks;            /* the baseline's sprint_duration_weeks (or options') */
    long max_tasks;        /* backlog.unassigned: the task count cannot exceed it */
    int scale;             /* 1: scale completed counts to team size and sprint length */
    double cutoff;         /* perception.generated_at (seconds since the epoch) or -1: episodes
                            * recorded at or after it are not used (a replay must not learn from
                            * the decision it replays, nor from later ones) */
} ep_params_t;

/* Fill p from the perception and the baseline (either may be NULL). */
void ep_params_from_json(ep_params_t *p, const struct json_object *perception,
                         const struct json_object *baseline);

typedef struct {
    int has;
    long value;
    double raw;          /* the unrounded mean (tasks) or the duration (weeks) */
    double success_rate;
    double confidence;
    int evidence;        /* episodes supporting the value */
} ep_pattern_t;

typedef struct {
    size_t retrieved;
    size_t used;
    double avg_similarity; /* over the used episodes */
    double avg_quality;
    double success_confidence;
    ep_pattern_t tasks;
    ep_pattern_t weeks;
    double overall_confidence;
    double context_quality;
    double pattern_weight;
} ep_context_t;

/* The bridge over n episodes. used (n flags, may be NULL) marks the used episodes, support
 * (n flags, may be NULL) the episodes behind the task-count value. */
void ep_bridge(const ep_episode_t *eps, size_t n, const ep_params_t *p, ep_context_t *out,
               unsigned char *used, unsigned char *support);

/* The scaled capacity cᵢ of a used episode (see above). */
double ep_capacity(const ep_episode_t *e, const ep_params_t *p);

/* Seconds since the epoch of "YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±HH[:MM]]" (no zone = UTC),
 * or -1 when s is not such a text. */
double ep_iso_seconds(const char *s);

/* Episodes left out because they were recorded at or after the cutoff. */
size_t ep_count_after_cutoff(const ep_episode_t *eps, size_t n, const ep_params_t *p);

/* Python round(): half to even. */
long ep_round_half_even(double x);

/* The one-sentence reasoning of a proposal, into buf. */
void ep_reason_tasks(const ep_context_t *c, char *buf, size_t cap);
void ep_reason_weeks(const ep_context_t *c, char *buf, size_t cap);

/* The insight (docs/ORCHESTRATOR.md §7 "episodes") — a new object. */
struct json_object *ep_insight(const ep_episode_t *eps, size_t n, const unsigned char *used,
                               const ep_context_t *c, const ep_params_t *p);

/* The search context: the perception without project, chronicle, schedules, history
 * (the shape the orchestrator stores as an episode's context, ORCHESTRATOR.md §2). New object;
 * NULL when perception is not an object. */
struct json_object *ep_query_context(const struct json_object *perception);

/* POST /v1/memory/episodes/search body: {"context", "k", "min_similarity"[, "project_id"]}. */
struct json_object *ep_search_body(struct json_object *context /* taken */, int k,
                                   double min_similarity, const char *project_id);


#endif /* EPISODES_LOGIC_H */
