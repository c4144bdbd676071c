/* bl_health.c — B1 liveness and B2 readiness of the Backlog service, through the host's shared
 * health replies. B2: the database answers SELECT 1, Redis answers PING and the Project
 * service's readiness answers 200 (all three decide; the original only reported Project). */
#include "bl_internal.h"

/* B1 GET /health */
int bl_health_live(void *state, dsm_req_t *req)
{
    const bl_state_t *st = state;
    return st->api->reply_live(req); /* 200 {"status":"ok"} */
}

/* B2 GET /health/ready — {"service","status","database","redis","external_apis":
 * {"project_service"},"timestamp"}, 503 with the same shape when a check fails. */
int bl_health_ready(void *state, dsm_req_t *req)
{
    const bl_state_t *st = state;
    const dsm_api_t *api = st->api;
    const dsm_ready_check_t checks[] = {
        {.name = "database", .db = "main"},
        {.name = "redis", .redis = 1},
        {.name = "project_service",
         .url = api->psprintf(req, "%s/project/health/ready", st->project_url)},
    };
    return api->reply_ready(req, st->service_name, checks, 3);
}
