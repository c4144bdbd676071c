/* spr_health.c — S1 liveness and S2 readiness of the Sprint service. */
#include "spr_internal.h"

/* S1 GET /health */
int spr_health_live(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "status", json_object_new_string("ok"));
    return st->api->reply_json(req, 200, o);
}

/* S2 GET /health/ready — sprint_db answers SELECT 1, Redis answers PING, and the Project,
 * Backlog and Chronicle services answer 200 on GET <url>/<svc>/health/ready (2 s each, no
 * retry, no circuit breaker). Ready (200) only when all five are ok; 503 otherwise, same shape. */
int spr_health_ready(void *state, dsm_req_t *req)
{
    static const char *const ext_keys[3] = {"project_service", "backlog_service",
                                            "chronicle_service"};
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    int db = api->db_exec(req, NULL, "SELECT 1", 0, NULL) != NULL;
    int redis = api->redis_ping(req) == DSM_OK;
    int ready = db && redis;
    struct json_object *o = json_object_new_object(), *ext = json_object_new_object();

    if (!db)
        api->log(req, "error", "readiness", api->db_errmsg(req), NULL);
    for (int s = SPR_PROJECT; s <= SPR_CHRONICLE; s++) {
        int ok = spr_dependency_ready(st, req, (spr_svc_e)s);

        ready = ready && ok;
        json_object_object_add(ext, ext_keys[s], json_object_new_string(ok ? "ok" : "error"));
    }
    json_object_object_add(o, "service", json_object_new_string(st->service_name));
    json_object_object_add(o, "status", json_object_new_string(ready ? "ready" : "not_ready"));
    json_object_object_add(o, "database", json_object_new_string(db ? "ok" : "error"));
    json_object_object_add(o, "redis", json_object_new_string(redis ? "ok" : "error"));
    json_object_object_add(o, "external_apis", ext);
    json_object_object_add(o, "timestamp", spr_jstr(api->utcnow_iso(req)));
    return api->reply_json(req, ready ? 200 : 503, o);
}
