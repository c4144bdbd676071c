/*
 * orc_perceive.c — the perception of docs/ORCHESTRATOR.md §2: one http_parallel round to the
 * Project, Backlog, Sprint and Chronicle services, then the current sprint's task summary, the
 * project's schedules and decision history from agent_memory.
 */
#include <stdio.h>
#include <string.h>

#include "orc_internal.h"

enum { P_PROJECT, P_TEAM, P_AVAIL, P_BACKLOG, P_SPRINTS, P_VELOCITY, P_SIMILAR, P_PATTERNS, P_N };

static const char *const call_name[P_N] = {"project", "team",     "availability", "backlog",
                                           "sprints", "velocity", "similar",      "patterns"};

static const orc_svc_e call_svc[P_N] = {ORC_PROJECT,   ORC_PROJECT,   ORC_PROJECT,
                                        ORC_BACKLOG,   ORC_SPRINT,    ORC_CHRONICLE,
                                        ORC_CHRONICLE, ORC_CHRONICLE};

static void date_plus(const char *today, long days, char out[16])
{
    int y = 1970, m = 1, d = 1;

    if (sscanf(today, "%4d-%2d-%2d", &y, &m, &d) != 3)
        y = 1970, m = 1, d = 1;
    orc_civil_from_days(orc_days_from_civil(y, m, d) + days, &y, &m, &d);
    snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
}

static struct json_object *team_json(struct json_object *body)
{
    struct json_object *t = json_object_new_object(), *members = json_object_new_array();
    struct json_object *arr = orc_jget(body, "team_members");
    size_t n = 0;

    if (arr == NULL && body != NULL && json_object_is_type(body, json_type_array))
        arr = body;
    if (arr != NULL && json_object_is_type(arr, json_type_array))
        n = json_object_array_length(arr);
    for (size_t i = 0; i < n; i++) {
        struct json_object *m = json_object_array_get_idx(arr, i), *o = json_object_new_object();
        const char *id = orc_jstr(m, "id") ? orc_jstr(m, "id") : orc_jstr(m, "employee_id");
        const char *name = orc_jstr(m, "name") ? orc_jstr(m, "name") : orc_jstr(m, "employee_name");

        json_object_object_add(o, "id", orc_jstr_or_null(id));
        json_object_object_add(o, "name", orc_jstr_or_null(name));
        json_object_array_add(members, o);
    }
    json_object_object_add(t, "size", json_object_new_int((int)n));
    json_object_object_add(t, "members", members);
    return t;
}

static struct json_object *availability_json(struct json_object *body, const char *start,
                                             const char *end)
{
    struct json_object *a = json_object_new_object(), *cf = orc_jget(body, "conflicts");
    int holidays = 0, pto = 0;
    size_t n = 0;

    json_object_object_add(a, "start_date", json_object_new_string(start));
    json_object_object_add(a, "end_date", json_object_new_string(end));
    json_object_object_add(a, "status",
                           json_object_new_string(orc_jstr(body, "status") ? orc_jstr(body, "status") : "ok"));
    if (cf != NULL && json_object_is_type(cf, json_type_array))
        n = json_object_array_length(cf);
    for (size_t i = 0; i < n; i++) {
        const char *type = orc_jstr(json_object_array_get_idx(cf, i), "type");

        holidays += type != NULL && strcmp(type, "holiday") == 0;
        pto += type != NULL && strcmp(type, "pto") == 0;
    }
    json_object_object_add(a, "conflicts", cf ? json_object_get(cf) : json_object_new_array());
    json_object_object_add(a, "holiday_days", json_object_new_int(holidays));
    json_object_object_add(a, "pto_entries", json_object_new_int(pto));
    return a;
}

static struct json_object *backlog_json(struct json_object *body)
{
    struct json_object *b = json_object_new_object(), *sc = orc_jget(body, "status_counts");

    json_object_object_add(b, "total_tasks",
                           json_object_new_int64((int64_t)orc_jnum(body, "total_tasks", 0)));
    json_object_object_add(
        b, "unassigned",
        json_object_new_int64((int64_t)orc_jnum(body, "unassigned_for_sprint_count", 0)));
    json_object_object_add(b, "status_counts", sc ? json_object_get(sc) : json_object_new_object());
    return b;
}

/* The sprints member without the task summary (added after the second round). */
static struct json_object *sprints_json(struct json_object *list, struct json_object **current)
{
    struct json_object *s = json_object_new_object(), *recent = json_object_new_array();
    size_t n = list != NULL && json_object_is_type(list, json_type_array)
                   ? json_object_array_length(list)
                   : 0;
    int active = 0, closed = 0;

    *current = NULL;
    for (size_t i = 0; i < n; i++) {
        struct json_object *sp = json_object_array_get_idx(list, i);
        const char *status = orc_jstr(sp, "status");

        if (status != NULL && strcmp(status, "in_progress") == 0) {
            active++;
            if (*current == NULL)
                *current = sp;
        } else {
            closed++;
        }
        if (i < 10)
            json_object_array_add(recent, json_object_get(sp));
    }
    json_object_object_add(s, "total", json_object_new_int((int)n));
    json_object_object_add(s, "active_count", json_object_new_int(active));
    json_object_object_add(s, "closed_count", json_object_new_int(closed));
    json_object_object_add(s, "next_number", json_object_new_int((int)n + 1));
    json_object_object_add(s, "current", *current ? json_object_get(*current) : NULL);
    json_object_object_add(s, "current_task_summary", NULL);
    json_object_object_add(s, "recent", recent);
    return s;
}

static struct json_object *history_json(orc_state_t *st, dsm_req_t *req, const char *pid)
{
    const dsm_api_t *api = st->api;
    const char *params[1] = {pid};
    struct json_object *h, *last = NULL;
    dsm_rows_t *r = api->db_exec(
        req, NULL,
        "SELECT (SELECT count(*) FROM orchestrator_decisions WHERE project_id = $1), "
        "(SELECT count(*) FROM orchestrator_decisions WHERE project_id = $1 "
        "AND outcome_recorded_at IS NOT NULL), l.sprint_id, (l.outcome->>'committed'), "
        "(l.outcome->>'completed'), l.outcome_quality "
        "FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT sprint_id, outcome, outcome_quality "
        "FROM orchestrator_decisions WHERE project_id = $1 AND outcome_recorded_at IS NOT NULL "
        "ORDER BY outcome_recorded_at DESC LIMIT 1) l ON true",
        1, params);

    if (r == NULL || api->rows_count(r) != 1)
        return NULL;
    h = json_object_new_object();
    json_object_object_add(h, "decisions", orc_jint_text(api->rows_value(r, 0, 0)));
    json_object_object_add(h, "outcomes", orc_jint_text(api->rows_value(r, 0, 1)));
    if (api->rows_value(r, 0, 2) != NULL) {
        last = json_object_new_object();
        json_object_object_add(last, "sprint_id", orc_jstr_or_null(api->rows_value(r, 0, 2)));
        json_object_object_add(last, "committed", orc_jint_text(api->rows_value(r, 0, 3)));
        json_object_object_add(last, "completed", orc_jint_text(api->rows_value(r, 0, 4)));
        json_object_object_add(last, "completion_rate", orc_jnum_text(api->rows_value(r, 0, 5)));
    }
    json_object_object_add(h, "last_outcome", last);
    return h;
}

static struct json_object *chronicle_json(dsm_http_result_t *res)
{
    static const char *const keys[3] = {"velocity", "similar_projects", "patterns"};
    struct json_object *c = json_object_new_object(), *errors = json_object_new_object();
    int available = 1;

    for (int k = 0; k < 3; k++) {
        dsm_http_result_t *r = &res[P_VELOCITY + k];

        if (r->status == 200 && r->body != NULL) {
            json_object_object_add(c, keys[k], json_object_get(r->body));
        } else {
            json_object_object_add(c, keys[k], NULL);
            if (r->status != 404) {
                available = 0;
                json_object_object_add(errors, keys[k],
                                       json_object_new_string(r->status < 0 ? (r->err ? r->err : "no answer")
                                                                            : "unexpected answer"));
            }
        }
    }
    json_object_object_add(c, "available", json_object_new_boolean(available));
    json_object_object_add(c, "errors", errors);
    return c;
}

int orc_perceive(orc_state_t *st, dsm_req_t *req, const char *pid, const orc_perceive_opts_t *o,
                 struct json_object **out)
{
    const dsm_api_t *api = st->api;
    const char *seg = orc_seg(st, req, pid), *now = api->utcnow_iso(req);
    dsm_http_opts_t opts[P_N];
    dsm_http_result_t res[P_N];
    const char *paths[P_N];
    char today[16], end[16];
    struct json_object *p = NULL, *current = NULL, *sprints, *schedules;
    struct json_object *tm = o->timings != NULL ? json_object_new_object() : NULL;
    size_t ncalls = o->with_chronicle ? P_N : P_VELOCITY;
    int64_t t = 0;
    int rc = -1;

    *out = NULL;
    snprintf(today, sizeof today, "%.10s", now);
    date_plus(today, 7 * o->weeks, end);
    paths[P_PROJECT] = api->psprintf(req, "/projects/%s", seg);
    paths[P_TEAM] = api->psprintf(req, "/projects/%s/team-members", seg);
    paths[P_AVAIL] = api->psprintf(req, "/projects/%s/availability/check?start_date=%s&end_date=%s",
                                   seg, today, end);
    paths[P_BACKLOG] = api->psprintf(req, "/backlogs/%s/summary", seg);
    paths[P_SPRINTS] = api->psprintf(req, "/sprints/by-project/%s", seg);
    paths[P_VELOCITY] = api->psprintf(req, "/v1/analytics/project/%s/velocity", seg);
    paths[P_SIMILAR] = api->psprintf(
        req, "/v1/analytics/projects/similar?reference_project_id=%s&similarity_threshold=0.7", seg);
    paths[P_PATTERNS] = api->psprintf(req, "/v1/analytics/project/%s/patterns", seg);
    memset(opts, 0, sizeof opts);
    for (size_t i = 0; i < ncalls; i++) {
        opts[i].size = sizeof opts[i];
        opts[i].method = "GET";
        opts[i].url = api->psprintf(req, "%s%s", st->url[call_svc[i]], paths[i]);
        opts[i].timeout_ms = st->http_timeout_ms;
        opts[i].retries = 1;
        opts[i].breaker = orc_svc_key(call_svc[i]);
    }
    t = api->now_ns();
    if (api->http_parallel(req, ncalls, opts, res) != DSM_OK) {
        json_object_put(tm);
        api->reply_error(req, 500, "Internal server error during orchestration: perception failed");
        return -1;
    }
    if (tm != NULL) {
        for (size_t i = 0; i < ncalls; i++)
            orc_step_add(st, tm, call_name[i], res[i].ms, NULL);
        orc_step_add(st, tm, "parallel", 0, &t);
    }
    /* Required services first: an unknown project, then the first failing dependency. */
    if (res[P_PROJECT].status == 404) {
        api->reply_error(req, 404, "Project %s not found.", pid);
        goto done;
    }
    for (size_t i = 0; i < P_VELOCITY; i++) {
        if (res[i].status != 200) {
            orc_reply_dependency(st, req, call_svc[i], res[i].status, res[i].body, res[i].err);
            goto done;
        }
    }
    p = json_object_new_object();
    json_object_object_add(p, "schema", json_object_new_int(1));
    json_object_object_add(p, "project_id", json_object_new_string(pid));
    json_object_object_add(p, "generated_at", json_object_new_string(now));
    json_object_object_add(p, "today", json_object_new_string(today));
    json_object_object_add(p, "options", json_object_get(o->options));
    json_object_object_add(p, "project", json_object_get(res[P_PROJECT].body));
    json_object_object_add(p, "team", team_json(res[P_TEAM].body));
    json_object_object_add(p, "availability", availability_json(res[P_AVAIL].body, today, end));
    json_object_object_add(p, "backlog", backlog_json(res[P_BACKLOG].body));
    sprints = sprints_json(res[P_SPRINTS].body, &current);
    json_object_object_add(p, "sprints", sprints);
    if (current != NULL && orc_jstr(current, "sprint_id") != NULL) {
        struct json_object *sum = NULL;
        int s = orc_call(st, req, ORC_SPRINT, "GET",
                         api->psprintf(req, "/sprints/%s/task-summary",
                                       orc_seg(st, req, orc_jstr(current, "sprint_id"))),
                         NULL, 0, &sum, NULL);

        if (s == 200 && sum != NULL && json_object_is_type(sum, json_type_object))
            json_object_object_add(sprints, "current_task_summary", json_object_get(sum));
        json_object_put(sum);
        orc_step_add(st, tm, "task_summary", 0, &t);
    }
    schedules = orc_schedule_list(st, req, pid, 0);
    orc_step_add(st, tm, "schedules", 0, &t);
    if (schedules == NULL) {
        api->reply_db_error(req);
        goto done;
    }
    json_object_object_add(p, "schedules", schedules);
    json_object_object_add(p, "history", history_json(st, req, pid));
    orc_step_add(st, tm, "history", 0, &t);
    if (o->with_chronicle)
        json_object_object_add(p, "chronicle", chronicle_json(res));
    json_object_object_add(p, "mode", json_object_new_string(o->mode ? o->mode : st->default_mode));
    *out = p;
    p = NULL;
    rc = 0;
    if (o->timings != NULL) {
        *o->timings = tm;
        tm = NULL;
    }
done:
    json_object_put(tm);
    json_object_put(p);
    for (size_t i = 0; i < ncalls; i++)
        json_object_put(res[i].body);
    return rc;
}

struct json_object *orc_chronicle_data(orc_state_t *st, dsm_req_t *req, const char *pid)
{
    const dsm_api_t *api = st->api;
    const char *seg = orc_seg(st, req, pid);
    dsm_http_opts_t opts[P_N];
    dsm_http_result_t res[P_N];
    const char *paths[3];
    struct json_object *c;

    paths[0] = api->psprintf(req, "/v1/analytics/project/%s/velocity", seg);
    paths[1] = api->psprintf(
        req, "/v1/analytics/projects/similar?reference_project_id=%s&similarity_threshold=0.7", seg);
    paths[2] = api->psprintf(req, "/v1/analytics/project/%s/patterns", seg);
    memset(opts, 0, sizeof opts);
    memset(res, 0, sizeof res);
    for (int i = 0; i < 3; i++) {
        opts[P_VELOCITY + i].size = sizeof opts[0];
        opts[P_VELOCITY + i].method = "GET";
        opts[P_VELOCITY + i].url = api->psprintf(req, "%s%s", st->url[ORC_CHRONICLE], paths[i]);
        opts[P_VELOCITY + i].timeout_ms = st->http_timeout_ms;
        opts[P_VELOCITY + i].retries = 1;
        opts[P_VELOCITY + i].breaker = "chronicle";
    }
    if (api->http_parallel(req, 3, &opts[P_VELOCITY], &res[P_VELOCITY]) != DSM_OK)
        return NULL;
    c = chronicle_json(res);
    for (int i = 0; i < 3; i++)
        json_object_put(res[P_VELOCITY + i].body);
    return c;
}
