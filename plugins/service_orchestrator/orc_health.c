/*
 * orc_health.c — O1 GET /health and O2 GET /health/ready. Ready = agent_memory answers and
 * Redis answers (the Kubernetes client of the original does not exist here). The four services,
 * the memory API and the loaded intelligence sources are reported, never blocking readiness.
 */
#include <string.h>

#include "orc_internal.h"

int orc_health_live(void *state, dsm_req_t *req)
{
    orc_state_t *st = state;
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "status", json_object_new_string("ok"));
    return st->api->reply_json(req, 200, o);
}

int orc_health_ready(void *state, dsm_req_t *req)
{
    static const char *const names[5] = {"project_service", "backlog_service", "sprint_service",
                                          "chronicle_service", "agent_memory_system"};
    static const char *const paths[5] = {"/project/health", "/backlog/health", "/sprint/health",
                                          "/chronicle/health", "/v1/memory/health"};
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object(), *deps = json_object_new_object();
    struct json_object *ext = json_object_new_object(), *ic = json_object_new_object();
    struct json_object *msgs = json_object_new_array();
    dsm_http_opts_t opts[5];
    dsm_http_result_t res[5];
    int db_ok = api->db_exec(req, NULL, "SELECT 1", 0, NULL) != NULL;
    int redis_ok = api->redis_ping(req) == DSM_OK;

    memset(opts, 0, sizeof opts);
    for (int i = 0; i < 5; i++) {
        opts[i].size = sizeof opts[i];
        opts[i].method = "GET";
        opts[i].url = api->psprintf(req, "%s%s", st->url[i], paths[i]);
        opts[i].timeout_ms = 500;
    }
    api->http_parallel(req, 5, opts, res);
    json_object_object_add(o, "service", json_object_new_string("project-orchestrator"));
    json_object_object_add(o, "status", json_object_new_string(db_ok && redis_ok ? "ready" : "not_ready"));
    json_object_object_add(deps, "database", json_object_new_string(db_ok ? "ok" : "error"));
    json_object_object_add(deps, "redis", json_object_new_string(redis_ok ? "ok" : "error"));
    json_object_object_add(o, "dependencies", deps);
    for (int i = 0; i < 5; i++) {
        json_object_object_add(ext, names[i], json_object_new_string(res[i].status == 200 ? "ok" : "error"));
        json_object_put(res[i].body);
    }
    json_object_object_add(o, "external_apis", ext);
    json_object_object_add(ic, "sources", orc_loaded_sources(st, req));
    json_object_object_add(ic, "model_status", json_object_new_string("healthy"));
    json_object_object_add(o, "intelligence_components", ic);
    json_object_object_add(o, "timestamp", json_object_new_string(api->utcnow_iso(req)));
    if (db_ok && redis_ok) {
        json_object_put(msgs);
        return api->reply_json(req, 200, o);
    }
    if (!db_ok)
        json_object_array_add(msgs, json_object_new_string("Database (agent_memory) not reachable."));
    if (!redis_ok)
        json_object_array_add(msgs, json_object_new_string("Redis connection not ready."));
    json_object_object_add(o, "messages", msgs);
    return api->reply_detail(req, 503, o);
}
