/*
 * orc_status.c — O5 GET /orchestrate/project/{project_id}/status (perception with a 2-week
 * window, schedules, decision mode, O15 insights) and O6 DELETE
 * /orchestrate/project/{project_id}/cronjob/{cronjob_name} (one of the project's schedules).
 */
#include <string.h>

#include "orc_internal.h"

int orc_status(void *state, dsm_req_t *req)
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = api->req_param(req, "project_id");
    struct json_object *opts, *p = NULL, *o, *bs, *cur, *jobs, *mj;
    orc_perceive_opts_t po;
    orc_mode_t mode;

    if (strlen(pid) > ORC_MAX_PROJECT)
        return api->reply_error(req, 404, "Project %s not found.", pid);
    if (orc_mode_get(st, req, pid, &mode) < 0)
        return orc_db_fail(st, req, 0);
    opts = json_object_new_object();
    json_object_object_add(opts, "sprint_duration_weeks", json_object_new_int(2));
    po = (orc_perceive_opts_t){opts, 2, mode.mode, 1, NULL};
    if (orc_perceive(st, req, pid, &po, &p) < 0) {
        json_object_put(opts);
        return DSM_OK;
    }
    jobs = orc_schedule_list(st, req, pid, 1);
    if (jobs == NULL) {
        json_object_put(opts);
        json_object_put(p);
        return orc_db_fail(st, req, 0);
    }
    cur = orc_jpath(p, "sprints", "current");
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "last_analysis", json_object_new_string(api->psprintf(req, "%sZ", api->utcnow_iso(req))));
    json_object_object_add(o, "current_sprint", orc_jstr_or_null(orc_jstr(cur, "sprint_id")));
    json_object_object_add(o, "sprint_status",
                           json_object_new_string(cur && orc_jstr(cur, "status") ? orc_jstr(cur, "status")
                                                                          : "no active sprint"));
    bs = json_object_new_object();
    {
        struct json_object *b = orc_jget(p, "backlog"), *sc = orc_jget(b, "status_counts");
        struct json_object *ip = orc_jget(sc, "in_progress"), *done = orc_jget(sc, "completed");

        json_object_object_add(bs, "total_tasks", orc_jd(orc_jnum(b, "total_tasks", 0)));
        json_object_object_add(bs, "unassigned", orc_jd(orc_jnum(b, "unassigned", 0)));
        json_object_object_add(bs, "in_progress", ip ? json_object_get(ip) : json_object_new_int(0));
        json_object_object_add(bs, "completed", done ? json_object_get(done) : json_object_new_int(0));
    }
    json_object_object_add(o, "backlog_status", bs);
    json_object_object_add(o, "cronjobs", jobs);
    mj = orc_gate_json(&mode.gate);
    json_object_object_add(mj, "mode", json_object_new_string(mode.mode));
    json_object_object_add(mj, "configured", json_object_new_boolean(mode.from_db));
    json_object_object_add(o, "decision_mode", mj);
    json_object_object_add(o, "history", json_object_get(orc_jget(p, "history")));
    json_object_object_add(o, "intelligence_insights", orc_insights_body(st, req, pid, orc_jget(p, "chronicle")));
    json_object_put(opts);
    json_object_put(p);
    return api->reply_json(req, 200, o);
}

int orc_cronjob_delete(void *state, dsm_req_t *req)
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[2] = {api->req_param(req, "project_id"), api->req_param(req, "cronjob_name")};
    struct json_object *o;
    dsm_rows_t *r = api->db_exec(req, NULL,
                                 "DELETE FROM orchestrator_schedules WHERE project_id = $1 AND name = $2",
                                 2, params);

    if (r == NULL)
        return orc_db_fail(st, req, 0);
    if (api->rows_affected(r) == 0)
        return api->reply_error(req, 404, "CronJob %s not found for project %s", params[1], params[0]);
    o = json_object_new_object();
    json_object_object_add(o, "message",
                           json_object_new_string(api->psprintf(req, "CronJob %s deleted successfully", params[1])));
    json_object_object_add(o, "cronjob_name", json_object_new_string(params[1]));
    json_object_object_add(o, "status", json_object_new_string("deleted"));
    return api->reply_json(req, 200, o);
}
