/*
 * spr_create.c — S5 POST /sprints/{project_id}: start a sprint.
 *
 * Everything that can refuse the request runs before anything is written (validation, active
 * sprint, project, backlog, team); then one transaction (serialised per project by an advisory
 * lock) numbers the sprint, inserts it and its tasks, and — while it is still open — assigns
 * the tasks in the Backlog service (PUT /tasks/{id}, idempotent); a failed PUT rolls the
 * transaction back and reverts the PUTs already made. Events and the Chronicle planning note
 * follow the commit; their failures are warnings in the 201 answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spr_create.h"

/* The input value of a body field (borrowed) for a 422 entry. */
static struct json_object *body_field(const dsm_api_t *api, dsm_req_t *req, const char *field)
{
    struct json_object *v = NULL;

    json_object_object_get_ex(api->req_body(req), field, &v);
    return v;
}

/* The optional task count: "task_count" (what the orchestrator sends by default) or its alias
 * "tasks_to_assign" (the orchestrator's decision field); both given must agree. 1 given, 0 not,
 * -1 invalid (recorded). */
static int read_count(const spr_state_t *st, dsm_req_t *req, int64_t *count)
{
    const dsm_api_t *api = st->api;
    int64_t alias = 0;
    int a = api->v_int(req, "body", "task_count", 0, count);
    int b = api->v_int(req, "body", "tasks_to_assign", 0, &alias);

    if (a < 0 || b < 0)
        return -1;
    if (a == 1 && b == 1 && *count != alias) {
        api->v_problem(req, "body", "tasks_to_assign", "value_error",
                       "Value error, task_count and tasks_to_assign differ",
                       body_field(api, req, "tasks_to_assign"));
        return -1;
    }
    if (a != 1 && b == 1)
        *count = alias;
    if ((a == 1 || b == 1) && *count < 1) {
        const char *field = a == 1 ? "task_count" : "tasks_to_assign";

        api->v_problem(req, "body", field, "greater_than_equal",
                       "Input should be greater than or equal to 1", body_field(api, req, field));
        return -1;
    }
    return a == 1 || b == 1;
}

/* Body {"sprint_name": str, "duration_weeks": int 1..8, "task_count"?: int >= 1}.
 * 1 valid; 0 replied (422). */
static int read_body(const spr_state_t *st, dsm_req_t *req, spr_plan_t *p)
{
    const dsm_api_t *api = st->api;

    api->v_str(req, "body", "sprint_name", DSM_V_REQUIRED, &p->name);
    api->v_int(req, "body", "duration_weeks", DSM_V_REQUIRED, &p->weeks);
    if (read_count(st, req, &p->limit) != 1)
        p->limit = 0;
    if (api->v_failed(req))
        return 0;
    if (p->name == NULL)
        api->v_problem(req, "body", "sprint_name", "string_type", "Input should be a valid string",
                       NULL);
    else if (strlen(p->name) > SPR_MAX_NAME) /* bytes ≥ characters: a cheap upper bound */
        api->v_problem(req, "body", "sprint_name", "string_too_long",
                       "String should have at most 255 characters",
                       body_field(api, req, "sprint_name"));
    if (p->weeks < SPR_MIN_WEEKS)
        api->v_problem(req, "body", "duration_weeks", "greater_than_equal",
                       "Input should be greater than or equal to 1",
                       body_field(api, req, "duration_weeks"));
    else if (p->weeks > SPR_MAX_WEEKS)
        api->v_problem(req, "body", "duration_weeks", "less_than_equal",
                       "Input should be less than or equal to 8",
                       body_field(api, req, "duration_weeks"));
    return !api->v_failed(req);
}

/* 1 when the project has no in-progress sprint; else replied 409 (or a database error). */
static int no_active_sprint(const spr_state_t *st, dsm_req_t *req, const char *pid)
{
    const dsm_api_t *api = st->api;
    const char *params[1] = {pid};
    dsm_rows_t *r = api->db_exec(req, NULL,
                                 "SELECT 1 FROM sprints WHERE project_id = $1 "
                                 "AND status = 'in_progress' LIMIT 1",
                                 1, params);

    if (r == NULL)
        return spr_db_fail(st, req, 0), 0;
    if (api->rows_count(r) > 0)
        return api->reply_error(req, 409, "A sprint is already in progress for project %s.", pid),
               0;
    return 1;
}

/* Project GET /projects/{pid}: 1 exists; 0 replied 404 / 503. */
static int project_exists(const spr_state_t *st, dsm_req_t *req, const char *pid)
{
    spr_resp_t r;
    int ok = spr_call(st, req, SPR_PROJECT, "GET",
                      st->api->psprintf(req, "/projects/%s", spr_seg(st, req, pid)), NULL, &r);

    if (!ok && r.status == 404) {
        st->api->reply_error(req, 404, "Project %s not found.", pid);
    } else if (!ok) {
        spr_unavailable(st, req, 0, SPR_PROJECT, &r, ": cannot check the project.");
    }
    spr_resp_free(&r);
    return ok;
}

/* A string member of a backlog task copied to the arena (NULL when absent/null/not a string). */
static const char *task_str(const dsm_api_t *api, dsm_req_t *req, struct json_object *t,
                            const char *key)
{
    struct json_object *v = NULL;

    if (!json_object_object_get_ex(t, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return api->pstrdup(req, json_object_get_string(v));
}

/* Backlog GET /backlogs/{pid}?status=unassigned → p->ids/titles/assignees (backlog order, at
 * most p->limit). 1 ok; 0 replied (503, or 409 when there is nothing to assign). */
static int take_backlog(const spr_state_t *st, dsm_req_t *req, spr_plan_t *p)
{
    const dsm_api_t *api = st->api;
    spr_resp_t r;
    size_t len, cap;
    int ok = spr_call(st, req, SPR_BACKLOG, "GET",
                      api->psprintf(req, "/backlogs/%s?status=unassigned", spr_seg(st, req, p->pid)),
                      NULL, &r);

    if (!ok || !json_object_is_type(r.body, json_type_array)) {
        if (ok)
            r.err = "unexpected answer", r.status = -1;
        spr_unavailable(st, req, 0, SPR_BACKLOG, &r, ": cannot read the project's backlog.");
        spr_resp_free(&r);
        return 0;
    }
    len = json_object_array_length(r.body);
    cap = p->limit > 0 && (size_t)p->limit < len ? (size_t)p->limit : len;
    p->ids = api->palloc(req, (cap + 1) * sizeof(char *));
    p->titles = api->palloc(req, (cap + 1) * sizeof(char *));
    p->assignees = api->palloc(req, (cap + 1) * sizeof(char *));
    p->n = 0;
    for (size_t i = 0; i < len && p->n < cap && p->ids && p->titles && p->assignees; i++) {
        struct json_object *t = json_object_array_get_idx(r.body, i);
        const char *id = task_str(api, req, t, "task_id");
        const char *status = task_str(api, req, t, "status");

        if (id == NULL || id[0] == '\0' || status == NULL || strcmp(status, SPR_TS_BACKLOG) != 0)
            continue;
        p->ids[p->n] = id;
        p->titles[p->n] = task_str(api, req, t, "title");
        if (p->titles[p->n] == NULL)
            p->titles[p->n] = "";
        p->assignees[p->n] = task_str(api, req, t, "assigned_to");
        p->n++;
    }
    spr_resp_free(&r);
    if (p->n == 0) {
        api->reply_error(req, 409, "Cannot create sprint: No unassigned tasks found for project %s.",
                         p->pid);
        return 0;
    }
    return 1;
}

/* Project GET /projects/{pid}/team-members → round-robin assignees for tasks without one.
 * 1 ok; 0 replied 503. */
static int assign_team(const spr_state_t *st, dsm_req_t *req, spr_plan_t *p)
{
    const dsm_api_t *api = st->api;
    struct json_object *members = NULL;
    const char **ids = NULL, **out;
    size_t m = 0, len = 0;
    spr_resp_t r;
    int ok = spr_call(st, req, SPR_PROJECT, "GET",
                      api->psprintf(req, "/projects/%s/team-members", spr_seg(st, req, p->pid)),
                      NULL, &r);

    if (!ok || !json_object_object_get_ex(r.body, "team_members", &members) ||
        !json_object_is_type(members, json_type_array)) {
        if (ok)
            r.err = "unexpected answer", r.status = -1;
        spr_unavailable(st, req, 0, SPR_PROJECT, &r, ": cannot read the project's team.");
        spr_resp_free(&r);
        return 0;
    }
    len = json_object_array_length(members);
    ids = api->palloc(req, (len + 1) * sizeof(char *));
    out = api->palloc(req, (p->n + 1) * sizeof(char *));
    for (size_t i = 0; i < len && ids != NULL; i++) {
        const char *id = task_str(api, req, json_object_array_get_idx(members, i), "id");

        if (id != NULL && id[0] != '\0')
            ids[m++] = id;
    }
    spr_resp_free(&r);
    if (ids == NULL || out == NULL)
        return api->reply_error(req, 500, "Internal Server Error"), 0;
    spr_assign_round_robin(p->assignees, p->n, ids, m, out);
    p->assignees = out;
    return 1;
}

/* S5 POST /sprints/{project_id} — body {"sprint_name","duration_weeks","task_count"?}. */
int spr_sprint_create(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *o, *warnings = NULL;
    spr_plan_t p;
    spr_resp_t fail = {-1, "no answer", NULL};
    size_t done;

    memset(&p, 0, sizeof p);
    p.pid = spr_param(st, req, "project_id");
    if (!read_body(st, req, &p))
        return DSM_OK;
    if (strlen(p.pid) + 4 > SPR_MAX_TASK_SPRINT_ID)
        return api->reply_error(req, 422,
                                "Project id %s is too long for sprint ids of at most %d "
                                "characters (\"%s-S01\").",
                                p.pid, SPR_MAX_TASK_SPRINT_ID, p.pid);
    if (!no_active_sprint(st, req, p.pid) || !project_exists(st, req, p.pid) ||
        !take_backlog(st, req, &p) || !assign_team(st, req, &p))
        return DSM_OK;
    spr_today(p.start);
    spr_date_add_weeks(p.start, (int)p.weeks, p.end);

    if (api->db_begin(req, NULL) != DSM_OK)
        return spr_db_fail(st, req, 0);
    if (!spr_plan_insert(st, req, &p))
        return DSM_OK;
    done = spr_plan_put(st, req, &p, p.n, 0, &fail);
    if (done < p.n) {
        api->db_rollback(req, NULL);
        spr_plan_put(st, req, &p, done, 1, NULL);
        return spr_unavailable(st, req, 0, SPR_BACKLOG, &fail,
                               api->psprintf(req, ": cannot assign task %s; no sprint was created.",
                                             p.ids[done]));
    }
    if (api->db_commit(req, NULL) != DSM_OK) {
        spr_plan_put(st, req, &p, p.n, 1, NULL);
        return spr_db_fail(st, req, 0);
    }
    spr_plan_after_commit(st, req, &p, &warnings);

    o = json_object_new_object();
    json_object_object_add(o, "message",
                           spr_jstr(api->psprintf(req, "Sprint '%s' started successfully for project %s",
                                                  p.name, p.pid)));
    json_object_object_add(o, "sprint_id", json_object_new_string(p.sid));
    json_object_object_add(o, "assigned_tasks_count", json_object_new_int((int)p.n));
    if (warnings != NULL)
        json_object_object_add(o, "warnings", warnings);
    return api->reply_json(req, 201, o);
}
