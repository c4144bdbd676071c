/* test_sprint_logic.c — pure helpers of the Sprint service:
 * plugins/service_sprint/spr_logic.c (ids, dates, progress rules, the daily scrum step,
 * report/retrospective/event documents). */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "dsm_test.h"
#include "spr_logic.h"

static const char *compact(json_object *o)
{
    return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

/* ---- ids ---- */

static void test_sprint_number(void)
{
    CU_ASSERT_EQUAL(spr_sprint_number("APO009", "APO009-S01"), 1);
    CU_ASSERT_EQUAL(spr_sprint_number("APO009", "APO009-S12"), 12);
    CU_ASSERT_EQUAL(spr_sprint_number("APO009", "APO009-S123"), 123);
    CU_ASSERT_EQUAL(spr_sprint_number("TEST-001", "TEST-001-S07"), 7);
    CU_ASSERT_EQUAL(spr_sprint_number("TEST", "TEST-001-S07"), 0); /* another project */
    CU_ASSERT_EQUAL(spr_sprint_number("APO009", "APO009-S"), 0);
    CU_ASSERT_EQUAL(spr_sprint_number("APO009", "APO009-S1x"), 0);
    CU_ASSERT_EQUAL(spr_sprint_number("APO009", "APO009-X01"), 0);
    CU_ASSERT_EQUAL(spr_sprint_number("APO009", "APO00-S01"), 0);
}

static void test_next_number(void)
{
    const char *none[1] = {NULL};
    const char *two[2] = {"P-S01", "P-S02"};
    const char *gap[2] = {"P-S01", "P-S05"};          /* a removed row: never reuse S02..S05 */
    const char *odd[3] = {"P-S01", "legacy", "other"}; /* count wins: 4 */
    const char *other[2] = {"PX-S09", "P-S01"};        /* PX is another project */
    char id[32];

    CU_ASSERT_EQUAL(spr_next_number("P", none, 0), 1);
    CU_ASSERT_EQUAL(spr_next_number("P", two, 2), 3);
    CU_ASSERT_EQUAL(spr_next_number("P", gap, 2), 6);
    CU_ASSERT_EQUAL(spr_next_number("P", odd, 3), 4);
    CU_ASSERT_EQUAL(spr_next_number("P", other, 2), 3);
    CU_ASSERT_EQUAL(spr_sprint_id(id, sizeof id, "APO009", 1), strlen("APO009-S01"));
    CU_ASSERT_STRING_EQUAL(id, "APO009-S01");
    spr_sprint_id(id, sizeof id, "APO009", 10);
    CU_ASSERT_STRING_EQUAL(id, "APO009-S10");
    spr_sprint_id(id, sizeof id, "APO009", 100);
    CU_ASSERT_STRING_EQUAL(id, "APO009-S100");
    CU_ASSERT_EQUAL(spr_sprint_id(NULL, 0, "INTEL-AUDIT-PROJ", 4), 20);
}

/* ---- dates ---- */

static void test_dates(void)
{
    char out[11];
    long d;

    CU_ASSERT_TRUE(spr_date_parse("1970-01-01", &d));
    CU_ASSERT_EQUAL(d, 0);
    CU_ASSERT_TRUE(spr_date_parse("2024-02-29", &d));
    CU_ASSERT_FALSE(spr_date_parse("2025-02-29", &d));
    CU_ASSERT_FALSE(spr_date_parse("2025-13-01", &d));
    CU_ASSERT_FALSE(spr_date_parse("2025-1-01", &d));
    CU_ASSERT_FALSE(spr_date_parse(NULL, &d));
    CU_ASSERT_TRUE(spr_date_add_weeks("2025-09-18", 2, out));
    CU_ASSERT_STRING_EQUAL(out, "2025-10-02");
    CU_ASSERT_TRUE(spr_date_add_weeks("2025-12-25", 1, out));
    CU_ASSERT_STRING_EQUAL(out, "2026-01-01");
    CU_ASSERT_TRUE(spr_date_add_weeks("2024-02-22", 1, out));
    CU_ASSERT_STRING_EQUAL(out, "2024-02-29");
    CU_ASSERT_FALSE(spr_date_add_weeks("nope", 1, out));
    spr_date_format(-1, out);
    CU_ASSERT_STRING_EQUAL(out, "1969-12-31");
    CU_ASSERT_TRUE(spr_date_within("2025-12-25", "2025-12-24", "2025-12-26"));
    CU_ASSERT_TRUE(spr_date_within("2025-12-24", "2025-12-24", "2025-12-24"));
    CU_ASSERT_TRUE(spr_date_within("2025-12-24", "2025-12-24T00:00:00", "2025-12-24T00:00:00"));
    CU_ASSERT_FALSE(spr_date_within("2025-12-27", "2025-12-24", "2025-12-26"));
    CU_ASSERT_FALSE(spr_date_within("2025-12-23", "2025-12-24", "2025-12-26"));
    CU_ASSERT_FALSE(spr_date_within("2025-12-23", NULL, "2025-12-26"));
}

static void test_round_robin(void)
{
    const char *assignees[5] = {NULL, "E009", "", NULL, NULL};
    const char *members[2] = {"E001", "E002"};
    const char *out[5];

    spr_assign_round_robin(assignees, 5, members, 2, out);
    CU_ASSERT_STRING_EQUAL(out[0], "E001");
    CU_ASSERT_STRING_EQUAL(out[1], "E009"); /* kept; the index does not advance */
    CU_ASSERT_STRING_EQUAL(out[2], "E002");
    CU_ASSERT_STRING_EQUAL(out[3], "E001");
    CU_ASSERT_STRING_EQUAL(out[4], "E002");
    spr_assign_round_robin(assignees, 5, members, 0, out);
    CU_ASSERT_PTR_NULL(out[0]);
    CU_ASSERT_STRING_EQUAL(out[1], "E009");
    spr_assign_round_robin(NULL, 2, members, 1, out);
    CU_ASSERT_STRING_EQUAL(out[1], "E001");
}

/* ---- S10 rules ---- */

static void progress_is(const char *cur, int curp, const char *st, int hasp, int64_t p,
                        spr_progress_rc want, const char *want_st, int want_p)
{
    const char *os;
    int op;
    spr_progress_rc rc = spr_progress_apply(cur, curp, st, hasp, p, &os, &op);

    CU_ASSERT_EQUAL(rc, want);
    if (rc == SPR_PROGRESS_OK && want == SPR_PROGRESS_OK) {
        CU_ASSERT_STRING_EQUAL(os, want_st);
        CU_ASSERT_EQUAL(op, want_p);
    }
}

static void test_progress_rules(void)
{
    progress_is("assigned_to_sprint", 0, NULL, 0, 0, SPR_PROGRESS_NOTHING, NULL, 0);
    progress_is("assigned_to_sprint", 0, NULL, 1, -1, SPR_PROGRESS_RANGE, NULL, 0);
    progress_is("assigned_to_sprint", 0, NULL, 1, 101, SPR_PROGRESS_RANGE, NULL, 0);
    progress_is("assigned_to_sprint", 0, "done", 0, 0, SPR_PROGRESS_STATUS, NULL, 0);
    progress_is("assigned_to_sprint", 0, NULL, 1, 0, SPR_PROGRESS_OK, "in_progress", 0);
    progress_is("assigned_to_sprint", 0, NULL, 1, 50, SPR_PROGRESS_OK, "in_progress", 50);
    progress_is("in_progress", 50, NULL, 1, 100, SPR_PROGRESS_OK, "completed", 100);
    progress_is("completed", 100, NULL, 1, 40, SPR_PROGRESS_OK, "in_progress", 40);
    progress_is("in_progress", 50, "completed", 0, 0, SPR_PROGRESS_OK, "completed", 100);
    progress_is("in_progress", 50, "assigned_to_sprint", 0, 0, SPR_PROGRESS_OK,
                "assigned_to_sprint", 50);
    progress_is("completed", 100, "in_progress", 0, 0, SPR_PROGRESS_REOPEN_DONE, NULL, 0);
    progress_is("in_progress", 10, "in_progress", 1, 60, SPR_PROGRESS_OK, "in_progress", 60);
    progress_is("in_progress", 10, "completed", 1, 100, SPR_PROGRESS_OK, "completed", 100);
    progress_is("in_progress", 10, "completed", 1, 60, SPR_PROGRESS_INCONSISTENT, NULL, 0);
    progress_is("in_progress", 10, "in_progress", 1, 100, SPR_PROGRESS_INCONSISTENT, NULL, 0);
    CU_ASSERT_STRING_EQUAL(spr_progress_message(SPR_PROGRESS_NOTHING),
                           "No fields provided for update.");
    CU_ASSERT_TRUE(spr_task_status_known("completed"));
    CU_ASSERT_FALSE(spr_task_status_known("unassigned"));
    CU_ASSERT_FALSE(spr_task_status_known(NULL));
}

/* ---- S13 step ---- */

static void test_scrum_step(void)
{
    int seen_min = 0, seen_max = 0, impediments = 0;

    for (int i = 0; i < 4000; i++) {
        char task[32];
        uint64_t rng;
        spr_step_t s;

        snprintf(task, sizeof task, "P-TASK%03d", i);
        rng = spr_rng_seed("seed", "P-S01", task, "2025-09-18", i % 100);
        spr_scrum_step(&rng, i % 100, &s);
        CU_ASSERT_TRUE(s.made >= SPR_STEP_MIN && s.made <= SPR_STEP_MAX);
        CU_ASSERT_EQUAL(s.progress, i % 100 + s.made > 100 ? 100 : i % 100 + s.made);
        CU_ASSERT_STRING_EQUAL(s.status, s.progress == 100 ? "completed" : "in_progress");
        seen_min |= s.made == SPR_STEP_MIN;
        seen_max |= s.made == SPR_STEP_MAX;
        impediments += s.impediment;
    }
    CU_ASSERT_TRUE(seen_min && seen_max);            /* both ends reachable */
    CU_ASSERT_TRUE(impediments > 250 && impediments < 550); /* ~10 % of 4000 */
}

static void test_rng_reproducible(void)
{
    uint64_t a = spr_rng_seed("42", "P-S01", "P-TASK001", "2025-09-18", 10);
    uint64_t b = spr_rng_seed("42", "P-S01", "P-TASK001", "2025-09-18", 10);
    uint64_t c = spr_rng_seed("42", "P-S01", "P-TASK001", "2025-09-19", 10);
    uint64_t d = spr_rng_seed("42", "P-S01", "P-TASK001", "2025-09-18", 11);
    uint64_t e = spr_rng_seed("4", "2P-S01", "P-TASK001", "2025-09-18", 10);

    CU_ASSERT_EQUAL(a, b);
    CU_ASSERT_NOT_EQUAL(a, c);
    CU_ASSERT_NOT_EQUAL(a, d);
    CU_ASSERT_NOT_EQUAL(a, e); /* part boundaries matter */
    CU_ASSERT_EQUAL(spr_rng_next(&a), spr_rng_next(&b));
}

/* ---- S13 with a simulated capacity ---- */

static void test_sim_budget(void)
{
    uint64_t rng = 1;
    int lo = 1 << 30, hi = 0;

    /* no variation: points × present, no draw */
    CU_ASSERT_EQUAL(spr_sim_budget(&rng, 47, 0, 3), 141);
    CU_ASSERT_EQUAL(rng, 1u);
    CU_ASSERT_EQUAL(spr_sim_budget(&rng, 47, 0, 0), 0);   /* everyone on PTO */
    CU_ASSERT_EQUAL(spr_sim_budget(&rng, 47, 0, -1), 0);
    CU_ASSERT_EQUAL(spr_sim_budget(&rng, 0, 10, 3), 0);
    /* ±10 % of 100 · 2 = 200: 180..220, both ends reachable, reproducible from the seed */
    for (int i = 0; i < 2000; i++) {
        char date[16];
        uint64_t a, b;
        int x;

        snprintf(date, sizeof date, "d%d", i);
        a = b = spr_rng_seed("s", "P-S01", "capacity", date, 0);
        x = spr_sim_budget(&a, 100, 10, 2);
        CU_ASSERT_EQUAL(x, spr_sim_budget(&b, 100, 10, 2));
        CU_ASSERT_TRUE(x >= 180 && x <= 220 && x % 2 == 0); /* 2 · (100 + u) */
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
    }
    CU_ASSERT_EQUAL(lo, 180);
    CU_ASSERT_EQUAL(hi, 220);
    /* rounding half up: 33 · 1 · 105 / 100 = 34.65 → 35 */
    {
        uint64_t r = spr_rng_seed("x", "y", "capacity", "z", 0), c = r;
        int u = spr_rng_range(&c, -5, 5);

        CU_ASSERT_EQUAL(spr_sim_budget(&r, 33, 5, 1), (33 * (100 + u) + 50) / 100);
    }
}

static void test_sim_step(void)
{
    /* tasks at 0, 40, 0, 0 with a budget of 170: 100 (done), 60 (done), 10, nothing */
    int old[4] = {0, 40, 0, 0}, budget = 170;
    int made[4], progress[4];
    uint64_t rng = 7;
    spr_step_t s;

    for (int i = 0; i < 4; i++) {
        spr_sim_step(&rng, &budget, old[i], &s);
        made[i] = s.made;
        progress[i] = s.progress;
        if (i < 2)
            CU_ASSERT_STRING_EQUAL(s.status, "completed");
        if (i == 2)
            CU_ASSERT_STRING_EQUAL(s.status, "in_progress");
        if (i == 3)
            CU_ASSERT_FALSE(s.impediment); /* not worked: no impediment drawn */
    }
    CU_ASSERT_EQUAL(made[0], 100);
    CU_ASSERT_EQUAL(made[1], 60);
    CU_ASSERT_EQUAL(made[2], 10);
    CU_ASSERT_EQUAL(made[3], 0);
    CU_ASSERT_EQUAL(progress[0], 100);
    CU_ASSERT_EQUAL(progress[1], 100);
    CU_ASSERT_EQUAL(progress[2], 10);
    CU_ASSERT_EQUAL(progress[3], 0);
    CU_ASSERT_EQUAL(budget, 0);
    /* a sprint: 5 days of 3 members at 47 points = 705 points → 7 tasks of 10 completed */
    {
        int p[10] = {0}, done = 0;

        for (int day = 0; day < 5; day++) {
            int b = spr_sim_budget(&rng, 47, 0, 3);

            for (int t = 0; t < 10; t++) {
                if (p[t] >= 100)
                    continue;
                spr_sim_step(&rng, &b, p[t], &s);
                p[t] = s.progress;
            }
        }
        for (int t = 0; t < 10; t++)
            done += p[t] >= 100;
        CU_ASSERT_EQUAL(done, 7);
        CU_ASSERT_EQUAL(p[7], 5);
        CU_ASSERT_EQUAL(p[8], 0);
    }
}

/* ---- documents ---- */

static void test_texts_and_summary(void)
{
    spr_entry_t e = {"P-TASK002", "Design database schema", "E001", 0, 22, 47, 0, "t"};
    const char *pto[2] = {"E002", "E003"};
    char buf[200];

    spr_text_yesterday(buf, sizeof buf, &e);
    CU_ASSERT_STRING_EQUAL(buf, "Worked on Design database schema and completed 22% of it.");
    spr_text_today(buf, sizeof buf, &e);
    CU_ASSERT_STRING_EQUAL(buf, "Continuing work on Design database schema to reach 47% completion.");
    CU_ASSERT_STRING_EQUAL(spr_text_impediments(&e), "None.");
    e.impediment = 1;
    CU_ASSERT_STRING_EQUAL(spr_text_impediments(&e),
                           "Encountered a minor blocker with external dependency.");
    e.on_pto = 1;
    CU_ASSERT_STRING_EQUAL(spr_text_impediments(&e), "Assignee on PTO.");
    spr_text_yesterday(buf, sizeof buf, &e);
    CU_ASSERT_STRING_EQUAL(buf, "On PTO: no work on Design database schema.");

    CU_ASSERT_EQUAL(spr_scrum_summary(buf, sizeof buf, "P-S01", 10, NULL, 0), strlen(buf));
    CU_ASSERT_STRING_EQUAL(buf, "Daily stand-up for sprint P-S01. 10 tasks had progress simulated.");
    CU_ASSERT_EQUAL(spr_scrum_summary(buf, sizeof buf, "P-S01", 8, pto, 2), strlen(buf));
    CU_ASSERT_STRING_EQUAL(buf, "Daily stand-up for sprint P-S01. 8 tasks had progress simulated."
                                " On PTO today: E002, E003.");
    CU_ASSERT_EQUAL(spr_scrum_summary(NULL, 0, "P-S01", 8, pto, 2), strlen(buf));
}

static void test_report_build(void)
{
    spr_entry_t e[3] = {
        {"P-TASK001", "Setup", "E001", 0, 10, 10, 0, "2025-09-18T14:00:00.000001"},
        {"P-TASK002", "Design", NULL, 0, 30, 100, 1, "2025-09-18T14:00:00.000001"},
        {"P-TASK003", "Build", "E001", 1, 0, 40, 0, "2025-09-18T14:00:00.000001"},
    };
    spr_metrics_t m = {3, 4, 2, 2};
    json_object *o = spr_report_build("P", "P-S01", "2025-09-18", "sum", &m, e, 3);

    CU_ASSERT_STRING_EQUAL(
        compact(o),
        "{\"project_id\":\"P\",\"sprint_id\":\"P-S01\",\"report_date\":\"2025-09-18\","
        "\"summary\":\"sum\",\"summary_metrics\":{\"total_team_members\":3,\"total_tasks\":4,"
        "\"completed_tasks\":2,\"pending_tasks\":2},\"reports\":{\"2025-09-18\":["
        "{\"assigned_to\":\"E001\",\"tasks\":["
        "{\"id\":\"P-TASK001\",\"yesterday_work\":\"Worked on Setup and completed 10% of it.\","
        "\"today_work\":\"Continuing work on Setup to reach 10% completion.\","
        "\"impediments\":\"None.\",\"created_at\":\"2025-09-18T14:00:00.000001\"},"
        "{\"id\":\"P-TASK003\",\"yesterday_work\":\"On PTO: no work on Build.\","
        "\"today_work\":\"On PTO today; Build stays at 40% completion.\","
        "\"impediments\":\"Assignee on PTO.\",\"created_at\":\"2025-09-18T14:00:00.000001\"}]},"
        "{\"assigned_to\":\"unassigned\",\"tasks\":["
        "{\"id\":\"P-TASK002\",\"yesterday_work\":\"Worked on Design and completed 30% of it.\","
        "\"today_work\":\"Continuing work on Design to reach 100% completion.\","
        "\"impediments\":\"Encountered a minor blocker with external dependency.\","
        "\"created_at\":\"2025-09-18T14:00:00.000001\"}]}]}}");
    json_object_put(o);
    o = spr_report_build("P", "P-S01", "2025-09-18", "sum", &m, e, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(compact(o), "\"reports\":{\"2025-09-18\":[]}"));
    json_object_put(o);
}

static void test_retro(void)
{
    spr_task_t t[4] = {
        {"P-TASK001", "Setup", "completed", "E001", 100},
        {"P-TASK002", "Design", "in_progress", NULL, 40},
        {"P-TASK003", "Build", "assigned_to_sprint", "E002", 0},
        {"P-TASK004", "Test", "assigned_to_sprint", "E002", 20}, /* in I and O */
    };
    spr_sprint_t s = {"P-S01", "P", "Sprint 1", "2025-09-18", "2025-10-02", 2, "in_progress"};
    spr_retro_counts_t c;
    json_object *o;

    spr_retro_counts(t, 4, &c);
    CU_ASSERT_EQUAL(c.completed, 1);
    CU_ASSERT_EQUAL(c.in_progress, 2);
    CU_ASSERT_EQUAL(c.not_started, 2);
    CU_ASSERT_EQUAL(c.unfinished, 3);
    o = spr_retro_build(&s, t, 4);
    CU_ASSERT_STRING_EQUAL(
        compact(o),
        "{\"sprint_id\":\"P-S01\",\"project_id\":\"P\",\"sprint_name\":\"Sprint 1\","
        "\"start_date\":\"2025-09-18\",\"end_date\":\"2025-10-02\",\"duration_weeks\":2,"
        "\"what_went_well\":\"Successfully completed 1 tasks.\","
        "\"what_could_be_improved\":\"Address the 2 tasks that are still in progress. Also, "
        "investigate the 2 tasks that were not started.\","
        "\"action_items\":[{\"description\":\"Review 1 tasks that were completed.\",\"status\":"
        "\"open\"},{\"description\":\"Address 2 tasks that are still in progress.\",\"status\":"
        "\"open\"},{\"description\":\"Investigate 2 tasks that were not started.\",\"status\":"
        "\"open\"}],\"facilitator_id\":\"EMP_FACILITATOR\",\"attendees\":[\"EMP_ATTENDEE_1\","
        "\"EMP_ATTENDEE_2\"],\"tasks_summary\":["
        "{\"description\":\"Setup\",\"status\":\"completed\",\"task_id\":\"P-TASK001\","
        "\"employee_id\":\"E001\",\"progress_percentage\":100},"
        "{\"description\":\"Design\",\"status\":\"in_progress\",\"task_id\":\"P-TASK002\","
        "\"employee_id\":\"unassigned\",\"progress_percentage\":40},"
        "{\"description\":\"Build\",\"status\":\"assigned_to_sprint\",\"task_id\":\"P-TASK003\","
        "\"employee_id\":\"E002\",\"progress_percentage\":0},"
        "{\"description\":\"Test\",\"status\":\"assigned_to_sprint\",\"task_id\":\"P-TASK004\","
        "\"employee_id\":\"E002\",\"progress_percentage\":20}]}");
    json_object_put(o);

    /* all done; only "not started"; nothing at all */
    o = spr_retro_build(&s, t, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(compact(o), "\"what_went_well\":\"Successfully completed 1 "
                                              "tasks.\",\"what_could_be_improved\":\"Continue "
                                              "current practices.\""));
    json_object_put(o);
    o = spr_retro_build(&s, t + 2, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(compact(o), "\"No tasks were completed.\",\"what_could_be_"
                                              "improved\":\"Investigate the 1 tasks that were "
                                              "not started.\""));
    json_object_put(o);
    s.duration_weeks = -1;
    o = spr_retro_build(&s, t, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(compact(o), "\"duration_weeks\":null"));
    CU_ASSERT_PTR_NOT_NULL(strstr(compact(o), "\"action_items\":[]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(compact(o), "\"tasks_summary\":[]"));
    json_object_put(o);
}

static void test_events(void)
{
    spr_task_evt_t e = {"P-TASK001", "P", "P-S01", "in_progress", "E001", 35};
    spr_task_evt_t back = {"P-TASK001", "P", NULL, "unassigned", NULL, 35};
    spr_entry_t pe = {"P-TASK001", "Setup", "E001", 0, 25, 75, 0, "t"};
    spr_sprint_t s = {"P-S01", "P", "Sprint 1", "2025-09-18", "2025-10-02", 2, "in_progress"};
    const char *ids[2] = {"P-TASK001", "P-TASK002"};
    json_object *o = spr_evt_task_updated("ev", "ts", "corr", &e);

    CU_ASSERT_STRING_EQUAL(
        compact(o),
        "{\"event_id\":\"ev\",\"event_type\":\"TASK_UPDATED\",\"timestamp\":\"ts\","
        "\"aggregate_id\":\"P-TASK001\",\"aggregate_type\":\"Task\",\"event_data\":{"
        "\"task_id\":\"P-TASK001\",\"project_id\":\"P\",\"sprint_id\":\"P-S01\",\"status\":"
        "\"in_progress\",\"progress_percentage\":35,\"updated_at\":\"ts\",\"assigned_to\":"
        "\"E001\"},\"metadata\":{\"source_service\":\"SprintService\",\"correlation_id\":"
        "\"corr\"}}");
    json_object_put(o);
    o = spr_evt_task_updated("ev", "ts", "corr", &back);
    CU_ASSERT_PTR_NOT_NULL(strstr(compact(o), "\"sprint_id\":null,\"status\":\"unassigned\","
                                              "\"progress_percentage\":35"));
    CU_ASSERT_PTR_NOT_NULL(strstr(compact(o), "\"assigned_to\":null"));
    json_object_put(o);
    o = spr_evt_task_progressed("ev", "ts", "P-S01", &pe);
    CU_ASSERT_STRING_EQUAL(
        compact(o),
        "{\"event_id\":\"ev\",\"event_type\":\"TASK_PROGRESSED\",\"timestamp\":\"ts\","
        "\"sprint_id\":\"P-S01\",\"task_id\":\"P-TASK001\",\"progress_made\":25,"
        "\"new_total_progress\":75,\"employee_id\":\"E001\",\"yesterday_work\":\"Worked on "
        "Setup and completed 25% of it.\",\"today_work\":\"Continuing work on Setup to reach "
        "75% completion.\",\"impediments\":\"None.\"}");
    json_object_put(o);
    o = spr_evt_sprint_started("ev", "ts", "corr", &s, ids, 2);
    CU_ASSERT_STRING_EQUAL(
        compact(o),
        "{\"event_id\":\"ev\",\"event_type\":\"SprintStarted\",\"aggregate_id\":\"P-S01\","
        "\"payload\":{\"sprint_id\":\"P-S01\",\"project_id\":\"P\",\"sprint_name\":\"Sprint 1\","
        "\"start_date\":\"2025-09-18\",\"end_date\":\"2025-10-02\",\"tasks\":[\"P-TASK001\","
        "\"P-TASK002\"]},\"timestamp\":\"ts\",\"correlation_id\":\"corr\"}");
    json_object_put(o);
}

DSM_SUITE("plugins/sprint/logic", NULL, NULL, DSM_TEST(test_sprint_number),
          DSM_TEST(test_next_number), DSM_TEST(test_dates),
          DSM_TEST(test_round_robin), DSM_TEST(test_progress_rules), DSM_TEST(test_scrum_step),
          DSM_TEST(test_rng_reproducible), DSM_TEST(test_sim_budget), DSM_TEST(test_sim_step),
          DSM_TEST(test_texts_and_summary),
          DSM_TEST(test_report_build), DSM_TEST(test_retro), DSM_TEST(test_events))
