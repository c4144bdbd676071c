/* test_episodes_logic.c — the pure part of the "episodes" source
 * (plugins/intel_episodes/episodes_logic.c): reading episodes of the memory API, the memory
 * bridge with its hand-computed expectations (the formulas are in episodes_logic.h), the
 * insight and the search request. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_test.h"
#include "episodes_logic.h"

#define EPS 1e-6

static json_object *parse(const char *s)
{
    json_object *o = json_tokener_parse(s);
    CU_ASSERT_PTR_NOT_NULL(o);
    return o;
}

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, key, &v);
    return v;
}

/* A used-able episode: outcome with committed/completed, team, weeks. */
static ep_episode_t ep(const char *id, double sim, long committed, long completed, long weeks, long team)
{
    ep_episode_t e;
    memset(&e, 0, sizeof(e));
    snprintf(e.episode_id, sizeof(e.episode_id), "%s", id);
    snprintf(e.project_id, sizeof(e.project_id), "P1");
    e.similarity = sim;
    e.committed = committed;
    e.completed = completed;
    e.quality = committed > 0 ? (double)completed / (double)committed : -1;
    e.weeks = weeks;
    e.team_size = team;
    e.ts = -1;
    e.capacity = -1;
    e.has_outcome = 1;
    return e;
}

static ep_params_t params(long team, long weeks, long max_tasks)
{
    ep_params_t p;
    memset(&p, 0, sizeof(p));
    p.min_similarity = EP_MIN_SIMILARITY;
    p.min_support = EP_MIN_SUPPORT;
    p.team_size = team;
    p.weeks = weeks;
    p.max_tasks = max_tasks;
    p.scale = 1;
    p.cutoff = -1;
    return p;
}

static void test_round_half_even(void)
{
    CU_ASSERT_EQUAL(ep_round_half_even(2.5), 2);
    CU_ASSERT_EQUAL(ep_round_half_even(3.5), 4);
    CU_ASSERT_EQUAL(ep_round_half_even(0.5), 0);
    CU_ASSERT_EQUAL(ep_round_half_even(6.4848), 6);
    CU_ASSERT_EQUAL(ep_round_half_even(6.5833), 7);
    CU_ASSERT_EQUAL(ep_round_half_even(7.0), 7);
}

static void test_read_contract_episode(void)
{
    /* a search hit as the memory API returns it, with the outcome of docs/ORCHESTRATOR.md §8 */
    json_object *o = parse(
        "{\"episode_id\": \"0b5c\", \"project_id\": \"APO009\", \"similarity\": 0.91,"
        " \"context\": {\"team\": {\"size\": 5}, \"options\": {\"sprint_duration_weeks\": 3}},"
        " \"decision\": {\"tasks_to_assign\": 10},"
        " \"outcome\": {\"committed\": 8, \"completed\": 6, \"completion_rate\": 0.75, \"quality_score\": 0.75,"
        "   \"planned\": {\"tasks_to_assign\": 8, \"sprint_duration_weeks\": 2}},"
        " \"outcome_quality\": 0.75}");
    ep_episode_t e;

    ep_episode_from_json(o, &e);
    CU_ASSERT_STRING_EQUAL(e.episode_id, "0b5c");
    CU_ASSERT_STRING_EQUAL(e.project_id, "APO009");
    CU_ASSERT_DOUBLE_EQUAL(e.similarity, 0.91, EPS);
    CU_ASSERT_EQUAL(e.committed, 8);
    CU_ASSERT_EQUAL(e.completed, 6);
    CU_ASSERT_DOUBLE_EQUAL(e.quality, 0.75, EPS);
    CU_ASSERT_EQUAL(e.weeks, 2); /* planned beats the requested option */
    CU_ASSERT_EQUAL(e.team_size, 5);
    CU_ASSERT_TRUE(e.has_outcome);
    CU_ASSERT_DOUBLE_EQUAL(e.capacity, -1, EPS); /* no capacity_estimate */
    json_object_put(o);
}

static void test_read_other_shapes(void)
{
    ep_episode_t e;
    /* the original's shapes: actions.tasks_assigned {count}, outcome.metrics (spec §4.7) */
    json_object *o = parse("{\"episode_id\": \"a\", \"similarity\": 0.8,"
                           " \"context\": {\"project_data\": {\"team_size\": 4}},"
                           " \"actions\": {\"tasks_assigned\": {\"count\": 7}},"
                           " \"outcome\": {\"success\": true, \"metrics\": {\"total_tasks\": 10, \"completed_tasks\": 9}}}");
    ep_episode_from_json(o, &e);
    CU_ASSERT_EQUAL(e.committed, 10);
    CU_ASSERT_EQUAL(e.completed, 9);
    CU_ASSERT_DOUBLE_EQUAL(e.quality, 0.9, EPS); /* derived: 9 / 10 */
    CU_ASSERT_EQUAL(e.team_size, 4);
    CU_ASSERT_EQUAL(e.weeks, -1);
    json_object_put(o);

    /* only a quality: completed = round(0.5 · 8) */
    o = parse("{\"similarity\": 0.7, \"decision\": {\"tasks_to_assign\": 8}, \"outcome_quality\": 0.5,"
              " \"outcome\": null, \"context\": {\"team\": {\"size\": 3}}}");
    ep_episode_from_json(o, &e);
    CU_ASSERT_TRUE(e.has_outcome);
    CU_ASSERT_EQUAL(e.committed, 8);
    CU_ASSERT_EQUAL(e.completed, 4);
    json_object_put(o);

    /* no outcome yet: not evidence */
    o = parse("{\"similarity\": 0.99, \"decision\": {\"tasks_to_assign\": 8}, \"outcome\": null,"
              " \"outcome_quality\": null, \"context\": {\"team\": {\"size\": 3}}}");
    ep_episode_from_json(o, &e);
    CU_ASSERT_FALSE(e.has_outcome);
    CU_ASSERT_EQUAL(e.completed, -1);
    CU_ASSERT_DOUBLE_EQUAL(e.quality, -1, EPS);
    json_object_put(o);

    /* garbage: all unknown, no crash */
    o = parse("{\"similarity\": \"high\", \"outcome\": {\"committed\": -3, \"completed\": \"x\"}}");
    ep_episode_from_json(o, &e);
    CU_ASSERT_DOUBLE_EQUAL(e.similarity, -1, EPS);
    CU_ASSERT_EQUAL(e.committed, -1);
    CU_ASSERT_EQUAL(e.completed, -1);
    json_object_put(o);
    ep_episode_from_json(NULL, &e);
    CU_ASSERT_FALSE(e.has_outcome);
}

/*
 * Three similar sprints of the same team (5) and length (2 weeks):
 *   sim 0.9, 0.8, 0.7; committed 10, 8, 8; completed 6, 6, 8; quality 0.6, 0.75, 1.0
 *   capacities 6, 6 and 9 (the third completed all it held: a lower bound, one more)
 * tasks:  v_raw = (0.9·6 + 0.8·6 + 0.7·9) / 2.4 = 16.5 / 2.4 = 6.875 → 7
 *         support: |6−7| ≤ 1, |6−7| ≤ 1, |9−7| = 2 → 2; agree = 1.7/2.4 = 0.708333; sim_S = 0.85
 *         success = (0.9·6/7 + 0.8·6/7 + 0.7·1) / 2.4 = 2.157142857 / 2.4 = 0.898809524
 *         confidence = 0.708333 · 0.85 · 0.898809524 = 0.541158
 * weeks:  one group (2 weeks, 3 episodes), q̄ = 2.35/3 = 0.783333 ≥ 0.7
 *         confidence = (3/3) · 0.783333 · 0.8 = 0.626667
 * success metrics: sample stdev of 0.6, 0.75, 1.0 = sqrt(0.081667/2) = 0.202073
 *         → 1 − 0.202073 = 0.797927
 * overall = (min(3/5,1) + 0.783333 + 0.797927 + (0.541158+0.626667)/2) / 4
 *         = (0.6 + 0.783333 + 0.797927 + 0.583912) / 4 = 0.691293
 * context quality = 0.7 · 3/3 + 0.3 · 0.8 = 0.94; pattern weight = 0.6·0.6 + 0.4·0.783333 = 0.673333
 */
static void test_bridge_consistent(void)
{
    ep_episode_t e[3] = {ep("a", 0.9, 10, 6, 2, 5), ep("b", 0.8, 8, 6, 2, 5), ep("c", 0.7, 8, 8, 2, 5)};
    ep_params_t p = params(5, 2, 20);
    ep_context_t c;
    unsigned char used[3], sup[3];

    ep_bridge(e, 3, &p, &c, used, sup);
    CU_ASSERT_EQUAL(c.retrieved, 3);
    CU_ASSERT_EQUAL(c.used, 3);
    CU_ASSERT_TRUE(used[0] && used[1] && used[2]);
    CU_ASSERT_TRUE(sup[0] && sup[1] && !sup[2]);
    CU_ASSERT_DOUBLE_EQUAL(c.avg_similarity, 0.8, EPS);
    CU_ASSERT_DOUBLE_EQUAL(c.avg_quality, 0.783333, EPS);
    CU_ASSERT_TRUE(c.tasks.has);
    CU_ASSERT_DOUBLE_EQUAL(c.tasks.raw, 6.875, EPS);
    CU_ASSERT_EQUAL(c.tasks.value, 7);
    CU_ASSERT_EQUAL(c.tasks.evidence, 2);
    CU_ASSERT_DOUBLE_EQUAL(c.tasks.success_rate, 0.898810, EPS);
    CU_ASSERT_DOUBLE_EQUAL(c.tasks.confidence, 0.541158, EPS);
    CU_ASSERT_TRUE(c.weeks.has);
    CU_ASSERT_EQUAL(c.weeks.value, 2);
    CU_ASSERT_EQUAL(c.weeks.evidence, 3);
    CU_ASSERT_DOUBLE_EQUAL(c.weeks.success_rate, 0.783333, EPS);
    CU_ASSERT_DOUBLE_EQUAL(c.weeks.confidence, 0.626667, EPS);
    CU_ASSERT_DOUBLE_EQUAL(c.success_confidence, 0.797927, EPS);
    CU_ASSERT_DOUBLE_EQUAL(c.overall_confidence, 0.691293, EPS);
    CU_ASSERT_DOUBLE_EQUAL(c.context_quality, 0.94, EPS);
    CU_ASSERT_DOUBLE_EQUAL(c.pattern_weight, 0.673333, EPS);

    char why[256];
    ep_reason_tasks(&c, why, sizeof(why));
    CU_ASSERT_STRING_EQUAL(why, "2 of 3 similar past sprints (avg similarity 0.80) completed about 7 tasks "
                                "(weighted mean 6.9); expected completion 90%");
    ep_reason_weeks(&c, why, sizeof(why));
    CU_ASSERT_STRING_EQUAL(why, "3 similar past sprints of 2 weeks reached 78% average completion");
}

/*
 * Disagreeing episodes (sim 0.9 each, committed 10, completed 3, 9, 6):
 *   v_raw = 18·0.9/2.7 = 6 → 6; support only the 6 → evidence 1; agree = 1/3; sim_S = 0.9
 *   success = 0.9·(0.5 + 1 + 1)/2.7 = 0.833333; confidence = 1/3 · 0.9 · 0.833333 = 0.25
 *   weeks: q̄ = (0.3 + 0.9 + 0.6)/3 = 0.6 < 0.7 → no duration pattern
 */
static void test_bridge_disagreeing(void)
{
    ep_episode_t e[3] = {ep("a", 0.9, 10, 3, 2, 5), ep("b", 0.9, 10, 9, 2, 5), ep("c", 0.9, 10, 6, 2, 5)};
    ep_params_t p = params(5, 2, 20);
    ep_context_t c;
    unsigned char sup[3];

    ep_bridge(e, 3, &p, &c, NULL, sup);
    CU_ASSERT_EQUAL(c.tasks.value, 6);
    CU_ASSERT_EQUAL(c.tasks.evidence, 1);
    CU_ASSERT_TRUE(!sup[0] && !sup[1] && sup[2]);
    CU_ASSERT_DOUBLE_EQUAL(c.tasks.success_rate, 0.833333, EPS);
    CU_ASSERT_DOUBLE_EQUAL(c.tasks.confidence, 0.25, EPS);
    CU_ASSERT_FALSE(c.weeks.has);
    /* overall = (0.6 + 0.6 + (1 − 0.3) + 0.25) / 4 = 0.5375 (stdev of 0.3, 0.9, 0.6 = 0.3) */
    CU_ASSERT_DOUBLE_EQUAL(c.success_confidence, 0.7, EPS);
    CU_ASSERT_DOUBLE_EQUAL(c.overall_confidence, 0.5375, EPS);
}

static void test_bridge_filters(void)
{
    ep_episode_t e[6] = {
        ep("ok", 0.8, 10, 5, 2, 5),
        ep("far", 0.55, 10, 9, 2, 5), /* similarity < 0.6 */
        ep("none", 0.9, 10, 9, 2, 5), /* no outcome */
        ep("noteam", 0.9, 10, 9, 2, 0),
        ep("ok", 0.8, 10, 5, 2, 5), /* duplicate id */
        ep("fail", 0.6, 10, 2, 2, 5), /* a failed sprint is evidence too (quality 0.2) */
    };
    e[2].has_outcome = 0;
    e[2].completed = -1;
    e[2].quality = -1;
    ep_params_t p = params(5, 2, 20);
    ep_context_t c;
    unsigned char used[6];

    ep_bridge(e, 6, &p, &c, used, NULL);
    CU_ASSERT_EQUAL(c.retrieved, 6);
    CU_ASSERT_EQUAL(c.used, 2);
    CU_ASSERT_TRUE(used[0] && !used[1] && !used[2] && !used[3] && !used[4] && used[5]);
    /* (0.8·5 + 0.6·2)/1.4 = 5.2/1.4 = 3.714 → 4; support |5−4|, |2−4|=2 → 1 */
    CU_ASSERT_EQUAL(c.tasks.value, 4);
    CU_ASSERT_EQUAL(c.tasks.evidence, 1);
    /* context quality = 0.7 · 2/6 + 0.3 · 0.7 = 0.443333 */
    CU_ASSERT_DOUBLE_EQUAL(c.context_quality, 0.443333, EPS);
}

static void test_bridge_scaling(void)
{
    ep_params_t p = params(6, 2, 50);
    ep_episode_t a = ep("a", 0.9, 8, 6, 2, 4);   /* 6 · 6/4 = 9 */
    ep_episode_t b = ep("b", 0.9, 8, 6, 1, 6);   /* 6 · 2/1 = 12 */
    ep_episode_t c1 = ep("c", 0.9, 8, 6, 2, 1);  /* 6 · 6 = 36 → factor clamped to 4: 24 */
    ep_episode_t d = ep("d", 0.9, 8, 6, -1, 6);  /* unknown weeks: not scaled: 6 */

    CU_ASSERT_DOUBLE_EQUAL(ep_capacity(&a, &p), 9, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_capacity(&b, &p), 12, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_capacity(&c1, &p), 24, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_capacity(&d, &p), 6, EPS);
    p.scale = 0;
    CU_ASSERT_DOUBLE_EQUAL(ep_capacity(&a, &p), 6, EPS);
    /* everything it held completed: a lower bound, one more task (then scaled: 7 · 6/5) */
    ep_episode_t f = ep("f", 0.9, 6, 6, 2, 5);
    CU_ASSERT_DOUBLE_EQUAL(ep_capacity(&f, &p), 7, EPS);
    p.scale = 1;
    CU_ASSERT_DOUBLE_EQUAL(ep_capacity(&f, &p), 8.4, EPS);
    /* done early (6 of 6 by day 4 of 5): the outcome's capacity_estimate 7.5 replaces the +1,
     * then scaled (team 6 vs 5): 9; an estimate not above the completed count changes nothing */
    f.capacity = 7.5;
    CU_ASSERT_DOUBLE_EQUAL(ep_capacity(&f, &p), 9, EPS);
    f.capacity = 6;
    CU_ASSERT_DOUBLE_EQUAL(ep_capacity(&f, &p), 8.4, EPS);
    /* an estimate on a sprint that did not complete everything is ignored */
    ep_episode_t g = ep("g", 0.9, 8, 6, 2, 6);
    g.capacity = 9;
    CU_ASSERT_DOUBLE_EQUAL(ep_capacity(&g, &p), 6, EPS);
}

static void test_bridge_caps(void)
{
    ep_episode_t e[2] = {ep("a", 0.9, 10, 7, 2, 5), ep("b", 0.9, 10, 7, 2, 5)};
    ep_params_t p = params(5, 2, 4); /* only 4 unassigned tasks */
    ep_context_t c;

    ep_bridge(e, 2, &p, &c, NULL, NULL);
    CU_ASSERT_EQUAL(c.tasks.value, 4);
    CU_ASSERT_EQUAL(c.tasks.evidence, 0); /* |7 − 4| > 1 */
    CU_ASSERT_DOUBLE_EQUAL(c.tasks.confidence, 0, EPS);

    /* nothing completed → at least 1 task */
    ep_episode_t z[1] = {ep("z", 0.9, 5, 0, 2, 5)};
    p = params(5, 2, 10);
    ep_bridge(z, 1, &p, &c, NULL, NULL);
    CU_ASSERT_EQUAL(c.tasks.value, 1);
    CU_ASSERT_EQUAL(c.tasks.evidence, 1);
}

static void test_bridge_empty(void)
{
    ep_params_t p = params(5, 2, 10);
    ep_context_t c;

    ep_bridge(NULL, 0, &p, &c, NULL, NULL);
    CU_ASSERT_EQUAL(c.used, 0);
    CU_ASSERT_FALSE(c.tasks.has);
    CU_ASSERT_FALSE(c.weeks.has);
    CU_ASSERT_DOUBLE_EQUAL(c.overall_confidence, 0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(c.context_quality, 0, EPS);
}

/* Two durations equally good (q̄ 0.9): the baseline's wins, else the shorter. */
static void test_bridge_duration_ties(void)
{
    ep_episode_t e[5] = {ep("a", 0.8, 10, 9, 1, 5), ep("b", 0.8, 10, 9, 1, 5), ep("c", 0.8, 10, 9, 3, 5),
                         ep("d", 0.8, 10, 9, 3, 5), ep("e", 0.8, 10, 9, 2, 5) /* alone: < support 2 */};
    ep_params_t p = params(5, 3, 20);
    ep_context_t c;

    ep_bridge(e, 5, &p, &c, NULL, NULL);
    CU_ASSERT_EQUAL(c.weeks.value, 3);
    CU_ASSERT_EQUAL(c.weeks.evidence, 2);
    /* (2/5) · 0.9 · 0.8 = 0.288 */
    CU_ASSERT_DOUBLE_EQUAL(c.weeks.confidence, 0.288, EPS);
    p.weeks = 2;
    ep_bridge(e, 5, &p, &c, NULL, NULL);
    CU_ASSERT_EQUAL(c.weeks.value, 1);
}

static void test_params_from_contract(void)
{
    json_object *perc = parse("{\"team\": {\"size\": 5}, \"backlog\": {\"unassigned\": 9},"
                              " \"options\": {\"sprint_duration_weeks\": 3}}");
    json_object *base = parse("{\"tasks_to_assign\": 9, \"sprint_duration_weeks\": 2}");
    ep_params_t p;

    ep_params_from_json(&p, perc, base);
    CU_ASSERT_EQUAL(p.team_size, 5);
    CU_ASSERT_EQUAL(p.weeks, 2);
    CU_ASSERT_EQUAL(p.max_tasks, 9);
    CU_ASSERT_DOUBLE_EQUAL(p.min_similarity, 0.6, EPS);
    ep_params_from_json(&p, perc, NULL);
    CU_ASSERT_EQUAL(p.weeks, 3);
    ep_params_from_json(&p, NULL, NULL);
    CU_ASSERT_EQUAL(p.team_size, -1);
    CU_ASSERT_EQUAL(p.max_tasks, -1);
    json_object_put(perc);
    json_object_put(base);
}

static void test_insight(void)
{
    ep_episode_t e[4] = {ep("a", 0.9, 10, 6, 2, 5), ep("b", 0.8, 8, 6, 2, 5), ep("c", 0.7, 8, 8, 2, 5),
                         ep("x", 0.95, 10, 2, 2, 5)};
    e[3].has_outcome = 0;
    ep_params_t p = params(5, 2, 20);
    ep_context_t c;
    unsigned char used[4];

    ep_bridge(e, 4, &p, &c, used, NULL);
    json_object *o = ep_insight(e, 4, used, &c, &p), *lines = member(o, "summary_lines");
    CU_ASSERT_EQUAL(json_object_get_int(member(o, "episodes_retrieved")), 4);
    CU_ASSERT_EQUAL(json_object_get_int(member(o, "episodes_used")), 3);
    CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(member(o, "average_similarity")), 0.8, EPS);
    CU_ASSERT_EQUAL(json_object_array_length(member(o, "patterns")), 2);
    json_object *tp = json_object_array_get_idx(member(o, "patterns"), 0);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(member(tp, "pattern_type")), "task_count");
    CU_ASSERT_EQUAL(json_object_get_int(member(tp, "pattern_value")), 7);
    CU_ASSERT_EQUAL(json_object_get_int(member(tp, "episode_count")), 2);
    CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(member(tp, "confidence")), 0.5412, EPS);
    CU_ASSERT_EQUAL(json_object_array_length(member(o, "contributing_episodes")), 3);
    json_object *ce = json_object_array_get_idx(member(o, "contributing_episodes"), 0);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(member(ce, "episode_id")), "a");
    CU_ASSERT_EQUAL(json_object_get_int(member(ce, "tasks_committed")), 10);
    CU_ASSERT_EQUAL(json_object_get_int(member(ce, "tasks_completed")), 6);
    CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(member(ce, "outcome_quality")), 0.6, EPS);
    CU_ASSERT_EQUAL(json_object_get_int(member(o, "recommended_task_count")), 7);
    CU_ASSERT_EQUAL(json_object_array_length(lines), 3); /* task count: confidence 0.54 ≤ 0.6 */
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(lines, 0)),
                           "Episode memory: 3 similar past decisions analyzed with 80.0% average similarity.");
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(lines, 1)),
                           "Similar projects achieved 78% success rate across 3 episodes.");
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(lines, 2)),
                           "Memory insight: 2-week sprints worked best (78% success over 3 episodes).");
    CU_ASSERT_EQUAL(json_object_array_length(member(o, "risk_factors")), 0);
    json_object_put(o);

    /* nothing usable */
    ep_bridge(e + 3, 1, &p, &c, used, NULL);
    o = ep_insight(e + 3, 1, used, &c, &p);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(member(o, "summary_lines"), 0)),
                           "Episode memory: 1 similar past decisions found, none with a recorded outcome yet.");
    CU_ASSERT_TRUE(json_object_is_type(member(o, "recommended_task_count"), json_type_null));
    json_object_put(o);
}

static void test_query_and_body(void)
{
    json_object *perc = parse("{\"schema\": 1, \"project_id\": \"P1\", \"project\": {\"id\": \"P1\"},"
                              " \"team\": {\"size\": 3}, \"chronicle\": {}, \"schedules\": [], \"history\": {},"
                              " \"backlog\": {\"unassigned\": 4}, \"mode\": \"hybrid\"}");
    json_object *ctx = ep_query_context(perc);

    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    CU_ASSERT_EQUAL(json_object_object_length(ctx), 5);
    CU_ASSERT_PTR_NULL(member(ctx, "project"));
    CU_ASSERT_PTR_NULL(member(ctx, "chronicle"));
    CU_ASSERT_PTR_NULL(member(ctx, "schedules"));
    CU_ASSERT_PTR_NULL(member(ctx, "history"));
    CU_ASSERT_EQUAL(json_object_get_int(member(member(ctx, "team"), "size")), 3);
    CU_ASSERT_PTR_NULL(ep_query_context(NULL));

    json_object *b = ep_search_body(ctx, 40, 0.6, "P1");
    CU_ASSERT_EQUAL(json_object_get_int(member(b, "k")), 40);
    CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(member(b, "min_similarity")), 0.6, EPS);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(member(b, "project_id")), "P1");
    CU_ASSERT_PTR_NOT_NULL(member(b, "context"));
    json_object_put(b);
    b = ep_search_body(json_object_new_object(), 5, 0.6, NULL);
    CU_ASSERT_FALSE(json_object_object_get_ex(b, "project_id", NULL));
    json_object_put(b);
    json_object_put(perc);
}

static void test_iso_and_cutoff(void)
{
    CU_ASSERT_DOUBLE_EQUAL(ep_iso_seconds("1970-01-01T00:00:00"), 0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_iso_seconds("2025-09-18T14:00:04.5"), 1758204004.5, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_iso_seconds("2025-09-18 14:00:04+00:00"), 1758204004, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_iso_seconds("2025-09-18T16:00:04+02:00"), 1758204004, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_iso_seconds("2025-09-18T14:00:04Z"), 1758204004, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_iso_seconds("2024-02-29T00:00:00-05"), 1709182800, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_iso_seconds("2025-13-01T00:00:00"), -1, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_iso_seconds("2025-09-18"), -1, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_iso_seconds("2025-09-18T14:00:04 junk"), -1, EPS);
    CU_ASSERT_DOUBLE_EQUAL(ep_iso_seconds(NULL), -1, EPS);

    /* a replayed decision of 2025-09-18 14:00 must not learn from its own or later episodes */
    json_object *perc = parse("{\"generated_at\": \"2025-09-18T14:00:04.918273\", \"team\": {\"size\": 5}}");
    ep_params_t p;
    ep_params_from_json(&p, perc, NULL);
    CU_ASSERT_DOUBLE_EQUAL(p.cutoff, 1758204004.918273, 1e-3);
    ep_episode_t e[3] = {ep("old", 0.9, 10, 6, 2, 5), ep("self", 0.9, 10, 9, 2, 5), ep("later", 0.9, 10, 9, 2, 5)};
    e[0].ts = ep_iso_seconds("2025-09-04T14:00:00+00:00");
    e[1].ts = ep_iso_seconds("2025-09-18T14:00:05.2+00:00");
    e[2].ts = ep_iso_seconds("2025-10-02T14:00:00+00:00");
    ep_context_t c;
    unsigned char used[3];
    ep_bridge(e, 3, &p, &c, used, NULL);
    CU_ASSERT_EQUAL(c.used, 1);
    CU_ASSERT_TRUE(used[0] && !used[1] && !used[2]);
    CU_ASSERT_EQUAL(c.tasks.value, 6);
    CU_ASSERT_EQUAL(ep_count_after_cutoff(e, 3, &p), 2);
    json_object_put(perc);

    /* read from a search hit */
    json_object *o = parse("{\"timestamp\": \"2025-09-04T14:00:00+00:00\", \"similarity\": 0.9}");
    ep_episode_from_json(o, &e[0]);
    CU_ASSERT_DOUBLE_EQUAL(e[0].ts, 1756994400, EPS);
    json_object_put(o);
}

DSM_SUITE("plugins/episodes_logic", NULL, NULL, DSM_TEST(test_round_half_even),
          DSM_TEST(test_read_contract_episode), DSM_TEST(test_read_other_shapes),
          DSM_TEST(test_bridge_consistent), DSM_TEST(test_bridge_disagreeing),
          DSM_TEST(test_bridge_filters), DSM_TEST(test_bridge_scaling), DSM_TEST(test_bridge_caps),
          DSM_TEST(test_bridge_empty), DSM_TEST(test_bridge_duration_ties),
          DSM_TEST(test_params_from_contract), DSM_TEST(test_insight), DSM_TEST(test_query_and_body),
          DSM_TEST(test_iso_and_cutoff));
