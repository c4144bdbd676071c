/*
 * test_chronicle_events.c — the Chronicle pool's stream consumers (group "chronicle-service"):
 * STRATEGY_APPLIED on orchestration_events and STRATEGY_EVOLVED on agent_learning_events each
 * become exactly one audit note, visible through GET /v1/notes/decision_audit?project_id=…,
 * even when the group is rewound and every message is delivered again. Events are added with
 * redis-cli on 127.0.0.1:$DSM_TEST_REDIS_PORT (default 16380).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dsm_test.h"
#include "it_http.h"

static char evp[64]; /* per-run project id of the events */

static int ev_init(void)
{
    snprintf(evp, sizeof evp, "CHEV%ld-%ld", (long)getpid(), (long)time(NULL));
    return 0;
}

static const char *redis_port(void)
{
    const char *p = getenv("DSM_TEST_REDIS_PORT");

    return p != NULL && p[0] != '\0' ? p : "16380";
}

/* Runs redis-cli with args (already shell-quoted); 0 on success. */
static int redis(const char *args)
{
    char *cmd = it_fmt("redis-cli -h 127.0.0.1 -p %s %s >/dev/null 2>&1", redis_port(), args);
    int rc = system(cmd);

    free(cmd);
    return rc;
}

/* XADD stream * data '<json>' (json must not contain a single quote). */
static int xadd(const char *stream, const char *json)
{
    char *args = it_fmt("XADD %s '*' data '%s'", stream, json);
    int rc = redis(args);

    free(args);
    return rc;
}

/* The audit notes of project pid whose event_id is id (0 when the request failed). */
static int notes_with(const char *pid, const char *id, json_object **found)
{
    char *path = it_fmt("/v1/notes/decision_audit?project_id=%s", pid);
    it_resp_t r = it_req("GET", path, NULL, NULL);
    int n = 0;

    IT_CHECK(r.status == 200 && r.json != NULL && json_object_is_type(r.json, json_type_array),
             "GET %s -> %s", path, it_describe(&r));
    for (size_t i = 0; r.json != NULL && json_object_is_type(r.json, json_type_array) &&
                       i < json_object_array_length(r.json);
         i++) {
        json_object *e = json_object_array_get_idx(r.json, i), *v;

        if (json_object_object_get_ex(e, "event_id", &v) &&
            strcmp(json_object_get_string(v), id) == 0) {
            n++;
            if (found != NULL && *found == NULL)
                *found = json_object_get(e);
        }
    }
    it_free(&r);
    free(path);
    return n;
}

/* Polls (up to 15 s) until the note of event id shows up; returns how many there are. */
static int wait_note(const char *pid, const char *id, json_object **found)
{
    int n = 0;

    for (int i = 0; i < 150 && n == 0; i++) {
        n = notes_with(pid, id, found);
        if (n == 0)
            usleep(100000);
    }
    return n;
}

static const char *str_at(json_object *o, const char *key)
{
    json_object *v = NULL;

    return o != NULL && json_object_object_get_ex(o, key, &v) && v != NULL
               ? json_object_get_string(v)
               : NULL;
}

static int is(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static void test_strategy_applied_once(void)
{
    char *json = it_fmt("{\"event_id\":\"%s-ap\",\"event_type\":\"STRATEGY_APPLIED\","
                        "\"timestamp\":\"2025-09-18T14:00:00\",\"correlation_id\":\"c-1\","
                        "\"payload\":{\"project_id\":\"%s\",\"sprint_id\":\"%s-S01\","
                        "\"strategy_id\":\"st-1\",\"confidence\":0.8}}",
                        evp, evp, evp);
    char *id = it_fmt("%s-ap", evp), *sprint = it_fmt("%s-S01", evp);
    json_object *note = NULL;
    int n;

    CU_ASSERT_EQUAL_FATAL(xadd("orchestration_events", json), 0);
    n = wait_note(evp, id, &note);
    IT_CHECK(n == 1, "STRATEGY_APPLIED stored exactly once (found %d)", n);
    IT_CHECK(is(str_at(note, "event_type"), "STRATEGY_APPLIED") &&
                 is(str_at(note, "stream"), "orchestration_events") &&
                 str_at(note, "stream_id") != NULL && is(str_at(note, "source"), "redis_stream") &&
                 is(str_at(note, "project_id"), evp) && is(str_at(note, "sprint_id"), sprint) &&
                 is(str_at(note, "correlation_id"), "c-1"),
             "audit note fields: %s", note != NULL ? it_compact(note) : "-");
    if (note != NULL)
        json_object_put(note);
    free(json);
    free(id);
    free(sprint);
}

static void test_strategy_evolved_once(void)
{
    char *json = it_fmt("{\"event_id\":\"%s-ev\",\"event_type\":\"STRATEGY_EVOLVED\","
                        "\"project_id\":\"%s\",\"payload\":{\"strategies_generated\":2,"
                        "\"strategies_updated\":1}}",
                        evp, evp);
    char *id = it_fmt("%s-ev", evp);
    json_object *note = NULL;
    int n;

    CU_ASSERT_EQUAL_FATAL(xadd("agent_learning_events", json), 0);
    n = wait_note(evp, id, &note);
    IT_CHECK(n == 1, "STRATEGY_EVOLVED stored exactly once (found %d)", n);
    IT_CHECK(is(str_at(note, "stream"), "agent_learning_events") &&
                 is(str_at(note, "event_type"), "STRATEGY_EVOLVED"),
             "evolved note: %s", note != NULL ? it_compact(note) : "-");
    if (note != NULL)
        json_object_put(note);
    free(json);
    free(id);
}

/* Other event types and malformed messages are acknowledged without a note; the consumer keeps
 * going (a later event is stored). */
static void test_ignored_and_malformed(void)
{
    char *daily =
        it_fmt("{\"project_id\":\"%s\",\"event_id\":\"%s-daily\",\"reports\":{}}", evp, evp);
    char *wrong = it_fmt("{\"event_id\":\"%s-wrong\",\"event_type\":\"STRATEGY_EVOLVED\","
                         "\"project_id\":\"%s\"}",
                         evp, evp); /* an evolved event on the other stream */
    char *marker = it_fmt("{\"event_id\":\"%s-m1\",\"event_type\":\"STRATEGY_APPLIED\","
                          "\"project_id\":\"%s\"}",
                          evp, evp);
    char *id = it_fmt("%s-m1", evp), *idd = it_fmt("%s-daily", evp), *idw = it_fmt("%s-wrong", evp);

    CU_ASSERT_EQUAL_FATAL(xadd("orchestration_events", daily), 0);
    CU_ASSERT_EQUAL_FATAL(xadd("orchestration_events", wrong), 0);
    CU_ASSERT_EQUAL_FATAL(xadd("orchestration_events", "not json"), 0);
    CU_ASSERT_EQUAL_FATAL(redis("XADD orchestration_events '*' other field"), 0);
    CU_ASSERT_EQUAL_FATAL(xadd("orchestration_events", marker), 0);
    IT_CHECK(wait_note(evp, id, NULL) == 1, "the event after the bad ones is stored");
    usleep(300000);
    IT_CHECK(notes_with(evp, idd, NULL) == 0, "the orchestrator's daily payload is not a note");
    IT_CHECK(notes_with(evp, idw, NULL) == 0, "STRATEGY_EVOLVED on orchestration_events ignored");
    free(daily);
    free(wrong);
    free(marker);
    free(id);
    free(idd);
    free(idw);
}

/* Rewind the group: every message of both streams is delivered again; still one note each. */
static void test_redelivery_is_idempotent(void)
{
    char *marker = it_fmt("{\"event_id\":\"%s-m2\",\"event_type\":\"STRATEGY_APPLIED\","
                          "\"project_id\":\"%s\"}",
                          evp, evp);
    char *m2 = it_fmt("%s-m2", evp), *ap = it_fmt("%s-ap", evp), *ev = it_fmt("%s-ev", evp);
    char *m1 = it_fmt("%s-m1", evp);

    CU_ASSERT_EQUAL_FATAL(redis("XGROUP SETID orchestration_events chronicle-service 0"), 0);
    CU_ASSERT_EQUAL_FATAL(redis("XGROUP SETID agent_learning_events chronicle-service 0"), 0);
    CU_ASSERT_EQUAL_FATAL(xadd("orchestration_events", marker), 0);
    IT_CHECK(wait_note(evp, m2, NULL) == 1, "marker after the rewind stored");
    usleep(1500000); /* the other instance may still be replaying its share */
    IT_CHECK(notes_with(evp, ap, NULL) == 1, "STRATEGY_APPLIED still exactly once after replay");
    IT_CHECK(notes_with(evp, ev, NULL) == 1, "STRATEGY_EVOLVED still exactly once after replay");
    IT_CHECK(notes_with(evp, m1, NULL) == 1, "marker 1 still exactly once after replay");
    free(marker);
    free(m2);
    free(ap);
    free(ev);
    free(m1);
}

DSM_SUITE("integration/chronicle_events", ev_init, NULL, DSM_TEST(test_strategy_applied_once),
          DSM_TEST(test_strategy_evolved_once), DSM_TEST(test_ignored_and_malformed),
          DSM_TEST(test_redelivery_is_idempotent));
