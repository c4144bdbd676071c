/*
 * dsm_dispatch.c — one request through the pinned generation: built-in endpoints, router,
 * body parsing, the plugin's handler; then rendering and the request log line.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "dsm_core.h"

static int split_path(dsm_req_t *r, char **segs, size_t cap, size_t *n, bool *trailing)
{
    const char *raw = r->uri;
    size_t plen = strcspn(raw, "?");
    char *p = dsm_arena_strndup(r->arena, raw, plen);
    *n = 0;
    *trailing = plen > 1 && p[plen - 1] == '/';
    if (*trailing)
        p[plen - 1] = '\0';
    if (!p[1])
        return 0; /* "/" */
    char *s = p + 1;
    for (;;) {
        char *slash = strchr(s, '/');
        if (slash)
            *slash = '\0';
        if (*n == cap)
            return -1;
        if (dsm_percent_decode(s, false) || !dsm_utf8_valid(s, strlen(s)))
            return -1;
        segs[(*n)++] = s;
        if (!slash)
            break;
        s = slash + 1;
    }
    return 0;
}

static void redirect_307(dsm_req_t *r)
{
    size_t plen = strcspn(r->uri, "?");
    const char *q = r->uri + plen;
    r->location = dsm_arena_printf(r->arena, "%.*s%s", (int)(plen - 1), r->uri, q);
    dsm_reply_text(r, 307, "application/json", "", 0);
}

void dsm_dispatch(dsm_req_t *r)
{
    char *segs[16];
    size_t nsegs;
    bool trailing;
    if (dsm_admin_dispatch(r))
        return;
    if (split_path(r, segs, 16, &nsegs, &trailing)) {
        dsm_reply_error(r, 404, "Not Found");
        return;
    }
    dsm_router_match(r->gen->router, r->arena, r->method, segs, nsegs, trailing, &r->match);
    switch (r->match.result) {
    case DSM_MATCH_404:
        if (r->method == DSM_GET && !strcmp(r->path, "/metrics")) {
            dsm_metrics_reply(r); /* no plugin serves /metrics: the host's own counters */
            return;
        }
        dsm_reply_error(r, 404, "Not Found");
        return;
    case DSM_MATCH_405:
        dsm_reply_error(r, 405, "Method Not Allowed");
        return;
    case DSM_MATCH_307:
        redirect_307(r);
        return;
    case DSM_MATCH_OK:
        break;
    }
    const dsm_route_t *rt = r->match.ref->route;
    dsm_slot_t *slot = r->gen->slots[r->match.ref->slot];
    if (dsm_req_parse_body(r, rt->flags))
        return;
    int rc = rt->handler(slot->state, r);
    dsm_db_request_end(r);
    if (!r->replied) {
        dsm_log_line("error", "no_reply", r->id, rc == DSM_OK ? "handler returned without a reply"
                                                              : "handler failed without a reply",
                     NULL);
        dsm_reply_error(r, 500, "Internal Server Error");
    }
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 502: return "Bad Gateway";
    case 504: return "Gateway Timeout";
    case 201: return "Created";
    case 204: return "No Content";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

const char *dsm_render(dsm_req_t *r, size_t *len)
{
    char head[1024];
    int hn = snprintf(head, sizeof(head),
                      "Status: %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                      "X-Request-Id: %s\r\n%s%s%s\r\n",
                      r->status, reason(r->status), r->ctype ? r->ctype : "application/json",
                      r->out_len, r->id, r->location ? "Location: " : "",
                      r->location ? r->location : "", r->location ? "\r\n" : "");
    if (hn < 0 || (size_t)hn >= sizeof(head)) {
        r->location = NULL;
        hn = snprintf(head, sizeof(head), "Status: %d\r\nContent-Length: %zu\r\n\r\n", r->status,
                      r->out_len);
    }
    char *buf = dsm_arena_alloc(r->arena, (size_t)hn + r->out_len + 1);
    if (!buf)
        return NULL;
    memcpy(buf, head, (size_t)hn);
    if (r->out_len)
        memcpy(buf + hn, r->out, r->out_len);
    *len = (size_t)hn + r->out_len;
    return buf;
}

void dsm_log_request(dsm_req_t *r)
{
    json_object *f = json_object_new_object();
    json_object_object_add(f, "method", json_object_new_string(r->method_str));
    json_object_object_add(f, "path", json_object_new_string(r->path ? r->path : r->uri));
    json_object_object_add(f, "status", json_object_new_int(r->status));
    json_object_object_add(f, "us", json_object_new_int64((dsm_now_ns() - r->start_ns) / 1000));
    if (r->gen)
        json_object_object_add(f, "gen", json_object_new_int64((int64_t)r->gen->number));
    dsm_log_line(r->status >= 500 ? "error" : "info", "request", r->id, NULL, f);
}
