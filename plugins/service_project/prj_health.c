/* prj_health.c — P1 liveness and P2 readiness of the Project service. */
#include "prj_internal.h"

/* P1 GET /health */
int prj_health_live(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "status", json_object_new_string("ok"));
    return st->api->reply_json(req, 200, o);
}

/* P2 GET /health/ready — the database answers SELECT 1; 503 with the same shape otherwise. */
int prj_health_ready(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    const dsm_api_t *api = st->api;
    int ok = api->db_exec(req, NULL, "SELECT 1", 0, NULL) != NULL;
    struct json_object *o;

    if (!ok)
        api->log(req, "error", "readiness", api->db_errmsg(req), NULL);
    o = json_object_new_object();
    json_object_object_add(o, "service", json_object_new_string(st->service_name));
    json_object_object_add(o, "status", json_object_new_string(ok ? "ready" : "not_ready"));
    json_object_object_add(o, "database", json_object_new_string(ok ? "ok" : "error"));
    json_object_object_add(o, "timestamp", prj_jstr(api->utcnow_iso(req)));
    return api->reply_json(req, ok ? 200 : 503, o);
}
