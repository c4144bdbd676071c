/*
 * svc_probe.c — test-only service plugin with a stream consumer and no routes: it consumes
 * stream "dsm:probe" (group "probe"). A message with outcome=fail makes the handler fail
 * (the host logs and acknowledges it); anything else succeeds. The host's counters in
 * GET /admin/status ("consumers") show what happened. It also ticks every second (the host's
 * "ticks" counters prove the periodic calls).
 */
#include <string.h>

#include "dsm/plugin.h"

static int probe_consume(void *state, dsm_req_t *req, const dsm_msg_t *msg)
{
    for (size_t i = 0; i < msg->nfields; i++) {
        if (!strcmp(msg->keys[i], "outcome") && !strcmp(msg->values[i], "fail"))
            return DSM_ERR;
    }
    return DSM_OK;
}

static int probe_tick(void *state, dsm_req_t *req)
{
    return DSM_OK;
}

static const dsm_consumer_t probe_consumers[] = {
    {"dsm:probe", "probe", probe_consume},
    {NULL, NULL, NULL},
};

DSM_PLUGIN(.name = "probe", .version = "1.0.0", .kind = DSM_KIND_SERVICE,
           .consumers = probe_consumers, .tick = probe_tick, .tick_ms = 1000);
