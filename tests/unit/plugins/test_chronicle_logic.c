/* test_chronicle_logic.c — pure helpers of the Chronicle service:
 * plugins/service_chronicle/chr_logic.c. Expected values are what Python/Pydantic give. */
#include <math.h>
#include <string.h>

#include "chr_logic.h"
#include "dsm_test.h"

static void iso_is(const char *in, int zulu, const char *want)
{
    chr_dt_t dt;
    char out[64];
    const char *why = NULL;

    CU_ASSERT_EQUAL_FATAL(chr_dt_parse(in, &dt, &why), 0);
    CU_ASSERT_EQUAL(chr_dt_iso(&dt, zulu, out, sizeof(out)), strlen(want));
    CU_ASSERT_STRING_EQUAL(out, want);
}

static void bad_dt(const char *in, const char *why_want)
{
    chr_dt_t dt;
    const char *why = NULL;

    CU_ASSERT_EQUAL(chr_dt_parse(in, &dt, &why), -1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(why);
    if (why_want != NULL)
        CU_ASSERT_STRING_EQUAL(why, why_want);
}

/* Python: datetime.fromisoformat(x).isoformat() after Pydantic parsing. */
static void test_dt_parse_and_iso(void)
{
    iso_is("2025-09-18T14:00:04.918273", 0, "2025-09-18T14:00:04.918273");
    iso_is("2025-09-18T14:00:04", 0, "2025-09-18T14:00:04");
    iso_is("2025-09-18T14:00:04.000000", 0, "2025-09-18T14:00:04");
    iso_is("2025-09-18T14:00:04.5", 0, "2025-09-18T14:00:04.500000");
    iso_is("2025-09-18 14:00", 0, "2025-09-18T14:00:00");
    iso_is("2025-09-18", 0, "2025-09-18T00:00:00");
    iso_is("2025-09-18T14:00:04Z", 0, "2025-09-18T14:00:04+00:00");
    iso_is("2025-09-18T14:00:04Z", 1, "2025-09-18T14:00:04Z");
    iso_is("2025-09-18T14:00:04+05:30", 1, "2025-09-18T14:00:04+05:30");
    iso_is("2025-09-18T14:00:04-0800", 0, "2025-09-18T14:00:04-08:00");
    iso_is("2025-09-18 14:00:05.12+00", 0, "2025-09-18T14:00:05.120000+00:00"); /* PostgreSQL */
    iso_is("2024-02-29T23:59:59.999999", 0, "2024-02-29T23:59:59.999999");
}

static void test_dt_parse_errors(void)
{
    bad_dt("", "input is too short");
    bad_dt("2025-9-18", "input is too short");
    bad_dt("x025-09-18", "invalid character in year");
    bad_dt("2025/09/18", "invalid date separator, expected `-`");
    bad_dt("2025-13-01", "month value is outside expected range of 1-12");
    bad_dt("2025-02-29", "day value is outside expected range");
    bad_dt("2025-09-18X", "unexpected extra characters at the end of the input");
    bad_dt("2025-09-18T25:00:00", "time value is outside expected range");
    bad_dt("2025-09-18T14:00:00.1234567", NULL);
    bad_dt("2025-09-18T14:00:00+2", NULL);
    bad_dt("2025-09-18T14", NULL);
}

static void test_dt_epoch_utc_days(void)
{
    chr_dt_t dt, u, d;
    char out[64];

    CU_ASSERT_EQUAL_FATAL(chr_dt_from_epoch(1758204004.5, &dt), 0);
    chr_dt_iso(&dt, 0, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "2025-09-18T14:00:04.500000+00:00");
    CU_ASSERT_EQUAL_FATAL(chr_dt_from_epoch(1758204004000.0, &dt), 0); /* milliseconds */
    chr_dt_iso(&dt, 1, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "2025-09-18T14:00:04Z");
    CU_ASSERT_EQUAL(chr_dt_from_epoch(1e300, &dt), -1);

    CU_ASSERT_EQUAL_FATAL(chr_dt_parse("2025-01-01T01:30:00+02:00", &dt, NULL), 0);
    chr_dt_to_utc(&dt, &u);
    chr_dt_iso(&u, 0, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "2024-12-31T23:30:00");

    CU_ASSERT_EQUAL_FATAL(chr_dt_parse("2024-03-01T10:00:00.25", &dt, NULL), 0);
    chr_dt_add_days(&dt, -30, &d);
    chr_dt_iso(&d, 0, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "2024-01-31T10:00:00.250000");
    CU_ASSERT_EQUAL(chr_dt_cmp(&d, &dt), -1);
    CU_ASSERT_EQUAL(chr_dt_cmp(&dt, &d), 1);
    CU_ASSERT_EQUAL(chr_dt_cmp(&dt, &dt), 0);
    CU_ASSERT_EQUAL(chr_days_from_civil(1970, 1, 1), 0);
    CU_ASSERT_EQUAL(chr_days_from_civil(2025, 10, 2) - chr_days_from_civil(2025, 9, 18), 14);
}

static void py_float_is(double x, const char *want)
{
    char out[64];

    CU_ASSERT_EQUAL(chr_py_float(x, out, sizeof(out)), strlen(want));
    CU_ASSERT_STRING_EQUAL(out, want);
}

/* Python repr(float) and round(). */
static void test_python_numbers(void)
{
    py_float_is(7.0, "7.0");
    py_float_is(0.85, "0.85");
    py_float_is(0.1 + 0.2, "0.30000000000000004");
    py_float_is(13.0 / 7.0, "1.8571428571428572");
    py_float_is(-2.5, "-2.5");
    py_float_is(0.0, "0.0");
    py_float_is(1e16, "1e+16");
    py_float_is(1.5e-5, "1.5e-05");
    py_float_is(0.0001, "0.0001");
    py_float_is(123456789012345.0, "123456789012345.0");
    py_float_is(1e100, "1e+100");
    CU_ASSERT_EQUAL(chr_round(0.125, 2), 0.12); /* exact tie: half to even */
    CU_ASSERT_EQUAL(chr_round(0.375, 2), 0.38);
    CU_ASSERT_EQUAL(chr_round(2.675, 2), 2.67); /* 2.67499999... in binary */
    CU_ASSERT_EQUAL(chr_round(2.0 / 3.0, 3), 0.667);
    CU_ASSERT_EQUAL(chr_round(-7.7777, 2), -7.78);
}

static void test_utf8_chars(void)
{
    CU_ASSERT_EQUAL(chr_utf8_chars(NULL), 0);
    CU_ASSERT_EQUAL(chr_utf8_chars(""), 0);
    CU_ASSERT_EQUAL(chr_utf8_chars("h\xC3\xA9llo"), 5);
    CU_ASSERT_EQUAL(chr_utf8_chars("\xF0\x9F\x98\x80x"), 2);
}

static void test_no_impediment(void)
{
    char buf[32];

    CU_ASSERT_TRUE(chr_no_impediment(NULL));
    CU_ASSERT_TRUE(chr_no_impediment(""));
    CU_ASSERT_TRUE(chr_no_impediment("None."));
    CU_ASSERT_TRUE(chr_no_impediment("  none  "));
    CU_ASSERT_TRUE(chr_no_impediment("None reported."));
    CU_ASSERT_TRUE(chr_no_impediment("N/A"));
    CU_ASSERT_TRUE(chr_no_impediment("no blockers..."));
    CU_ASSERT_FALSE(chr_no_impediment("Encountered a minor blocker with external dependency."));
    CU_ASSERT_FALSE(chr_no_impediment("None of the APIs respond"));
    CU_ASSERT_EQUAL(chr_imp_norm("  Waiting on QA. . ", buf, sizeof(buf)), strlen("waiting on qa"));
    CU_ASSERT_STRING_EQUAL(buf, "waiting on qa");
    /* the SQL twin receives exactly the markers chr_no_impediment accepts */
    CU_ASSERT_PTR_NOT_NULL(strstr(chr_no_impediment_array(), "\"none reported\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(chr_no_impediment_array(), "\"n/a\""));
}

static void key_is(const char *in, const char *want)
{
    char out[96];

    CU_ASSERT_EQUAL(chr_match_key(in, out, sizeof(out)), strlen(want));
    CU_ASSERT_STRING_EQUAL(out, want);
    CU_ASSERT_EQUAL(chr_match_key(in, NULL, 0) >= strlen(want), 1); /* sizing call */
}

static void test_match_key(void)
{
    key_is("Review 7 tasks that were completed.", "review # tasks that were completed");
    key_is("review  10 tasks that were completed", "review # tasks that were completed");
    key_is("  Address 3.5 tasks  ", "address #.# tasks");
    key_is("Done . .", "done");
    key_is("", "");
}

static void test_similarity(void)
{
    /* only action items exist on either side: the impediment weight is dropped */
    CU_ASSERT_DOUBLE_EQUAL(chr_similarity(0, 0, 2, 2), 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(chr_similarity(0, 0, 1, 2), 0.5, 1e-12);
    /* both components */
    CU_ASSERT_DOUBLE_EQUAL(chr_similarity(1, 1, 1, 2), 0.4 + 0.3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(chr_similarity(0, 1, 1, 2), 0.3, 1e-12);
    /* only impediments */
    CU_ASSERT_DOUBLE_EQUAL(chr_similarity(1, 4, 0, 0), 0.25, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(chr_similarity(0, 0, 0, 0), 0.0, 1e-12);
}

static void test_optimal_task_count(void)
{
    const int64_t t1[] = {10, 8, 10, 0};
    const double r1[] = {0.7, 0.9, 0.9, 0.0};
    const int64_t t2[] = {6, 8};
    const double r2[] = {1.0, 1.0};

    CU_ASSERT_EQUAL(chr_optimal_task_count(t1, r1, 4), 8);         /* 8: 0.9 vs 10: mean 0.8 */
    CU_ASSERT_EQUAL(chr_optimal_task_count(t2, r2, 2), 8);         /* tie: the larger count */
    CU_ASSERT_EQUAL(chr_optimal_task_count(t1 + 3, r1 + 3, 1), 0); /* no tasks at all */
    CU_ASSERT_EQUAL(chr_optimal_task_count(NULL, NULL, 0), 0);
}

static void test_health_sources_improvement(void)
{
    CU_ASSERT_STRING_EQUAL(chr_health(0, 0), "Good");
    CU_ASSERT_STRING_EQUAL(chr_health(1, 10), "Good");
    CU_ASSERT_STRING_EQUAL(chr_health(2, 10), "Needs Attention");
    CU_ASSERT_STRING_EQUAL(chr_health(5, 5), "Needs Attention");

    CU_ASSERT_TRUE(chr_intel_source("intelligence_enhanced"));
    CU_ASSERT_TRUE(chr_intel_source("learning_enhanced"));
    CU_ASSERT_TRUE(chr_intel_source("Strategy_Enhanced"));
    CU_ASSERT_TRUE(chr_intel_source("hybrid"));
    CU_ASSERT_FALSE(chr_intel_source("rule_based_only"));
    CU_ASSERT_FALSE(chr_intel_source("unknown"));
    CU_ASSERT_FALSE(chr_intel_source("CREATE_NEW_SPRINT"));
    CU_ASSERT_FALSE(chr_intel_source(NULL));

    CU_ASSERT_DOUBLE_EQUAL(chr_improvement_pct(0.9, 2, 0.6, 3), 50.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(chr_improvement_pct(0.5, 1, 0.6, 1), -16.67, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(chr_improvement_pct(0.0, 0, 0.6, 3), 0.0, 1e-12); /* no intel data */
    CU_ASSERT_DOUBLE_EQUAL(chr_improvement_pct(0.9, 2, 0.0, 3), 0.0, 1e-12); /* rule is 0 */
    CU_ASSERT_TRUE(isfinite(chr_improvement_pct(0.9, 2, 0.0, 0)));
}

DSM_SUITE("plugins/chronicle_logic", NULL, NULL, DSM_TEST(test_dt_parse_and_iso),
          DSM_TEST(test_dt_parse_errors), DSM_TEST(test_dt_epoch_utc_days),
          DSM_TEST(test_python_numbers), DSM_TEST(test_utf8_chars), DSM_TEST(test_no_impediment),
          DSM_TEST(test_match_key), DSM_TEST(test_similarity), DSM_TEST(test_optimal_task_count),
          DSM_TEST(test_health_sources_improvement));
