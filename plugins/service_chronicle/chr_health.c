/* chr_health.c — C1/C3 liveness and C2 readiness of the Chronicle service. */
#include "chr_internal.h"

/* C1 GET /health, C3 GET /v1/health */
int chr_health_live(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "status", json_object_new_string("ok"));
    return st->api->reply_json(req, 200, o);
}

/* C2 GET /health/ready — the database answers SELECT 1 (through PgBouncer); 503 otherwise. */
int chr_health_ready(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    int ok = api->db_exec(req, NULL, "SELECT 1", 0, NULL) != NULL;
    struct json_object *o;

    if (!ok)
        api->log(req, "error", "readiness", api->db_errmsg(req), NULL);
    o = json_object_new_object();
    json_object_object_add(o, "service", json_object_new_string(st->service_name));
    json_object_object_add(o, "status", json_object_new_string(ok ? "ready" : "not_ready"));
    json_object_object_add(o, "database", json_object_new_string(ok ? "ok" : "error"));
    json_object_object_add(o, "timestamp", chr_jstr(api->utcnow_iso(req)));
    return api->reply_json(req, ok ? 200 : 503, o);
}
