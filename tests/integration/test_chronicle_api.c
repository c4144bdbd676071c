/*
 * test_chronicle_api.c — the Chronicle service (api.md §5, C1–C17) end to end through nginx.
 *
 * Writes its own notes and retrospectives under per-run project ids ("CH<tag>-..."), so the
 * suite can rerun on the same database; the similarity test uses a letters-only tag because
 * C16 compares action items with their numbers masked. Status codes are the *intended* ones
 * (404 for no data where the spec means it, 409 duplicate retrospective, 422 validation), and
 * no request of this file may be answered 5xx. The tests run in order and build on each other
 * (notes → reads → analytics).
 */
#include "dsm_test.h"
#include "it_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char tag[32];   /* letters only, unique per run */
static char prj[64];   /* the main project of the run */
static char prj_b[64]; /* a project similar to prj (same action items, other counts) */
static char prj_c[64]; /* a project with nothing in common */
static char sp1[80], sp2[80], sp3[80];

static int suite_init(void)
{
    unsigned long v = (unsigned long)getpid() * 100000UL + (unsigned long)(time(NULL) % 100000);
    size_t n = 0;

    do { /* base-26 letters of the pid and time */
        tag[n++] = (char)('a' + v % 26);
        v /= 26;
    } while (v > 0 && n < sizeof(tag) - 1);
    tag[n] = '\0';
    snprintf(prj, sizeof prj, "CH%s-A", tag);
    snprintf(prj_b, sizeof prj_b, "CH%s-B", tag);
    snprintf(prj_c, sizeof prj_c, "CH%s-C", tag);
    snprintf(sp1, sizeof sp1, "%s-S01", prj);
    snprintf(sp2, sizeof sp2, "%s-S02", prj);
    snprintf(sp3, sizeof sp3, "%s-S03", prj);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static int no_5xx(const it_resp_t *r)
{
    return r->status > 0 && r->status < 500;
}

static const char *str_of(json_object *o, const char *key)
{
    json_object *v = NULL;

    if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;

    if (o == NULL || !json_object_is_type(o, json_type_object))
        return NULL;
    json_object_object_get_ex(o, key, &v);
    return v;
}

/* The 422 detail list holds an entry of this type (NULL: any) whose loc serialises to loc_json
 * (NULL: any). */
static int has_problem(const it_resp_t *r, const char *type, const char *loc_json)
{
    json_object *d = it_get(r, "detail");

    for (size_t i = 0; it_is_detail_list(r) && i < json_object_array_length(d); i++) {
        json_object *e = json_object_array_get_idx(d, i);

        if ((type == NULL || (str_of(e, "type") && strcmp(str_of(e, "type"), type) == 0)) &&
            (loc_json == NULL || strcmp(it_compact(member(e, "loc")), loc_json) == 0))
            return 1;
    }
    return 0;
}

#define EXPECT_422(r, type, loc, what)                                                             \
    IT_CHECK((r).status == 422 && has_problem(&(r), (type), (loc)),                                \
             "%s: want 422 %s at %s, got %s", (what), (type) ? (type) : "*",                       \
             (loc) ? (const char *)(loc) : "*", it_describe(&(r)))

/* POST body (JSON text) to path; expect 422 with a problem of type at loc. */
static void post_422(const char *path, const char *body, const char *type, const char *loc,
                     const char *what)
{
    it_resp_t r = it_json("POST", path, body);

    EXPECT_422(r, type, loc, what);
    it_free(&r);
}

static char *get_ok(const char *path, json_object **out)
{
    it_resp_t r = it_req("GET", path, NULL, NULL);
    char *body = NULL;

    IT_CHECK(r.status == 200 && r.json != NULL, "GET %s -> %s", path, it_describe(&r));
    if (r.status == 200 && r.json != NULL) {
        *out = json_object_get(r.json);
        body = strdup(r.body);
    } else {
        *out = NULL;
    }
    it_free(&r);
    return body;
}

/* ---- C1, C2, C3 ------------------------------------------------------------------------ */

static void test_health(void)
{
    static const char prefix[] = "{\"service\":\"chronicle-service\",\"status\":\"ready\","
                                 "\"database\":\"ok\",\"timestamp\":\"";
    it_resp_t r = it_req("GET", "/chronicle/health", NULL, NULL);

    IT_EXPECT_BODY(&r, 200, "{\"status\":\"ok\"}", "C1 GET /chronicle/health");
    it_free(&r);
    r = it_req("GET", "/v1/health", NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "{\"status\":\"ok\"}", "C3 GET /v1/health");
    it_free(&r);
    r = it_req("GET", "/chronicle/health/ready", NULL, NULL);
    IT_CHECK(r.status == 200 && strncmp(r.body, prefix, strlen(prefix)) == 0, "C2 ready shape: %s",
             it_describe(&r));
    it_free(&r);
}

/* ---- C4, C8 ------------------------------------------------------------------------------ */

static void test_daily_create_and_get(void)
{
    char *b1 = it_fmt(
        "{\"project_id\":\"%s\",\"sprint_id\":\"%s\",\"report_date\":\"2025-09-18\","
        "\"summary\":\"Daily stand-up for sprint %s. 2 tasks had progress simulated.\","
        "\"summary_metrics\":{\"total_team_members\":5,\"total_tasks\":2,\"completed_tasks\":0,"
        "\"pending_tasks\":2},\"reports\":{\"2025-09-18\":[{\"assigned_to\":\"E015\",\"tasks\":["
        "{\"id\":\"%s-TASK001\",\"yesterday_work\":\"Worked on A\",\"today_work\":\"Continue A\","
        "\"impediments\":\"Encountered a minor blocker with external dependency.\","
        "\"created_at\":\"2025-09-18T14:00:04.918273\"},{\"id\":\"%s-TASK002\",\"impediments\":"
        "\"None.\",\"created_at\":\"2025-09-18T14:00:05\"}]}]},\"unknown_key\":1}",
        prj, sp1, sp1, prj, prj);
    /* Pydantic lax: "1" and 1.0 are integers; employee_id instead of the alias; aware time */
    char *b2 = it_fmt(
        "{\"project_id\":\"%s\",\"sprint_id\":\"%s\",\"report_date\":\"2025-09-19\","
        "\"summary\":\"\",\"summary_metrics\":{\"total_team_members\":\"5\",\"total_tasks\":2.0,"
        "\"completed_tasks\":1,\"pending_tasks\":1},\"reports\":{\"2025-09-19\":[{\"employee_id\":"
        "\"E015\",\"tasks\":[{\"id\":\"%s-TASK001\",\"impediments\":\"None.\",\"created_at\":"
        "\"2025-09-19T14:00:00Z\"}]},{\"tasks\":[]}]}}",
        prj, sp1, prj);
    it_resp_t r = it_json("POST", "/v1/notes/daily_scrum_report", b1);
    json_object *o;
    char *path, *body, *want;

    IT_CHECK(r.status == 201 && it_get_str(&r, "note_id") != NULL &&
                 strcmp(it_get_str(&r, "message"), "Daily scrum report recorded successfully") == 0,
             "C4 create: %s", it_describe(&r));
    it_free(&r);
    r = it_json("POST", "/v1/notes/daily_scrum_report", b2);
    IT_CHECK(r.status == 201, "C4 create (lax ints, employee_id): %s", it_describe(&r));
    it_free(&r);

    path = it_fmt("/v1/notes/daily_scrum_report?project_id=%s", prj);
    body = get_ok(path, &o);
    /* newest report_date first; summary: last non-empty; metrics: first row that has them */
    want = it_fmt(
        "\"summary\":\"Daily stand-up for sprint %s. 2 tasks had progress simulated.\","
        "\"summary_metrics\":{\"total_team_members\":5,\"total_tasks\":2,\"completed_tasks\":1,"
        "\"pending_tasks\":1},\"reports\":{\"2025-09-19\":[{\"employee_id\":\"E015\",\"tasks\":["
        "{\"id\":\"%s-TASK001\",\"yesterday_work\":null,\"today_work\":null,\"impediments\":"
        "\"None.\",\"created_at\":\"2025-09-19T14:00:00Z\"}]},{\"employee_id\":\"unassigned\","
        "\"tasks\":[]}],\"2025-09-18\":[{\"employee_id\":\"E015\",\"tasks\":[{\"id\":"
        "\"%s-TASK001\",\"yesterday_work\":\"Worked on A\",\"today_work\":\"Continue A\","
        "\"impediments\":\"Encountered a minor blocker with external dependency.\",\"created_at\":"
        "\"2025-09-18T14:00:04.918273\"},{\"id\":\"%s-TASK002\",\"yesterday_work\":null,"
        "\"today_work\":null,\"impediments\":\"None.\",\"created_at\":\"2025-09-18T14:00:05\"}]}]}"
        "}",
        sp1, prj, prj, prj);
    IT_CHECK(body != NULL && strstr(body, want) != NULL, "C8 merged reports: %s",
             body ? body : "-");
    IT_CHECK(str_of(o, "project_id") && strcmp(str_of(o, "project_id"), prj) == 0 &&
                 str_of(o, "sprint_id") && strcmp(str_of(o, "sprint_id"), sp1) == 0 &&
                 str_of(o, "created_at") != NULL,
             "C8 head: %s", body ? body : "-");
    IT_CHECK(body != NULL && strncmp(body, "{\"project_id\":", 14) == 0, "C8 key order");
    json_object_put(o);
    free(body);
    free(path);
    free(want);

    /* filters */
    path = it_fmt(
        "/v1/notes/daily_scrum_report?project_id=%s&daily_scrum_date=2025-09-18&sprint_id=%s", prj,
        sp1);
    body = get_ok(path, &o);
    IT_CHECK(body != NULL && strstr(body, "2025-09-19") == NULL &&
                 strstr(body, "2025-09-18") != NULL,
             "C8 date filter: %s", body ? body : "-");
    json_object_put(o);
    free(body);
    free(path);

    path = it_fmt("/v1/notes/daily_scrum_report?project_id=%s-NOPE", prj);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "No daily scrum reports found for the given criteria.", "C8 none");
    it_free(&r);
    free(path);
    r = it_req("GET", "/v1/notes/daily_scrum_report?daily_scrum_date=2025-02-30", NULL, NULL);
    EXPECT_422(r, NULL, "[\"query\",\"daily_scrum_date\"]", "C8 impossible date");
    it_free(&r);
    r = it_req("GET", "/v1/notes/daily_scrum_report?daily_scrum_date=yesterday", NULL, NULL);
    EXPECT_422(r, NULL, "[\"query\",\"daily_scrum_date\"]", "C8 bad date");
    it_free(&r);
    free(b1);
    free(b2);
}

static void test_daily_bad_input(void)
{
    const char *u = "/v1/notes/daily_scrum_report";
    char *big = malloc(65537 + 1);
    char *body;
    it_resp_t r;

    post_422(u, "{\"reports\":{}}", "missing", "[\"body\",\"project_id\"]", "C4 no project_id");
    post_422(u, "{\"project_id\":\"P\"}", "missing", "[\"body\",\"reports\"]", "C4 no reports");
    post_422(u,
             "{\"project_id\":\"P\",\"employee_id\":\"E1\",\"yesterday_work\":\"x\","
             "\"today_work\":\"y\",\"impediments\":\"z\"}",
             "missing", "[\"body\",\"reports\"]", "C4 legacy flat payload");
    post_422(u, "{\"project_id\":12,\"reports\":{}}", "string_type", "[\"body\",\"project_id\"]",
             "C4 project_id number");
    post_422(u, "{\"project_id\":\"P\",\"reports\":[]}", "dict_type", "[\"body\",\"reports\"]",
             "C4 reports list");
    post_422(u, "{\"project_id\":\"P\",\"reports\":{},\"report_date\":\"2025-02-30\"}", NULL,
             "[\"body\",\"report_date\"]", "C4 impossible report_date");
    post_422(u, "{\"project_id\":\"P\",\"reports\":{\"d\":{}}}", "list_type",
             "[\"body\",\"reports\",\"d\"]", "C4 reports value not a list");
    post_422(u, "{\"project_id\":\"P\",\"reports\":{\"d\":[{\"assigned_to\":\"E1\"}]}}", "missing",
             "[\"body\",\"reports\",\"d\",0,\"tasks\"]", "C4 employee without tasks");
    post_422(u, "{\"project_id\":\"P\",\"reports\":{\"d\":[{\"tasks\":[{\"id\":\"T\"}]}]}}",
             "missing", "[\"body\",\"reports\",\"d\",0,\"tasks\",0,\"created_at\"]",
             "C4 task without created_at");
    post_422(u,
             "{\"project_id\":\"P\",\"reports\":{\"d\":[{\"tasks\":[{\"id\":\"T\",\"created_at\":"
             "\"2025-09-18T25:00:00\"}]}]}}",
             "datetime_from_date_parsing",
             "[\"body\",\"reports\",\"d\",0,\"tasks\",0,\"created_at\"]", "C4 bad created_at");
    post_422(u, "{\"project_id\":\"P\",\"reports\":{\"d\":[{\"assigned_to\":5,\"tasks\":[]}]}}",
             "string_type", "[\"body\",\"reports\",\"d\",0,\"assigned_to\"]",
             "C4 assigned_to number");
    post_422(u,
             "{\"project_id\":\"P\",\"reports\":{},\"summary_metrics\":{\"total_team_members\":1,"
             "\"total_tasks\":\"x\",\"completed_tasks\":1}}",
             "int_parsing", "[\"body\",\"summary_metrics\",\"total_tasks\"]", "C4 metrics not int");
    post_422(u,
             "{\"project_id\":\"P\",\"reports\":{},\"summary_metrics\":{\"total_team_members\":1,"
             "\"total_tasks\":1,\"completed_tasks\":1}}",
             "missing", "[\"body\",\"summary_metrics\",\"pending_tasks\"]", "C4 metrics missing");
    post_422(u, "{\"project_id\":\"P\",\"reports\":{},\"orchestration_decision_details\":[1]}",
             "dict_type", "[\"body\",\"orchestration_decision_details\"]", "C4 details list");

    r = it_json("POST", u, "{\"project_id\":\"P\",");
    EXPECT_422(r, "json_invalid", NULL, "C4 malformed JSON");
    it_free(&r);
    r = it_req("POST", u, NULL, IT_JSON);
    EXPECT_422(r, "missing", "[\"body\"]", "C4 no body");
    it_free(&r);

    /* 64 KiB per text field: 65536 characters are fine, 65537 are not */
    memset(big, 'x', 65537);
    big[65537] = '\0';
    body = it_fmt("{\"project_id\":\"%s\",\"summary\":\"%s\",\"reports\":{}}", prj_c, big);
    post_422(u, body, "string_too_long", "[\"body\",\"summary\"]", "C4 oversize summary");
    free(body);
    big[65536] = '\0';
    body = it_fmt("{\"project_id\":\"%s\",\"summary\":\"%s\",\"reports\":{}}", prj_c, big);
    r = it_json("POST", u, body);
    IT_CHECK(r.status == 201, "C4 summary of exactly 65536 characters: %s", it_describe(&r));
    it_free(&r);
    free(body);
    big[300] = '\0';
    body = it_fmt("{\"project_id\":\"%s\",\"reports\":{}}", big);
    post_422(u, body, "string_too_long", "[\"body\",\"project_id\"]", "C4 project_id > 255");
    free(body);
    free(big);
}

/* ---- C5, C10 ----------------------------------------------------------------------------- */

static void test_planning(void)
{
    const char *u = "/v1/notes/sprint_planning";
    char *b = it_fmt("{\"project_id\":\"%s\",\"sprint_id\":\"%s\",\"sprint_goal\":\"Complete all "
                     "assigned tasks.\",\"planned_tasks\":[\"%s-TASK001\",\"%s-TASK002\"],"
                     "\"sprint_name\":\"discarded\",\"start_date\":\"2025-09-18\"}",
                     prj, sp1, prj, prj);
    it_resp_t r = it_json("POST", u, b);
    json_object *arr, *row;
    char *path, *body, *want;

    IT_CHECK(r.status == 201 && it_get_str(&r, "note_id") != NULL &&
                 strcmp(it_get_str(&r, "message"), "Sprint planning note recorded successfully") ==
                     0,
             "C5 create: %s", it_describe(&r));
    it_free(&r);
    free(b);

    path = it_fmt("%s?project_id=%s&sprint_id=%s", u, prj, sp1);
    body = get_ok(path, &arr);
    row = arr != NULL && json_object_array_length(arr) == 1 ? json_object_array_get_idx(arr, 0)
                                                            : NULL;
    want =
        it_fmt("\"event_type\":\"sprint_planning\",\"project_id\":\"%s\",\"sprint_id\":\"%s\","
               "\"note_content\":\"Goal: Complete all assigned tasks.\\nPlanned Tasks: "
               "%s-TASK001, %s-TASK002\",\"report_date\":null,\"employee_id\":null,"
               "\"yesterday_work\":null,\"today_work\":null,\"impediments\":null,\"created_at\":",
               prj, sp1, prj, prj);
    IT_CHECK(
        row != NULL && strstr(body, want) != NULL && strncmp(body, "[{\"id\":\"", 8) == 0 &&
            strstr(body, "\"summary_metrics\":null,\"additional_data\":null,\"summary\":null}]"),
        "C10 raw row: %s", body ? body : "-");
    json_object_put(arr);
    free(body);
    free(path);
    free(want);

    path = it_fmt("%s?project_id=%s-NOPE", u, prj);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "[]", "C10 none -> []");
    it_free(&r);
    free(path);

    post_422(u, "{\"project_id\":\"P\",\"sprint_id\":\"S\",\"sprint_goal\":\"g\"}", "missing",
             "[\"body\",\"planned_tasks\"]", "C5 no planned_tasks");
    post_422(
        u,
        "{\"project_id\":\"P\",\"sprint_id\":\"S\",\"sprint_goal\":\"g\",\"planned_tasks\":\"T1\"}",
        "list_type", "[\"body\",\"planned_tasks\"]", "C5 planned_tasks string");
    post_422(u,
             "{\"project_id\":\"P\",\"sprint_id\":\"S\",\"sprint_goal\":\"g\",\"planned_tasks\":["
             "\"T1\",2]}",
             "string_type", "[\"body\",\"planned_tasks\",1]", "C5 task id number");
    post_422(u, "{\"project_id\":\"P\",\"sprint_goal\":null,\"planned_tasks\":[]}", "missing",
             "[\"body\",\"sprint_id\"]", "C5 no sprint_id");
}

/* ---- C6, C9 ------------------------------------------------------------------------------ */

/* A retrospective body; tasks: JSON array text. */
static char *retro_body(const char *pid, const char *sid, const char *start, const char *end,
                        const char *actions, const char *tasks)
{
    return it_fmt("{\"sprint_id\":\"%s\",\"project_id\":\"%s\",\"sprint_name\":\"%s\","
                  "\"start_date\":\"%s\",\"end_date\":\"%s\",\"duration_weeks\":2,"
                  "\"what_went_well\":\"Successfully completed tasks.\",\"what_could_be_improved\":"
                  "\"Continue current practices.\",\"action_items\":%s,\"facilitator_id\":"
                  "\"EMP_FACILITATOR\",\"attendees\":[\"EMP_ATTENDEE_2\",\"EMP_ATTENDEE_1\","
                  "\"EMP_ATTENDEE_2\"],\"tasks_summary\":%s}",
                  sid, pid, sid, start, end, actions, tasks);
}

static void post_retro(const char *pid, const char *sid, const char *start, const char *end,
                       const char *actions, const char *tasks)
{
    char *b = retro_body(pid, sid, start, end, actions, tasks);
    it_resp_t r = it_json("POST", "/v1/notes/sprint_retrospective", b);

    IT_CHECK(r.status == 201 && it_get_str(&r, "retrospective_id") != NULL &&
                 strcmp(it_get_str(&r, "message"), "Sprint retrospective recorded successfully") ==
                     0,
             "C6 create %s: %s", sid, it_describe(&r));
    it_free(&r);
    free(b);
}

static void test_retrospectives(void)
{
    const char *u = "/v1/notes/sprint_retrospective";
    char *b, *path, *body, *want;
    json_object *arr;
    it_resp_t r;

    /* S01: 2 of 3 done (status completed / progress 100; "close" counts too) */
    post_retro(prj, sp1, "2025-09-01", "2025-09-15",
               "[{\"description\":\"Review 2 tasks that were completed.\"},{\"description\":"
               "\"Address 1 tasks that are still in progress.\",\"status\":\"closed\"}]",
               "[{\"description\":\"Design\",\"status\":\"completed\",\"task_id\":\"T1\","
               "\"employee_id\":\"E1\",\"progress_percentage\":100},{\"description\":\"Build\","
               "\"status\":\"close\",\"task_id\":\"T2\",\"employee_id\":\"E2\","
               "\"progress_percentage\":\"80\"},{\"description\":\"Test\",\"status\":"
               "\"in_progress\",\"task_id\":\"T3\",\"employee_id\":\"unassigned\","
               "\"progress_percentage\":40.0}]");
    /* S02: 1 of 1 done */
    post_retro(prj, sp2, "2025-09-15", "2025-09-29",
               "[{\"description\":\"Review 1 tasks that were completed.\"}]",
               "[{\"description\":\"Deploy\",\"status\":\"in_progress\",\"task_id\":\"T4\","
               "\"employee_id\":\"E1\",\"progress_percentage\":100}]");

    b = retro_body(prj, sp1, "2025-09-01", "2025-09-15", "[]", "[]");
    r = it_json("POST", u, b);
    want = it_fmt("Sprint retrospective for sprint %s already exists.", sp1);
    IT_EXPECT_ERROR(&r, 409, want, "C6 duplicate retrospective");
    it_free(&r);
    free(b);
    free(want);

    path = it_fmt("%s?sprint_id=%s", u, sp1);
    body = get_ok(path, &arr);
    want =
        it_fmt("\"sprint_id\":\"%s\",\"project_id\":\"%s\",\"sprint_name\":\"%s\","
               "\"start_date\":\"2025-09-01\",\"end_date\":\"2025-09-15\",\"duration_weeks\":2,"
               "\"what_went_well\":\"Successfully completed tasks.\",\"what_could_be_improved\":"
               "\"Continue current practices.\",\"action_items\":[{\"description\":\"Address 1 "
               "tasks that are still in progress.\",\"status\":\"closed\"},{\"description\":"
               "\"Review 2 tasks that were completed.\",\"status\":\"open\"}],\"facilitator_id\":"
               "\"EMP_FACILITATOR\",\"attendees\":[\"EMP_ATTENDEE_1\",\"EMP_ATTENDEE_2\"],"
               "\"tasks_summary\":[{\"status\":\"completed\",\"task_id\":\"T1\",\"description\":"
               "\"Design\",\"employee_id\":\"E1\",\"progress_percentage\":100},",
               sp1, prj, sp1);
    IT_CHECK(arr != NULL && json_object_array_length(arr) == 1 && strstr(body, want) != NULL &&
                 strncmp(body, "[{\"retrospective_id\":\"", 22) == 0,
             "C9 by sprint: %s", body ? body : "-");
    IT_CHECK(body != NULL && strstr(body, "+00:00\"}]") != NULL, "C9 created_at aware: %s",
             body ? body : "-");
    json_object_put(arr);
    free(body);
    free(path);
    free(want);

    path = it_fmt("%s?project_id=%s", u, prj);
    body = get_ok(path, &arr);
    IT_CHECK(arr != NULL && json_object_array_length(arr) == 2 &&
                 strcmp(str_of(json_object_array_get_idx(arr, 0), "sprint_id"), sp2) == 0,
             "C9 by project, newest first: %s", body ? body : "-");
    json_object_put(arr);
    free(body);
    free(path);

    path = it_fmt("%s?sprint_id=%s", u, sp3);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "No sprint retrospective notes found for the given criteria.",
                    "C9 unknown sprint");
    it_free(&r);
    free(path);

    /* bad input */
    b = retro_body(prj, sp3, "2025-10-01", "2025-09-01", "[]", "[]");
    post_422(u, b, "value_error", "[\"body\",\"end_date\"]", "C6 end before start");
    free(b);
    b = retro_body(prj, sp3, "2025-10-01", "2025-10-32", "[]", "[]");
    post_422(u, b, NULL, "[\"body\",\"end_date\"]", "C6 impossible date");
    free(b);
    b = retro_body(prj, sp3, "2025-10-01", "2025-10-15", "[{\"status\":\"open\"}]", "[]");
    post_422(u, b, "missing", "[\"body\",\"action_items\",0,\"description\"]",
             "C6 action item without description");
    free(b);
    b = retro_body(prj, sp3, "2025-10-01", "2025-10-15",
                   "[{\"description\":\"d\",\"status\":null}]", "[]");
    post_422(u, b, "string_type", "[\"body\",\"action_items\",0,\"status\"]", "C6 status null");
    free(b);
    b = retro_body(prj, sp3, "2025-10-01", "2025-10-15",
                   "[{\"description\":\"d\",\"status\":"
                   "\"ssssssssssssssssssssssssssssssssssssssssssssssssssss\"}]",
                   "[]");
    post_422(u, b, "string_too_long", "[\"body\",\"action_items\",0,\"status\"]",
             "C6 status > 50 characters");
    free(b);
    b = retro_body(
        prj, sp3, "2025-10-01", "2025-10-15", "[]",
        "[{\"description\":\"d\",\"status\":\"s\",\"task_id\":\"t\",\"employee_id\":\"e\","
        "\"progress_percentage\":\"half\"}]");
    post_422(u, b, "int_parsing", "[\"body\",\"tasks_summary\",0,\"progress_percentage\"]",
             "C6 progress not int");
    free(b);
    b = retro_body(prj, sp3, "2025-10-01", "2025-10-15", "[]", "[\"T1\"]");
    post_422(u, b, "model_type", "[\"body\",\"tasks_summary\",0]", "C6 task not an object");
    free(b);
    post_422(u, "{\"sprint_id\":\"S\",\"project_id\":\"P\",\"duration_weeks\":\"two\"}",
             "int_parsing", "[\"body\",\"duration_weeks\"]", "C6 duration_weeks text");
    post_422(u, "{\"sprint_id\":\"S\",\"project_id\":\"P\",\"duration_weeks\":99999999999}",
             "value_error", "[\"body\",\"duration_weeks\"]", "C6 duration_weeks > INTEGER");
    post_422(u, "{\"sprint_id\":\"S\",\"project_id\":\"P\",\"attendees\":[\"A\",1]}", "string_type",
             "[\"body\",\"attendees\",1]", "C6 attendee number");
    post_422(u, "{\"sprint_id\":\"S\",\"project_id\":\"P\",\"attendees\":null}", "list_type",
             "[\"body\",\"attendees\"]", "C6 attendees null");
    post_422(u, "{\"project_id\":\"P\"}", "missing", "[\"body\",\"sprint_id\"]", "C6 no sprint_id");
    post_422(u, "{\"sprint_id\":\"S\",\"project_id\":\"P\",", "json_invalid", NULL,
             "C6 malformed JSON");
}

/* ---- C7, C11 ----------------------------------------------------------------------------- */

static char *audit_body(const char *audit, const char *pid, const char *sid, const char *source,
                        const char *final_extra)
{
    return it_fmt(
        "{\"audit_id\":\"%s\",\"project_id\":\"%s\",\"timestamp\":"
        "\"2025-09-18T14:00:03.100000\",\"base_decision\":{\"tasks_to_assign\":10,"
        "\"sprint_duration_weeks\":2,\"reasoning\":\"Rule based.\"},"
        "\"intelligence_recommendations\":[{\"type\":\"task_count\",\"value\":6}],"
        "\"applied_adjustments\":{\"task_count_modification\":{\"original_recommendation\":"
        "10,\"intelligence_recommendation\":6,\"applied_value\":6,\"confidence\":\"0.85\","
        "\"evidence_source\":\"3 similar projects analysis\"}},\"final_decision\":{"
        "\"create_new_sprint\":true,\"tasks_to_assign\":6,\"sprint_duration_weeks\":2,"
        "\"reasoning\":\"Final.\",\"decision_source\":\"%s\"%s},\"combined_reasoning\":"
        "\"Rule-based decision: Rule based.\",\"correlation_id\":\"corr-%s\",\"sprint_id\":"
        "\"%s\"}",
        audit, pid, source, final_extra, audit, sid);
}

static void test_audits(void)
{
    const char *u = "/v1/notes/decision_audit";
    char *b = audit_body("audit-1", prj, sp2, "intelligence_enhanced", ",\"cronjob_created\":true");
    char *path, *body, *want;
    json_object *arr;
    it_resp_t r = it_json("POST", u, b);

    IT_CHECK(r.status == 201 && it_get_str(&r, "note_id") != NULL &&
                 strcmp(it_get_str(&r, "message"), "Decision audit note recorded successfully") ==
                     0,
             "C7 create: %s", it_describe(&r));
    it_free(&r);
    free(b);

    path = it_fmt("%s?project_id=%s", u, prj);
    body = get_ok(path, &arr);
    /* jsonb key order; final_decision reduced to its 5 keys; adjustments with all 8 keys */
    want =
        it_fmt("{\"audit_id\":\"audit-1\",\"sprint_id\":\"%s\",\"timestamp\":"
               "\"2025-09-18T14:00:03.100000\",\"project_id\":\"%s\",\"base_decision\":"
               "{\"reasoning\":\"Rule based.\",\"tasks_to_assign\":10,\"sprint_duration_weeks\":2},"
               "\"correlation_id\":\"corr-audit-1\",\"final_decision\":{\"reasoning\":\"Final.\","
               "\"decision_source\":\"intelligence_enhanced\",\"tasks_to_assign\":6,"
               "\"create_new_sprint\":true,\"sprint_duration_weeks\":2},\"combined_reasoning\":"
               "\"Rule-based decision: Rule based.\",\"applied_adjustments\":{"
               "\"task_count_modification\":{\"rationale\":null,\"confidence\":0.85,"
               "\"applied_value\":6,\"evidence_source\":\"3 similar projects analysis\","
               "\"evidence_details\":null,\"expected_improvement\":null,"
               "\"original_recommendation\":10,\"intelligence_recommendation\":6}},"
               "\"intelligence_recommendations\":[{\"type\":\"task_count\",\"value\":6}]}",
               sp2, prj);
    IT_CHECK(arr != NULL && json_object_array_length(arr) == 1 && body != NULL && body[0] == '[' &&
                 strncmp(body + 1, want, strlen(want)) == 0 &&
                 strcmp(body + 1 + strlen(want), "]") == 0,
             "C11 stored audit:\n got %s\nwant [%s]", body ? body : "-", want);
    json_object_put(arr);
    free(body);
    free(path);
    free(want);

    path = it_fmt("%s?project_id=%s-NOPE", u, prj);
    r = it_req("GET", path, NULL, NULL);
    IT_EXPECT_BODY(&r, 200, "[]", "C11 none -> []");
    it_free(&r);
    free(path);

    post_422(u, "{\"audit_id\":\"a\",\"project_id\":\"P\"}", "missing",
             "[\"body\",\"base_decision\"]", "C7 no base_decision");
    b = audit_body("a", "P", "S", "rule_based_only", ",\"create_new_sprint\":\"maybe\"");
    post_422(u, b, "bool_parsing", "[\"body\",\"final_decision\",\"create_new_sprint\"]",
             "C7 create_new_sprint not bool");
    free(b);
    post_422(u,
             "{\"audit_id\":\"a\",\"project_id\":\"P\",\"timestamp\":\"t\",\"base_decision\":"
             "{\"tasks_to_assign\":1,\"sprint_duration_weeks\":2,\"reasoning\":\"r\"},"
             "\"applied_adjustments\":{\"x\":{\"original_recommendation\":1,"
             "\"intelligence_recommendation\":2,\"applied_value\":2,\"confidence\":\"high\","
             "\"evidence_source\":\"e\"}},\"final_decision\":{\"create_new_sprint\":false,"
             "\"tasks_to_assign\":1,\"sprint_duration_weeks\":2,\"reasoning\":\"r\","
             "\"decision_source\":\"s\"},\"combined_reasoning\":\"c\",\"correlation_id\":\"c\"}",
             "float_parsing", "[\"body\",\"applied_adjustments\",\"x\",\"confidence\"]",
             "C7 confidence not a number");
    post_422(u,
             "{\"audit_id\":\"a\",\"project_id\":\"P\",\"timestamp\":\"t\",\"base_decision\":"
             "{\"tasks_to_assign\":1.5,\"sprint_duration_weeks\":2,\"reasoning\":\"r\"},"
             "\"final_decision\":{\"create_new_sprint\":false,\"tasks_to_assign\":1,"
             "\"sprint_duration_weeks\":2,\"reasoning\":\"r\",\"decision_source\":\"s\"},"
             "\"combined_reasoning\":\"c\",\"correlation_id\":\"c\"}",
             "int_from_float", "[\"body\",\"base_decision\",\"tasks_to_assign\"]",
             "C7 fractional task count");
    post_422(u,
             "{\"audit_id\":\"a\",\"project_id\":\"P\",\"timestamp\":\"t\",\"base_decision\":"
             "{\"tasks_to_assign\":1,\"sprint_duration_weeks\":2,\"reasoning\":\"r\"},"
             "\"applied_adjustments\":{\"x\":3},\"final_decision\":{\"create_new_sprint\":false,"
             "\"tasks_to_assign\":1,\"sprint_duration_weeks\":2,\"reasoning\":\"r\","
             "\"decision_source\":\"s\"},\"combined_reasoning\":\"c\",\"correlation_id\":\"c\"}",
             "model_type", "[\"body\",\"applied_adjustments\",\"x\"]",
             "C7 adjustment not an object");
    post_422(u, "[1,2]", "model_attributes_type", "[\"body\"]", "C7 body is an array");
}

/* ---- C12–C17 ----------------------------------------------------------------------------- */

/* C18 (addition): a sprint's progress per report date from summary_metrics — two reports of
 * one date give the larger counts, a decision note and a report without numeric counts are
 * left out, dates oldest first; a sprint without reports: 200 with no days. */
static void test_patterns_velocity_impediments(void)
{
    char *path, *body, *want;
    json_object *o;

    /* a decision note (orchestrator) is not a daily scrum and its "N/A" no impediment */
    char *dec = it_fmt(
        "{\"project_id\":\"%s\",\"sprint_id\":\"%s\",\"report_date\":\"2025-09-20\",\"summary\":"
        "\"dec\",\"reports\":{\"2025-09-20\":[{\"assigned_to\":\"orchestrator\",\"tasks\":[{\"id\":"
        "\"orchestration-task-1\",\"yesterday_work\":\"N/A\",\"today_work\":\"x\",\"impediments\":"
        "\"Blocked forever\",\"created_at\":\"2025-09-20T10:00:00\"}]}]},"
        "\"orchestration_decision_details\":{\"decision_type\":\"CREATE_NEW_SPRINT\","
        "\"decision_source\":\"rule_based_only\",\"intelligence_adjustments\":{}}}",
        prj, sp1);
    it_resp_t r = it_json("POST", "/v1/notes/daily_scrum_report", dec);

    IT_CHECK(r.status == 201, "C4 decision note: %s", it_describe(&r));
    it_free(&r);
    free(dec);

    path = it_fmt("/v1/analytics/project/%s/patterns", prj);
    body = get_ok(path, &o);
    want =
        it_fmt("{\"project_id\":\"%s\",\"metrics\":{\"daily_scrum_count\":2,"
               "\"retrospective_count\":2,\"total_tasks_completed_in_daily_scrums\":1},"
               "\"common_impediments_reported\":{\"Encountered a minor blocker with external "
               "dependency.\":1},\"common_retrospective_action_items\":{\"Address 1 tasks that "
               "are still in progress.\":1,\"Review 1 tasks that were completed.\":1,\"Review 2 "
               "tasks that were completed.\":1},\"patterns_analysis_summary\":\"Detailed analysis "
               "of project patterns for %s based on 2 daily scrums and 2 retrospectives.\"}",
               prj, prj);
    IT_CHECK(body != NULL && strcmp(body, want) == 0, "C13 patterns:\n got %s\nwant %s",
             body ? body : "-", want);
    json_object_put(o);
    free(body);
    free(path);
    free(want);

    path = it_fmt("/v1/analytics/project/%s-NOPE/patterns", prj);
    body = get_ok(path, &o);
    IT_CHECK(body != NULL && strstr(body, "\"metrics\":{\"daily_scrum_count\":0,"
                                          "\"retrospective_count\":0,"
                                          "\"total_tasks_completed_in_daily_scrums\":0}") != NULL,
             "C13 unknown project: zeros: %s", body ? body : "-");
    json_object_put(o);
    free(body);
    free(path);

    path = it_fmt("/v1/analytics/project/%s/velocity", prj);
    body = get_ok(path, &o);
    want =
        it_fmt("{\"project_id\":\"%s\",\"velocity_trend_data\":[{\"sprint_id\":\"%s\","
               "\"start_date\":\"2025-09-01\",\"end_date\":\"2025-09-15\",\"completed_tasks\":2},"
               "{\"sprint_id\":\"%s\",\"start_date\":\"2025-09-15\",\"end_date\":\"2025-09-29\","
               "\"completed_tasks\":1}],\"average_velocity\":1.5,\"velocity_analysis\":"
               "\"Analysis of tasks completed per sprint over time.\"}",
               prj, sp1, sp2);
    IT_CHECK(body != NULL && strcmp(body, want) == 0, "C14 velocity:\n got %s\nwant %s",
             body ? body : "-", want);
    json_object_put(o);
    free(body);
    free(path);
    free(want);

    path = it_fmt("/v1/analytics/project/%s-NOPE/velocity", prj);
    body = get_ok(path, &o);
    IT_CHECK(body != NULL &&
                 strstr(body, "\"velocity_trend_data\":[],\"average_velocity\":0.0,") != NULL,
             "C14 unknown project: %s", body ? body : "-");
    json_object_put(o);
    free(body);
    free(path);

    /* the blocker of 09-18 is resolved: the same task reported "None." on 09-19 */
    path = it_fmt("/v1/analytics/project/%s/impediments", prj);
    body = get_ok(path, &o);
    want = it_fmt("{\"project_id\":\"%s\",\"impediment_frequency\":{\"Encountered a minor blocker "
                  "with external dependency.\":1},\"impediment_status_counts\":{\"Encountered a "
                  "minor blocker with external dependency.\":{\"resolved\":1}},"
                  "\"impediment_analysis_summary\":\"Analysis of common impediments and their "
                  "resolution status.\"}",
                  prj);
    IT_CHECK(body != NULL && strcmp(body, want) == 0, "C15 impediments:\n got %s\nwant %s",
             body ? body : "-", want);
    json_object_put(o);
    free(body);
    free(path);
    free(want);

    /* a new blocker on a later day, not resolved yet → open */
    dec = it_fmt("{\"project_id\":\"%s\",\"sprint_id\":\"%s\",\"report_date\":\"2025-09-21\","
                 "\"reports\":{\"2025-09-21\":[{\"assigned_to\":\"E1\",\"tasks\":[{\"id\":"
                 "\"%s-TASK002\",\"impediments\":\"Encountered a minor blocker with external "
                 "dependency.\",\"created_at\":\"2025-09-21T10:00:00\"}]}]}}",
                 prj, sp1, prj);
    r = it_json("POST", "/v1/notes/daily_scrum_report", dec);
    IT_CHECK(r.status == 201, "C4 third report: %s", it_describe(&r));
    it_free(&r);
    free(dec);
    path = it_fmt("/v1/analytics/project/%s/impediments", prj);
    body = get_ok(path, &o);
    IT_CHECK(body != NULL && strstr(body, "dependency.\":2},") != NULL &&
                 strstr(body, "{\"open\":1,\"resolved\":1}") != NULL,
             "C15 open + resolved: %s", body ? body : "-");
    json_object_put(o);
    free(body);
    free(path);
}

static void test_similar(void)
{
    char *a1 = it_fmt(
        "[{\"description\":\"Review 3 items of %s.\"},{\"description\":\"Pair on %s\"}]", tag, tag);
    char *a2 =
        it_fmt("[{\"description\":\"review 12 items of %s\"},{\"description\":\"Pair on %s.\"}]",
               tag, tag);
    char *a3 = it_fmt("[{\"description\":\"Something else for %s\"}]", tag);
    char *sa = it_fmt("%s-S01", prj_b), *sb = it_fmt("%s-S02", prj_b),
         *sc = it_fmt("%s-S01", prj_c);
    char *path, *body, *want;
    json_object *o;
    it_resp_t r;

    /* prj_b: same action items as prj_b's twin below, numbers and case differ */
    post_retro(
        prj_b, sa, "2025-09-01", "2025-09-15", a1,
        "[{\"description\":\"a\",\"status\":\"completed\",\"task_id\":\"T1\",\"employee_id\":"
        "\"E1\",\"progress_percentage\":100},{\"description\":\"b\",\"status\":\"in_progress\","
        "\"task_id\":\"T2\",\"employee_id\":\"E2\",\"progress_percentage\":50}]");
    post_retro(
        prj_b, sb, "2025-09-15", "2025-09-25", a2,
        "[{\"description\":\"a\",\"status\":\"completed\",\"task_id\":\"T1\",\"employee_id\":"
        "\"E1\",\"progress_percentage\":100}]");
    post_retro(prj_c, sc, "2025-09-01", "2025-09-15", a3, "[]");

    /* reference prj_c (only "something else") matches nobody at 0.7 */
    path = it_fmt("/v1/analytics/projects/similar?reference_project_id=%s", prj_c);
    r = it_req("GET", path, NULL, NULL);
    want = it_fmt("No similar projects found for %s.", prj_c);
    IT_EXPECT_ERROR(&r, 404, want, "C16 no similar project");
    it_free(&r);
    free(path);
    free(want);

    /* a fresh project with the same (normalised) action items as prj_b */
    {
        char *sd = it_fmt("%s-D-S01", prj_b), *pd = it_fmt("%s-D", prj_b);

        post_retro(pd, sd, "2025-10-01", "2025-10-15", a2, "[]");
        path = it_fmt(
            "/v1/analytics/projects/similar?reference_project_id=%s&similarity_threshold=0.9", pd);
        body = get_ok(path, &o);
        want = it_fmt("[{\"project_id\":\"%s\",\"team_size\":2,\"avg_task_complexity\":0.0,"
                      "\"domain_category\":\"unknown\",\"project_duration\":24.0,"
                      "\"completion_rate\":0.67,\"avg_sprint_duration\":12.0,"
                      "\"optimal_task_count\":1,\"key_success_factors\":"
                      "[\"derived_from_retrospectives\"],\"similarity_score\":1.0}]",
                      prj_b);
        IT_CHECK(body != NULL && strcmp(body, want) == 0, "C16 similar:\n got %s\nwant %s",
                 body ? body : "-", want);
        json_object_put(o);
        free(body);
        free(path);
        free(want);
        free(sd);
        free(pd);
    }

    r = it_req("GET", "/v1/analytics/projects/similar", NULL, NULL);
    EXPECT_422(r, "missing", "[\"query\",\"reference_project_id\"]", "C16 no reference");
    it_free(&r);
    r = it_req("GET",
               "/v1/analytics/projects/similar?reference_project_id=X&similarity_threshold=1.5",
               NULL, NULL);
    EXPECT_422(r, "less_than_equal", "[\"query\",\"similarity_threshold\"]", "C16 threshold > 1");
    it_free(&r);
    r = it_req("GET",
               "/v1/analytics/projects/similar?reference_project_id=X&similarity_threshold=lots",
               NULL, NULL);
    EXPECT_422(r, "float_parsing", "[\"query\",\"similarity_threshold\"]", "C16 threshold text");
    it_free(&r);
    path = it_fmt(
        "/v1/analytics/projects/similar?reference_project_id=%s-NOPE&similarity_threshold=0", prj);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 404, "C16 unknown reference -> 404: %s", it_describe(&r));
    it_free(&r);
    free(path);
    free(a1);
    free(a2);
    free(a3);
    free(sa);
    free(sb);
    free(sc);
}

static void test_summary(void)
{
    it_resp_t r = it_req("GET", "/v1/analytics/metrics/summary", NULL, NULL);
    static const char *const keys[7] = {
        "total_projects",       "total_sprints",      "total_daily_scrum_reports",
        "total_retrospectives", "total_action_items", "overall_system_health",
        "summary_analysis"};
    size_t i = 0;

    IT_CHECK(r.status == 200 && r.json != NULL && json_object_object_length(r.json) == 7,
             "C12 summary: %s", it_describe(&r));
    json_object_object_foreach(r.json, k, v)
    {
        IT_CHECK(i < 7 && strcmp(k, keys[i]) == 0, "C12 key %zu is %s", i, k);
        if (i < 5)
            IT_CHECK(json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 2,
                     "C12 %s is a count >= 2", k);
        i++;
    }
    IT_CHECK(it_get_str(&r, "overall_system_health") != NULL &&
                 (strcmp(it_get_str(&r, "overall_system_health"), "Good") == 0 ||
                  strcmp(it_get_str(&r, "overall_system_health"), "Needs Attention") == 0),
             "C12 health value: %s", it_describe(&r));
    it_free(&r);
}

static void test_impact(void)
{
    char *path, *body, *want, *dec;
    json_object *o;
    it_resp_t r;

    /* sprint 2: its creation decision is the C7 audit above (intelligence_enhanced) */
    /* sprint 1: a creation decision note (rule_based_only) was posted in the patterns test */
    path = it_fmt(
        "/v1/analytics/decisions/impact/%s?start_date=2025-08-01&end_date=2099-01-01T00:00:00Z",
        prj);
    body = get_ok(path, &o);
    want =
        it_fmt("{\"time_period\":{\"start_date\":\"2025-08-01T00:00:00\",\"end_date\":"
               "\"2099-01-01T00:00:00\"},\"total_decisions_analyzed\":2,"
               "\"intelligence_enhanced_decisions\":1,\"rule_based_decisions\":1,"
               "\"intelligence_completion_rate_avg\":1.0,\"rule_based_completion_rate_avg\":0.667,"
               "\"completion_rate_improvement_percent\":50.0,"
               "\"task_efficiency_improvement_percent\":-50.0,"
               "\"resource_utilization_improvement_percent\":0.0,\"details\":[");
    IT_CHECK(body != NULL && strncmp(body, want, strlen(want)) == 0,
             "C17 totals:\n got %s\nwant %s...", body ? body : "-", want);
    free(want);
    want =
        it_fmt("\"sprint_id\":\"%s\",\"decision_source\":\"rule_based_only\",\"timestamp\":", sp1);
    IT_CHECK(body != NULL && strstr(body, want) != NULL &&
                 strstr(body,
                        "\"completion_rate\":0.67,\"success\":false,\"actual_duration_weeks\":"
                        "2.0,\"actual_task_count\":3}") != NULL &&
                 strstr(body, "\"audit_id\":\"audit-1\"") != NULL &&
                 strstr(body, "\"decision_source\":\"intelligence_enhanced\"") != NULL &&
                 strstr(body, "\"completion_rate\":1.0,\"success\":true,\"actual_duration_weeks\":"
                              "2.0,\"actual_task_count\":1}") != NULL,
             "C17 details: %s", body ? body : "-");
    json_object_put(o);
    free(body);
    free(path);
    free(want);

    /* a decision for a sprint without retrospective yet */
    dec = it_fmt("{\"project_id\":\"%s\",\"sprint_id\":\"%s\",\"reports\":{},"
                 "\"orchestration_decision_details\":{\"decision_type\":\"CREATE_NEW_SPRINT\","
                 "\"decision_source\":\"learning_enhanced\"}}",
                 prj, sp3);
    r = it_json("POST", "/v1/notes/daily_scrum_report", dec);
    IT_CHECK(r.status == 201, "C4 decision for S03: %s", it_describe(&r));
    it_free(&r);
    free(dec);
    path = it_fmt("/v1/analytics/decisions/impact/%s", prj);
    body = get_ok(path, &o);
    want = it_fmt("\"sprint_id\":\"%s\",\"decision_source\":\"learning_enhanced\"", sp3);
    IT_CHECK(body != NULL && strstr(body, want) != NULL &&
                 strstr(body, "\"completion_rate\":null,\"success\":null,\"notes\":\"Outcome data "
                              "not yet available.\"}") != NULL,
             "C17 default window, pending outcome: %s", body ? body : "-");
    json_object_put(o);
    free(body);
    free(path);
    free(want);

    path = it_fmt("/v1/analytics/decisions/impact/%s-NOPE?start_date=2025-09-01", prj);
    body = get_ok(path, &o);
    IT_CHECK(body != NULL && strstr(body, "\"total_decisions_analyzed\":0,") != NULL &&
                 strstr(body, "\"details\":[]}") != NULL,
             "C17 unknown project: 200 empty: %s", body ? body : "-");
    json_object_put(o);
    free(body);
    free(path);

    r = it_req("GET", "/v1/analytics/decisions/impact/X?start_date=2025-13-01", NULL, NULL);
    EXPECT_422(r, "datetime_from_date_parsing", "[\"query\",\"start_date\"]", "C17 bad start");
    it_free(&r);
    r = it_req("GET", "/v1/analytics/decisions/impact/X?end_date=soon", NULL, NULL);
    EXPECT_422(r, "datetime_from_date_parsing", "[\"query\",\"end_date\"]", "C17 bad end");
    it_free(&r);
    r = it_req("GET", "/v1/analytics/decisions/impact/X?start_date=2025-10-02&end_date=2025-10-01",
               NULL, NULL);
    EXPECT_422(r, "value_error", "[\"query\",\"start_date\"]", "C17 start after end");
    it_free(&r);
}

/* Odd requests: every answer is a deliberate 4xx, never 5xx. */
static void test_hostile(void)
{
    static const char *const gets[] = {
        "/v1/notes/daily_scrum_report?project_id=%27%3B%20DROP%20TABLE%20chronicle_notes%3B--",
        "/v1/notes/sprint_retrospective?sprint_id=%E2%82%AC",
        "/v1/notes/decision_audit?project_id=",
        "/v1/analytics/project/%20/patterns",
        "/v1/analytics/projects/similar?reference_project_id=&similarity_threshold=nan",
        "/v1/analytics/decisions/impact/X?start_date=",
        "/v1/analytics/decisions/impact/X?start_date=0001-01-01&end_date=9999-12-31T23:59:59",
    };
    static const char *const posts[][2] = {
        {"/v1/notes/daily_scrum_report", "{\"project_id\":\"P\",\"reports\":{\"d\":[null]}}"},
        {"/v1/notes/daily_scrum_report", "{\"project_id\":\"P\",\"reports\":{},\"summary_metrics\":"
                                         "{\"total_team_members\":1e400,\"total_tasks\":1,"
                                         "\"completed_tasks\":1,\"pending_tasks\":1}}"},
        {"/v1/notes/sprint_retrospective",
         "{\"sprint_id\":\"S\",\"project_id\":\"P\",\"start_date\":"
         "\"2025-09-01T10:00:00\"}"},
        {"/v1/notes/sprint_planning", "\"just a string\""},
        {"/v1/notes/decision_audit", "null"},
    };

    for (size_t i = 0; i < sizeof(gets) / sizeof(*gets); i++) {
        it_resp_t r = it_req("GET", gets[i], NULL, NULL);

        IT_CHECK(no_5xx(&r) && it_is_json_ct(&r), "GET %s -> %s", gets[i], it_describe(&r));
        it_free(&r);
    }
    for (size_t i = 0; i < sizeof(posts) / sizeof(*posts); i++) {
        it_resp_t r = it_json("POST", posts[i][0], posts[i][1]);

        IT_CHECK(r.status == 422 && it_is_detail_list(&r), "POST %s %s -> %s", posts[i][0],
                 posts[i][1], it_describe(&r));
        it_free(&r);
    }
}

static void test_sprint_progress(void)
{
    static const char *const days[][3] = {
        {"2025-10-07", "4", "4"}, {"2025-10-06", "4", "1"}, {"2025-10-07", "4", "3"}};
    char pid[80], sid[96], *path, *body;
    json_object *o = NULL;

    snprintf(pid, sizeof pid, "%s-PG", prj); /* a project of its own: C12/C17 of prj unchanged */
    snprintf(sid, sizeof sid, "%s-S01", pid);
    for (size_t i = 0; i < 3; i++) {
        char *b = it_fmt("{\"project_id\":\"%s\",\"sprint_id\":\"%s\",\"report_date\":\"%s\","
                         "\"summary\":\"s\",\"summary_metrics\":{\"total_team_members\":2,"
                         "\"total_tasks\":%s,\"completed_tasks\":%s,\"pending_tasks\":0},"
                         "\"reports\":{}}",
                         pid, sid, days[i][0], days[i][1], days[i][2]);
        it_resp_t r = it_json("POST", "/v1/notes/daily_scrum_report", b);

        IT_CHECK(r.status == 201, "C4 report %zu: %s", i, it_describe(&r));
        it_free(&r);
        free(b);
    }
    {
        char *dec = it_fmt("{\"project_id\":\"%s\",\"sprint_id\":\"%s\",\"report_date\":"
                           "\"2025-10-05\",\"summary\":\"dec\",\"summary_metrics\":{\"total_team_members\":"
                           "1,\"total_tasks\":9,\"completed_tasks\":9,\"pending_tasks\":0},\"reports\":{},"
                           "\"orchestration_decision_details\":{\"decision_type\":\"NO_ACTION\"}}",
                           pid, sid);
        it_resp_t r = it_json("POST", "/v1/notes/daily_scrum_report", dec);

        IT_CHECK(r.status == 201, "C4 decision note: %s", it_describe(&r));
        it_free(&r);
        free(dec);
    }
    path = it_fmt("/v1/analytics/sprint/%s/progress", sid);
    body = get_ok(path, &o);
    {
        char *want = it_fmt("{\"sprint_id\":\"%s\",\"days\":[{\"date\":\"2025-10-06\",\"total_tasks\":4,"
                            "\"completed_tasks\":1},{\"date\":\"2025-10-07\",\"total_tasks\":4,"
                            "\"completed_tasks\":4}]}",
                            sid);

        IT_CHECK(body != NULL && strcmp(body, want) == 0, "C18: %s", body ? body : "(none)");
        free(want);
    }
    json_object_put(o);
    free(body);
    free(path);
    body = get_ok("/v1/analytics/sprint/NO-SUCH-SPRINT-X/progress", &o);
    IT_CHECK(body != NULL && strcmp(body, "{\"sprint_id\":\"NO-SUCH-SPRINT-X\",\"days\":[]}") == 0,
             "C18 unknown sprint: %s", body ? body : "(none)");
    json_object_put(o);
    free(body);
}

DSM_SUITE("integration/chronicle", suite_init, NULL, DSM_TEST(test_health),
          DSM_TEST(test_daily_create_and_get), DSM_TEST(test_daily_bad_input),
          DSM_TEST(test_planning), DSM_TEST(test_retrospectives), DSM_TEST(test_audits),
          DSM_TEST(test_patterns_velocity_impediments), DSM_TEST(test_similar),
          DSM_TEST(test_summary), DSM_TEST(test_impact), DSM_TEST(test_hostile),
          DSM_TEST(test_sprint_progress));
