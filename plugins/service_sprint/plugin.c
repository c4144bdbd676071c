/*
 * plugin.c — the Sprint service plugin: descriptor, init and fini.
 * The endpoints are listed in routes.c; the state below is created once and never changed.
 */
#include <stdlib.h>
#include <string.h>

#include "spr_internal.h"

#define SPR_DEFAULT_SERVICE_NAME "sprint-service"
#define SPR_DEFAULT_URL "http://127.0.0.1:8080"

/* A copy of conf key (or def), without trailing slashes for URLs. */
static char *conf_copy(const dsm_api_t *api, const dsm_conf_t *conf, const char *key,
                       const char *def, int is_url)
{
    const char *v = api->conf_get(conf, key);
    char *out = strdup(v != NULL && v[0] != '\0' ? v : def);
    size_t n;

    if (out == NULL || !is_url)
        return out;
    n = strlen(out);
    while (n > 0 && out[n - 1] == '/')
        out[--n] = '\0';
    return out;
}

static void spr_fini(void *state)
{
    spr_state_t *st = state;

    if (st == NULL)
        return;
    free(st->service_name);
    free(st->project_url);
    free(st->backlog_url);
    free(st->chronicle_url);
    free(st);
}

static int spr_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    spr_state_t *st = calloc(1, sizeof(*st));

    if (st == NULL)
        return DSM_ERR;
    st->api = api;
    st->service_name = conf_copy(api, conf, "service_name", SPR_DEFAULT_SERVICE_NAME, 0);
    st->project_url = conf_copy(api, conf, "project_url", SPR_DEFAULT_URL, 1);
    st->backlog_url = conf_copy(api, conf, "backlog_url", SPR_DEFAULT_URL, 1);
    st->chronicle_url = conf_copy(api, conf, "chronicle_url", SPR_DEFAULT_URL, 1);
    if (st->service_name == NULL || st->project_url == NULL || st->backlog_url == NULL ||
        st->chronicle_url == NULL) {
        spr_fini(st);
        return DSM_ERR;
    }
    *state = st;
    return DSM_OK;
}

DSM_PLUGIN(.name = "sprint", .version = "1.0.0", .kind = DSM_KIND_SERVICE, .init = spr_init,
           .fini = spr_fini, .routes = spr_routes)
