/* test_orchestrator_logic.c — the orchestrator's pure logic with hand-computed expectations:
 * plugins/service_orchestrator/orc_logic.c (rounding, confidence gate, combiner, velocity,
 * success indicators, Chronicle confidence), orc_cron_logic.c (cron parsing, next due time,
 * catch-up rule), orc_rules_logic.c (the core's fallback baseline), orc_evolve_logic.c
 * (signatures, patterns, strategy confidence, optimizer assessment). */
#include <json-c/json.h>
#include <math.h>
#include <string.h>

#include "dsm_test.h"
#include "orc_cron_logic.h"
#include "orc_evolve_logic.h"
#include "orc_logic.h"
#include "orc_rules_logic.h"

#define NEAR(a, b) CU_ASSERT_DOUBLE_EQUAL((a), (b), 1e-9)

static void test_round_even(void)
{
    NEAR(orc_round_even(2.5), 2);
    NEAR(orc_round_even(3.5), 4);
    NEAR(orc_round_even(-2.5), -2);
    NEAR(orc_round_even(0.5), 0);
    NEAR(orc_round_even(1.5), 2);
    NEAR(orc_round_even(2.4999), 2);
    NEAR(orc_round_even(6.484848), 6);
    NEAR(orc_round2(0.125), 0.12); /* exactly representable: half to even */
    NEAR(orc_round2(0.375), 0.38);
    NEAR(orc_round2(0.27426), 0.27);
    NEAR(orc_round_n(0.5428571, 4), 0.5429);
}

static void test_field_kind(void)
{
    CU_ASSERT_EQUAL(orc_field_kind("tasks_to_assign"), ORC_F_TASKS);
    CU_ASSERT_EQUAL(orc_field_kind("sprint_duration_weeks"), ORC_F_WEEKS);
    CU_ASSERT_EQUAL(orc_field_kind("create_new_sprint"), ORC_F_OTHER);
    CU_ASSERT_EQUAL(orc_field_kind(NULL), ORC_F_OTHER);
}

static void test_gate_tasks(void)
{
    orc_gate_t g;
    char b[128];

    orc_gate_defaults(&g);
    /* §3.5: B = 10, proposal 6 with confidence 0.85 and 4 similar projects passes */
    CU_ASSERT_PTR_NULL(orc_gate_check(&g, ORC_F_TASKS, 10, 6, 0.85, 4, 12, 1, b, sizeof b));
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_TASKS, 10, 6, 0.45, 4, 12, 1, b, sizeof b),
                           "confidence 0.45 < 0.50");
    CU_ASSERT_PTR_NULL(orc_gate_check(&g, ORC_F_TASKS, 10, 6, 0.5, 4, 12, 1, b, sizeof b)); /* = threshold */
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_TASKS, 10, 6, 0.85, 2, 12, 1, b, sizeof b),
                           "evidence 2 < 3");
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_TASKS, 10, 4, 0.9, 5, 12, 1, b, sizeof b),
                           "change 60% > 50%");
    CU_ASSERT_PTR_NULL(orc_gate_check(&g, ORC_F_TASKS, 10, 5, 0.9, 5, 12, 1, b, sizeof b)); /* 50 % */
    CU_ASSERT_PTR_NULL(orc_gate_check(&g, ORC_F_TASKS, 10, 15, 0.9, 5, 15, 1, b, sizeof b));
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_TASKS, 10, 12, 0.9, 5, 10, 1, b, sizeof b),
                           "above 10 unassigned tasks");
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_TASKS, 10, 6, 0.9, 5, 12, 0, b, sizeof b),
                           "no sprint is created");
    CU_ASSERT_PTR_NULL(orc_gate_check(&g, ORC_F_TASKS, 0, 0, 0.9, 5, 12, 1, b, sizeof b));
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_TASKS, 0, 1, 0.9, 5, 12, 1, b, sizeof b),
                           "change from 0");
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_TASKS, 10, NAN, 0.9, 5, 12, 1, b, sizeof b),
                           "not a number");
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_OTHER, 10, 6, 0.9, 5, 12, 1, b, sizeof b),
                           "not a decision field");
    g.enable_tasks = 0;
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_TASKS, 10, 6, 0.9, 5, 12, 1, b, sizeof b),
                           "adjustment disabled");
}

static void test_gate_limit(void)
{
    orc_gate_t g;

    orc_gate_defaults(&g); /* ±50 % of the baseline tasks, ±2 weeks within 1..4 */
    CU_ASSERT_DOUBLE_EQUAL(orc_gate_limit(&g, ORC_F_TASKS, 10, 3, 20), 5, 0);   /* up to −50 % */
    CU_ASSERT_DOUBLE_EQUAL(orc_gate_limit(&g, ORC_F_TASKS, 10, 6, 20), 6, 0);   /* inside */
    CU_ASSERT_DOUBLE_EQUAL(orc_gate_limit(&g, ORC_F_TASKS, 10, 19, 20), 15, 0); /* up to +50 % */
    CU_ASSERT_DOUBLE_EQUAL(orc_gate_limit(&g, ORC_F_TASKS, 10, 19, 12), 12, 0); /* unassigned */
    CU_ASSERT_DOUBLE_EQUAL(orc_gate_limit(&g, ORC_F_TASKS, 7, 1, 20), 4, 0);    /* ceil(3.5) */
    CU_ASSERT_DOUBLE_EQUAL(orc_gate_limit(&g, ORC_F_TASKS, 7, 20, 20), 10, 0);  /* floor(10.5) */
    CU_ASSERT_DOUBLE_EQUAL(orc_gate_limit(&g, ORC_F_TASKS, 0, 5, 20), 0, 0);
    CU_ASSERT_DOUBLE_EQUAL(orc_gate_limit(&g, ORC_F_WEEKS, 2, 6, 0), 4, 0);
    CU_ASSERT_DOUBLE_EQUAL(orc_gate_limit(&g, ORC_F_WEEKS, 4, 1, 0), 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(orc_gate_limit(&g, ORC_F_WEEKS, 2, 3, 0), 3, 0);
    char b[128]; /* a limited value always passes the size-of-change rule */
    CU_ASSERT_PTR_NULL(orc_gate_check(&g, ORC_F_TASKS, 7, orc_gate_limit(&g, ORC_F_TASKS, 7, 1, 20),
                                      0.9, 5, 20, 1, b, sizeof b));
}

static void test_gate_weeks(void)
{
    orc_gate_t g;
    char b[128];

    orc_gate_defaults(&g);
    CU_ASSERT_PTR_NULL(orc_gate_check(&g, ORC_F_WEEKS, 2, 3, 0.6, 2, 0, 1, b, sizeof b));
    CU_ASSERT_PTR_NULL(orc_gate_check(&g, ORC_F_WEEKS, 2, 4, 0.6, 1, 0, 1, b, sizeof b)); /* +2 */
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_WEEKS, 2, 5, 0.6, 2, 0, 1, b, sizeof b),
                           "out of range 1..4");
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_WEEKS, 2, 1, 0.6, 0, 0, 1, b, sizeof b),
                           "evidence 0 < 1");
    g.max_weeks = 8;
    CU_ASSERT_STRING_EQUAL(orc_gate_check(&g, ORC_F_WEEKS, 2, 5, 0.6, 2, 0, 1, b, sizeof b),
                           "change 3 weeks > 2");
}

static void test_combine_worked_example(void)
{
    /* docs/ORCHESTRATOR.md §5.3: chronicle 6 (0.85, 4), strategy 7 (0.80, 5), B = 10 */
    orc_gate_t g;
    orc_prop_t p[3] = {{6, 0.85, 1.0, 4}, {7, 0.80, 1.0, 5}, {8, 0.9, 0.0, 9}};
    double share[3], moved[3];
    orc_comb_t c;

    orc_gate_defaults(&g);
    CU_ASSERT_EQUAL(orc_combine(&g, ORC_F_TASKS, 10, p, 3, share, moved, &c), 2);
    NEAR(c.raw, 10.7 / 1.65);           /* 6.4848… */
    NEAR(c.applied, 6);
    NEAR(c.confidence, 1.3625 / 1.65);  /* 0.8257… */
    CU_ASSERT_EQUAL(c.evidence, 9);      /* the weight-0 source is not counted */
    CU_ASSERT_EQUAL(c.changes, 1);
    NEAR(share[0], 0.5152);
    NEAR(share[1], 0.4848);
    NEAR(share[2], 0);
    NEAR(moved[0], -2.06);
    NEAR(moved[1], -1.45);
    NEAR(moved[2], 0);
}

static void test_combine_edges(void)
{
    orc_gate_t g;
    orc_comb_t c;
    orc_prop_t one[1] = {{11, 0.9, 1, 5}};
    orc_prop_t tie[2] = {{7, 0.5, 1, 3}, {8, 0.5, 1, 3}};
    orc_prop_t wk[1] = {{3, 0.6, 1, 2}};
    orc_prop_t none[1] = {{3, 0.0, 1, 2}};

    orc_gate_defaults(&g);
    orc_combine(&g, ORC_F_TASKS, 10, one, 1, NULL, NULL, &c);
    NEAR(c.applied, 11);
    CU_ASSERT_EQUAL(c.changes, 0); /* |11 - 10| is not > 1: agrees with the baseline */
    orc_combine(&g, ORC_F_TASKS, 10, tie, 2, NULL, NULL, &c);
    NEAR(c.raw, 7.5);
    NEAR(c.applied, 8); /* half to even */
    NEAR(c.confidence, 0.5);
    orc_combine(&g, ORC_F_WEEKS, 2, wk, 1, NULL, NULL, &c);
    NEAR(c.applied, 3);
    CU_ASSERT_EQUAL(c.changes, 1); /* any change of weeks counts */
    CU_ASSERT_EQUAL(orc_combine(&g, ORC_F_WEEKS, 2, none, 1, NULL, NULL, &c), 0);
    NEAR(c.applied, 2);
}

static void test_velocity(void)
{
    double y[6] = {4, 5, 5, 6, 6, 7}, y2[2] = {10, 2}, y1[1] = {7};
    orc_velocity_t v;

    /* orchestrator.md §3.5: slope 9.5 / 17.5 = 0.5429, confidence 0.6 × 0.4571 = 0.27 */
    CU_ASSERT_EQUAL(orc_velocity_trend(y, 6, &v), 0);
    NEAR(v.slope, 0.5429);
    CU_ASSERT_STRING_EQUAL(v.direction, "increasing");
    NEAR(v.confidence, 0.27);
    NEAR(v.current, 7);
    NEAR(v.min, 4);
    NEAR(v.max, 7);
    orc_velocity_trend(y2, 2, &v); /* slope -8: 0.2 × (1 - 8) < 0, clamped (fix #10) */
    NEAR(v.slope, -8);
    CU_ASSERT_STRING_EQUAL(v.direction, "decreasing");
    NEAR(v.confidence, 0);
    orc_velocity_trend(y1, 1, &v);
    CU_ASSERT_STRING_EQUAL(v.direction, "stable");
    NEAR(v.confidence, 0.1);
    CU_ASSERT_EQUAL(orc_velocity_trend(y, 0, &v), -1);
}

static void test_success_and_confidence(void)
{
    double opt[4] = {6, 7, 6, 5}, days[4] = {14, 14, 21, 7}, comp[4] = {0.9, 0.85, 0.7, 0.95};
    double opt2[2] = {6, -1}, days2[2] = {3, 3}, comp2[2] = {0.5, 0.5};
    orc_success_t s;

    CU_ASSERT_EQUAL(orc_success_indicators(opt, days, comp, 4, &s), 0);
    NEAR(s.optimal_tasks, 6);      /* round(24 / 4) — fix #9: Chronicle's optimal counts */
    NEAR(s.recommended_weeks, 2);  /* 56 days / 4 / 7 — fix #9: days → weeks */
    NEAR(s.success_probability, 0.75);
    orc_success_indicators(opt2, days2, comp2, 2, &s);
    NEAR(s.optimal_tasks, 6);
    NEAR(s.recommended_weeks, 1); /* 3 days → 0 weeks, at least 1 */
    NEAR(s.success_probability, 0);
    CU_ASSERT_EQUAL(orc_success_indicators(opt, days, comp, 0, &s), -1);
    /* §3.5: 0.3 + 0.2 × 0.8 = 0.46; velocity 0.27 ≤ 0.3 not counted; + 0.2 × 0.75 → 0.61 */
    NEAR(orc_chronicle_confidence(4, 0.8, 1, 0.27, 1, 0.75), 0.61);
    NEAR(orc_chronicle_confidence(0, 0, 1, 0.5, 0, 0), 0.15);
    NEAR(orc_chronicle_confidence(10, 1.0, 1, 1.0, 1, 1.0), 1.0);
}

static void wall(orc_wall_t *w, int y, int mo, int d, int h, int mi)
{
    *w = (orc_wall_t){y, mo, d, h, mi, 0};
}

#define WALL_EQ(w, y, mo, d, h, mi)                                                                \
    CU_ASSERT((w).year == (y) && (w).month == (mo) && (w).day == (d) && (w).hour == (h) &&        \
              (w).minute == (mi))

static void test_cron_parse(void)
{
    orc_cron_t c;
    char err[160];

    CU_ASSERT_EQUAL(orc_cron_parse("0 14 * * 1-5", &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.minutes, 1ULL);
    CU_ASSERT_EQUAL(c.hours, 1u << 14);
    CU_ASSERT_EQUAL(c.wdays, 0x3e); /* Mon..Fri */
    CU_ASSERT(c.mday_star && !c.wday_star);
    CU_ASSERT_EQUAL(orc_cron_parse("5/15 * * * *", &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.minutes, (1ULL << 5) | (1ULL << 20) | (1ULL << 35) | (1ULL << 50));
    CU_ASSERT_EQUAL(orc_cron_parse("0 0 * * 7", &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.wdays, 1); /* 7 = Sunday = 0 */
    CU_ASSERT_EQUAL(orc_cron_parse("0,30 9-17/4 1,15 */3 *", &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.hours, (1u << 9) | (1u << 13) | (1u << 17));
    CU_ASSERT_EQUAL(c.months, (1u << 1) | (1u << 4) | (1u << 7) | (1u << 10));
    CU_ASSERT_EQUAL(orc_cron_parse("60 * * * *", &c, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "field 1 (minute): value out of range 0-59");
    CU_ASSERT_EQUAL(orc_cron_parse("* * *", &c, err, sizeof err), -1);
    CU_ASSERT_EQUAL(orc_cron_parse("* * * * * *", &c, err, sizeof err), -1);
    CU_ASSERT_EQUAL(orc_cron_parse("5-1 * * * *", &c, err, sizeof err), -1);
    CU_ASSERT_EQUAL(orc_cron_parse("a * * * *", &c, err, sizeof err), -1);
    CU_ASSERT_EQUAL(orc_cron_parse("1, * * * *", &c, err, sizeof err), -1);
    CU_ASSERT_EQUAL(orc_cron_parse("*/0 * * * *", &c, err, sizeof err), -1);
    CU_ASSERT_EQUAL(orc_cron_parse("", &c, err, sizeof err), -1);
    CU_ASSERT_EQUAL(orc_cron_parse(NULL, &c, err, sizeof err), -1);
}

static void test_cron_next(void)
{
    orc_cron_t c;
    orc_wall_t a, n;
    char err[160];

    CU_ASSERT_EQUAL(orc_weekday(2025, 9, 18), 4); /* Thursday */
    CU_ASSERT_EQUAL(orc_weekday(1970, 1, 1), 4);
    CU_ASSERT_EQUAL(orc_weekday(2000, 1, 1), 6);
    CU_ASSERT_EQUAL(orc_days_in_month(2028, 2), 29);
    CU_ASSERT_EQUAL(orc_days_in_month(2100, 2), 28);
    orc_cron_parse("0 14 * * 1-5", &c, err, sizeof err);
    wall(&a, 2025, 9, 18, 14, 0); /* Thursday 14:00 → Friday */
    CU_ASSERT_EQUAL(orc_cron_next(&c, &a, &n), 0);
    WALL_EQ(n, 2025, 9, 19, 14, 0);
    wall(&a, 2025, 9, 19, 14, 0); /* Friday → Monday */
    orc_cron_next(&c, &a, &n);
    WALL_EQ(n, 2025, 9, 22, 14, 0);
    wall(&a, 2025, 9, 18, 13, 59);
    a.second = 30;
    orc_cron_next(&c, &a, &n);
    WALL_EQ(n, 2025, 9, 18, 14, 0);
    CU_ASSERT(orc_cron_matches(&c, &n));
    orc_cron_parse("*/15 * * * *", &c, err, sizeof err);
    wall(&a, 2025, 12, 31, 23, 50); /* across the year */
    orc_cron_next(&c, &a, &n);
    WALL_EQ(n, 2026, 1, 1, 0, 0);
    orc_cron_parse("0 0 29 2 *", &c, err, sizeof err);
    wall(&a, 2025, 3, 1, 0, 0);
    CU_ASSERT_EQUAL(orc_cron_next(&c, &a, &n), 0);
    WALL_EQ(n, 2028, 2, 29, 0, 0);
    orc_cron_parse("0 0 30 2 *", &c, err, sizeof err);
    CU_ASSERT_EQUAL(orc_cron_next(&c, &a, &n), -1);
    orc_cron_parse("0 12 1 * 1", &c, err, sizeof err); /* day-of-month OR day-of-week */
    wall(&a, 2025, 9, 1, 12, 0);                       /* Monday 1 Sep */
    orc_cron_next(&c, &a, &n);
    WALL_EQ(n, 2025, 9, 8, 12, 0);
    wall(&a, 2025, 9, 29, 12, 0);
    orc_cron_next(&c, &a, &n);
    WALL_EQ(n, 2025, 10, 1, 12, 0); /* Wednesday, but the 1st */
    orc_cron_parse("0 0 * * 7", &c, err, sizeof err);
    wall(&a, 2025, 9, 18, 0, 0);
    orc_cron_next(&c, &a, &n);
    WALL_EQ(n, 2025, 9, 21, 0, 0); /* Sunday */
}

static void test_wall_parse(void)
{
    orc_wall_t w;
    char buf[32];

    CU_ASSERT_EQUAL(orc_wall_parse("2025-09-18 14:00:04.918273", &w), 0);
    WALL_EQ(w, 2025, 9, 18, 14, 0);
    CU_ASSERT_EQUAL(w.second, 4);
    CU_ASSERT_EQUAL(orc_wall_parse("2025-09-18T07:05", &w), 0);
    WALL_EQ(w, 2025, 9, 18, 7, 5);
    orc_wall_format(&w, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "2025-09-18 07:05:00");
    CU_ASSERT_EQUAL(orc_wall_parse("2025-02-30 00:00", &w), -1);
    CU_ASSERT_EQUAL(orc_wall_parse("garbage", &w), -1);
    CU_ASSERT_EQUAL(orc_wall_parse(NULL, &w), -1);
}

static void test_cron_catchup(void)
{
    orc_cron_t c;
    orc_wall_t due, now, last, next;
    char err[160];
    long missed;

    orc_cron_parse("0 14 * * *", &c, err, sizeof err);
    wall(&due, 2025, 9, 18, 14, 0);
    wall(&now, 2025, 9, 18, 14, 30); /* on time-ish: fire */
    CU_ASSERT_EQUAL(orc_cron_catchup(&c, &due, &now, 3600, &last, &next, &missed), 1);
    WALL_EQ(last, 2025, 9, 18, 14, 0);
    WALL_EQ(next, 2025, 9, 19, 14, 0);
    CU_ASSERT_EQUAL(missed, 0);
    wall(&now, 2025, 9, 20, 14, 30); /* down two days: fire once for the latest, skip two */
    CU_ASSERT_EQUAL(orc_cron_catchup(&c, &due, &now, 3600, &last, &next, &missed), 1);
    WALL_EQ(last, 2025, 9, 20, 14, 0);
    WALL_EQ(next, 2025, 9, 21, 14, 0);
    CU_ASSERT_EQUAL(missed, 2);
    wall(&now, 2025, 9, 20, 16, 0); /* the latest is 2 h old > 1 h: skip all three */
    CU_ASSERT_EQUAL(orc_cron_catchup(&c, &due, &now, 3600, &last, &next, &missed), 0);
    CU_ASSERT_EQUAL(missed, 3);
    WALL_EQ(next, 2025, 9, 21, 14, 0);
    CU_ASSERT_EQUAL(orc_cron_catchup(&c, &due, &now, 0, &last, &next, &missed), 0);
}

static struct json_object *parse(const char *s)
{
    struct json_object *o = json_tokener_parse(s);

    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    return o;
}

static void test_rules_create(void)
{
    struct json_object *p = parse(
        "{\"project_id\":\"APO009\",\"options\":{\"create_sprint_if_needed\":true,"
        "\"create_cronjob\":true,\"sprint_duration_weeks\":3,\"max_tasks_per_sprint\":10},"
        "\"availability\":{\"status\":\"conflict\",\"conflicts\":[{\"type\":\"holiday\","
        "\"date\":\"2025-09-01\",\"name\":\"Labor Day\"},{\"type\":\"pto\",\"date\":\"2025-09-03\","
        "\"name\":\"Eric Reed\"}]},\"backlog\":{\"total_tasks\":12,\"unassigned\":12},"
        "\"sprints\":{\"total\":2,\"next_number\":3,\"current\":null},\"schedules\":[]}");
    struct json_object *b = orc_rules_baseline(p);

    CU_ASSERT_TRUE(json_object_get_boolean(orc_jget(b, "create_new_sprint")));
    CU_ASSERT_EQUAL(json_object_get_int(orc_jget(b, "tasks_to_assign")), 10);
    CU_ASSERT_EQUAL(json_object_get_int(orc_jget(b, "sprint_duration_weeks")), 3); /* fix #6 */
    CU_ASSERT_TRUE(json_object_get_boolean(orc_jget(b, "cronjob_created")));
    CU_ASSERT_STRING_EQUAL(orc_jstr(b, "sprint_name"), "APO009-S03"); /* fix #4 */
    CU_ASSERT_STRING_EQUAL(orc_jstr(b, "reasoning"),
                           "Note: Sprint timeline includes 2 holiday(s) or PTO day(s).; No active "
                           "sprint found and unassigned tasks exist.; Proposing to create new "
                           "sprint: APO009-S03.; Proposing to assign 10 tasks.; New sprint creation "
                           "triggers CronJob generation.");
    CU_ASSERT_EQUAL(json_object_array_length(orc_jget(b, "warnings")), 2);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(orc_jget(b, "warnings"), 1)),
                           "Sprint timeline includes upcoming holiday: Eric Reed on 2025-09-03");
    json_object_put(b);
    json_object_put(p);
}

static void test_rules_active(void)
{
    struct json_object *done = parse(
        "{\"project_id\":\"APO009\",\"options\":{},\"availability\":{\"status\":\"ok\",\"conflicts\":[]},"
        "\"backlog\":{\"unassigned\":0},\"sprints\":{\"current\":{\"sprint_id\":\"APO009-S01\"},"
        "\"current_task_summary\":{\"total_tasks\":4,\"completed_tasks\":4,\"pending_tasks\":0}},"
        "\"schedules\":[{\"name\":\"run-dailyscrum-apo009-apo009-s01\"}]}");
    struct json_object *busy = parse(
        "{\"project_id\":\"APO009\",\"options\":{},\"backlog\":{\"unassigned\":3},"
        "\"sprints\":{\"current\":{\"sprint_id\":\"APO009-S01\"},"
        "\"current_task_summary\":{\"total_tasks\":4,\"completed_tasks\":1,\"pending_tasks\":3}},"
        "\"schedules\":[]}");
    struct json_object *idle = parse("{\"project_id\":\"X\",\"options\":{},\"backlog\":{\"unassigned\":0},"
                                     "\"sprints\":{\"current\":null}}");
    struct json_object *b;
    char name[128];

    orc_schedule_name("APO009", "APO009-S01", name, sizeof name);
    CU_ASSERT_STRING_EQUAL(name, "run-dailyscrum-apo009-apo009-s01");
    b = orc_rules_baseline(done); /* R2a + fix #5 */
    CU_ASSERT_TRUE(json_object_get_boolean(orc_jget(b, "sprint_closure_triggered")));
    CU_ASSERT_TRUE(json_object_get_boolean(orc_jget(b, "cronjob_deleted")));
    CU_ASSERT_STRING_EQUAL(orc_jstr(b, "sprint_id_to_close"), "APO009-S01");
    CU_ASSERT_FALSE(json_object_get_boolean(orc_jget(b, "create_new_sprint")));
    json_object_put(b);
    b = orc_rules_baseline(busy); /* R2b */
    CU_ASSERT_TRUE(json_object_get_boolean(orc_jget(b, "cronjob_created")));
    CU_ASSERT_STRING_EQUAL(orc_jstr(b, "sprint_id"), "APO009-S01");
    CU_ASSERT_FALSE(json_object_get_boolean(orc_jget(b, "sprint_closure_triggered")));
    json_object_put(b);
    b = orc_rules_baseline(idle); /* R4 */
    CU_ASSERT_STRING_EQUAL(orc_jstr(b, "reasoning"),
                           "No specific actions required based on current state and options.");
    CU_ASSERT_EQUAL(json_object_get_int(orc_jget(b, "sprint_duration_weeks")), 2);
    json_object_put(b);
    json_object_put(done);
    json_object_put(busy);
    json_object_put(idle);
}

static void test_json_helpers(void)
{
    struct json_object *o = parse("{\"a\":\"5\",\"b\":2.5,\"c\":null,\"d\":true,\"e\":\"x\"}");

    NEAR(orc_jnum(o, "a", -1), 5);
    NEAR(orc_jnum(o, "b", -1), 2.5);
    NEAR(orc_jnum(o, "c", -1), -1);
    NEAR(orc_jnum(o, "e", -1), -1);
    NEAR(orc_jnum(o, "zz", 7), 7);
    CU_ASSERT_EQUAL(orc_jbool(o, "d", 0), 1);
    CU_ASSERT_PTR_NULL(orc_jget(o, "c"));
    CU_ASSERT_PTR_NULL(orc_jstr(o, "b"));
    CU_ASSERT_PTR_NULL(orc_jpath(NULL, "a", "b"));
    json_object_put(o);
}

static void test_signature(void)
{
    char s[200];
    int lo, hi;

    orc_signature(5, 10, 2, NULL, s, sizeof s);
    CU_ASSERT_STRING_EQUAL(s, "medium_team_medium_backlog_calendar_constrained");
    orc_signature(2, 20, 0, "GEM-001", s, sizeof s);
    CU_ASSERT_STRING_EQUAL(s, "small_team_large_backlog_calendar_clear_project_GEM-001");
    orc_team_bucket(9, &lo, &hi);
    CU_ASSERT(lo == 9 && hi == 1000);
    orc_backlog_bucket(5, &lo, &hi);
    CU_ASSERT(lo == 0 && hi == 5);
}

static void test_pattern(void)
{
    orc_obs_t o[4] = {{8, 10, 0.8}, {9, 10, 0.9}, {8, 10, 0.8}, {8, 10, 0.8}};
    orc_obs_t full[3] = {{5, 5, 1}, {5, 5, 1}, {5, 5, 1}};
    orc_pattern_t p;

    CU_ASSERT_EQUAL(orc_pattern_of(o, 4, &p), 0);
    NEAR(p.mean_completed, 8.25);
    NEAR(p.avg_quality, 0.825);
    NEAR(p.recommendation, 8);
    NEAR(p.expected_completion, 1.0);
    NEAR(p.success_probability, 1.0);
    NEAR(p.consistency, 1 - 0.5 / 8.25); /* sample sd 0.5 */
    /* 0.2·0.4 + 0.4·1 + 0.3·0.93939 + 0.1·0.2 = 0.78182 */
    NEAR(p.confidence, 0.7818);
    CU_ASSERT_STRING_EQUAL(p.risk_level, "medium"); /* (0.4 + 1 + 0.7818) / 3 = 0.727 */
    orc_pattern_of(full, 3, &p); /* always finished: the capacity may be higher */
    NEAR(p.recommendation, 6);
    NEAR(p.expected_completion, 5.0 / 6.0);
    NEAR(p.success_probability, 0);
    CU_ASSERT_EQUAL(orc_pattern_of(o, 0, &p), -1);
}

static void test_assess(void)
{
    double good[3] = {0.9, 0.9, 0.9}, gd[3] = {0.1, 0.1, 0.1}, poor[3] = {0.2, 0.2, 0.2};
    double falling[4] = {0.6, 0.5, 0.3, 0.3}, low[3] = {0.3, 0.3, 0.3}, mid[3] = {0.5, 0.5, 0.5};
    double neg[3] = {-0.1, -0.1, -0.1}, rising[4] = {0.5, 0.5, 0.6, 0.7};
    orc_assess_t a;

    CU_ASSERT_EQUAL(orc_assess(good, gd, 3, &a), 0);
    CU_ASSERT_STRING_EQUAL(a.trend, "stable");
    CU_ASSERT_STRING_EQUAL(a.assessment, "excellent");
    CU_ASSERT_EQUAL(a.action, ORC_ACT_RAISE);
    orc_assess(poor, NULL, 3, &a);
    CU_ASSERT_STRING_EQUAL(a.assessment, "poor");
    CU_ASSERT_EQUAL(a.action, ORC_ACT_DEACTIVATE);
    orc_assess(falling, NULL, 4, &a); /* older 0.55, recent 0.3 */
    CU_ASSERT_STRING_EQUAL(a.trend, "declining");
    CU_ASSERT_STRING_EQUAL(a.assessment, "underperforming");
    CU_ASSERT_EQUAL(a.action, ORC_ACT_DEACTIVATE);
    orc_assess(low, NULL, 3, &a);
    CU_ASSERT_STRING_EQUAL(a.assessment, "underperforming");
    CU_ASSERT_EQUAL(a.action, ORC_ACT_LOWER);
    orc_assess(mid, NULL, 3, &a);
    CU_ASSERT_STRING_EQUAL(a.assessment, "acceptable");
    CU_ASSERT_EQUAL(a.action, ORC_ACT_NONE);
    orc_assess(mid, neg, 3, &a);
    CU_ASSERT_EQUAL(a.action, ORC_ACT_LOWER);
    orc_assess(rising, NULL, 4, &a); /* older 0.5, recent 0.65, avg 0.575 */
    CU_ASSERT_STRING_EQUAL(a.trend, "improving");
    CU_ASSERT_STRING_EQUAL(a.assessment, "improving");
    CU_ASSERT_EQUAL(a.action, ORC_ACT_NONE);
    CU_ASSERT_EQUAL(orc_assess(good, NULL, 2, &a), -1);
}

/* 5 of 5 done on day 3 of 5 → 5 · 5 / 3 = 8.33; on day 4 of 5 (not clearly early) or on the
 * last day → 5; not all done → the completed count; done on day 1 of 10 → capped at 2 · 5; no
 * reports → completed. */
static void test_capacity_estimate(void)
{
    const int done[] = {1, 3, 5, 5, 5}, total[] = {5, 5, 5, 5, 5}, day4[] = {1, 2, 4, 5, 5};
    const int late[] = {1, 2, 3, 4, 5}, early[] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    const int ten[] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    int d;

    CU_ASSERT_DOUBLE_EQUAL(orc_capacity_estimate(5, 5, done, total, 5, &d), 25.0 / 3.0, 1e-12);
    CU_ASSERT_EQUAL(d, 3);
    CU_ASSERT_DOUBLE_EQUAL(orc_capacity_estimate(5, 5, day4, total, 5, &d), 5, 1e-12);
    CU_ASSERT_EQUAL(d, 4);
    CU_ASSERT_DOUBLE_EQUAL(orc_capacity_estimate(5, 5, late, total, 5, &d), 5, 1e-12);
    CU_ASSERT_EQUAL(d, 5);
    CU_ASSERT_DOUBLE_EQUAL(orc_capacity_estimate(5, 4, done, total, 5, &d), 4, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(orc_capacity_estimate(5, 5, early, ten, 10, &d), 10, 1e-12);
    CU_ASSERT_EQUAL(d, 1);
    CU_ASSERT_DOUBLE_EQUAL(orc_capacity_estimate(5, 5, NULL, NULL, 0, &d), 5, 1e-12);
    CU_ASSERT_EQUAL(d, 0);
    /* a report that counts no tasks never marks the sprint done */
    {
        const int z[] = {0, 0, 5}, zt[] = {0, 5, 5};

        CU_ASSERT_DOUBLE_EQUAL(orc_capacity_estimate(5, 5, z, zt, 3, &d), 5, 1e-12);
        CU_ASSERT_EQUAL(d, 3);
    }
}

static void test_uuid_ok(void)
{
    CU_ASSERT_TRUE(orc_uuid_ok("0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"));
    CU_ASSERT_TRUE(orc_uuid_ok("0F1E2D3C-4B5A-4978-8A6B-5C4D3E2F1A0B"));
    CU_ASSERT_FALSE(orc_uuid_ok(NULL));
    CU_ASSERT_FALSE(orc_uuid_ok(""));
    CU_ASSERT_FALSE(orc_uuid_ok("0f1e2d3c4b5a49788a6b5c4d3e2f1a0b"));      /* no dashes */
    CU_ASSERT_FALSE(orc_uuid_ok("0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0"));   /* 35 */
    CU_ASSERT_FALSE(orc_uuid_ok("0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0g"));  /* not hex */
    CU_ASSERT_FALSE(orc_uuid_ok("0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b}")); /* 37 */
    CU_ASSERT_FALSE(orc_uuid_ok("0f1e2d3c-4b5a-4978\"8a6b-5c4d3e2f1a0b"));
}

DSM_SUITE("plugins/orchestrator_logic", NULL, NULL, DSM_TEST(test_round_even), DSM_TEST(test_uuid_ok), DSM_TEST(test_capacity_estimate),
          DSM_TEST(test_field_kind), DSM_TEST(test_gate_tasks), DSM_TEST(test_gate_limit), DSM_TEST(test_gate_weeks),
          DSM_TEST(test_combine_worked_example), DSM_TEST(test_combine_edges),
          DSM_TEST(test_velocity), DSM_TEST(test_success_and_confidence),
          DSM_TEST(test_cron_parse), DSM_TEST(test_cron_next), DSM_TEST(test_wall_parse),
          DSM_TEST(test_cron_catchup), DSM_TEST(test_rules_create), DSM_TEST(test_rules_active),
          DSM_TEST(test_json_helpers), DSM_TEST(test_signature), DSM_TEST(test_pattern),
          DSM_TEST(test_assess))
