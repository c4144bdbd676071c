/*
 * it_http.h — the integration tests' HTTP client (libcurl + json-c) and assertion helpers.
 *
 * Requests go to DSM_TEST_URL (default http://127.0.0.1:18080, the public nginx of the test
 * stack) or DSM_TEST_ADMIN_URL (default http://127.0.0.1:18081, the admin server). Each thread
 * has its own curl handle (connections are reused), every transfer has a 10 s timeout, paths
 * are sent exactly as given (no dot-segment squashing, no re-encoding), and redirects are
 * never followed.
 *
 *   it_resp_t r = it_req("GET", "/projects/PHE001", NULL, NULL);
 *   IT_CHECK(r.status == 200, "GET /projects/PHE001 -> %s", it_describe(&r));
 *   it_free(&r);
 */
#ifndef IT_HTTP_H
#define IT_HTTP_H

#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stddef.h>

#define IT_DEFAULT_URL "http://127.0.0.1:18080"
#define IT_DEFAULT_ADMIN_URL "http://127.0.0.1:18081"
#define IT_JSON "application/json"

typedef struct {
    long status;          /* HTTP status; 0 when the transfer itself failed */
    int curl_code;        /* CURLcode of the transfer (0 = CURLE_OK) */
    char *content_type;   /* Content-Type header value, or NULL */
    char *location;       /* Location header value, or NULL */
    char *body;           /* response body, always NUL-terminated (may hold NULs earlier) */
    size_t body_len;      /* bytes in body, without the terminating NUL */
    json_object *json;    /* the body parsed as strict JSON, or NULL when it is not JSON */
} it_resp_t;

/* A request with arbitrary bytes: any method token, any path bytes, any body. */
typedef struct {
    const char *base;              /* NULL: it_base_url() */
    const char *method;            /* NULL: "GET" */
    const char *path;              /* appended to base as-is (include the query) */
    const void *body;              /* NULL: no body (unless body_len > 0 is impossible) */
    size_t body_len;               /* bytes of body to send (may contain NULs) */
    const char *content_type;      /* NULL: no Content-Type header at all */
    const char *const *headers;    /* extra "Name: value" lines, NULL-terminated, or NULL */
    int chunked;                   /* 1: send the body with Transfer-Encoding: chunked */
} it_raw_t;

const char *it_base_url(void);
const char *it_admin_url(void);

/* body: NUL-terminated text or NULL (no body); content_type: NULL = no Content-Type. */
it_resp_t it_req(const char *method, const char *path, const char *body, const char *content_type);
it_resp_t it_admin_req(const char *method, const char *path, const char *body,
                       const char *content_type);
/* Shorthand: JSON body with Content-Type application/json. */
it_resp_t it_json(const char *method, const char *path, const char *json_body);
it_resp_t it_send(const it_raw_t *raw);
void it_free(it_resp_t *r);

/* Percent-encode every byte outside [A-Za-z0-9._~-]; the result is malloc'd. */
char *it_urlenc(const char *s);
/* A JSON string literal (with quotes) for s; the result is malloc'd. */
char *it_jstr(const char *s);
/* printf into a malloc'd string (aborts on out-of-memory). */
char *it_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "status=404 ct=application/json body={...}" (body cut at 300 bytes); thread-local buffer. */
const char *it_describe(const it_resp_t *r);

/* Member lookups on r->json (NULL/0 when absent or of another type). */
json_object *it_get(const it_resp_t *r, const char *key);
const char *it_get_str(const it_resp_t *r, const char *key);
/* The first object of array arr whose member key is the string val, or NULL. */
json_object *it_array_find(json_object *arr, const char *key, const char *val);
/* How many objects of arr have member key equal to the string val. */
size_t it_array_count(json_object *arr, const char *key, const char *val);
/* The compact serialisation of an object (json-c's own buffer, valid while obj lives). */
const char *it_compact(json_object *obj);

/* True when the content type is application/json (parameters allowed). */
int it_is_json_ct(const it_resp_t *r);
/* True when r is a JSON object carrying a "detail" member, with a JSON content type. */
int it_is_json_error(const it_resp_t *r);
/* True when detail is a non-empty FastAPI list of {type, loc, msg} objects. */
int it_is_detail_list(const it_resp_t *r);

/* A CUnit assertion with a formatted failure message (the message is copied by CUnit). */
void it_check_impl(int ok, unsigned line, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define IT_CHECK(cond, ...) it_check_impl((cond) ? 1 : 0, __LINE__, __FILE__, __VA_ARGS__)

/* Assert: exact status, JSON content type, JSON object with "detail"; when detail is not
 * NULL, "detail" must be exactly that string. Returns 1 when everything held. */
int it_expect_error_at(const it_resp_t *r, long status, const char *detail, const char *what,
                       unsigned line, const char *file);
#define IT_EXPECT_ERROR(r, status, detail, what)                                                  \
    it_expect_error_at((r), (status), (detail), (what), __LINE__, __FILE__)

/* Assert: exact status and body byte-identical to expected. */
int it_expect_body_at(const it_resp_t *r, long status, const char *expected, const char *what,
                      unsigned line, const char *file);
#define IT_EXPECT_BODY(r, status, expected, what)                                                 \
    it_expect_body_at((r), (status), (expected), (what), __LINE__, __FILE__)

#endif
