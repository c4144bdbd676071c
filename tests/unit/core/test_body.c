/* test_body.c — dsm_req_parse_body (core/host/dsm_request.c): model vs raw bodies, content
 * types, empty and null bodies, malformed JSON → FastAPI's 422 json_invalid or the original's
 * 400 "Invalid JSON format", trailing data, the depth limit of 32, invalid UTF-8. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "dsm_test.h"
#include "ut_core.h"

#define BD_MODEL DSM_RF_BODY_MODEL
#define BD_RAW DSM_RF_BODY_RAW
#define BD_OPT (DSM_RF_BODY_MODEL | DSM_RF_BODY_OPTIONAL)

#define BD_NOT_DICT "Input should be a valid dictionary or object to extract fields from"

typedef struct {
    ut_env_t e;
    dsm_req_t r;
    char ct[128];
    char *env[2];
    int rc;
} bd_t;

/* Parses body (NULL = none) sent with Content-Type ctype (NULL = no header) under flags. */
static int bd_parse(bd_t *b, const char *ctype, const char *body, size_t len, uint32_t flags)
{
    memset(b, 0, sizeof(*b));
    if (ut_env_open(&b->e))
        return -100;
    if (ctype) {
        snprintf(b->ct, sizeof(b->ct), "CONTENT_TYPE=%s", ctype);
        b->env[0] = b->ct;
    }
    if (ut_req(&b->e, &b->r, "POST", "/things", b->env))
        return -101;
    b->r.body = body;
    b->r.body_len = len;
    b->rc = dsm_req_parse_body(&b->r, flags);
    return b->rc;
}

static int bd_json(bd_t *b, const char *body, uint32_t flags)
{
    return bd_parse(b, "application/json", body, body ? strlen(body) : 0, flags);
}

static void bd_done(bd_t *b)
{
    ut_env_close(&b->e);
}

/* The request failed with exactly this reply. */
static void bd_reply_is(bd_t *b, int status, const char *out)
{
    CU_ASSERT_EQUAL(b->rc, -1);
    CU_ASSERT_TRUE(b->r.replied);
    CU_ASSERT_EQUAL(b->r.status, status);
    CU_ASSERT_STRING_EQUAL(ut_out(&b->r), out);
    CU_ASSERT_PTR_NULL(b->r.json);
}

static void test_no_body_flags_means_no_parsing(void)
{
    bd_t b;
    CU_ASSERT_EQUAL(bd_json(&b, "{not json", 0), 0);
    CU_ASSERT_FALSE(b.r.replied);
    CU_ASSERT_PTR_NULL(b.r.json);
    bd_done(&b);
}

static void test_model_object_is_parsed(void)
{
    bd_t b;
    CU_ASSERT_EQUAL(bd_json(&b, " {\"name\":\"S1\",\"weeks\":2,\"x\":[1,{\"y\":null}]}\n", BD_MODEL),
                    0);
    CU_ASSERT_FALSE(b.r.replied);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.r.json);
    CU_ASSERT_TRUE(json_object_is_type(b.r.json, json_type_object));
    json_object *v = NULL;
    CU_ASSERT_TRUE(json_object_object_get_ex(b.r.json, "weeks", &v));
    CU_ASSERT_EQUAL(json_object_get_int(v), 2);
    CU_ASSERT_EQUAL(dsm_api_table()->req_body(&b.r), b.r.json);
    bd_done(&b); /* the arena puts the object (valgrind) */
}

static void test_content_types_accepted_for_models(void)
{
    static const char *const ok[] = {"application/json", "application/json; charset=utf-8",
                                     "Application/JSON", "application/json ; q=1",
                                     "application/vnd.api+json", "application/merge-patch+json"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
        bd_t b;
        CU_ASSERT_EQUAL(bd_parse(&b, ok[i], "{\"a\":1}", 7, BD_MODEL), 0);
        CU_ASSERT_FALSE(b.r.replied);
        CU_ASSERT_PTR_NOT_NULL(b.r.json);
        bd_done(&b);
    }
    bd_t b; /* no Content-Type header at all: parsed as JSON, as FastAPI does */
    CU_ASSERT_EQUAL(bd_parse(&b, NULL, "{\"a\":1}", 7, BD_MODEL), 0);
    CU_ASSERT_PTR_NOT_NULL(b.r.json);
    bd_done(&b);
}

static void test_other_content_types_fail_models_with_422(void)
{
    static const char *const bad[] = {"text/plain", "application/x-www-form-urlencoded",
                                      "application/jsonx", "text/json", "+json"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        bd_t b;
        bd_parse(&b, bad[i], "{\"a\":1}", 7, BD_MODEL);
        bd_reply_is(&b, 422,
                    "{\"detail\":[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],\"msg\":\"" BD_NOT_DICT
                    "\",\"input\":\"{\\\"a\\\":1}\"}]}");
        bd_done(&b);
    }
}

static void test_raw_ignores_the_content_type(void)
{
    bd_t b;
    CU_ASSERT_EQUAL(bd_parse(&b, "text/plain", "[1,2]", 5, BD_RAW), 0);
    CU_ASSERT_FALSE(b.r.replied);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.r.json);
    CU_ASSERT_TRUE(json_object_is_type(b.r.json, json_type_array)); /* raw: any JSON value */
    bd_done(&b);
}

static void test_empty_body(void)
{
    bd_t b;
    bd_json(&b, NULL, BD_MODEL);
    bd_reply_is(&b, 422,
                "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\"],\"msg\":\"Field required\","
                "\"input\":null}]}");
    bd_done(&b);

    CU_ASSERT_EQUAL(bd_json(&b, NULL, BD_OPT), 0);
    CU_ASSERT_FALSE(b.r.replied);
    CU_ASSERT_PTR_NULL(b.r.json);
    bd_done(&b);

    CU_ASSERT_EQUAL(bd_json(&b, NULL, BD_RAW), 0);
    CU_ASSERT_FALSE(b.r.replied);
    CU_ASSERT_PTR_NULL(b.r.json);
    bd_done(&b);
}

/* FastAPI looks at the content type only when there are body bytes: an empty body with a
 * non-JSON Content-Type (curl -X POST -d '' sends application/x-www-form-urlencoded) is a
 * missing body, and no problem at all for an optional one. */
static void test_empty_body_with_other_content_type(void)
{
    bd_t b;
    bd_parse(&b, "application/x-www-form-urlencoded", "", 0, BD_MODEL);
    bd_reply_is(&b, 422,
                "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\"],\"msg\":\"Field required\","
                "\"input\":null}]}");
    bd_done(&b);

    CU_ASSERT_EQUAL(bd_parse(&b, "application/x-www-form-urlencoded", "", 0, BD_OPT), 0);
    CU_ASSERT_FALSE(b.r.replied);
    CU_ASSERT_EQUAL(b.r.status, 0);
    bd_done(&b);
}

/* A JSON `null` body is no body for FastAPI: "missing" when required, fine when optional. */
static void test_null_body(void)
{
    bd_t b;
    bd_json(&b, "null", BD_MODEL);
    bd_reply_is(&b, 422,
                "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\"],\"msg\":\"Field required\","
                "\"input\":null}]}");
    bd_done(&b);

    CU_ASSERT_EQUAL(bd_json(&b, "null", BD_OPT), 0);
    CU_ASSERT_FALSE(b.r.replied);
    CU_ASSERT_PTR_NULL(b.r.json);
    bd_done(&b);
}

static void test_model_body_must_be_an_object(void)
{
    static const struct {
        const char *body, *input;
    } cases[] = {{"[1,2]", "[1,2]"}, {"\"text\"", "\"text\""}, {"5", "5"}, {"true", "true"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        bd_t b;
        char want[512];
        snprintf(want, sizeof(want),
                 "{\"detail\":[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],\"msg\":\"" BD_NOT_DICT
                 "\",\"input\":%s}]}",
                 cases[i].input);
        bd_json(&b, cases[i].body, BD_MODEL);
        CU_ASSERT_EQUAL(b.rc, -1);
        CU_ASSERT_EQUAL(b.r.status, 422);
        CU_ASSERT_STRING_EQUAL(ut_out(&b.r), want);
        bd_done(&b);
    }
}

static void json_invalid_is(const char *body, int pos, const char *error)
{
    bd_t b;
    char want[512];
    snprintf(want, sizeof(want),
             "{\"detail\":[{\"type\":\"json_invalid\",\"loc\":[\"body\",%d],\"msg\":\"JSON decode "
             "error\",\"input\":{},\"ctx\":{\"error\":\"%s\"}}]}",
             pos, error);
    bd_json(&b, body, BD_MODEL);
    bd_reply_is(&b, 422, want);
    CU_ASSERT_STRING_EQUAL(b.r.ctype, "application/json");
    bd_done(&b);
}

/* Positions and messages as Python's json module gives them to FastAPI. */
static void test_malformed_json_model_is_422_json_invalid(void)
{
    json_invalid_is("{\"a\":", 5, "Expecting value");
    json_invalid_is("{\"project_id\": }", 15, "Expecting value");
    json_invalid_is("   ", 3, "Expecting value");
    json_invalid_is("[", 1, "Expecting value");
}

static void test_trailing_data_model_is_extra_data(void)
{
    json_invalid_is("{\"a\":1} x", 8, "Extra data");
    json_invalid_is("{\"a\":1}{", 7, "Extra data");
}

static void raw_invalid(const char *body)
{
    bd_t b;
    bd_json(&b, body, BD_RAW);
    bd_reply_is(&b, 400, "{\"detail\":\"Invalid JSON format\"}");
    bd_done(&b);
}

static void test_malformed_json_raw_is_400(void)
{
    raw_invalid("{\"a\":");
    raw_invalid("{\"a\":1,}");
    raw_invalid("nul");
    raw_invalid("   ");
    raw_invalid("{\"a\":1} x");  /* trailing garbage */
    raw_invalid("[1]]");
    raw_invalid("{\"a\":\"\xFF\"}"); /* invalid UTF-8 */
}

/* JSON strings are double-quoted (Python: "Expecting property name enclosed in double
 * quotes", char 1); json-c accepts '...' even in strict mode. */
static void test_single_quotes_are_not_json(void)
{
    bd_t b;
    raw_invalid("{'a':1}");
    raw_invalid("{\"a\":'x'}");
    bd_json(&b, "{'a':1}", BD_MODEL);
    CU_ASSERT_EQUAL(b.rc, -1);
    CU_ASSERT_EQUAL(b.r.status, 422);
    CU_ASSERT_PTR_NULL(b.r.json);
    CU_ASSERT_PTR_NOT_NULL(strstr(ut_out(&b.r), "\"type\":\"json_invalid\",\"loc\":[\"body\",1]"));
    bd_done(&b);
}

/* A bare number or literal is a whole JSON document (json.loads("5") == 5). */
static void test_top_level_scalars_are_json(void)
{
    static const struct {
        const char *body;
        json_type type;
    } cases[] = {{"5", json_type_int},       {"-1.5", json_type_double},
                 {"true", json_type_boolean}, {"false", json_type_boolean},
                 {"\"s\"", json_type_string}, {"5 \n", json_type_int}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        bd_t b;
        CU_ASSERT_EQUAL(bd_json(&b, cases[i].body, BD_RAW), 0);
        CU_ASSERT_FALSE(b.r.replied);
        CU_ASSERT_PTR_NOT_NULL(b.r.json);
        CU_ASSERT_TRUE(json_object_is_type(b.r.json, cases[i].type));
        bd_done(&b);
    }
    bd_t b; /* "null" parses to no value: a raw route sees no body */
    CU_ASSERT_EQUAL(bd_json(&b, "null", BD_RAW), 0);
    CU_ASSERT_FALSE(b.r.replied);
    CU_ASSERT_PTR_NULL(b.r.json);
    bd_done(&b);
}

static void test_trailing_whitespace_is_fine(void)
{
    bd_t b;
    CU_ASSERT_EQUAL(bd_json(&b, "{\"a\":1} \t\r\n ", BD_MODEL), 0);
    CU_ASSERT_PTR_NOT_NULL(b.r.json);
    bd_done(&b);
    CU_ASSERT_EQUAL(bd_json(&b, "[1] \n", BD_RAW), 0);
    CU_ASSERT_PTR_NOT_NULL(b.r.json);
    bd_done(&b);
}

/* The body is exactly body_len bytes: what follows in memory is not part of it. */
static void test_body_len_bounds_parsing(void)
{
    bd_t b;
    static const char buf[] = "{\"a\":1}GARBAGE";
    CU_ASSERT_EQUAL(bd_parse(&b, "application/json", buf, 7, BD_MODEL), 0);
    CU_ASSERT_PTR_NOT_NULL(b.r.json);
    bd_done(&b);
}

/* Depth limit 32: 32 nested containers (holding a value) parse, 33 are refused. */
static void nested(char *out, size_t cap, int depth, bool objects)
{
    size_t n = 0;
    for (int i = 0; i < depth && n + 8 < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s", objects ? "{\"a\":" : "[");
    n += (size_t)snprintf(out + n, cap - n, "1");
    for (int i = 0; i < depth && n + 2 < cap; i++)
        out[n++] = objects ? '}' : ']';
    out[n] = '\0';
}

static void test_depth_limit(void)
{
    char body[1024];
    bd_t b;
    nested(body, sizeof(body), 32, true);
    CU_ASSERT_EQUAL(bd_json(&b, body, BD_MODEL), 0);
    CU_ASSERT_PTR_NOT_NULL(b.r.json);
    bd_done(&b);

    nested(body, sizeof(body), 33, true);
    bd_json(&b, body, BD_MODEL);
    CU_ASSERT_EQUAL(b.rc, -1);
    CU_ASSERT_EQUAL(b.r.status, 422);
    CU_ASSERT_PTR_NULL(b.r.json);
    json_object *got = json_tokener_parse(ut_out(&b.r)), *p0 = NULL, *ctx = NULL;
    CU_ASSERT_TRUE(json_object_object_get_ex(got, "detail", &p0));
    p0 = json_object_array_get_idx(p0, 0);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(p0, "type")),
                           "json_invalid");
    CU_ASSERT_TRUE(json_object_object_get_ex(p0, "ctx", &ctx));
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(ctx, "error")),
                           "Nesting too deep");
    json_object_put(got);
    bd_done(&b);

    nested(body, sizeof(body), 32, false);
    CU_ASSERT_EQUAL(bd_json(&b, body, BD_RAW), 0);
    CU_ASSERT_PTR_NOT_NULL(b.r.json);
    bd_done(&b);

    nested(body, sizeof(body), 33, false);
    raw_invalid(body);
    nested(body, sizeof(body), 200, false);
    raw_invalid(body);
}

/* Invalid UTF-8 inside a JSON string is refused before any handler sees it. */
static void test_invalid_utf8_model(void)
{
    bd_t b;
    bd_json(&b, "{\"a\":\"caf\xC3\"}", BD_MODEL);
    CU_ASSERT_EQUAL(b.rc, -1);
    CU_ASSERT_TRUE(b.r.replied);
    CU_ASSERT_TRUE(b.r.status == 422 || b.r.status == 400);
    CU_ASSERT_PTR_NULL(b.r.json);
    bd_done(&b);
    /* forms json-c's own UTF-8 check lets through; dsm_utf8_valid refuses them all */
    static const char *const bad[] = {
        "{\"a\":\"\xED\xA0\x80\"}",     /* encoded surrogate U+D800 */
        "{\"a\":\"\xC0\xAF\"}",         /* overlong '/' */
        "{\"a\":\"\xE0\x80\xAF\"}",     /* overlong '/' */
        "{\"a\":\"\xF4\x90\x80\x80\"}", /* > U+10FFFF */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        bd_json(&b, bad[i], BD_MODEL);
        CU_ASSERT_EQUAL(b.rc, -1);
        CU_ASSERT_TRUE(b.r.replied);
        CU_ASSERT_PTR_NULL(b.r.json);
        bd_done(&b);
        bd_json(&b, bad[i], BD_RAW);
        CU_ASSERT_EQUAL(b.rc, -1);
        CU_ASSERT_EQUAL(b.r.status, 400);
        CU_ASSERT_PTR_NULL(b.r.json);
        bd_done(&b);
    }
    /* valid multi-byte text passes */
    CU_ASSERT_EQUAL(bd_json(&b, "{\"a\":\"caf\xC3\xA9 \xE2\x82\xAC\"}", BD_MODEL), 0);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(b.r.json, "a")),
                           "caf\xC3\xA9 \xE2\x82\xAC");
    bd_done(&b);
}

DSM_SUITE("core/body", NULL, NULL, DSM_TEST(test_no_body_flags_means_no_parsing),
          DSM_TEST(test_model_object_is_parsed), DSM_TEST(test_content_types_accepted_for_models),
          DSM_TEST(test_other_content_types_fail_models_with_422),
          DSM_TEST(test_raw_ignores_the_content_type), DSM_TEST(test_empty_body),
          DSM_TEST(test_empty_body_with_other_content_type), DSM_TEST(test_null_body),
          DSM_TEST(test_model_body_must_be_an_object),
          DSM_TEST(test_malformed_json_model_is_422_json_invalid),
          DSM_TEST(test_trailing_data_model_is_extra_data), DSM_TEST(test_malformed_json_raw_is_400),
          DSM_TEST(test_single_quotes_are_not_json), DSM_TEST(test_top_level_scalars_are_json),
          DSM_TEST(test_trailing_whitespace_is_fine), DSM_TEST(test_body_len_bounds_parsing),
          DSM_TEST(test_depth_limit), DSM_TEST(test_invalid_utf8_model));
