/*
 * chr_valid.c — validation of nested request bodies (lists of models, dicts of lists of
 * models) with Pydantic-v2-lax rules and FastAPI's problem shape. The host's api->v_* check
 * direct members of the body; this file goes deeper and keeps the full location
 * (["body", "reports", "2025-09-18", 0, "tasks", 1, "created_at"]).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chr_internal.h"

#define CHR_MAX_DEPTH 40

void chr_vc_init(chr_vc_t *vc, const chr_state_t *st, dsm_req_t *req)
{
    vc->st = st;
    vc->req = req;
    vc->problems = NULL;
}

void chr_vc_free(chr_vc_t *vc)
{
    if (vc->problems != NULL)
        json_object_put(vc->problems);
    vc->problems = NULL;
}

int chr_vc_reply(chr_vc_t *vc)
{
    struct json_object *p = vc->problems;

    if (p == NULL || json_object_array_length(p) == 0)
        return 0;
    vc->problems = NULL;
    vc->st->api->reply_detail(vc->req, 422, p);
    return 1;
}

static struct json_object *path_loc(const chr_path_t *at)
{
    const chr_path_t *chain[CHR_MAX_DEPTH];
    size_t n = 0;
    struct json_object *loc = json_object_new_array();

    json_object_array_add(loc, json_object_new_string("body"));
    for (; at != NULL && n < CHR_MAX_DEPTH; at = at->up)
        chain[n++] = at;
    while (n-- > 0) {
        if (chain[n]->key != NULL)
            json_object_array_add(loc, json_object_new_string(chain[n]->key));
        else
            json_object_array_add(loc, json_object_new_int64((int64_t)chain[n]->idx));
    }
    return loc;
}

void chr_vc_problem(chr_vc_t *vc, const chr_path_t *at, const char *type, const char *msg,
                    struct json_object *input, struct json_object *ctx)
{
    struct json_object *p;

    if (at != NULL && at->up == NULL && at->key != NULL) { /* ["body", field]: the host's list */
        vc->st->api->v_problem(vc->req, "body", at->key, type, msg, input);
        if (ctx != NULL)
            json_object_put(ctx);
        return;
    }
    if (vc->problems == NULL)
        vc->problems = json_object_new_array();
    p = json_object_new_object();
    json_object_object_add(p, "type", json_object_new_string(type));
    json_object_object_add(p, "loc", path_loc(at));
    json_object_object_add(p, "msg", json_object_new_string(msg));
    json_object_object_add(p, "input", json_object_get(input));
    if (ctx != NULL)
        json_object_object_add(p, "ctx", ctx);
    json_object_array_add(vc->problems, p);
}

/* Presence of member key of obj: 1 usable (*v set), 0 absent/null and allowed, -1 recorded.
 * A null that is not allowed is the type's own error (null_type/null_msg), as Pydantic says. */
static int member(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                  unsigned flags, const char *null_type, const char *null_msg,
                  struct json_object **v)
{
    chr_path_t here = {at, key, 0};

    *v = NULL;
    if (!chr_has(obj, key)) {
        if (!(flags & CHR_V_REQ))
            return 0;
        chr_vc_problem(vc, &here, "missing", "Field required", obj, NULL);
        return -1;
    }
    *v = chr_member(obj, key);
    if (*v != NULL)
        return 1;
    if (flags & CHR_V_NULL)
        return 0;
    if (!(flags & CHR_V_REQ) && null_type == NULL)
        return 0;
    chr_vc_problem(vc, &here, null_type, null_msg, NULL, NULL);
    return -1;
}

static struct json_object *max_len_ctx(size_t max)
{
    struct json_object *ctx = json_object_new_object();

    json_object_object_add(ctx, "max_length", json_object_new_int64((int64_t)max));
    return ctx;
}

/* A string value v at here: 1 ok, -1 recorded. */
static int check_str(chr_vc_t *vc, const chr_path_t *here, struct json_object *v, size_t max,
                     const char **out)
{
    const char *s;

    if (!json_object_is_type(v, json_type_string)) {
        chr_vc_problem(vc, here, "string_type", "Input should be a valid string", v, NULL);
        return -1;
    }
    s = json_object_get_string(v);
    if (strlen(s) != (size_t)json_object_get_string_len(v)) {
        chr_vc_problem(vc, here, "string_pattern_mismatch",
                       "String should not contain NUL characters", v, NULL);
        return -1;
    }
    if (chr_utf8_chars(s) > max) {
        const char *msg =
            vc->st->api->psprintf(vc->req, "String should have at most %zu characters", max);

        chr_vc_problem(vc, here, "string_too_long", msg != NULL ? msg : "String too long", v,
                       max_len_ctx(max));
        return -1;
    }
    if (out != NULL)
        *out = s;
    return 1;
}

int chr_vc_str(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
               unsigned flags, size_t max, const char **out)
{
    chr_path_t here = {at, key, 0};
    struct json_object *v;
    int pr = member(vc, at, obj, key, flags, "string_type", "Input should be a valid string", &v);

    if (out != NULL)
        *out = NULL;
    if (pr <= 0)
        return pr;
    return check_str(vc, &here, v, max, out);
}

int chr_vc_item_str(chr_vc_t *vc, const chr_path_t *at, struct json_object *item, size_t i,
                    size_t max, const char **out)
{
    chr_path_t here = {at, NULL, i};

    if (out != NULL)
        *out = NULL;
    if (item == NULL) {
        chr_vc_problem(vc, &here, "string_type", "Input should be a valid string", NULL, NULL);
        return -1;
    }
    return check_str(vc, &here, item, max, out);
}

/* "5", " 5 ", "-5", "5.0", "5." (decimal zeros only), as Pydantic's lax int parsing. */
static int parse_int_text(const char *s, int64_t *out)
{
    char *end;
    long long v;

    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    if (!((*s >= '0' && *s <= '9') || ((*s == '-' || *s == '+') && s[1] >= '0' && s[1] <= '9')))
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (*end == '.') {
        end++;
        while (*end == '0')
            end++;
    }
    while (*end == ' ' || (*end >= '\t' && *end <= '\r'))
        end++;
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int chr_vc_int(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
               unsigned flags, int64_t *out)
{
    chr_path_t here = {at, key, 0};
    struct json_object *v;
    int64_t n = 0;
    int pr = member(vc, at, obj, key, flags, "int_type", "Input should be a valid integer", &v);

    if (pr <= 0)
        return pr;
    switch (json_object_get_type(v)) {
    case json_type_int:
        errno = 0;
        n = json_object_get_int64(v);
        if (n == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX) {
            chr_vc_problem(vc, &here, "int_parsing_size",
                           "Unable to parse input string as an integer, exceeded maximum size", v,
                           NULL);
            return -1;
        }
        break;
    case json_type_double: {
        double d = json_object_get_double(v);

        if (!isfinite(d) || d != floor(d) || fabs(d) > 9.2e18) {
            chr_vc_problem(vc, &here, "int_from_float",
                           "Input should be a valid integer, got a number with a fractional part",
                           v, NULL);
            return -1;
        }
        n = (int64_t)d;
        break;
    }
    case json_type_boolean:
        n = json_object_get_boolean(v) ? 1 : 0;
        break;
    case json_type_string:
        if (parse_int_text(json_object_get_string(v), &n)) {
            chr_vc_problem(vc, &here, "int_parsing",
                           "Input should be a valid integer, unable to parse string as an integer",
                           v, NULL);
            return -1;
        }
        break;
    default:
        chr_vc_problem(vc, &here, "int_type", "Input should be a valid integer", v, NULL);
        return -1;
    }
    if (out != NULL)
        *out = n;
    return 1;
}

int chr_vc_float(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                 unsigned flags, double *out)
{
    chr_path_t here = {at, key, 0};
    struct json_object *v;
    double d = 0;
    int pr = member(vc, at, obj, key, flags, "float_type", "Input should be a valid number", &v);

    if (pr <= 0)
        return pr;
    switch (json_object_get_type(v)) {
    case json_type_int:
    case json_type_double:
        d = json_object_get_double(v);
        break;
    case json_type_boolean:
        d = json_object_get_boolean(v) ? 1.0 : 0.0;
        break;
    case json_type_string: {
        const char *s = json_object_get_string(v);
        char *end;

        errno = 0;
        d = strtod(s, &end);
        while (*end == ' ' || (*end >= '\t' && *end <= '\r'))
            end++;
        if (end == s || *end != '\0' || errno != 0) {
            chr_vc_problem(vc, &here, "float_parsing",
                           "Input should be a valid number, unable to parse string as a number", v,
                           NULL);
            return -1;
        }
        break;
    }
    default:
        chr_vc_problem(vc, &here, "float_type", "Input should be a valid number", v, NULL);
        return -1;
    }
    if (!isfinite(d)) {
        chr_vc_problem(vc, &here, "finite_number", "Input should be a finite number", v, NULL);
        return -1;
    }
    if (out != NULL)
        *out = d;
    return 1;
}

int chr_vc_bool(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                unsigned flags, int *out)
{
    static const char *const yes[] = {"1", "on", "t", "true", "y", "yes"};
    static const char *const no[] = {"0", "off", "f", "false", "n", "no"};
    chr_path_t here = {at, key, 0};
    struct json_object *v;
    int b = -1;
    int pr = member(vc, at, obj, key, flags, "bool_type", "Input should be a valid boolean", &v);

    if (pr <= 0)
        return pr;
    switch (json_object_get_type(v)) {
    case json_type_boolean:
        b = json_object_get_boolean(v) ? 1 : 0;
        break;
    case json_type_int: {
        int64_t i = json_object_get_int64(v);

        b = i == 1 ? 1 : i == 0 ? 0 : -1;
        break;
    }
    case json_type_double: {
        double d = json_object_get_double(v);

        b = d == 1.0 ? 1 : d == 0.0 ? 0 : -1;
        break;
    }
    case json_type_string: {
        const char *s = json_object_get_string(v);

        for (size_t i = 0; i < sizeof(yes) / sizeof(*yes) && b < 0; i++) {
            if (strcasecmp(s, yes[i]) == 0)
                b = 1;
            else if (strcasecmp(s, no[i]) == 0)
                b = 0;
        }
        break;
    }
    default:
        chr_vc_problem(vc, &here, "bool_type", "Input should be a valid boolean", v, NULL);
        return -1;
    }
    if (b < 0) {
        chr_vc_problem(vc, &here, "bool_parsing",
                       "Input should be a valid boolean, unable to interpret input", v, NULL);
        return -1;
    }
    if (out != NULL)
        *out = b;
    return 1;
}

int chr_vc_datetime(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                    unsigned flags, chr_dt_t *out)
{
    chr_path_t here = {at, key, 0};
    struct json_object *v;
    const char *why = NULL;
    int pr =
        member(vc, at, obj, key, flags, "datetime_type", "Input should be a valid datetime", &v);

    if (pr <= 0)
        return pr;
    switch (json_object_get_type(v)) {
    case json_type_int:
    case json_type_double:
        if (chr_dt_from_epoch(json_object_get_double(v), out) == 0)
            return 1;
        chr_vc_problem(vc, &here, "datetime_parsing",
                       "Input should be a valid datetime, dates after 9999 are not supported as "
                       "unix timestamps",
                       v, NULL);
        return -1;
    case json_type_string:
        if (chr_dt_parse(json_object_get_string(v), out, &why) == 0)
            return 1;
        {
            const char *msg =
                vc->st->api->psprintf(vc->req, "Input should be a valid datetime or date, %s", why);

            chr_vc_problem(vc, &here, "datetime_from_date_parsing",
                           msg != NULL ? msg : "Input should be a valid datetime or date", v, NULL);
        }
        return -1;
    default:
        chr_vc_problem(vc, &here, "datetime_type", "Input should be a valid datetime", v, NULL);
        return -1;
    }
}

int chr_vc_list(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                unsigned flags, struct json_object **out)
{
    chr_path_t here = {at, key, 0};
    struct json_object *v;
    int pr = member(vc, at, obj, key, flags, "list_type", "Input should be a valid list", &v);

    *out = NULL;
    if (pr <= 0)
        return pr;
    if (!json_object_is_type(v, json_type_array)) {
        chr_vc_problem(vc, &here, "list_type", "Input should be a valid list", v, NULL);
        return -1;
    }
    *out = v;
    return 1;
}

/* v (not NULL) as a model or dict at here. */
static int check_object(chr_vc_t *vc, const chr_path_t *here, struct json_object *v,
                        const char *model)
{
    if (v != NULL && json_object_is_type(v, json_type_object))
        return 1;
    if (model != NULL) {
        struct json_object *ctx = json_object_new_object();
        const char *msg = vc->st->api->psprintf(
            vc->req, "Input should be a valid dictionary or instance of %s", model);

        json_object_object_add(ctx, "class_name", json_object_new_string(model));
        chr_vc_problem(vc, here, "model_type",
                       msg != NULL ? msg : "Input should be a valid dictionary", v, ctx);
    } else {
        chr_vc_problem(vc, here, "dict_type", "Input should be a valid dictionary", v, NULL);
    }
    return -1;
}

int chr_vc_object(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
                  unsigned flags, const char *model, struct json_object **out)
{
    chr_path_t here = {at, key, 0};
    struct json_object *v;
    int pr;

    *out = NULL;
    if (chr_has(obj, key) && chr_member(obj, key) == NULL && !(flags & CHR_V_NULL))
        return check_object(vc, &here, NULL, model); /* null where an object is required */
    pr = member(vc, at, obj, key, flags, NULL, NULL, &v);
    if (pr <= 0)
        return pr;
    if (check_object(vc, &here, v, model) < 0)
        return -1;
    *out = v;
    return 1;
}

int chr_vc_any(chr_vc_t *vc, const chr_path_t *at, struct json_object *obj, const char *key,
               unsigned flags, struct json_object **out)
{
    return member(vc, at, obj, key, flags | CHR_V_NULL, NULL, NULL, out) < 0 ? -1 : 1;
}

int chr_vc_item_object(chr_vc_t *vc, const chr_path_t *at, struct json_object *item, size_t i,
                       const char *model)
{
    chr_path_t here = {at, NULL, i};

    return check_object(vc, &here, item, model);
}
