/*
 * orc_mode.c — decision modes per project (docs/ORCHESTRATOR.md §6): reading the mode and gate
 * of a project for a decision, and O22 POST /orchestrate/intelligence/project/{id}/decision-mode
 * which persists them (orchestrator_project_modes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orc_internal.h"

struct json_object *orc_gate_json(const orc_gate_t *g)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "confidence_threshold", orc_jd(g->confidence_threshold));
    json_object_object_add(o, "min_similar_projects", json_object_new_int(g->min_similar_projects));
    json_object_object_add(o, "min_duration_evidence", json_object_new_int(g->min_duration_evidence));
    json_object_object_add(o, "max_task_adjustment_percent", orc_jd(g->max_task_adjustment_percent));
    json_object_object_add(o, "task_adjustment_difference_threshold",
                           orc_jd(g->task_difference_threshold));
    json_object_object_add(o, "min_weeks", json_object_new_int(g->min_weeks));
    json_object_object_add(o, "max_weeks", json_object_new_int(g->max_weeks));
    json_object_object_add(o, "enable_task_count_adjustment", json_object_new_boolean(g->enable_tasks));
    json_object_object_add(o, "enable_sprint_duration_adjustment", json_object_new_boolean(g->enable_weeks));
    return o;
}

int orc_mode_get(orc_state_t *st, dsm_req_t *req, const char *pid, orc_mode_t *out)
{
    const dsm_api_t *api = st->api;
    const char *params[1] = {pid};
    dsm_rows_t *r;

    memset(out, 0, sizeof(*out));
    snprintf(out->mode, sizeof out->mode, "%s", st->default_mode);
    out->gate = st->gate;
    r = api->db_exec(req, NULL,
                     "SELECT mode, confidence_threshold, enable_task_count_adjustment, "
                     "enable_sprint_duration_adjustment, enable_resource_allocation_adjustment, "
                     "min_similar_projects FROM orchestrator_project_modes WHERE project_id = $1",
                     1, params);
    if (r == NULL)
        return -1;
    if (api->rows_count(r) == 1) {
        out->from_db = 1;
        snprintf(out->mode, sizeof out->mode, "%s", api->rows_value(r, 0, 0));
        out->gate.confidence_threshold = strtod(api->rows_value(r, 0, 1), NULL);
        out->gate.enable_tasks = api->rows_value(r, 0, 2)[0] == 't';
        out->gate.enable_weeks = api->rows_value(r, 0, 3)[0] == 't';
        out->resource_adj = api->rows_value(r, 0, 4)[0] == 't';
        out->gate.min_similar_projects = atoi(api->rows_value(r, 0, 5));
    }
    return 0;
}

/* O22 — body {mode (required), confidence_threshold 0.75, enable_task_count_adjustment true,
 * enable_sprint_duration_adjustment true, enable_resource_allocation_adjustment false,
 * min_similar_projects 3}. Unknown project 404; the row is written only after every check. */
int orc_intel_decision_mode(void *state, dsm_req_t *req)
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = api->req_param(req, "project_id"), *mode = NULL;
    double thr = 0.75;
    int tasks = 1, weeks = 1, res = 0;
    int64_t minsim = 3;
    struct json_object *body = api->req_body(req), *cfg;
    const char *params[7];
    dsm_rows_t *r;

    if (api->v_str(req, "body", "mode", DSM_V_REQUIRED, &mode) > 0 && orc_mode_index(mode) < 0)
        api->v_problem(req, "body", "mode", "literal_error",
                       "Input should be 'rule_based_only', 'intelligence_enhanced', 'hybrid' or "
                       "'learning_enhanced'",
                       orc_jget(body, "mode"));
    if (api->v_float(req, "body", "confidence_threshold", 0, &thr) > 0 && (thr < 0 || thr > 1))
        api->v_problem(req, "body", "confidence_threshold",
                       thr < 0 ? "greater_than_equal" : "less_than_equal",
                       thr < 0 ? "Input should be greater than or equal to 0" : "Input should be less than or equal to 1",
                       orc_jget(body, "confidence_threshold"));
    api->v_bool(req, "body", "enable_task_count_adjustment", 0, &tasks);
    api->v_bool(req, "body", "enable_sprint_duration_adjustment", 0, &weeks);
    api->v_bool(req, "body", "enable_resource_allocation_adjustment", 0, &res);
    if (api->v_int(req, "body", "min_similar_projects", 0, &minsim) > 0 && (minsim < 0 || minsim > 1000))
        api->v_problem(req, "body", "min_similar_projects",
                       minsim < 0 ? "greater_than_equal" : "less_than_equal",
                       minsim < 0 ? "Input should be greater than or equal to 0" : "Input should be less than or equal to 1000",
                       orc_jget(body, "min_similar_projects"));
    if (strlen(pid) > ORC_MAX_PROJECT)
        api->v_problem(req, "path", "project_id", "string_too_long",
                       "String should have at most 50 characters", NULL);
    if (api->v_failed(req))
        return DSM_OK;
    if (!orc_project_check(st, req, pid))
        return DSM_OK;
    params[0] = pid;
    params[1] = mode;
    params[2] = api->psprintf(req, "%.17g", thr);
    params[3] = tasks ? "true" : "false";
    params[4] = weeks ? "true" : "false";
    params[5] = res ? "true" : "false";
    params[6] = api->psprintf(req, "%lld", (long long)minsim);
    r = api->db_exec(req, NULL,
                     "INSERT INTO orchestrator_project_modes (project_id, mode, confidence_threshold, "
                     "enable_task_count_adjustment, enable_sprint_duration_adjustment, "
                     "enable_resource_allocation_adjustment, min_similar_projects, updated_at) "
                     "VALUES ($1, $2, $3::float8, $4::boolean, $5::boolean, $6::boolean, $7::int, now()) "
                     "ON CONFLICT (project_id) DO UPDATE SET mode = EXCLUDED.mode, "
                     "confidence_threshold = EXCLUDED.confidence_threshold, "
                     "enable_task_count_adjustment = EXCLUDED.enable_task_count_adjustment, "
                     "enable_sprint_duration_adjustment = EXCLUDED.enable_sprint_duration_adjustment, "
                     "enable_resource_allocation_adjustment = EXCLUDED.enable_resource_allocation_adjustment, "
                     "min_similar_projects = EXCLUDED.min_similar_projects, updated_at = now()",
                     7, params);
    if (r == NULL)
        return orc_db_fail(st, req, 0);
    cfg = json_object_new_object();
    json_object_object_add(cfg, "mode", json_object_new_string(mode));
    json_object_object_add(cfg, "confidence_threshold", orc_jd(thr));
    json_object_object_add(cfg, "enable_task_count_adjustment", json_object_new_boolean(tasks));
    json_object_object_add(cfg, "enable_sprint_duration_adjustment", json_object_new_boolean(weeks));
    json_object_object_add(cfg, "enable_resource_allocation_adjustment", json_object_new_boolean(res));
    json_object_object_add(cfg, "min_similar_projects", json_object_new_int64(minsim));
    {
        struct json_object *o = json_object_new_object();

        json_object_object_add(o, "message",
                               json_object_new_string(api->psprintf(req, "Decision mode configured for project %s", pid)));
        json_object_object_add(o, "applied_config", cfg);
        return api->reply_json(req, 200, o);
    }
}
