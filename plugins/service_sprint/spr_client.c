/*
 * spr_client.c — HTTP calls from the Sprint service to the Project, Backlog and Chronicle
 * services (conf project_url / backlog_url / chronicle_url; through nginx in the dev stack):
 * api->http_request with the service's circuit breaker, a 2 s timeout per attempt and one retry
 * for idempotent methods (GET, PUT). No call can hang a request: every attempt is bounded and
 * the host clamps it to the request's deadline.
 */
#include <string.h>

#include "spr_internal.h"

#define SPR_HTTP_TIMEOUT_MS 2000L

static const char *const svc_breaker[3] = {"project", "backlog", "chronicle"};
static const char *const svc_title[3] = {"Project Service", "Backlog Service", "Chronicle Service"};

static const char *svc_base(const spr_state_t *st, spr_svc_e svc)
{
    return svc == SPR_PROJECT ? st->project_url
           : svc == SPR_BACKLOG ? st->backlog_url
                                : st->chronicle_url;
}

const char *spr_svc_title(spr_svc_e svc)
{
    return svc_title[svc];
}

int spr_call(const spr_state_t *st, dsm_req_t *req, spr_svc_e svc, const char *method,
             const char *path, const struct json_object *body, spr_resp_t *out)
{
    const dsm_api_t *api = st->api;
    dsm_http_opts_t o;
    int idempotent = strcmp(method, "GET") == 0 || strcmp(method, "PUT") == 0;

    memset(&o, 0, sizeof o);
    memset(out, 0, sizeof(*out));
    o.size = sizeof o;
    o.method = method;
    o.url = api->psprintf(req, "%s%s", svc_base(st, svc), path);
    o.body = body;
    o.timeout_ms = SPR_HTTP_TIMEOUT_MS;
    o.retries = idempotent ? 1 : 0;
    o.breaker = svc_breaker[svc];
    if (o.url == NULL) {
        out->status = -1;
        out->err = "out of memory";
        return 0;
    }
    out->status = api->http_request(req, &o, &out->body, &out->err);
    if (out->status < 200 || out->status > 299) {
        struct json_object *f = json_object_new_object();

        json_object_object_add(f, "service", json_object_new_string(svc_breaker[svc]));
        json_object_object_add(f, "method", json_object_new_string(method));
        json_object_object_add(f, "url", json_object_new_string(o.url));
        json_object_object_add(f, "status", json_object_new_int(out->status));
        api->log(req, out->status >= 500 || out->status < 0 ? "warn" : "info", "downstream",
                 out->err != NULL ? out->err : "non-2xx answer", f);
        return 0;
    }
    return 1;
}

void spr_resp_free(spr_resp_t *r)
{
    if (r->body != NULL)
        json_object_put(r->body);
    r->body = NULL;
}

const char *spr_resp_reason(const spr_state_t *st, dsm_req_t *req, const spr_resp_t *r)
{
    if (r->status < 0)
        return r->err != NULL ? r->err : "no answer";
    if (r->status >= 200 && r->status <= 299)
        return "unexpected answer";
    return st->api->psprintf(req, "HTTP %d", r->status);
}

int spr_unavailable(const spr_state_t *st, dsm_req_t *req, int in_tx, spr_svc_e svc,
                    const spr_resp_t *r, const char *what)
{
    if (in_tx)
        st->api->db_rollback(req, NULL);
    st->api->reply_error(req, 503, "%s is currently unavailable (%s)%s", svc_title[svc],
                         spr_resp_reason(st, req, r), what != NULL ? what : ".");
    return DSM_OK;
}

const char *spr_seg(const spr_state_t *st, dsm_req_t *req, const char *s)
{
    const char *out = st->api->url_escape(req, s);

    return out != NULL ? out : "";
}

