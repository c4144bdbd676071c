/* it_http.c — libcurl + json-c client of the integration tests; see it_http.h. */
#include "it_http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IT_TIMEOUT_S 10L
#define IT_DESCRIBE_MAX 300

static pthread_once_t it_once = PTHREAD_ONCE_INIT;
static pthread_key_t it_curl_key;

typedef struct {
    char *buf;
    size_t len, cap;
} it_buf_t;

typedef struct {
    const unsigned char *data;
    size_t len, off;
} it_reader_t;

static void it_curl_destroy(void *h)
{
    curl_easy_cleanup(h);
}

static void it_global_init(void)
{
    if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK || pthread_key_create(&it_curl_key,
                                                                            it_curl_destroy) != 0) {
        fprintf(stderr, "it_http: cannot initialise libcurl\n");
        abort();
    }
}

static CURL *it_handle(void)
{
    CURL *h;

    pthread_once(&it_once, it_global_init);
    h = pthread_getspecific(it_curl_key);
    if (h == NULL) {
        h = curl_easy_init();
        if (h == NULL || pthread_setspecific(it_curl_key, h) != 0) {
            fprintf(stderr, "it_http: curl_easy_init failed\n");
            abort();
        }
    } else {
        curl_easy_reset(h);
    }
    return h;
}

static void *it_xmalloc(size_t n)
{
    void *p = malloc(n == 0 ? 1 : n);

    if (p == NULL) {
        fprintf(stderr, "it_http: out of memory\n");
        abort();
    }
    return p;
}

static char *it_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = it_xmalloc(n);

    memcpy(p, s, n);
    return p;
}

static int it_buf_add(it_buf_t *b, const void *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap == 0 ? 4096 : b->cap;
        char *nb;

        while (cap < b->len + n + 1)
            cap *= 2;
        nb = realloc(b->buf, cap);
        if (nb == NULL)
            return -1;
        b->buf = nb;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, data, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return 0;
}

static size_t it_on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    return it_buf_add(userp, data, size * nmemb) == 0 ? size * nmemb : 0;
}

/* Keep Location (raw) and Content-Type; a 3xx/1xx interim header block resets nothing we use. */
static size_t it_on_header(char *data, size_t size, size_t nmemb, void *userp)
{
    it_resp_t *r = userp;
    size_t n = size * nmemb;
    const char *names[2] = {"location:", "content-type:"};
    char **dest[2] = {&r->location, &r->content_type};

    for (int i = 0; i < 2; i++) {
        size_t nl = strlen(names[i]);
        if (n > nl && strncasecmp(data, names[i], nl) == 0) {
            size_t s = nl, e = n;
            while (s < e && (data[s] == ' ' || data[s] == '\t'))
                s++;
            while (e > s && (data[e - 1] == '\r' || data[e - 1] == '\n' || data[e - 1] == ' '))
                e--;
            free(*dest[i]);
            *dest[i] = it_xmalloc(e - s + 1);
            memcpy(*dest[i], data + s, e - s);
            (*dest[i])[e - s] = '\0';
        }
    }
    return n;
}

static size_t it_on_read(char *out, size_t size, size_t nmemb, void *userp)
{
    it_reader_t *rd = userp;
    size_t n = size * nmemb;

    if (n > rd->len - rd->off)
        n = rd->len - rd->off;
    memcpy(out, rd->data + rd->off, n);
    rd->off += n;
    return n;
}

static json_object *it_parse_strict(const char *buf, size_t len)
{
    json_tokener *tok;
    json_object *obj = NULL;
    size_t used;

    if (len == 0 || memchr(buf, '\0', len) != NULL)
        return NULL;
    tok = json_tokener_new();
    if (tok == NULL)
        return NULL;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    obj = json_tokener_parse_ex(tok, buf, (int)len);
    if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success)
        goto fail;
    used = json_tokener_get_parse_end(tok);
    while (used < len && isspace((unsigned char)buf[used]))
        used++;
    if (used != len)
        goto fail;
    json_tokener_free(tok);
    return obj;
fail:
    json_object_put(obj);
    json_tokener_free(tok);
    return NULL;
}

const char *it_base_url(void)
{
    const char *u = getenv("DSM_TEST_URL");
    return u != NULL && *u != '\0' ? u : IT_DEFAULT_URL;
}

const char *it_admin_url(void)
{
    const char *u = getenv("DSM_TEST_ADMIN_URL");
    return u != NULL && *u != '\0' ? u : IT_DEFAULT_ADMIN_URL;
}

it_resp_t it_send(const it_raw_t *raw)
{
    it_resp_t r;
    it_buf_t body = {0};
    it_reader_t rd = {0};
    struct curl_slist *hdrs = NULL;
    CURL *h = it_handle();
    char *url = it_fmt("%s%s", raw->base != NULL ? raw->base : it_base_url(), raw->path);
    char *ct = it_fmt("Content-Type:%s%s", raw->content_type != NULL ? " " : "",
                      raw->content_type != NULL ? raw->content_type : "");
    CURLcode rc;

    memset(&r, 0, sizeof r);
    hdrs = curl_slist_append(hdrs, ct);
    hdrs = curl_slist_append(hdrs, "Expect:");
    hdrs = curl_slist_append(hdrs, "Accept:");
    if (raw->chunked)
        hdrs = curl_slist_append(hdrs, "Transfer-Encoding: chunked");
    for (size_t i = 0; raw->headers != NULL && raw->headers[i] != NULL; i++)
        hdrs = curl_slist_append(hdrs, raw->headers[i]);

    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, raw->method != NULL ? raw->method : "GET");
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, IT_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, it_on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, it_on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
    if (raw->chunked) {
        rd.data = raw->body;
        rd.len = raw->body != NULL ? raw->body_len : 0;
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, it_on_read);
        curl_easy_setopt(h, CURLOPT_READDATA, &rd);
    } else if (raw->body != NULL) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)raw->body_len);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, raw->body);
    }

    rc = curl_easy_perform(h);
    r.curl_code = (int)rc;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
    else
        fprintf(stderr, "it_http: %s %s: %s\n", raw->method != NULL ? raw->method : "GET",
                raw->path, curl_easy_strerror(rc));
    if (body.buf == NULL)
        it_buf_add(&body, "", 0);
    r.body = body.buf;
    r.body_len = body.len;
    r.json = it_parse_strict(r.body, r.body_len);

    curl_slist_free_all(hdrs);
    free(ct);
    free(url);
    return r;
}

static it_resp_t it_req_at(const char *base, const char *method, const char *path,
                           const char *body, const char *content_type)
{
    it_raw_t raw = {.base = base, .method = method, .path = path, .body = body,
                    .body_len = body != NULL ? strlen(body) : 0, .content_type = content_type};
    return it_send(&raw);
}

it_resp_t it_req(const char *method, const char *path, const char *body, const char *content_type)
{
    return it_req_at(it_base_url(), method, path, body, content_type);
}

it_resp_t it_admin_req(const char *method, const char *path, const char *body,
                       const char *content_type)
{
    return it_req_at(it_admin_url(), method, path, body, content_type);
}

it_resp_t it_json(const char *method, const char *path, const char *json_body)
{
    return it_req_at(it_base_url(), method, path, json_body, IT_JSON);
}

void it_free(it_resp_t *r)
{
    json_object_put(r->json);
    free(r->body);
    free(r->content_type);
    free(r->location);
    memset(r, 0, sizeof *r);
}

char *it_fmt(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    if (fmt == NULL)
        abort();
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    p = it_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

char *it_urlenc(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = it_xmalloc(3 * n + 1), *o = out;

    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

char *it_jstr(const char *s)
{
    json_object *o = json_object_new_string(s);
    char *out;

    if (o == NULL)
        abort();
    out = it_xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                           JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    return out;
}

const char *it_describe(const it_resp_t *r)
{
    static _Thread_local char buf[IT_DESCRIBE_MAX + 200];
    char body[IT_DESCRIBE_MAX + 1];
    size_t n = r->body_len < IT_DESCRIBE_MAX ? r->body_len : IT_DESCRIBE_MAX;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)r->body[i];
        body[i] = (c < 0x20 || c == 0x7f) ? '.' : (char)c;
    }
    body[n] = '\0';
    snprintf(buf, sizeof buf, "status=%ld curl=%d ct=%s len=%zu body=%s%s", r->status,
             r->curl_code, r->content_type != NULL ? r->content_type : "-", r->body_len, body,
             r->body_len > n ? "..." : "");
    return buf;
}

json_object *it_get(const it_resp_t *r, const char *key)
{
    json_object *v = NULL;

    if (r->json == NULL || !json_object_is_type(r->json, json_type_object))
        return NULL;
    return json_object_object_get_ex(r->json, key, &v) ? v : NULL;
}

const char *it_get_str(const it_resp_t *r, const char *key)
{
    json_object *v = it_get(r, key);
    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                                  : NULL;
}

static int it_member_is(json_object *o, const char *key, const char *val)
{
    json_object *v;

    return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v) &&
           json_object_is_type(v, json_type_string) && strcmp(json_object_get_string(v), val) == 0;
}

json_object *it_array_find(json_object *arr, const char *key, const char *val)
{
    if (arr == NULL || !json_object_is_type(arr, json_type_array))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(arr); i++)
        if (it_member_is(json_object_array_get_idx(arr, i), key, val))
            return json_object_array_get_idx(arr, i);
    return NULL;
}

size_t it_array_count(json_object *arr, const char *key, const char *val)
{
    size_t n = 0;

    if (arr == NULL || !json_object_is_type(arr, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(arr); i++)
        n += it_member_is(json_object_array_get_idx(arr, i), key, val) ? 1 : 0;
    return n;
}

const char *it_compact(json_object *obj)
{
    return json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE);
}

int it_is_json_ct(const it_resp_t *r)
{
    const char *ct = r->content_type;
    size_t n = strlen(IT_JSON);

    return ct != NULL && strncasecmp(ct, IT_JSON, n) == 0 && (ct[n] == '\0' || ct[n] == ';');
}

int it_is_json_error(const it_resp_t *r)
{
    return it_is_json_ct(r) && it_get(r, "detail") != NULL;
}

int it_is_detail_list(const it_resp_t *r)
{
    json_object *d = it_get(r, "detail");
    size_t n;

    if (d == NULL || !json_object_is_type(d, json_type_array))
        return 0;
    n = json_object_array_length(d);
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(d, i), *v;
        if (!json_object_is_type(e, json_type_object))
            return 0;
        if (!json_object_object_get_ex(e, "type", &v) || !json_object_is_type(v, json_type_string))
            return 0;
        if (!json_object_object_get_ex(e, "loc", &v) || !json_object_is_type(v, json_type_array))
            return 0;
        if (!json_object_object_get_ex(e, "msg", &v) || !json_object_is_type(v, json_type_string))
            return 0;
    }
    return 1;
}

void it_check_impl(int ok, unsigned line, const char *file, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
}

int it_expect_error_at(const it_resp_t *r, long status, const char *detail, const char *what,
                       unsigned line, const char *file)
{
    const char *d = it_get_str(r, "detail");
    int ok = r->status == status && it_is_json_error(r) &&
             (detail == NULL || (d != NULL && strcmp(d, detail) == 0));

    if (detail != NULL)
        it_check_impl(ok, line, file, "%s: want %ld {\"detail\":\"%s\"}, got %s", what, status,
                      detail, it_describe(r));
    else
        it_check_impl(ok, line, file, "%s: want %ld JSON with detail, got %s", what, status,
                      it_describe(r));
    return ok;
}

int it_expect_body_at(const it_resp_t *r, long status, const char *expected, const char *what,
                      unsigned line, const char *file)
{
    int ok = r->status == status && it_is_json_ct(r) && r->body_len == strlen(expected) &&
             memcmp(r->body, expected, r->body_len) == 0;

    it_check_impl(ok, line, file, "%s: want %ld %s, got %s", what, status, expected,
                  it_describe(r));
    return ok;
}
