/*
 * bl_project.c — the Backlog service's client of the Project service (api.md §3 "Outbound
 * HTTP"): api->http_request through the process-wide circuit breaker "project", 2 s per
 * attempt, one retry for these GETs. A Project service that cannot answer (no connection,
 * timeout, 5xx, breaker open) is a 503 with a detail saying so — never a hang, never a 500.
 */
#include <stdlib.h>
#include <string.h>

#include "bl_internal.h"

/* GET url through the breaker: the HTTP status or -1 (*err says why). */
static int project_get(const bl_state_t *st, dsm_req_t *req, const char *url,
                       struct json_object **body, const char **err)
{
    dsm_http_opts_t o;

    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.method = "GET";
    o.url = url;
    o.timeout_ms = BL_PROJECT_TIMEOUT_MS;
    o.retries = 1;
    o.breaker = BL_PROJECT_BREAKER;
    return st->api->http_request(req, &o, body, err);
}

/* 503 for a Project service that did not give a usable answer. */
static int unavailable(const bl_state_t *st, dsm_req_t *req, int status, const char *err)
{
    const dsm_api_t *api = st->api;
    struct json_object *f = json_object_new_object();

    json_object_object_add(f, "http_status", json_object_new_int(status));
    json_object_object_add(f, "error", err != NULL ? json_object_new_string(err) : NULL);
    api->log(req, "warn", "project_service_unavailable", "Project service call failed", f);
    if (status < 0 && err != NULL && strcmp(err, "Circuit breaker is OPEN") == 0)
        return api->reply_error(req, 503, "Project Service is temporarily unavailable. "
                                          "Circuit breaker is open.");
    if (status < 0)
        return api->reply_error(req, 503, "Project Service is temporarily unavailable (%s).",
                                err != NULL ? err : "no answer");
    if (status >= 500)
        return api->reply_error(req, 503, "Project Service is temporarily unavailable "
                                          "(HTTP %d).", status);
    return api->reply_error(req, 503, "Project Service gave an unexpected answer (HTTP %d).",
                            status);
}

int bl_project_require(const bl_state_t *st, dsm_req_t *req, const char *project_id)
{
    const dsm_api_t *api = st->api;
    const char *enc = api->url_escape(req, project_id);
    const char *url, *err = NULL;
    struct json_object *body = NULL;
    int status;

    if (enc == NULL)
        return api->reply_error(req, 500, "Out of memory"), -1;
    url = api->psprintf(req, "%s/projects/%s", st->project_url, enc);
    if (url == NULL)
        return api->reply_error(req, 500, "Out of memory"), -1;
    status = project_get(st, req, url, &body, &err);
    json_object_put(body);
    if (status == 200)
        return 0;
    if (status == 404)
        return api->reply_error(req, 404, "Project %s not found.", project_id), -1;
    unavailable(st, req, status, err);
    return -1;
}

struct json_object *bl_project_list(const bl_state_t *st, dsm_req_t *req)
{
    const dsm_api_t *api = st->api;
    const char *url = api->psprintf(req, "%s/projects", st->project_url), *err = NULL;
    struct json_object *body = NULL;
    int status;

    if (url == NULL)
        return api->reply_error(req, 500, "Out of memory"), NULL;
    status = project_get(st, req, url, &body, &err);
    if (status == 200 && json_object_is_type(body, json_type_array))
        return body;
    json_object_put(body);
    unavailable(st, req, status, err); /* also a 200 that is not a JSON array */
    return NULL;
}

