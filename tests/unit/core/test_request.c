/* test_request.c — core/host/dsm_request.c: percent-decoding (and %00 refusal), UTF-8
 * validation, REQUEST_URI split into path + query, request ids and dsm_req_init's 400s. */
#include <stdio.h>
#include <string.h>

#include "dsm_test.h"
#include "ut_core.h"

static void decodes_to(const char *in, bool plus, const char *want)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", in);
    CU_ASSERT_EQUAL(dsm_percent_decode(buf, plus), 0);
    CU_ASSERT_STRING_EQUAL(buf, want);
}

static void refused(const char *in)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", in);
    CU_ASSERT_EQUAL(dsm_percent_decode(buf, true), -1);
    snprintf(buf, sizeof(buf), "%s", in);
    CU_ASSERT_EQUAL(dsm_percent_decode(buf, false), -1);
}

static void test_percent_decode(void)
{
    decodes_to("", false, "");
    decodes_to("plain", false, "plain");
    decodes_to("a%20b", false, "a b");
    decodes_to("%2F%2f", false, "//");
    decodes_to("%41%62%7E", false, "Ab~");
    decodes_to("caf%C3%A9", false, "caf\xC3\xA9");
    decodes_to("a+b", false, "a+b");
    decodes_to("a+b", true, "a b");
    decodes_to("%2B+", true, "+ ");
    decodes_to("%25", false, "%");
    decodes_to("%2525", false, "%25"); /* one pass only */
    decodes_to("%01", false, "\x01");
}

static void test_percent_decode_refusals(void)
{
    refused("%00");
    refused("a%00b");
    refused("%");
    refused("abc%");
    refused("%2");
    refused("%zz");
    refused("%g0");
    refused("%0g");
    refused("100%!");
}

static void test_utf8_validation(void)
{
    CU_ASSERT_TRUE(dsm_utf8_valid("", 0));
    CU_ASSERT_TRUE(dsm_utf8_valid("APO009", 6));
    CU_ASSERT_TRUE(dsm_utf8_valid("\xC3\xA9", 2));             /* é */
    CU_ASSERT_TRUE(dsm_utf8_valid("\xE2\x82\xAC", 3));         /* € */
    CU_ASSERT_TRUE(dsm_utf8_valid("\xF0\x9F\x98\x80", 4));     /* U+1F600 */
    CU_ASSERT_TRUE(dsm_utf8_valid("\xF4\x8F\xBF\xBF", 4));     /* U+10FFFF */
    CU_ASSERT_TRUE(dsm_utf8_valid("\xEF\xBF\xBD", 3));         /* U+FFFD */
    CU_ASSERT_TRUE(dsm_utf8_valid("a\0b", 3));                 /* length-delimited */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xFF", 1));
    CU_ASSERT_FALSE(dsm_utf8_valid("\x80", 1));                /* lone continuation */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xC0\xAF", 2));            /* overlong '/' */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xC1\xBF", 2));            /* overlong */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xE0\x80\xAF", 3));        /* overlong */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xF0\x80\x80\xAF", 4));    /* overlong */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xED\xA0\x80", 3));        /* surrogate U+D800 */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xED\xBF\xBF", 3));        /* surrogate U+DFFF */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xF4\x90\x80\x80", 4));    /* > U+10FFFF */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xF8\x88\x80\x80\x80", 5)); /* 5-byte form */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xC3", 1));                /* truncated */
    CU_ASSERT_FALSE(dsm_utf8_valid("ab\xE2\x82", 4));          /* truncated at the end */
    CU_ASSERT_FALSE(dsm_utf8_valid("\xC3\x28", 2));            /* bad continuation */
    /* n bounds the check: the bad byte past n is not looked at */
    CU_ASSERT_TRUE(dsm_utf8_valid("ok\xFF", 2));
}

static void test_init_basic_fields(void)
{
    ut_env_t e;
    dsm_req_t r;
    char *env[] = {"REQUEST_METHOD=POST", "HTTP_X_REQUEST_ID=req-42.a:b_c",
                   "CONTENT_TYPE=application/json", "CONTENT=not-this", NULL};
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "POST", "/projects/APO%20009/sprints?x=1", env), 0);
    CU_ASSERT_EQUAL(r.method, DSM_POST);
    CU_ASSERT_STRING_EQUAL(r.method_str, "POST");
    CU_ASSERT_STRING_EQUAL(r.uri, "/projects/APO%20009/sprints?x=1");
    CU_ASSERT_STRING_EQUAL(r.path, "/projects/APO 009/sprints");
    CU_ASSERT_STRING_EQUAL(r.id, "req-42.a:b_c");
    CU_ASSERT_PTR_EQUAL(r.thr, &e.thr);
    CU_ASSERT_PTR_EQUAL(r.arena, e.thr.arena);
    CU_ASSERT_FALSE(r.replied);
    CU_ASSERT_PTR_NULL(r.gen);
    CU_ASSERT_EQUAL(r.deadline_ns - r.start_ns, 30LL * 1000000000LL);
    CU_ASSERT_TRUE(r.start_ns > 0 && r.start_ns <= dsm_now_ns());
    /* env lookups match whole names only */
    CU_ASSERT_STRING_EQUAL(dsm_req_env(&r, "CONTENT_TYPE"), "application/json");
    CU_ASSERT_STRING_EQUAL(dsm_req_env(&r, "CONTENT"), "not-this");
    CU_ASSERT_PTR_NULL(dsm_req_env(&r, "CONTENT_LENGTH"));
    CU_ASSERT_PTR_NULL(dsm_req_env(&r, "REQUEST"));
    ut_env_close(&e);
}

static bool all_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!strchr("0123456789abcdef", s[i]))
            return false;
    }
    return true;
}

static void test_request_ids(void)
{
    ut_env_t e;
    dsm_req_t r;
    char id1[72];
    char long71[100] = "HTTP_X_REQUEST_ID=", long72[100] = "HTTP_X_REQUEST_ID=";
    memset(long71 + 18, 'a', 71);
    long71[18 + 71] = '\0';
    memset(long72 + 18, 'b', 72);
    long72[18 + 72] = '\0';
    char *bad[] = {"HTTP_X_REQUEST_ID=has space", NULL};
    char *empty[] = {"HTTP_X_REQUEST_ID=", NULL};
    char *ok71[] = {long71, NULL};
    char *bad72[] = {long72, NULL};
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);

    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/", NULL), 0); /* no env at all */
    CU_ASSERT_TRUE(all_hex(r.id, 16));
    snprintf(id1, sizeof(id1), "%s", r.id);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/", NULL), 0);
    CU_ASSERT_TRUE(all_hex(r.id, 16));
    CU_ASSERT_STRING_NOT_EQUAL(r.id, id1);

    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/", bad), 0);
    CU_ASSERT_TRUE(all_hex(r.id, 16));
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/", empty), 0);
    CU_ASSERT_TRUE(all_hex(r.id, 16));
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/", ok71), 0);
    CU_ASSERT_STRING_EQUAL(r.id, long71 + 18);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/", bad72), 0);
    CU_ASSERT_TRUE(all_hex(r.id, 16));
    ut_env_close(&e);
}

static void test_unknown_or_missing_method_and_uri(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "HEAD", "/health", NULL), 0);
    CU_ASSERT_EQUAL(r.method, 0);
    CU_ASSERT_STRING_EQUAL(r.method_str, "HEAD");
    CU_ASSERT_EQUAL(ut_req(&e, &r, NULL, NULL, NULL), 0);
    CU_ASSERT_EQUAL(r.method, 0);
    CU_ASSERT_STRING_EQUAL(r.method_str, "");
    CU_ASSERT_STRING_EQUAL(r.uri, "/");
    CU_ASSERT_STRING_EQUAL(r.path, "/");
    CU_ASSERT_EQUAL(r.nquery, 0);
    ut_env_close(&e);
}

static void init_400(const char *uri, const char *want_out, const char *want_path)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", uri, NULL), 400);
    CU_ASSERT_TRUE(r.replied);
    CU_ASSERT_EQUAL(r.status, 400);
    CU_ASSERT_STRING_EQUAL(r.ctype, "application/json");
    CU_ASSERT_STRING_EQUAL(ut_out(&r), want_out);
    CU_ASSERT_EQUAL(r.out_len, strlen(want_out));
    CU_ASSERT_PTR_NOT_NULL_FATAL(r.path);
    CU_ASSERT_STRING_EQUAL(r.path, want_path);
    ut_env_close(&e);
}

static void test_init_refusals_are_400(void)
{
    static const char path_msg[] =
        "{\"detail\":\"Invalid percent-encoding or UTF-8 in the request path\"}";
    static const char query_msg[] =
        "{\"detail\":\"Invalid percent-encoding or UTF-8 in the query string\"}";
    init_400("projects", "{\"detail\":\"Invalid request path\"}", "/");
    init_400("*", "{\"detail\":\"Invalid request path\"}", "/");
    init_400("http://h/x", "{\"detail\":\"Invalid request path\"}", "/");
    init_400("/a%00b", path_msg, "/a%00b");       /* %00 refused, the raw path is kept */
    init_400("/a%zz", path_msg, "/a%zz");
    init_400("/a%", path_msg, "/a%");
    init_400("/caf%C3", path_msg, "/caf%C3");     /* truncated UTF-8 */
    init_400("/x%C0%AF", path_msg, "/x%C0%AF");   /* overlong '/' */
    init_400("/x%ED%A0%80", path_msg, "/x%ED%A0%80"); /* surrogate */
    init_400("/ok?a=%00", query_msg, "/ok");
    init_400("/ok?a%00=1", query_msg, "/ok");
    init_400("/ok?a=%FF", query_msg, "/ok");
    init_400("/ok?a=1&b=%2", query_msg, "/ok");
}

static void test_query_parsing(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    CU_ASSERT_EQUAL(
        ut_req(&e, &r, "GET", "/t?a=1&b=x%20y&c&d=&a=2&e=p+q&&f=%3D%26&g=1=2&caf%C3%A9=%E2%82%AC",
               NULL),
        0);
    CU_ASSERT_STRING_EQUAL(r.path, "/t");
    CU_ASSERT_EQUAL_FATAL(r.nquery, 9);
    const char *want[9][2] = {{"a", "1"}, {"b", "x y"}, {"c", ""},     {"d", ""},
                              {"a", "2"}, {"e", "p q"}, {"f", "=&"}, {"g", "1=2"},
                              {"caf\xC3\xA9", "\xE2\x82\xAC"}};
    for (size_t i = 0; i < 9; i++) {
        CU_ASSERT_STRING_EQUAL(r.query[i].key, want[i][0]);
        CU_ASSERT_STRING_EQUAL(r.query[i].value, want[i][1]);
    }
    /* '+' is a space in the query only, not in the path */
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/a+b/%2B?", NULL), 0);
    CU_ASSERT_STRING_EQUAL(r.path, "/a+b/+");
    CU_ASSERT_EQUAL(r.nquery, 0);
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/x?&&", NULL), 0);
    CU_ASSERT_EQUAL(r.nquery, 0);
    /* the query is never part of the path, even with an encoded '?' */
    CU_ASSERT_EQUAL(ut_req(&e, &r, "GET", "/what%3F?q=%3F", NULL), 0);
    CU_ASSERT_STRING_EQUAL(r.path, "/what?");
    CU_ASSERT_EQUAL_FATAL(r.nquery, 1);
    CU_ASSERT_STRING_EQUAL(r.query[0].value, "?");
    ut_env_close(&e);
}

DSM_SUITE("core/request", NULL, NULL, DSM_TEST(test_percent_decode),
          DSM_TEST(test_percent_decode_refusals), DSM_TEST(test_utf8_validation),
          DSM_TEST(test_init_basic_fields), DSM_TEST(test_request_ids),
          DSM_TEST(test_unknown_or_missing_method_and_uri), DSM_TEST(test_init_refusals_are_400),
          DSM_TEST(test_query_parsing));
