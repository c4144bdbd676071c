/* test_rules_logic.c — the rule-based baseline: plugins/intel_rules/rules_logic.c
 * (spec/orchestrator.md §2, docs/ORCHESTRATOR.md §3). Expected texts are the spec's wording. */
#include <json-c/json.h>
#include <string.h>

#include "dsm_test.h"
#include "rules_logic.h"

static rul_input_t base_input(void)
{
    rul_input_t in;

    memset(&in, 0, sizeof(in));
    rul_input_defaults(&in);
    in.project_id = "PHE001";
    in.next_number = 1;
    return in;
}

static const char *reasoning(const rul_input_t *in, const rul_decision_t *d)
{
    static char buf[RUL_TEXT_MAX];

    rul_reasoning(in, d, buf, sizeof(buf));
    return buf;
}

/* §3.5: 12 unassigned tasks, no sprint, default options → create, min(12, 10) = 10 tasks. */
static void test_worked_example_create(void)
{
    rul_input_t in = base_input();
    rul_decision_t d;

    in.unassigned = 12;
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_CREATE);
    CU_ASSERT_TRUE(d.create_new_sprint);
    CU_ASSERT_EQUAL(d.tasks_to_assign, 10);
    CU_ASSERT_TRUE(d.cronjob_created);
    CU_ASSERT_FALSE(d.sprint_closure_triggered);
    CU_ASSERT_FALSE(d.cronjob_deleted);
    CU_ASSERT_EQUAL(d.sprint_duration_weeks, 2);
    CU_ASSERT_STRING_EQUAL(d.sprint_name, "PHE001-S01");
    CU_ASSERT_STRING_EQUAL(d.sprint_id, "");
    CU_ASSERT_STRING_EQUAL(d.sprint_id_to_close, "");
    CU_ASSERT_EQUAL(d.evidence_count, 1);
    CU_ASSERT_STRING_EQUAL(reasoning(&in, &d),
                           "No active sprint found and unassigned tasks exist.; "
                           "Proposing to create new sprint: PHE001-S01.; "
                           "Proposing to assign 10 tasks.; "
                           "New sprint creation triggers CronJob generation.");
}

/* Fewer tasks than the cap: all of them; no schedule when create_cronjob is off. */
static void test_create_under_cap_no_schedule(void)
{
    rul_input_t in = base_input();
    rul_decision_t d;

    in.unassigned = 4;
    in.create_cronjob = 0;
    in.max_tasks_per_sprint = 6;
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.tasks_to_assign, 4);
    CU_ASSERT_FALSE(d.cronjob_created);
    CU_ASSERT_STRING_EQUAL(reasoning(&in, &d),
                           "No active sprint found and unassigned tasks exist.; "
                           "Proposing to create new sprint: PHE001-S01.; "
                           "Proposing to assign 4 tasks.");
    in.unassigned = 9; /* the cap binds */
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.tasks_to_assign, 6);
}

/* #4: the name counts every sprint of the project; #6: the duration is the requested one. */
static void test_sprint_name_and_duration_fixed(void)
{
    rul_input_t in = base_input();
    rul_decision_t d;

    in.unassigned = 3;
    in.next_number = 3;
    in.sprint_duration_weeks = 3;
    rul_decide(&in, &d);
    CU_ASSERT_STRING_EQUAL(d.sprint_name, "PHE001-S03");
    CU_ASSERT_EQUAL(d.sprint_duration_weeks, 3);
    in.next_number = 12;
    rul_decide(&in, &d);
    CU_ASSERT_STRING_EQUAL(d.sprint_name, "PHE001-S12");
}

/* §2.4 last row: no sprint and no work, or the create flag off → nothing. */
static void test_nothing(void)
{
    rul_input_t in = base_input();
    rul_decision_t d;

    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_NOTHING);
    CU_ASSERT_FALSE(d.create_new_sprint);
    CU_ASSERT_EQUAL(d.tasks_to_assign, 0);
    CU_ASSERT_STRING_EQUAL(reasoning(&in, &d),
                           "No specific actions required based on current state and options.");
    in.unassigned = 7;
    in.create_sprint_if_needed = 0;
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_NOTHING);
    CU_ASSERT_FALSE(d.create_new_sprint);
    CU_ASSERT_STRING_EQUAL(rul_outcome_name(d.outcome), "nothing");
}

/* R2a: nothing pending → close S, and (#5) its schedule goes with it; no reasoning text. */
static void test_close_when_nothing_pending(void)
{
    rul_input_t in = base_input();
    rul_decision_t d;

    in.active_sprints = 1;
    in.current_sprint_id = "PHE001-S02";
    in.has_summary = 1;
    in.summary_total = 8;
    in.summary_pending = 0;
    in.schedule_exists = 1;
    in.unassigned = 5; /* ignored while a sprint runs */
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_CLOSE);
    CU_ASSERT_TRUE(d.sprint_closure_triggered);
    CU_ASSERT_TRUE(d.cronjob_deleted);
    CU_ASSERT_STRING_EQUAL(d.sprint_id_to_close, "PHE001-S02");
    CU_ASSERT_FALSE(d.create_new_sprint);
    CU_ASSERT_EQUAL(d.tasks_to_assign, 0);
    CU_ASSERT_EQUAL(d.nreasons, 0);
    /* an empty sprint closes too */
    in.summary_total = 0;
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_CLOSE);
}

/* R2b / R2c: pending work → keep the schedule alive. */
static void test_recreate_or_keep_schedule(void)
{
    rul_input_t in = base_input();
    rul_decision_t d;

    in.active_sprints = 1;
    in.current_sprint_id = "PHE001-S02";
    in.has_summary = 1;
    in.summary_total = 8;
    in.summary_pending = 3;
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_RECREATE_JOB);
    CU_ASSERT_TRUE(d.cronjob_created);
    CU_ASSERT_STRING_EQUAL(d.sprint_name, "PHE001-S02");
    CU_ASSERT_STRING_EQUAL(d.sprint_id, "PHE001-S02");
    CU_ASSERT_FALSE(d.sprint_closure_triggered);
    CU_ASSERT_STRING_EQUAL(reasoning(&in, &d),
                           "Active sprint PHE001-S02 found, but its corresponding CronJob was "
                           "missing. Recreating the CronJob to ensure process continuity.");
    /* no summary behaves as pending work; create_cronjob does not matter for R2b */
    in.has_summary = 0;
    in.create_cronjob = 0;
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_RECREATE_JOB);
    in.schedule_exists = 1;
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_NO_ACTION);
    CU_ASSERT_FALSE(d.cronjob_created);
    CU_ASSERT_STRING_EQUAL(reasoning(&in, &d),
                           "Active sprint PHE001-S02 found with an existing CronJob. No action "
                           "needed.");
}

/* R1: n conflicts (entries, not days), one warning each, never blocking. */
static void test_conflicts_noted(void)
{
    rul_conflict_t c[2] = {{"holiday", "Labor Day", "2025-09-01"},
                           {"pto", "Alice", "2025-09-03"}};
    rul_input_t in = base_input();
    rul_decision_t d;
    char w[256];

    in.unassigned = 2;
    in.availability_conflict = 1;
    in.conflicts = c;
    in.nconflicts = 2;
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_CREATE);
    CU_ASSERT_EQUAL(d.nwarnings, 2);
    CU_ASSERT_STRING_EQUAL(reasoning(&in, &d),
                           "Note: Sprint timeline includes 2 holiday(s) or PTO day(s).; "
                           "No active sprint found and unassigned tasks exist.; "
                           "Proposing to create new sprint: PHE001-S01.; "
                           "Proposing to assign 2 tasks.; "
                           "New sprint creation triggers CronJob generation.");
    rul_warning(&in, 0, w, sizeof(w));
    CU_ASSERT_STRING_EQUAL(w, "Sprint timeline includes upcoming holiday: Labor Day on 2025-09-01");
    rul_warning(&in, 1, w, sizeof(w));
    CU_ASSERT_STRING_EQUAL(w, "Sprint timeline includes upcoming holiday: Alice on 2025-09-03");
    /* status "ok" with entries: no note (R1 needs status == conflict) */
    in.availability_conflict = 0;
    rul_decide(&in, &d);
    CU_ASSERT_EQUAL(d.nwarnings, 0);
}

static void test_job_name(void)
{
    char b[128];

    CU_ASSERT_EQUAL(rul_job_name("NEX005", "NEX005-S01", b, sizeof(b)),
                    strlen("run-dailyscrum-nex005-nex005-s01"));
    CU_ASSERT_STRING_EQUAL(b, "run-dailyscrum-nex005-nex005-s01");
}

static void test_reasoning_truncates_safely(void)
{
    rul_input_t in = base_input();
    rul_decision_t d;
    char small[16];
    size_t need;

    in.unassigned = 12;
    rul_decide(&in, &d);
    need = rul_reasoning(&in, &d, small, sizeof(small));
    CU_ASSERT_EQUAL(need, strlen(reasoning(&in, &d)));
    CU_ASSERT_EQUAL(strlen(small), sizeof(small) - 1);
}

static const char *PERCEPTION =
    "{\"schema\":1,\"project_id\":\"APO009\",\"options\":{\"create_sprint_if_needed\":true,"
    "\"create_cronjob\":true,\"sprint_duration_weeks\":3,\"max_tasks_per_sprint\":8},"
    "\"team\":{\"size\":5},\"availability\":{\"status\":\"conflict\",\"conflicts\":["
    "{\"type\":\"holiday\",\"date\":\"2025-09-22\",\"name\":\"Fall Day\",\"details\":\"x\"}]},"
    "\"backlog\":{\"total_tasks\":20,\"unassigned\":11},"
    "\"sprints\":{\"total\":2,\"active_count\":0,\"closed_count\":2,\"next_number\":3,"
    "\"current\":null,\"current_task_summary\":null},\"schedules\":[]}";

/* Contract §2 perception → input; §3 Baseline JSON out. */
static void test_perception_to_baseline(void)
{
    json_object *p = json_tokener_parse(PERCEPTION), *b, *v;
    rul_perceived_t pp;
    rul_decision_t d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    rul_from_perception(p, "APO009", &pp);
    CU_ASSERT_EQUAL(pp.in.unassigned, 11);
    CU_ASSERT_EQUAL(pp.in.active_sprints, 0);
    CU_ASSERT_EQUAL(pp.in.next_number, 3);
    CU_ASSERT_EQUAL(pp.in.max_tasks_per_sprint, 8);
    CU_ASSERT_EQUAL(pp.in.sprint_duration_weeks, 3);
    CU_ASSERT_EQUAL(pp.in.nconflicts, 1);
    CU_ASSERT_TRUE(pp.in.availability_conflict);
    rul_decide(&pp.in, &d);
    b = rul_baseline_json(&pp.in, &d);
    CU_ASSERT_TRUE(json_object_get_boolean(json_object_object_get(b, "create_new_sprint")));
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(b, "tasks_to_assign")), 8);
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(b, "sprint_duration_weeks")), 3);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(b, "sprint_name")),
                           "APO009-S03");
    CU_ASSERT_TRUE(json_object_object_get_ex(b, "sprint_id", &v) && v == NULL);
    CU_ASSERT_TRUE(json_object_object_get_ex(b, "sprint_id_to_close", &v) && v == NULL);
    CU_ASSERT_FALSE(json_object_get_boolean(json_object_object_get(b, "cronjob_deleted")));
    v = json_object_object_get(b, "reasoning_parts");
    CU_ASSERT_EQUAL(json_object_array_length(v), 5);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(v, 3)),
                           "Proposing to assign 8 tasks.");
    v = json_object_object_get(b, "warnings");
    CU_ASSERT_EQUAL(json_object_array_length(v), 1);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(v, 0)),
                           "Sprint timeline includes upcoming holiday: Fall Day on 2025-09-22");
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(b, "outcome")),
                           "create_sprint");
    json_object_put(b);
    json_object_put(p);
}

/* A current sprint: the schedule is found by its name in perception.schedules. */
static void test_perception_current_sprint(void)
{
    const char *txt =
        "{\"backlog\":{\"unassigned\":4},\"sprints\":{\"total\":1,\"active_count\":1,"
        "\"current\":{\"sprint_id\":\"APO009-S01\",\"status\":\"in_progress\"},"
        "\"current_task_summary\":{\"total_tasks\":6,\"completed_tasks\":4,\"pending_tasks\":2}},"
        "\"schedules\":[{\"name\":\"run-dailyscrum-apo009-apo009-s01\"}]}";
    json_object *p = json_tokener_parse(txt);
    rul_perceived_t pp;
    rul_decision_t d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    rul_from_perception(p, "APO009", &pp);
    CU_ASSERT_STRING_EQUAL(pp.job, "run-dailyscrum-apo009-apo009-s01");
    CU_ASSERT_TRUE(pp.in.schedule_exists);
    CU_ASSERT_TRUE(pp.in.has_summary);
    CU_ASSERT_EQUAL(pp.in.summary_pending, 2);
    rul_decide(&pp.in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_NO_ACTION);
    json_object_put(p);

    /* the same sprint without its schedule row, and all tasks done → close */
    p = json_tokener_parse("{\"sprints\":{\"active_count\":1,\"current\":{\"sprint_id\":"
                           "\"APO009-S01\"},\"current_task_summary\":{\"total_tasks\":6,"
                           "\"pending_tasks\":0}},\"schedules\":[{\"name\":\"other\"}]}");
    rul_from_perception(p, "APO009", &pp);
    CU_ASSERT_FALSE(pp.in.schedule_exists);
    rul_decide(&pp.in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_CLOSE);
    CU_ASSERT_STRING_EQUAL(d.sprint_id_to_close, "APO009-S01");
    json_object_put(p);
}

/* Missing members keep the defaults of §1.1; a NULL perception is "nothing to do". */
static void test_perception_defaults(void)
{
    json_object *p =
        json_tokener_parse("{\"backlog\":{\"unassigned\":30},\"sprints\":{\"total\":4}}");
    rul_perceived_t pp;
    rul_decision_t d;

    rul_from_perception(p, "X1", &pp);
    CU_ASSERT_EQUAL(pp.in.max_tasks_per_sprint, 10);
    CU_ASSERT_EQUAL(pp.in.sprint_duration_weeks, 2);
    CU_ASSERT_EQUAL(pp.in.next_number, 5); /* total + 1 */
    rul_decide(&pp.in, &d);
    CU_ASSERT_EQUAL(d.tasks_to_assign, 10);
    CU_ASSERT_STRING_EQUAL(d.sprint_name, "X1-S05");
    json_object_put(p);
    rul_from_perception(NULL, "X1", &pp);
    rul_decide(&pp.in, &d);
    CU_ASSERT_EQUAL(d.outcome, RUL_NOTHING);
}

DSM_SUITE("plugins/intel_rules", NULL, NULL, DSM_TEST(test_worked_example_create),
          DSM_TEST(test_create_under_cap_no_schedule),
          DSM_TEST(test_sprint_name_and_duration_fixed),
          DSM_TEST(test_nothing), DSM_TEST(test_close_when_nothing_pending),
          DSM_TEST(test_recreate_or_keep_schedule), DSM_TEST(test_conflicts_noted),
          DSM_TEST(test_job_name), DSM_TEST(test_reasoning_truncates_safely),
          DSM_TEST(test_perception_to_baseline), DSM_TEST(test_perception_current_sprint),
          DSM_TEST(test_perception_defaults));
