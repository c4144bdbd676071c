/*
 * test_routing.c — every documented URL of the five services (api.md §1) is routed by nginx.
 *
 * Project URLs must give the project service's real answers. For the other four services the
 * answer depends on whether their pool runs (GET /<svc>/health == 200): if it does, the
 * answer must be the pool's own (not a router 404/405, not nginx's 502/503/504); if it does
 * not, nginx must answer 503 {"detail":"Service unavailable"} — which proves the location
 * exists, since an unrouted URL gets 404. Requests that could write use unknown ids or a
 * malformed body, so a running pool is not changed. Also: the host's health and admin URLs.
 */
#include "dsm_test.h"
#include "it_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAD "{"                /* malformed JSON: model bodies answer 422 before any effect */
#define NOPE "ITROUTE-NOPE"
#define UUID0 "00000000-0000-4000-8000-000000000000"

typedef struct {
    const char *method;
    const char *path;
    const char *body;  /* JSON text or NULL */
    long want;         /* project routes: the expected status */
} route_t;

static const route_t project_routes[] = {
    {"GET", "/project/health", NULL, 200},
    {"GET", "/project/health/ready", NULL, 200},
    {"POST", "/projects", BAD, 422},
    {"GET", "/projects", NULL, 200},
    {"GET", "/projects/PHE001", NULL, 200},
    {"PUT", "/projects/" NOPE "/status", "{\"status\":\"x\"}", 404},
    {"GET", "/projects/PHE001/team-members", NULL, 200},
    {"GET", "/calendar/holidays", NULL, 200},
    {"GET", "/projects/PHE001/calendar/pto", NULL, 200},
    {"POST", "/projects/PHE001/calendar/pto", "{\"start_date\":\"2031-03-03\"}", 422},
    {"DELETE", "/projects/PHE001/calendar/pto/" UUID0, NULL, 404},
    {"GET", "/projects/PHE001/availability/check?start_date=2031-08-11&end_date=2031-08-12",
     NULL, 200},
    {"POST", "/employees", BAD, 400},
    {"POST", "/debug-employees", "{}", 200},
    {"GET", "/employees/@member", NULL, 200},
    {"GET", "/teams", NULL, 200},
    {"GET", "/teams/@member", NULL, 200},
    {"GET", "/teams/@member/members", NULL, 200},
    {"POST", "/projects/PHE001/team-members-assign", BAD, 400},
    {"GET", "/employees/@member/teams", NULL, 200},
};

typedef struct {
    const char *svc;
    route_t routes[32];
} svc_routes_t;

static const svc_routes_t other_routes[] = {
    {"backlog",
     {{"GET", "/backlog/health", NULL, 0},
      {"GET", "/backlog/health/ready", NULL, 0},
      {"GET", "/backlogs/summary", NULL, 0},
      {"POST", "/backlogs/" NOPE, NULL, 0},
      {"GET", "/backlogs/PHE001/summary", NULL, 0},
      {"GET", "/backlogs/PHE001?status=open", NULL, 0},
      {"PUT", "/tasks/" NOPE "-TASK001", BAD, 0},
      {NULL, NULL, NULL, 0}}},
    {"sprint",
     {{"GET", "/sprint/health", NULL, 0},
      {"GET", "/sprint/health/ready", NULL, 0},
      {"GET", "/sprints/active", NULL, 0},
      {"GET", "/sprints/active/PHE001", NULL, 0},
      {"POST", "/sprints/" NOPE, BAD, 0},
      {"GET", "/sprints/list_projects", NULL, 0},
      {"GET", "/sprints/PHE001-S01", NULL, 0},
      {"GET", "/sprints/PHE001-S01/tasks", NULL, 0},
      {"GET", "/sprints/by-project/PHE001?status=completed", NULL, 0},
      {"POST", "/tasks/" NOPE "-TASK001/progress", BAD, 0},
      {"POST", "/sprints/" NOPE "-S01/close", NULL, 0},
      {"GET", "/sprints/PHE001-S01/task-summary", NULL, 0},
      {"POST", "/sprints/" NOPE "-S01/run-daily-scrum", NULL, 0},
      {NULL, NULL, NULL, 0}}},
    {"chronicle",
     {{"GET", "/chronicle/health", NULL, 0},
      {"GET", "/chronicle/health/ready", NULL, 0},
      {"GET", "/v1/health", NULL, 0},
      {"POST", "/v1/notes/daily_scrum_report", BAD, 0},
      {"POST", "/v1/notes/sprint_planning", BAD, 0},
      {"POST", "/v1/notes/sprint_retrospective", BAD, 0},
      {"POST", "/v1/notes/decision_audit", BAD, 0},
      {"GET", "/v1/notes/daily_scrum_report?sprint_id=PHE001-S01&project_id=PHE001"
              "&daily_scrum_date=2025-01-06", NULL, 0},
      {"GET", "/v1/notes/sprint_retrospective?sprint_id=PHE001-S01&project_id=PHE001", NULL, 0},
      {"GET", "/v1/notes/sprint_planning?sprint_id=PHE001-S01&project_id=PHE001", NULL, 0},
      {"GET", "/v1/notes/decision_audit?project_id=PHE001", NULL, 0},
      {"GET", "/v1/analytics/metrics/summary", NULL, 0},
      {"GET", "/v1/analytics/project/PHE001/patterns", NULL, 0},
      {"GET", "/v1/analytics/project/PHE001/velocity", NULL, 0},
      {"GET", "/v1/analytics/project/PHE001/impediments", NULL, 0},
      {"GET", "/v1/analytics/projects/similar?reference_project_id=PHE001"
              "&similarity_threshold=0.7", NULL, 0},
      {"GET", "/v1/analytics/decisions/impact/PHE001?start_date=2025-01-01&end_date=2025-12-31",
       NULL, 0},
      {"GET", "/v1/analytics/sprint/PHE001-S01/progress", NULL, 0},
      {NULL, NULL, NULL, 0}}},
    {"orchestrator",
     {{"GET", "/orchestrator/health", NULL, 0},
      {"GET", "/orchestrator/health/ready", NULL, 0},
      {"GET", "/orchestrator/metrics", NULL, 0},
      {"POST", "/orchestrate/project/" NOPE, BAD, 0},
      {"GET", "/orchestrate/project/PHE001/status", NULL, 0},
      {"DELETE", "/orchestrate/project/" NOPE "/cronjob/run-dailyscrum-itroute-nope-itroute-nope-s01",
       NULL, 0},
      {"GET", "/strategy/status", NULL, 0},
      {"POST", "/strategy/evolve", BAD, 0},
      {"POST", "/strategy/evolve/project/" NOPE, BAD, 0},
      {"GET", "/strategy/analytics", NULL, 0},
      {"GET", "/strategy/list?limit=50", NULL, 0},
      {"GET", "/strategy/" UUID0 "/performance?days=30", NULL, 0},
      {"POST", "/strategy/" UUID0 "/deactivate?reason=manual_deactivation", NULL, 0},
      {"GET", "/strategy/health", NULL, 0},
      {"GET", "/orchestrate/intelligence/project/PHE001/insights", NULL, 0},
      {"GET", "/orchestrate/intelligence/patterns/similar-projects/PHE001", NULL, 0},
      {"GET", "/orchestrate/intelligence/patterns/velocity-trends/PHE001", NULL, 0},
      {"GET", "/orchestrate/intelligence/models/health", NULL, 0},
      {"GET", "/orchestrate/intelligence/data-quality/PHE001", NULL, 0},
      {"GET", "/orchestrate/intelligence/performance/metrics/PHE001", NULL, 0},
      {"GET", "/orchestrate/intelligence/decision-impact/PHE001?start_date=2025-01-01"
              "&end_date=2025-12-31", NULL, 0},
      {"POST", "/orchestrate/intelligence/project/" NOPE "/decision-mode", BAD, 0},
      {"GET", "/orchestrate/intelligence/decision-audit/PHE001", NULL, 0},
      {"GET", "/orchestrate/intelligence/hybrid-patterns/PHE001", NULL, 0},
      {"GET", "/orchestrate/intelligence/episode-insights/PHE001?limit=10", NULL, 0},
      {"GET", "/orchestrate/intelligence/performance/hybrid-metrics/PHE001", NULL, 0},
      {NULL, NULL, NULL, 0}}},
};

static char member[64] = "E001";

static it_resp_t send_route(const route_t *rt)
{
    const char *at = strstr(rt->path, "@member");
    char *path = at != NULL ? it_fmt("%.*s%s%s", (int)(at - rt->path), rt->path, member,
                                     at + strlen("@member"))
                            : it_fmt("%s", rt->path);
    it_resp_t r = it_req(rt->method, path, rt->body, rt->body != NULL ? IT_JSON : NULL);
    free(path);
    return r;
}

static void test_project_routes(void)
{
    it_resp_t r = it_req("GET", "/projects/PHE001/team-members", NULL, NULL);
    json_object *tm = it_get(&r, "team_members"), *id;

    if (tm != NULL && json_object_is_type(tm, json_type_array) &&
        json_object_array_length(tm) > 0 &&
        json_object_object_get_ex(json_object_array_get_idx(tm, 0), "id", &id))
        snprintf(member, sizeof member, "%s", json_object_get_string(id));
    it_free(&r);

    for (size_t i = 0; i < sizeof project_routes / sizeof project_routes[0]; i++) {
        const route_t *rt = &project_routes[i];
        r = send_route(rt);
        IT_CHECK(r.status == rt->want && it_is_json_ct(&r) && r.json != NULL,
                 "project %s %s: want %ld JSON, got %s", rt->method, rt->path, rt->want,
                 it_describe(&r));
        if (rt->want >= 400)
            IT_CHECK(it_is_json_error(&r), "project %s %s: error has detail: %s", rt->method,
                     rt->path, it_describe(&r));
        it_free(&r);
    }
}

static int is_router_miss(const it_resp_t *r)
{
    const char *d = it_get_str(r, "detail");
    return (r->status == 404 && d != NULL && strcmp(d, "Not Found") == 0) || r->status == 405;
}

static void test_other_services(void)
{
    for (size_t s = 0; s < sizeof other_routes / sizeof other_routes[0]; s++) {
        const svc_routes_t *sv = &other_routes[s];
        char *hp = it_fmt("/%s/health", sv->svc);
        it_resp_t h = it_req("GET", hp, NULL, NULL);
        int up = h.status == 200;

        printf("\n  pool %s: %s", sv->svc, up ? "up" : "down (expect nginx 503)");
        if (!up)
            IT_CHECK(h.status == 503 && it_is_json_error(&h), "%s down: 503 JSON: %s", hp,
                     it_describe(&h));
        it_free(&h);
        free(hp);
        for (const route_t *rt = sv->routes; rt->method != NULL; rt++) {
            it_resp_t r = send_route(rt);
            const char *d = it_get_str(&r, "detail");
            if (up) {
                int nginx_down = r.status == 502 || r.status == 504 ||
                                 (r.status == 503 && d != NULL &&
                                  strcmp(d, "Service unavailable") == 0);
                IT_CHECK(r.curl_code == 0 && r.body_len > 0 && !is_router_miss(&r) && !nginx_down,
                         "%s %s %s (pool up): want the pool's own answer, got %s", sv->svc,
                         rt->method, rt->path, it_describe(&r));
            } else {
                IT_CHECK(r.status == 503 && it_is_json_ct(&r) && d != NULL &&
                             strcmp(d, "Service unavailable") == 0,
                         "%s %s %s (pool down): want 503 {\"detail\":\"Service unavailable\"}, "
                         "got %s", sv->svc, rt->method, rt->path, it_describe(&r));
            }
            it_free(&r);
        }
    }
    printf("\n");
}

static void test_health_urls(void)
{
    it_resp_t r = it_req("GET", "/project/health", NULL, NULL);
    json_object *pools, *pp;

    IT_EXPECT_BODY(&r, 200, "{\"status\":\"ok\"}", "GET /project/health");
    it_free(&r);

    r = it_req("GET", "/project/health/ready", NULL, NULL);
    IT_CHECK(r.status == 200 && it_get_str(&r, "status") != NULL &&
                 strcmp(it_get_str(&r, "status"), "ready") == 0,
             "GET /project/health/ready: %s", it_describe(&r));
    it_free(&r);

    r = it_req("GET", "/health", NULL, NULL);
    pools = it_get(&r, "pools");
    IT_CHECK(r.status == 200 && it_is_json_ct(&r) && it_get_str(&r, "status") != NULL &&
                 strcmp(it_get_str(&r, "status"), "ok") == 0,
             "GET /health aggregate 200 ok: %s", it_describe(&r));
    IT_CHECK(pools != NULL && json_object_is_type(pools, json_type_object) &&
                 json_object_object_get_ex(pools, "project", &pp) &&
                 strcmp(json_object_get_string(pp), "ok") == 0,
             "GET /health has pools.project = ok: %s", it_describe(&r));
    it_free(&r);
}

static void test_admin_urls(void)
{
    static const char *const public_admin[][2] = {
        {"GET", "/admin/status"},
        {"GET", "/admin/project/1/status"},
        {"POST", "/admin/plugins/project/reload"},
        {"POST", "/admin/project/1/plugins/project/reload"},
    };
    it_resp_t r;

    for (size_t i = 0; i < sizeof public_admin / sizeof public_admin[0]; i++) {
        r = it_req(public_admin[i][0], public_admin[i][1], NULL, NULL);
        IT_EXPECT_ERROR(&r, 404, NULL, public_admin[i][1]);
        it_free(&r);
    }
    for (int n = 1; n <= 2; n++) {
        char *p = it_fmt("/admin/project/%d/status", n);
        r = it_admin_req("GET", p, NULL, NULL);
        IT_CHECK(r.status == 200 && it_is_json_ct(&r) && r.json != NULL &&
                     json_object_is_type(r.json, json_type_object),
                 "admin GET %s: want 200 JSON object, got %s", p, it_describe(&r));
        it_free(&r);
        free(p);
    }
}

static void test_unknown_path(void)
{
    static const char *const paths[] = {"/definitely-not-a-route", "/", "/projectsX",
                                        "/admin", "/_dsm/pools-health"};

    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        it_resp_t r = it_req("GET", paths[i], NULL, NULL);
        IT_EXPECT_ERROR(&r, 404, NULL, paths[i]);
        it_free(&r);
    }
}

DSM_SUITE("integration/routing", NULL, NULL,
          DSM_TEST(test_project_routes), DSM_TEST(test_other_services),
          DSM_TEST(test_health_urls), DSM_TEST(test_admin_urls), DSM_TEST(test_unknown_path));
