/*
 * test_project_api.c — the Project service (api.md §2, P1–P20) end to end through nginx.
 *
 * Reads the seeded demo data (PHE001 and its team) and writes its own rows, named from a
 * per-run prefix ("IT<pid>-<time>"), so the suite can rerun on the same database. Status codes
 * are the *intended* ones of the spec (404 missing, 409 duplicate project, 422 validation,
 * 400 malformed JSON on the raw-JSON endpoints P13/P19). The tests run in order and build on
 * each other (project → employees → assignment → PTO → availability → deletion).
 */
#include "dsm_test.h"
#include "it_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char run_id[48];      /* IT<pid>-<time> */
static char prj[64];         /* the project this run creates */
static char e1[64], e2[64], e3[64];
static char n1[64], n2[64], n3[64];
static char pto_nov[64], pto_aug[64];
static int year;
static int thanks_day;       /* day of November of this year's Thanksgiving */

/* 0 = Sunday … 6 = Saturday (Sakamoto). */
static int dow(int y, int m, int d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

static int suite_init(void)
{
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    year = tm.tm_year + 1900;
    thanks_day = 1 + (4 - dow(year, 11, 1) + 7) % 7 + 21;
    snprintf(run_id, sizeof run_id, "IT%ld-%ld", (long)getpid(), (long)now);
    snprintf(prj, sizeof prj, "%s-P", run_id);
    snprintf(e1, sizeof e1, "%s-E1", run_id);
    snprintf(e2, sizeof e2, "%s-E2", run_id);
    snprintf(e3, sizeof e3, "%s-E3", run_id);
    snprintf(n1, sizeof n1, "IT Alice %s", run_id);
    snprintf(n2, sizeof n2, "IT Bob %s", run_id);
    snprintf(n3, sizeof n3, "IT Carol %s", run_id);
    return 0;
}

static int is_uuid4(const char *s)
{
    if (s == NULL || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return s[14] == '4' && strchr("89ab", s[19]) != NULL;
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

/* ---- P1, P2 ---------------------------------------------------------------------------- */

static void test_health(void)
{
    static const char ready_prefix[] = "{\"service\":\"project-service\",\"status\":\"ready\","
                                       "\"database\":\"ok\",\"timestamp\":\"";
    it_resp_t r = it_req("GET", "/project/health", NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "{\"status\":\"ok\"}", "P1 GET /project/health");
    it_free(&r);

    r = it_req("GET", "/project/health/ready", NULL, NULL);
    IT_CHECK(r.status == 200 && it_is_json_ct(&r), "P2 status: %s", it_describe(&r));
    IT_CHECK(r.json != NULL && json_object_object_length(r.json) == 4,
             "P2 has 4 members: %s", it_describe(&r));
    IT_CHECK(strncmp(r.body, ready_prefix, strlen(ready_prefix)) == 0,
             "P2 body shape and key order: %s", it_describe(&r));
    IT_CHECK(is_naive_iso(it_get_str(&r, "timestamp")), "P2 naive ISO timestamp: %s",
             it_describe(&r));
    it_free(&r);
}

/* ---- P3, P4, P5, P6 --------------------------------------------------------------------- */

static void test_project_create(void)
{
    char *body = it_fmt("{\"id\":\"%s\",\"name\":\"  IT Project %s \",\"description\":"
                        "\"\\tdesc %s \",\"status\":\"inactive\"}",
                        prj, run_id, run_id);
    char *want = it_fmt("{\"message\":\"Project created successfully\",\"project_id\":\"%s\"}",
                        prj);
    it_resp_t r = it_json("POST", "/projects", body);
    IT_EXPECT_BODY(&r, 201, want, "P3 create");
    it_free(&r);

    r = it_json("POST", "/projects", body);
    IT_EXPECT_ERROR(&r, 409, NULL, "P3 duplicate project");
    IT_CHECK(it_get_str(&r, "detail") != NULL, "P3 duplicate: detail is a string: %s",
             it_describe(&r));
    it_free(&r);

    free(body);
    body = it_fmt("{\"id\":\"%s-X\",\"description\":\"d\",\"status\":\"s\"}", run_id);
    r = it_json("POST", "/projects", body);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "P3 missing name -> 422 list: %s",
             it_describe(&r));
    if (it_is_detail_list(&r)) {
        json_object *e = json_object_array_get_idx(it_get(&r, "detail"), 0), *v;
        json_object_object_get_ex(e, "type", &v);
        IT_CHECK(strcmp(json_object_get_string(v), "missing") == 0, "P3 422 type missing: %s",
                 it_describe(&r));
        json_object_object_get_ex(e, "loc", &v);
        IT_CHECK(strcmp(it_compact(v), "[\"body\",\"name\"]") == 0, "P3 422 loc: %s",
                 it_describe(&r));
        json_object_object_get_ex(e, "msg", &v);
        IT_CHECK(strcmp(json_object_get_string(v), "Field required") == 0, "P3 422 msg: %s",
                 it_describe(&r));
    }
    it_free(&r);

    r = it_req("POST", "/projects", NULL, IT_JSON);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "P3 no body -> 422 list: %s",
             it_describe(&r));
    it_free(&r);
    free(body);
    free(want);
}

static void test_project_get(void)
{
    char *path = it_fmt("/projects/%s", prj);
    char *want = it_fmt("{\"id\":\"%s\",\"name\":\"IT Project %s\",\"description\":\"desc %s\","
                        "\"status\":\"inactive\"}",
                        prj, run_id, run_id);
    it_resp_t r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "P5 get (trimmed)");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/projects/%s-NOPE", run_id);
    want = it_fmt("Project %s-NOPE not found.", run_id);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, want, "P5 unknown project");
    it_free(&r);
    free(path);
    free(want);

    r = it_req("GET", "/projects/PHE001", NULL, NULL);
    IT_CHECK(r.status == 200 && it_get_str(&r, "id") != NULL &&
                 strcmp(it_get_str(&r, "id"), "PHE001") == 0 && it_get_str(&r, "name") != NULL &&
                 it_get_str(&r, "description") != NULL && it_get_str(&r, "status") != NULL,
             "P5 seeded PHE001: %s", it_describe(&r));
    it_free(&r);
}

static void test_project_list(void)
{
    it_resp_t r = it_req("GET", "/projects", NULL, NULL);
    json_object *mine;
    char *want = it_fmt("{\"id\":\"%s\",\"name\":\"  IT Project %s \",\"description\":"
                        "\"\\tdesc %s \",\"status\":\"inactive\"}",
                        prj, run_id, run_id);
    json_object *want_obj = json_tokener_parse(want);

    IT_CHECK(r.status == 200 && r.json != NULL && json_object_is_type(r.json, json_type_array),
             "P4 list is an array: %s", it_describe(&r));
    mine = it_array_find(r.json, "id", prj);
    IT_CHECK(mine != NULL && json_object_equal(mine, want_obj),
             "P4 holds the new project untrimmed: got %s", mine != NULL ? it_compact(mine) : "-");
    if (mine != NULL)
        IT_CHECK(strcmp(it_compact(mine), want) == 0, "P4 key order: %s", it_compact(mine));
    IT_CHECK(it_array_find(r.json, "id", "PHE001") != NULL, "P4 holds seeded PHE001");
    IT_CHECK(it_array_count(r.json, "id", prj) == 1, "P4 holds the new project once");
    json_object_put(want_obj);
    free(want);
    it_free(&r);

    r = it_req("GET", "/projects?limit=1&offset=5", NULL, NULL);
    IT_CHECK(r.status == 200 && it_array_find(r.json, "id", prj) != NULL,
             "P4 ignores limit/offset: %s", it_describe(&r));
    it_free(&r);
}

static void test_project_status(void)
{
    char *path = it_fmt("/projects/%s/status", prj);
    char *want = it_fmt("{\"message\":\"Project status updated successfully\",\"project_id\":"
                        "\"%s\",\"status\":\"active\"}",
                        prj);
    it_resp_t r = it_json("PUT", path, "{\"status\":\"active\"}");
    IT_EXPECT_BODY(&r, 200, want, "P6 status update");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/projects/%s", prj);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && it_get_str(&r, "status") != NULL &&
                 strcmp(it_get_str(&r, "status"), "active") == 0,
             "P6 visible in P5: %s", it_describe(&r));
    it_free(&r);
    free(path);

    path = it_fmt("/projects/%s-NOPE/status", run_id);
    want = it_fmt("Project %s-NOPE not found.", run_id);
    r = it_json("PUT", path, "{\"status\":\"active\"}");
    IT_EXPECT_ERROR(&r, 404, want, "P6 unknown project");
    it_free(&r);
    free(want);

    r = it_json("PUT", path, "{\"state\":\"active\"}");
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "P6 missing status -> 422: %s",
             it_describe(&r));
    it_free(&r);
    free(path);
}

/* ---- P13, P15, P16, P17, P18 ------------------------------------------------------------ */

static void create_employee(const char *id, const char *name, const char *gender,
                            const char *state, int age)
{
    char *body = it_fmt("{\"employee_id\":\"%s\",\"name\":\"%s\",\"gender\":\"%s\",\"state\":"
                        "\"%s\",\"age\":%d}",
                        id, name, gender, state, age);
    char *want = it_fmt("{\"employee_id\":\"%s\",\"employee_name\":\"%s\"}", id, name);
    it_resp_t r = it_json("POST", "/employees", body);
    IT_EXPECT_BODY(&r, 201, want, "P13 create employee");
    it_free(&r);
    free(body);
    free(want);
}

static void test_employee_create(void)
{
    it_resp_t r;
    char *body, *want, *path;

    create_employee(e1, n1, "F", "CA", 31);
    create_employee(e2, n2, "M", "NY", 45);
    create_employee(e3, n3, "F", "TX", 28);

    /* duplicate: answered 201 with the echo, stored row unchanged */
    body = it_fmt("{\"employee_id\":\"%s\",\"name\":\"Somebody Else\",\"age\":99}", e1);
    want = it_fmt("{\"employee_id\":\"%s\",\"employee_name\":\"Somebody Else\"}", e1);
    r = it_json("POST", "/employees", body);
    IT_EXPECT_BODY(&r, 201, want, "P13 duplicate employee");
    it_free(&r);
    free(body);
    free(want);
    path = it_fmt("/employees/%s", e1);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && it_get_str(&r, "name") != NULL &&
                 strcmp(it_get_str(&r, "name"), n1) == 0,
             "P13 duplicate left the row unchanged: %s", it_describe(&r));
    it_free(&r);
    free(path);

    body = it_fmt("{\"employee_id\":\"%s-X\"}", run_id);
    r = it_json("POST", "/employees", body);
    IT_EXPECT_ERROR(&r, 422, "Employee ID and name are required.", "P13 missing name");
    it_free(&r);
    free(body);

    r = it_json("POST", "/employees", "{\"employee_id\": \"x\", ");
    IT_EXPECT_ERROR(&r, 400, "Invalid JSON format", "P13 malformed JSON");
    it_free(&r);
}

static void test_employee_get(void)
{
    char *path = it_fmt("/employees/%s", e1);
    char *want = it_fmt("{\"id\":\"%s\",\"name\":\"%s\",\"gender\":\"F\",\"state\":\"CA\","
                        "\"age\":31,\"project_assign\":false,\"active\":true,"
                        "\"assigned_projects\":[]}",
                        e1, n1);
    it_resp_t r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "P15 get employee");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/employees/%s-NOPE", run_id);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "Employee not found", "P15 unknown employee");
    it_free(&r);
    free(path);
}

static void test_teams(void)
{
    it_resp_t r = it_req("GET", "/teams", NULL, NULL);
    json_object *me;
    char *path, *want, *member = it_fmt("{\"employee_id\":\"%s\",\"employee_name\":\"%s\"}", e1,
                                        n1);

    IT_CHECK(r.status == 200 && r.json != NULL && json_object_is_type(r.json, json_type_array),
             "P16 /teams is an array: %s", it_describe(&r));
    me = it_array_find(r.json, "employee_id", e1);
    IT_CHECK(me != NULL && strcmp(it_compact(me), member) == 0, "P16 lists %s: got %s", e1,
             me != NULL ? it_compact(me) : "-");
    it_free(&r);

    path = it_fmt("/teams/%s", e1);
    want = it_fmt("{\"id\":\"%s\",\"name\":\"%s\",\"members\":[%s]}", e1, n1, member);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "P17 team");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/teams/%s/members", e1);
    want = it_fmt("[%s]", member);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "P18 team members");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/teams/%s-NOPE", run_id);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "Team not found", "P17 unknown team");
    it_free(&r);
    free(path);

    path = it_fmt("/teams/%s-NOPE/members", run_id);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "Team (employee) not found", "P18 unknown team");
    it_free(&r);
    free(path);
    free(member);
}

/* ---- P19, P7, P20 ----------------------------------------------------------------------- */

static void test_assign(void)
{
    char *path = it_fmt("/projects/%s/team-members-assign", prj);
    char *body = it_fmt("{\"employee_ids\":[\"%s\",\"%s\",\"%s-NOPE\"]}", e1, e2, run_id);
    char *want = it_fmt("{\"message\":\"Team members assigned to project %s successfully\"}",
                        prj);
    char *m1 = it_fmt("{\"id\":\"%s\",\"name\":\"%s\",\"gender\":\"F\",\"state\":\"CA\","
                      "\"age\":31}",
                      e1, n1);
    it_resp_t r;
    json_object *tm = NULL, *me;

    for (int i = 0; i < 2; i++) { /* idempotent */
        r = it_json("POST", path, body);
        IT_EXPECT_BODY(&r, 200, want, i == 0 ? "P19 assign" : "P19 assign again");
        it_free(&r);
    }

    r = it_json("POST", path, "{\"employee_ids\": [\"a\"");
    IT_EXPECT_ERROR(&r, 400, "Invalid JSON format", "P19 malformed JSON");
    it_free(&r);
    r = it_json("POST", path, "{\"employee_ids\":\"E001\"}");
    IT_EXPECT_ERROR(&r, 422, "'employee_ids' must be a list.", "P19 not a list");
    it_free(&r);
    r = it_json("POST", path, "{\"employee_ids\":[\"E001\",7]}");
    IT_EXPECT_ERROR(&r, 422, "All 'employee_ids' must be strings.", "P19 not strings");
    it_free(&r);
    free(path);

    path = it_fmt("/projects/%s-NOPE/team-members-assign", run_id);
    r = it_json("POST", path, body);
    IT_EXPECT_ERROR(&r, 404, NULL, "P19 unknown project");
    it_free(&r);
    free(path);

    /* P7 */
    path = it_fmt("/projects/%s/team-members", prj);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && it_get_str(&r, "project_id") != NULL &&
                 strcmp(it_get_str(&r, "project_id"), prj) == 0,
             "P7 project_id: %s", it_describe(&r));
    tm = it_get(&r, "team_members");
    IT_CHECK(tm != NULL && json_object_is_type(tm, json_type_array) &&
                 json_object_array_length(tm) == 2,
             "P7 exactly two members: %s", it_describe(&r));
    me = it_array_find(tm, "id", e1);
    IT_CHECK(me != NULL && strcmp(it_compact(me), m1) == 0, "P7 member e1: got %s",
             me != NULL ? it_compact(me) : "-");
    IT_CHECK(it_array_count(tm, "id", e2) == 1, "P7 member e2 once: %s", it_describe(&r));
    it_free(&r);
    free(path);

    path = it_fmt("/employees/%s", e1);
    free(want);
    want = it_fmt("{\"id\":\"%s\",\"name\":\"%s\",\"gender\":\"F\",\"state\":\"CA\","
                  "\"age\":31,\"project_assign\":true,\"active\":true,"
                  "\"assigned_projects\":[\"%s\"]}",
                  e1, n1, prj);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "P15 after assignment");
    it_free(&r);
    free(path);
    free(want);
    free(body);
    free(m1);
}

static void test_team_members_unknown_project(void)
{
    char *path = it_fmt("/projects/%s-NOPE/team-members", run_id);
    char *want = it_fmt("{\"project_id\":\"%s-NOPE\",\"team_members\":[]}", run_id);
    it_resp_t r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "P7 unknown project: empty list");
    it_free(&r);
    free(path);
    free(want);

    r = it_req("GET", "/projects/PHE001/team-members", NULL, NULL);
    IT_CHECK(r.status == 200 && it_get(&r, "team_members") != NULL &&
                 json_object_is_type(it_get(&r, "team_members"), json_type_array) &&
                 json_object_array_length(it_get(&r, "team_members")) > 0,
             "P7 seeded PHE001 has members: %s", it_describe(&r));
    it_free(&r);
}

static void test_employee_teams(void)
{
    char *path = it_fmt("/employees/%s/teams", e1);
    it_resp_t r = it_req("GET", path, NULL, NULL);
    json_object *t, *members = NULL;
    char *want;

    IT_CHECK(r.status == 200 && r.json != NULL && json_object_is_type(r.json, json_type_array) &&
                 json_object_array_length(r.json) == 1,
             "P20 one project: %s", it_describe(&r));
    t = it_array_find(r.json, "id", prj);
    IT_CHECK(t != NULL && json_object_object_get_ex(t, "members", &members) &&
                 it_array_find(members, "employee_id", e1) != NULL &&
                 json_object_object_get_ex(t, "name", NULL),
             "P20 entry {id,name,members[employee_id]}: %s", it_describe(&r));
    it_free(&r);
    free(path);

    path = it_fmt("/employees/%s/teams", e3);
    want = it_fmt("Employee %s not assigned to any projects.", e3);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, want, "P20 unassigned employee");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/employees/%s-NOPE/teams", run_id);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, NULL, "P20 unknown employee");
    it_free(&r);
    free(path);
}

/* ---- P8 --------------------------------------------------------------------------------- */

/* Federal rule: Saturday → Friday before, Sunday → Monday after. */
static void expect_holiday(json_object *list, int m, int d, const char *name)
{
    int w = dow(year, m, d), od = d + (w == 6 ? -1 : w == 0 ? 1 : 0);
    char date[32];
    json_object *h, *v;

    snprintf(date, sizeof date, "%04d-%02d-%02d", year, m, od);
    h = it_array_find(list, "holiday_date", date);
    IT_CHECK(h != NULL && json_object_object_get_ex(h, "holiday_name", &v) &&
                 json_object_is_type(v, json_type_string) &&
                 strncmp(json_object_get_string(v), name, strlen(name)) == 0,
             "P8 %s on %s: got %s", name, date, h != NULL ? it_compact(h) : "nothing");
    if (od == d && h != NULL) {
        char *want = it_fmt("{\"holiday_date\":\"%s\",\"holiday_name\":\"%s\",\"type\":"
                            "\"Federal\"}",
                            date, name);
        IT_CHECK(strcmp(it_compact(h), want) == 0, "P8 exact entry: want %s got %s", want,
                 it_compact(h));
        free(want);
    }
}

static void test_holidays(void)
{
    it_resp_t r = it_req("GET", "/calendar/holidays", NULL, NULL);
    size_t n = 0, bad = 0;
    const char *prev = "";

    IT_CHECK(r.status == 200 && r.json != NULL && json_object_is_type(r.json, json_type_array),
             "P8 array: %s", it_describe(&r));
    if (r.json != NULL && json_object_is_type(r.json, json_type_array))
        n = json_object_array_length(r.json);
    IT_CHECK(n >= 11, "P8 has at least one year of holidays (%zu)", n);
    for (size_t i = 0; i < n; i++) {
        json_object *h = json_object_array_get_idx(r.json, i), *d, *nm, *ty;
        if (!json_object_object_get_ex(h, "holiday_date", &d) ||
            !json_object_object_get_ex(h, "holiday_name", &nm) ||
            !json_object_object_get_ex(h, "type", &ty) ||
            !json_object_is_type(d, json_type_string) || !json_object_is_type(ty, json_type_string) ||
            json_object_object_length(h) != 3 || strlen(json_object_get_string(d)) != 10 ||
            strcmp(prev, json_object_get_string(d)) >= 0) {
            if (bad++ < 3)
                IT_CHECK(0, "P8 entry %zu malformed or out of order: %s", i, it_compact(h));
            continue;
        }
        prev = json_object_get_string(d);
    }
    IT_CHECK(bad == 0, "P8 %zu bad entries", bad);
    expect_holiday(r.json, 12, 25, "Christmas Day");
    expect_holiday(r.json, 7, 4, "Independence Day");
    expect_holiday(r.json, 11, thanks_day, "Thanksgiving Day");
    expect_holiday(r.json, 9, 1 + (1 - dow(year, 9, 1) + 7) % 7, "Labor Day");
    it_free(&r);
}

/* ---- P9, P10, P11, P12 ------------------------------------------------------------------ */

static void create_pto(const char *emp, const char *start, const char *end, const char *reason,
                       char *id_out, size_t id_size)
{
    char *path = it_fmt("/projects/%s/calendar/pto?employee_id=%s", prj, emp);
    char *body = reason != NULL
                     ? it_fmt("{\"start_date\":\"%s\",\"end_date\":\"%s\",\"reason\":\"%s\"}",
                              start, end, reason)
                     : it_fmt("{\"start_date\":\"%s\",\"end_date\":\"%s\"}", start, end);
    it_resp_t r = it_json("POST", path, body);
    const char *id = it_get_str(&r, "pto_id");

    IT_CHECK(r.status == 201 && is_uuid4(id), "P10 create PTO -> 201 uuid: %s", it_describe(&r));
    id_out[0] = '\0';
    if (id != NULL) {
        char *want = it_fmt("{\"pto_id\":\"%s\",\"employee_id\":\"%s\",\"start_date\":\"%s\","
                            "\"end_date\":\"%s\",\"reason\":%s%s%s}",
                            id, emp, start, end, reason != NULL ? "\"" : "",
                            reason != NULL ? reason : "null", reason != NULL ? "\"" : "");
        IT_EXPECT_BODY(&r, 201, want, "P10 create PTO body");
        snprintf(id_out, id_size, "%s", id);
        free(want);
    }
    it_free(&r);
    free(path);
    free(body);
}

static void test_pto(void)
{
    char s_nov[32], e_nov[32], s_aug[32], e_aug[32];
    char *path, *want, *list;
    it_resp_t r;

    snprintf(s_nov, sizeof s_nov, "%04d-11-%02d", year, thanks_day - 1);
    snprintf(e_nov, sizeof e_nov, "%04d-11-%02d", year, thanks_day + 1);
    snprintf(s_aug, sizeof s_aug, "%04d-08-03", year);
    snprintf(e_aug, sizeof e_aug, "%04d-08-04", year);
    create_pto(e1, s_nov, e_nov, "IT family", pto_nov, sizeof pto_nov);
    create_pto(e1, s_aug, e_aug, NULL, pto_aug, sizeof pto_aug);

    /* P9: ordered by start_date */
    path = it_fmt("/projects/%s/calendar/pto", prj);
    list = it_fmt("[{\"pto_id\":\"%s\",\"employee_id\":\"%s\",\"start_date\":\"%s\",\"end_date\":"
                  "\"%s\",\"reason\":null},{\"pto_id\":\"%s\",\"employee_id\":\"%s\","
                  "\"start_date\":\"%s\",\"end_date\":\"%s\",\"reason\":\"IT family\"}]",
                  pto_aug, e1, s_aug, e_aug, pto_nov, e1, s_nov, e_nov);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, list, "P9 PTO list");
    it_free(&r);
    free(path);
    free(list);

    path = it_fmt("/projects/%s-NOPE/calendar/pto", run_id);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "[]", "P9 unknown project: empty list");
    it_free(&r);
    free(path);

    r = it_req("GET", "/projects/PHE001/calendar/pto", NULL, NULL);
    IT_CHECK(r.status == 200 && r.json != NULL && json_object_is_type(r.json, json_type_array),
             "P9 seeded PHE001: %s", it_describe(&r));
    it_free(&r);

    /* P10 errors */
    path = it_fmt("/projects/%s/calendar/pto?employee_id=%s", prj, e3);
    want = it_fmt("Employee %s not assigned to project %s", e3, prj);
    r = it_json("POST", path, "{\"start_date\":\"2030-01-07\",\"end_date\":\"2030-01-08\"}");
    IT_EXPECT_ERROR(&r, 404, want, "P10 employee not in project");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/projects/%s-NOPE/calendar/pto?employee_id=%s", run_id, e1);
    r = it_json("POST", path, "{\"start_date\":\"2030-01-07\",\"end_date\":\"2030-01-08\"}");
    IT_EXPECT_ERROR(&r, 404, NULL, "P10 unknown project");
    it_free(&r);
    free(path);

    path = it_fmt("/projects/%s/calendar/pto", prj);
    r = it_json("POST", path, "{\"start_date\":\"2030-01-07\",\"end_date\":\"2030-01-08\"}");
    IT_CHECK(r.status == 422 && it_is_detail_list(&r) &&
                 strstr(r.body, "[\"query\",\"employee_id\"]") != NULL &&
                 strstr(r.body, "\"missing\"") != NULL,
             "P10 missing employee_id -> 422 loc [query, employee_id]: %s", it_describe(&r));
    it_free(&r);
    free(path);

    path = it_fmt("/projects/%s/calendar/pto?employee_id=%s", prj, e1);
    r = it_json("POST", path, "{\"start_date\":\"2030-02-30\",\"end_date\":\"2030-03-01\"}");
    IT_CHECK(r.status == 422 && it_is_detail_list(&r) &&
                 strstr(r.body, "[\"body\",\"start_date\"]") != NULL,
             "P10 invalid date -> 422 loc [body, start_date]: %s", it_describe(&r));
    it_free(&r);
    r = it_json("POST", path, "{\"start_date\":\"2030-03-01\"}");
    IT_CHECK(r.status == 422 && it_is_detail_list(&r) &&
                 strstr(r.body, "[\"body\",\"end_date\"]") != NULL,
             "P10 missing end_date -> 422: %s", it_describe(&r));
    it_free(&r);
    free(path);
}

static void test_availability(void)
{
    char day[32], s_nov[32], e_nov[32], *path, *want;
    it_resp_t r;

    snprintf(day, sizeof day, "%04d-11-%02d", year, thanks_day);
    snprintf(s_nov, sizeof s_nov, "%04d-11-%02d", year, thanks_day - 1);
    snprintf(e_nov, sizeof e_nov, "%04d-11-%02d", year, thanks_day + 1);
    path = it_fmt("/projects/%s/availability/check?start_date=%s&end_date=%s", prj, day, day);
    want = it_fmt("{\"status\":\"conflict\",\"conflicts\":["
                  "{\"type\":\"holiday\",\"date\":\"%s\",\"name\":\"Thanksgiving Day\","
                  "\"details\":\"US Holiday: Thanksgiving Day\"},"
                  "{\"type\":\"pto\",\"date\":\"%s\",\"name\":\"%s\","
                  "\"details\":\"%s on PTO from %s 00:00:00 to %s 00:00:00\"}]}",
                  day, s_nov, n1, n1, s_nov, e_nov);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "P12 holiday + PTO conflicts");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/projects/%s/availability/check?start_date=%04d-08-11&end_date=%04d-08-12",
                  prj, year, year);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "{\"status\":\"ok\",\"conflicts\":[]}", "P12 free window");
    it_free(&r);
    free(path);

    path = it_fmt("/projects/%s/availability/check?start_date=2025-02-30&end_date=2025-03-01",
                  prj);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r) &&
                 strstr(r.body, "[\"query\",\"start_date\"]") != NULL,
             "P12 invalid start_date -> 422: %s", it_describe(&r));
    it_free(&r);
    free(path);

    path = it_fmt("/projects/%s/availability/check?start_date=2025-03-01", prj);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r) &&
                 strstr(r.body, "[\"query\",\"end_date\"]") != NULL,
             "P12 missing end_date -> 422: %s", it_describe(&r));
    it_free(&r);
    free(path);
}

static void test_pto_delete(void)
{
    char *path, *want;
    it_resp_t r;

    /* a PTO of another project's member is not found through PHE001 */
    path = it_fmt("/projects/PHE001/calendar/pto/%s", pto_nov);
    want = it_fmt("PTO entry %s not found for project PHE001", pto_nov);
    r = it_req("DELETE", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, want, "P11 PTO of another project");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/projects/%s/calendar/pto/%s", prj, pto_nov);
    want = it_fmt("{\"message\":\"PTO entry deleted successfully\",\"pto_id\":\"%s\"}", pto_nov);
    r = it_req("DELETE", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "P11 delete PTO");
    it_free(&r);
    free(want);

    want = it_fmt("PTO entry %s not found for project %s", pto_nov, prj);
    r = it_req("DELETE", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, want, "P11 delete again");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/projects/%s/calendar/pto/%s", prj, pto_aug);
    want = it_fmt("{\"message\":\"PTO entry deleted successfully\",\"pto_id\":\"%s\"}", pto_aug);
    r = it_req("DELETE", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, want, "P11 delete second PTO");
    it_free(&r);
    free(path);
    free(want);

    path = it_fmt("/projects/%s/calendar/pto", prj);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "[]", "P9 after deletions");
    it_free(&r);
    free(path);
}

/* ---- P14 -------------------------------------------------------------------------------- */

static void test_debug_employees(void)
{
    it_resp_t r = it_req("POST", "/debug-employees", "{\"a\":12345}", IT_JSON);
    json_object *h = it_get(&r, "headers"), *bl = it_get(&r, "body_length"), *ct = NULL;

    IT_CHECK(r.status == 200 && it_get_str(&r, "message") != NULL &&
                 strcmp(it_get_str(&r, "message"), "Debug info logged") == 0,
             "P14 message: %s", it_describe(&r));
    IT_CHECK(h != NULL && json_object_is_type(h, json_type_object) &&
                 json_object_object_get_ex(h, "content-type", &ct) &&
                 strcmp(json_object_get_string(ct), IT_JSON) == 0,
             "P14 headers (lower-case names): %s", it_describe(&r));
    IT_CHECK(bl != NULL && json_object_is_type(bl, json_type_int) && json_object_get_int(bl) == 11,
             "P14 body_length 11: %s", it_describe(&r));
    it_free(&r);
}

DSM_SUITE("integration/project", suite_init, NULL,
          DSM_TEST(test_health), DSM_TEST(test_project_create), DSM_TEST(test_project_get),
          DSM_TEST(test_project_list), DSM_TEST(test_project_status),
          DSM_TEST(test_employee_create), DSM_TEST(test_employee_get), DSM_TEST(test_teams),
          DSM_TEST(test_assign), DSM_TEST(test_team_members_unknown_project),
          DSM_TEST(test_employee_teams), DSM_TEST(test_holidays), DSM_TEST(test_pto),
          DSM_TEST(test_availability), DSM_TEST(test_pto_delete), DSM_TEST(test_debug_employees));
