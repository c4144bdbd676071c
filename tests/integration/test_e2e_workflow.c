/*
 * test_e2e_workflow.c — the whole DSM workflow through nginx, as issue 5 defines "done":
 * create a project (P3), its team (P13 + P19), generate its backlog (B4), start a sprint (S5),
 * run the daily scrum (S13, force=true, a fixed seed) until every task is done (bounded loop),
 * close the sprint (S11); then the Backlog (B5, B6), the sprint database (S7, S8, S9, S12) and
 * the Chronicle (C8 daily reports, C9 retrospective, C10 planning note) must agree, and every
 * event must have been published (counted in the streams) and consumed (the Backlog reflects
 * the final state; the backlog group has nothing pending and no lag).
 * DSM_TEST_REDIS_PORT (default 16380) is used with redis-cli for the stream checks.
 */
#include "dsm_test.h"
#include "it_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define E2E_TASKS 10
#define E2E_MAX_SCRUMS 25 /* 100 % / 5 points = 20 runs in the worst case */

static char pid[24], sid[32], emp[3][32], today[11];

static int e2e_init(void)
{
    time_t now = time(NULL);
    unsigned v = (unsigned)getpid() * 104729u + (unsigned)now * 31u;
    struct tm tm;

    snprintf(pid, sizeof pid, "E2E%06u", v % 1000000u);
    snprintf(sid, sizeof sid, "%s-S01", pid);
    for (int i = 0; i < 3; i++)
        snprintf(emp[i], sizeof emp[i], "%s-E%d", pid, i + 1);
    localtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    return 0;
}

static json_object *jget(json_object *o, const char *key)
{
    json_object *v = NULL;

    return o != NULL && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v = jget(o, key);

    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

static int jint(json_object *o, const char *key)
{
    json_object *v = jget(o, key);

    return v != NULL && json_object_is_type(v, json_type_int) ? json_object_get_int(v) : -999;
}

static it_resp_t must(const char *method, const char *path, const char *body, long status)
{
    it_resp_t r = body != NULL ? it_json(method, path, body) : it_req(method, path, NULL, NULL);

    IT_CHECK(r.status == status, "%s %s -> %s (want %ld)", method, path, it_describe(&r), status);
    return r;
}

static char *redis(const char *args)
{
    const char *port = getenv("DSM_TEST_REDIS_PORT");
    char *cmd = it_fmt("redis-cli -h 127.0.0.1 -p %s %s 2>/dev/null", port ? port : "16380", args);
    FILE *f = popen(cmd, "r");
    size_t cap = 1 << 20, len = 0, n;
    char *out = malloc(cap);

    while (f != NULL && out != NULL && (n = fread(out + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 >= cap) {
            char *bigger = realloc(out, cap * 2);

            if (bigger == NULL)
                break;
            out = bigger;
            cap *= 2;
        }
    }
    if (f != NULL)
        pclose(f);
    if (out != NULL)
        out[len] = '\0';
    free(cmd);
    return out != NULL ? out : strdup("");
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);

    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + len, needle))
        n++;
    return n;
}

/* The value line after the line `key` in redis-cli's raw XINFO output, as a number (-1). */
static long xinfo_value(const char *out, const char *key)
{
    char *line = it_fmt("\n%s\n", key);
    const char *p = strstr(out, line);
    long v = -1;

    if (p == NULL && strncmp(out, line + 1, strlen(line + 1)) == 0)
        p = out - 1;
    if (p != NULL)
        v = strtol(p + strlen(line), NULL, 10);
    free(line);
    return v;
}

/* How many entries pending in the backlog group (delivered, not yet acknowledged) are events
 * of this run's project: other suites may leave entries of a killed consumer pending for a
 * while, which are not ours to judge. */
static int own_pending(void)
{
    char *ids = redis("XPENDING task_update_events backlog-service - + 1000"), *save = NULL;
    int mine = 0;

    for (char *line = strtok_r(ids, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char *args, *entry;

        if (strchr(line, '-') == NULL || strspn(line, "0123456789-") != strlen(line))
            continue; /* consumer names, counters */
        args = it_fmt("XRANGE task_update_events %s %s", line, line);
        entry = redis(args);
        mine += strstr(entry, pid) != NULL;
        free(entry);
        free(args);
    }
    free(ids);
    return mine;
}

/* 1 when every entry of task_update_events was delivered to the backlog group (lag 0) and
 * none of this run's events is still pending (unacknowledged), polled for 10 s. */
static int backlog_group_drained(char *why, size_t n)
{
    for (int i = 0; i < 200; i++) {
        char *out = redis("XINFO GROUPS task_update_events");
        const char *g = strstr(out, "backlog-service");
        long pending = g ? xinfo_value(g, "pending") : -1, lag = g ? xinfo_value(g, "lag") : -1;
        int mine = g != NULL && pending > 0 ? own_pending() : 0;

        snprintf(why, n, "group %s, pending %ld (ours %d), lag %ld", g ? "found" : "missing",
                 pending, mine, lag);
        free(out);
        if (g != NULL && pending >= 0 && mine == 0 && lag == 0)
            return 1;
        usleep(50000);
    }
    return 0;
}

/* GET /backlogs/{pid} until every task is completed at 100 % in the sprint (5 s). */
static json_object *backlog_final(void)
{
    char *path = it_fmt("/backlogs/%s", pid);
    json_object *out = NULL;

    for (int i = 0; i < 100 && out == NULL; i++) {
        it_resp_t r = it_req("GET", path, NULL, NULL);
        size_t done = 0, n = r.json ? json_object_array_length(r.json) : 0;

        for (size_t k = 0; k < n; k++) {
            json_object *t = json_object_array_get_idx(r.json, k);

            done += !strcmp(jstr(t, "status"), "completed") &&
                    jint(t, "progress_percentage") == 100 && !strcmp(jstr(t, "sprint_id"), sid);
        }
        if (r.status == 200 && n == E2E_TASKS && done == E2E_TASKS)
            out = json_object_get(r.json);
        it_free(&r);
        if (out == NULL)
            usleep(50000);
    }
    free(path);
    return out;
}

static void test_workflow(void)
{
    char *path, *body, *want, *ev, *needle;
    int runs = 0, updated = 0, reports = 0, pending = E2E_TASKS;
    json_object *backlog, *retro;
    it_resp_t r;
    char why[128];

    /* project, team, backlog */
    for (int i = 0; i < 3; i++) {
        body = it_fmt("{\"employee_id\":\"%s\",\"name\":\"E2E %d\"}", emp[i], i + 1);
        r = must("POST", "/employees", body, 201);
        it_free(&r);
        free(body);
    }
    body = it_fmt("{\"id\":\"%s\",\"name\":\"E2E workflow\",\"description\":\"e2e\",\"status\":"
                  "\"inactive\"}",
                  pid);
    r = must("POST", "/projects", body, 201);
    it_free(&r);
    free(body);
    path = it_fmt("/projects/%s/team-members-assign", pid);
    body = it_fmt("{\"employee_ids\":[\"%s\",\"%s\",\"%s\"]}", emp[0], emp[1], emp[2]);
    r = must("POST", path, body, 200);
    it_free(&r);
    free(body);
    free(path);
    path = it_fmt("/backlogs/%s", pid);
    r = must("POST", path, NULL, 201);
    IT_CHECK(jint(r.json, "tasks_count") == E2E_TASKS, "B4: %s", it_describe(&r));
    it_free(&r);
    free(path);

    /* sprint */
    path = it_fmt("/sprints/%s", pid);
    r = must("POST", path, "{\"sprint_name\":\"E2E sprint\",\"duration_weeks\":2}", 201);
    IT_CHECK(!strcmp(it_get_str(&r, "sprint_id") ? it_get_str(&r, "sprint_id") : "", sid) &&
                 jint(r.json, "assigned_tasks_count") == E2E_TASKS && !it_get(&r, "warnings"),
             "S5: %s", it_describe(&r));
    it_free(&r);
    free(path);

    /* daily scrum until every task is done */
    path = it_fmt("/sprints/%s/run-daily-scrum?force=true&seed=e2e", sid);
    want = it_fmt("/sprints/%s/task-summary", sid);
    while (pending > 0 && runs < E2E_MAX_SCRUMS) {
        r = must("POST", path, NULL, 200);
        runs++;
        updated += jint(r.json, "tasks_updated_count") > 0 ? jint(r.json, "tasks_updated_count") : 0;
        reports += json_object_get_boolean(it_get(&r, "report_stored"));
        IT_CHECK(it_get(&r, "warnings") == NULL, "S13 run %d: %s", runs, it_describe(&r));
        it_free(&r);
        r = must("GET", want, NULL, 200);
        pending = jint(r.json, "pending_tasks");
        IT_CHECK(jint(r.json, "total_tasks") == E2E_TASKS, "S12: %s", it_describe(&r));
        it_free(&r);
    }
    free(want);
    free(path);
    IT_CHECK(pending == 0 && runs >= 4, "all done after %d runs (pending %d)", runs, pending);
    IT_CHECK(reports == runs, "a report per run: %d of %d", reports, runs);

    /* close */
    path = it_fmt("/sprints/%s/close", sid);
    r = must("POST", path, NULL, 200);
    want = it_fmt("{\"message\":\"Sprint closure processed for %s.\",\"sprint_id\":\"%s\","
                  "\"status_updated_to\":\"completed\",\"completed_tasks_count\":10,"
                  "\"uncompleted_tasks_moved_to_backlog_count\":0,\"retrospective_report_id\":\"",
                  sid, sid);
    IT_CHECK(r.body && strncmp(r.body, want, strlen(want)) == 0 && !it_get(&r, "warnings"),
             "S11: %s", it_describe(&r));
    it_free(&r);
    free(want);
    free(path);

    /* the backlog (every TASK_UPDATED applied): B6, B5 */
    backlog = backlog_final();
    IT_CHECK(backlog != NULL, "B6: every task completed at 100 %% in %s", sid);
    path = it_fmt("/backlogs/%s/summary", pid);
    want = it_fmt("{\"project_id\":\"%s\",\"total_tasks\":10,\"status_counts\":{\"completed\":10},"
                  "\"unassigned_for_sprint_count\":0}",
                  pid);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "B5");
    it_free(&r);
    free(want);
    free(path);

    /* the sprint database: S7, S8, S9, S12 */
    path = it_fmt("/sprints/%s", sid);
    r = must("GET", path, NULL, 200);
    IT_CHECK(!strcmp(jstr(it_get(&r, "sprint"), "status"), "completed") &&
                 json_object_array_length(it_get(&r, "tasks")) == 0,
             "S7: %s", it_describe(&r));
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s/tasks", sid);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "[]", "S8");
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s/task-summary", sid);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "{\"total_tasks\":0,\"completed_tasks\":0,\"pending_tasks\":0}", "S12");
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/by-project/%s", pid);
    r = must("GET", path, NULL, 200);
    IT_CHECK(r.json && json_object_array_length(r.json) == 1 &&
                 !strcmp(jstr(json_object_array_get_idx(r.json, 0), "status"), "completed"),
             "S9: %s", it_describe(&r));
    it_free(&r);
    free(path);

    /* the Chronicle: C9 retrospective agrees with the backlog; C8 reports; C10 planning */
    path = it_fmt("/v1/notes/sprint_retrospective?sprint_id=%s", sid);
    r = must("GET", path, NULL, 200);
    retro = r.json ? json_object_array_get_idx(r.json, 0) : NULL;
    IT_CHECK(r.json && json_object_array_length(r.json) == 1 &&
                 !strcmp(jstr(retro, "what_went_well"), "Successfully completed 10 tasks.") &&
                 !strcmp(jstr(retro, "what_could_be_improved"), "Continue current practices.") &&
                 !strcmp(it_compact(jget(retro, "action_items")),
                         "[{\"description\":\"Review 10 tasks that were completed.\","
                         "\"status\":\"open\"}]"),
             "C9: %s", it_describe(&r));
    {
        json_object *ts = jget(retro, "tasks_summary");
        size_t agree = 0;

        for (size_t i = 0; ts && backlog && i < json_object_array_length(ts); i++) {
            json_object *e = json_object_array_get_idx(ts, i);
            json_object *b = it_array_find(backlog, "task_id", jstr(e, "task_id"));

            agree += b != NULL && jint(e, "progress_percentage") == 100 &&
                     !strcmp(jstr(e, "status"), "completed") &&
                     !strcmp(jstr(e, "employee_id"), jstr(b, "assigned_to")) &&
                     !strcmp(jstr(e, "description"), jstr(b, "title"));
        }
        IT_CHECK(agree == E2E_TASKS, "retrospective and backlog agree on %zu of 10 tasks", agree);
    }
    it_free(&r);
    free(path);

    path = it_fmt("/v1/notes/daily_scrum_report?sprint_id=%s&project_id=%s", sid, pid);
    r = must("GET", path, NULL, 200);
    {
        json_object *day = jget(it_get(&r, "reports"), today);
        size_t entries = 0;

        for (size_t i = 0; day && i < json_object_array_length(day); i++)
            entries += json_object_array_length(jget(json_object_array_get_idx(day, i), "tasks"));
        IT_CHECK(!strcmp(it_get_str(&r, "sprint_id") ? it_get_str(&r, "sprint_id") : "", sid) &&
                     entries == (size_t)updated,
                 "C8: %zu task entries for %d updates: %s", entries, updated, it_describe(&r));
    }
    it_free(&r);
    free(path);
    path = it_fmt("/v1/notes/sprint_planning?sprint_id=%s", sid);
    r = must("GET", path, NULL, 200);
    IT_CHECK(r.json && json_object_array_length(r.json) == 1 && r.body &&
                 strstr(r.body, "-TASK010") != NULL,
             "C10: %s", it_describe(&r));
    it_free(&r);
    free(path);

    /* events: all published (counted per kind) and all consumed by the backlog group */
    ev = redis("XREVRANGE task_update_events + - COUNT 2000");
    needle = it_fmt("\"event_data\":{\"task_id\":\"%s-TASK", pid);
    IT_CHECK(count_of(ev, needle) == (size_t)(E2E_TASKS + updated),
             "TASK_UPDATED events: %zu (want %d)", count_of(ev, needle), E2E_TASKS + updated);
    free(needle);
    free(ev);
    ev = redis("XREVRANGE daily_scrum_events + - COUNT 2000");
    needle = it_fmt("\"sprint_id\":\"%s\",\"task_id\"", sid);
    IT_CHECK(count_of(ev, needle) == (size_t)updated, "TASK_PROGRESSED events: %zu (want %d)",
             count_of(ev, needle), updated);
    free(needle);
    free(ev);
    IT_CHECK(backlog_group_drained(why, sizeof why), "task_update_events consumed: %s", why);
    json_object_put(backlog);
}

DSM_SUITE("integration/e2e/workflow", e2e_init, NULL, DSM_TEST(test_workflow))
