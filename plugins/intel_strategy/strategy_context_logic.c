/* strategy_context_logic.c — the context strategies are matched against (from the perception)
 * and the reading of dc->params for the "strategy" source (see strategy_logic.h). */
#include "strategy_logic.h"

#include <json-c/json.h>
#include <string.h>

static int ctx_is_num(const json_object *v)
{
    return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

static json_object *ctx_member(const json_object *o, const char *key)
{
    json_object *v = NULL;

    if (o == NULL || !json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

/* ---- context ---- */

static void ctx_put_num(json_object *ctx, const json_object *from, const char *key, const char *as)
{
    json_object *v = ctx_member(from, key);

    if (v != NULL && ctx_is_num(v))
        json_object_object_add(ctx, as, json_object_get(v));
}

json_object *stg_context(const json_object *p, const char *project_id)
{
    json_object *ctx = json_object_new_object(), *v, *chr = ctx_member(p, "chronicle");
    json_object *opts = ctx_member(p, "options");

    if (project_id == NULL) {
        v = ctx_member(p, "project_id");
        project_id = v != NULL && json_object_is_type(v, json_type_string)
                         ? json_object_get_string(v)
                         : NULL;
    }
    if (project_id != NULL)
        json_object_object_add(ctx, "project_id", json_object_new_string(project_id));
    ctx_put_num(ctx, ctx_member(p, "team"), "size", "team_size");
    ctx_put_num(ctx, ctx_member(p, "backlog"), "total_tasks", "backlog_tasks");
    ctx_put_num(ctx, ctx_member(p, "backlog"), "unassigned", "unassigned_tasks");
    v = ctx_member(ctx_member(p, "availability"), "conflicts");
    if (v != NULL && json_object_is_type(v, json_type_array))
        json_object_object_add(ctx, "availability_conflicts",
                               json_object_new_int64((int64_t)json_object_array_length(v)));
    v = ctx_member(opts, "sprint_duration_weeks");
    json_object_object_add(ctx, "sprint_duration_weeks",
                           v != NULL && ctx_is_num(v) ? json_object_get(v)
                                                      : json_object_new_int(2));
    v = ctx_member(chr, "similar_projects");
    if (v != NULL && json_object_is_type(v, json_type_array) && json_object_array_length(v) > 0) {
        size_t n = json_object_array_length(v);
        double sum = 0;

        for (size_t i = 0; i < n; i++) {
            json_object *sim = ctx_member(json_object_array_get_idx(v, i), "similarity_score");
            sum += sim != NULL && ctx_is_num(sim) ? json_object_get_double(sim) : 0.0;
        }
        json_object_object_add(ctx, "similar_projects_count", json_object_new_int64((int64_t)n));
        json_object_object_add(ctx, "avg_similarity_score",
                               json_object_new_double(stg_round(sum / (double)n, 4)));
    }
    v = ctx_member(ctx_member(chr, "velocity"), "velocity_trend_data");
    if (v != NULL && json_object_is_type(v, json_type_array) && json_object_array_length(v) > 0)
        ctx_put_num(ctx, json_object_array_get_idx(v, json_object_array_length(v) - 1),
                "completed_tasks", "current_velocity");
    return ctx;
}

/* ---- dc->params ---- */

const char *stg_param_url(const json_object *params, const char *name)
{
    json_object *v = ctx_member(ctx_member(params, "urls"), name);

    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                                 : NULL;
}
