/* chr_logic.c — pure helpers of the Chronicle service (see chr_logic.h). */
#include "chr_logic.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t chr_utf8_chars(const char *s)
{
    size_t n = 0;

    for (; s != NULL && *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* ------------------------------------------------------------------ datetimes */

static int digits(const char *p, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return md[m - 1] + (m == 2 && is_leap(y));
}

/* "YYYY-MM-DD" at s: 0 or -1 with *why. */
static int parse_date_part(const char *s, chr_dt_t *o, const char **why)
{
    if (strlen(s) < 10) {
        *why = "input is too short";
        return -1;
    }
    if (digits(s, 4, &o->y)) {
        *why = "invalid character in year";
        return -1;
    }
    if (s[4] != '-' || s[7] != '-') {
        *why = "invalid date separator, expected `-`";
        return -1;
    }
    if (digits(s + 5, 2, &o->mo)) {
        *why = "invalid character in month";
        return -1;
    }
    if (digits(s + 8, 2, &o->d)) {
        *why = "invalid character in day";
        return -1;
    }
    if (o->mo < 1 || o->mo > 12) {
        *why = "month value is outside expected range of 1-12";
        return -1;
    }
    if (o->y < 1 || o->d < 1 || o->d > month_days(o->y, o->mo)) {
        *why = "day value is outside expected range";
        return -1;
    }
    return 0;
}

/* "Z" | "±HH[:MM]" | "±HHMM" at p (not empty). */
static int parse_offset(const char *p, chr_dt_t *o)
{
    int sign, oh, om = 0;

    if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0') {
        o->has_tz = 1;
        o->off_min = 0;
        return 0;
    }
    if (p[0] != '+' && p[0] != '-')
        return -1;
    sign = p[0] == '-' ? -1 : 1;
    if (digits(p + 1, 2, &oh))
        return -1;
    p += 3;
    if (*p == ':')
        p++;
    if (*p != '\0') {
        if (digits(p, 2, &om) || p[2] != '\0')
            return -1;
    }
    if (oh > 23 || om > 59)
        return -1;
    o->has_tz = 1;
    o->off_min = sign * (oh * 60 + om);
    return 0;
}

int chr_dt_parse(const char *s, chr_dt_t *out, const char **why)
{
    chr_dt_t o;
    const char *p;
    const char *dummy;

    if (why == NULL)
        why = &dummy;
    memset(&o, 0, sizeof(o));
    if (s == NULL || parse_date_part(s, &o, why))
        return -1;
    p = s + 10;
    if (*p != '\0') {
        if (*p != 'T' && *p != 't' && *p != ' ') {
            *why = "unexpected extra characters at the end of the input";
            return -1;
        }
        p++;
        if (digits(p, 2, &o.h) || p[2] != ':' || digits(p + 3, 2, &o.mi)) {
            *why = "invalid character in hour";
            return -1;
        }
        p += 5;
        if (*p == ':') {
            if (digits(p + 1, 2, &o.s)) {
                *why = "invalid character in second";
                return -1;
            }
            p += 3;
            if (*p == '.' || *p == ',') {
                int nd = 0, scale = 100000;

                p++;
                while (*p >= '0' && *p <= '9') {
                    if (++nd > 6) {
                        *why = "second fraction value is more than 6 digits long";
                        return -1;
                    }
                    o.us += (*p - '0') * scale;
                    scale /= 10;
                    p++;
                }
                if (nd == 0) {
                    *why = "second fraction must contain at least one digit";
                    return -1;
                }
            }
        }
        if (o.h > 23 || o.mi > 59 || o.s > 59) {
            *why = "time value is outside expected range";
            return -1;
        }
        if (*p != '\0' && parse_offset(p, &o)) {
            *why = "invalid timezone sign";
            return -1;
        }
    }
    *out = o;
    return 0;
}

long chr_days_from_civil(int y, int m, int d)
{
    long yy = y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    long era, doe, yoe, doy, mp;

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

/* Seconds since the epoch of the wall-clock fields (offset ignored). */
static long long wall_seconds(const chr_dt_t *dt)
{
    return chr_days_from_civil(dt->y, dt->mo, dt->d) * 86400LL + dt->h * 3600LL + dt->mi * 60LL +
           dt->s;
}

static void from_wall_seconds(long long t, chr_dt_t *dt)
{
    long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    long long rem = t - days * 86400;

    civil_from_days((long)days, &dt->y, &dt->mo, &dt->d);
    dt->h = (int)(rem / 3600);
    dt->mi = (int)(rem % 3600 / 60);
    dt->s = (int)(rem % 60);
}

int chr_dt_from_epoch(double v, chr_dt_t *out)
{
    double secs = fabs(v) > 2e10 ? v / 1000.0 : v;
    double whole = floor(secs);
    long long t = (long long)whole;
    chr_dt_t o;

    if (!isfinite(secs) || secs < -62135596800.0 || secs >= 253402300800.0)
        return -1;
    memset(&o, 0, sizeof(o));
    from_wall_seconds(t, &o);
    o.us = (int)llround((secs - whole) * 1e6);
    if (o.us >= 1000000) { /* rounding up into the next second */
        from_wall_seconds(t + 1, &o);
        o.us = 0;
    }
    o.has_tz = 1;
    o.off_min = 0;
    *out = o;
    return 0;
}

size_t chr_dt_iso(const chr_dt_t *dt, int zulu, char *out, size_t n)
{
    char frac[16] = "", tz[16] = "";
    int len;

    if (dt->us != 0)
        snprintf(frac, sizeof(frac), ".%06d", dt->us);
    if (dt->has_tz) {
        int a = dt->off_min < 0 ? -dt->off_min : dt->off_min;

        if (zulu && a == 0)
            snprintf(tz, sizeof(tz), "Z");
        else
            snprintf(tz, sizeof(tz), "%c%02d:%02d", dt->off_min < 0 ? '-' : '+', a / 60, a % 60);
    }
    len = snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", dt->y, dt->mo, dt->d, dt->h, dt->mi,
                   dt->s, frac, tz);
    return len < 0 ? 0 : (size_t)len;
}

void chr_dt_to_utc(const chr_dt_t *in, chr_dt_t *out)
{
    chr_dt_t o = *in;

    if (in->has_tz)
        from_wall_seconds(wall_seconds(in) - in->off_min * 60LL, &o);
    o.has_tz = 0;
    o.off_min = 0;
    *out = o;
}

void chr_dt_add_days(const chr_dt_t *in, long days, chr_dt_t *out)
{
    chr_dt_t o = *in;

    from_wall_seconds(wall_seconds(in) + days * 86400LL, &o);
    *out = o;
}

int chr_dt_cmp(const chr_dt_t *a, const chr_dt_t *b)
{
    long long ta = wall_seconds(a), tb = wall_seconds(b);

    if (ta != tb)
        return ta < tb ? -1 : 1;
    if (a->us != b->us)
        return a->us < b->us ? -1 : 1;
    return 0;
}

/* ------------------------------------------------------------------ numbers */

double chr_round(double x, int ndigits)
{
    char buf[512];

    if (!isfinite(x))
        return x;
    snprintf(buf, sizeof(buf), "%.*f", ndigits, x);
    return strtod(buf, NULL);
}

size_t chr_py_float(double x, char *out, size_t n)
{
    char sci[64], mant[32], res[400];
    int prec, exp10, nd = 0, len;
    char *e;

    if (isnan(x))
        return (size_t)snprintf(out, n, "nan");
    if (isinf(x))
        return (size_t)snprintf(out, n, "%s", x < 0 ? "-inf" : "inf");
    if (x == 0)
        return (size_t)snprintf(out, n, "%s", signbit(x) ? "-0.0" : "0.0");
    for (prec = 0; prec < 17; prec++) {
        snprintf(sci, sizeof(sci), "%.*e", prec, x);
        if (strtod(sci, NULL) == x)
            break;
    }
    /* sci = [-]d[.ddd]e±XX → mantissa digits and decimal exponent */
    e = strchr(sci, 'e');
    exp10 = atoi(e + 1);
    for (const char *p = sci; p < e; p++) {
        if (*p >= '0' && *p <= '9')
            mant[nd++] = *p;
    }
    while (nd > 1 && mant[nd - 1] == '0')
        nd--;
    mant[nd] = '\0';
    len = 0;
    if (x < 0)
        res[len++] = '-';
    if (exp10 >= -4 && exp10 < 16) {
        if (exp10 < 0) {
            len += snprintf(res + len, sizeof(res) - (size_t)len, "0.");
            for (int i = -1; i > exp10; i--)
                res[len++] = '0';
            len += snprintf(res + len, sizeof(res) - (size_t)len, "%s", mant);
        } else {
            for (int i = 0; i <= exp10; i++)
                res[len++] = i < nd ? mant[i] : '0';
            res[len++] = '.';
            if (nd > exp10 + 1)
                len += snprintf(res + len, sizeof(res) - (size_t)len, "%s", mant + exp10 + 1);
            else
                res[len++] = '0';
            res[len] = '\0';
        }
    } else {
        res[len++] = mant[0];
        if (nd > 1) {
            res[len++] = '.';
            len += snprintf(res + len, sizeof(res) - (size_t)len, "%s", mant + 1);
        }
        len += snprintf(res + len, sizeof(res) - (size_t)len, "e%c%02d", exp10 < 0 ? '-' : '+',
                        exp10 < 0 ? -exp10 : exp10);
    }
    res[len] = '\0';
    return (size_t)snprintf(out, n, "%s", res);
}

/* ------------------------------------------------------------------ analytics rules */

static int is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Appends c to out (bounded); counts every byte. */
static void put(char *out, size_t n, size_t *len, char c)
{
    if (*len + 1 < n)
        out[*len] = c;
    (*len)++;
}

static size_t finish(char *out, size_t n, size_t len)
{
    if (n > 0)
        out[len < n ? len : n - 1] = '\0';
    return len;
}

size_t chr_imp_norm(const char *s, char *out, size_t n)
{
    size_t a = 0, b, len = 0;

    if (s == NULL)
        return finish(out, n, 0);
    b = strlen(s);
    while (a < b && is_space((unsigned char)s[a]))
        a++;
    while (b > a && (is_space((unsigned char)s[b - 1]) || s[b - 1] == '.'))
        b--;
    for (size_t i = a; i < b; i++)
        put(out, n, &len, lower(s[i]));
    return finish(out, n, len);
}

/* Texts that mean "no impediment" once normalised (chr_imp_norm): what the Sprint Service
 * ("None."), the daily-scrum job ("None reported.") and the orchestrator ("N/A") write. */
static const char *const chr_no_imp[] = {
    "",
    "none",
    "none reported",
    "no impediments",
    "no impediment",
    "no blockers",
    "n/a",
    "na",
    "nil",
    "nothing",
    "-",
};

int chr_no_impediment(const char *s)
{
    char buf[64];

    if (s == NULL)
        return 1;
    if (chr_imp_norm(s, buf, sizeof(buf)) >= sizeof(buf))
        return 0;
    for (size_t i = 0; i < sizeof(chr_no_imp) / sizeof(*chr_no_imp); i++) {
        if (strcmp(buf, chr_no_imp[i]) == 0)
            return 1;
    }
    return 0;
}

const char *chr_no_impediment_array(void)
{
    return "{\"\",\"none\",\"none reported\",\"no impediments\",\"no impediment\","
           "\"no blockers\",\"n/a\",\"na\",\"nil\",\"nothing\",\"-\"}";
}

size_t chr_match_key(const char *s, char *out, size_t n)
{
    size_t len = 0;
    int pending_space = 0, in_digits = 0;

    for (; s != NULL && *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (is_space(c)) {
            pending_space = len > 0;
            in_digits = 0;
            continue;
        }
        if (pending_space) {
            put(out, n, &len, ' ');
            pending_space = 0;
        }
        if (c >= '0' && c <= '9') {
            if (!in_digits)
                put(out, n, &len, '#');
            in_digits = 1;
            continue;
        }
        in_digits = 0;
        put(out, n, &len, lower((char)c));
    }
    while (len > 0 && len < n && (out[len - 1] == '.' || out[len - 1] == ' '))
        len--; /* trailing dots (and the spaces between them) */
    return finish(out, n, len);
}

double chr_similarity(size_t imp_inter, size_t imp_union, size_t act_inter, size_t act_union)
{
    double score = 0, weight = 0;

    if (imp_union > 0) {
        score += 0.4 * (double)imp_inter / (double)imp_union;
        weight += 0.4;
    }
    if (act_union > 0) {
        score += 0.6 * (double)act_inter / (double)act_union;
        weight += 0.6;
    }
    return weight > 0 ? score / weight : 0.0;
}

int64_t chr_optimal_task_count(const int64_t *totals, const double *rates, size_t n)
{
    int64_t best = 0;
    double best_mean = -1;

    for (size_t i = 0; i < n; i++) {
        double sum = 0;
        size_t cnt = 0;
        int seen = 0;

        if (totals[i] <= 0)
            continue;
        for (size_t j = 0; j < i && !seen; j++) /* each distinct count once */
            seen = totals[j] == totals[i];
        if (seen)
            continue;
        for (size_t j = i; j < n; j++) {
            if (totals[j] == totals[i]) {
                sum += rates[j];
                cnt++;
            }
        }
        sum /= (double)cnt;
        if (sum > best_mean || (sum == best_mean && totals[i] > best)) {
            best_mean = sum;
            best = totals[i];
        }
    }
    return best;
}

const char *chr_health(int64_t open_items, int64_t total_items)
{
    if (total_items <= 0 || (double)open_items < (double)total_items * 0.2)
        return "Good";
    return "Needs Attention";
}

int chr_intel_source(const char *src)
{
    char buf[64];

    if (src == NULL || chr_imp_norm(src, buf, sizeof(buf)) >= sizeof(buf))
        return 0;
    return strstr(buf, "enhanced") != NULL || strstr(buf, "hybrid") != NULL ||
           strcmp(buf, "intelligence") == 0 || strcmp(buf, "learning") == 0;
}

double chr_improvement_pct(double intel, size_t n_intel, double rule, size_t n_rule)
{
    if (n_intel == 0 || n_rule == 0 || !(rule > 0))
        return 0.0;
    return chr_round((intel - rule) / rule * 100.0, 2);
}
