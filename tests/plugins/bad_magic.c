/* bad_magic.c — test-only: exports dsm_plugin_entry but the descriptor is not a DSM one. */
#include "dsm/plugin.h"

DSM_EXPORT const dsm_plugin_t *dsm_plugin_entry(void);
DSM_EXPORT const dsm_plugin_t *dsm_plugin_entry(void)
{
    static const dsm_plugin_t desc = {.magic = 0x12345678u, .name = "echo", .version = "0"};
    return &desc;
}
