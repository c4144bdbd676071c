/*
 * plugin.c — the Chronicle service plugin: descriptor, init and fini.
 * The endpoints and the stream consumers are listed in routes.c; the state below is created
 * once and never changed.
 */
#include <stdlib.h>
#include <string.h>

#include "chr_internal.h"

#define CHR_DEFAULT_SERVICE_NAME "chronicle-service"

static int chr_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    const char *name = api->conf_get(conf, "service_name");
    chr_state_t *st = calloc(1, sizeof(*st));

    if (st == NULL)
        return DSM_ERR;
    st->api = api;
    st->service_name = strdup(name != NULL && name[0] != '\0' ? name : CHR_DEFAULT_SERVICE_NAME);
    if (st->service_name == NULL) {
        free(st);
        return DSM_ERR;
    }
    *state = st;
    return DSM_OK;
}

static void chr_fini(void *state)
{
    chr_state_t *st = state;

    if (st == NULL)
        return;
    free(st->service_name);
    free(st);
}

DSM_PLUGIN(.name = "chronicle", .version = "1.0.0", .kind = DSM_KIND_SERVICE, .init = chr_init,
           .fini = chr_fini, .routes = chr_routes, .consumers = chr_consumers)
