/*
 * dsm_http.c — HTTP client for plugins (libcurl, one easy handle per worker thread, kept-alive
 * connections). Timeouts are clamped to the request's deadline.
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsm_core.h"

#define DSM_HTTP_MAX (8u << 20)

typedef struct {
    dsm_req_t *r;
    char *buf;
    size_t len, cap;
    bool too_big;
} dsm_sink_t;

static size_t sink_write(char *p, size_t sz, size_t nm, void *ud)
{
    dsm_sink_t *s = ud;
    size_t n = sz * nm;
    if (s->len + n + 1 > DSM_HTTP_MAX) {
        s->too_big = true;
        return 0;
    }
    if (s->len + n + 1 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8192;
        while (ncap < s->len + n + 1)
            ncap *= 2;
        char *nb = dsm_arena_alloc(s->r->arena, ncap);
        if (!nb)
            return 0;
        if (s->len)
            memcpy(nb, s->buf, s->len);
        s->buf = nb;
        s->cap = ncap;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = '\0';
    return n;
}

int dsm_http_call(dsm_req_t *r, const char *method, const char *url, const json_object *body,
                  long timeout_ms, json_object **body_out, const char **err_out)
{
    dsm_thread_t *t = r->thr;
    if (body_out)
        *body_out = NULL;
    if (err_out)
        *err_out = NULL;
    if (!t->curl)
        t->curl = curl_easy_init();
    CURL *c = t->curl;
    if (!c) {
        if (err_out)
            *err_out = "curl unavailable";
        return -1;
    }
    long left = (long)((r->deadline_ns - dsm_now_ns()) / 1000000);
    if (left <= 0) {
        if (err_out)
            *err_out = "deadline exceeded";
        return -1;
    }
    if (timeout_ms <= 0 || timeout_ms > left)
        timeout_ms = left;
    dsm_sink_t sink = {.r = r};
    struct curl_slist *hdrs = NULL;
    char rid[96];
    snprintf(rid, sizeof(rid), "X-Request-Id: %s", r->id);
    hdrs = curl_slist_append(hdrs, rid);
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 1000 ? timeout_ms : 1000L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body) {
        size_t len;
        const char *s = json_object_to_json_string_length((json_object *)body,
                                                          JSON_C_TO_STRING_PLAIN, &len);
        hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
        curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, s);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(hdrs);
    if (rc != CURLE_OK) {
        if (err_out)
            *err_out = sink.too_big ? "response too large" : curl_easy_strerror(rc);
        return -1;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (body_out && sink.len)
        *body_out = json_tokener_parse(sink.buf);
    return (int)status;
}

static bool idempotent(const char *m)
{
    return !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "PUT") || !strcmp(m, "DELETE");
}

int dsm_http_request(dsm_req_t *r, const dsm_http_opts_t *o, json_object **body_out,
                     const char **err_out)
{
    if (body_out)
        *body_out = NULL;
    if (!o || o->size < offsetof(dsm_http_opts_t, breaker) + sizeof(o->breaker) || !o->url) {
        if (err_out)
            *err_out = "bad http_request options";
        return -1;
    }
    const char *method = o->method ? o->method : "GET";
    int retries = o->retries < 0 ? 0 : o->retries > 5 ? 5 : o->retries;
    if (!idempotent(method) && !o->retry_unsafe)
        retries = 0;
    int st = -1;
    for (int attempt = 0; attempt <= retries; attempt++) {
        if (!dsm_breaker_allow(o->breaker, dsm_now_ns())) {
            if (err_out)
                *err_out = "Circuit breaker is OPEN";
            return -1;
        }
        if (body_out && *body_out) {
            json_object_put(*body_out);
            *body_out = NULL;
        }
        st = dsm_http_call(r, method, o->url, o->body, o->timeout_ms, body_out, err_out);
        bool failed = st < 0 || st >= 500;
        dsm_breaker_record(o->breaker, !failed, dsm_now_ns());
        if (!(st < 0 || st == 502 || st == 503 || st == 504))
            break;
        int64_t backoff = 50000000LL << attempt; /* 50, 100, 200 ms ... */
        if (attempt == retries || dsm_now_ns() + backoff >= r->deadline_ns)
            break;
        struct timespec ts = {0, (long)backoff};
        nanosleep(&ts, NULL);
    }
    return st;
}

void dsm_http_thread_close(dsm_thread_t *t)
{
    if (t->curl)
        curl_easy_cleanup(t->curl);
    t->curl = NULL;
    if (t->curlm)
        curl_multi_cleanup(t->curlm);
    t->curlm = NULL;
}
