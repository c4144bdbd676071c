/*
 * plugin.c — the Backlog service plugin: descriptor, init and fini.
 * The endpoints and the stream consumer are listed in routes.c; the state below is created
 * once and never changed.
 */
#include <stdlib.h>
#include <string.h>

#include "bl_internal.h"

static char *conf_dup(const dsm_api_t *api, const dsm_conf_t *conf, const char *key,
                      const char *fallback)
{
    const char *v = api->conf_get(conf, key);

    return strdup(v != NULL && v[0] != '\0' ? v : fallback);
}

static void bl_fini(void *state)
{
    bl_state_t *st = state;

    if (st == NULL)
        return;
    free(st->service_name);
    free(st->project_url);
    free(st);
}

static int bl_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    bl_state_t *st = calloc(1, sizeof(*st));
    char *url;

    if (st == NULL)
        return DSM_ERR;
    st->api = api;
    st->service_name = conf_dup(api, conf, "service_name", BL_DEFAULT_SERVICE_NAME);
    url = conf_dup(api, conf, "project_url", BL_DEFAULT_PROJECT_URL);
    if (url != NULL) {
        st->project_url = malloc(strlen(url) + 1);
        if (st->project_url != NULL)
            bl_base_url(st->project_url, strlen(url) + 1, url);
        free(url);
    }
    if (st->service_name == NULL || st->project_url == NULL) {
        bl_fini(st);
        return DSM_ERR;
    }
    *state = st;
    return DSM_OK;
}

DSM_PLUGIN(.name = "backlog", .version = "1.0.0", .kind = DSM_KIND_SERVICE, .init = bl_init,
           .fini = bl_fini, .routes = bl_routes, .consumers = bl_consumers)
