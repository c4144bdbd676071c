/* test_project_logic.c — pure helpers of the Project service:
 * plugins/service_project/prj_logic.c. */
#include <string.h>

#include "dsm_test.h"
#include "prj_logic.h"

static void test_utf8_chars(void)
{
    CU_ASSERT_EQUAL(prj_utf8_chars(""), 0);
    CU_ASSERT_EQUAL(prj_utf8_chars("h\xC3\xA9llo"), 5);
    CU_ASSERT_EQUAL(prj_utf8_chars("\xF0\x9F\x98\x80"), 1);
    CU_ASSERT_EQUAL(prj_utf8_chars("a\xFF" "b"), 3);
}

static void stripped_is(const char *in, const char *want)
{
    size_t len = 99;
    const char *s = prj_strip(in, &len);

    CU_ASSERT_EQUAL(len, strlen(want));
    CU_ASSERT_EQUAL(strncmp(s, want, len), 0);
}

static void test_strip(void)
{
    stripped_is("  APO009 \t\r\n", "APO009");
    stripped_is("Project Apollo", "Project Apollo");
    stripped_is(" a b ", "a b");
    stripped_is("", "");
    stripped_is(" \t ", "");
    stripped_is("\xC2\xA0x\xE3\x80\x80\x1C", "x"); /* NBSP, ideographic space, \x1c */
    stripped_is("\xC3\xA9 ", "\xC3\xA9");
}

static void test_pto_name(void)
{
    CU_ASSERT_STRING_EQUAL(prj_pto_name("Alice", "E001"), "Alice");
    CU_ASSERT_STRING_EQUAL(prj_pto_name("", "E001"), "E001");
    CU_ASSERT_STRING_EQUAL(prj_pto_name(NULL, "E001"), "E001");
}

static void test_pto_details(void)
{
    char buf[128], small[8];
    const char *want = "Alice on PTO from 2025-12-24 00:00:00 to 2025-12-26 00:00:00";
    size_t n;

    n = prj_pto_details(buf, sizeof buf, "Alice", "2025-12-24 00:00:00.000000",
                        "2025-12-26 00:00:00.000000");
    CU_ASSERT_STRING_EQUAL(buf, want);
    CU_ASSERT_EQUAL(n, strlen(want));
    prj_pto_details(buf, sizeof buf, "Bob", "2025-12-24 10:30:00.500000",
                    "2025-12-26 00:00:00.000001");
    CU_ASSERT_STRING_EQUAL(
        buf, "Bob on PTO from 2025-12-24 10:30:00.500000 to 2025-12-26 00:00:00.000001");
    prj_pto_details(buf, sizeof buf, "E001", NULL, "2025-12-26 00:00:00.000000");
    CU_ASSERT_STRING_EQUAL(buf, "E001 on PTO from None to 2025-12-26 00:00:00");
    /* snprintf contract: truncated but terminated, full length returned */
    n = prj_pto_details(small, sizeof small, "Alice", "2025-12-24 00:00:00.000000",
                        "2025-12-26 00:00:00.000000");
    CU_ASSERT_EQUAL(n, strlen(want));
    CU_ASSERT_STRING_EQUAL(small, "Alice o");
    CU_ASSERT_EQUAL(prj_pto_details(NULL, 0, "Alice", "2025-12-24 00:00:00.000000",
                                    "2025-12-26 00:00:00.000000"),
                    strlen(want));
}

DSM_SUITE("plugins/project/logic", NULL, NULL, DSM_TEST(test_utf8_chars), DSM_TEST(test_strip),
          DSM_TEST(test_pto_name), DSM_TEST(test_pto_details))
