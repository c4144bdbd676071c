/* test_breaker.c — circuit breaker rules (core/host/dsm_breaker.c), with explicit clocks. */
#include <json-c/json.h>
#include <string.h>

#include "dsm_core.h"
#include "dsm_test.h"

#define S 1000000000LL

static const char *state_of(const char *name)
{
    static char buf[32];
    json_object *a = dsm_breaker_status();
    buf[0] = '\0';
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *o = json_object_array_get_idx(a, i);
        if (!strcmp(json_object_get_string(json_object_object_get(o, "name")), name))
            snprintf(buf, sizeof(buf), "%s",
                     json_object_get_string(json_object_object_get(o, "state")));
    }
    json_object_put(a);
    return buf;
}

static void test_opens_after_half_of_three_fail(void)
{
    dsm_breaker_reset_all();
    int64_t t = 1000 * S;
    CU_ASSERT_TRUE(dsm_breaker_allow("p", t));
    dsm_breaker_record("p", true, t);
    dsm_breaker_record("p", false, t + 1);
    CU_ASSERT_STRING_EQUAL(state_of("p"), "closed"); /* 2 calls: too few to judge */
    dsm_breaker_record("p", true, t + 2);
    CU_ASSERT_STRING_EQUAL(state_of("p"), "closed"); /* success does not re-evaluate */
    dsm_breaker_record("p", false, t + 3);           /* 2 of 4 failed: ratio 0.5 */
    CU_ASSERT_STRING_EQUAL(state_of("p"), "open");
    CU_ASSERT_FALSE(dsm_breaker_allow("p", t + 10 * S));
}

static void test_old_calls_leave_the_window(void)
{
    dsm_breaker_reset_all();
    int64_t t = 2000 * S;
    dsm_breaker_record("q", false, t);
    dsm_breaker_record("q", true, t + 1);
    dsm_breaker_record("q", true, t + 2);
    dsm_breaker_record("q", false, t + 11 * S); /* the first failure is outside 10 s */
    CU_ASSERT_STRING_EQUAL(state_of("q"), "closed");
}

static void test_half_open_trial(void)
{
    dsm_breaker_reset_all();
    int64_t t = 3000 * S;
    for (int i = 0; i < 3; i++)
        dsm_breaker_record("r", false, t + i);
    CU_ASSERT_STRING_EQUAL(state_of("r"), "open");
    CU_ASSERT_FALSE(dsm_breaker_allow("r", t + 29 * S));
    CU_ASSERT_TRUE(dsm_breaker_allow("r", t + 31 * S));  /* the one trial call */
    CU_ASSERT_FALSE(dsm_breaker_allow("r", t + 31 * S)); /* only one at a time */
    dsm_breaker_record("r", false, t + 32 * S);
    CU_ASSERT_STRING_EQUAL(state_of("r"), "open");
    CU_ASSERT_FALSE(dsm_breaker_allow("r", t + 40 * S));
    CU_ASSERT_TRUE(dsm_breaker_allow("r", t + 63 * S));
    dsm_breaker_record("r", true, t + 63 * S);
    CU_ASSERT_STRING_EQUAL(state_of("r"), "closed");
    CU_ASSERT_TRUE(dsm_breaker_allow("r", t + 63 * S));
}

static void test_breakers_are_independent(void)
{
    dsm_breaker_reset_all();
    for (int i = 0; i < 3; i++)
        dsm_breaker_record("a", false, 5000 * S + i);
    CU_ASSERT_FALSE(dsm_breaker_allow("a", 5001 * S));
    CU_ASSERT_TRUE(dsm_breaker_allow("b", 5001 * S));
    CU_ASSERT_TRUE(dsm_breaker_allow(NULL, 5001 * S));
}

DSM_SUITE("core/breaker", NULL, NULL, DSM_TEST(test_opens_after_half_of_three_fail),
          DSM_TEST(test_old_calls_leave_the_window), DSM_TEST(test_half_open_trial),
          DSM_TEST(test_breakers_are_independent));
