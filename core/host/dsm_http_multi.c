/*
 * dsm_http_multi.c — api->http_parallel: several HTTP calls at once with libcurl's multi
 * interface (the orchestrator's perception asks four services together). Each call gets a
 * fresh easy handle; the thread's multi handle is kept from one round to the next, so the
 * connections it opened (to nginx, keep-alive) are reused instead of opened per call. Circuit
 * breakers are consulted and fed as in http_request.
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsm_core.h"

#define DSM_PAR_MAX 16
#define DSM_PAR_BODY_MAX (8u << 20)

typedef struct {
    dsm_req_t *r;
    char *buf;
    size_t len, cap;
    bool too_big;
    CURL *e;
    struct curl_slist *hdrs;
    int64_t t0;
} par_call_t;

static size_t par_write(char *p, size_t sz, size_t nm, void *ud)
{
    par_call_t *c = ud;
    size_t n = sz * nm;
    if (c->len + n + 1 > DSM_PAR_BODY_MAX) {
        c->too_big = true;
        return 0;
    }
    if (c->len + n + 1 > c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 8192;
        while (ncap < c->len + n + 1)
            ncap *= 2;
        char *nb = dsm_arena_alloc(c->r->arena, ncap);
        if (!nb)
            return 0;
        if (c->len)
            memcpy(nb, c->buf, c->len);
        c->buf = nb;
        c->cap = ncap;
    }
    memcpy(c->buf + c->len, p, n);
    c->len += n;
    c->buf[c->len] = '\0';
    return n;
}

static CURL *par_easy(dsm_req_t *r, const dsm_http_opts_t *o, par_call_t *c, long timeout_ms)
{
    CURL *e = curl_easy_init();
    char rid[96];
    if (!e)
        return NULL;
    c->r = r;
    c->e = e;
    c->len = 0;
    c->too_big = false;
    snprintf(rid, sizeof(rid), "X-Request-Id: %s", r->id);
    c->hdrs = curl_slist_append(NULL, rid);
    curl_easy_setopt(e, CURLOPT_URL, o->url);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, o->method ? o->method : "GET");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 1000 ? timeout_ms : 1000L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, par_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(e, CURLOPT_PRIVATE, c);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    if (o->body) {
        size_t len;
        const char *s = json_object_to_json_string_length((json_object *)o->body,
                                                          JSON_C_TO_STRING_PLAIN, &len);
        c->hdrs = curl_slist_append(c->hdrs, "Content-Type: application/json");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)len);
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, s);
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->hdrs);
    c->t0 = dsm_now_ns();
    return e;
}

/* One round: every call in todo[] at once. */
static void par_round(dsm_req_t *r, size_t n, const dsm_http_opts_t *o, dsm_http_result_t *res,
                      const size_t *todo, size_t ntodo)
{
    par_call_t calls[DSM_PAR_MAX];
    CURLM *m = r->thr->curlm;
    if (!m && (m = r->thr->curlm = curl_multi_init()) != NULL)
        curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)DSM_PAR_MAX);
    if (!m) {
        for (size_t k = 0; k < ntodo; k++)
            res[todo[k]].err = "curl unavailable";
        return;
    }
    memset(calls, 0, sizeof(calls));
    for (size_t k = 0; k < ntodo; k++) {
        size_t i = todo[k];
        long left = (long)((r->deadline_ns - dsm_now_ns()) / 1000000);
        long to = o[i].timeout_ms <= 0 || o[i].timeout_ms > left ? left : o[i].timeout_ms;
        json_object_put(res[i].body); /* a retry replaces the previous answer */
        res[i].body = NULL;
        if (to <= 0) {
            res[i].status = -1;
            res[i].err = "deadline exceeded";
            continue;
        }
        if (!dsm_breaker_allow(o[i].breaker, dsm_now_ns())) {
            res[i].status = -1;
            res[i].err = "Circuit breaker is OPEN";
            continue;
        }
        CURL *e = par_easy(r, &o[i], &calls[i], to);
        if (!e || curl_multi_add_handle(m, e) != CURLM_OK) {
            res[i].status = -1;
            res[i].err = "curl unavailable";
            if (e)
                curl_easy_cleanup(e);
            calls[i].e = NULL;
        }
    }
    int running = 1;
    while (running) {
        if (curl_multi_perform(m, &running) != CURLM_OK)
            break;
        if (running && curl_multi_poll(m, NULL, 0, 100, NULL) != CURLM_OK)
            break;
    }
    CURLMsg *msg;
    int q;
    while ((msg = curl_multi_info_read(m, &q))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        par_call_t *c = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
        size_t i = (size_t)(c - calls);
        /* the call's own time (its transfer may have ended long before the round did) */
        curl_off_t us = 0;
        res[i].ms = curl_easy_getinfo(msg->easy_handle, CURLINFO_TOTAL_TIME_T, &us) == CURLE_OK
                        ? (double)us / 1e3
                        : (double)(dsm_now_ns() - c->t0) / 1e6;
        if (msg->data.result == CURLE_OK) {
            long st = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &st);
            res[i].status = (int)st;
            res[i].err = NULL;
            res[i].body = c->len ? json_tokener_parse(c->buf) : NULL;
        } else {
            res[i].status = -1;
            res[i].err = c->too_big ? "response too large" : curl_easy_strerror(msg->data.result);
        }
        dsm_breaker_record(o[i].breaker, res[i].status >= 0 && res[i].status < 500, dsm_now_ns());
    }
    for (size_t i = 0; i < n; i++) {
        if (!calls[i].e)
            continue;
        curl_multi_remove_handle(m, calls[i].e);
        curl_easy_cleanup(calls[i].e);
        curl_slist_free_all(calls[i].hdrs);
    }
}

static bool retryable(const dsm_http_opts_t *o, const dsm_http_result_t *res)
{
    const char *m = o->method ? o->method : "GET";
    bool safe = !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "PUT") ||
                !strcmp(m, "DELETE") || o->retry_unsafe;
    bool failed = (res->status < 0 && res->err && strcmp(res->err, "Circuit breaker is OPEN")) ||
                  res->status == 502 || res->status == 503 || res->status == 504;
    return safe && failed;
}

int dsm_http_parallel(dsm_req_t *r, size_t n, const dsm_http_opts_t *o, dsm_http_result_t *res)
{
    size_t todo[DSM_PAR_MAX], ntodo = 0;
    int max_retries = 0;
    if (n > DSM_PAR_MAX)
        return DSM_ERR;
    for (size_t i = 0; i < n; i++) {
        memset(&res[i], 0, sizeof(res[i]));
        res[i].status = -1;
        if (o[i].size < offsetof(dsm_http_opts_t, breaker) + sizeof(o[i].breaker) || !o[i].url) {
            res[i].err = "bad http options";
            continue;
        }
        todo[ntodo++] = i;
        if (o[i].retries > max_retries)
            max_retries = o[i].retries > 5 ? 5 : o[i].retries;
    }
    for (int attempt = 0; ntodo && attempt <= max_retries; attempt++) {
        if (attempt) {
            struct timespec ts = {0, 50000000L << (attempt - 1)};
            if (dsm_now_ns() + ts.tv_nsec >= r->deadline_ns)
                break;
            nanosleep(&ts, NULL);
        }
        par_round(r, n, o, res, todo, ntodo);
        size_t next = 0;
        for (size_t k = 0; k < ntodo; k++) {
            size_t i = todo[k];
            if (attempt < o[i].retries && retryable(&o[i], &res[i]))
                todo[next++] = i;
        }
        ntodo = next;
    }
    return DSM_OK;
}
