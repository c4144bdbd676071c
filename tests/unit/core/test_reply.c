/* test_reply.c — core/host/dsm_reply.c (one reply per request, {"detail"} errors) and
 * dsm_render (core/host/dsm_dispatch.c): the FastCGI head — Status line, Content-Type,
 * Content-Length, X-Request-Id, Location — and the body after it. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "dsm_test.h"
#include "ut_core.h"

static char *rp_env[] = {"HTTP_X_REQUEST_ID=rid-1", NULL};

static void test_reply_json_compact(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x", rp_env), 0);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string("APO/009"));
    json_object_object_add(o, "n", json_object_new_int(2));
    json_object_object_add(o, "ok", json_object_new_boolean(1));
    json_object_object_add(o, "none", NULL);
    json_object_object_add(o, "t", json_object_new_string("caf\xC3\xA9 \"q\""));
    CU_ASSERT_EQUAL(dsm_reply_json(&r, 201, o), DSM_OK); /* takes the reference (valgrind) */
    CU_ASSERT_TRUE(r.replied);
    CU_ASSERT_EQUAL(r.status, 201);
    CU_ASSERT_STRING_EQUAL(r.ctype, "application/json");
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"id\":\"APO/009\",\"n\":2,\"ok\":true,\"none\":null,"
                                       "\"t\":\"caf\xC3\xA9 \\\"q\\\"\"}");
    CU_ASSERT_EQUAL(r.out_len, strlen(ut_out(&r)));
    ut_env_close(&e);
}

static void test_reply_error_and_detail(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x", NULL), 0);
    CU_ASSERT_EQUAL(dsm_reply_error(&r, 404, "Sprint %s not found.", "APO009-S09"), DSM_ERR);
    CU_ASSERT_EQUAL(r.status, 404);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"detail\":\"Sprint APO009-S09 not found.\"}");

    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x", NULL), 0);
    json_object *d = json_object_new_object();
    json_object_object_add(d, "code", json_object_new_string("conflict"));
    json_object_object_add(d, "ids", json_object_new_array());
    CU_ASSERT_EQUAL(dsm_reply_detail(&r, 409, d), DSM_ERR);
    CU_ASSERT_EQUAL(r.status, 409);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"detail\":{\"code\":\"conflict\",\"ids\":[]}}");

    /* the plugin-facing reply_error formats once: a '%' in the text stays a '%' */
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x", NULL), 0);
    CU_ASSERT_EQUAL(dsm_api_table()->reply_error(&r, 400, "%s", "100% wrong %d"), DSM_ERR);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"detail\":\"100% wrong %d\"}");
    ut_env_close(&e);
}

static void test_reply_text(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/metrics", NULL), 0);
    CU_ASSERT_EQUAL(dsm_reply_text(&r, 200, "text/plain; version=0.0.4", "a 1\nb\0c", 7), DSM_OK);
    CU_ASSERT_STRING_EQUAL(r.ctype, "text/plain; version=0.0.4");
    CU_ASSERT_EQUAL(r.out_len, 7);
    CU_ASSERT_EQUAL(memcmp(r.out, "a 1\nb\0c", 7), 0);
    ut_env_close(&e);
}

static void test_double_reply_is_refused(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x", NULL), 0);
    json_object *first = json_object_new_object();
    json_object_object_add(first, "first", json_object_new_int(1));
    CU_ASSERT_EQUAL(dsm_reply_json(&r, 200, first), DSM_OK);
    json_object *second = json_object_new_object(); /* still released (valgrind) */
    json_object_object_add(second, "second", json_object_new_int(2));
    CU_ASSERT_EQUAL(dsm_reply_json(&r, 500, second), DSM_ERR);
    CU_ASSERT_EQUAL(dsm_reply_error(&r, 404, "nope"), DSM_ERR);
    CU_ASSERT_EQUAL(dsm_reply_detail(&r, 409, json_object_new_string("x")), DSM_ERR);
    CU_ASSERT_EQUAL(dsm_reply_text(&r, 204, "text/plain", "", 0), DSM_ERR);
    dsm_problem_add(&r, "body", "a", "missing", "Field required", NULL);
    CU_ASSERT_EQUAL(dsm_problems_reply(&r), 1); /* problems were there; the reply stays */
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(r.ctype, "application/json");
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"first\":1}");
    ut_env_close(&e);
}

/* Renders r and compares the whole FastCGI answer. */
static void rendered_is(dsm_req_t *r, const char *want)
{
    size_t len = 0;
    const char *out = dsm_render(r, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_EQUAL(len, strlen(want));
    CU_ASSERT_TRUE(len == strlen(want) && memcmp(out, want, len) == 0);
    if (len != strlen(want) || memcmp(out, want, len))
        fprintf(stderr, "\nrendered: [%.*s]\nwanted:   [%s]\n", (int)len, out, want);
}

static void test_render_status_line_and_headers(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x", rp_env), 0);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "a", json_object_new_int(1));
    dsm_reply_json(&r, 200, o);
    rendered_is(&r, "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
                    "X-Request-Id: rid-1\r\n\r\n{\"a\":1}");

    CU_ASSERT_EQUAL(ut_req(&e, &r, "POST", "/x", rp_env), 0);
    dsm_reply_error(&r, 422, "bad");
    rendered_is(&r, "Status: 422 Unprocessable Entity\r\nContent-Type: application/json\r\n"
                    "Content-Length: 16\r\nX-Request-Id: rid-1\r\n\r\n{\"detail\":\"bad\"}");

    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x", rp_env), 0);
    dsm_reply_error(&r, 405, "Method Not Allowed");
    rendered_is(&r, "Status: 405 Method Not Allowed\r\nContent-Type: application/json\r\n"
                    "Content-Length: 31\r\nX-Request-Id: rid-1\r\n\r\n"
                    "{\"detail\":\"Method Not Allowed\"}");

    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x", rp_env), 0);
    dsm_reply_text(&r, 204, "application/json", "", 0);
    rendered_is(&r, "Status: 204 No Content\r\nContent-Type: application/json\r\n"
                    "Content-Length: 0\r\nX-Request-Id: rid-1\r\n\r\n");

    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x", rp_env), 0);
    dsm_reply_text(&r, 503, "text/plain", "down", 4);
    rendered_is(&r, "Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                    "Content-Length: 4\r\nX-Request-Id: rid-1\r\n\r\ndown");
    ut_env_close(&e);
}

static void test_render_location(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/items/?q=1", rp_env), 0);
    r.location = "/items?q=1";
    dsm_reply_text(&r, 307, "application/json", "", 0);
    rendered_is(&r, "Status: 307 Temporary Redirect\r\nContent-Type: application/json\r\n"
                    "Content-Length: 0\r\nX-Request-Id: rid-1\r\nLocation: /items?q=1\r\n\r\n");
    ut_env_close(&e);
}

/* Content-Length counts bytes, not characters. */
static void test_render_content_length_in_bytes(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x", rp_env), 0);
    dsm_reply_json(&r, 200, json_object_new_string("\xE2\x82\xAC"));
    rendered_is(&r, "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
                    "X-Request-Id: rid-1\r\n\r\n\"\xE2\x82\xAC\"");
    ut_env_close(&e);
}

DSM_SUITE("core/reply", NULL, NULL, DSM_TEST(test_reply_json_compact),
          DSM_TEST(test_reply_error_and_detail), DSM_TEST(test_reply_text),
          DSM_TEST(test_double_reply_is_refused), DSM_TEST(test_render_status_line_and_headers),
          DSM_TEST(test_render_location), DSM_TEST(test_render_content_length_in_bytes));
