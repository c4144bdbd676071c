/*
 * test_sprint_api.c — the Sprint service (api.md §4, S1–S13) end to end through nginx, with the
 * real Project, Backlog (and its task_update_events consumer) and Chronicle services.
 *
 * Each run creates its own projects ("S<6 digits>A/B", short enough for sprint ids of at most
 * 20 characters), employees, backlog and sprints, so the suite reruns on the same databases.
 * The tests run in order and build on each other: setup → refused creations → creation →
 * reads → task progress → daily scrum (holiday, PTO, force) → close → second sprint.
 * Every refused write is followed by a check that nothing changed. Status codes are the
 * intended ones (plugins/service_sprint/routes.c lists the differences from the original).
 * DSM_TEST_REDIS_PORT (default 16380) is used with redis-cli to look at the published events.
 */
#include "dsm_test.h"
#include "it_http.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char base[16];              /* S<6 digits> */
static char pa[24], pb[24], pz[24]; /* project with team+backlog, without backlog, unknown */
static char plong[32];             /* 17 characters: sprint ids would not fit */
static char emp[3][32];
static char sid1[32], sid2[32];
static char today[11], end14[11];
static char holiday[11], holiday_name[128], pto_day[11];

/* ---- helpers ---------------------------------------------------------------------------- */

static void fmt_date(time_t t, char out[11])
{
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int suite_init(void)
{
    time_t now = time(NULL);
    unsigned v = (unsigned)getpid() * 7919u + (unsigned)now;

    snprintf(base, sizeof base, "S%06u", v % 1000000u);
    snprintf(pa, sizeof pa, "%sA", base);
    snprintf(pb, sizeof pb, "%sB", base);
    snprintf(pz, sizeof pz, "%sZ", base);
    snprintf(plong, sizeof plong, "%sLONGERID12", base); /* 17 characters */
    for (int i = 0; i < 3; i++)
        snprintf(emp[i], sizeof emp[i], "%s-E%d", base, i + 1);
    snprintf(sid1, sizeof sid1, "%s-S01", pa);
    snprintf(sid2, sizeof sid2, "%s-S02", pa);
    fmt_date(now, today);
    fmt_date(now + 14 * 86400, end14);
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

    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                                 : NULL;
}

static int jint(json_object *o, const char *key)
{
    json_object *v = jget(o, key);

    return v != NULL && json_object_is_type(v, json_type_int) ? json_object_get_int(v) : -999;
}

static int is_uuid(const char *s)
{
    if (s == NULL || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++)
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-'
                                                       : !strchr("0123456789abcdef", s[i]))
            return 0;
    return 1;
}

/* A request that must answer `status`; the response is returned (caller frees). */
static it_resp_t call(const char *method, const char *path, const char *body, long status)
{
    it_resp_t r = body != NULL ? it_json(method, path, body) : it_req(method, path, NULL, NULL);

    IT_CHECK(r.status == status, "%s %s -> %s (want %ld)", method, path, it_describe(&r), status);
    return r;
}

/* The body of GET path (200 expected), as an owned string for before/after comparisons. */
static char *snapshot(const char *path)
{
    it_resp_t r = call("GET", path, NULL, 200);
    char *s = strdup(r.body != NULL ? r.body : "");

    it_free(&r);
    return s;
}

/* One task of GET /backlogs/{pa} (a new reference, or NULL). */
static json_object *backlog_task(const char *task_id)
{
    char *path = it_fmt("/backlogs/%s", pa);
    it_resp_t r = it_req("GET", path, NULL, NULL);
    json_object *t = r.json != NULL ? it_array_find(r.json, "task_id", task_id) : NULL;

    if (t != NULL)
        json_object_get(t);
    it_free(&r);
    free(path);
    return t;
}

/* Poll the backlog (5 s) until task has status and progress (progress < 0: any) and, when
 * sprint is not NULL, that sprint_id ("" = null). 1 when it got there. */
static int backlog_reaches(const char *task_id, const char *status, int progress,
                           const char *sprint)
{
    for (int i = 0; i < 100; i++) {
        json_object *t = backlog_task(task_id);
        const char *st = jstr(t, "status"), *sp = jstr(t, "sprint_id");
        int ok = t != NULL && st != NULL && strcmp(st, status) == 0 &&
                 (progress < 0 || jint(t, "progress_percentage") == progress) &&
                 (sprint == NULL || (sprint[0] == '\0' ? sp == NULL : sp && !strcmp(sp, sprint)));

        json_object_put(t);
        if (ok)
            return 1;
        usleep(50000);
    }
    return 0;
}

/* redis-cli output of a command (malloc'd, "" on failure). */
static char *redis(const char *args)
{
    const char *port = getenv("DSM_TEST_REDIS_PORT");
    char *cmd = it_fmt("redis-cli -h 127.0.0.1 -p %s %s 2>/dev/null", port ? port : "16380", args);
    FILE *f = popen(cmd, "r");
    size_t cap = 1 << 16, len = 0, n;
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

/* The sprint-local task task_id of GET /sprints/{sid} (a new reference, or NULL). */
static json_object *sprint_task(const char *sid, const char *task_id)
{
    char *path = it_fmt("/sprints/%s", sid);
    it_resp_t r = it_req("GET", path, NULL, NULL);
    json_object *t = it_get(&r, "tasks");

    t = t != NULL ? it_array_find(t, "task_id", task_id) : NULL;
    if (t != NULL)
        json_object_get(t);
    it_free(&r);
    free(path);
    return t;
}

static char *task_id(const char *pid, int n)
{
    return it_fmt("%s-TASK%03d", pid, n);
}

/* ---- S1, S2 ----------------------------------------------------------------------------- */

static void test_health(void)
{
    static const char prefix[] =
        "{\"service\":\"sprint-service\",\"status\":\"ready\",\"database\":\"ok\",\"redis\":"
        "\"ok\",\"external_apis\":{\"project_service\":\"ok\",\"backlog_service\":\"ok\","
        "\"chronicle_service\":\"ok\"},\"timestamp\":\"";
    it_resp_t r = it_req("GET", "/sprint/health", NULL, NULL);

    IT_EXPECT_BODY(&r, 200, "{\"status\":\"ok\"}", "S1 GET /sprint/health");
    it_free(&r);
    r = it_req("GET", "/sprint/health/ready", NULL, NULL);
    IT_CHECK(r.status == 200 && r.body && strncmp(r.body, prefix, strlen(prefix)) == 0,
             "S2 ready, shape and key order: %s", it_describe(&r));
    it_free(&r);
}

/* ---- setup through the other services ---------------------------------------------------- */

static void test_setup(void)
{
    const char *projects[2] = {pa, pb};
    char *body, *path;
    it_resp_t r;

    for (int i = 0; i < 3; i++) {
        body = it_fmt("{\"employee_id\":\"%s\",\"name\":\"IT sprint %d\"}", emp[i], i + 1);
        r = call("POST", "/employees", body, 201);
        it_free(&r);
        free(body);
    }
    for (int i = 0; i < 2; i++) {
        body = it_fmt("{\"id\":\"%s\",\"name\":\"IT sprint\",\"description\":\"d\",\"status\":"
                      "\"inactive\"}",
                      projects[i]);
        r = call("POST", "/projects", body, 201);
        it_free(&r);
        free(body);
        path = it_fmt("/projects/%s/team-members-assign", projects[i]);
        body = it_fmt("{\"employee_ids\":[\"%s\",\"%s\",\"%s\"]}", emp[0], emp[1], emp[2]);
        r = call("POST", path, body, 200);
        it_free(&r);
        free(body);
        free(path);
    }
    path = it_fmt("/backlogs/%s", pa);
    r = call("POST", path, NULL, 201);
    it_free(&r);
    free(path);

    /* a holiday of the calendar, and a later day that is none (for PTO) */
    r = call("GET", "/calendar/holidays", NULL, 200);
    IT_CHECK(r.json && json_object_array_length(r.json) > 0, "holidays: %s", it_describe(&r));
    if (r.json && json_object_array_length(r.json) > 0) {
        json_object *h = json_object_array_get_idx(r.json, json_object_array_length(r.json) / 2);
        struct tm tm;
        time_t t;

        snprintf(holiday, sizeof holiday, "%s", jstr(h, "holiday_date"));
        snprintf(holiday_name, sizeof holiday_name, "%s", jstr(h, "holiday_name"));
        memset(&tm, 0, sizeof tm);
        strptime(holiday, "%Y-%m-%d", &tm);
        tm.tm_hour = 12;
        t = mktime(&tm);
        do {
            t += 2 * 86400;
            fmt_date(t, pto_day);
        } while (it_array_find(r.json, "holiday_date", pto_day) != NULL);
    }
    it_free(&r);
}

/* ---- S5 refused ---------------------------------------------------------------------------- */

static void expect_422_list(const char *path, const char *body, const char *field)
{
    it_resp_t r = body ? it_json("POST", path, body) : it_req("POST", path, NULL, NULL);

    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "S5 %s -> %s", body ? body : "(none)",
             it_describe(&r));
    if (field != NULL)
        IT_CHECK(r.body && strstr(r.body, field) != NULL, "422 names %s: %s", field,
                 it_describe(&r));
    it_free(&r);
}

static void test_create_refused(void)
{
    char *path = it_fmt("/sprints/%s", pa), *want, *name = malloc(301);
    char *by_project = it_fmt("/sprints/by-project/%s", pa), *backlog = it_fmt("/backlogs/%s", pa);
    char *before_sprints = snapshot(by_project), *before_backlog = snapshot(backlog), *body;
    it_resp_t r;

    expect_422_list(path, NULL, NULL);
    expect_422_list(path, "{\"duration_weeks\":2}", "sprint_name");
    expect_422_list(path, "{\"sprint_name\":\"x\"}", "duration_weeks");
    expect_422_list(path, "{\"sprint_name\":\"x\",\"duration_weeks\":\"two\"}", "int_parsing");
    expect_422_list(path, "{\"sprint_name\":7,\"duration_weeks\":2}", "string_type");
    expect_422_list(path, "{\"sprint_name\":\"x\",\"duration_weeks\":0}", "greater_than_equal");
    expect_422_list(path, "{\"sprint_name\":\"x\",\"duration_weeks\":9}", "less_than_equal");
    expect_422_list(path, "{\"sprint_name\":\"x\",\"duration_weeks\":2,\"task_count\":0}",
                    "task_count");
    expect_422_list(path, "{\"sprint_name\":\"x\",\"duration_weeks\":2,\"task_count\":\"x\"}",
                    "int_parsing");
    expect_422_list(path, "{\"sprint_name\":\"x\",\"duration_weeks\":2,\"tasks_to_assign\":0}",
                    "tasks_to_assign");
    expect_422_list(path,
                    "{\"sprint_name\":\"x\",\"duration_weeks\":2,\"task_count\":3,"
                    "\"tasks_to_assign\":4}",
                    "differ");
    memset(name, 'n', 300);
    name[300] = '\0';
    body = it_fmt("{\"sprint_name\":\"%s\",\"duration_weeks\":2}", name);
    expect_422_list(path, body, "string_too_long");
    free(body);

    free(path);
    path = it_fmt("/sprints/%s", pz); /* unknown project */
    r = it_json("POST", path, "{\"sprint_name\":\"x\",\"duration_weeks\":2}");
    want = it_fmt("Project %s not found.", pz);
    IT_EXPECT_ERROR(&r, 404, want, "S5 unknown project");
    it_free(&r);
    free(want);
    free(path);

    path = it_fmt("/sprints/%s", pb); /* a project without backlog tasks */
    r = it_json("POST", path, "{\"sprint_name\":\"x\",\"duration_weeks\":2}");
    want = it_fmt("Cannot create sprint: No unassigned tasks found for project %s.", pb);
    IT_EXPECT_ERROR(&r, 409, want, "S5 no unassigned tasks");
    it_free(&r);
    free(want);
    free(path);

    path = it_fmt("/sprints/%s", plong);
    r = it_json("POST", path, "{\"sprint_name\":\"x\",\"duration_weeks\":2}");
    IT_EXPECT_ERROR(&r, 422, NULL, "S5 project id too long for sprint ids");
    it_free(&r);
    free(path);

    /* nothing changed */
    body = snapshot(by_project);
    IT_CHECK(strcmp(body, before_sprints) == 0 && strcmp(body, "[]") == 0, "no sprint: %s", body);
    free(body);
    body = snapshot(backlog);
    IT_CHECK(strcmp(body, before_backlog) == 0, "backlog unchanged");
    free(body);
    path = it_fmt("/sprints/by-project/%s", pb);
    body = snapshot(path);
    IT_CHECK(strcmp(body, "[]") == 0, "no sprint for %s: %s", pb, body);
    free(body);
    free(path);
    free(before_sprints);
    free(before_backlog);
    free(by_project);
    free(backlog);
    free(name);
}

/* ---- S5 ---------------------------------------------------------------------------------- */

static void test_create(void)
{
    char *path = it_fmt("/sprints/%s", pa);
    char *want = it_fmt("{\"message\":\"Sprint 'IT sprint 1' started successfully for project "
                        "%s\",\"sprint_id\":\"%s\",\"assigned_tasks_count\":4}",
                        pa, sid1);
    char *by_project = it_fmt("/sprints/by-project/%s", pa), *before, *after, *detail;
    it_resp_t r = it_json("POST", path,
                          "{\"sprint_name\":\"IT sprint 1\",\"duration_weeks\":2,"
                          "\"task_count\":4,\"extra\":true}");

    IT_EXPECT_BODY(&r, 201, want, "S5 create with task_count 4");
    it_free(&r);

    /* the backlog was assigned synchronously: 001..004 round-robin, 005..010 untouched */
    for (int i = 1; i <= 10; i++) {
        char *tid = task_id(pa, i);
        json_object *t = backlog_task(tid);
        const char *st = jstr(t, "status"), *sp = jstr(t, "sprint_id"), *who = jstr(t, "assigned_to");

        if (i <= 4)
            IT_CHECK(st && !strcmp(st, "assigned_to_sprint") && sp && !strcmp(sp, sid1) && who &&
                         !strcmp(who, emp[(i - 1) % 3]),
                     "backlog %s: %s", tid, t ? it_compact(t) : "missing");
        else
            IT_CHECK(st && !strcmp(st, "unassigned") && sp == NULL && who == NULL,
                     "backlog %s untouched: %s", tid, t ? it_compact(t) : "missing");
        json_object_put(t);
        free(tid);
    }

    /* a second active sprint: 409, nothing changed */
    before = snapshot(by_project);
    r = it_json("POST", path, "{\"sprint_name\":\"IT sprint 2\",\"duration_weeks\":1}");
    detail = it_fmt("A sprint is already in progress for project %s.", pa);
    IT_EXPECT_ERROR(&r, 409, detail, "S5 second active sprint");
    it_free(&r);
    after = snapshot(by_project);
    IT_CHECK(strcmp(before, after) == 0, "sprints unchanged after 409");
    free(before);
    free(after);
    free(detail);
    free(by_project);
    free(want);
    free(path);
}

/* ---- S3, S4, S6, S7, S8, S9, S12 -------------------------------------------------------- */

static void test_reads(void)
{
    char *path, *want, *sprint;
    it_resp_t r;

    sprint = it_fmt("{\"sprint_id\":\"%s\",\"project_id\":\"%s\",\"sprint_name\":\"IT sprint 1\","
                    "\"start_date\":\"%s\",\"end_date\":\"%s\",\"duration_weeks\":2,"
                    "\"status\":\"in_progress\"}",
                    sid1, pa, today, end14);

    r = call("GET", "/sprints/active", NULL, 200); /* S3: some active sprint */
    IT_CHECK(it_get_str(&r, "sprint_id") != NULL && r.json && json_object_object_length(r.json) == 1,
             "S3: %s", it_describe(&r));
    it_free(&r);

    path = it_fmt("/sprints/active/%s", pa); /* S4 */
    want = it_fmt("{\"sprint_id\":\"%s\"}", sid1);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "S4");
    it_free(&r);
    free(want);
    free(path);
    path = it_fmt("/sprints/active/%s", pb);
    want = it_fmt("No active sprint found for project %s.", pb);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, want, "S4 none");
    it_free(&r);
    free(want);
    free(path);

    r = call("GET", "/sprints/list_projects", NULL, 200); /* S6 */
    {
        json_object *g = r.json ? it_array_find(r.json, "project_id", pa) : NULL;
        json_object *s = jget(g, "sprints");

        IT_CHECK(s && json_object_array_length(s) == 1 &&
                     !strcmp(it_compact(json_object_array_get_idx(s, 0)), sprint),
                 "S6 group of %s: %s", pa, g ? it_compact(g) : "missing");
        IT_CHECK(g && json_object_object_length(g) == 2, "S6 group keys");
    }
    it_free(&r);

    path = it_fmt("/sprints/%s", sid1); /* S7 */
    r = call("GET", path, NULL, 200);
    IT_CHECK(r.body && strncmp(r.body, "{\"sprint\":", 10) == 0 &&
                 !strcmp(it_compact(it_get(&r, "sprint")), sprint),
             "S7 sprint: %s", it_describe(&r));
    {
        json_object *tasks = it_get(&r, "tasks");
        char *first = it_fmt("{\"task_id\":\"%s-TASK001\",\"title\":\"Setup development "
                             "environment\",\"status\":\"assigned_to_sprint\",\"sprint_id\":"
                             "\"%s\",\"progress_percentage\":0,\"assigned_to\":\"%s\"}",
                             pa, sid1, emp[0]);

        IT_CHECK(tasks && json_object_array_length(tasks) == 4 &&
                     !strcmp(it_compact(json_object_array_get_idx(tasks, 0)), first),
                 "S7 tasks: %s", it_describe(&r));
        free(first);
    }
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s-S99", pa);
    want = it_fmt("Sprint %s-S99 not found.", pa);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, want, "S7 unknown");
    it_free(&r);
    free(want);
    free(path);

    path = it_fmt("/sprints/%s/tasks", sid1); /* S8 */
    r = call("GET", path, NULL, 200);
    IT_CHECK(r.json && json_object_is_type(r.json, json_type_array) &&
                 json_object_array_length(r.json) == 4,
             "S8: %s", it_describe(&r));
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s-S99/tasks", pa);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "[]", "S8 unknown sprint");
    it_free(&r);
    free(path);

    path = it_fmt("/sprints/by-project/%s", pa); /* S9 */
    want = it_fmt("[%s]", sprint);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "S9");
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/by-project/%s?status=in_progress", pa);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "S9 status=in_progress");
    it_free(&r);
    free(path);
    free(want);
    path = it_fmt("/sprints/by-project/%s?status=completed", pa);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "[]", "S9 status=completed");
    it_free(&r);
    free(path);

    path = it_fmt("/sprints/%s/task-summary", sid1); /* S12 */
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "{\"total_tasks\":4,\"completed_tasks\":0,\"pending_tasks\":4}", "S12");
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s-S99/task-summary", pa);
    want = it_fmt("Sprint %s-S99 not found.", pa);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, want, "S12 unknown");
    it_free(&r);
    free(want);
    free(path);
    free(sprint);
}

/* ---- S10 --------------------------------------------------------------------------------- */

static void test_progress_refused(void)
{
    static const char *const bodies[] = {
        "{\"progress_percentage\":-1}", "{\"progress_percentage\":101}",
        "{\"status\":\"done\"}",        "{\"progress_percentage\":\"abc\"}",
        "{\"progress_percentage\":5.5}", "{\"status\":5}",
    };
    char *t1 = task_id(pa, 1), *path = it_fmt("/tasks/%s/progress", t1);
    char *sprint = it_fmt("/sprints/%s", sid1), *before = snapshot(sprint), *after, *want;
    it_resp_t r;

    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        r = it_json("POST", path, bodies[i]);
        IT_CHECK(r.status == 422 && it_is_detail_list(&r), "S10 %s -> %s", bodies[i],
                 it_describe(&r));
        it_free(&r);
    }
    r = it_json("POST", path, "{\"progress_percentage\":101}");
    IT_CHECK(r.body && strstr(r.body, "\"type\":\"value_error\",\"loc\":[\"body\","
                                      "\"progress_percentage\"]") != NULL,
             "S10 101: %s", it_describe(&r));
    it_free(&r);
    r = it_json("POST", path, "{}");
    IT_EXPECT_ERROR(&r, 422, "No fields provided for update.", "S10 {}");
    it_free(&r);
    r = it_json("POST", path, "{\"status\":null,\"progress_percentage\":null}");
    IT_EXPECT_ERROR(&r, 422, "No fields provided for update.", "S10 nulls");
    it_free(&r);
    r = it_json("POST", path, "{\"status\":\"completed\",\"progress_percentage\":50}");
    IT_EXPECT_ERROR(&r, 422, NULL, "S10 completed with 50");
    it_free(&r);
    r = it_req("POST", path, NULL, NULL);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "S10 no body: %s", it_describe(&r));
    it_free(&r);
    free(path);
    path = it_fmt("/tasks/%s-TASK099/progress", pa);
    want = it_fmt("Task %s-TASK099 not found in SprintDB.", pa);
    r = it_json("POST", path, "{\"progress_percentage\":10}");
    IT_EXPECT_ERROR(&r, 404, want, "S10 unknown task");
    it_free(&r);
    free(want);
    free(path);
    free(t1);
    t1 = task_id(pa, 5); /* in the backlog, not in a sprint */
    path = it_fmt("/tasks/%s/progress", t1);
    r = it_json("POST", path, "{\"progress_percentage\":10}");
    IT_EXPECT_ERROR(&r, 404, NULL, "S10 task not in a sprint");
    it_free(&r);
    free(path);

    after = snapshot(sprint);
    IT_CHECK(strcmp(before, after) == 0, "S10 refusals changed nothing");
    free(before);
    free(after);
    free(sprint);
    free(t1);
}

static void test_progress(void)
{
    char *t1 = task_id(pa, 1), *t2 = task_id(pa, 2), *t3 = task_id(pa, 3);
    char *path = it_fmt("/tasks/%s/progress", t1), *want;
    json_object *t;
    it_resp_t r;

    want = it_fmt("{\"message\":\"Task %s progress updated successfully in SprintDB\"}", t1);
    r = it_json("POST", path, "{\"progress_percentage\":50}");
    IT_EXPECT_BODY(&r, 200, want, "S10 progress 50");
    it_free(&r);
    free(want);
    t = sprint_task(sid1, t1);
    IT_CHECK(jint(t, "progress_percentage") == 50 && !strcmp(jstr(t, "status"), "in_progress"),
             "S10 stored: %s", t ? it_compact(t) : "missing");
    json_object_put(t);
    IT_CHECK(backlog_reaches(t1, "in_progress", 50, sid1), "backlog %s in_progress 50", t1);

    free(path); /* status only reaches the backlog too */
    path = it_fmt("/tasks/%s/progress", t2);
    r = call("POST", path, "{\"status\":\"in_progress\"}", 200);
    it_free(&r);
    IT_CHECK(backlog_reaches(t2, "in_progress", 0, sid1), "backlog %s status-only", t2);

    free(path); /* completed alone → 100 */
    path = it_fmt("/tasks/%s/progress", t3);
    r = call("POST", path, "{\"status\":\"completed\"}", 200);
    it_free(&r);
    t = sprint_task(sid1, t3);
    IT_CHECK(jint(t, "progress_percentage") == 100 && !strcmp(jstr(t, "status"), "completed"),
             "S10 completed: %s", t ? it_compact(t) : "missing");
    json_object_put(t);
    IT_CHECK(backlog_reaches(t3, "completed", 100, sid1), "backlog %s completed", t3);
    r = it_json("POST", path, "{\"status\":\"in_progress\"}"); /* reopening needs a progress */
    IT_EXPECT_ERROR(&r, 422, NULL, "S10 reopen without progress");
    it_free(&r);

    free(path);
    path = it_fmt("/sprints/%s/task-summary", sid1);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "{\"total_tasks\":4,\"completed_tasks\":1,\"pending_tasks\":3}",
                   "S12 after progress");
    it_free(&r);
    free(path);
    free(t1);
    free(t2);
    free(t3);
}

/* ---- S13 --------------------------------------------------------------------------------- */

static void test_scrum_refused(void)
{
    char *path = it_fmt("/sprints/%s-S99/run-daily-scrum?force=true", pa);
    char *want = it_fmt("Active sprint %s-S99 not found.", pa);
    char *sprint = it_fmt("/sprints/%s", sid1), *before = snapshot(sprint), *after;
    it_resp_t r = it_req("POST", path, NULL, NULL);

    IT_EXPECT_ERROR(&r, 404, want, "S13 unknown sprint");
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s/run-daily-scrum?date=2025-02-30", sid1);
    r = it_req("POST", path, NULL, NULL);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "S13 bad date: %s", it_describe(&r));
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s/run-daily-scrum?force=maybe", sid1);
    r = it_req("POST", path, NULL, NULL);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "S13 bad force: %s", it_describe(&r));
    it_free(&r);
    free(path);

    /* a holiday without force: skipped, nothing changed, no report */
    path = it_fmt("/sprints/%s/run-daily-scrum?date=%s", sid1, holiday);
    r = call("POST", path, NULL, 200);
    IT_CHECK(r.json && json_object_get_boolean(it_get(&r, "skipped")) &&
                 jint(r.json, "tasks_updated_count") == 0 && it_get(&r, "report_id") == NULL &&
                 it_get_str(&r, "holiday") && !strcmp(it_get_str(&r, "holiday"), holiday_name),
             "S13 holiday skipped: %s", it_describe(&r));
    it_free(&r);
    free(path);
    path = it_fmt("/v1/notes/daily_scrum_report?sprint_id=%s&daily_scrum_date=%s", sid1, holiday);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 404, "no report for the holiday: %s", it_describe(&r));
    it_free(&r);
    free(path);
    after = snapshot(sprint);
    IT_CHECK(strcmp(before, after) == 0, "S13 refusals changed nothing");
    free(before);
    free(after);
    free(sprint);
    free(want);
}

static void test_scrum_pto(void)
{
    char *path = it_fmt("/projects/%s/calendar/pto?employee_id=%s", pa, emp[0]);
    char *body = it_fmt("{\"start_date\":\"%s\",\"end_date\":\"%s\",\"reason\":\"IT\"}", pto_day,
                        pto_day);
    char *t1 = task_id(pa, 1), *t2 = task_id(pa, 2), *t4 = task_id(pa, 4), *ev, *needle;
    json_object *a, *b, *c;
    it_resp_t r = call("POST", path, body, 201);
    const char *note;

    it_free(&r);
    free(path);
    free(body);
    path = it_fmt("/sprints/%s/run-daily-scrum?date=%s&seed=it-7", sid1, pto_day);
    r = call("POST", path, NULL, 200);
    note = it_get_str(&r, "report_id");
    IT_CHECK(r.body && strncmp(r.body, "{\"message\":\"Daily scrum process completed for sprint ",
                               52) == 0 &&
                 jint(r.json, "tasks_updated_count") == 1 && is_uuid(note) &&
                 json_object_get_boolean(it_get(&r, "report_stored")) &&
                 !json_object_get_boolean(it_get(&r, "skipped")) &&
                 it_get(&r, "employees_on_pto") &&
                 json_object_array_length(it_get(&r, "employees_on_pto")) == 1,
             "S13 with PTO: %s", it_describe(&r));
    it_free(&r);
    free(path);

    a = sprint_task(sid1, t1); /* E1 on PTO: 50 stays */
    b = sprint_task(sid1, t2); /* E2: 0 → 5..30 */
    c = sprint_task(sid1, t4); /* E1 on PTO: 0 stays */
    IT_CHECK(jint(a, "progress_percentage") == 50, "PTO task 1 unchanged: %s",
             a ? it_compact(a) : "-");
    IT_CHECK(jint(c, "progress_percentage") == 0, "PTO task 4 unchanged: %s",
             c ? it_compact(c) : "-");
    IT_CHECK(jint(b, "progress_percentage") >= 5 && jint(b, "progress_percentage") <= 30 &&
                 !strcmp(jstr(b, "status"), "in_progress"),
             "task 2 advanced 5..30: %s", b ? it_compact(b) : "-");
    IT_CHECK(backlog_reaches(t2, "in_progress", jint(b, "progress_percentage"), sid1),
             "backlog follows the scrum");
    json_object_put(a);
    json_object_put(b);
    json_object_put(c);

    /* the report in the Chronicle (C8) */
    path = it_fmt("/v1/notes/daily_scrum_report?sprint_id=%s&daily_scrum_date=%s", sid1, pto_day);
    r = call("GET", path, NULL, 200);
    needle = it_fmt("On PTO today: %s.", emp[0]);
    IT_CHECK(it_get_str(&r, "summary") && strstr(it_get_str(&r, "summary"), needle),
             "C8 summary: %s", it_describe(&r));
    IT_CHECK(r.body && strstr(r.body, "\"total_team_members\":3,\"total_tasks\":4,"
                                      "\"completed_tasks\":1,\"pending_tasks\":3") != NULL,
             "C8 metrics: %s", it_describe(&r));
    IT_CHECK(r.body && strstr(r.body, "On PTO: no work on Setup development environment.") != NULL,
             "C8 PTO entry: %s", it_describe(&r));
    free(needle);
    it_free(&r);
    free(path);

    /* TASK_PROGRESSED on daily_scrum_events for task 2, none for the PTO task 1 */
    ev = redis("XREVRANGE daily_scrum_events + - COUNT 200");
    IT_CHECK(strstr(ev, "TASK_PROGRESSED") != NULL && strstr(ev, t2) != NULL,
             "TASK_PROGRESSED of %s published", t2);
    free(ev);
    free(t1);
    free(t2);
    free(t4);
}

static void test_scrum_force_holiday(void)
{
    char *path = it_fmt("/sprints/%s/run-daily-scrum?date=%s&force=true", sid1, holiday);
    it_resp_t r = call("POST", path, NULL, 200);

    IT_CHECK(!json_object_get_boolean(it_get(&r, "skipped")) &&
                 jint(r.json, "tasks_updated_count") == 3 &&
                 !strcmp(it_get_str(&r, "holiday") ? it_get_str(&r, "holiday") : "", holiday_name),
             "S13 forced on a holiday: %s", it_describe(&r));
    it_free(&r);
    free(path);
}

/* ---- S11 --------------------------------------------------------------------------------- */

static void test_close(void)
{
    char *path = it_fmt("/sprints/%s-S99/close", pa), *want = it_fmt("Sprint %s-S99 not found.", pa);
    char *t1 = task_id(pa, 1), *t3 = task_id(pa, 3), *by = it_fmt("/sprints/by-project/%s", pa);
    char *before, *after;
    json_object *bt;
    int p1;
    it_resp_t r = it_req("POST", path, NULL, NULL);

    IT_EXPECT_ERROR(&r, 404, want, "S11 unknown");
    it_free(&r);
    free(path);
    free(want);

    bt = sprint_task(sid1, t1);
    p1 = jint(bt, "progress_percentage");
    json_object_put(bt);
    path = it_fmt("/sprints/%s/close", sid1);
    r = call("POST", path, NULL, 200);
    IT_CHECK(r.body && strncmp(r.body, "{\"message\":\"Sprint closure processed for ", 41) == 0 &&
                 !strcmp(it_get_str(&r, "status_updated_to"), "closed_with_pending_tasks") &&
                 jint(r.json, "completed_tasks_count") == 1 &&
                 jint(r.json, "uncompleted_tasks_moved_to_backlog_count") == 3 &&
                 is_uuid(it_get_str(&r, "retrospective_report_id")) && it_get(&r, "warnings") == NULL,
             "S11: %s", it_describe(&r));
    it_free(&r);

    /* the sprint db: closed, no local tasks; the backlog: unfinished tasks back, progress kept */
    want = it_fmt("/sprints/%s", sid1);
    r = call("GET", want, NULL, 200);
    IT_CHECK(r.body && strstr(r.body, "\"status\":\"closed_with_pending_tasks\"},\"tasks\":[]}"),
             "S7 closed: %s", it_describe(&r));
    it_free(&r);
    free(want);
    want = it_fmt("/sprints/%s/task-summary", sid1);
    r = it_req("GET", want, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "{\"total_tasks\":0,\"completed_tasks\":0,\"pending_tasks\":0}",
                   "S12 closed");
    it_free(&r);
    free(want);
    IT_CHECK(backlog_reaches(t1, "unassigned", p1, ""), "backlog %s back, progress %d", t1, p1);
    IT_CHECK(backlog_reaches(t3, "completed", 100, sid1), "backlog %s stays completed", t3);
    bt = backlog_task(t1);
    IT_CHECK(jstr(bt, "assigned_to") && !strcmp(jstr(bt, "assigned_to"), emp[0]),
             "assignee kept: %s", bt ? it_compact(bt) : "-");
    json_object_put(bt);

    /* the retrospective (C9) */
    want = it_fmt("/v1/notes/sprint_retrospective?sprint_id=%s", sid1);
    r = call("GET", want, NULL, 200);
    IT_CHECK(r.body && strstr(r.body, "\"what_went_well\":\"Successfully completed 1 tasks.\"") &&
                 strstr(r.body, "\"facilitator_id\":\"EMP_FACILITATOR\""),
             "C9: %s", it_describe(&r));
    it_free(&r);
    free(want);

    /* closing again: 409, nothing changed; progress and scrum on the closed sprint: 404 */
    before = snapshot(by);
    r = it_req("POST", path, NULL, NULL);
    want = it_fmt("Sprint %s is not in 'in_progress' status. Current status: "
                  "closed_with_pending_tasks",
                  sid1);
    IT_EXPECT_ERROR(&r, 409, want, "S11 closed twice");
    it_free(&r);
    free(want);
    free(path);
    path = it_fmt("/tasks/%s/progress", t1);
    r = it_json("POST", path, "{\"progress_percentage\":90}");
    IT_EXPECT_ERROR(&r, 404, NULL, "S10 after close");
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s/run-daily-scrum?force=true", sid1);
    r = it_req("POST", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, NULL, "S13 after close");
    it_free(&r);
    after = snapshot(by);
    IT_CHECK(strcmp(before, after) == 0, "nothing changed after the refused calls");
    IT_CHECK(backlog_reaches(t1, "unassigned", p1, ""), "backlog unchanged");
    free(before);
    free(after);
    free(path);
    free(by);
    free(t1);
    free(t3);
}

/* ---- a second sprint: numbering, all unassigned tasks, previous assignees kept ----------- */

static void test_second_sprint(void)
{
    char *path = it_fmt("/sprints/%s", pa), *t1 = task_id(pa, 1), *want;
    it_resp_t r = it_json("POST", path, "{\"sprint_name\":\"IT sprint 2\",\"duration_weeks\":1}");

    want = it_fmt("{\"message\":\"Sprint 'IT sprint 2' started successfully for project %s\","
                  "\"sprint_id\":\"%s\",\"assigned_tasks_count\":9}",
                  pa, sid2);
    IT_EXPECT_BODY(&r, 201, want, "S5 second sprint: S02, the 9 unassigned tasks");
    it_free(&r);
    free(want);
    IT_CHECK(backlog_reaches(t1, "assigned_to_sprint", -1, sid2), "backlog %s in S02", t1);
    {
        json_object *t = sprint_task(sid2, t1);

        IT_CHECK(jstr(t, "assigned_to") && !strcmp(jstr(t, "assigned_to"), emp[0]) &&
                     jint(t, "progress_percentage") == 0,
                 "previous assignee kept: %s", t ? it_compact(t) : "-");
        json_object_put(t);
    }
    free(path);
    path = it_fmt("/sprints/by-project/%s", pa);
    r = call("GET", path, NULL, 200);
    IT_CHECK(r.json && json_object_array_length(r.json) == 2, "S9 two sprints: %s",
             it_describe(&r));
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s/close", sid2);
    r = call("POST", path, NULL, 200);
    IT_CHECK(jint(r.json, "uncompleted_tasks_moved_to_backlog_count") == 9 &&
                 !strcmp(it_get_str(&r, "status_updated_to"), "closed_with_pending_tasks"),
             "S11 second: %s", it_describe(&r));
    it_free(&r);
    free(path);
    free(t1);
}

/* ---- concurrent creations for one project: one 201, one 409, one sprint ---------------- */

static void *create_thread(void *arg)
{
    long *status = arg;
    char *path = it_fmt("/sprints/%s", pb);
    it_resp_t r = it_json("POST", path,
                          "{\"sprint_name\":\"race\",\"duration_weeks\":1,\"tasks_to_assign\":3}");

    *status = r.status;
    it_free(&r);
    free(path);
    return NULL;
}

static void test_concurrent_create(void)
{
    char *path = it_fmt("/backlogs/%s", pb);
    long st[4] = {0, 0, 0, 0};
    int created = 0, refused = 0;
    pthread_t th[4];
    it_resp_t r = call("POST", path, NULL, 201);

    it_free(&r);
    free(path);
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, create_thread, &st[i]);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        created += st[i] == 201;
        refused += st[i] == 409;
    }
    IT_CHECK(created == 1 && refused == 3, "4 concurrent S5: %d created, %d refused (%ld %ld %ld "
                                           "%ld)",
             created, refused, st[0], st[1], st[2], st[3]);
    path = it_fmt("/sprints/by-project/%s", pb);
    r = call("GET", path, NULL, 200);
    IT_CHECK(r.json && json_object_array_length(r.json) == 1 && r.body &&
                 strstr(r.body, "-S01\"") != NULL,
             "one sprint S01: %s", it_describe(&r));
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s-S01/close", pb);
    r = call("POST", path, NULL, 200);
    it_free(&r);
    free(path);
}

/* ---- simulated capacity (routes.c item 16): S13 spends a bounded work budget ------------ */

static void test_sim_capacity(void)
{
    char *cap = it_fmt("/sprints/simulation/capacity/%s", pb), *path, *want;
    char *scrum, *sid = it_fmt("%s-S02", pb);
    it_resp_t r = it_req("GET", cap, NULL, NULL);

    want = it_fmt("No simulated capacity for project %s.", pb);
    IT_EXPECT_ERROR(&r, 404, want, "capacity GET before PUT");
    it_free(&r);
    /* refused bodies: 422 list, nothing stored */
    r = it_json("PUT", cap, "{\"points_per_member_day\":0}");
    IT_CHECK(r.status == 422 && it_is_detail_list(&r) && strstr(r.body, "greater_than_equal"),
             "capacity 0: %s", it_describe(&r));
    it_free(&r);
    r = it_json("PUT", cap, "{\"points_per_member_day\":40,\"variation_percent\":91}");
    IT_CHECK(r.status == 422 && strstr(r.body, "less_than_equal"), "variation 91: %s",
             it_describe(&r));
    it_free(&r);
    r = it_json("PUT", cap, "{\"variation_percent\":5}");
    IT_CHECK(r.status == 422 && strstr(r.body, "points_per_member_day"), "points missing: %s",
             it_describe(&r));
    it_free(&r);
    r = it_req("GET", cap, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, want, "nothing stored by the refused PUTs");
    it_free(&r);
    free(want);

    r = call("PUT", cap, "{\"points_per_member_day\":40}", 200);
    it_free(&r);
    r = call("GET", cap, NULL, 200);
    want = it_fmt("{\"project_id\":\"%s\",\"points_per_member_day\":40,\"variation_percent\":0}",
                  pb);
    IT_CHECK(r.body && strcmp(r.body, want) == 0, "capacity GET: %s", it_describe(&r));
    it_free(&r);
    free(want);

    path = it_fmt("/sprints/%s", pb);
    r = call("POST", path, "{\"sprint_name\":\"sim\",\"duration_weeks\":1,\"task_count\":4}", 201);
    IT_CHECK(it_get_str(&r, "sprint_id") && !strcmp(it_get_str(&r, "sprint_id"), sid),
             "sprint %s: %s", sid, it_describe(&r));
    it_free(&r);
    free(path);

    /* on pto_day one of the 3 members is away: 2 × 40 = 80 points, spent on one task */
    scrum = it_fmt("/sprints/%s/run-daily-scrum?date=%s&seed=sim&force=true", sid, pto_day);
    r = call("POST", scrum, NULL, 200);
    IT_CHECK(jint(r.json, "simulated_work_points") == 80 && jint(r.json, "tasks_updated_count") == 1,
             "S13 with capacity, day 1: %s", it_describe(&r));
    it_free(&r);
    /* the same day again: 80 more — 20 finish that task, 60 go to the next */
    r = call("POST", scrum, NULL, 200);
    IT_CHECK(jint(r.json, "simulated_work_points") == 80 && jint(r.json, "tasks_updated_count") == 2,
             "S13 with capacity, day 2: %s", it_describe(&r));
    it_free(&r);
    path = it_fmt("/sprints/%s/task-summary", sid);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "{\"total_tasks\":4,\"completed_tasks\":1,\"pending_tasks\":3}",
                   "one task done with 160 points");
    it_free(&r);

    /* removed: S13 advances every unfinished task again, no simulated_work_points */
    r = call("DELETE", cap, NULL, 200);
    it_free(&r);
    r = it_req("DELETE", cap, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, NULL, "capacity DELETE twice");
    it_free(&r);
    free(scrum);
    scrum = it_fmt("/sprints/%s/run-daily-scrum?seed=sim&force=true&date=%s", sid, holiday);
    r = call("POST", scrum, NULL, 200);
    IT_CHECK(it_get(&r, "simulated_work_points") == NULL && jint(r.json, "tasks_updated_count") == 3,
             "S13 without capacity: %s", it_describe(&r));
    it_free(&r);
    free(path);
    path = it_fmt("/sprints/%s/close", sid);
    r = call("POST", path, NULL, 200);
    it_free(&r);
    free(path);
    free(scrum);
    free(sid);
    free(cap);
}

DSM_SUITE("integration/sprint", suite_init, NULL, DSM_TEST(test_health), DSM_TEST(test_setup),
          DSM_TEST(test_create_refused), DSM_TEST(test_create), DSM_TEST(test_reads),
          DSM_TEST(test_progress_refused), DSM_TEST(test_progress),
          DSM_TEST(test_scrum_refused), DSM_TEST(test_scrum_pto),
          DSM_TEST(test_scrum_force_holiday), DSM_TEST(test_close),
          DSM_TEST(test_second_sprint), DSM_TEST(test_concurrent_create),
          DSM_TEST(test_sim_capacity))
