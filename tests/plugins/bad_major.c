/* bad_major.c — test-only: an "echo" plugin built for ABI major 2; the host must refuse it. */
#include <stddef.h>

#include "dsm/plugin.h"

static int bad_analyze(void *state, dsm_req_t *req, const dsm_decision_t *dc, dsm_advice_t *out)
{
    return DSM_DECLINED;
}

DSM_EXPORT const dsm_plugin_t *dsm_plugin_entry(void);
DSM_EXPORT const dsm_plugin_t *dsm_plugin_entry(void)
{
    static const dsm_plugin_t desc = {.magic = DSM_PLUGIN_MAGIC,
                                      .abi_major = DSM_ABI_MAJOR + 1,
                                      .abi_minor = 0,
                                      .size = sizeof(dsm_plugin_t),
                                      .build_sig = DSM_BUILD_SIG,
                                      .name = "echo",
                                      .version = "9.0.0",
                                      .kind = DSM_KIND_INTEL,
                                      .analyze = bad_analyze};
    return &desc;
}
