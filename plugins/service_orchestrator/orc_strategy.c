/*
 * orc_strategy.c — the strategy repository endpoints (api.md O7, O10–O14) over agent_memory's
 * agent_knowledge (knowledge_type 'strategy') and strategy_performance_log. Intended status
 * codes: a malformed id or parameter is 422, an unknown strategy 404 (the original wrapped
 * both into 500).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orc_internal.h"

#define ORC_STRATEGY_COLS                                                                          \
    "knowledge_id::text, description, confidence, success_rate, times_applied, created_at, "      \
    "last_applied, is_active"

/* The strategy id of the path, or NULL after a 422. */
static const char *path_uuid(orc_state_t *st, dsm_req_t *req)
{
    const char *id = st->api->req_param(req, "strategy_id");
    struct json_object *in = json_object_new_string(id);

    if (!orc_uuid_ok(id)) {
        st->api->v_problem(req, "path", "strategy_id", "uuid_parsing",
                           "Input should be a valid UUID", in);
        json_object_put(in);
        st->api->v_failed(req);
        return NULL;
    }
    json_object_put(in);
    return id;
}

static struct json_object *strategy_json(orc_state_t *st, dsm_req_t *req, dsm_rows_t *r, int i)
{
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "strategy_id", orc_jstr_or_null(api->rows_value(r, i, 0)));
    json_object_object_add(o, "description", orc_jstr_or_null(api->rows_value(r, i, 1)));
    json_object_object_add(o, "confidence", orc_jnum_text(api->rows_value(r, i, 2)));
    json_object_object_add(o, "success_rate", orc_jnum_text(api->rows_value(r, i, 3)));
    json_object_object_add(o, "times_applied", orc_jint_text(api->rows_value(r, i, 4)));
    json_object_object_add(o, "created_at", orc_jstr_or_null(api->ts_iso(req, api->rows_value(r, i, 5))));
    json_object_object_add(o, "last_applied", orc_jstr_or_null(api->ts_iso(req, api->rows_value(r, i, 6))));
    json_object_object_add(o, "is_active", orc_jbool_text(api->rows_value(r, i, 7)));
    return o;
}

/* O10 body (NULL on a database error). */
static struct json_object *analytics(orc_state_t *st, dsm_req_t *req)
{
    const dsm_api_t *api = st->api;
    struct json_object *o, *ps, *top;
    dsm_rows_t *a = api->db_exec(req, NULL,
                                 "SELECT count(*), count(*) FILTER (WHERE is_active), "
                                 "count(*) FILTER (WHERE NOT is_active) FROM agent_knowledge "
                                 "WHERE knowledge_type = 'strategy'",
                                 0, NULL);
    dsm_rows_t *p = a ? api->db_exec(req, NULL,
                                     "SELECT count(*), avg(outcome_quality), avg(strategy_confidence), "
                                     "count(*) FILTER (WHERE outcome_quality >= 0.7) FROM strategy_performance_log "
                                     "WHERE application_timestamp >= now() - interval '30 days'",
                                     0, NULL)
                      : NULL;
    dsm_rows_t *t = p ? api->db_exec(req, NULL,
                                     "SELECT knowledge_id::text, description, confidence, success_rate, times_applied "
                                     "FROM agent_knowledge WHERE knowledge_type = 'strategy' AND is_active "
                                     "AND times_applied >= 3 ORDER BY success_rate DESC NULLS LAST, confidence DESC, "
                                     "knowledge_id LIMIT 5",
                                     0, NULL)
                      : NULL;

    if (t == NULL)
        return NULL;
    o = json_object_new_object();
    json_object_object_add(o, "total_strategies", orc_jint_text(api->rows_value(a, 0, 0)));
    json_object_object_add(o, "active_strategies", orc_jint_text(api->rows_value(a, 0, 1)));
    json_object_object_add(o, "inactive_strategies", orc_jint_text(api->rows_value(a, 0, 2)));
    ps = json_object_new_object();
    json_object_object_add(ps, "total_applications", orc_jint_text(api->rows_value(p, 0, 0)));
    json_object_object_add(ps, "avg_outcome_quality", orc_jnum_text(api->rows_value(p, 0, 1)));
    json_object_object_add(ps, "avg_strategy_confidence", orc_jnum_text(api->rows_value(p, 0, 2)));
    json_object_object_add(ps, "high_quality_outcomes", orc_jint_text(api->rows_value(p, 0, 3)));
    json_object_object_add(o, "performance_stats", ps);
    top = json_object_new_array();
    for (int i = 0; i < api->rows_count(t); i++) {
        struct json_object *e = json_object_new_object();

        json_object_object_add(e, "knowledge_id", orc_jstr_or_null(api->rows_value(t, i, 0)));
        json_object_object_add(e, "description", orc_jstr_or_null(api->rows_value(t, i, 1)));
        json_object_object_add(e, "confidence", orc_jnum_text(api->rows_value(t, i, 2)));
        json_object_object_add(e, "success_rate", orc_jnum_text(api->rows_value(t, i, 3)));
        json_object_object_add(e, "times_applied", orc_jint_text(api->rows_value(t, i, 4)));
        json_object_array_add(top, e);
    }
    json_object_object_add(o, "top_performers", top);
    return o;
}

int orc_strategy_analytics(void *state, dsm_req_t *req) /* O10 */
{
    orc_state_t *st = state;
    struct json_object *o = analytics(st, req);

    return o ? st->api->reply_json(req, 200, o) : orc_db_fail(st, req, 0);
}

int orc_strategy_status(void *state, dsm_req_t *req) /* O7 */
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object(), *cfg, *es, *opp, *rs = analytics(st, req), *last = NULL;
    dsm_rows_t *e = rs ? api->db_exec(req, NULL,
                                      "SELECT count(*), count(*) FILTER (WHERE outcome_quality >= 0.85), "
                                      "avg(outcome_quality), count(*) FILTER (WHERE outcome_quality >= 0.85 "
                                      "AND \"timestamp\" >= now() - interval '7 days') FROM agent_episodes",
                                      0, NULL)
                       : NULL;
    dsm_rows_t *u = e ? api->db_exec(req, NULL,
                                     "SELECT knowledge_id::text, description, times_applied, confidence, "
                                     "success_rate, (extract(epoch FROM now() - created_at) / 86400)::int "
                                     "FROM agent_knowledge WHERE knowledge_type = 'strategy' AND is_active "
                                     "ORDER BY confidence DESC, knowledge_id LIMIT 100",
                                     0, NULL)
                      : NULL;
    dsm_rows_t *l = u ? api->db_exec(req, NULL,
                                     "SELECT run_id::text, scope, started_at, finished_at, status FROM "
                                     "orchestrator_evolution_runs ORDER BY started_at DESC LIMIT 1",
                                     0, NULL)
                      : NULL;

    json_object_object_add(o, "timestamp", json_object_new_string(api->utcnow_iso(req)));
    if (l == NULL) {
        json_object_object_add(o, "system_status", json_object_new_string("error"));
        json_object_object_add(o, "error", json_object_new_string(api->db_errmsg(req) ? api->db_errmsg(req) : "database error"));
        json_object_put(rs);
        return api->reply_json(req, 200, o);
    }
    json_object_object_add(o, "system_status", json_object_new_string("operational"));
    json_object_object_add(o, "feature_flag_enabled", json_object_new_boolean(1));
    cfg = json_object_new_object();
    json_object_object_add(cfg, "min_episodes_for_evolution", json_object_new_int(10));
    json_object_object_add(cfg, "pattern_extraction_days", json_object_new_int(30));
    json_object_object_add(cfg, "max_strategies_per_evolution", json_object_new_int(20));
    json_object_object_add(o, "configuration", cfg);
    json_object_object_add(o, "repository_stats", rs);
    es = json_object_new_object();
    json_object_object_add(es, "total_episodes", orc_jint_text(api->rows_value(e, 0, 0)));
    json_object_object_add(es, "successful_episodes", orc_jint_text(api->rows_value(e, 0, 1)));
    json_object_object_add(es, "avg_quality", orc_jnum_text(api->rows_value(e, 0, 2)));
    json_object_object_add(es, "recent_successful", orc_jint_text(api->rows_value(e, 0, 3)));
    json_object_object_add(o, "pattern_extraction_stats", es);
    opp = json_object_new_object();
    {
        struct json_object *unused = json_object_new_array(), *hp = json_object_new_array();

        for (int i = 0; i < api->rows_count(u); i++) {
            struct json_object *x = json_object_new_object();
            double sr = api->rows_value(u, i, 4) ? strtod(api->rows_value(u, i, 4), NULL) : -1;
            long ta = strtol(api->rows_value(u, i, 2), NULL, 10);

            json_object_object_add(x, "strategy_id", orc_jstr_or_null(api->rows_value(u, i, 0)));
            json_object_object_add(x, "description", orc_jstr_or_null(api->rows_value(u, i, 1)));
            json_object_object_add(x, "age_days", orc_jint_text(api->rows_value(u, i, 5)));
            if (ta == 0)
                json_object_array_add(unused, x);
            else if (ta >= 3 && strtod(api->rows_value(u, i, 3), NULL) < 0.7 && sr >= 0.8)
                json_object_array_add(hp, x);
            else
                json_object_put(x);
        }
        json_object_object_add(opp, "unused_strategies", unused);
        json_object_object_add(opp, "high_potential_strategies", hp);
    }
    json_object_object_add(o, "optimization_opportunities", opp);
    if (api->rows_count(l) == 1) {
        last = json_object_new_object();
        json_object_object_add(last, "run_id", orc_jstr_or_null(api->rows_value(l, 0, 0)));
        json_object_object_add(last, "scope", orc_jstr_or_null(api->rows_value(l, 0, 1)));
        json_object_object_add(last, "started_at", orc_jstr_or_null(api->ts_iso(req, api->rows_value(l, 0, 2))));
        json_object_object_add(last, "finished_at", orc_jstr_or_null(api->ts_iso(req, api->rows_value(l, 0, 3))));
        json_object_object_add(last, "status", orc_jstr_or_null(api->rows_value(l, 0, 4)));
    }
    json_object_object_add(o, "last_evolution", last);
    return api->reply_json(req, 200, o);
}

int orc_strategy_list(void *state, dsm_req_t *req) /* O11 */
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    int64_t limit = 50;
    const char *p[1];
    struct json_object *o, *arr;
    dsm_rows_t *r;

    if (api->v_int(req, "query", "limit", 0, &limit) > 0 && (limit < 1 || limit > 1000))
        api->v_problem(req, "query", "limit", limit < 1 ? "greater_than_equal" : "less_than_equal",
                       limit < 1 ? "Input should be greater than or equal to 1"
                                 : "Input should be less than or equal to 1000",
                       NULL);
    if (api->v_failed(req))
        return DSM_OK;
    p[0] = api->psprintf(req, "%lld", (long long)limit);
    r = api->db_exec(req, NULL,
                     "SELECT " ORC_STRATEGY_COLS " FROM agent_knowledge WHERE knowledge_type = 'strategy' "
                     "AND is_active ORDER BY confidence DESC, success_rate DESC NULLS LAST, knowledge_id "
                     "LIMIT $1::int",
                     1, p);
    if (r == NULL)
        return orc_db_fail(st, req, 0);
    arr = json_object_new_array();
    for (int i = 0; i < api->rows_count(r); i++)
        json_object_array_add(arr, strategy_json(st, req, r, i));
    o = json_object_new_object();
    json_object_object_add(o, "strategies", arr);
    json_object_object_add(o, "total_count", json_object_new_int(api->rows_count(r)));
    json_object_object_add(o, "timestamp", json_object_new_string(api->utcnow_iso(req)));
    return api->reply_json(req, 200, o);
}

int orc_strategy_performance(void *state, dsm_req_t *req) /* O12 */
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *id = path_uuid(st, req), *p[2];
    int64_t days = 30;
    struct json_object *o, *arr;
    dsm_rows_t *r, *k;

    if (id == NULL)
        return DSM_OK;
    if (api->v_int(req, "query", "days", 0, &days) > 0 && (days < 1 || days > 3650))
        api->v_problem(req, "query", "days", days < 1 ? "greater_than_equal" : "less_than_equal",
                       days < 1 ? "Input should be greater than or equal to 1"
                                : "Input should be less than or equal to 3650",
                       NULL);
    if (api->v_failed(req))
        return DSM_OK;
    p[0] = id;
    p[1] = api->psprintf(req, "%lld", (long long)days);
    k = api->db_exec(req, NULL, "SELECT 1 FROM agent_knowledge WHERE knowledge_id = $1::uuid", 1, p);
    if (k == NULL)
        return orc_db_fail(st, req, 0);
    if (api->rows_count(k) == 0)
        return api->reply_error(req, 404, "Strategy %s not found", id);
    r = api->db_exec(req, NULL,
                     "SELECT log_id::text, strategy_id::text, episode_id::text, project_id, "
                     "application_timestamp, predicted_outcome::text, actual_outcome::text, outcome_quality, "
                     "strategy_confidence, context_similarity, performance_delta, created_at, updated_at, "
                     "count(*) OVER () FROM strategy_performance_log WHERE strategy_id = $1::uuid "
                     "AND application_timestamp >= now() - make_interval(days => $2::int) "
                     "ORDER BY application_timestamp DESC, log_id LIMIT 100",
                     2, p);
    if (r == NULL)
        return orc_db_fail(st, req, 0);
    arr = json_object_new_array();
    for (int i = 0; i < api->rows_count(r); i++) {
        struct json_object *e = json_object_new_object();

        json_object_object_add(e, "log_id", orc_jstr_or_null(api->rows_value(r, i, 0)));
        json_object_object_add(e, "strategy_id", orc_jstr_or_null(api->rows_value(r, i, 1)));
        json_object_object_add(e, "episode_id", orc_jstr_or_null(api->rows_value(r, i, 2)));
        json_object_object_add(e, "project_id", orc_jstr_or_null(api->rows_value(r, i, 3)));
        json_object_object_add(e, "application_timestamp", orc_jstr_or_null(api->ts_iso(req, api->rows_value(r, i, 4))));
        json_object_object_add(e, "predicted_outcome", orc_jjson_text(api->rows_value(r, i, 5)));
        json_object_object_add(e, "actual_outcome", orc_jjson_text(api->rows_value(r, i, 6)));
        json_object_object_add(e, "outcome_quality", orc_jnum_text(api->rows_value(r, i, 7)));
        json_object_object_add(e, "strategy_confidence", orc_jnum_text(api->rows_value(r, i, 8)));
        json_object_object_add(e, "context_similarity", orc_jnum_text(api->rows_value(r, i, 9)));
        json_object_object_add(e, "performance_delta", orc_jnum_text(api->rows_value(r, i, 10)));
        json_object_object_add(e, "created_at", orc_jstr_or_null(api->ts_iso(req, api->rows_value(r, i, 11))));
        json_object_object_add(e, "updated_at", orc_jstr_or_null(api->ts_iso(req, api->rows_value(r, i, 12))));
        json_object_array_add(arr, e);
    }
    o = json_object_new_object();
    json_object_object_add(o, "strategy_id", json_object_new_string(id));
    json_object_object_add(o, "performance_history", arr);
    json_object_object_add(o, "days_analyzed", json_object_new_int64(days));
    json_object_object_add(o, "total_applications",
                           api->rows_count(r) > 0 ? orc_jint_text(api->rows_value(r, 0, 13)) : json_object_new_int(0));
    json_object_object_add(o, "timestamp", json_object_new_string(api->utcnow_iso(req)));
    return api->reply_json(req, 200, o);
}

int orc_strategy_deactivate(void *state, dsm_req_t *req) /* O13 */
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *id = path_uuid(st, req), *reason = api->req_query(req, "reason");
    const char *p[1];
    struct json_object *o;
    dsm_rows_t *r;

    if (id == NULL)
        return DSM_OK;
    if (reason == NULL)
        reason = "manual_deactivation";
    p[0] = id;
    r = api->db_exec(req, NULL,
                     "UPDATE agent_knowledge SET is_active = false, last_validated = now() "
                     "WHERE knowledge_id = $1::uuid AND knowledge_type = 'strategy'",
                     1, p);
    if (r == NULL)
        return orc_db_fail(st, req, 0);
    if (api->rows_affected(r) == 0)
        return api->reply_error(req, 404, "Strategy %s not found", id);
    o = json_object_new_object();
    json_object_object_add(o, "message",
                           json_object_new_string(api->psprintf(req, "Strategy %s deactivated successfully", id)));
    json_object_object_add(o, "strategy_id", json_object_new_string(id));
    json_object_object_add(o, "reason", json_object_new_string(reason));
    json_object_object_add(o, "timestamp", json_object_new_string(api->utcnow_iso(req)));
    return api->reply_json(req, 200, o);
}

int orc_strategy_health(void *state, dsm_req_t *req) /* O14 */
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object(), *c = json_object_new_object();
    struct json_object *ms = json_object_new_object(), *ks = json_object_new_object(), *ff = json_object_new_object();
    struct json_object *body = NULL;
    int mem = orc_call(st, req, ORC_MEMORY, "GET", "/v1/memory/health", NULL, 1000, &body, NULL) == 200;
    int db = api->db_exec(req, NULL, "SELECT count(*) FROM agent_knowledge", 0, NULL) != NULL;

    json_object_put(body);
    json_object_object_add(o, "overall_status", json_object_new_string(mem && db ? "healthy" : "degraded"));
    json_object_object_add(o, "timestamp", json_object_new_string(api->utcnow_iso(req)));
    json_object_object_add(ms, "status", json_object_new_string(mem ? "ok" : "error"));
    json_object_object_add(c, "memory_store", ms);
    json_object_object_add(ks, "status", json_object_new_string(db ? "ok" : "error"));
    json_object_object_add(c, "knowledge_store", ks);
    json_object_object_add(ff, "strategy_evolution_enabled", json_object_new_boolean(1));
    json_object_object_add(ff, "status", json_object_new_string("ok"));
    json_object_object_add(c, "feature_flags", ff);
    json_object_object_add(o, "components", c);
    return api->reply_json(req, 200, o);
}
