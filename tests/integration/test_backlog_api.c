/*
 * test_backlog_api.c — the Backlog service (api.md §3, B1–B7) end to end through nginx.
 *
 * Creates its own projects through the Project service (ids from a per-run prefix
 * "ITB<pid>-<time>", so the suite can rerun on the same databases), generates their backlogs
 * and checks every endpoint with exact bodies where the spec fixes them. Status codes are the
 * *intended* ones (404 unknown project/task, 422 validation, 503 dependency down — the latter
 * is not provoked here: it would take the Project pool down under the other suites). Bad input
 * for every write endpoint must leave the backlog byte-for-byte unchanged. The tests run in
 * order and build on each other.
 */
#include "dsm_test.h"
#include "it_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char run_id[48]; /* ITB<pid>-<time> */
static char p1[64];     /* project with a backlog */
static char p2[64];     /* project without tasks */
static int p1_ok;       /* P1 exists and its backlog was generated */

static const char *const tpl[10][2] = {
    {"Setup development environment", "Configure IDEs and necessary tools."},
    {"Design database schema", "Create ERD and define tables."},
    {"Implement user authentication", "Develop login/logout and registration features."},
    {"Build UI for dashboard", "Create the main dashboard interface."},
    {"Develop API for task management", "Implement CRUD operations for tasks."},
    {"Write unit tests for backend", "Ensure code quality with comprehensive tests."},
    {"Deploy to staging environment", "Set up CI/CD for automated deployments."},
    {"Conduct user acceptance testing", "Gather feedback from end-users."},
    {"Prepare documentation", "Write API docs and user guides."},
    {"Refactor legacy code", "Improve existing code for maintainability."},
};

static int suite_init(void)
{
    snprintf(run_id, sizeof run_id, "ITB%ld-%ld", (long)getpid(), (long)time(NULL));
    snprintf(p1, sizeof p1, "%s-P1", run_id);
    snprintf(p2, sizeof p2, "%s-P2", run_id);
    return 0;
}

/* Python isoformat of a naive datetime: YYYY-MM-DDTHH:MM:SS[.ffffff] */
static int is_naive_iso(const char *s)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:dd";
    size_t n;

    if (s == NULL)
        return 0;
    n = strlen(s);
    if (n != 19 && n != 26)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char p = i < 19 ? pat[i] : (i == 19 ? '.' : 'd');
        if (p == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != p)
            return 0;
    }
    return 1;
}

/* The Task JSON of template task n (1..10) of project pid, with the given mutable fields
 * (JSON literals: "null", "\"E001\"", ...). Malloc'd. */
static char *task_json(const char *pid, int n, const char *status, const char *assigned,
                       const char *sprint, const char *progress)
{
    return it_fmt("{\"task_id\":\"%s-TASK%03d\",\"project_id\":\"%s\",\"title\":\"%s\","
                  "\"description\":\"%s\",\"status\":%s,\"assigned_to\":%s,\"sprint_id\":%s,"
                  "\"progress_percentage\":%s}",
                  pid, n, pid, tpl[n - 1][0], tpl[n - 1][1], status, assigned, sprint, progress);
}

/* The B6 body of a freshly generated backlog. Malloc'd. */
static char *fresh_backlog(const char *pid)
{
    size_t cap = 8192, len = 1;
    char *out = malloc(cap);

    if (out == NULL)
        abort();
    strcpy(out, "[");
    for (int n = 1; n <= 10; n++) {
        char *t = task_json(pid, n, "\"unassigned\"", "null", "null", "0");
        len += strlen(t) + 1;
        if (len + 2 > cap)
            abort();
        if (n > 1)
            strcat(out, ",");
        strcat(out, t);
        free(t);
    }
    strcat(out, "]");
    return out;
}

static char *get_body(const char *path)
{
    it_resp_t r = it_req("GET", path, NULL, NULL);
    char *body = it_fmt("%ld %s", r.status, r.body);
    it_free(&r);
    return body;
}

/* The task object of task n of p1 in a fresh B6 listing (compact JSON, malloc'd). */
static char *task_now(int n)
{
    char *path = it_fmt("/backlogs/%s", p1), *id = it_fmt("%s-TASK%03d", p1, n), *out;
    it_resp_t r = it_req("GET", path, NULL, NULL);
    json_object *t = r.json != NULL ? it_array_find(r.json, "task_id", id) : NULL;

    out = it_fmt("%s", t != NULL ? it_compact(t) : "(missing)");
    it_free(&r);
    free(path);
    free(id);
    return out;
}

static long put_task(int n, const char *body)
{
    char *path = it_fmt("/tasks/%s-TASK%03d", p1, n);
    it_resp_t r = it_json("PUT", path, body);
    long st = r.status;

    if (st == 200) {
        char *want = it_fmt("{\"message\":\"Task %s-TASK%03d updated successfully\"}", p1, n);
        IT_EXPECT_BODY(&r, 200, want, "B7 update");
        free(want);
    }
    it_free(&r);
    free(path);
    return st;
}

/* ---- B1, B2 ----------------------------------------------------------------------------- */

static void test_health(void)
{
    static const char ready_prefix[] = "{\"service\":\"backlog-service\",\"status\":\"ready\","
                                       "\"database\":\"ok\",\"redis\":\"ok\",\"external_apis\":"
                                       "{\"project_service\":\"ok\"},\"timestamp\":\"";
    it_resp_t r = it_req("GET", "/backlog/health", NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "{\"status\":\"ok\"}", "B1 GET /backlog/health");
    it_free(&r);

    r = it_req("GET", "/backlog/health/ready", NULL, NULL);
    IT_CHECK(r.status == 200 && it_is_json_ct(&r), "B2 status: %s", it_describe(&r));
    IT_CHECK(r.json != NULL && json_object_object_length(r.json) == 6, "B2 has 6 members: %s",
             it_describe(&r));
    IT_CHECK(strncmp(r.body, ready_prefix, strlen(ready_prefix)) == 0,
             "B2 body shape and key order: %s", it_describe(&r));
    IT_CHECK(is_naive_iso(it_get_str(&r, "timestamp")), "B2 naive ISO timestamp: %s",
             it_describe(&r));
    it_free(&r);
}

/* ---- B4 ------------------------------------------------------------------------------------ */

static void create_project(const char *id)
{
    char *body = it_fmt("{\"id\":\"%s\",\"name\":\"IT backlog %s\",\"description\":\"d\","
                        "\"status\":\"inactive\"}",
                        id, id);
    it_resp_t r = it_json("POST", "/projects", body);
    IT_CHECK(r.status == 201, "P3 create %s: %s", id, it_describe(&r));
    it_free(&r);
    free(body);
}

static void test_generate_unknown_project(void)
{
    char *path = it_fmt("/backlogs/%s-NOPE", run_id), *want = it_fmt("Project %s-NOPE not found.",
                                                                      run_id);
    it_resp_t r = it_req("POST", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, want, "B4 unknown project");
    it_free(&r);

    /* nothing was created */
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "[]", "B6 after a refused B4");
    it_free(&r);
    free(want);
    want = it_fmt("{\"project_id\":\"%s-NOPE\",\"total_tasks\":0,\"status_counts\":{},"
                  "\"unassigned_for_sprint_count\":0}",
                  run_id);
    free(path);
    path = it_fmt("/backlogs/%s-NOPE/summary", run_id);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "B5 unknown project: zeros, not 404");
    it_free(&r);
    free(path);
    free(want);

    /* an id the Project service must receive percent-encoded (space, '?', '#', UTF-8) */
    {
        char *raw = it_fmt("%s x?#\xC3\xA9", run_id), *enc = it_urlenc(raw);
        path = it_fmt("/backlogs/%s", enc);
        want = it_fmt("Project %s not found.", raw);
        r = it_req("POST", path, NULL, NULL);
        IT_EXPECT_ERROR(&r, 404, want, "B4 unknown project with reserved characters");
        it_free(&r);
        free(raw);
        free(enc);
        free(path);
        free(want);
    }
}

static void test_generate(void)
{
    char *path, *want, *got;
    it_resp_t r;

    create_project(p1);
    create_project(p2);
    path = it_fmt("/backlogs/%s", p1);
    want = it_fmt("{\"message\":\"Backlog generated successfully for project %s\","
                  "\"tasks_count\":10}",
                  p1);
    r = it_req("POST", path, NULL, NULL);
    p1_ok = IT_EXPECT_BODY(&r, 201, want, "B4 generate");
    it_free(&r);
    free(want);

    want = fresh_backlog(p1);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "B6 the ten template tasks, in order, exact");
    it_free(&r);
    free(want);
    free(path);

    path = it_fmt("/backlogs/%s/summary", p1);
    want = it_fmt("{\"project_id\":\"%s\",\"total_tasks\":10,\"status_counts\":"
                  "{\"unassigned\":10},\"unassigned_for_sprint_count\":10}",
                  p1);
    got = get_body(path);
    IT_CHECK(strncmp(got, "200 ", 4) == 0 && strcmp(got + 4, want) == 0, "B5 summary: %s", got);
    free(got);
    free(want);
    free(path);

    /* a body is ignored; a trailing slash is a 307 (FastAPI) */
    path = it_fmt("/backlogs/%s/", p1);
    r = it_req("POST", path, NULL, NULL);
    IT_CHECK(r.status == 307, "B4 trailing slash -> 307: %s", it_describe(&r));
    it_free(&r);
    free(path);
}

/* Generating again resets the ten template tasks (the spec's upsert; workflows.md §2.4). */
static void test_generate_again_resets(void)
{
    char *path = it_fmt("/backlogs/%s", p1), *want;
    it_resp_t r;

    CU_ASSERT_FATAL(p1_ok);
    IT_CHECK(put_task(3, "{\"status\":\"in_progress\",\"progress_percentage\":40,"
                         "\"sprint_id\":\"S01\",\"assigned_to\":\"E001\"}") == 200,
             "B7 before regenerating");
    IT_CHECK(put_task(4, "{\"status\":\"completed\",\"progress_percentage\":100}") == 200,
             "B7 before regenerating");
    want = fresh_backlog(p1);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && strcmp(r.body, want) != 0, "tasks changed before regenerating");
    it_free(&r);

    r = it_req("POST", path, NULL, NULL);
    IT_CHECK(r.status == 201, "B4 again -> 201: %s", it_describe(&r));
    it_free(&r);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "B6 after generating again: every template task reset");
    it_free(&r);
    free(want);
    free(path);
}

/* ---- B6 filters, B5 counts --------------------------------------------------------------- */

static void test_list_and_summary(void)
{
    char *path, *want, *got, *t;
    it_resp_t r;

    CU_ASSERT_FATAL(p1_ok);
    IT_CHECK(put_task(1, "{\"status\":\"in_progress\",\"progress_percentage\":10,"
                         "\"sprint_id\":\"S01\",\"assigned_to\":\"E001\"}") == 200, "B7");
    IT_CHECK(put_task(2, "{\"status\":\"completed\",\"progress_percentage\":100,"
                         "\"sprint_id\":\"S01\"}") == 200, "B7");
    /* still "unassigned" but with a sprint: listed by ?status=unassigned, not counted as
     * unassigned_for_sprint */
    IT_CHECK(put_task(5, "{\"sprint_id\":\"S01\"}") == 200, "B7");

    path = it_fmt("/backlogs/%s?status=in_progress", p1);
    t = task_json(p1, 1, "\"in_progress\"", "\"E001\"", "\"S01\"", "10");
    want = it_fmt("[%s]", t);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "B6 ?status=in_progress");
    it_free(&r);
    free(t);
    free(want);
    free(path);

    path = it_fmt("/backlogs/%s?status=unassigned", p1);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && r.json != NULL && json_object_array_length(r.json) == 8,
             "B6 ?status=unassigned: 8 tasks (one with a sprint): %s", it_describe(&r));
    it_free(&r);
    free(path);

    path = it_fmt("/backlogs/%s?status=", p1);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && r.json != NULL && json_object_array_length(r.json) == 10,
             "B6 ?status= (empty: no filter): %s", it_describe(&r));
    it_free(&r);
    free(path);

    path = it_fmt("/backlogs/%s?status=nope", p1);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "[]", "B6 ?status=nope");
    it_free(&r);
    free(path);

    path = it_fmt("/backlogs/%s", p2);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "[]", "B6 project without tasks");
    it_free(&r);
    free(path);

    path = it_fmt("/backlogs/%s/summary", p1);
    want = it_fmt("{\"project_id\":\"%s\",\"total_tasks\":10,\"status_counts\":{\"completed\":1,"
                  "\"in_progress\":1,\"unassigned\":8},\"unassigned_for_sprint_count\":7}",
                  p1);
    got = get_body(path);
    IT_CHECK(strncmp(got, "200 ", 4) == 0 && strcmp(got + 4, want) == 0,
             "B5 summary (statuses in byte order): %s", got);
    free(got);
    free(want);
    free(path);
}

/* ---- B3 ------------------------------------------------------------------------------------ */

static void test_summary_all(void)
{
    it_resp_t r = it_req("GET", "/backlogs/summary", NULL, NULL);
    it_resp_t pr = it_req("GET", "/projects", NULL, NULL);
    size_t n, np, i, first_empty = (size_t)-1;
    long i1 = -1, i2 = -1;
    int order_ok = 1, shape_ok = 1, ids_ok = 1;

    IT_CHECK(r.status == 200 && r.json != NULL && json_object_is_type(r.json, json_type_array),
             "B3 array: %s", it_describe(&r));
    IT_CHECK(pr.status == 200 && pr.json != NULL, "P4: %s", it_describe(&pr));
    if (r.json == NULL || pr.json == NULL || !json_object_is_type(r.json, json_type_array)) {
        it_free(&r);
        it_free(&pr);
        return;
    }
    n = json_object_array_length(r.json);
    np = json_object_array_length(pr.json);
    IT_CHECK(n == np, "B3 one summary per project: %zu summaries, %zu projects", n, np);
    for (i = 0; i < n; i++) {
        json_object *s = json_object_array_get_idx(r.json, i), *v;
        const char *pid;
        int64_t total;
        json_object_object_get_ex(s, "project_id", &v);
        pid = json_object_get_string(v);
        json_object_object_get_ex(s, "total_tasks", &v);
        total = json_object_get_int64(v);
        if (json_object_object_length(s) != 4 ||
            strncmp(it_compact(s), "{\"project_id\":", 14) != 0 ||
            strstr(it_compact(s), ",\"total_tasks\":") == NULL ||
            strstr(it_compact(s), ",\"status_counts\":{") == NULL ||
            strstr(it_compact(s), ",\"unassigned_for_sprint_count\":") == NULL)
            shape_ok = 0;
        if (total == 0 && first_empty == (size_t)-1)
            first_empty = i;
        if (total > 0 && first_empty != (size_t)-1)
            order_ok = 0;
        if (pid == NULL || it_array_find(pr.json, "id", pid) == NULL ||
            it_array_count(r.json, "project_id", pid) != 1)
            ids_ok = 0;
        if (pid != NULL && strcmp(pid, p1) == 0)
            i1 = (long)i;
        if (pid != NULL && strcmp(pid, p2) == 0)
            i2 = (long)i;
    }
    IT_CHECK(shape_ok, "B3 every summary has the four keys in order");
    IT_CHECK(order_ok, "B3 projects with tasks come first");
    IT_CHECK(ids_ok, "B3 each listed project exactly once");
    IT_CHECK(i1 >= 0 && i2 > i1, "B3 lists %s (tasks) before %s (none): %ld %ld", p1, p2, i1, i2);
    if (i1 >= 0) {
        char *want = it_fmt("{\"project_id\":\"%s\",\"total_tasks\":10,\"status_counts\":"
                            "{\"completed\":1,\"in_progress\":1,\"unassigned\":8},"
                            "\"unassigned_for_sprint_count\":7}",
                            p1);
        const char *got = it_compact(json_object_array_get_idx(r.json, (size_t)i1));
        IT_CHECK(strcmp(got, want) == 0, "B3 summary of %s: %s", p1, got);
        free(want);
    }
    if (i2 >= 0) {
        char *want = it_fmt("{\"project_id\":\"%s\",\"total_tasks\":0,\"status_counts\":{},"
                            "\"unassigned_for_sprint_count\":0}",
                            p2);
        const char *got = it_compact(json_object_array_get_idx(r.json, (size_t)i2));
        IT_CHECK(strcmp(got, want) == 0, "B3 summary of %s: %s", p2, got);
        free(want);
    }
    it_free(&r);
    it_free(&pr);
}

/* ---- B7 ------------------------------------------------------------------------------------ */

static void test_update_rules(void)
{
    char *got, *want;

    CU_ASSERT_FATAL(p1_ok);
    IT_CHECK(put_task(6, "{\"title\":\"T6\",\"description\":\"D6\",\"status\":\"in_progress\","
                         "\"assigned_to\":\"E002\",\"sprint_id\":\"S02\","
                         "\"progress_percentage\":30,\"extra\":[1]}") == 200,
             "B7 every field (+ an ignored extra key)");
    got = task_now(6);
    want = it_fmt("{\"task_id\":\"%s-TASK006\",\"project_id\":\"%s\",\"title\":\"T6\","
                  "\"description\":\"D6\",\"status\":\"in_progress\",\"assigned_to\":\"E002\","
                  "\"sprint_id\":\"S02\",\"progress_percentage\":30}",
                  p1, p1);
    IT_CHECK(strcmp(got, want) == 0, "B7 all fields applied: %s", got);
    free(got);

    /* null leaves title, assigned_to, progress as they are */
    IT_CHECK(put_task(6, "{\"title\":null,\"assigned_to\":null,\"progress_percentage\":null,"
                         "\"status\":\"completed\"}") == 200,
             "B7 nulls");
    got = task_now(6);
    free(want);
    want = it_fmt("{\"task_id\":\"%s-TASK006\",\"project_id\":\"%s\",\"title\":\"T6\","
                  "\"description\":\"D6\",\"status\":\"completed\",\"assigned_to\":\"E002\","
                  "\"sprint_id\":\"S02\",\"progress_percentage\":30}",
                  p1, p1);
    IT_CHECK(strcmp(got, want) == 0, "B7 null does not clear: %s", got);
    free(got);
    free(want);

    /* explicit sprint_id null clears it */
    IT_CHECK(put_task(6, "{\"sprint_id\":null}") == 200, "B7 sprint_id null");
    got = task_now(6);
    IT_CHECK(strstr(got, "\"sprint_id\":null") != NULL && strstr(got, "\"completed\"") != NULL,
             "B7 sprint_id null clears only the sprint: %s", got);
    free(got);

    /* status unassigned without a sprint_id key clears the sprint too */
    IT_CHECK(put_task(7, "{\"sprint_id\":\"S09\",\"status\":\"assigned_to_sprint\"}") == 200,
             "B7");
    IT_CHECK(put_task(7, "{\"status\":\"unassigned\"}") == 200, "B7 back to unassigned");
    got = task_now(7);
    IT_CHECK(strstr(got, "\"status\":\"unassigned\"") != NULL &&
                 strstr(got, "\"sprint_id\":null") != NULL,
             "B7 unassigned clears the sprint: %s", got);
    free(got);
    /* ... but not when sprint_id is given */
    IT_CHECK(put_task(7, "{\"status\":\"unassigned\",\"sprint_id\":\"S10\"}") == 200, "B7");
    got = task_now(7);
    IT_CHECK(strstr(got, "\"sprint_id\":\"S10\"") != NULL, "B7 unassigned + sprint_id: %s", got);
    free(got);

    /* Pydantic-lax integers and the bounds */
    IT_CHECK(put_task(8, "{\"progress_percentage\":\"75\"}") == 200, "B7 \"75\"");
    got = task_now(8);
    IT_CHECK(strstr(got, "\"progress_percentage\":75}") != NULL, "B7 lax int: %s", got);
    free(got);
    IT_CHECK(put_task(8, "{\"progress_percentage\":100.0}") == 200, "B7 100.0");
    IT_CHECK(put_task(8, "{\"progress_percentage\":0}") == 200, "B7 0");
    got = task_now(8);
    IT_CHECK(strstr(got, "\"progress_percentage\":0}") != NULL, "B7 bound 0: %s", got);
    free(got);
    IT_CHECK(put_task(8, "{\"progress_percentage\":100}") == 200, "B7 100");
    IT_CHECK(put_task(8, "{\"status\":\"assigned_to_sprint\"}") == 200, "B7 known status");
    /* idempotent */
    IT_CHECK(put_task(8, "{\"status\":\"assigned_to_sprint\"}") == 200, "B7 same again");
}

typedef struct {
    const char *body; /* NULL: no body */
    long status;
    const char *type;   /* first 422 list entry's type, or NULL */
    const char *field;  /* its loc[1], or NULL */
    const char *detail; /* a string detail, or NULL */
} bad_case_t;

static void test_update_bad_input(void)
{
    char long_title[300], *long_body, *before, *before_sum, *after, *after_sum, *path, *want;
    char *bl_path = it_fmt("/backlogs/%s", p1), *sum_path = it_fmt("/backlogs/%s/summary", p1);
    const bad_case_t cases[] = {
        {"{\"progress_percentage\":-1}", 422, "greater_than_equal", "progress_percentage", NULL},
        {"{\"progress_percentage\":101}", 422, "less_than_equal", "progress_percentage", NULL},
        {"{\"status\":\"done\"}", 422, "literal_error", "status", NULL},
        {"{\"status\":\"Completed\"}", 422, "literal_error", "status", NULL},
        {"{\"status\":\"in_progress\",\"progress_percentage\":101}", 422, "less_than_equal",
         "progress_percentage", NULL},
        {"{\"title\":\"changed\",\"status\":\"bogus\"}", 422, "literal_error", "status", NULL},
        {"{\"title\":5}", 422, "string_type", "title", NULL},
        {"{\"sprint_id\":7}", 422, "string_type", "sprint_id", NULL},
        {"{\"progress_percentage\":\"ten\"}", 422, "int_parsing", "progress_percentage", NULL},
        {"{\"progress_percentage\":5.5}", 422, NULL, "progress_percentage", NULL},
        {"{\"progress_percentage\":-1,\"title\":\"x\"}", 422, NULL, NULL, NULL},
        {"{}", 422, NULL, NULL, "No fields provided for update."},
        {"{\"title\":null,\"status\":null}", 422, NULL, NULL, "No fields provided for update."},
        {"{\"status\":", 422, "json_invalid", NULL, NULL},
        {"[1]", 422, "model_attributes_type", NULL, NULL},
        {NULL, 422, "missing", NULL, NULL},
        {"", 422, NULL, NULL, NULL}, /* filled with the 256-character title below */
    };
    size_t ncases = sizeof cases / sizeof cases[0];

    CU_ASSERT_FATAL(p1_ok);
    memset(long_title, 'x', 256);
    long_title[256] = '\0';
    long_body = it_fmt("{\"title\":\"%s\"}", long_title);
    before = get_body(bl_path);
    before_sum = get_body(sum_path);

    path = it_fmt("/tasks/%s-TASK009", p1);
    for (size_t i = 0; i < ncases; i++) {
        bad_case_t c = cases[i];
        it_resp_t r;
        if (c.body != NULL && c.body[0] == '\0') {
            c.body = long_body;
            c.type = "string_too_long";
            c.field = "title";
        }
        r = c.body != NULL ? it_json("PUT", path, c.body) : it_req("PUT", path, NULL, IT_JSON);
        IT_CHECK(r.status == c.status && it_is_json_error(&r), "B7 %s -> %ld: %s",
                 c.body ? c.body : "(no body)", c.status, it_describe(&r));
        if (c.detail != NULL)
            IT_EXPECT_ERROR(&r, c.status, c.detail, c.body);
        if (c.type != NULL || c.field != NULL) {
            json_object *e = NULL, *v = NULL;
            if (it_is_detail_list(&r))
                e = json_object_array_get_idx(it_get(&r, "detail"), 0);
            if (c.type != NULL) {
                IT_CHECK(e != NULL && json_object_object_get_ex(e, "type", &v) &&
                             strcmp(json_object_get_string(v), c.type) == 0,
                         "B7 %s: type %s: %s", c.body ? c.body : "(no body)", c.type,
                         it_describe(&r));
            }
            if (c.field != NULL) {
                char *loc = it_fmt("[\"body\",\"%s\"]", c.field);
                IT_CHECK(e != NULL && json_object_object_get_ex(e, "loc", &v) &&
                             strcmp(it_compact(v), loc) == 0,
                         "B7 %s: loc %s: %s", c.body, loc, it_describe(&r));
                free(loc);
            }
        }
        it_free(&r);
    }
    free(path);

    /* the problems of several fields come in one list, in the model's field order */
    {
        it_resp_t r;
        path = it_fmt("/tasks/%s-TASK009", p1);
        r = it_json("PUT", path,
                    "{\"progress_percentage\":101,\"status\":\"x\",\"title\":1}");
        IT_CHECK(r.status == 422 && it_is_detail_list(&r) &&
                     json_object_array_length(it_get(&r, "detail")) == 3,
                 "B7 three problems: %s", it_describe(&r));
        if (it_is_detail_list(&r) && json_object_array_length(it_get(&r, "detail")) == 3) {
            const char *types[3] = {"string_type", "literal_error", "less_than_equal"};
            for (size_t i = 0; i < 3; i++) {
                json_object *v;
                json_object_object_get_ex(json_object_array_get_idx(it_get(&r, "detail"), i),
                                          "type", &v);
                IT_CHECK(strcmp(json_object_get_string(v), types[i]) == 0, "B7 problem %zu: %s",
                         i, it_describe(&r));
            }
        }
        it_free(&r);
        free(path);
    }

    /* unknown task: 404 for a valid body, 422 when the body is invalid (validated first) */
    {
        it_resp_t r;
        path = it_fmt("/tasks/%s-TASK099", p1);
        want = it_fmt("Task %s-TASK099 not found.", p1);
        r = it_json("PUT", path, "{\"status\":\"completed\",\"progress_percentage\":100}");
        IT_EXPECT_ERROR(&r, 404, want, "B7 unknown task");
        it_free(&r);
        r = it_json("PUT", path, "{\"progress_percentage\":101}");
        IT_CHECK(r.status == 422, "B7 unknown task + bad body -> 422: %s", it_describe(&r));
        it_free(&r);
        free(path);
        free(want);
    }

    /* wrong methods */
    {
        it_resp_t r;
        path = it_fmt("/tasks/%s-TASK009", p1);
        r = it_req("DELETE", path, NULL, NULL);
        IT_EXPECT_ERROR(&r, 405, "Method Not Allowed", "DELETE /tasks/{id}");
        it_free(&r);
        r = it_req("PATCH", bl_path, "{}", IT_JSON);
        IT_EXPECT_ERROR(&r, 405, "Method Not Allowed", "PATCH /backlogs/{id}");
        it_free(&r);
        free(path);
    }

    after = get_body(bl_path);
    after_sum = get_body(sum_path);
    IT_CHECK(strcmp(before, after) == 0, "bad input changed the backlog:\n%s\n%s", before, after);
    IT_CHECK(strcmp(before_sum, after_sum) == 0, "bad input changed the summary");
    free(before);
    free(after);
    free(before_sum);
    free(after_sum);
    free(long_body);
    free(bl_path);
    free(sum_path);
}

DSM_SUITE("integration/backlog", suite_init, NULL, DSM_TEST(test_health),
          DSM_TEST(test_generate_unknown_project), DSM_TEST(test_generate),
          DSM_TEST(test_generate_again_resets), DSM_TEST(test_list_and_summary),
          DSM_TEST(test_summary_all), DSM_TEST(test_update_rules),
          DSM_TEST(test_update_bad_input));
