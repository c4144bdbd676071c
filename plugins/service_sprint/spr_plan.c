/*
 * spr_plan.c — carrying out an S5 plan (spr_create.h): the sprint_db transaction, the Backlog
 * assignment made while it is open, and what follows the commit.
 */
#include <stdio.h>
#include <string.h>

#include "spr_create.h"

/* See spr_create.h. */
int spr_plan_insert(const spr_state_t *st, dsm_req_t *req, spr_plan_t *p)
{
    const dsm_api_t *api = st->api;
    const char *params[7];
    const char **ids;
    dsm_rows_t *r;
    char weeks[24];
    int n;

    params[0] = p->pid;
    if (api->db_exec(req, NULL, "SELECT pg_advisory_xact_lock(hashtext('sprint:' || $1))", 1,
                     params) == NULL)
        return spr_db_fail(st, req, 1), 0;
    r = api->db_exec(req, NULL, "SELECT sprint_id, status FROM sprints WHERE project_id = $1", 1,
                     params);
    if (r == NULL)
        return spr_db_fail(st, req, 1), 0;
    n = api->rows_count(r);
    ids = api->palloc(req, ((size_t)n + 1) * sizeof(char *));
    if (ids == NULL)
        return spr_fail(st, req, 1, 500, NULL), 0;
    for (int i = 0; i < n; i++) {
        ids[i] = api->rows_value(r, i, 0);
        if (strcmp(api->rows_value(r, i, 1), SPR_ST_IN_PROGRESS) == 0) {
            api->db_rollback(req, NULL);
            return api->reply_error(req, 409, "A sprint is already in progress for project %s.",
                                    p->pid),
                   0;
        }
    }
    if (spr_sprint_id(p->sid, sizeof p->sid, p->pid, spr_next_number(p->pid, ids, (size_t)n)) >
        SPR_MAX_TASK_SPRINT_ID) {
        api->db_rollback(req, NULL);
        return api->reply_error(req, 422,
                                "Sprint id %s would be longer than %d characters (tasks.sprint_id "
                                "VARCHAR(%d)); use a shorter project id.",
                                p->sid, SPR_MAX_TASK_SPRINT_ID, SPR_MAX_TASK_SPRINT_ID),
               0;
    }
    snprintf(weeks, sizeof weeks, "%lld", (long long)p->weeks);
    params[0] = p->sid;
    params[1] = p->pid;
    params[2] = p->name;
    params[3] = p->start;
    params[4] = p->end;
    params[5] = weeks;
    params[6] = SPR_ST_IN_PROGRESS;
    if (api->db_exec(req, NULL,
                     "INSERT INTO sprints (sprint_id, project_id, sprint_name, start_date, "
                     "end_date, duration_weeks, status) "
                     "VALUES ($1, $2, $3, $4::date, $5::date, $6::int, $7)",
                     7, params) == NULL)
        return spr_db_fail(st, req, 1), 0;
    params[1] = spr_array_param(st, req, p->ids, p->n);
    params[2] = spr_array_param(st, req, p->titles, p->n);
    params[3] = spr_array_param(st, req, p->assignees, p->n);
    if (params[1] == NULL || params[2] == NULL || params[3] == NULL)
        return spr_fail(st, req, 1, 500, NULL), 0;
    if (api->db_exec(req, NULL,
                     "INSERT INTO tasks (task_id, sprint_id, title, status, progress_percentage, "
                     "assigned_to) SELECT u.id, $1, u.title, 'assigned_to_sprint', 0, u.who "
                     "FROM unnest($2::text[], $3::text[], $4::text[]) AS u(id, title, who)",
                     4, params) == NULL) {
        const char *state = api->db_sqlstate(req);

        if (state != NULL && strcmp(state, "23505") == 0) {
            api->db_rollback(req, NULL);
            return api->reply_error(req, 409,
                                    "Cannot create sprint: a backlog task of project %s is "
                                    "already in an open sprint.",
                                    p->pid),
                   0;
        }
        return spr_db_fail(st, req, 1), 0;
    }
    return 1;
}

/* See spr_create.h. */
size_t spr_plan_put(const spr_state_t *st, dsm_req_t *req, const spr_plan_t *p, size_t n,
                        int revert, spr_resp_t *fail)
{
    const dsm_api_t *api = st->api;
    size_t done = 0;

    for (; done < n; done++) {
        struct json_object *b = json_object_new_object();
        spr_resp_t r;
        int ok;

        json_object_object_add(b, "status",
                               json_object_new_string(revert ? SPR_TS_BACKLOG : SPR_TS_ASSIGNED));
        json_object_object_add(b, "sprint_id", revert ? NULL : json_object_new_string(p->sid));
        if (!revert)
            json_object_object_add(b, "assigned_to", spr_jstr(p->assignees[done]));
        ok = spr_call(st, req, SPR_BACKLOG, "PUT",
                      api->psprintf(req, "/tasks/%s", spr_seg(st, req, p->ids[done])), b, &r);
        json_object_put(b);
        spr_resp_free(&r);
        if (!ok) {
            if (fail != NULL)
                *fail = r;
            if (!revert)
                return done;
        }
    }
    return done;
}

/* See spr_create.h. */
void spr_plan_after_commit(const spr_state_t *st, dsm_req_t *req, const spr_plan_t *p,
                         struct json_object **warnings)
{
    const dsm_api_t *api = st->api;
    spr_sprint_t s = {p->sid, p->pid, p->name, p->start, p->end, (int)p->weeks,
                      SPR_ST_IN_PROGRESS};
    struct json_object *note, *planned;
    int lost = 0;
    spr_resp_t r;

    if (spr_publish_sprint_started(st, req, &s, p->ids, p->n) != DSM_OK)
        lost++;
    for (size_t i = 0; i < p->n; i++) {
        spr_task_evt_t e = {p->ids[i], p->pid, p->sid, SPR_TS_ASSIGNED, p->assignees[i], 0};

        if (spr_publish_task_updated(st, req, &e, api->req_id(req)) != DSM_OK)
            lost++;
    }
    if (lost > 0)
        spr_warn(warnings, api->psprintf(req, "%d events could not be published to Redis.", lost));

    note = json_object_new_object();
    planned = json_object_new_array();
    for (size_t i = 0; i < p->n; i++)
        json_object_array_add(planned, json_object_new_string(p->ids[i]));
    json_object_object_add(note, "sprint_id", json_object_new_string(p->sid));
    json_object_object_add(note, "project_id", json_object_new_string(p->pid));
    json_object_object_add(note, "sprint_name", json_object_new_string(p->name));
    json_object_object_add(note, "sprint_goal",
                           spr_jstr(api->psprintf(req, "Complete all assigned tasks for sprint %s.",
                                                  p->sid)));
    json_object_object_add(note, "start_date", json_object_new_string(p->start));
    json_object_object_add(note, "end_date", json_object_new_string(p->end));
    json_object_object_add(note, "planned_tasks", planned);
    if (!spr_call(st, req, SPR_CHRONICLE, "POST", "/v1/notes/sprint_planning", note, &r))
        spr_warn(warnings, api->psprintf(req, "Sprint planning note not stored: Chronicle Service "
                                              "unavailable (%s).",
                                         spr_resp_reason(st, req, &r)));
    spr_resp_free(&r);
    json_object_put(note);
}

