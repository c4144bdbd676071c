/* chr_health.c — C1/C3 liveness and C2 readiness of the Chronicle service (the host's shared
 * health replies; C2 runs SELECT 1 through PgBouncer, 503 in the same shape otherwise). */
#include "chr_internal.h"

/* C1 GET /health, C3 GET /v1/health */
int chr_health_live(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    return st->api->reply_live(req);
}

/* C2 GET /health/ready */
int chr_health_ready(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    static const dsm_ready_check_t checks[] = {{.name = "database", .db = "main"}};
    return st->api->reply_ready(req, st->service_name, checks, 1);
}
