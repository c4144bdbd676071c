/* stg_util.c — base URL and one memory-API call for the strategy source. */
#include <json-c/json.h>

#include "stg_internal.h"

const char *stg_base(const stg_state_t *st, const json_object *params)
{
    const char *u;

    if (st->url != NULL)
        return st->url;
    u = stg_param_url(params, "memory");
    return u != NULL && *u != '\0' ? u : STG_DEFAULT_URL;
}

int stg_call(const stg_state_t *st, dsm_req_t *req, const char *method, const char *url,
             const json_object *body, long timeout_ms, json_object **out, const char **err)
{
    dsm_http_opts_t o = {.size = sizeof(o),
                         .method = method,
                         .url = url,
                         .body = body,
                         .timeout_ms = timeout_ms > 0 ? timeout_ms : 1,
                         .retries = 0,
                         .breaker = STG_BREAKER};

    *out = NULL;
    *err = NULL;
    return st->api->http_request(req, &o, out, err);
}
