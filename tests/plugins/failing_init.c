/* failing_init.c — test-only: a well-formed "echo" plugin whose init() fails. */
#include "dsm/plugin.h"

static int fail_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    return DSM_ERR;
}

static int fail_analyze(void *state, dsm_req_t *req, const dsm_decision_t *dc, dsm_advice_t *out)
{
    return DSM_DECLINED;
}

DSM_PLUGIN(.name = "echo", .version = "3.0.0", .kind = DSM_KIND_INTEL, .init = fail_init,
           .analyze = fail_analyze);
