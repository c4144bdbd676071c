/*
 * dsm_validate.c — Pydantic-v2-lax field validation for plugins (api->v_*). Each call records
 * a FastAPI-compatible problem on failure; api->v_failed() sends them all as one 422.
 */
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"

typedef struct {
    json_object *value; /* borrowed from the body, or an arena-deferred string for query/path */
    bool present;
} dsm_field_t;

static void put_json(void *p)
{
    json_object_put(p);
}

static const char *lookup_text(dsm_req_t *r, const char *where, const char *field)
{
    if (!strcmp(where, "query")) {
        for (size_t i = 0; i < r->nquery; i++) {
            if (!strcmp(r->query[i].key, field))
                return r->query[i].value;
        }
    } else if (!strcmp(where, "path")) {
        for (size_t i = 0; i < r->match.nparams; i++) {
            if (!strcmp(r->match.names[i], field))
                return r->match.values[i];
        }
    }
    return NULL;
}

static dsm_field_t field_get(dsm_req_t *r, const char *where, const char *field)
{
    dsm_field_t f = {0};
    if (!strcmp(where, "body")) {
        if (r->json && json_object_is_type(r->json, json_type_object) &&
            json_object_object_get_ex(r->json, field, &f.value))
            f.present = true; /* f.value is NULL for JSON null */
        return f;
    }
    const char *t = lookup_text(r, where, field);
    if (t) {
        f.value = json_object_new_string(t);
        dsm_arena_defer(r->arena, put_json, f.value);
        f.present = true;
    }
    return f;
}

/* Absent: "missing" when required. JSON null: the type's own error (Pydantic: a required
 * field given null fails its type check with input null), or simply absent when optional.
 * Returns 1 when the value is usable, 0 when absent/null and allowed, -1 when recorded. */
static int field_present(dsm_req_t *r, const char *where, const char *field, unsigned flags,
                         dsm_field_t *f, const char *type, const char *msg)
{
    *f = field_get(r, where, field);
    if (f->present && f->value)
        return 1;
    if (!(flags & DSM_V_REQUIRED))
        return 0;
    if (f->present)
        dsm_problem_add(r, where, field, type, msg, NULL);
    else
        dsm_problem_add(r, where, field, "missing", "Field required",
                        !strcmp(where, "body") ? r->json : NULL);
    return -1;
}

int dsm_v_str(dsm_req_t *r, const char *where, const char *field, unsigned flags, const char **out)
{
    dsm_field_t f;
    int pr = field_present(r, where, field, flags, &f, "string_type",
                           "Input should be a valid string");
    if (pr <= 0)
        return pr;
    if (!json_object_is_type(f.value, json_type_string)) {
        dsm_problem_add(r, where, field, "string_type", "Input should be a valid string", f.value);
        return -1;
    }
    const char *s = json_object_get_string(f.value);
    size_t n = (size_t)json_object_get_string_len(f.value);
    if (strlen(s) != n) {
        dsm_problem_add(r, where, field, "string_pattern_mismatch",
                        "String should not contain NUL characters", f.value);
        return -1;
    }
    if ((flags & DSM_V_NONEMPTY) && n == 0) {
        dsm_problem_add(r, where, field, "string_too_short",
                        "String should have at least 1 character", f.value);
        return -1;
    }
    if (out)
        *out = dsm_arena_strndup(r->arena, s, n);
    return 1;
}

static bool parse_i64(const char *s, int64_t *out)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!*s || !(isdigit((unsigned char)*s) || ((*s == '-' || *s == '+') && isdigit((unsigned char)s[1]))))
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end == '.') { /* "5.0", "5.": decimal zeros only (pydantic strip_decimal_zeros) */
        end++;
        while (*end == '0')
            end++;
    }
    while (isspace((unsigned char)*end))
        end++;
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

int dsm_v_int(dsm_req_t *r, const char *where, const char *field, unsigned flags, int64_t *out)
{
    dsm_field_t f;
    int64_t v = 0;
    int pr = field_present(r, where, field, flags, &f, "int_type", "Input should be a valid integer");
    if (pr <= 0)
        return pr;
    switch (json_object_get_type(f.value)) {
    case json_type_int:
        errno = 0;
        v = json_object_get_int64(f.value);
        if (errno == EINVAL || (v == INT64_MAX && json_object_get_uint64(f.value) > INT64_MAX)) {
            dsm_problem_add(r, where, field, "int_parsing_size",
                            "Unable to parse input string as an integer, exceeded maximum size",
                            f.value);
            return -1;
        }
        break;
    case json_type_double: {
        double d = json_object_get_double(f.value);
        if (!isfinite(d) || d != floor(d) || fabs(d) > 9.2e18) {
            dsm_problem_add(r, where, field, "int_from_float",
                            "Input should be a valid integer, got a number with a fractional part",
                            f.value);
            return -1;
        }
        v = (int64_t)d;
        break;
    }
    case json_type_boolean: /* pydantic lax mode: true → 1, false → 0 */
        v = json_object_get_boolean(f.value) ? 1 : 0;
        break;
    case json_type_string:
        if (!parse_i64(json_object_get_string(f.value), &v)) {
            dsm_problem_add(r, where, field, "int_parsing",
                            "Input should be a valid integer, unable to parse string as an integer",
                            f.value);
            return -1;
        }
        break;
    default:
        dsm_problem_add(r, where, field, "int_type", "Input should be a valid integer", f.value);
        return -1;
    }
    if (out)
        *out = v;
    return 1;
}

int dsm_v_float(dsm_req_t *r, const char *where, const char *field, unsigned flags, double *out)
{
    dsm_field_t f;
    double v = 0;
    int pr = field_present(r, where, field, flags, &f, "float_type", "Input should be a valid number");
    if (pr <= 0)
        return pr;
    switch (json_object_get_type(f.value)) {
    case json_type_int:
    case json_type_double:
        v = json_object_get_double(f.value);
        break;
    case json_type_string: {
        const char *s = json_object_get_string(f.value);
        char *end;
        errno = 0;
        v = strtod(s, &end);
        while (isspace((unsigned char)*end))
            end++;
        if (end == s || *end || errno || !isfinite(v)) {
            dsm_problem_add(r, where, field, "float_parsing",
                            "Input should be a valid number, unable to parse string as a number",
                            f.value);
            return -1;
        }
        break;
    }
    default:
        dsm_problem_add(r, where, field, "float_type", "Input should be a valid number", f.value);
        return -1;
    }
    if (out)
        *out = v;
    return 1;
}

int dsm_v_bool(dsm_req_t *r, const char *where, const char *field, unsigned flags, int *out)
{
    static const char *const yes[] = {"1", "on", "t", "true", "y", "yes"};
    static const char *const no[] = {"0", "off", "f", "false", "n", "no"};
    dsm_field_t f;
    int v = -1;
    int pr = field_present(r, where, field, flags, &f, "bool_type", "Input should be a valid boolean");
    if (pr <= 0)
        return pr;
    switch (json_object_get_type(f.value)) {
    case json_type_boolean:
        v = json_object_get_boolean(f.value) ? 1 : 0;
        break;
    case json_type_int: {
        int64_t i = json_object_get_int64(f.value);
        v = i == 1 ? 1 : i == 0 ? 0 : -1;
        break;
    }
    case json_type_string: {
        const char *s = json_object_get_string(f.value);
        for (size_t i = 0; i < sizeof(yes) / sizeof(*yes) && v < 0; i++) {
            if (!strcasecmp(s, yes[i]))
                v = 1;
            else if (!strcasecmp(s, no[i]))
                v = 0;
        }
        break;
    }
    default:
        dsm_problem_add(r, where, field, "bool_type", "Input should be a valid boolean", f.value);
        return -1;
    }
    if (v < 0) {
        dsm_problem_add(r, where, field, "bool_parsing",
                        "Input should be a valid boolean, unable to interpret input", f.value);
        return -1;
    }
    if (out)
        *out = v;
    return 1;
}

int dsm_date_valid(const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    }
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    int md = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= md;
}

/* "HH:MM[:SS[.ffffff]]" + optional "Z" / "±HH[:MM]"; sets *zero when the time is midnight. */
static bool two_digits(const char *p, int *out)
{
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
        return false;
    *out = (p[0] - '0') * 10 + (p[1] - '0');
    return true;
}

static bool time_part_valid(const char *t, bool *zero)
{
    int h, mi, sec = 0;
    if (!two_digits(t, &h) || t[2] != ':' || !two_digits(t + 3, &mi))
        return false;
    const char *p = t + 5;
    if (*p == ':') {
        if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
            return false;
        sec = (p[1] - '0') * 10 + (p[2] - '0');
        p += 3;
    }
    bool frac_zero = true;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            frac_zero &= *p++ == '0';
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om = 0;
        if (!two_digits(p + 1, &oh))
            return false;
        p += 3;
        if (*p == ':')
            p++;
        if (isdigit((unsigned char)*p)) {
            if (!two_digits(p, &om))
                return false;
            p += 2;
        }
        if (oh > 23 || om > 59)
            return false;
    }
    if (*p || h > 23 || mi > 59 || sec > 59)
        return false;
    *zero = h == 0 && mi == 0 && sec == 0 && frac_zero;
    return true;
}

/* speedate's wording for a malformed or impossible YYYY-MM-DD. */
static const char *date_problem(const char *d)
{
    for (int i = 0; i < 4; i++) {
        if (!isdigit((unsigned char)d[i]))
            return "invalid character in year";
    }
    if (d[4] != '-')
        return "invalid date separator, expected `-`";
    if (!isdigit((unsigned char)d[5]) || !isdigit((unsigned char)d[6]))
        return "invalid character in month";
    if (d[7] != '-')
        return "invalid date separator, expected `-`";
    if (!isdigit((unsigned char)d[8]) || !isdigit((unsigned char)d[9]))
        return "invalid character in day";
    int m = (d[5] - '0') * 10 + (d[6] - '0');
    if (m < 1 || m > 12)
        return "month value is outside expected range of 1-12";
    return "day value is outside expected range";
}

int dsm_v_date(dsm_req_t *r, const char *where, const char *field, unsigned flags, char out[11])
{
    dsm_field_t f;
    int pr = field_present(r, where, field, flags, &f, "date_type", "Input should be a valid date");
    if (pr <= 0)
        return pr;
    if (!json_object_is_type(f.value, json_type_string)) {
        dsm_problem_add(r, where, field, "date_type", "Input should be a valid date", f.value);
        return -1;
    }
    const char *s = json_object_get_string(f.value);
    char d[11];
    size_t n = strlen(s);
    snprintf(d, sizeof(d), "%.10s", s);
    if (n < 10 || !dsm_date_valid(d)) {
        char msg[128];
        snprintf(msg, sizeof(msg), "Input should be a valid date or datetime, %s",
                 n < 10 ? "input is too short" : date_problem(d));
        dsm_problem_add(r, where, field, "date_from_datetime_parsing", msg, f.value);
        return -1;
    }
    if (n > 10) {
        bool zero = false;
        if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !time_part_valid(s + 11, &zero)) {
            dsm_problem_add(r, where, field, "date_from_datetime_parsing",
                            "Input should be a valid date or datetime, unexpected extra characters "
                            "at the end of the input",
                            f.value);
            return -1;
        }
        if (!zero && !(flags & DSM_V_DATETIME_OK)) {
            dsm_problem_add(r, where, field, "date_from_datetime_inexact",
                            "Datetimes provided to dates should have zero time - e.g. be exact "
                            "dates",
                            f.value);
            return -1;
        }
    }
    if (out)
        memcpy(out, d, 11);
    return 1;
}
