/* prj_health.c — P1 liveness and P2 readiness of the Project service (the host's shared
 * health replies: P2 checks its database with SELECT 1, 503 in the same shape otherwise). */
#include "prj_internal.h"

/* P1 GET /health */
int prj_health_live(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    return st->api->reply_live(req);
}

/* P2 GET /health/ready */
int prj_health_ready(void *state, dsm_req_t *req)
{
    const prj_state_t *st = state;
    static const dsm_ready_check_t checks[] = {{.name = "database", .db = "main"}};
    return st->api->reply_ready(req, st->service_name, checks, 1);
}
