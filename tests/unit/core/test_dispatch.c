/* test_dispatch.c — dsm_dispatch (core/host/dsm_dispatch.c) on a generation built from a
 * hand-made slot: per-segment decoding into {param}s, 404/405 bodies, 307 Location keeping the
 * query, body refusal before the handler, and "no reply" turned into a 500. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_test.h"
#include "ut_core.h"

typedef struct {
    int calls;
} dp_state_t;

static int dp_item(void *state, dsm_req_t *req)
{
    const dsm_api_t *api = dsm_api_table();
    ((dp_state_t *)state)->calls++;
    json_object *o = json_object_new_object();
    const char *q = api->req_query(req, "q");
    json_object_object_add(o, "id", json_object_new_string(api->req_param(req, "id")));
    json_object_object_add(o, "q", q ? json_object_new_string(q) : NULL);
    return api->reply_json(req, 200, o);
}

static int dp_list(void *state, dsm_req_t *req)
{
    ((dp_state_t *)state)->calls++;
    return dsm_api_table()->reply_json(req, 200, json_object_new_array());
}

static int dp_create(void *state, dsm_req_t *req)
{
    const dsm_api_t *api = dsm_api_table();
    const char *name = NULL;
    ((dp_state_t *)state)->calls++;
    api->v_str(req, "body", "name", DSM_V_REQUIRED, &name);
    if (api->v_failed(req))
        return DSM_ERR;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(name));
    return api->reply_json(req, 201, o);
}

static int dp_silent(void *state, dsm_req_t *req)
{
    ((dp_state_t *)state)->calls++;
    return DSM_OK;
}

static const dsm_route_t dp_routes[] = {
    {DSM_GET, "/items", dp_list, 0},
    {DSM_POST, "/items", dp_create, DSM_RF_BODY_MODEL},
    {DSM_GET, "/items/{id}", dp_item, 0},
    {DSM_GET, "/silent", dp_silent, 0},
    {0, NULL, NULL, 0},
};

static const dsm_plugin_t dp_desc = {
    .magic = DSM_PLUGIN_MAGIC, .abi_major = DSM_ABI_MAJOR, .abi_minor = DSM_ABI_MINOR,
    .size = sizeof(dsm_plugin_t), .build_sig = DSM_BUILD_SIG, .name = "items",
    .version = "0.1.0", .kind = DSM_KIND_SERVICE, .routes = dp_routes};

typedef struct {
    ut_env_t e;
    dsm_gen_t *gen;
    dp_state_t state;
} dp_fix_t;

static int dp_open(dp_fix_t *f)
{
    char err[256];
    memset(f, 0, sizeof(*f));
    if (ut_env_open(&f->e))
        return -1;
    dsm_slot_t *s = calloc(1, sizeof(*s));
    if (!s)
        return -1;
    s->name = strdup("items");
    s->src_path = strdup("(test)");
    s->desc = &dp_desc;
    s->state = &f->state;
    f->gen = dsm_gen_build(&f->e.host, &s, 1, err, sizeof(err));
    return f->gen ? 0 : -1;
}

static void dp_close(dp_fix_t *f)
{
    dsm_gen_destroy(f->gen); /* releases the slot: frees name and paths (valgrind) */
    ut_env_close(&f->e);
}

/* Dispatches one request; r is left for inspection. */
static void dp_run(dp_fix_t *f, dsm_req_t *r, const char *method, const char *uri,
                   const char *body)
{
    static char *json_env[] = {"CONTENT_TYPE=application/json", NULL};
    CU_ASSERT_EQUAL_FATAL(ut_req(&f->e, r, method, uri, json_env), 0);
    ut_req_body(r, body);
    r->gen = f->gen;
    dsm_dispatch(r);
    CU_ASSERT_TRUE(r->replied);
}

static void test_params_are_decoded_per_segment(void)
{
    dp_fix_t f;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(dp_open(&f), 0);
    dp_run(&f, &r, "GET", "/items/a%2Fb%20c?q=x%26y", NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"id\":\"a/b c\",\"q\":\"x&y\"}");
    dp_run(&f, &r, "GET", "/items", NULL);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "[]");
    CU_ASSERT_EQUAL(f.state.calls, 2);
    dp_close(&f);
}

static void test_404_and_405_bodies(void)
{
    dp_fix_t f;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(dp_open(&f), 0);
    dp_run(&f, &r, "GET", "/nope", NULL);
    CU_ASSERT_EQUAL(r.status, 404);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"detail\":\"Not Found\"}");
    dp_run(&f, &r, "GET", "/items/1/2", NULL);
    CU_ASSERT_EQUAL(r.status, 404);
    dp_run(&f, &r, "GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", NULL); /* 17 segments */
    CU_ASSERT_EQUAL(r.status, 404);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"detail\":\"Not Found\"}");
    dp_run(&f, &r, "DELETE", "/items", NULL);
    CU_ASSERT_EQUAL(r.status, 405);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"detail\":\"Method Not Allowed\"}");
    dp_run(&f, &r, "HEAD", "/items/7", NULL);
    CU_ASSERT_EQUAL(r.status, 405);
    CU_ASSERT_EQUAL(f.state.calls, 0);
    dp_close(&f);
}

static void redirect_is(dp_fix_t *f, const char *uri, const char *location)
{
    dsm_req_t r;
    dp_run(f, &r, "GET", uri, NULL);
    CU_ASSERT_EQUAL(r.status, 307);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r.location);
    CU_ASSERT_STRING_EQUAL(r.location, location);
    CU_ASSERT_EQUAL(r.out_len, 0);
}

static void test_trailing_slash_redirects_keep_the_query(void)
{
    dp_fix_t f;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(dp_open(&f), 0);
    redirect_is(&f, "/items/", "/items");
    redirect_is(&f, "/items/?q=1&r=%2F", "/items?q=1&r=%2F");
    redirect_is(&f, "/items/a%20b/", "/items/a%20b"); /* the raw (still encoded) path */
    dp_run(&f, &r, "GET", "/nope/", NULL);
    CU_ASSERT_EQUAL(r.status, 404);
    CU_ASSERT_PTR_NULL(r.location);
    CU_ASSERT_EQUAL(f.state.calls, 0);
    dp_close(&f);
}

static void test_body_is_checked_before_the_handler(void)
{
    dp_fix_t f;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(dp_open(&f), 0);
    dp_run(&f, &r, "POST", "/items", "{\"name\":");
    CU_ASSERT_EQUAL(r.status, 422);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"detail\":[{\"type\":\"json_invalid\",\"loc\":[\"body\",8],"
                                       "\"msg\":\"JSON decode error\",\"input\":{},\"ctx\":{"
                                       "\"error\":\"Expecting value\"}}]}");
    CU_ASSERT_EQUAL(f.state.calls, 0);
    dp_run(&f, &r, "POST", "/items", "{\"name\":5}");
    CU_ASSERT_EQUAL(r.status, 422);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"detail\":[{\"type\":\"string_type\",\"loc\":[\"body\","
                                       "\"name\"],\"msg\":\"Input should be a valid string\","
                                       "\"input\":5}]}");
    dp_run(&f, &r, "POST", "/items", "{\"name\":\"n1\",\"extra\":true}");
    CU_ASSERT_EQUAL(r.status, 201);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"name\":\"n1\"}");
    CU_ASSERT_EQUAL(f.state.calls, 2);
    dp_close(&f);
}

static void test_no_reply_becomes_500(void)
{
    dp_fix_t f;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(dp_open(&f), 0);
    dp_run(&f, &r, "GET", "/silent", NULL);
    CU_ASSERT_EQUAL(f.state.calls, 1);
    CU_ASSERT_EQUAL(r.status, 500);
    CU_ASSERT_STRING_EQUAL(ut_out(&r), "{\"detail\":\"Internal Server Error\"}");
    dp_close(&f);
}

DSM_SUITE("core/dispatch", NULL, NULL, DSM_TEST(test_params_are_decoded_per_segment),
          DSM_TEST(test_404_and_405_bodies), DSM_TEST(test_trailing_slash_redirects_keep_the_query),
          DSM_TEST(test_body_is_checked_before_the_handler), DSM_TEST(test_no_reply_becomes_500));
