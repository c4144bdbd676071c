/*
 * spr_close.c — S11 POST /sprints/{sprint_id}/close.
 *
 * In one transaction holding the sprint row: check it exists (404) and is in progress (409),
 * return every unfinished task (progress < 100) to the backlog with Backlog PUT /tasks/{id}
 * {"status":"unassigned","sprint_id":null} (a failure reverts the PUTs made, rolls back and
 * answers 503 — the sprint stays open, nothing is stranded), set the sprint's final status,
 * delete its sprint-local task rows, commit. Then TASK_UPDATED (status "unassigned", progress
 * kept) for each returned task — it follows the daily scrum events in the same stream, so the
 * Backlog consumer cannot apply an older "in_progress" after it — and the retrospective is
 * posted to the Chronicle (failure: retrospective_report_id null and a warning).
 */
#include <string.h>

#include "spr_internal.h"

/* The sprint-local tasks of a sprint (by id) into *out; NULL out on a database error. */
static int load_tasks(const spr_state_t *st, dsm_req_t *req, const char *sid, spr_task_t **out,
                      size_t *n)
{
    const dsm_api_t *api = st->api;
    const char *params[1] = {sid};
    dsm_rows_t *r = api->db_exec(req, NULL,
                                 "SELECT task_id, title, status, assigned_to, "
                                 "coalesce(progress_percentage, 0) FROM tasks "
                                 "WHERE sprint_id = $1 ORDER BY task_id",
                                 1, params);
    int rows;

    if (r == NULL)
        return 0;
    rows = api->rows_count(r);
    *n = (size_t)rows;
    *out = api->palloc(req, ((size_t)rows + 1) * sizeof(spr_task_t));
    if (*out == NULL)
        return 0;
    for (int i = 0; i < rows; i++) {
        (*out)[i].task_id = api->rows_value(r, i, 0);
        (*out)[i].title = api->rows_value(r, i, 1);
        (*out)[i].status = api->rows_value(r, i, 2);
        (*out)[i].assignee = api->rows_value(r, i, 3);
        (*out)[i].progress = spr_atoi(api->rows_value(r, i, 4));
    }
    return 1;
}

/* PUT every unfinished task (progress < 100) back to the backlog, or (revert) back into the
 * sprint. Returns the index of the first failure, or n when all succeeded (revert: always n). */
static size_t move_tasks(const spr_state_t *st, dsm_req_t *req, const char *sid,
                         const spr_task_t *t, size_t n, int revert, spr_resp_t *fail)
{
    const dsm_api_t *api = st->api;

    for (size_t i = 0; i < n; i++) {
        struct json_object *b;
        spr_resp_t r;
        int ok;

        if (t[i].progress >= 100)
            continue;
        b = json_object_new_object();
        json_object_object_add(b, "status",
                               json_object_new_string(revert ? t[i].status : SPR_TS_BACKLOG));
        json_object_object_add(b, "sprint_id", revert ? json_object_new_string(sid) : NULL);
        ok = spr_call(st, req, SPR_BACKLOG, "PUT",
                      api->psprintf(req, "/tasks/%s", spr_seg(st, req, t[i].task_id)), b, &r);
        json_object_put(b);
        spr_resp_free(&r);
        if (!ok && !revert) {
            *fail = r;
            return i;
        }
    }
    return n;
}

/* S11 POST /sprints/{sprint_id}/close */
int spr_sprint_close(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[2] = {spr_param(st, req, "sprint_id"), NULL};
    const char *sid = params[0];
    struct json_object *o, *retro, *warnings = NULL, *rid = NULL, *v = NULL;
    spr_retro_counts_t c;
    spr_sprint_t s;
    spr_task_t *t = NULL;
    spr_resp_t fail = {-1, "no answer", NULL}, r;
    size_t n = 0, bad;
    int lost = 0;

    if (api->db_begin(req, NULL) != DSM_OK)
        return spr_db_fail(st, req, 0);
    {
        dsm_rows_t *sr = api->db_exec(req, NULL,
                                      "SELECT " SPR_SPRINT_COLS " FROM sprints s "
                                      "WHERE s.sprint_id = $1 FOR UPDATE",
                                      1, params);

        if (sr == NULL)
            return spr_db_fail(st, req, 1);
        if (api->rows_count(sr) == 0)
            return spr_fail(st, req, 1, 404, api->psprintf(req, "Sprint %s not found.", sid));
        spr_sprint_row(st, sr, 0, 0, &s);
    }
    if (strcmp(s.status, SPR_ST_IN_PROGRESS) != 0)
        return spr_fail(st, req, 1, 409,
                        api->psprintf(req,
                                      "Sprint %s is not in 'in_progress' status. Current status: %s",
                                      sid, s.status));
    if (!spr_require_redis(st, req, 1, "the tasks returned to the backlog cannot be published; "
                                       "the sprint stays open."))
        return DSM_OK;
    if (!load_tasks(st, req, sid, &t, &n))
        return spr_db_fail(st, req, 1);
    spr_retro_counts(t, n, &c);

    bad = move_tasks(st, req, sid, t, n, 0, &fail);
    if (bad < n) {
        move_tasks(st, req, sid, t, bad, 1, NULL);
        return spr_unavailable(st, req, 1, SPR_BACKLOG, &fail,
                               api->psprintf(req, ": cannot return task %s to the backlog; "
                                                  "the sprint stays open.",
                                             t[bad].task_id));
    }
    params[1] = c.unfinished > 0 ? SPR_ST_CLOSED_PENDING : SPR_ST_COMPLETED;
    if (api->db_exec(req, NULL, "UPDATE sprints SET status = $2 WHERE sprint_id = $1", 2, params) ==
            NULL ||
        api->db_exec(req, NULL, "DELETE FROM tasks WHERE sprint_id = $1", 1, params) == NULL) {
        move_tasks(st, req, sid, t, n, 1, NULL);
        return spr_db_fail(st, req, 1);
    }
    if (api->db_commit(req, NULL) != DSM_OK) {
        move_tasks(st, req, sid, t, n, 1, NULL);
        return spr_db_fail(st, req, 0);
    }

    for (size_t i = 0; i < n; i++) {
        spr_task_evt_t e = {t[i].task_id, s.project_id, NULL, SPR_TS_BACKLOG, t[i].assignee,
                            t[i].progress};

        if (t[i].progress < 100 && spr_publish_task_updated(st, req, &e, NULL) != DSM_OK)
            lost++;
    }
    if (lost > 0)
        spr_warn(&warnings, api->psprintf(req, "%d TASK_UPDATED events could not be published.",
                                          lost));
    if (spr_publish_sprint_closed(st, req, &s, params[1], (int)n, c.completed, c.unfinished) !=
        DSM_OK)
        spr_warn(&warnings, "The SprintClosed event could not be published.");
    retro = spr_retro_build(&s, t, n);
    if (spr_call(st, req, SPR_CHRONICLE, "POST", "/v1/notes/sprint_retrospective", retro, &r) &&
        json_object_object_get_ex(r.body, "retrospective_id", &v) &&
        json_object_is_type(v, json_type_string))
        rid = json_object_new_string(json_object_get_string(v));
    else
        spr_warn(&warnings, api->psprintf(req, "Retrospective not stored: Chronicle Service "
                                               "unavailable (%s).",
                                          spr_resp_reason(st, req, &r)));
    spr_resp_free(&r);
    json_object_put(retro);

    o = json_object_new_object();
    json_object_object_add(o, "message",
                           spr_jstr(api->psprintf(req, "Sprint closure processed for %s.", sid)));
    json_object_object_add(o, "sprint_id", json_object_new_string(sid));
    json_object_object_add(o, "status_updated_to", json_object_new_string(params[1]));
    json_object_object_add(o, "completed_tasks_count", json_object_new_int(c.completed));
    json_object_object_add(o, "uncompleted_tasks_moved_to_backlog_count",
                           json_object_new_int(c.unfinished));
    json_object_object_add(o, "retrospective_report_id", rid);
    if (warnings != NULL)
        json_object_object_add(o, "warnings", warnings);
    return api->reply_json(req, 200, o);
}
