/*
 * plugin.c — the Project service plugin: descriptor, init and fini.
 * The endpoints are listed in routes.c; the state below is created once and never changed.
 */
#include <stdlib.h>
#include <string.h>

#include "prj_internal.h"

#define PRJ_DEFAULT_SERVICE_NAME "project-service"

static int prj_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    const char *name = api->conf_get(conf, "service_name");
    prj_state_t *st = calloc(1, sizeof(*st));

    if (st == NULL)
        return DSM_ERR;
    st->api = api;
    st->service_name = strdup(name != NULL && name[0] != '\0' ? name : PRJ_DEFAULT_SERVICE_NAME);
    if (st->service_name == NULL) {
        free(st);
        return DSM_ERR;
    }
    *state = st;
    return DSM_OK;
}

static void prj_fini(void *state)
{
    prj_state_t *st = state;

    if (st == NULL)
        return;
    free(st->service_name);
    free(st);
}

DSM_PLUGIN(.name = "project", .version = "1.0.0", .kind = DSM_KIND_SERVICE, .init = prj_init,
           .fini = prj_fini, .routes = prj_routes)
