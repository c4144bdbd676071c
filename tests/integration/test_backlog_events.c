/*
 * test_backlog_events.c — the Backlog service's consumer of task_update_events (api.md §8.1,
 * TASK_UPDATED) in the running stack: messages are added with redis-cli (port
 * DSM_TEST_REDIS_PORT, default 16380), then the test waits until the consumer group
 * "backlog-service" has read everything and has nothing pending (XINFO), and reads the effect
 * through GET /backlogs/{project_id}.
 *
 * "Exactly once in effect" is made observable with absolute values: event A (progress 40),
 * then B (progress 60), then A again → 60 (applied twice it would be 40). True redeliveries of
 * already-applied messages are forced twice: with XGROUP SETID (the group re-reads the stream)
 * and with XCLAIM ... FORCE to a consumer that never acknowledges (a dead instance: the pool
 * takes the entry over with XAUTOCLAIM after consumer_idle_ms — 3 s in the test stack, so that
 * test takes about 4 s; up to 45 s are allowed). A synchronous change (B7) made after the
 * first application must survive each replay.
 */
#include "dsm_test.h"
#include "it_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STREAM "task_update_events"
#define GROUP "backlog-service"

static char run_id[48]; /* ITE<pid>-<time> */
static char prj[64];
static int ready; /* the project and its backlog exist */
static char first_id[64]; /* the suite's first message */

static const char *redis_port(void)
{
    const char *p = getenv("DSM_TEST_REDIS_PORT");
    return p != NULL && p[0] != '\0' ? p : "16380";
}

/* Run redis-cli with args (shell words; callers quote), first output line into out. */
static int redis(char *out, size_t n, const char *args)
{
    char *cmd = it_fmt("redis-cli -h 127.0.0.1 -p %s %s 2>&1", redis_port(), args);
    FILE *f = popen(cmd, "r");
    char line[512] = "";
    int rc;

    free(cmd);
    if (f == NULL)
        return -1;
    if (fgets(line, sizeof line, f) == NULL)
        line[0] = '\0';
    while (fgetc(f) != EOF) {
    }
    rc = pclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    if (out != NULL)
        snprintf(out, n, "%s", line);
    return rc;
}

/* XADD task_update_events * data <json>; the message id into id (64 bytes). */
static int xadd(char id[64], const char *json)
{
    char *args;
    int rc;

    CU_ASSERT_PTR_NULL_FATAL(strchr(json, '\''));
    args = it_fmt("XADD " STREAM " '*' data '%s'", json);
    rc = redis(id, 64, args);
    free(args);
    if (first_id[0] == '\0')
        memcpy(first_id, id, 64);
    IT_CHECK(rc == 0 && strchr(id, '-') != NULL, "XADD -> %s", id);
    return rc;
}

/* A TASK_UPDATED document (the Sprint service's shape, api.md §8.1). */
static char *event_doc(const char *event_id, int task, const char *status, const char *progress,
                       const char *sprint, const char *assigned)
{
    return it_fmt("{\"event_id\":\"%s\",\"event_type\":\"TASK_UPDATED\","
                  "\"timestamp\":\"2025-09-18T14:00:04.918273\",\"aggregate_id\":\"%s-TASK%03d\","
                  "\"aggregate_type\":\"Task\",\"event_data\":{\"task_id\":\"%s-TASK%03d\","
                  "\"project_id\":\"%s\",\"sprint_id\":%s,\"status\":%s,"
                  "\"progress_percentage\":%s,\"updated_at\":\"2025-09-18T14:00:04.918301\","
                  "\"assigned_to\":%s},\"metadata\":{\"source_service\":\"SprintService\","
                  "\"correlation_id\":\"%s-corr\"}}",
                  event_id, prj, task, prj, task, prj, sprint, status, progress, assigned,
                  run_id);
}

#define LINE 256

/* The value line that follows the key line `key` in the output of redis-cli args, looking only
 * after the line `after` when it is not NULL (XINFO replies are key/value lines). */
static int xinfo_value(const char *args, const char *after, const char *key, char out[LINE])
{
    char *cmd = it_fmt("redis-cli -h 127.0.0.1 -p %s %s", redis_port(), args);
    FILE *f = popen(cmd, "r");
    char line[LINE], prev[LINE] = "";
    int armed = after == NULL, found = 0;

    free(cmd);
    out[0] = '\0';
    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!armed && strcmp(line, after) == 0)
            armed = 1;
        else if (armed && !found && strcmp(prev, key) == 0) {
            memcpy(out, line, LINE);
            found = 1;
        }
        memcpy(prev, line, LINE);
    }
    pclose(f);
    return found;
}

/* The group has read up to the stream's last id and has nothing pending. (The lag field is
 * not used: it is unknown after XGROUP SETID.) */
static int drained(void)
{
    char pending[LINE], delivered[LINE], last[LINE];

    if (!xinfo_value("XINFO GROUPS " STREAM, GROUP, "pending", pending) ||
        !xinfo_value("XINFO GROUPS " STREAM, GROUP, "last-delivered-id", delivered) ||
        !xinfo_value("XINFO STREAM " STREAM, NULL, "last-generated-id", last))
        return 0;
    return strcmp(pending, "0") == 0 && strcmp(delivered, last) == 0;
}

/* Wait (seconds at most) until the consumer group has handled every message. */
static int wait_drained_for(int seconds)
{
    for (int i = 0; i < seconds * 20; i++) {
        if (drained())
            return 1;
        usleep(50000);
    }
    return 0;
}

static int wait_drained(void)
{
    return wait_drained_for(10);
}

/* The compact Task JSON of task n of prj (malloc'd). */
static char *task_now(int n)
{
    char *path = it_fmt("/backlogs/%s", prj), *id = it_fmt("%s-TASK%03d", prj, n), *out;
    it_resp_t r = it_req("GET", path, NULL, NULL);
    json_object *t = r.json != NULL ? it_array_find(r.json, "task_id", id) : NULL;

    out = it_fmt("%s", t != NULL ? it_compact(t) : "(missing)");
    it_free(&r);
    free(path);
    free(id);
    return out;
}

/* The mutable part of task n: "<status>|<assigned>|<sprint>|<progress>" (malloc'd). */
static char *task_state(int n)
{
    char *path = it_fmt("/backlogs/%s", prj), *id = it_fmt("%s-TASK%03d", prj, n), *out;
    it_resp_t r = it_req("GET", path, NULL, NULL);
    json_object *t = r.json != NULL ? it_array_find(r.json, "task_id", id) : NULL;
    json_object *s = NULL, *a = NULL, *sp = NULL, *p = NULL;

    if (t != NULL) {
        json_object_object_get_ex(t, "status", &s);
        json_object_object_get_ex(t, "assigned_to", &a);
        json_object_object_get_ex(t, "sprint_id", &sp);
        json_object_object_get_ex(t, "progress_percentage", &p);
    }
    out = t == NULL ? it_fmt("(missing)")
                    : it_fmt("%s|%s|%s|%s", s ? json_object_get_string(s) : "null",
                             a ? json_object_get_string(a) : "null",
                             sp ? json_object_get_string(sp) : "null",
                             p ? json_object_get_string(p) : "null");
    it_free(&r);
    free(path);
    free(id);
    return out;
}

/* Poll (10 s at most) until task n is in state want; returns 1 when it got there. */
static int wait_state(int n, const char *want)
{
    for (int i = 0; i < 200; i++) {
        char *s = task_state(n);
        int ok = strcmp(s, want) == 0;
        free(s);
        if (ok)
            return 1;
        usleep(50000);
    }
    return 0;
}

static void expect_state(int n, const char *want, const char *what)
{
    char *s = task_state(n);
    IT_CHECK(strcmp(s, want) == 0, "%s: task %d is %s, want %s", what, n, s, want);
    free(s);
}

static int suite_init(void)
{
    char *body, *path;
    it_resp_t r;

    snprintf(run_id, sizeof run_id, "ITE%ld-%ld", (long)getpid(), (long)time(NULL));
    snprintf(prj, sizeof prj, "%s-P", run_id);
    body = it_fmt("{\"id\":\"%s\",\"name\":\"IT events\",\"description\":\"d\","
                  "\"status\":\"inactive\"}",
                  prj);
    r = it_json("POST", "/projects", body);
    ready = r.status == 201;
    it_free(&r);
    free(body);
    path = it_fmt("/backlogs/%s", prj);
    r = it_req("POST", path, NULL, NULL);
    ready = ready && r.status == 201;
    it_free(&r);
    free(path);
    return 0;
}

/* Messages handled by the backlog pool's consumers (both instances, /admin/status). */
static long handled(void)
{
    long total = 0;

    for (int n = 1; n <= 2; n++) {
        char *path = it_fmt("/admin/backlog/%d/status", n);
        it_resp_t r = it_admin_req("GET", path, NULL, NULL);
        json_object *cons = it_get(&r, "consumers");
        for (size_t i = 0; cons != NULL && i < json_object_array_length(cons); i++) {
            json_object *v;
            if (json_object_object_get_ex(json_object_array_get_idx(cons, i), "handled", &v))
                total += (long)json_object_get_int64(v);
        }
        it_free(&r);
        free(path);
    }
    return total;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_apply_full_event(void)
{
    char id[64], *doc, *ev = it_fmt("%s-e1", run_id), *got, *want;

    CU_ASSERT_FATAL(ready);
    doc = event_doc(ev, 1, "\"in_progress\"", "35", "\"S01\"", "\"E001\"");
    xadd(id, doc);
    IT_CHECK(wait_state(1, "in_progress|E001|S01|35"), "TASK_UPDATED applied");
    got = task_now(1);
    want = it_fmt("{\"task_id\":\"%s-TASK001\",\"project_id\":\"%s\",\"title\":\"Setup "
                  "development environment\",\"description\":\"Configure IDEs and necessary "
                  "tools.\",\"status\":\"in_progress\",\"assigned_to\":\"E001\",\"sprint_id\":"
                  "\"S01\",\"progress_percentage\":35}",
                  prj, prj);
    IT_CHECK(strcmp(got, want) == 0, "task after the event: %s", got);
    IT_CHECK(wait_drained(), "consumer group drained (pending 0, nothing unread)");
    free(got);
    free(want);
    free(doc);
    free(ev);
}

/* The same event published twice, after a later one: applied once in effect. */
static void test_same_event_twice(void)
{
    char id[64], *a_id = it_fmt("%s-a", run_id), *b_id = it_fmt("%s-b", run_id);
    char *a = event_doc(a_id, 2, "\"in_progress\"", "40", "\"S01\"", "\"E002\"");
    char *b = event_doc(b_id, 2, "\"in_progress\"", "60", "\"S01\"", "\"E002\"");

    CU_ASSERT_FATAL(ready);
    xadd(id, a);
    xadd(id, b);
    xadd(id, a); /* the same event again (a producer retry) */
    IT_CHECK(wait_drained(), "consumer group drained");
    expect_state(2, "in_progress|E002|S01|60", "A, B, A again");
    free(a);
    free(b);
    free(a_id);
    free(b_id);
}

/* Messages delivered a second time (the group re-reads the stream: XGROUP SETID) change
 * nothing: a later synchronous change (B7) must survive the replay. */
static void test_redelivery_not_applied_twice(void)
{
    char id1[64], id2[64], back[64], out[128], *args, *sync_path;
    char *e1 = it_fmt("%s-r1", run_id), *e2 = it_fmt("%s-r2", run_id);
    char *d1 = event_doc(e1, 3, "\"in_progress\"", "30", "\"S01\"", "\"E003\"");
    char *d2 = event_doc(e2, 3, "\"in_progress\"", "70", "\"S01\"", "\"E003\"");
    long long ms = 0;
    long h0;
    it_resp_t r;

    CU_ASSERT_FATAL(ready);
    xadd(id1, d1);
    xadd(id2, d2);
    IT_CHECK(wait_drained(), "consumer group drained");
    expect_state(3, "in_progress|E003|S01|70", "after two events");

    sync_path = it_fmt("/tasks/%s-TASK003", prj);
    r = it_json("PUT", sync_path, "{\"progress_percentage\":10}");
    IT_CHECK(r.status == 200, "B7: %s", it_describe(&r));
    it_free(&r);
    expect_state(3, "in_progress|E003|S01|10", "after B7");

    /* rewind the group to just before the suite's first message: every message of the tests
     * so far (6) is delivered again */
    sscanf(first_id, "%lld", &ms);
    snprintf(back, sizeof back, "%lld-0", ms > 0 ? ms - 1 : 0);
    h0 = handled();
    args = it_fmt("XGROUP SETID " STREAM " " GROUP " %s", back);
    IT_CHECK(redis(out, sizeof out, args) == 0 && strcmp(out, "OK") == 0, "XGROUP SETID: %s",
             out);
    free(args);
    IT_CHECK(wait_drained(), "consumer group drained after the rewind");
    IT_CHECK(handled() - h0 >= 6, "the 6 messages were delivered again: %ld handled",
             handled() - h0);
    expect_state(3, "in_progress|E003|S01|10", "redelivered events were not applied again");
    expect_state(2, "in_progress|E002|S01|60", "redelivered A, B, A (the test above)");
    expect_state(1, "in_progress|E001|S01|35", "redelivered first event");
    free(sync_path);
    free(d1);
    free(d2);
    free(e1);
    free(e2);
}

/* A message left pending by a dead consumer is taken over (XAUTOCLAIM after consumer_idle_ms,
 * 3 s in the test stack) and delivered again: already applied, it changes nothing. The dead
 * consumer's pending entry is made with XCLAIM ... FORCE on a message the pool already
 * handled (exactly what a crash between COMMIT and XACK leaves behind). */
static void test_dead_consumer_reclaimed(void)
{
    char id[64], out[128], *args, *path;
    char *e = it_fmt("%s-dead", run_id), *d = event_doc(e, 6, "\"in_progress\"", "55", "\"S01\"",
                                                        "\"E006\"");
    it_resp_t r;

    CU_ASSERT_FATAL(ready);
    xadd(id, d);
    IT_CHECK(wait_drained(), "consumer group drained");
    expect_state(6, "in_progress|E006|S01|55", "event applied");
    path = it_fmt("/tasks/%s-TASK006", prj);
    r = it_json("PUT", path, "{\"progress_percentage\":5}");
    IT_CHECK(r.status == 200, "B7: %s", it_describe(&r));
    it_free(&r);

    args = it_fmt("XCLAIM " STREAM " " GROUP " it-dead-%s 0 %s FORCE JUSTID", run_id, id);
    IT_CHECK(redis(out, sizeof out, args) == 0 && strcmp(out, id) == 0, "XCLAIM FORCE: %s", out);
    free(args);
    IT_CHECK(!drained(), "the dead consumer's entry is pending");
    /* consumer_idle_ms is 3 s in the test stack (30 s by default) */
    IT_CHECK(wait_drained_for(45), "the pool took the entry over and acknowledged it");
    expect_state(6, "in_progress|E006|S01|5", "the redelivered event was not applied again");
    args = it_fmt("XGROUP DELCONSUMER " STREAM " " GROUP " it-dead-%s", run_id);
    redis(out, sizeof out, args);
    free(args);
    free(path);
    free(d);
    free(e);
}

/* Status-only updates (progress null) reach the backlog; "unassigned" clears the sprint;
 * assigned_to null / "unassigned" keeps the assignee. */
static void test_partial_events(void)
{
    char id[64], *e = it_fmt("%s-p1", run_id), *d;

    CU_ASSERT_FATAL(ready);
    d = event_doc(e, 1, "\"completed\"", "null", "\"S01\"", "\"unassigned\"");
    xadd(id, d);
    IT_CHECK(wait_state(1, "completed|E001|S01|35"), "status-only event applied");
    free(d);
    free(e);

    e = it_fmt("%s-p2", run_id);
    d = event_doc(e, 4, "\"assigned_to_sprint\"", "0", "\"S02\"", "\"E004\"");
    xadd(id, d);
    IT_CHECK(wait_state(4, "assigned_to_sprint|E004|S02|0"), "assignment event applied");
    free(d);
    free(e);

    e = it_fmt("%s-p3", run_id);
    d = event_doc(e, 4, "\"unassigned\"", "20", "\"S02\"", "null");
    xadd(id, d);
    IT_CHECK(wait_state(4, "unassigned|E004|null|20"), "back-to-backlog event applied");
    free(d);
    free(e);
}

/* Malformed documents, other event types and unknown tasks are acknowledged without effect;
 * the consumer goes on with the next message. */
static void test_bad_events_acknowledged(void)
{
    char id[64], *before = task_state(5), *after, *e, *d;
    static const char *const junk[] = {
        "not json",
        "{\"event_type\":\"TASK_UPDATED\"}",
        "{\"event_type\":\"SprintStarted\",\"payload\":{\"tasks\":[]}}",
        "[]",
    };

    CU_ASSERT_FATAL(ready);
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
        xadd(id, junk[i]);
    e = it_fmt("%s-bad1", run_id);
    d = event_doc(e, 5, "\"finished\"", "50", "\"S01\"", "\"E005\""); /* unknown status */
    xadd(id, d);
    free(d);
    free(e);
    e = it_fmt("%s-bad2", run_id);
    d = event_doc(e, 5, "\"in_progress\"", "101", "\"S01\"", "\"E005\""); /* progress > 100 */
    xadd(id, d);
    free(d);
    free(e);
    e = it_fmt("%s-bad3", run_id);
    d = event_doc(e, 99, "\"in_progress\"", "50", "\"S01\"", "\"E005\""); /* unknown task */
    xadd(id, d);
    free(d);
    free(e);
    {
        char *raw = it_fmt("{\"event_type\":\"TASK_UPDATED\",\"event_data\":{\"task_id\":"
                           "\"%s-TASK005\",\"status\":\"in_progress\"}}",
                           prj); /* no event_id: keyed on the stream id */
        xadd(id, raw);
        free(raw);
    }
    IT_CHECK(wait_drained(), "bad messages acknowledged (nothing pending)");
    after = task_state(5);
    IT_CHECK(strncmp(after, "in_progress|", 12) == 0, "the valid message after them: %s -> %s",
             before, after);
    IT_CHECK(strstr(after, "|50") == NULL, "no bad message applied: %s", after);
    free(before);
    free(after);
}

DSM_SUITE("integration/backlog/events", suite_init, NULL, DSM_TEST(test_apply_full_event),
          DSM_TEST(test_same_event_twice), DSM_TEST(test_redelivery_not_applied_twice),
          DSM_TEST(test_dead_consumer_reclaimed),
          DSM_TEST(test_partial_events), DSM_TEST(test_bad_events_acknowledged));
