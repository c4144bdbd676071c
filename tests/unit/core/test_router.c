/* test_router.c — core/host/dsm_router.c: {param} patterns, literal-beats-parameter
 * specificity, collisions, and the 404 / 405 / 307 outcomes. */
#include <stdio.h>
#include <string.h>

#include "dsm_test.h"
#include "ut_core.h"

static int rt_handler(void *state, dsm_req_t *req)
{
    return DSM_OK;
}

/* Splits "a/b/c" (no leading slash) in place into segs; "" gives no segment. */
static size_t rt_split(char *path, char **segs)
{
    size_t n = 0;
    if (!*path)
        return 0;
    for (char *s = path;;) {
        char *slash = strchr(s, '/');
        if (slash)
            *slash = '\0';
        segs[n++] = s;
        if (!slash)
            break;
        s = slash + 1;
    }
    return n;
}

/* Matches method + path ("a/b", no leading slash) against r. */
static void rt_match(const dsm_router_t *r, dsm_arena_t *a, dsm_method_e m, const char *path,
                     bool trailing, dsm_match_t *out)
{
    char buf[512], *segs[32];
    snprintf(buf, sizeof(buf), "%s", path);
    size_t n = rt_split(buf, segs);
    dsm_router_match(r, a, m, segs, n, trailing, out);
}

static int rt_add(dsm_router_t *r, const dsm_route_t *rt, const char *owner, char *err)
{
    return dsm_router_add(r, rt, 0, owner, err, 256);
}

static void test_method_parse_and_name(void)
{
    dsm_method_e m = 0;
    CU_ASSERT_EQUAL(dsm_method_parse("GET", &m), 0);
    CU_ASSERT_EQUAL(m, DSM_GET);
    CU_ASSERT_EQUAL(dsm_method_parse("PATCH", &m), 0);
    CU_ASSERT_EQUAL(m, DSM_PATCH);
    CU_ASSERT_EQUAL(dsm_method_parse("DELETE", &m), 0);
    CU_ASSERT_EQUAL(m, DSM_DELETE);
    CU_ASSERT_EQUAL(dsm_method_parse("get", &m), -1); /* methods are case-sensitive */
    CU_ASSERT_EQUAL(dsm_method_parse("HEAD", &m), -1);
    CU_ASSERT_EQUAL(dsm_method_parse("", &m), -1);
    CU_ASSERT_EQUAL(dsm_method_parse(NULL, &m), -1);
    CU_ASSERT_STRING_EQUAL(dsm_method_name(DSM_POST), "POST");
    CU_ASSERT_STRING_EQUAL(dsm_method_name(DSM_PUT), "PUT");
    CU_ASSERT_STRING_EQUAL(dsm_method_name((dsm_method_e)0), "?");
    CU_ASSERT_STRING_EQUAL(dsm_method_name((dsm_method_e)9), "?");
}

/* /sprints/active beats /sprints/{sprint_id} whatever the order of the table. */
static void literal_beats_param(bool literal_first)
{
    static const dsm_route_t lit = {DSM_GET, "/sprints/active", rt_handler, 0};
    static const dsm_route_t par = {DSM_GET, "/sprints/{sprint_id}", rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256];
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(rt_add(r, literal_first ? &lit : &par, "sprint", err), 0);
    CU_ASSERT_EQUAL(rt_add(r, literal_first ? &par : &lit, "sprint", err), 0);

    rt_match(r, a, DSM_GET, "sprints/active", false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_OK);
    CU_ASSERT_PTR_EQUAL(m.ref->route, &lit);
    CU_ASSERT_EQUAL(m.nparams, 0);

    rt_match(r, a, DSM_GET, "sprints/APO009-S09", false, &m);
    CU_ASSERT_EQUAL_FATAL(m.result, DSM_MATCH_OK);
    CU_ASSERT_PTR_EQUAL(m.ref->route, &par);
    CU_ASSERT_EQUAL_FATAL(m.nparams, 1);
    CU_ASSERT_STRING_EQUAL(m.names[0], "sprint_id");
    CU_ASSERT_STRING_EQUAL(m.values[0], "APO009-S09");

    dsm_router_free(r);
    dsm_arena_free(a);
}

static void test_literal_beats_param_literal_first(void)
{
    literal_beats_param(true);
}

static void test_literal_beats_param_param_first(void)
{
    literal_beats_param(false);
}

/* Between two partial literals, the one whose literal comes earlier wins. */
static void test_earlier_literal_weighs_more(void)
{
    static const dsm_route_t a1 = {DSM_GET, "/a/{x}/c", rt_handler, 0};
    static const dsm_route_t a2 = {DSM_GET, "/a/b/{y}", rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256];
    CU_ASSERT_EQUAL(rt_add(r, &a1, "p", err), 0);
    CU_ASSERT_EQUAL(rt_add(r, &a2, "p", err), 0);

    rt_match(r, a, DSM_GET, "a/b/c", false, &m);
    CU_ASSERT_EQUAL_FATAL(m.result, DSM_MATCH_OK);
    CU_ASSERT_PTR_EQUAL(m.ref->route, &a2);
    CU_ASSERT_STRING_EQUAL(m.names[0], "y");
    CU_ASSERT_STRING_EQUAL(m.values[0], "c");

    rt_match(r, a, DSM_GET, "a/z/c", false, &m);
    CU_ASSERT_EQUAL_FATAL(m.result, DSM_MATCH_OK);
    CU_ASSERT_PTR_EQUAL(m.ref->route, &a1);
    CU_ASSERT_STRING_EQUAL(m.names[0], "x");
    CU_ASSERT_STRING_EQUAL(m.values[0], "z");

    rt_match(r, a, DSM_GET, "a/z/z", false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    dsm_router_free(r);
    dsm_arena_free(a);
}

static void test_param_capture_copies_decoded_segments(void)
{
    static const dsm_route_t pto = {DSM_DELETE, "/projects/{project_id}/calendar/pto/{pto_id}",
                                    rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256];
    char s0[] = "projects", s1[] = "APO 009/x", s2[] = "calendar", s3[] = "pto", s4[] = "17";
    char *segs[] = {s0, s1, s2, s3, s4};
    CU_ASSERT_EQUAL(dsm_router_add(r, &pto, 3, "project", err, sizeof(err)), 0);
    dsm_router_match(r, a, DSM_DELETE, segs, 5, false, &m);
    CU_ASSERT_EQUAL_FATAL(m.result, DSM_MATCH_OK);
    CU_ASSERT_EQUAL(m.ref->slot, 3);
    CU_ASSERT_EQUAL_FATAL(m.nparams, 2);
    CU_ASSERT_STRING_EQUAL(m.names[0], "project_id");
    CU_ASSERT_STRING_EQUAL(m.values[0], "APO 009/x");
    CU_ASSERT_STRING_EQUAL(m.names[1], "pto_id");
    CU_ASSERT_STRING_EQUAL(m.values[1], "17");
    /* values are arena copies, not the caller's buffers */
    CU_ASSERT_PTR_NOT_EQUAL(m.values[0], s1);
    s1[0] = 'X';
    CU_ASSERT_STRING_EQUAL(m.values[0], "APO 009/x");
    dsm_router_free(r);
    dsm_arena_free(a);
}

static void test_empty_segment_does_not_fill_a_param(void)
{
    static const dsm_route_t one = {DSM_GET, "/projects/{id}", rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256], s0[] = "projects", s1[] = "";
    char *segs[] = {s0, s1};
    CU_ASSERT_EQUAL(rt_add(r, &one, "p", err), 0);
    dsm_router_match(r, a, DSM_GET, segs, 2, false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    CU_ASSERT_PTR_NULL(m.ref);
    dsm_router_free(r);
    dsm_arena_free(a);
}

static void test_wrong_method_is_405(void)
{
    static const dsm_route_t get = {DSM_GET, "/items/{id}", rt_handler, 0};
    static const dsm_route_t put = {DSM_PUT, "/items/{id}", rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256];
    CU_ASSERT_EQUAL(rt_add(r, &get, "p", err), 0);
    CU_ASSERT_EQUAL(rt_add(r, &put, "p", err), 0);

    rt_match(r, a, DSM_PUT, "items/9", false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_OK);
    CU_ASSERT_PTR_EQUAL(m.ref->route, &put);

    rt_match(r, a, DSM_POST, "items/9", false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_405);
    CU_ASSERT_PTR_NULL(m.ref);
    CU_ASSERT_EQUAL(m.nparams, 0);

    rt_match(r, a, (dsm_method_e)0, "items/9", false, &m); /* unknown method (HEAD, ...) */
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_405);

    rt_match(r, a, DSM_POST, "items", false, &m); /* not the same path */
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    dsm_router_free(r);
    dsm_arena_free(a);
}

static void test_trailing_slash_on_known_path_is_307(void)
{
    static const dsm_route_t get = {DSM_GET, "/items", rt_handler, 0};
    static const dsm_route_t one = {DSM_GET, "/items/{id}", rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256];
    CU_ASSERT_EQUAL(rt_add(r, &get, "p", err), 0);
    CU_ASSERT_EQUAL(rt_add(r, &one, "p", err), 0);

    rt_match(r, a, DSM_GET, "items", true, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_307);
    CU_ASSERT_PTR_NULL(m.ref);
    rt_match(r, a, DSM_GET, "items/5", true, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_307);
    /* the path is known (under GET): a POST with a slash is redirected too, as Starlette does */
    rt_match(r, a, DSM_POST, "items", true, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_307);
    /* an unknown path with a trailing slash stays 404 */
    rt_match(r, a, DSM_GET, "nothing", true, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    dsm_router_free(r);
    dsm_arena_free(a);
}

static void test_unknown_paths_are_404(void)
{
    static const dsm_route_t get = {DSM_GET, "/projects/{id}/calendar", rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256];
    CU_ASSERT_EQUAL(rt_add(r, &get, "p", err), 0);
    rt_match(r, a, DSM_GET, "projects/1", false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    rt_match(r, a, DSM_GET, "projects/1/calendar/x", false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    rt_match(r, a, DSM_GET, "Projects/1/calendar", false, &m); /* literals are case-sensitive */
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    rt_match(r, a, DSM_GET, "", false, &m); /* "/" */
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    /* an empty router (and a NULL one) knows nothing */
    dsm_router_t *empty = dsm_router_new();
    rt_match(empty, a, DSM_GET, "projects/1/calendar", false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    rt_match(NULL, a, DSM_GET, "projects/1/calendar", false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    dsm_router_free(empty);
    dsm_router_free(r);
    dsm_arena_free(a);
}

static void test_root_route(void)
{
    static const dsm_route_t root = {DSM_GET, "/", rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256];
    CU_ASSERT_EQUAL(rt_add(r, &root, "p", err), 0);
    rt_match(r, a, DSM_GET, "", false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_OK);
    CU_ASSERT_PTR_EQUAL(m.ref->route, &root);
    rt_match(r, a, DSM_GET, "x", false, &m);
    CU_ASSERT_EQUAL(m.result, DSM_MATCH_404);
    dsm_router_free(r);
    dsm_arena_free(a);
}

static void test_collisions_are_refused(void)
{
    static const dsm_route_t x = {DSM_GET, "/a/{x}", rt_handler, 0};
    static const dsm_route_t y = {DSM_GET, "/a/{y}", rt_handler, 0};
    static const dsm_route_t same = {DSM_GET, "/a/{x}", rt_handler, 0};
    static const dsm_route_t post = {DSM_POST, "/a/{y}", rt_handler, 0};
    static const dsm_route_t lit = {DSM_GET, "/a/b", rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256] = "";
    CU_ASSERT_EQUAL(rt_add(r, &x, "backlog", err), 0);
    CU_ASSERT_EQUAL(rt_add(r, &y, "sprint", err), -1);
    CU_ASSERT_STRING_EQUAL(err, "route GET /a/{y} of 'sprint' collides with /a/{x} of 'backlog'");
    CU_ASSERT_EQUAL(rt_add(r, &same, "backlog", err), -1);
    CU_ASSERT_STRING_EQUAL(err, "route GET /a/{x} of 'backlog' collides with /a/{x} of 'backlog'");
    /* another method on the same shape, and a literal beside a parameter, are no collisions */
    CU_ASSERT_EQUAL(rt_add(r, &post, "sprint", err), 0);
    CU_ASSERT_EQUAL(rt_add(r, &lit, "sprint", err), 0);
    /* the refused routes left nothing behind: GET /a/q still answers with the first route */
    rt_match(r, a, DSM_GET, "a/q", false, &m);
    CU_ASSERT_EQUAL_FATAL(m.result, DSM_MATCH_OK);
    CU_ASSERT_PTR_EQUAL(m.ref->route, &x);
    CU_ASSERT_STRING_EQUAL(m.names[0], "x");
    dsm_router_free(r);
    dsm_arena_free(a);
}

static void bad_pattern(const char *pattern, const char *want)
{
    dsm_route_t rt = {DSM_GET, pattern, rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    char err[256] = "";
    CU_ASSERT_EQUAL(rt_add(r, &rt, "p", err), -1);
    CU_ASSERT_STRING_EQUAL(err, want);
    dsm_router_free(r);
}

static void test_bad_patterns_are_refused(void)
{
    bad_pattern("items", "route pattern 'items' must start with '/'");
    bad_pattern("", "route pattern '' must start with '/'");
    bad_pattern("/a//b", "route pattern '/a//b': empty segment or too many segments");
    bad_pattern("/a/", "route pattern '/a/' must not end with '/'");
    bad_pattern("/a/{}", "route pattern '/a/{}': bad parameter segment");
    bad_pattern("/a/{id", "route pattern '/a/{id': bad parameter segment");
    bad_pattern("/a/x{id}", "route pattern '/a/x{id}': braces inside a literal");
    bad_pattern("/a/x}", "route pattern '/a/x}': braces inside a literal");
}

static void test_bad_route_entries_are_refused(void)
{
    dsm_route_t nohandler = {DSM_GET, "/a", NULL, 0};
    dsm_route_t badmethod = {(dsm_method_e)7, "/a", rt_handler, 0};
    dsm_route_t zeromethod = {(dsm_method_e)0, "/a", rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    char err[256] = "";
    CU_ASSERT_EQUAL(rt_add(r, &nohandler, "p", err), -1);
    CU_ASSERT_STRING_EQUAL(err, "route '/a': no handler or bad method");
    err[0] = '\0';
    CU_ASSERT_EQUAL(rt_add(r, &badmethod, "p", err), -1);
    CU_ASSERT_STRING_EQUAL(err, "route '/a': no handler or bad method");
    err[0] = '\0';
    CU_ASSERT_EQUAL(rt_add(r, &zeromethod, "p", err), -1);
    CU_ASSERT_STRING_EQUAL(err, "route '/a': no handler or bad method");
    dsm_router_free(r);
}

static void test_sixteen_segments_max(void)
{
    static const dsm_route_t ok16 = {DSM_GET, "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/{p}",
                                     rt_handler, 0};
    dsm_route_t bad17 = {DSM_GET, "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17", rt_handler, 0};
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256] = "";
    CU_ASSERT_EQUAL(rt_add(r, &ok16, "p", err), 0);
    CU_ASSERT_EQUAL(rt_add(r, &bad17, "p", err), -1);
    CU_ASSERT_STRING_EQUAL(err, "route pattern '/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17': "
                                "empty segment or too many segments");
    rt_match(r, a, DSM_GET, "1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/last", false, &m);
    CU_ASSERT_EQUAL_FATAL(m.result, DSM_MATCH_OK);
    CU_ASSERT_STRING_EQUAL(m.names[0], "p");
    CU_ASSERT_STRING_EQUAL(m.values[0], "last");
    dsm_router_free(r);
    dsm_arena_free(a);
}

/* More routes than the first allocation (32) holds: every one still matches itself. */
static void test_many_routes(void)
{
    enum { N = 100 };
    static char pats[N][32];
    static dsm_route_t routes[N];
    dsm_router_t *r = dsm_router_new();
    dsm_arena_t *a = dsm_arena_new();
    dsm_match_t m;
    char err[256], path[32];
    for (int i = 0; i < N; i++) {
        snprintf(pats[i], sizeof(pats[i]), "/r%d/{id}", i);
        routes[i] = (dsm_route_t){DSM_GET, pats[i], rt_handler, 0};
        CU_ASSERT_EQUAL(dsm_router_add(r, &routes[i], (size_t)i, "p", err, sizeof(err)), 0);
    }
    for (int i = 0; i < N; i += 33) {
        snprintf(path, sizeof(path), "r%d/v%d", i, i);
        rt_match(r, a, DSM_GET, path, false, &m);
        CU_ASSERT_EQUAL_FATAL(m.result, DSM_MATCH_OK);
        CU_ASSERT_PTR_EQUAL(m.ref->route, &routes[i]);
        CU_ASSERT_EQUAL(m.ref->slot, (size_t)i);
    }
    dsm_router_free(r);
    dsm_arena_free(a);
}

DSM_SUITE("core/router", NULL, NULL, DSM_TEST(test_method_parse_and_name),
          DSM_TEST(test_literal_beats_param_literal_first),
          DSM_TEST(test_literal_beats_param_param_first), DSM_TEST(test_earlier_literal_weighs_more),
          DSM_TEST(test_param_capture_copies_decoded_segments),
          DSM_TEST(test_empty_segment_does_not_fill_a_param), DSM_TEST(test_wrong_method_is_405),
          DSM_TEST(test_trailing_slash_on_known_path_is_307), DSM_TEST(test_unknown_paths_are_404),
          DSM_TEST(test_root_route), DSM_TEST(test_collisions_are_refused),
          DSM_TEST(test_bad_patterns_are_refused), DSM_TEST(test_bad_route_entries_are_refused),
          DSM_TEST(test_sixteen_segments_max), DSM_TEST(test_many_routes));
