/* orc_cron_logic.c — cron parsing and next-due computation on wall-clock times (see .h). */
#include "orc_cron_logic.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int lo, hi;
} cron_fields[5] = {
    {"minute", 0, 59}, {"hour", 0, 23}, {"day-of-month", 1, 31}, {"month", 1, 12},
    {"day-of-week", 0, 7},
};

/* A non-negative decimal number of at most 4 digits at *p; advances *p. -1 if none. */
static int cron_num(const char **p)
{
    int v = 0, n = 0;

    while (isdigit((unsigned char)**p) && n < 5) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n == 0 || n > 4 ? -1 : v;
}

/* One field (text [s, e)) into bits; *star = the field is "*" or "*\/1". */
static int cron_field(const char *s, const char *e, int f, uint64_t *bits, int *star, char *err,
                      size_t errlen)
{
    int lo = cron_fields[f].lo, hi = cron_fields[f].hi, first = 1;

    *bits = 0;
    *star = 0;
    if (s == e)
        goto bad;
    while (s < e) {
        const char *p = s, *comma = memchr(s, ',', (size_t)(e - s));
        const char *end = comma ? comma : e;
        int a, b, step = 1, any = 0;

        if (*p == '*') {
            a = lo;
            b = hi;
            any = 1;
            p++;
        } else {
            if ((a = cron_num(&p)) < 0)
                goto bad;
            b = a;
            if (p < end && *p == '-') {
                p++;
                if ((b = cron_num(&p)) < 0)
                    goto bad;
            }
        }
        if (p < end && *p == '/') {
            p++;
            if ((step = cron_num(&p)) <= 0)
                goto bad;
            if (!any && b == a)
                b = hi; /* "5/15" = 5-hi/15, as Vixie cron */
        }
        if (p != end)
            goto bad;
        if (a < lo || a > hi || b < lo || b > hi) {
            snprintf(err, errlen, "field %d (%s): value out of range %d-%d", f + 1,
                     cron_fields[f].name, lo, hi);
            return -1;
        }
        if (a > b) {
            snprintf(err, errlen, "field %d (%s): range %d-%d is reversed", f + 1,
                     cron_fields[f].name, a, b);
            return -1;
        }
        if (any && step == 1 && first)
            *star = 1; /* Vixie cron: a field starting with "*" is unrestricted */
        first = 0;
        for (int v = a; v <= b; v += step)
            *bits |= (uint64_t)1 << (f == 4 && v == 7 ? 0 : v);
        s = comma ? comma + 1 : e;
        if (comma && s == e)
            goto bad;
    }
    return 0;
bad:
    snprintf(err, errlen, "field %d (%s): cannot parse", f + 1, cron_fields[f].name);
    return -1;
}

int orc_cron_parse(const char *expr, orc_cron_t *out, char *err, size_t errlen)
{
    const char *p = expr;
    int f = 0;

    if (errlen > 0)
        err[0] = '\0';
    memset(out, 0, sizeof(*out));
    if (expr == NULL) {
        snprintf(err, errlen, "empty expression");
        return -1;
    }
    for (;;) {
        const char *s, *e;
        uint64_t bits;
        int star;

        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        if (f == 5) {
            snprintf(err, errlen, "more than 5 fields");
            return -1;
        }
        s = p;
        while (*p != '\0' && *p != ' ' && *p != '\t')
            p++;
        e = p;
        if (cron_field(s, e, f, &bits, &star, err, errlen) < 0)
            return -1;
        switch (f) {
        case 0: out->minutes = bits; break;
        case 1: out->hours = (uint32_t)bits; break;
        case 2: out->mdays = (uint32_t)bits; out->mday_star = star; break;
        case 3: out->months = (uint16_t)bits; break;
        default: out->wdays = (uint8_t)bits; out->wday_star = star; break;
        }
        f++;
    }
    if (f != 5) {
        snprintf(err, errlen, "expected 5 fields (minute hour day-of-month month day-of-week), got %d", f);
        return -1;
    }
    return 0;
}

int64_t orc_days_from_civil(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

void orc_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int orc_weekday(int y, int m, int d)
{
    int64_t z = orc_days_from_civil(y, m, d); /* 1970-01-01 was a Thursday (4) */
    int64_t w = (z + 4) % 7;

    return (int)(w < 0 ? w + 7 : w);
}

int orc_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 ? 28 + leap : dim[m - 1];
}

static int cron_day_ok(const orc_cron_t *c, int y, int m, int d)
{
    int dom = (c->mdays >> d) & 1, dow = (c->wdays >> orc_weekday(y, m, d)) & 1;

    if (!((c->months >> m) & 1))
        return 0;
    if (c->mday_star && c->wday_star)
        return 1;
    if (c->mday_star)
        return dow;
    if (c->wday_star)
        return dom;
    return dom || dow;
}

int orc_cron_matches(const orc_cron_t *c, const orc_wall_t *t)
{
    return cron_day_ok(c, t->year, t->month, t->day) && ((c->hours >> t->hour) & 1) &&
           ((c->minutes >> t->minute) & 1);
}

int orc_cron_next(const orc_cron_t *c, const orc_wall_t *after, orc_wall_t *out)
{
    int64_t day = orc_days_from_civil(after->year, after->month, after->day);
    int h0 = after->hour, m0 = after->minute + 1; /* strictly after: the next whole minute */

    for (int i = 0; i < 366 * 8 + 2; i++, day++, h0 = 0, m0 = 0) {
        int y, mo, d;

        orc_civil_from_days(day, &y, &mo, &d);
        if (!cron_day_ok(c, y, mo, d))
            continue;
        for (int h = h0; h < 24; h++) {
            if (!((c->hours >> h) & 1))
                continue;
            for (int mi = h == h0 ? m0 : 0; mi < 60; mi++) {
                if ((c->minutes >> mi) & 1) {
                    *out = (orc_wall_t){y, mo, d, h, mi, 0};
                    return 0;
                }
            }
        }
    }
    return -1;
}

int orc_wall_parse(const char *s, orc_wall_t *out)
{
    int y, mo, d, h, mi, sec = 0, n = 0;
    char sep;

    if (s == NULL || sscanf(s, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &n) != 6 ||
        (sep != ' ' && sep != 'T'))
        return -1;
    if (s[n] == ':') {
        int k = 0;

        if (sscanf(s + n + 1, "%2d%n", &sec, &k) != 1)
            return -1;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > orc_days_in_month(y, mo) || h < 0 || h > 23 || mi < 0 ||
        mi > 59 || sec < 0 || sec > 60)
        return -1;
    *out = (orc_wall_t){y, mo, d, h, mi, sec > 59 ? 59 : sec};
    return 0;
}

void orc_wall_format(const orc_wall_t *t, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d", t->year, t->month, t->day, t->hour,
             t->minute, t->second);
}

int64_t orc_wall_seconds(const orc_wall_t *t)
{
    return orc_days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 +
           t->minute * 60 + t->second;
}

int orc_cron_catchup(const orc_cron_t *c, const orc_wall_t *due, const orc_wall_t *now,
                     long catchup_s, orc_wall_t *last, orc_wall_t *next, long *missed)
{
    orc_wall_t cur = *due, nx;
    int64_t tnow = orc_wall_seconds(now);
    long n = 1;

    cur.second = 0;
    /* walk the due times up to now; bounded (a minutely schedule missed for months is fine) */
    for (;;) {
        if (orc_cron_next(c, &cur, &nx) < 0)
            return -1;
        if (orc_wall_seconds(&nx) > tnow)
            break;
        cur = nx;
        if (++n > 1000000)
            return -1;
    }
    *last = cur;
    *next = nx;
    if (tnow - orc_wall_seconds(&cur) <= catchup_s) {
        *missed = n - 1;
        return 1;
    }
    *missed = n;
    return 0;
}
