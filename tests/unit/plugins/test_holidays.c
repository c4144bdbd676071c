/* test_holidays.c — plugins/service_project/prj_holidays.c: federal holidays by rule. */
#include "dsm_test.h"
#include "prj_holidays.h"

#include <string.h>

typedef struct {
    int y, m, d;
    const char *name;
} hol_expect_t;

/* Checks one year against an expected table (observed dates, names, type, order). */
static void hol_check_year(int year, const hol_expect_t *exp)
{
    prj_holiday_t h[PRJ_HOL_PER_YEAR];

    CU_ASSERT_EQUAL_FATAL(prj_hol_year(year, h, PRJ_HOL_PER_YEAR), PRJ_HOL_PER_YEAR);
    for (size_t i = 0; i < PRJ_HOL_PER_YEAR; i++) {
        CU_ASSERT_EQUAL(h[i].y, exp[i].y);
        CU_ASSERT_EQUAL(h[i].m, exp[i].m);
        CU_ASSERT_EQUAL(h[i].d, exp[i].d);
        CU_ASSERT_PTR_NOT_NULL_FATAL(h[i].name);
        CU_ASSERT_STRING_EQUAL(h[i].name, exp[i].name);
        CU_ASSERT_PTR_NOT_NULL_FATAL(h[i].type);
        CU_ASSERT_STRING_EQUAL(h[i].type, "Federal");
    }
}

/* The federal rows of the original's 2025 table (workflows.md §5.1), sorted by date. */
static void test_year_2025_matches_original_table(void)
{
    static const hol_expect_t exp[PRJ_HOL_PER_YEAR] = {
        {2025, 1, 1, "New Year's Day"},
        {2025, 1, 20, "Martin Luther King, Jr.'s Birthday"},
        {2025, 2, 17, "Washington's Birthday"},
        {2025, 5, 26, "Memorial Day"},
        {2025, 6, 19, "Juneteenth National Independence Day"},
        {2025, 7, 4, "Independence Day"},
        {2025, 9, 1, "Labor Day"},
        {2025, 10, 13, "Columbus Day"},
        {2025, 11, 11, "Veterans Day"},
        {2025, 11, 27, "Thanksgiving Day"},
        {2025, 12, 25, "Christmas Day"},
    };
    hol_check_year(2025, exp);
}

/* 2021: Jun 19 and Dec 25 on Saturdays (→ Friday), Jul 4 on a Sunday (→ Monday). */
static void test_year_2021_weekend_shifts(void)
{
    static const hol_expect_t exp[PRJ_HOL_PER_YEAR] = {
        {2021, 1, 1, "New Year's Day"},
        {2021, 1, 18, "Martin Luther King, Jr.'s Birthday"},
        {2021, 2, 15, "Washington's Birthday"},
        {2021, 5, 31, "Memorial Day"},
        {2021, 6, 18, "Juneteenth National Independence Day"},
        {2021, 7, 5, "Independence Day"},
        {2021, 9, 6, "Labor Day"},
        {2021, 10, 11, "Columbus Day"},
        {2021, 11, 11, "Veterans Day"},
        {2021, 11, 25, "Thanksgiving Day"},
        {2021, 12, 24, "Christmas Day"},
    };
    hol_check_year(2021, exp);
}

/* 2022: Jan 1 is a Saturday, observed Fri 31 Dec 2021 but attributed to 2022; Jun 19 and
 * Dec 25 on Sundays (→ Monday). */
static void test_year_2022_new_year_observed_in_2021(void)
{
    static const hol_expect_t exp[PRJ_HOL_PER_YEAR] = {
        {2021, 12, 31, "New Year's Day"},
        {2022, 1, 17, "Martin Luther King, Jr.'s Birthday"},
        {2022, 2, 21, "Washington's Birthday"},
        {2022, 5, 30, "Memorial Day"},
        {2022, 6, 20, "Juneteenth National Independence Day"},
        {2022, 7, 4, "Independence Day"},
        {2022, 9, 5, "Labor Day"},
        {2022, 10, 10, "Columbus Day"},
        {2022, 11, 11, "Veterans Day"},
        {2022, 11, 24, "Thanksgiving Day"},
        {2022, 12, 26, "Christmas Day"},
    };
    prj_holiday_t h2021[PRJ_HOL_PER_YEAR];

    hol_check_year(2022, exp);
    /* …and 2021's own list does not also contain 2021-12-31. */
    CU_ASSERT_EQUAL_FATAL(prj_hol_year(2021, h2021, PRJ_HOL_PER_YEAR), PRJ_HOL_PER_YEAR);
    for (size_t i = 0; i < PRJ_HOL_PER_YEAR; i++)
        CU_ASSERT_FALSE(h2021[i].m == 12 && h2021[i].d == 31);
}

/* 2026: Jul 4 is a Saturday (→ Fri Jul 3). */
static void test_year_2026(void)
{
    static const hol_expect_t exp[PRJ_HOL_PER_YEAR] = {
        {2026, 1, 1, "New Year's Day"},
        {2026, 1, 19, "Martin Luther King, Jr.'s Birthday"},
        {2026, 2, 16, "Washington's Birthday"},
        {2026, 5, 25, "Memorial Day"},
        {2026, 6, 19, "Juneteenth National Independence Day"},
        {2026, 7, 3, "Independence Day"},
        {2026, 9, 7, "Labor Day"},
        {2026, 10, 12, "Columbus Day"},
        {2026, 11, 11, "Veterans Day"},
        {2026, 11, 26, "Thanksgiving Day"},
        {2026, 12, 25, "Christmas Day"},
    };
    hol_check_year(2026, exp);
}

/* Shifts across month boundaries: Jan 1 2023 (Sun) → Jan 2; Nov 11 2023 (Sat) → Nov 10;
 * Jul 4 2027 (Sun) → Jul 5; Jan 1 2028 (Sat) → Dec 31 2027. */
static void test_shift_edges(void)
{
    prj_holiday_t h[PRJ_HOL_PER_YEAR];

    CU_ASSERT_EQUAL_FATAL(prj_hol_year(2023, h, PRJ_HOL_PER_YEAR), PRJ_HOL_PER_YEAR);
    CU_ASSERT(h[0].y == 2023 && h[0].m == 1 && h[0].d == 2);
    CU_ASSERT(h[8].y == 2023 && h[8].m == 11 && h[8].d == 10);
    CU_ASSERT_EQUAL_FATAL(prj_hol_year(2027, h, PRJ_HOL_PER_YEAR), PRJ_HOL_PER_YEAR);
    CU_ASSERT(h[5].m == 7 && h[5].d == 5);
    CU_ASSERT(h[10].m == 12 && h[10].d == 24);
    CU_ASSERT_EQUAL_FATAL(prj_hol_year(2028, h, PRJ_HOL_PER_YEAR), PRJ_HOL_PER_YEAR);
    CU_ASSERT(h[0].y == 2027 && h[0].m == 12 && h[0].d == 31);
    CU_ASSERT_STRING_EQUAL(h[0].name, "New Year's Day");
}

static void test_weekday_known_dates(void)
{
    CU_ASSERT_EQUAL(prj_hol_weekday(1970, 1, 1), 4);  /* Thursday */
    CU_ASSERT_EQUAL(prj_hol_weekday(2000, 1, 1), 6);  /* Saturday */
    CU_ASSERT_EQUAL(prj_hol_weekday(2000, 2, 29), 2); /* Tuesday */
    CU_ASSERT_EQUAL(prj_hol_weekday(2024, 2, 29), 4); /* Thursday */
    CU_ASSERT_EQUAL(prj_hol_weekday(2025, 12, 25), 4);
    CU_ASSERT_EQUAL(prj_hol_weekday(2021, 7, 4), 0); /* Sunday */
    CU_ASSERT_EQUAL(prj_hol_weekday(1600, 1, 1), 6); /* Saturday */
    CU_ASSERT_EQUAL(prj_hol_days_in_month(1900, 2), 28);
    CU_ASSERT_EQUAL(prj_hol_days_in_month(2000, 2), 29);
    CU_ASSERT_EQUAL(prj_hol_days_in_month(2024, 2), 29);
    CU_ASSERT_EQUAL(prj_hol_days_in_month(2025, 4), 30);
    CU_ASSERT_EQUAL(prj_hol_days_in_month(2025, 13), 0);
}

static void test_nth_weekday(void)
{
    CU_ASSERT_EQUAL(prj_hol_nth_weekday(2025, 5, 1, -1), 26); /* last Monday of May */
    CU_ASSERT_EQUAL(prj_hol_nth_weekday(2025, 1, 5, 5), 31);  /* 5th Friday of Jan 2025 */
    CU_ASSERT_EQUAL(prj_hol_nth_weekday(2025, 2, 1, 5), 0);   /* no 5th Monday in Feb 2025 */
    CU_ASSERT_EQUAL(prj_hol_nth_weekday(2025, 9, 1, 1), 1);   /* Labor Day 2025 on the 1st */
    CU_ASSERT_EQUAL(prj_hol_nth_weekday(2025, 0, 1, 1), 0);
    CU_ASSERT_EQUAL(prj_hol_nth_weekday(2025, 1, 7, 1), 0);
    CU_ASSERT_EQUAL(prj_hol_nth_weekday(2025, 1, 1, 0), 0);
    CU_ASSERT_EQUAL(prj_hol_nth_weekday(2025, 1, 1, -2), 0);
}

static void test_refuses_bad_arguments(void)
{
    prj_holiday_t h[PRJ_HOL_PER_YEAR];

    memset(h, 0x5a, sizeof(h));
    CU_ASSERT_EQUAL(prj_hol_year(2025, h, PRJ_HOL_PER_YEAR - 1), 0);
    CU_ASSERT_EQUAL(prj_hol_year(2025, NULL, PRJ_HOL_PER_YEAR), 0);
    CU_ASSERT_EQUAL(prj_hol_year(PRJ_HOL_YEAR_MIN - 1, h, PRJ_HOL_PER_YEAR), 0);
    CU_ASSERT_EQUAL(prj_hol_year(PRJ_HOL_YEAR_MAX + 1, h, PRJ_HOL_PER_YEAR), 0);
    CU_ASSERT_EQUAL(h[0].y, 0x5a5a5a5a); /* nothing written */
    CU_ASSERT_EQUAL(prj_hol_year(PRJ_HOL_YEAR_MIN, h, PRJ_HOL_PER_YEAR), PRJ_HOL_PER_YEAR);
    CU_ASSERT_EQUAL(prj_hol_year(PRJ_HOL_YEAR_MAX, h, PRJ_HOL_PER_YEAR), PRJ_HOL_PER_YEAR);
}

/* Independent reference: days since 1970-01-01 (H. Hinnant's days_from_civil). */
static long hol_ref_days(int y, int m, int d)
{
    long yy = y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

static int hol_ref_wday(int y, int m, int d)
{
    long w = (hol_ref_days(y, m, d) + 4) % 7; /* 1970-01-01 was a Thursday */

    return (int)(w < 0 ? w + 7 : w);
}

/* Brute force: the n-th (or last, n = -1) weekday wday of a month, by scanning its days. */
static int hol_ref_nth(int y, int m, int wday, int n)
{
    int found = 0, last = 0;

    for (int d = 1; d <= prj_hol_days_in_month(y, m); d++) {
        if (hol_ref_wday(y, m, d) != wday)
            continue;
        last = d;
        if (++found == n)
            return d;
    }
    return n == -1 ? last : 0;
}

/* Every supported year against the brute-force reference: nominal date on the right weekday,
 * observed date on a weekday one day away at most, 11 per year in strictly increasing order,
 * and no date shared between consecutive years (ranges never produce duplicates). */
static void test_all_years_against_reference(void)
{
    static const int fixed[][2] = {{1, 1}, {6, 19}, {7, 4}, {11, 11}, {12, 25}};
    static const int rule[][3] = {{1, 1, 3}, {2, 1, 3}, {5, 1, -1}, {9, 1, 1}, {10, 1, 2},
                                  {11, 4, 4}}; /* month, weekday, n */
    static const size_t fixed_at[] = {0, 4, 5, 8, 10};
    static const size_t rule_at[] = {1, 2, 3, 6, 7, 9};
    unsigned bad = 0;
    long prev_last = -1000000000L;

    for (int y = PRJ_HOL_YEAR_MIN; y <= PRJ_HOL_YEAR_MAX; y++) {
        prj_holiday_t h[PRJ_HOL_PER_YEAR];

        if (prj_hol_year(y, h, PRJ_HOL_PER_YEAR) != PRJ_HOL_PER_YEAR) {
            bad++;
            continue;
        }
        for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
            const prj_holiday_t *x = &h[fixed_at[i]];
            long nominal = hol_ref_days(y, fixed[i][0], fixed[i][1]);
            int w = hol_ref_wday(y, fixed[i][0], fixed[i][1]);
            long want = nominal + (w == 6 ? -1 : w == 0 ? 1 : 0);

            if (hol_ref_days(x->y, x->m, x->d) != want)
                bad++;
        }
        for (size_t i = 0; i < sizeof(rule) / sizeof(rule[0]); i++) {
            const prj_holiday_t *x = &h[rule_at[i]];

            if (x->y != y || x->m != rule[i][0] ||
                x->d != hol_ref_nth(y, rule[i][0], rule[i][1], rule[i][2]))
                bad++;
        }
        for (size_t i = 0; i < PRJ_HOL_PER_YEAR; i++) {
            long day = hol_ref_days(h[i].y, h[i].m, h[i].d);
            int w = hol_ref_wday(h[i].y, h[i].m, h[i].d);

            if (day <= prev_last || w == 0 || w == 6 || strcmp(h[i].type, "Federal") != 0)
                bad++;
            prev_last = day;
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
}

static void test_cmp_orders_by_date(void)
{
    prj_holiday_t a = {2021, 12, 31, "x", "Federal"};
    prj_holiday_t b = {2022, 1, 17, "y", "Federal"};
    prj_holiday_t c = {2022, 1, 17, "z", "Federal"};

    CU_ASSERT(prj_hol_cmp(&a, &b) < 0);
    CU_ASSERT(prj_hol_cmp(&b, &a) > 0);
    CU_ASSERT_EQUAL(prj_hol_cmp(&b, &c), 0);
}

DSM_SUITE("plugins/project/holidays", NULL, NULL,
          DSM_TEST(test_year_2025_matches_original_table), DSM_TEST(test_year_2021_weekend_shifts),
          DSM_TEST(test_year_2022_new_year_observed_in_2021), DSM_TEST(test_year_2026),
          DSM_TEST(test_shift_edges), DSM_TEST(test_weekday_known_dates),
          DSM_TEST(test_nth_weekday), DSM_TEST(test_refuses_bad_arguments),
          DSM_TEST(test_all_years_against_reference), DSM_TEST(test_cmp_orders_by_date));
