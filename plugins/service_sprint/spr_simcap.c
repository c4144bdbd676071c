/*
 * spr_simcap.c — the simulated team capacity of a project (sql/sprint_db/002_sim_capacity.sql),
 * for simulations and benchmarks only (tests/bench/bench_decisions.sh); not in the original.
 *
 *   PUT    /sprints/simulation/capacity/{project_id}  {"points_per_member_day": 1..1000,
 *                                                      "variation_percent": 0..90 (default 0)}
 *          → 200 {"project_id","points_per_member_day","variation_percent","message"} (upsert)
 *   GET    /sprints/simulation/capacity/{project_id}  → 200 the same, or 404
 *   DELETE /sprints/simulation/capacity/{project_id}  → 200 {"message","project_id"}, or 404
 *
 * While a row exists, the daily scrum (S13, spr_scrum.c) spends a work budget of
 * points_per_member_day per member present instead of advancing every task by 5..30 points, so
 * a sprint completes a bounded number of tasks. Nothing else reads it: the orchestrator only
 * sees what the sprints completed.
 */
#include <string.h>

#include "spr_internal.h"

static struct json_object *row_json(const char *pid, int points, int variation, const char *msg)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "points_per_member_day", json_object_new_int(points));
    json_object_object_add(o, "variation_percent", json_object_new_int(variation));
    if (msg != NULL)
        json_object_object_add(o, "message", json_object_new_string(msg));
    return o;
}

/* An int body member within lo..hi; records the 422 entry otherwise. */
static void body_range(const dsm_api_t *api, dsm_req_t *req, const char *field, unsigned flags,
                       int64_t lo, int64_t hi, int64_t *v)
{
    struct json_object *in = NULL;

    if (api->v_int(req, "body", field, flags, v) != 1)
        return;
    json_object_object_get_ex(api->req_body(req), field, &in);
    if (*v < lo)
        api->v_problem(req, "body", field, "greater_than_equal",
                       api->psprintf(req, "Input should be greater than or equal to %lld",
                                     (long long)lo),
                       in);
    else if (*v > hi)
        api->v_problem(req, "body", field, "less_than_equal",
                       api->psprintf(req, "Input should be less than or equal to %lld",
                                     (long long)hi),
                       in);
}

/* PUT /sprints/simulation/capacity/{project_id} */
int spr_simcap_put(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = spr_param(st, req, "project_id");
    int64_t points = 0, variation = 0;
    const char *params[3];

    body_range(api, req, "points_per_member_day", DSM_V_REQUIRED, 1, SPR_SIM_MAX_POINTS, &points);
    body_range(api, req, "variation_percent", 0, 0, SPR_SIM_MAX_VARIATION, &variation);
    if (api->v_failed(req))
        return DSM_OK;
    if (strlen(pid) > SPR_MAX_PROJECT_ID)
        return api->reply_error(req, 422, "Project id %s is longer than %d characters.", pid,
                                SPR_MAX_PROJECT_ID);
    params[0] = pid;
    params[1] = api->psprintf(req, "%lld", (long long)points);
    params[2] = api->psprintf(req, "%lld", (long long)variation);
    if (api->db_exec(req, NULL,
                     "INSERT INTO sim_capacity (project_id, points_per_member_day, "
                     "variation_percent) VALUES ($1, $2::int, $3::int) ON CONFLICT (project_id) "
                     "DO UPDATE SET points_per_member_day = EXCLUDED.points_per_member_day, "
                     "variation_percent = EXCLUDED.variation_percent, updated_at = now()",
                     3, params) == NULL)
        return spr_db_fail(st, req, 0);
    return api->reply_json(req, 200,
                           row_json(pid, (int)points, (int)variation,
                                    "Simulated capacity set: the daily scrum of this project "
                                    "now spends a bounded work budget."));
}

/* GET /sprints/simulation/capacity/{project_id} */
int spr_simcap_get(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {spr_param(st, req, "project_id")};
    dsm_rows_t *r = api->db_exec(req, NULL,
                                 "SELECT points_per_member_day, variation_percent FROM "
                                 "sim_capacity WHERE project_id = $1",
                                 1, params);

    if (r == NULL)
        return spr_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "No simulated capacity for project %s.", params[0]);
    return api->reply_json(req, 200,
                           row_json(params[0], spr_atoi(api->rows_value(r, 0, 0)),
                                    spr_atoi(api->rows_value(r, 0, 1)), NULL));
}

/* DELETE /sprints/simulation/capacity/{project_id} */
int spr_simcap_delete(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *params[1] = {spr_param(st, req, "project_id")};
    struct json_object *o;
    dsm_rows_t *r = api->db_exec(req, NULL,
                                 "DELETE FROM sim_capacity WHERE project_id = $1 RETURNING 1", 1,
                                 params);

    if (r == NULL)
        return spr_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "No simulated capacity for project %s.", params[0]);
    o = json_object_new_object();
    json_object_object_add(o, "message",
                           json_object_new_string("Simulated capacity removed: the daily scrum "
                                                  "of this project advances every task again."));
    json_object_object_add(o, "project_id", json_object_new_string(params[0]));
    return api->reply_json(req, 200, o);
}
