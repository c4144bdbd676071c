/* test_backlog_logic.c — pure helpers of the Backlog service:
 * plugins/service_backlog/bl_logic.c (template, ids, vocabulary, text, SQLSTATE classes,
 * stream ids, TASK_UPDATED parsing). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bl_logic.h"
#include "dsm_test.h"

static void test_template(void)
{
    CU_ASSERT_PTR_NULL(bl_template(0));
    CU_ASSERT_PTR_NULL(bl_template(BL_TEMPLATE_COUNT + 1));
    CU_ASSERT_STRING_EQUAL(bl_template(1)->title, "Setup development environment");
    CU_ASSERT_STRING_EQUAL(bl_template(1)->description, "Configure IDEs and necessary tools.");
    CU_ASSERT_STRING_EQUAL(bl_template(5)->title, "Develop API for task management");
    CU_ASSERT_STRING_EQUAL(bl_template(8)->description, "Gather feedback from end-users.");
    CU_ASSERT_STRING_EQUAL(bl_template(10)->title, "Refactor legacy code");
    CU_ASSERT_STRING_EQUAL(bl_template(10)->description,
                           "Improve existing code for maintainability.");
    for (int i = 1; i <= BL_TEMPLATE_COUNT; i++) {
        CU_ASSERT_PTR_NOT_NULL(bl_template(i));
        CU_ASSERT_TRUE(strlen(bl_template(i)->title) > 0);
    }
}

static void test_task_id(void)
{
    char buf[64];

    CU_ASSERT_EQUAL(bl_task_id(buf, sizeof buf, "APO009", 1), 14);
    CU_ASSERT_STRING_EQUAL(buf, "APO009-TASK001");
    bl_task_id(buf, sizeof buf, "TEST-001", 10);
    CU_ASSERT_STRING_EQUAL(buf, "TEST-001-TASK010");
    CU_ASSERT_EQUAL(bl_task_id(NULL, 0, "X", 3), 9); /* size query */
    CU_ASSERT_EQUAL(bl_task_id(buf, 6, "APO009", 1), 14);
    CU_ASSERT_STRING_EQUAL(buf, "APO00"); /* truncated, terminated */
    CU_ASSERT_EQUAL(BL_MAX_PROJECT_ID + 8, BL_MAX_TASK_ID);
}

static void test_vocabulary(void)
{
    CU_ASSERT_TRUE(bl_status_known("unassigned"));
    CU_ASSERT_TRUE(bl_status_known("assigned_to_sprint"));
    CU_ASSERT_TRUE(bl_status_known("in_progress"));
    CU_ASSERT_TRUE(bl_status_known("completed"));
    CU_ASSERT_FALSE(bl_status_known("NotStarted"));
    CU_ASSERT_FALSE(bl_status_known("Completed"));
    CU_ASSERT_FALSE(bl_status_known("completed "));
    CU_ASSERT_FALSE(bl_status_known(""));
    CU_ASSERT_FALSE(bl_status_known(NULL));
    CU_ASSERT_TRUE(bl_progress_valid(0));
    CU_ASSERT_TRUE(bl_progress_valid(100));
    CU_ASSERT_FALSE(bl_progress_valid(-1));
    CU_ASSERT_FALSE(bl_progress_valid(101));
    CU_ASSERT_FALSE(bl_progress_valid(INT64_MIN));
}

static void test_text(void)
{
    char buf[128];

    CU_ASSERT_EQUAL(bl_utf8_chars(""), 0);
    CU_ASSERT_EQUAL(bl_utf8_chars("h\xC3\xA9llo"), 5);
    CU_ASSERT_EQUAL(bl_utf8_chars("\xF0\x9F\x98\x80"), 1);

    bl_base_url(buf, sizeof buf, "http://127.0.0.1:8080//");
    CU_ASSERT_STRING_EQUAL(buf, "http://127.0.0.1:8080");
    bl_base_url(buf, sizeof buf, "http://h:1");
    CU_ASSERT_STRING_EQUAL(buf, "http://h:1");
}

static void test_sqlstate(void)
{
    CU_ASSERT_TRUE(bl_sqlstate_unreachable("08006"));
    CU_ASSERT_TRUE(bl_sqlstate_unreachable("08001"));
    CU_ASSERT_TRUE(bl_sqlstate_unreachable("57P01"));
    CU_ASSERT_TRUE(bl_sqlstate_unreachable("53300"));
    CU_ASSERT_FALSE(bl_sqlstate_unreachable("23505"));
    CU_ASSERT_FALSE(bl_sqlstate_unreachable("40001"));
    CU_ASSERT_FALSE(bl_sqlstate_unreachable(NULL));
    CU_ASSERT_TRUE(bl_sqlstate_retryable("08006"));
    CU_ASSERT_TRUE(bl_sqlstate_retryable("40001"));
    CU_ASSERT_TRUE(bl_sqlstate_retryable("40P01"));
    CU_ASSERT_FALSE(bl_sqlstate_retryable("22001"));
    CU_ASSERT_FALSE(bl_sqlstate_retryable("XX000"));
    CU_ASSERT_FALSE(bl_sqlstate_retryable(NULL));
}

static void test_stream_id(void)
{
    int64_t ms = -1, seq = -1;

    CU_ASSERT_EQUAL(bl_stream_id_parse("1700000000000-5", &ms, &seq), 0);
    CU_ASSERT_EQUAL(ms, 1700000000000LL);
    CU_ASSERT_EQUAL(seq, 5);
    CU_ASSERT_EQUAL(bl_stream_id_parse("0-0", &ms, &seq), 0);
    CU_ASSERT_EQUAL(ms, 0);
    CU_ASSERT_EQUAL(bl_stream_id_parse("9223372036854775807-18", &ms, &seq), 0);
    CU_ASSERT_EQUAL(ms, INT64_MAX);
    CU_ASSERT_EQUAL(bl_stream_id_parse("9223372036854775808-0", &ms, &seq), -1);
    CU_ASSERT_EQUAL(bl_stream_id_parse("17000", &ms, &seq), -1);
    CU_ASSERT_EQUAL(bl_stream_id_parse("-1", &ms, &seq), -1);
    CU_ASSERT_EQUAL(bl_stream_id_parse("1-", &ms, &seq), -1);
    CU_ASSERT_EQUAL(bl_stream_id_parse("1-2-3", &ms, &seq), -1);
    CU_ASSERT_EQUAL(bl_stream_id_parse("a-1", &ms, &seq), -1);
    CU_ASSERT_EQUAL(bl_stream_id_parse(NULL, &ms, &seq), -1);
}

/* A TASK_UPDATED document with the given event_data members (JSON text without braces). */
#define EV(members)                                                                                \
    "{\"event_id\":\"8a0b2f8e-2c1d-4c9a-9b0e-0f6a4d1e7c55\",\"event_type\":\"TASK_UPDATED\","     \
    "\"timestamp\":\"2025-09-17T14:00:05.412233\",\"aggregate_id\":\"TIT007-TASK003\","            \
    "\"aggregate_type\":\"Task\",\"event_data\":{" members "},\"metadata\":{\"source_service\":" \
    "\"SprintService\",\"correlation_id\":\"x\"}}"

static bl_ev_result_e parse(const char *data, bl_event_t *ev)
{
    char err[128];
    bl_ev_result_e rc = bl_event_parse(data, ev, err, sizeof err);

    CU_ASSERT_TRUE(rc != BL_EV_MALFORMED || err[0] != '\0');
    return rc;
}

static void test_event_full(void)
{
    bl_event_t ev;

    CU_ASSERT_EQUAL(parse(EV("\"task_id\":\"TIT007-TASK003\",\"project_id\":\"TIT007\","
                             "\"sprint_id\":\"TIT007-S14\",\"status\":\"in_progress\","
                             "\"progress_percentage\":45,\"updated_at\":\"2025-09-17T14:00:05\","
                             "\"assigned_to\":\"E015\""),
                          &ev),
                    BL_EV_APPLY);
    CU_ASSERT_STRING_EQUAL(ev.event_id, "8a0b2f8e-2c1d-4c9a-9b0e-0f6a4d1e7c55");
    CU_ASSERT_STRING_EQUAL(ev.task_id, "TIT007-TASK003");
    CU_ASSERT_STRING_EQUAL(ev.status, "in_progress");
    CU_ASSERT_TRUE(ev.has_progress);
    CU_ASSERT_EQUAL(ev.progress, 45);
    CU_ASSERT_EQUAL(ev.sprint, BL_SPRINT_SET);
    CU_ASSERT_STRING_EQUAL(ev.sprint_id, "TIT007-S14");
    CU_ASSERT_STRING_EQUAL(ev.assigned_to, "E015");
    bl_event_free(&ev);
    CU_ASSERT_PTR_NULL(ev.doc);
}

static void test_event_partial(void)
{
    bl_event_t ev;

    /* status only (S10 without progress): applied, progress kept */
    CU_ASSERT_EQUAL(parse(EV("\"task_id\":\"P-TASK001\",\"status\":\"completed\","
                             "\"progress_percentage\":null,\"sprint_id\":null,"
                             "\"assigned_to\":\"unassigned\""),
                          &ev),
                    BL_EV_APPLY);
    CU_ASSERT_STRING_EQUAL(ev.status, "completed");
    CU_ASSERT_FALSE(ev.has_progress);
    CU_ASSERT_EQUAL(ev.sprint, BL_SPRINT_KEEP);
    CU_ASSERT_PTR_NULL(ev.assigned_to);
    bl_event_free(&ev);

    /* progress as 35.0 and "35", no status */
    CU_ASSERT_EQUAL(parse(EV("\"task_id\":\"P-TASK001\",\"progress_percentage\":35.0"), &ev),
                    BL_EV_APPLY);
    CU_ASSERT_PTR_NULL(ev.status);
    CU_ASSERT_EQUAL(ev.progress, 35);
    bl_event_free(&ev);
    CU_ASSERT_EQUAL(parse(EV("\"task_id\":\"P-TASK001\",\"progress_percentage\":\"100\""), &ev),
                    BL_EV_APPLY);
    CU_ASSERT_EQUAL(ev.progress, 100);
    bl_event_free(&ev);

    /* back to the backlog: status unassigned clears the sprint even when one is given */
    CU_ASSERT_EQUAL(parse(EV("\"task_id\":\"P-TASK001\",\"status\":\"unassigned\","
                             "\"sprint_id\":\"P-S01\""),
                          &ev),
                    BL_EV_APPLY);
    CU_ASSERT_EQUAL(ev.sprint, BL_SPRINT_CLEAR);
    CU_ASSERT_PTR_NULL(ev.sprint_id);
    bl_event_free(&ev);

    /* nothing to apply */
    CU_ASSERT_EQUAL(parse(EV("\"task_id\":\"P-TASK001\",\"status\":null,\"assigned_to\":\"\""),
                          &ev),
                    BL_EV_IGNORE);
    bl_event_free(&ev);

    /* no event_id: the caller keys the inbox on the stream id */
    CU_ASSERT_EQUAL(parse("{\"event_type\":\"TASK_UPDATED\",\"event_data\":{\"task_id\":\"T\","
                          "\"status\":\"in_progress\"}}",
                          &ev),
                    BL_EV_APPLY);
    CU_ASSERT_PTR_NULL(ev.event_id);
    bl_event_free(&ev);
}

static void test_event_other_types(void)
{
    bl_event_t ev;

    CU_ASSERT_EQUAL(parse("{\"event_type\":\"SprintStarted\",\"payload\":{}}", &ev),
                    BL_EV_IGNORE);
    bl_event_free(&ev);
    CU_ASSERT_EQUAL(parse("{\"event_type\":\"TASK_PROGRESSED\",\"task_id\":\"X\"}", &ev),
                    BL_EV_IGNORE);
    bl_event_free(&ev);
}

static void test_event_malformed(void)
{
    static const char *const bad[] = {
        NULL,
        "",
        "not json",
        "[1,2]",
        "{\"event_type\":\"TASK_UPDATED\"} trailing",
        "{\"event_data\":{\"task_id\":\"T\",\"status\":\"completed\"}}", /* no event_type */
        "{\"event_type\":5}",
        "{\"event_type\":\"TASK_UPDATED\"}",                              /* no event_data */
        "{\"event_type\":\"TASK_UPDATED\",\"event_data\":[]}",
        EV("\"status\":\"completed\""),                                   /* no task_id */
        EV("\"task_id\":\"\",\"status\":\"completed\""),
        EV("\"task_id\":7,\"status\":\"completed\""),
        EV("\"task_id\":\"T\",\"status\":\"done\""),
        EV("\"task_id\":\"T\",\"status\":5"),
        EV("\"task_id\":\"T\",\"progress_percentage\":-1"),
        EV("\"task_id\":\"T\",\"progress_percentage\":101"),
        EV("\"task_id\":\"T\",\"progress_percentage\":45.5"),
        EV("\"task_id\":\"T\",\"progress_percentage\":\"ten\""),
        EV("\"task_id\":\"T\",\"progress_percentage\":true"),
        EV("\"task_id\":\"T\",\"progress_percentage\":99999999999999999999999"),
        EV("\"task_id\":\"T\",\"sprint_id\":1,\"status\":\"completed\""),
        EV("\"task_id\":\"T\",\"assigned_to\":[],\"status\":\"completed\""),
        EV("\"task_id\":\"T\\u0000X\",\"status\":\"completed\""),          /* NUL */
        "{\"event_type\":\"TASK_UPDATED\",\"event_data\":{\"task_id\":\"\xFF\"}}", /* bad UTF-8 */
    };
    bl_event_t ev;
    char err[128];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bl_ev_result_e rc = bl_event_parse(bad[i], &ev, err, sizeof err);
        CU_ASSERT_EQUAL(rc, BL_EV_MALFORMED);
        if (rc != BL_EV_MALFORMED)
            fprintf(stderr, "accepted bad event #%zu\n", i);
        CU_ASSERT_TRUE(err[0] != '\0');
        bl_event_free(&ev);
    }
}

static void test_event_long_strings(void)
{
    char doc[1024], id[300];
    bl_event_t ev;

    memset(id, 'x', 256);
    id[256] = '\0';
    snprintf(doc, sizeof doc, EV("\"task_id\":\"%s\",\"status\":\"completed\""), id);
    CU_ASSERT_EQUAL(parse(doc, &ev), BL_EV_MALFORMED);
    bl_event_free(&ev);
    id[255] = '\0';
    snprintf(doc, sizeof doc, EV("\"task_id\":\"%s\",\"status\":\"completed\""), id);
    CU_ASSERT_EQUAL(parse(doc, &ev), BL_EV_APPLY);
    bl_event_free(&ev);
}

DSM_SUITE("plugins/backlog/logic", NULL, NULL, DSM_TEST(test_template), DSM_TEST(test_task_id),
          DSM_TEST(test_vocabulary), DSM_TEST(test_text), DSM_TEST(test_sqlstate),
          DSM_TEST(test_stream_id), DSM_TEST(test_event_full), DSM_TEST(test_event_partial),
          DSM_TEST(test_event_other_types), DSM_TEST(test_event_malformed),
          DSM_TEST(test_event_long_strings));
