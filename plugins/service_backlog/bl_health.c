/*
 * bl_health.c — B1 liveness (the host's shared reply) and B2 readiness of the Backlog service.
 * B2 is built here rather than with api->reply_ready(): the spec's B2 body has its own shape
 * ("redis" beside "database", the Project service under "external_apis"), which reply_ready's
 * "dependencies" object does not give.
 */
#include "bl_internal.h"

/* B1 GET /health */
int bl_health_live(void *state, dsm_req_t *req)
{
    const bl_state_t *st = state;

    return st->api->reply_live(req); /* 200 {"status":"ok"} */
}

static struct json_object *verdict(int ok)
{
    return json_object_new_string(ok ? "ok" : "error");
}

/* B2 GET /health/ready — the database answers SELECT 1, Redis answers PING, the Project
 * service's readiness answers 200; 503 with the same shape when any of them fails. */
int bl_health_ready(void *state, dsm_req_t *req)
{
    const bl_state_t *st = state;
    const dsm_api_t *api = st->api;
    int db = api->db_exec(req, NULL, "SELECT 1", 0, NULL) != NULL;
    int redis = api->redis_ping(req) == DSM_OK;
    int project = bl_project_ready(st, req);
    int ok = db && redis && project;
    struct json_object *o, *ext;

    if (!db)
        api->log(req, "error", "readiness", api->db_errmsg(req), NULL);
    if (!redis)
        api->log(req, "error", "readiness", "redis PING failed", NULL);
    o = json_object_new_object();
    json_object_object_add(o, "service", json_object_new_string(st->service_name));
    json_object_object_add(o, "status", json_object_new_string(ok ? "ready" : "not_ready"));
    json_object_object_add(o, "database", verdict(db));
    json_object_object_add(o, "redis", verdict(redis));
    ext = json_object_new_object();
    json_object_object_add(ext, "project_service", verdict(project));
    json_object_object_add(o, "external_apis", ext);
    json_object_object_add(o, "timestamp", bl_jstr(api->utcnow_iso(req)));
    return api->reply_json(req, ok ? 200 : 503, o);
}
