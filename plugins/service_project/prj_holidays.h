/*
 * prj_holidays.h — US federal holidays computed by their rules (pure C, no host dependencies).
 *
 * Eleven holidays per year, named as the original's us-holiday.json names them, type "Federal".
 * The date returned is the OBSERVED date, as the original stored it: a holiday falling on a
 * Saturday is observed the Friday before, on a Sunday the Monday after. An observed date can
 * fall in the previous year (1 Jan 2022, a Saturday, is observed on Fri 31 Dec 2021); it stays
 * attributed to the year whose rule produced it, so prj_hol_year(2022) starts with 2021-12-31
 * and prj_hol_year(2021) has no entry for that date: consecutive years never share a date.
 *
 * Rules apply to every year in [PRJ_HOL_YEAR_MIN, PRJ_HOL_YEAR_MAX] regardless of when each
 * holiday was established (Juneteenth dates from 2021, for instance).
 */
#ifndef PRJ_HOLIDAYS_H
#define PRJ_HOLIDAYS_H

#include <stddef.h>

#define PRJ_HOL_PER_YEAR 11
#define PRJ_HOL_YEAR_MIN 1600
#define PRJ_HOL_YEAR_MAX 9999
#define PRJ_HOL_TYPE_FEDERAL "Federal"

typedef struct {
    int y, m, d;      /* observed date (m 1..12, d 1..31) */
    const char *name; /* static string, e.g. "Independence Day" */
    const char *type; /* static string, PRJ_HOL_TYPE_FEDERAL */
} prj_holiday_t;

/* Day of the week of a Gregorian date: 0 = Sunday … 6 = Saturday. */
int prj_hol_weekday(int y, int m, int d);

/* Number of days in month m (1..12) of year y; 0 when m is out of range. */
int prj_hol_days_in_month(int y, int m);

/* Day of the month of the n-th (1..5) weekday wday (0 = Sunday) of month m, or of the last one
 * when n is -1; 0 when no such day exists or an argument is out of range. */
int prj_hol_nth_weekday(int y, int m, int wday, int n);

/* Fills out[0..10] with the holidays of `year`, in date order. Returns PRJ_HOL_PER_YEAR, or 0
 * (nothing written) when year is out of range, out is NULL or cap < PRJ_HOL_PER_YEAR. */
size_t prj_hol_year(int year, prj_holiday_t *out, size_t cap);

/* Orders two holidays by date (qsort-compatible on prj_holiday_t elements). */
int prj_hol_cmp(const void *a, const void *b);

#endif
