/*
 * test_swap.c — hot swap of a real intelligence plugin inside the running test stack.
 *
 * tests/run.sh loads the test-only plugin tests/plugins/intel_echo.c into both project
 * instances from a private path (DSM_TEST_ECHO_SO). These tests call it through the admin
 * server (POST /admin/project/<n>/intel/run), replace the file with other builds and reload it
 * (POST /admin/project/<n>/plugins/echo/reload): v2 is swapped in, a wrong ABI major, a bad
 * magic and a failing init() are refused while the previous version keeps answering.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsm_test.h"
#include "it_http.h"

static const char *echo_so(void)
{
    return getenv("DSM_TEST_ECHO_SO");
}

static const char *plugin_dir(void)
{
    const char *d = getenv("DSM_TEST_PLUGINS");
    return d ? d : "build/test-plugins";
}

/* Copy build/test-plugins/<name> next to the configured path and rename it over it. */
static int install(const char *name)
{
    char *src = it_fmt("%s/%s", plugin_dir(), name), *tmp = it_fmt("%s.tmp", echo_so());
    FILE *in = fopen(src, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
    char buf[65536];
    size_t n;
    int rc = -1;
    if (!in || !out)
        goto out;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
        if (fwrite(buf, 1, n, out) != n)
            goto out;
    }
    if (fclose(out) == 0 && rename(tmp, echo_so()) == 0)
        rc = 0;
    out = NULL;
out:
    if (out)
        fclose(out);
    if (in)
        fclose(in);
    free(src);
    free(tmp);
    return rc;
}

static json_object *first_source(const it_resp_t *r)
{
    json_object *srcs = it_get(r, "sources");
    if (!srcs || !json_object_is_type(srcs, json_type_array))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(srcs); i++) {
        json_object *s = json_object_array_get_idx(srcs, i), *name;
        if (json_object_object_get_ex(s, "source", &name) &&
            !strcmp(json_object_get_string(name), "echo"))
            return s;
    }
    return NULL;
}

static const char *member(json_object *o, const char *k)
{
    json_object *v;
    return o && json_object_object_get_ex(o, k, &v) ? json_object_get_string(v) : NULL;
}

/* Runs the sources on instance n; returns echo's status and version (static buffers). */
static void run_echo(int n, const char *project, char *status, char *version, double *value)
{
    char *path = it_fmt("/admin/project/%d/intel/run", n);
    char *body = it_fmt("{\"project_id\":\"%s\",\"perception\":{\"backlog\":[1,2,3,4]}}", project);
    it_resp_t r = it_admin_req("POST", path, body, IT_JSON);
    IT_CHECK(r.status == 200, "intel/run on instance %d -> %s", n, it_describe(&r));
    json_object *s = first_source(&r), *ins = NULL, *props = NULL;
    snprintf(status, 32, "%s", member(s, "status") ? member(s, "status") : "(none)");
    version[0] = '\0';
    *value = -1;
    if (s && json_object_object_get_ex(s, "insight", &ins) && ins)
        snprintf(version, 32, "%s", member(ins, "version") ? member(ins, "version") : "");
    if (s && json_object_object_get_ex(s, "proposals", &props) &&
        json_object_array_length(props) > 0)
        *value = json_object_get_double(
            json_object_object_get(json_object_array_get_idx(props, 0), "value"));
    it_free(&r);
    free(path);
    free(body);
}

static long reload(int n, const char *plugin, char *message, size_t len)
{
    char *path = it_fmt("/admin/project/%d/plugins/%s/reload", n, plugin);
    it_resp_t r = it_admin_req("POST", path, NULL, NULL);
    long st = r.status;
    const char *m = it_get_str(&r, "message");
    if (!m)
        m = it_get_str(&r, "detail");
    snprintf(message, len, "%s", m ? m : "");
    it_free(&r);
    free(path);
    return st;
}

static long generation(int n)
{
    char *path = it_fmt("/admin/project/%d/status", n);
    it_resp_t r = it_admin_req("GET", path, NULL, NULL);
    json_object *g = it_get(&r, "generation");
    long v = g ? (long)json_object_get_int64(g) : -1;
    it_free(&r);
    free(path);
    return v;
}

static void test_echo_swap_cycle(void)
{
    char st[32], ver[32], msg[1024];
    double value;
    if (!echo_so()) {
        CU_FAIL("DSM_TEST_ECHO_SO is not set: tests/run.sh loads the echo plugin");
        return;
    }
    for (int n = 1; n <= 2; n++) {
        CU_ASSERT_EQUAL_FATAL(install("intel_echo.so"), 0);
        IT_CHECK(reload(n, "echo", msg, sizeof(msg)) == 200, "reload v1: %s", msg);
        run_echo(n, "PHE001", st, ver, &value);
        IT_CHECK(!strcmp(st, "ok") && !strcmp(ver, "1.0.0") && value == 4,
                 "instance %d v1: status=%s version=%s value=%g", n, st, ver, value);

        long g0 = generation(n);
        CU_ASSERT_EQUAL_FATAL(install("intel_echo_v2.so"), 0);
        IT_CHECK(reload(n, "echo", msg, sizeof(msg)) == 200, "reload v2: %s", msg);
        run_echo(n, "PHE001", st, ver, &value);
        IT_CHECK(!strcmp(ver, "2.0.0"), "instance %d after swap: version=%s", n, ver);
        IT_CHECK(generation(n) == g0 + 1, "generation %ld -> %ld", g0, generation(n));

        static const struct {
            const char *file, *reason;
        } bad[] = {{"bad_major.so", "ABI major"},
                   {"bad_magic.so", "bad magic"},
                   {"failing_init.so", "init()"}};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            long g1 = generation(n);
            CU_ASSERT_EQUAL_FATAL(install(bad[i].file), 0);
            long code = reload(n, "echo", msg, sizeof(msg));
            IT_CHECK(code == 409 && strstr(msg, bad[i].reason),
                     "%s must be refused with '%s': %ld %s", bad[i].file, bad[i].reason, code,
                     msg);
            run_echo(n, "PHE001", st, ver, &value);
            IT_CHECK(!strcmp(ver, "2.0.0") && !strcmp(st, "ok"),
                     "after refusing %s the old version serves: %s %s", bad[i].file, st, ver);
            IT_CHECK(generation(n) == g1, "a refused plugin publishes no generation");
        }
        CU_ASSERT_EQUAL_FATAL(install("intel_echo.so"), 0);
        IT_CHECK(reload(n, "echo", msg, sizeof(msg)) == 200, "restore v1: %s", msg);
        run_echo(n, "PHE001", st, ver, &value);
        IT_CHECK(!strcmp(ver, "1.0.0"), "restored: %s", ver);
    }
}

static void test_echo_statuses(void)
{
    char st[32], ver[32];
    double value;
    run_echo(1, "DECLINE", st, ver, &value);
    IT_CHECK(!strcmp(st, "declined"), "DECLINE -> %s", st);
    run_echo(1, "FAIL", st, ver, &value);
    IT_CHECK(!strcmp(st, "failed"), "FAIL -> %s", st);
}

static void test_reload_unknown_and_service(void)
{
    char msg[1024];
    IT_CHECK(reload(1, "nope", msg, sizeof(msg)) == 404, "unknown plugin: %s", msg);
    long g = generation(2);
    IT_CHECK(reload(2, "project", msg, sizeof(msg)) == 200, "reload project: %s", msg);
    IT_CHECK(generation(2) == g + 1, "project reload publishes a generation");
    for (int i = 0; i < 6; i++) { /* both instances still serve the service */
        it_resp_t r = it_req("GET", "/projects/PHE001", NULL, NULL);
        IT_CHECK(r.status == 200, "after reload: %s", it_describe(&r));
        it_free(&r);
    }
}

static void test_admin_not_public(void)
{
    static const char *const paths[] = {"/admin/status", "/admin/intel/run",
                                        "/admin/plugins/project/reload",
                                        "/admin/project/1/status"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        it_resp_t r = it_req(i ? "POST" : "GET", paths[i], "{}", IT_JSON);
        IT_EXPECT_ERROR(&r, 404, NULL, paths[i]);
        it_free(&r);
    }
}

DSM_SUITE("integration/swap", NULL, NULL, DSM_TEST(test_echo_swap_cycle),
          DSM_TEST(test_echo_statuses), DSM_TEST(test_reload_unknown_and_service),
          DSM_TEST(test_admin_not_public));
