/*
 * test_consumer.c — Redis Streams consumers in the running test stack. tests/run.sh loads the
 * test-only plugin tests/plugins/svc_probe.c into both project instances; a message added to
 * "dsm:probe" must be handled exactly once by the pool (consumer group), and a failing
 * handler's message is acknowledged and counted as failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsm_test.h"
#include "it_http.h"

static long counter_in(const char *list, const char *name)
{
    long total = 0;
    for (int n = 1; n <= 2; n++) {
        char *path = it_fmt("/admin/project/%d/status", n);
        it_resp_t r = it_admin_req("GET", path, NULL, NULL);
        json_object *cons = it_get(&r, list);
        for (size_t i = 0; cons && i < json_object_array_length(cons); i++) {
            json_object *c = json_object_array_get_idx(cons, i), *v;
            if (json_object_object_get_ex(c, name, &v))
                total += (long)json_object_get_int64(v);
        }
        it_free(&r);
        free(path);
    }
    return total;
}

static long counter(const char *name)
{
    return counter_in("consumers", name);
}

static int xadd(const char *outcome)
{
    const char *port = getenv("DSM_TEST_REDIS_PORT");
    char *cmd = it_fmt("redis-cli -h 127.0.0.1 -p %s XADD dsm:probe '*' outcome %s >/dev/null",
                       port ? port : "16380", outcome);
    int rc = system(cmd);
    free(cmd);
    return rc;
}

static long wait_for(const char *name, long want)
{
    long v = counter(name);
    for (int i = 0; i < 50 && v < want; i++) {
        usleep(100000);
        v = counter(name);
    }
    return v;
}

static void test_probe_consumed_once(void)
{
    long h0 = counter("handled"), f0 = counter("failed");
    CU_ASSERT_EQUAL_FATAL(xadd("ok"), 0);
    CU_ASSERT_EQUAL_FATAL(xadd("ok"), 0);
    CU_ASSERT_EQUAL_FATAL(xadd("fail"), 0);
    long h = wait_for("handled", h0 + 2), f = wait_for("failed", f0 + 1);
    IT_CHECK(h == h0 + 2, "handled %ld -> %ld (want +2)", h0, h);
    IT_CHECK(f == f0 + 1, "failed %ld -> %ld (want +1)", f0, f);
    usleep(300000); /* no second delivery to the other instance */
    IT_CHECK(counter("handled") == h0 + 2, "a message was handled twice");
}

/* The probe plugin ticks every second in both instances. */
static void test_probe_ticks(void)
{
    long t0 = counter_in("ticks", "ok"), t = t0;
    for (int i = 0; i < 40 && t < t0 + 2; i++) {
        usleep(100000);
        t = counter_in("ticks", "ok");
    }
    IT_CHECK(t >= t0 + 2, "ticks ok %ld -> %ld", t0, t);
    IT_CHECK(counter_in("ticks", "failed") == 0, "no tick failed");
}

DSM_SUITE("integration/consumer", NULL, NULL, DSM_TEST(test_probe_consumed_once),
          DSM_TEST(test_probe_ticks));
