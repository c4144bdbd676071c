/* test_chronicle_intel_logic.c — the "chronicle" intelligence source's computations:
 * plugins/intel_chronicle/chronicle_logic.c (spec/orchestrator.md §3.3–§3.5). Expected values are
 * worked by hand from the spec's constants; the arithmetic is in the comments. */
#include <json-c/json.h>
#include <string.h>

#include "chronicle_logic.h"
#include "dsm_test.h"

static chi_config_t cfg(void)
{
    chi_config_t c;

    chi_config_defaults(&c);
    return c;
}

/* §3.5: 4 similar projects, similarity 0.8, optimal 6,7,6,5, completion .90 .85 .70 .95,
 * durations (days) 14, 14, 21, 7. */
static size_t example_similar(chi_similar_t *s)
{
    static const int64_t opt[4] = {6, 7, 6, 5};
    static const double cr[4] = {0.90, 0.85, 0.70, 0.95};
    static const double days[4] = {14, 14, 21, 7};

    memset(s, 0, 4 * sizeof(*s));
    for (int i = 0; i < 4; i++) {
        s[i].similarity = 0.8;
        s[i].optimal_task_count = opt[i];
        s[i].completion_rate = cr[i];
        s[i].avg_sprint_duration_days = days[i];
    }
    return 4;
}

/* §3.5 velocity 4,5,5,6,6,7: x̄ = 2.5, ȳ = 5.5, Σ(x−x̄)(y−ȳ) = 9.5, Σ(x−x̄)² = 17.5,
 * slope = 0.542857 → 0.5429 → increasing; confidence = 0.6 × 0.4571 = 0.2743 → 0.27. */
static void test_velocity_worked_example(void)
{
    static const double y[6] = {4, 5, 5, 6, 6, 7};
    chi_velocity_t v;

    chi_velocity(y, 6, &v);
    CU_ASSERT_TRUE(v.present);
    CU_ASSERT_EQUAL(v.n, 6);
    CU_ASSERT_DOUBLE_EQUAL(v.slope, 0.5429, 1e-12);
    CU_ASSERT_STRING_EQUAL(v.direction, "increasing");
    CU_ASSERT_DOUBLE_EQUAL(v.confidence, 0.27, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(v.current, 7, 0);
    CU_ASSERT_DOUBLE_EQUAL(v.min, 4, 0);
    CU_ASSERT_DOUBLE_EQUAL(v.max, 7, 0);
    CU_ASSERT_DOUBLE_EQUAL(v.average, 5.5, 1e-12);
}

/* One sprint: slope 0, stable, confidence min(1/10,1)·1 = 0.1. None: absent. */
static void test_velocity_small(void)
{
    static const double y[1] = {5};
    chi_velocity_t v;

    chi_velocity(y, 1, &v);
    CU_ASSERT_TRUE(v.present);
    CU_ASSERT_DOUBLE_EQUAL(v.slope, 0, 0);
    CU_ASSERT_STRING_EQUAL(v.direction, "stable");
    CU_ASSERT_DOUBLE_EQUAL(v.confidence, 0.1, 1e-12);
    chi_velocity(y, 0, &v);
    CU_ASSERT_FALSE(v.present);
}

/* #10: 0, 10 → slope 10; min(2/10,1)·(1 − 10) = −1.8 in the original, clamped to 0 here. */
static void test_velocity_confidence_clamped(void)
{
    static const double y[2] = {0, 10};
    chi_velocity_t v;

    chi_velocity(y, 2, &v);
    CU_ASSERT_DOUBLE_EQUAL(v.slope, 10, 1e-12);
    CU_ASSERT_STRING_EQUAL(v.direction, "increasing");
    CU_ASSERT_DOUBLE_EQUAL(v.confidence, 0, 0);
}

/* §3.5 task proposal: opt = round(24/4) = 6, conf = 3.4/4 = 0.85, |10 − 6| = 4 > 1, evidence 4. */
static void test_task_proposal_worked_example(void)
{
    chi_config_t c = cfg();
    chi_similar_t s[4];
    chi_proposal_t p;
    size_t n = example_similar(s);

    CU_ASSERT_TRUE(chi_task_proposal(&c, 10, s, n, &p));
    CU_ASSERT_EQUAL(p.original, 10);
    CU_ASSERT_EQUAL(p.recommended, 6);
    CU_ASSERT_DOUBLE_EQUAL(p.confidence, 0.85, 1e-9);
    CU_ASSERT_EQUAL(p.evidence_count, 4);
    CU_ASSERT_STRING_EQUAL(p.evidence_source, "4 similar projects analysis");
    CU_ASSERT_STRING_EQUAL(p.rationale,
                           "Historical analysis of 4 similar projects (avg similarity 0.80, avg "
                           "confidence 0.85) suggests an optimal task count of 6 compared to the "
                           "rule-based 10.");
}

/* No proposal: |7 − 6| = 1 is not > 1; a low mean completion (0.5 is not > 0.5); similarity 0.5
 * is not > 0.5; optimal 0 is "no data"; nothing to assign (B = 0). */
static void test_task_proposal_thresholds(void)
{
    chi_config_t c = cfg();
    chi_similar_t s[4];
    chi_proposal_t p;
    size_t n = example_similar(s);

    CU_ASSERT_FALSE(chi_task_proposal(&c, 7, s, n, &p));
    CU_ASSERT_FALSE(p.proposed);
    CU_ASSERT_FALSE(chi_task_proposal(&c, 0, s, n, &p));
    for (int i = 0; i < 4; i++)
        s[i].completion_rate = 0.5;
    CU_ASSERT_FALSE(chi_task_proposal(&c, 10, s, n, &p));
    n = example_similar(s);
    for (int i = 0; i < 4; i++)
        s[i].similarity = 0.5;
    CU_ASSERT_FALSE(chi_task_proposal(&c, 10, s, n, &p));
    n = example_similar(s);
    for (int i = 0; i < 4; i++)
        s[i].optimal_task_count = 0;
    CU_ASSERT_FALSE(chi_task_proposal(&c, 10, s, n, &p));
    /* one project without optimal: (6 + 7 + 6)/3 = 6.33 → 6, conf (0.9+0.85+0.7)/3 = 0.81667,
     * reported to 4 decimals: 0.8167 */
    n = example_similar(s);
    s[3].optimal_task_count = 0;
    CU_ASSERT_TRUE(chi_task_proposal(&c, 10, s, n, &p));
    CU_ASSERT_EQUAL(p.recommended, 6);
    CU_ASSERT_EQUAL(p.evidence_count, 3);
    CU_ASSERT_DOUBLE_EQUAL(p.confidence, 0.8167, 1e-12);
}

/* round half to even: (6 + 7) / 2 = 6.5 → 6; (7 + 8) / 2 = 7.5 → 8. */
static void test_task_proposal_rounds_half_even(void)
{
    chi_config_t c = cfg();
    chi_similar_t s[4];
    chi_proposal_t p;

    example_similar(s);
    s[0].optimal_task_count = 6;
    s[1].optimal_task_count = 7;
    CU_ASSERT_TRUE(chi_task_proposal(&c, 10, s, 2, &p));
    CU_ASSERT_EQUAL(p.recommended, 6);
    s[0].optimal_task_count = 7;
    s[1].optimal_task_count = 8;
    CU_ASSERT_TRUE(chi_task_proposal(&c, 10, s, 2, &p));
    CU_ASSERT_EQUAL(p.recommended, 8);
}

/* §3.4 duration: 4,4,4,4,5,4,5,5,5,5 → ȳ 4.5, Σ(x−x̄)(y−ȳ) = 11.5, Σ(x−x̄)² = 82.5,
 * slope 0.1394 increasing, confidence 1 × 0.8606 = 0.86 ≥ 0.5 → 2 weeks − 1 = 1 ("shorter"). */
static void test_duration_proposal(void)
{
    static const double up[10] = {4, 4, 4, 4, 5, 4, 5, 5, 5, 5};
    static const double down[10] = {5, 5, 5, 5, 4, 5, 4, 4, 4, 4};
    chi_config_t c = cfg();
    chi_velocity_t v;
    chi_proposal_t p;

    chi_velocity(up, 10, &v);
    CU_ASSERT_DOUBLE_EQUAL(v.slope, 0.1394, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(v.confidence, 0.86, 1e-12);
    CU_ASSERT_TRUE(chi_duration_proposal(&c, 2, &v, &p));
    CU_ASSERT_EQUAL(p.recommended, 1);
    CU_ASSERT_EQUAL(p.evidence_count, 10);
    CU_ASSERT_DOUBLE_EQUAL(p.confidence, 0.86, 1e-12);
    CU_ASSERT_STRING_EQUAL(p.rationale, "Current team velocity is increasing with 0.86 "
                                        "confidence. Suggesting a shorter duration of 1 weeks.");
    CU_ASSERT_FALSE(chi_duration_proposal(&c, 1, &v, &p)); /* already the shortest */
    chi_velocity(down, 10, &v);
    CU_ASSERT_STRING_EQUAL(v.direction, "decreasing");
    CU_ASSERT_TRUE(chi_duration_proposal(&c, 2, &v, &p));
    CU_ASSERT_EQUAL(p.recommended, 3);
    CU_ASSERT_FALSE(chi_duration_proposal(&c, 4, &v, &p)); /* already the longest */
}

/* §3.5: velocity confidence 0.27 < 0.5 → no duration proposal. */
static void test_duration_needs_confidence(void)
{
    static const double y[6] = {4, 5, 5, 6, 6, 7};
    chi_config_t c = cfg();
    chi_velocity_t v;
    chi_proposal_t p;

    chi_velocity(y, 6, &v);
    CU_ASSERT_FALSE(chi_duration_proposal(&c, 2, &v, &p));
    CU_ASSERT_FALSE(chi_duration_proposal(&c, 2, NULL, &p));
}

/* §3.3.4 with #9: optimal = round(24/4) = 6 (not the placeholder), duration = mean(14,14,21,7)
 * = 14 days = 2 weeks, success probability = 3 of 4 above 0.8 = 0.75. */
static void test_success_indicators_fixed(void)
{
    chi_config_t c = cfg();
    chi_similar_t s[4];
    chi_success_t si;
    size_t n = example_similar(s);

    chi_success(&c, s, n, &si);
    CU_ASSERT_TRUE(si.present);
    CU_ASSERT_TRUE(si.has_optimal);
    CU_ASSERT_EQUAL(si.optimal_tasks_per_sprint, 6);
    CU_ASSERT_TRUE(si.has_duration);
    CU_ASSERT_EQUAL(si.recommended_sprint_duration, 2);
    CU_ASSERT_DOUBLE_EQUAL(si.success_probability, 0.75, 1e-12);
    /* a completion of exactly 0.8 is not a success (> 0.8): 0.85, 0.95 of 4 → 0.5 */
    s[0].completion_rate = 0.8;
    chi_success(&c, s, n, &si);
    CU_ASSERT_DOUBLE_EQUAL(si.success_probability, 0.5, 1e-12);
    /* 3 days average → 0.43 weeks → 0, raised to the 1-week minimum; 70 days → 10 → 4 */
    for (int i = 0; i < 4; i++)
        s[i].avg_sprint_duration_days = 3;
    chi_success(&c, s, n, &si);
    CU_ASSERT_EQUAL(si.recommended_sprint_duration, 1);
    for (int i = 0; i < 4; i++)
        s[i].avg_sprint_duration_days = 70;
    chi_success(&c, s, n, &si);
    CU_ASSERT_EQUAL(si.recommended_sprint_duration, 4);
    chi_success(&c, s, 0, &si);
    CU_ASSERT_FALSE(si.present);
}

/* §3.5 confidence: 0.3 + 0.2 × 0.8 = 0.46; velocity 0.27 ≤ 0.3 adds nothing; sp 0.75 > 0.6 adds
 * 0.2 × 0.75 = 0.15 → 0.61. */
static void test_confidence_worked_example(void)
{
    static const double y[6] = {4, 5, 5, 6, 6, 7};
    chi_config_t c = cfg();
    chi_similar_t s[4];
    chi_velocity_t v;
    chi_success_t si;
    size_t n = example_similar(s);

    chi_velocity(y, 6, &v);
    chi_success(&c, s, n, &si);
    CU_ASSERT_DOUBLE_EQUAL(chi_confidence(&c, s, n, &v, &si), 0.61, 1e-12);
    /* without similar projects only a confident velocity counts: 0.3 × 0.86 = 0.258 → 0.26 */
    {
        static const double up[10] = {4, 4, 4, 4, 5, 4, 5, 5, 5, 5};
        chi_velocity(up, 10, &v);
        chi_success(&c, s, 0, &si);
        CU_ASSERT_DOUBLE_EQUAL(chi_confidence(&c, s, 0, &v, &si), 0.26, 1e-12);
    }
    CU_ASSERT_DOUBLE_EQUAL(chi_confidence(&c, s, 0, NULL, NULL), 0, 0);
}

static void test_summary_lines(void)
{
    static const double y[6] = {4, 5, 5, 6, 6, 7};
    chi_config_t c = cfg();
    chi_similar_t s[4];
    chi_velocity_t v;
    chi_success_t si;
    char lines[3][256], all[1024];
    size_t n = example_similar(s);

    chi_velocity(y, 6, &v);
    chi_success(&c, s, n, &si);
    CU_ASSERT_EQUAL(chi_summary_lines(n, &v, &si, lines), 3);
    CU_ASSERT_STRING_EQUAL(lines[0], "Found 4 similar projects.");
    CU_ASSERT_STRING_EQUAL(lines[1], "Team velocity trend is increasing (current: 7).");
    CU_ASSERT_STRING_EQUAL(lines[2], "Based on similar projects, success probability is 75% with "
                                     "optimal 6 tasks per sprint and 2-week duration.");
    chi_insights_summary(n, &v, &si, all, sizeof(all));
    CU_ASSERT_PTR_NOT_NULL(strstr(all, "Found 4 similar projects. Team velocity"));
    chi_velocity(y, 0, &v);
    chi_success(&c, s, 0, &si);
    CU_ASSERT_EQUAL(chi_summary_lines(0, &v, &si, lines), 1);
    CU_ASSERT_STRING_EQUAL(lines[0],
                           "No significant patterns or insights identified from historical data.");
}

/* C16 answer → similar projects: numbers as Chronicle sends them, optimal 0 kept as "unknown",
 * non-objects skipped, best similarity first, at most max kept (the best ones). */
static void test_parse_similar(void)
{
    const char *txt =
        "[{\"project_id\":\"ZEP010\",\"team_size\":4,\"completion_rate\":0.7,"
        "\"avg_sprint_duration\":14.0,\"optimal_task_count\":10,\"similarity_score\":0.75},"
        "7,{\"project_id\":\"ABC001\",\"completion_rate\":0.9,\"avg_sprint_duration\":7,"
        "\"optimal_task_count\":0,\"similarity_score\":0.9},"
        "{\"project_id\":\"LOW001\",\"similarity_score\":0.71,\"optimal_task_count\":null}]";
    json_object *j = json_tokener_parse(txt);
    chi_similar_t s[4];

    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(chi_parse_similar(j, s, 4), 3);
    CU_ASSERT_STRING_EQUAL(s[0].project_id, "ABC001");
    CU_ASSERT_DOUBLE_EQUAL(s[0].similarity, 0.9, 1e-12);
    CU_ASSERT_EQUAL(s[0].optimal_task_count, 0);
    CU_ASSERT_STRING_EQUAL(s[1].project_id, "ZEP010");
    CU_ASSERT_EQUAL(s[1].optimal_task_count, 10);
    CU_ASSERT_EQUAL(s[1].team_size, 4);
    CU_ASSERT_DOUBLE_EQUAL(s[1].avg_sprint_duration_days, 14, 0);
    CU_ASSERT_STRING_EQUAL(s[2].project_id, "LOW001");
    CU_ASSERT_EQUAL(chi_parse_similar(j, s, 2), 2); /* the two best */
    CU_ASSERT_STRING_EQUAL(s[0].project_id, "ABC001");
    CU_ASSERT_STRING_EQUAL(s[1].project_id, "ZEP010");
    json_object_put(j);
    j = json_tokener_parse("{\"detail\":\"No similar projects found for X.\"}");
    CU_ASSERT_EQUAL(chi_parse_similar(j, s, 4), 0);
    CU_ASSERT_EQUAL(chi_parse_similar(NULL, s, 4), 0);
    json_object_put(j);
}

static void test_parse_velocity(void)
{
    const char *txt = "{\"project_id\":\"A\",\"velocity_trend_data\":["
                      "{\"sprint_id\":\"A-S01\",\"completed_tasks\":4},"
                      "{\"sprint_id\":\"A-S02\",\"completed_tasks\":5},"
                      "{\"sprint_id\":\"A-S03\"},"
                      "{\"sprint_id\":\"A-S04\",\"completed_tasks\":7}],\"average_velocity\":5.33}";
    json_object *j = json_tokener_parse(txt);
    double y[4];

    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(chi_parse_velocity(j, y, 4), 3);
    CU_ASSERT_DOUBLE_EQUAL(y[0], 4, 0);
    CU_ASSERT_DOUBLE_EQUAL(y[2], 7, 0);
    CU_ASSERT_EQUAL(chi_parse_velocity(j, y, 2), 1); /* the latest two entries, one usable */
    CU_ASSERT_DOUBLE_EQUAL(y[0], 7, 0);
    CU_ASSERT_EQUAL(chi_parse_velocity(NULL, y, 4), 0);
    json_object_put(j);
}

/* §3.3.6: patterns → score 0.78 and the original's fields; velocity average → common velocity;
 * impediments from patterns; nothing → 0.0, the "No significant" note and recommendations. */
static void test_quality_report(void)
{
    json_object *pat = json_tokener_parse(
        "{\"metrics\":{\"daily_scrum_count\":12,\"retrospective_count\":2,"
        "\"total_tasks_completed_in_daily_scrums\":9},"
        "\"common_impediments_reported\":{\"db down\":2}}");
    json_object *vel =
        json_tokener_parse("{\"velocity_trend_data\":[{},{}],\"average_velocity\":4.5}");
    json_object *j;
    chi_quality_t q;

    chi_quality(pat, vel, NULL, &q);
    CU_ASSERT_TRUE(q.data_available);
    CU_ASSERT_EQUAL(q.daily_scrum_count, 12);
    CU_ASSERT_EQUAL(q.tasks_completed_in_daily_scrums, 9);
    CU_ASSERT_EQUAL(q.velocity_sprints, 2);
    CU_ASSERT_DOUBLE_EQUAL(q.common_team_velocity, 4.5, 0);
    CU_ASSERT_TRUE(q.has_impediments);
    CU_ASSERT_DOUBLE_EQUAL(q.data_quality_score, 0.78, 0);
    j = chi_quality_json(&q);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(j, "observation_note")),
                           "Basic historical patterns retrieved. Velocity data also available. "
                           "Impediment data also available.");
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(j, "historical_sprints")), 12);
    CU_ASSERT_PTR_NULL(json_object_object_get(j, "recommendations"));
    json_object_put(j);
    chi_quality(NULL, NULL, NULL, &q);
    CU_ASSERT_FALSE(q.data_available);
    CU_ASSERT_DOUBLE_EQUAL(q.data_quality_score, 0, 0);
    j = chi_quality_json(&q);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(j, "observation_note")),
                           "No significant historical data found for this project.");
    CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(j, "recommendations")), 2);
    CU_ASSERT_PTR_NULL(json_object_object_get(j, "common_team_velocity"));
    json_object_put(j);
    json_object_put(pat);
    json_object_put(vel);
}

static void test_pattern_analysis_json(void)
{
    static const double y[6] = {4, 5, 5, 6, 6, 7};
    chi_config_t c = cfg();
    chi_similar_t s[4];
    chi_velocity_t v;
    chi_success_t si;
    json_object *j, *t;
    size_t n = example_similar(s);

    s[3].optimal_task_count = 0;
    chi_velocity(y, 6, &v);
    chi_success(&c, s, n, &si);
    j = chi_pattern_analysis_json(s, n, &v, &si);
    t = json_object_object_get(j, "similar_projects");
    CU_ASSERT_EQUAL(json_object_array_length(t), 4);
    CU_ASSERT_PTR_NULL(
        json_object_object_get(json_object_array_get_idx(t, 3), "optimal_task_count"));
    CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(json_object_object_get(
                               json_object_array_get_idx(t, 2), "avg_sprint_duration_weeks")),
                           3.0, 0);
    t = json_object_object_get(j, "velocity_trends");
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(t, "pattern_note")),
                           "Velocity trend is increasing.");
    CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(json_object_object_get(t, "confidence")), 0.27,
                           0);
    t = json_object_object_get(j, "success_indicators");
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(t, "optimal_tasks_per_sprint")), 6);
    json_object_put(j);
    j = chi_pattern_analysis_json(s, 0, NULL, NULL);
    CU_ASSERT_TRUE(json_object_object_get_ex(j, "velocity_trends", &t) && t == NULL);
    CU_ASSERT_TRUE(json_object_object_get_ex(j, "success_indicators", &t) && t == NULL);
    json_object_put(j);
}

static void test_params(void)
{
    json_object *p = json_tokener_parse(
        "{\"phase\":\"advise\",\"sources\":[\"chronicle\",\"strategy\"],\"replay\":true,"
        "\"gate\":{\"max_weeks\":3},\"source\":{\"chronicle\":{\"deadline_ms\":250}}}");

    CU_ASSERT_DOUBLE_EQUAL(chi_param_num(p, "gate", "max_weeks", 4), 3, 0);
    CU_ASSERT_DOUBLE_EQUAL(chi_param_num(p, "gate", "min_weeks", 1), 1, 0);
    CU_ASSERT_TRUE(chi_replay(p));
    CU_ASSERT_FALSE(chi_replay(NULL));
    json_object_put(p);
}

DSM_SUITE("plugins/intel_chronicle", NULL, NULL, DSM_TEST(test_velocity_worked_example),
          DSM_TEST(test_velocity_small), DSM_TEST(test_velocity_confidence_clamped),
          DSM_TEST(test_task_proposal_worked_example), DSM_TEST(test_task_proposal_thresholds),
          DSM_TEST(test_task_proposal_rounds_half_even), DSM_TEST(test_duration_proposal),
          DSM_TEST(test_duration_needs_confidence), DSM_TEST(test_success_indicators_fixed),
          DSM_TEST(test_confidence_worked_example), DSM_TEST(test_summary_lines),
          DSM_TEST(test_parse_similar), DSM_TEST(test_parse_velocity),
          DSM_TEST(test_quality_report), DSM_TEST(test_pattern_analysis_json),
          DSM_TEST(test_params));
