/* spr_health.c — S1 liveness and S2 readiness of the Sprint service, through the host's shared
 * health replies. S2: sprint_db answers SELECT 1, Redis answers PING, and the Project, Backlog
 * and Chronicle services answer 200 on GET <url>/<svc>/health/ready (in parallel, no retry,
 * no circuit breaker); ready (200) only when all five are ok, 503 otherwise, same shape. */
#include "spr_internal.h"

/* S1 GET /health */
int spr_health_live(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    return st->api->reply_live(req);
}

/* S2 GET /health/ready */
int spr_health_ready(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const dsm_ready_check_t checks[] = {
        {.name = "database", .db = "main"},
        {.name = "redis", .redis = 1},
        {.name = "project_service",
         .url = api->psprintf(req, "%s/project/health/ready", st->project_url)},
        {.name = "backlog_service",
         .url = api->psprintf(req, "%s/backlog/health/ready", st->backlog_url)},
        {.name = "chronicle_service",
         .url = api->psprintf(req, "%s/chronicle/health/ready", st->chronicle_url)},
    };
    return api->reply_ready(req, st->service_name, checks, 5);
}
