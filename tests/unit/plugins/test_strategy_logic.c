/* test_strategy_logic.c — strategy scoring, boost, proposal and feedback:
 * plugins/intel_strategy/strategy_logic.c (spec/orchestrator.md §5.2–§5.4, docs/ORCHESTRATOR.md
 * §7–§8). Expected values worked by hand from the spec's constants (0.5 base, 0.1 steps, ...). */
#include <json-c/json.h>
#include <string.h>

#include "dsm_test.h"
#include "strategy_logic.h"

static stg_config_t cfg(void)
{
    stg_config_t c;

    stg_config_defaults(&c);
    return c;
}

static json_object *J(const char *text)
{
    json_object *j = json_tokener_parse(text);

    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    return j;
}

/* A strategy row as GET /v1/memory/strategies returns it. */
static json_object *row(const char *id, double conf, const char *sr, int times, int nsupport,
                        const char *content)
{
    char buf[2048], sup[256] = "";

    for (int i = 0; i < nsupport; i++)
        snprintf(sup + strlen(sup), sizeof(sup) - strlen(sup), "%s\"e%d\"", i ? "," : "", i);
    snprintf(buf, sizeof(buf),
             "{\"knowledge_id\":\"%s\",\"knowledge_type\":\"strategy\",\"description\":\"S %s\","
             "\"confidence\":%g,\"success_rate\":%s,\"times_applied\":%d,\"success_count\":1,"
             "\"failure_count\":1,\"supporting_episodes\":[%s],\"content\":%s}",
             id, id, conf, sr, times, sup, content);
    return J(buf);
}

#define CONTRACT_CONDS                                                                             \
    "{\"applicability_conditions\":{\"team_size\":{\"min\":4,\"max\":8},"                          \
    "\"unassigned_tasks\":{\"min\":8,\"max\":14},"                                              \
    "\"availability_conflicts\":{\"min\":0,\"max\":0},"                                         \
    "\"project_id\":[\"APO009\"]},\"recommendation\":{\"tasks_to_assign\":7,"                      \
    "\"sprint_duration_weeks\":3}}"

#define CONTEXT                                                                                    \
    "{\"project_id\":\"APO009\",\"team_size\":5,\"unassigned_tasks\":10,"                          \
    "\"availability_conflicts\":0,\"sprint_duration_weeks\":2}"

/* 4 matching conditions: 0.5 + 4 × 0.1 = 0.9; + success_rate 0.75 > 0.7 → 1.0;
 * + times_applied 6 > 5 → capped at 1.0. */
static void test_score_contract_conditions(void)
{
    stg_config_t c = cfg();
    json_object *ctx = J(CONTEXT), *r = row("a", 0.8, "null", 0, 3, CONTRACT_CONDS);
    stg_strategy_t s;

    CU_ASSERT_EQUAL_FATAL(stg_from_json(r, &s), 0);
    CU_ASSERT_DOUBLE_EQUAL(stg_score(&c, &s, ctx), 0.9, 1e-12);
    CU_ASSERT_EQUAL(s.matched, 4);
    CU_ASSERT_EQUAL(s.mismatched, 0);
    s.has_success_rate = 1;
    s.success_rate = 0.75;
    CU_ASSERT_DOUBLE_EQUAL(stg_score(&c, &s, ctx), 1.0, 1e-12);
    s.times_applied = 6;
    CU_ASSERT_DOUBLE_EQUAL(stg_score(&c, &s, ctx), 1.0, 1e-12);
    /* success_rate exactly 0.7 and 5 applications add nothing */
    s.success_rate = 0.7;
    s.times_applied = 5;
    CU_ASSERT_DOUBLE_EQUAL(stg_score(&c, &s, ctx), 0.9, 1e-12);
    json_object_put(r);
    json_object_put(ctx);
}

/* The original generator nests conditions under content.content (#22): still read. A list is
 * "one of"; an equal scalar matches; a key the context lacks is ignored; a failing condition is
 * a mismatch. */
static void test_score_nested_and_kinds(void)
{
    stg_config_t c = cfg();
    json_object *ctx = J(CONTEXT);
    json_object *r = row("b", 0.6, "null", 0, 3,
                         "{\"strategy_type\":\"context_based\",\"content\":{"
                         "\"applicability_conditions\":{\"team_size\":[4,5],"
                         "\"sprint_duration_weeks\":2,\"velocity_trend\":\"stable\","
                         "\"unassigned_tasks\":{\"max\":9}}}}");
    stg_strategy_t s;

    CU_ASSERT_EQUAL_FATAL(stg_from_json(r, &s), 0);
    CU_ASSERT_DOUBLE_EQUAL(stg_score(&c, &s, ctx), 0.7, 1e-12); /* 0.5 + team + weeks */
    CU_ASSERT_EQUAL(s.matched, 2);
    CU_ASSERT_EQUAL(s.mismatched, 1); /* 10 > max 9 */
    json_object_put(r);
    json_object_put(ctx);
}

static void test_cond_match(void)
{
    json_object *range = J("{\"min\":4,\"max\":8}"), *lo = J("{\"min\":4}"), *list = J("[\"a\",3]");
    json_object *five = json_object_new_int(5), *nine = json_object_new_int(9),
                *three = json_object_new_double(3.0), *a = json_object_new_string("a"),
                *b = json_object_new_string("b");

    CU_ASSERT_TRUE(stg_cond_match(range, five));
    CU_ASSERT_FALSE(stg_cond_match(range, nine));
    CU_ASSERT_FALSE(stg_cond_match(range, a));
    CU_ASSERT_TRUE(stg_cond_match(lo, nine));
    CU_ASSERT_TRUE(stg_cond_match(list, a));
    CU_ASSERT_TRUE(stg_cond_match(list, three)); /* 3 == 3.0 */
    CU_ASSERT_FALSE(stg_cond_match(list, b));
    CU_ASSERT_TRUE(stg_cond_match(a, a));
    CU_ASSERT_FALSE(stg_cond_match(a, b));
    json_object_put(range);
    json_object_put(lo);
    json_object_put(list);
    json_object_put(five);
    json_object_put(nine);
    json_object_put(three);
    json_object_put(a);
    json_object_put(b);
}

/* mean(applicability × confidence): (0.9 × 0.8 + 0.5 × 0.6) / 2 = (0.72 + 0.30) / 2 = 0.51;
 * boost of 0.75 by 0.1 × 0.51 = 0.801. The original's case — every score 0.5 — gives
 * rc = 0.5 × mean(confidence) <= 0.5: never a boost. */
static void test_recommendation_confidence_and_boost(void)
{
    stg_config_t c = cfg();
    stg_strategy_t s[2];

    memset(s, 0, sizeof(s));
    s[0].applicability = 0.9;
    s[0].confidence = 0.8;
    s[1].applicability = 0.5;
    s[1].confidence = 0.6;
    CU_ASSERT_DOUBLE_EQUAL(stg_recommendation_confidence(s, 2), 0.51, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(stg_boost(&c, 0.75, 0.51), 0.801, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(stg_boost(&c, 0.95, 0.9), 1.0, 1e-12); /* capped */
    s[0].applicability = s[1].applicability = 0.5;
    s[0].confidence = s[1].confidence = 1.0;
    CU_ASSERT_DOUBLE_EQUAL(stg_recommendation_confidence(s, 2), 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(stg_boost(&c, 0.75, 0.5), 0.75, 0);
    CU_ASSERT_DOUBLE_EQUAL(stg_recommendation_confidence(s, 0), 0, 0);
}

/* §5.2 insights: confidences 0.9, 0.85, 0.6 → 2 high ones averaging 87.5 %; success rates
 * 0.8, 0.9, null → mean 0.5667 (not > 0.7); applications 10 + 12 + 0 = 22 > 20; team of 3 and one
 * content mentioning small_team. */
static void test_insights(void)
{
    json_object *small = J("{\"context_signature\":\"small_team_small_backlog\"}");
    stg_strategy_t s[3];
    char out[5][256];

    memset(s, 0, sizeof(s));
    s[0].confidence = 0.9;
    s[0].has_success_rate = 1;
    s[0].success_rate = 0.8;
    s[0].times_applied = 10;
    s[1].confidence = 0.85;
    s[1].has_success_rate = 1;
    s[1].success_rate = 0.9;
    s[1].times_applied = 12;
    s[1].content = small;
    s[2].confidence = 0.6;
    CU_ASSERT_EQUAL(stg_insights(s, 3, 3, out, 5), 3);
    CU_ASSERT_STRING_EQUAL(out[0], "2 high-confidence strategies available with average 87.5% "
                                   "confidence");
    CU_ASSERT_STRING_EQUAL(out[1], "Strategies have been successfully applied 22 times");
    CU_ASSERT_STRING_EQUAL(out[2], "1 strategies optimized for small teams");
    /* two strategies: success rates average 0.85 > 0.7; a team of 5 is not small */
    CU_ASSERT_EQUAL(stg_insights(s, 2, 5, out, 5), 3);
    CU_ASSERT_STRING_EQUAL(out[1], "Applicable strategies show 85.0% average success rate");
    CU_ASSERT_EQUAL(stg_insights(s, 0, 3, out, 5), 1);
    CU_ASSERT_STRING_EQUAL(out[0], "No applicable strategies found for current context");
    json_object_put(small);
}

/* Contract recommendation {"tasks_to_assign": 7, "sprint_duration_weeks": 3}, confidence 0.8,
 * applicability 0.9, 3 supporting episodes vs 1 + 1 outcomes → evidence 3. */
static void test_propose_contract_recommendation(void)
{
    stg_config_t c = cfg();
    json_object *ctx = J(CONTEXT), *r = row("a", 0.8, "null", 0, 3, CONTRACT_CONDS);
    stg_strategy_t s;
    stg_proposal_t t, w;

    CU_ASSERT_EQUAL_FATAL(stg_from_json(r, &s), 0);
    stg_score(&c, &s, ctx);
    CU_ASSERT_EQUAL(stg_propose(&c, &s, 1, 10, 2, &t, &w), 2);
    CU_ASSERT_TRUE(t.proposed);
    CU_ASSERT_EQUAL(t.original, 10);
    CU_ASSERT_EQUAL(t.recommended, 7);
    CU_ASSERT_DOUBLE_EQUAL(t.confidence, 0.8, 1e-12);
    CU_ASSERT_EQUAL(t.evidence_count, 3);
    CU_ASSERT_EQUAL(t.strategy_index, 0);
    CU_ASSERT_STRING_EQUAL(t.rationale, "Strategy 'S a' (confidence 0.80, applicability 0.90, "
                                        "applied 0 times) recommends 7 tasks instead of 10.");
    CU_ASSERT_TRUE(w.proposed);
    CU_ASSERT_EQUAL(w.recommended, 3);
    /* the baseline already says 7 tasks / 3 weeks: nothing to propose */
    CU_ASSERT_EQUAL(stg_propose(&c, &s, 1, 7, 3, &t, &w), 0);
    /* nothing assigned: no task proposal, the duration still */
    CU_ASSERT_EQUAL(stg_propose(&c, &s, 1, 0, 2, &t, &w), 1);
    CU_ASSERT_FALSE(t.proposed);
    CU_ASSERT_TRUE(w.proposed);
    /* confidence 0.74 < 0.75: no proposal at all */
    s.confidence = 0.74;
    CU_ASSERT_EQUAL(stg_propose(&c, &s, 1, 10, 2, &t, &w), 0);
    json_object_put(r);
    json_object_put(ctx);
}

/* A project's own strategy (4 matched conditions, project_id among them; confidence 0.8)
 * proposes before a shared one of its context group (3 matched; confidence 0.95), although the
 * shared one has the higher applicability × confidence (0.95 vs 0.8 × 0.9 = 0.72). When the
 * project's own one is not confident enough (0.7 < 0.75), the shared one proposes. */
static void test_propose_prefers_project_strategy(void)
{
    stg_config_t c = cfg();
    json_object *ctx = J(CONTEXT);
    json_object *own = row("own", 0.8, "null", 0, 3, CONTRACT_CONDS);
    json_object *shared = row("shared", 0.95, "0.75", 0, 9,
                              "{\"applicability_conditions\":{\"team_size\":{\"min\":4,\"max\":8},"
                              "\"unassigned_tasks\":{\"min\":8,\"max\":14},"
                              "\"availability_conflicts\":{\"min\":0,\"max\":0}},"
                              "\"recommendation\":{\"tasks_to_assign\":9}}");
    stg_strategy_t s[2];
    stg_proposal_t t, w;

    CU_ASSERT_EQUAL_FATAL(stg_from_json(shared, &s[0]), 0);
    CU_ASSERT_EQUAL_FATAL(stg_from_json(own, &s[1]), 0);
    stg_score(&c, &s[0], ctx); /* 0.5 + 3 × 0.1 + success rate 0.75 → 0.9 */
    stg_score(&c, &s[1], ctx); /* 0.5 + 4 × 0.1 = 0.9 */
    CU_ASSERT_EQUAL(s[0].matched, 3);
    CU_ASSERT_EQUAL(s[1].matched, 4);
    CU_ASSERT_TRUE(stg_propose(&c, s, 2, 10, 2, &t, &w) >= 1);
    CU_ASSERT_EQUAL(t.recommended, 7);
    CU_ASSERT_EQUAL(t.strategy_index, 1);
    s[1].confidence = 0.7;
    CU_ASSERT_TRUE(stg_propose(&c, s, 2, 10, 2, &t, &w) >= 1);
    CU_ASSERT_EQUAL(t.recommended, 9);
    CU_ASSERT_EQUAL(t.strategy_index, 0);
    json_object_put(own);
    json_object_put(shared);
    json_object_put(ctx);
}

/* The CR's form: reduce by 25 % → round(10 × 0.75) = round(7.5) = 8 (half to even);
 * round(6 × 0.75) = round(4.5) = 4; increase by 25 % → round(12.5) = 12. Weeks 6 → clamped 4. */
static void test_propose_adjustment_percent(void)
{
    stg_config_t c = cfg();
    json_object *red = J("{\"recommendation\":{\"action\":\"reduce_task_count\","
                         "\"adjustment_percent\":0.25,\"sprint_duration_weeks\":6}}");
    json_object *inc = J("{\"recommendation\":{\"action\":\"increase_task_count\","
                         "\"adjustment_percent\":0.25}}");
    stg_strategy_t s;
    stg_proposal_t t, w;

    memset(&s, 0, sizeof(s));
    s.confidence = 0.9;
    s.applicability = 0.6;
    s.supporting = 4;
    s.content = red;
    stg_propose(&c, &s, 1, 10, 2, &t, &w);
    CU_ASSERT_EQUAL(t.recommended, 8);
    CU_ASSERT_EQUAL(t.evidence_count, 4);
    CU_ASSERT_EQUAL(w.recommended, 4);
    stg_propose(&c, &s, 1, 6, 2, &t, &w);
    CU_ASSERT_EQUAL(t.recommended, 4);
    s.content = inc;
    CU_ASSERT_EQUAL(stg_propose(&c, &s, 1, 10, 2, &t, &w), 1);
    CU_ASSERT_EQUAL(t.recommended, 12);
    CU_ASSERT_FALSE(w.proposed);
    s.applicability = 0.45; /* below propose_applicability 0.5 */
    CU_ASSERT_EQUAL(stg_propose(&c, &s, 1, 10, 2, &t, &w), 0);
    json_object_put(red);
    json_object_put(inc);
}

/* Selection: the strategy of another project (mismatch) goes, the rest are ranked by
 * applicability × confidence and cut to the limit: b 1.0×0.7 = 0.70 > a 0.9×0.6 = 0.54 >
 * c 0.5×0.9 = 0.45. */
static void test_select(void)
{
    stg_config_t c = cfg();
    json_object *ctx = J(CONTEXT);
    json_object *ra = row("a", 0.6, "null", 0, 3, CONTRACT_CONDS);
    json_object *rb = row("b", 0.7, "0.8", 6, 3, CONTRACT_CONDS);
    json_object *rc = row("c", 0.9, "null", 0, 3, "{}");
    json_object *rx = row("x", 0.95, "null", 0, 3,
                          "{\"applicability_conditions\":{\"project_id\":[\"ZEP010\"]}}");
    stg_strategy_t s[4];

    stg_from_json(rx, &s[0]);
    stg_from_json(rc, &s[1]);
    stg_from_json(ra, &s[2]);
    stg_from_json(rb, &s[3]);
    CU_ASSERT_EQUAL(stg_select(&c, s, 4, ctx), 3);
    CU_ASSERT_STRING_EQUAL(s[0].id, "b");
    CU_ASSERT_STRING_EQUAL(s[1].id, "a");
    CU_ASSERT_STRING_EQUAL(s[2].id, "c");
    CU_ASSERT_EQUAL(stg_best(s, 3), 0);
    c.limit = 2;
    stg_from_json(rx, &s[0]);
    stg_from_json(rc, &s[1]);
    stg_from_json(ra, &s[2]);
    stg_from_json(rb, &s[3]);
    CU_ASSERT_EQUAL(stg_select(&c, s, 4, ctx), 2);
    json_object_put(ra);
    json_object_put(rb);
    json_object_put(rc);
    json_object_put(rx);
    json_object_put(ctx);
}

static void test_from_json_and_evidence(void)
{
    json_object *r = row("k1", 0.66, "null", 4, 3, "{}");
    json_object *bad = J("{\"description\":\"no id\"}");
    stg_strategy_t s;

    CU_ASSERT_EQUAL(stg_from_json(r, &s), 0);
    CU_ASSERT_STRING_EQUAL(s.id, "k1");
    CU_ASSERT_STRING_EQUAL(s.description, "S k1");
    CU_ASSERT_DOUBLE_EQUAL(s.confidence, 0.66, 1e-12);
    CU_ASSERT_FALSE(s.has_success_rate);
    CU_ASSERT_EQUAL(s.times_applied, 4);
    CU_ASSERT_EQUAL(s.supporting, 3);
    CU_ASSERT_EQUAL(stg_evidence(&s), 3); /* max(3 supporting, 1 + 1 outcomes) */
    s.success_count = 4;
    CU_ASSERT_EQUAL(stg_evidence(&s), 5);
    CU_ASSERT_EQUAL(stg_from_json(bad, &s), -1);
    json_object_put(r);
    json_object_put(bad);
}

/* Contract §8: clamp(c + 0.1·(q − c), 0.1, 1): 0.8, q 0.5 → 0.77; 0.1, q 0 → 0.09 → 0.1;
 * 0.95, q 1 → 0.955. */
static void test_feedback(void)
{
    stg_config_t c = cfg();

    CU_ASSERT_DOUBLE_EQUAL(stg_feedback_confidence(&c, 0.8, 0.5), 0.77, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(stg_feedback_confidence(&c, 0.1, 0.0), 0.1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(stg_feedback_confidence(&c, 0.95, 1.0), 0.955, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(stg_outcome_quality(-1, 0.75, 8, 6), 0.75, 0);
    CU_ASSERT_DOUBLE_EQUAL(stg_outcome_quality(0.6, 0.75, 8, 6), 0.6, 0);
    CU_ASSERT_DOUBLE_EQUAL(stg_outcome_quality(-1, -1, 8, 6), 0.75, 0);
    CU_ASSERT_DOUBLE_EQUAL(stg_outcome_quality(-1, -1, 0, 0), -1, 0);
    CU_ASSERT_DOUBLE_EQUAL(stg_outcome_quality(1.2, -1, -1, -1), 1.0, 0);
}

/* Context from the contract's perception: team.size, backlog numbers, len(conflicts), the
 * requested weeks, and from perception.chronicle: 2 similar projects averaging (0.8 + 0.75)/2 =
 * 0.775 and the latest completed count 7. */
static void test_context(void)
{
    json_object *p = J("{\"project_id\":\"APO009\",\"options\":{\"sprint_duration_weeks\":3},"
                       "\"team\":{\"size\":5},\"availability\":{\"status\":\"conflict\","
                       "\"conflicts\":[{\"type\":\"pto\"}]},\"backlog\":{\"total_tasks\":20,"
                       "\"unassigned\":11},\"chronicle\":{\"similar_projects\":["
                       "{\"similarity_score\":0.8},{\"similarity_score\":0.75}],\"velocity\":{"
                       "\"velocity_trend_data\":[{\"completed_tasks\":5},"
                       "{\"completed_tasks\":7}]}}}");
    json_object *ctx = stg_context(p, NULL), *ctx2;

    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(ctx, "project_id")),
                           "APO009");
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(ctx, "team_size")), 5);
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(ctx, "backlog_tasks")), 20);
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(ctx, "unassigned_tasks")), 11);
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(ctx, "availability_conflicts")), 1);
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(ctx, "sprint_duration_weeks")), 3);
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(ctx, "similar_projects_count")), 2);
    CU_ASSERT_DOUBLE_EQUAL(
        json_object_get_double(json_object_object_get(ctx, "avg_similarity_score")), 0.775, 1e-12);
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(ctx, "current_velocity")), 7);
    ctx2 = stg_context(NULL, "X");
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(ctx2, "sprint_duration_weeks")), 2);
    CU_ASSERT_PTR_NULL(json_object_object_get(ctx2, "team_size"));
    json_object_put(ctx);
    json_object_put(ctx2);
    json_object_put(p);
}

static void test_params(void)
{
    json_object *p = J("{\"sources\":[\"chronicle\",\"strategy\"],\"source\":{\"strategy\":"
                       "{\"deadline_ms\":300}},\"urls\":{\"memory\":\"http://m:1\"}}");

    CU_ASSERT_STRING_EQUAL(stg_param_url(p, "memory"), "http://m:1");
    CU_ASSERT_PTR_NULL(stg_param_url(NULL, "memory"));
    json_object_put(p);
}

DSM_SUITE("plugins/intel_strategy", NULL, NULL, DSM_TEST(test_score_contract_conditions),
          DSM_TEST(test_score_nested_and_kinds), DSM_TEST(test_cond_match),
          DSM_TEST(test_recommendation_confidence_and_boost), DSM_TEST(test_insights),
          DSM_TEST(test_propose_contract_recommendation), DSM_TEST(test_propose_adjustment_percent), DSM_TEST(test_propose_prefers_project_strategy),
          DSM_TEST(test_select), DSM_TEST(test_from_json_and_evidence), DSM_TEST(test_feedback),
          DSM_TEST(test_context), DSM_TEST(test_params));
