/* test_util.c — ISO timestamps and UUIDs (core/host/dsm_util.c). */
#include <ctype.h>
#include <string.h>

#include "dsm_test.h"
#include "ut_core.h"

static void test_ts_iso(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    ut_req(&e, &r, "GET", "/", NULL);
    CU_ASSERT_STRING_EQUAL(dsm_ts_iso(&r, "2025-09-18 14:00:04.918273"),
                           "2025-09-18T14:00:04.918273");
    CU_ASSERT_STRING_EQUAL(dsm_ts_iso(&r, "2025-09-18 14:00:04.95888+00"),
                           "2025-09-18T14:00:04.958880+00:00");
    CU_ASSERT_STRING_EQUAL(dsm_ts_iso(&r, "2025-09-18 14:00:04+05:30"),
                           "2025-09-18T14:00:04+05:30");
    CU_ASSERT_STRING_EQUAL(dsm_ts_iso(&r, "2025-09-18 14:00:04"), "2025-09-18T14:00:04");
    CU_ASSERT_STRING_EQUAL(dsm_ts_iso(&r, "2025-09-18 14:00:04.5-08"),
                           "2025-09-18T14:00:04.500000-08:00");
    CU_ASSERT_PTR_NULL(dsm_ts_iso(&r, NULL));
    ut_env_close(&e);
}

static void test_uuid4_shape(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    ut_req(&e, &r, "GET", "/", NULL);
    const char *a = dsm_uuid4(&r), *b = dsm_uuid4(&r);
    CU_ASSERT_EQUAL(strlen(a), 36);
    CU_ASSERT_STRING_NOT_EQUAL(a, b);
    CU_ASSERT_EQUAL(a[14], '4');
    CU_ASSERT_PTR_NOT_NULL(strchr("89ab", a[19]));
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            CU_ASSERT_EQUAL(a[i], '-');
        } else {
            CU_ASSERT_TRUE(isxdigit((unsigned char)a[i]) && !isupper((unsigned char)a[i]));
        }
    }
    ut_env_close(&e);
}

static void test_pg_array(void)
{
    const char *items[4] = {"E001", "a\"b", "c\\d", NULL};
    char buf[64];
    ut_env_t e;
    dsm_req_t r;

    CU_ASSERT_EQUAL(dsm_pg_array_format(buf, sizeof buf, items, 3), strlen(buf));
    CU_ASSERT_STRING_EQUAL(buf, "{\"E001\",\"a\\\"b\",\"c\\\\d\"}");
    dsm_pg_array_format(buf, sizeof buf, items, 0);
    CU_ASSERT_STRING_EQUAL(buf, "{}");
    dsm_pg_array_format(buf, sizeof buf, items + 2, 2);
    CU_ASSERT_STRING_EQUAL(buf, "{\"c\\\\d\",NULL}");
    CU_ASSERT_EQUAL(dsm_pg_array_format(NULL, 0, items, 1), strlen("{\"E001\"}"));
    /* truncated, still terminated; the length says how much was needed */
    CU_ASSERT_EQUAL(dsm_pg_array_format(buf, 4, items, 1), 8);
    CU_ASSERT_STRING_EQUAL(buf, "{\"E");
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    ut_req(&e, &r, "GET", "/", NULL);
    CU_ASSERT_STRING_EQUAL(dsm_pg_array(&r, items, 2), "{\"E001\",\"a\\\"b\"}");
    ut_env_close(&e);
}

static void test_url_escape(void)
{
    char buf[64];
    ut_env_t e;
    dsm_req_t r;

    CU_ASSERT_EQUAL(dsm_url_escape_format(buf, sizeof buf, "APO009-x_y.z~"), 13);
    CU_ASSERT_STRING_EQUAL(buf, "APO009-x_y.z~");
    dsm_url_escape_format(buf, sizeof buf, "a b/c?d#%+:\xC3\xA9");
    CU_ASSERT_STRING_EQUAL(buf, "a%20b%2Fc%3Fd%23%25%2B%3A%C3%A9");
    CU_ASSERT_EQUAL(dsm_url_escape_format(NULL, 0, "a b"), 5);
    CU_ASSERT_EQUAL(dsm_url_escape_format(buf, 3, "a b"), 5);
    CU_ASSERT_STRING_EQUAL(buf, "a"); /* never half an escape */
    CU_ASSERT_EQUAL(dsm_url_escape_format(buf, 5, "a bc"), 6);
    CU_ASSERT_STRING_EQUAL(buf, "a%20");
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    ut_req(&e, &r, "GET", "/", NULL);
    CU_ASSERT_STRING_EQUAL(dsm_url_escape(&r, "2025-09-18T14:00:04+05:30"),
                           "2025-09-18T14%3A00%3A04%2B05%3A30");
    CU_ASSERT_STRING_EQUAL(dsm_url_escape(&r, NULL), "");
    ut_env_close(&e);
}

DSM_SUITE("core/util", NULL, NULL, DSM_TEST(test_ts_iso), DSM_TEST(test_uuid4_shape),
          DSM_TEST(test_pg_array), DSM_TEST(test_url_escape));
