/* prj_holidays.c — US federal holidays by rule, with the weekend-observance shift. */
#include "prj_holidays.h"

#include <stdbool.h>

enum { PRJ_HOL_SUN = 0, PRJ_HOL_MON = 1, PRJ_HOL_THU = 4, PRJ_HOL_SAT = 6 };

/* How a holiday's nominal date is found: a fixed day, or the n-th (-1 = last) weekday. */
typedef struct {
    const char *name;
    int month;
    int day;  /* fixed day of the month, 0 for a weekday rule */
    int wday; /* weekday rule: 0 = Sunday … 6 = Saturday */
    int nth;  /* weekday rule: 1..5, or -1 for the last */
} prj_hol_rule_t;

/* In calendar order; names exactly as the original's us-holiday.json. */
static const prj_hol_rule_t prj_hol_rules[PRJ_HOL_PER_YEAR] = {
    {"New Year's Day", 1, 1, 0, 0},
    {"Martin Luther King, Jr.'s Birthday", 1, 0, PRJ_HOL_MON, 3},
    {"Washington's Birthday", 2, 0, PRJ_HOL_MON, 3},
    {"Memorial Day", 5, 0, PRJ_HOL_MON, -1},
    {"Juneteenth National Independence Day", 6, 19, 0, 0},
    {"Independence Day", 7, 4, 0, 0},
    {"Labor Day", 9, 0, PRJ_HOL_MON, 1},
    {"Columbus Day", 10, 0, PRJ_HOL_MON, 2},
    {"Veterans Day", 11, 11, 0, 0},
    {"Thanksgiving Day", 11, 0, PRJ_HOL_THU, 4},
    {"Christmas Day", 12, 25, 0, 0},
};

static bool prj_hol_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int prj_hol_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m < 1 || m > 12)
        return 0;
    return m == 2 && prj_hol_is_leap(y) ? 29 : days[m - 1];
}

int prj_hol_weekday(int y, int m, int d)
{
    /* Sakamoto's method, proleptic Gregorian calendar. */
    static const int offs[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};

    if (m < 3)
        y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + offs[(m - 1) % 12] + d) % 7;
}

int prj_hol_nth_weekday(int y, int m, int wday, int n)
{
    int ndays = prj_hol_days_in_month(y, m);
    int day;

    if (ndays == 0 || wday < 0 || wday > 6 || n == 0 || n < -1 || n > 5)
        return 0;
    if (n == -1) {
        day = ndays - (prj_hol_weekday(y, m, ndays) - wday + 7) % 7;
    } else {
        day = 1 + (wday - prj_hol_weekday(y, m, 1) + 7) % 7 + 7 * (n - 1);
        if (day > ndays)
            return 0;
    }
    return day;
}

/* Moves a date by delta (-1 or +1) days, across month and year boundaries. */
static void prj_hol_shift(prj_holiday_t *h, int delta)
{
    h->d += delta;
    if (h->d < 1) {
        if (--h->m < 1) {
            h->m = 12;
            h->y -= 1;
        }
        h->d = prj_hol_days_in_month(h->y, h->m);
    } else if (h->d > prj_hol_days_in_month(h->y, h->m)) {
        h->d = 1;
        if (++h->m > 12) {
            h->m = 1;
            h->y += 1;
        }
    }
}

size_t prj_hol_year(int year, prj_holiday_t *out, size_t cap)
{
    if (out == NULL || cap < PRJ_HOL_PER_YEAR || year < PRJ_HOL_YEAR_MIN ||
        year > PRJ_HOL_YEAR_MAX)
        return 0;
    for (size_t i = 0; i < PRJ_HOL_PER_YEAR; i++) {
        const prj_hol_rule_t *r = &prj_hol_rules[i];
        prj_holiday_t *h = &out[i];

        h->y = year;
        h->m = r->month;
        h->d = r->day != 0 ? r->day : prj_hol_nth_weekday(year, r->month, r->wday, r->nth);
        h->name = r->name;
        h->type = PRJ_HOL_TYPE_FEDERAL;
        switch (prj_hol_weekday(h->y, h->m, h->d)) {
        case PRJ_HOL_SAT:
            prj_hol_shift(h, -1);
            break;
        case PRJ_HOL_SUN:
            prj_hol_shift(h, +1);
            break;
        default:
            break;
        }
    }
    return PRJ_HOL_PER_YEAR;
}

int prj_hol_cmp(const void *a, const void *b)
{
    const prj_holiday_t *x = a;
    const prj_holiday_t *y = b;
    long kx = (long)x->y * 10000L + x->m * 100L + x->d;
    long ky = (long)y->y * 10000L + y->m * 100L + y->d;

    return (kx > ky) - (kx < ky);
}
