/* mem_util.c — request, validation and JSON helpers shared by the agent-memory handlers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem_internal.h"

int mem_ms_since(const mem_state_t *st, int64_t t0_ns)
{
    return (int)((st->api->now_ns() - t0_ns + 500000) / 1000000);
}

int mem_db_fail(mem_state_t *st, dsm_req_t *req, int in_tx)
{
    if (in_tx)
        st->api->db_rollback(req, MEM_DB);
    return st->api->reply_db_error(req);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mem_uuid_norm(const char *s, char out[MEM_UUID_LEN + 1])
{
    size_t len = s != NULL ? strlen(s) : 0, k = 0;
    int dashed = len == 36;

    if (len != 36 && len != 32)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (dashed && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (s[i] != '-')
                return -1;
            continue;
        }
        if (hexval(s[i]) < 0)
            return -1;
        if (k == 8 || k == 13 || k == 18 || k == 23)
            out[k++] = '-';
        out[k++] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 'a' : s[i]);
    }
    out[k] = '\0';
    return k == 36 ? 0 : -1;
}

const char *mem_path_uuid(mem_state_t *st, dsm_req_t *req, const char *name)
{
    const dsm_api_t *api = st->api;
    const char *v = api->req_param(req, name);
    char buf[MEM_UUID_LEN + 1];

    if (v != NULL && mem_uuid_norm(v, buf) == 0)
        return api->pstrdup(req, buf);
    {
        struct json_object *in = json_object_new_string(v != NULL ? v : "");

        api->v_problem(req, "path", name, "uuid_parsing", "Input should be a valid UUID", in);
        json_object_put(in);
    }
    return NULL;
}

size_t mem_utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void mem_check_len(mem_state_t *st, dsm_req_t *req, const char *where, const char *field,
                   const char *value, size_t max)
{
    const dsm_api_t *api = st->api;
    struct json_object *in;
    const char *msg;

    if (value == NULL || mem_utf8_chars(value) <= max)
        return;
    msg = api->psprintf(req, "String should have at most %zu characters", max);
    in = json_object_new_string(value);
    api->v_problem(req, where, field, "string_too_long",
                   msg != NULL ? msg : "String should have fewer characters", in);
    json_object_put(in);
}

void mem_check_range(mem_state_t *st, dsm_req_t *req, const char *where, const char *field,
                     double v, double lo, double hi)
{
    const dsm_api_t *api = st->api;
    struct json_object *in;

    if (v >= lo && v <= hi)
        return;
    in = json_object_new_double(v);
    if (v < lo)
        api->v_problem(req, where, field, "greater_than_equal",
                       api->psprintf(req, "Input should be greater than or equal to %g", lo), in);
    else
        api->v_problem(req, where, field, "less_than_equal",
                       api->psprintf(req, "Input should be less than or equal to %g", hi), in);
    json_object_put(in);
}

/* ---- members of any JSON object ---- */

void mem_f_problem(const mem_obj_t *o, const char *field, const char *type, const char *msg,
                   struct json_object *input)
{
    const dsm_api_t *api = o->st->api;
    const char *name = o->prefix[0] != '\0' ? api->psprintf(o->req, "%s%s", o->prefix, field) : field;

    api->v_problem(o->req, "body", name, type, msg, input);
}

/* The member, or NULL when absent/null; records "missing" when required and absent. */
static struct json_object *member(const mem_obj_t *o, const char *field, int required,
                                  const char *null_type, const char *null_msg)
{
    struct json_object *v = NULL;
    int present = json_object_is_type(o->obj, json_type_object) &&
                  json_object_object_get_ex(o->obj, field, &v);

    if (present && v != NULL)
        return v;
    if (required) {
        if (present)
            mem_f_problem(o, field, null_type, null_msg, NULL);
        else
            mem_f_problem(o, field, "missing", "Field required", o->obj);
    }
    return NULL;
}

int mem_f_str(const mem_obj_t *o, const char *field, int required, size_t maxlen,
              const char **out)
{
    const dsm_api_t *api = o->st->api;
    struct json_object *v = member(o, field, required, "string_type", "Input should be a valid string");
    const char *s;

    *out = NULL;
    if (v == NULL)
        return required ? -1 : 0;
    if (!json_object_is_type(v, json_type_string)) {
        mem_f_problem(o, field, "string_type", "Input should be a valid string", v);
        return -1;
    }
    s = json_object_get_string(v);
    if (strlen(s) != (size_t)json_object_get_string_len(v)) {
        mem_f_problem(o, field, "string_pattern_mismatch", "String should not contain NUL characters", v);
        return -1;
    }
    if (required && s[0] == '\0') {
        mem_f_problem(o, field, "string_too_short", "String should have at least 1 character", v);
        return -1;
    }
    if (maxlen > 0 && mem_utf8_chars(s) > maxlen) {
        mem_f_problem(o, field, "string_too_long",
                      api->psprintf(o->req, "String should have at most %zu characters", maxlen), v);
        return -1;
    }
    *out = api->pstrdup(o->req, s);
    return 1;
}

static int num_of(struct json_object *v, double *d)
{
    json_type t = json_object_get_type(v);

    if (t != json_type_int && t != json_type_double)
        return -1;
    *d = json_object_get_double(v);
    return isfinite(*d) ? 0 : -1;
}

int mem_f_num(const mem_obj_t *o, const char *field, int required, double lo, double hi,
              double *out)
{
    const dsm_api_t *api = o->st->api;
    struct json_object *v = member(o, field, required, "float_type", "Input should be a valid number");
    double d;

    if (v == NULL)
        return required ? -1 : 0;
    if (num_of(v, &d) != 0) {
        mem_f_problem(o, field, "float_type", "Input should be a valid number", v);
        return -1;
    }
    if (d < lo) {
        mem_f_problem(o, field, "greater_than_equal",
                      api->psprintf(o->req, "Input should be greater than or equal to %g", lo), v);
        return -1;
    }
    if (d > hi) {
        mem_f_problem(o, field, "less_than_equal",
                      api->psprintf(o->req, "Input should be less than or equal to %g", hi), v);
        return -1;
    }
    *out = d;
    return 1;
}

int mem_f_int(const mem_obj_t *o, const char *field, int required, int64_t lo, int64_t hi,
              int64_t *out)
{
    const dsm_api_t *api = o->st->api;
    struct json_object *v = member(o, field, required, "int_type", "Input should be a valid integer");
    double d;
    int64_t i;

    if (v == NULL)
        return required ? -1 : 0;
    if (json_object_is_type(v, json_type_int)) {
        i = json_object_get_int64(v);
    } else if (num_of(v, &d) == 0 && d == floor(d) && fabs(d) < 9e18) {
        i = (int64_t)d;
    } else {
        mem_f_problem(o, field, "int_type", "Input should be a valid integer", v);
        return -1;
    }
    if (i < lo) {
        mem_f_problem(o, field, "greater_than_equal",
                      api->psprintf(o->req, "Input should be greater than or equal to %lld",
                                    (long long)lo), v);
        return -1;
    }
    if (i > hi) {
        mem_f_problem(o, field, "less_than_equal",
                      api->psprintf(o->req, "Input should be less than or equal to %lld",
                                    (long long)hi), v);
        return -1;
    }
    *out = i;
    return 1;
}

int mem_f_bool(const mem_obj_t *o, const char *field, int required, int *out)
{
    struct json_object *v = member(o, field, required, "bool_type", "Input should be a valid boolean");

    if (v == NULL)
        return required ? -1 : 0;
    if (!json_object_is_type(v, json_type_boolean)) {
        mem_f_problem(o, field, "bool_type", "Input should be a valid boolean", v);
        return -1;
    }
    *out = json_object_get_boolean(v) ? 1 : 0;
    return 1;
}

int mem_f_json(const mem_obj_t *o, const char *field, int required, int allow_array,
               struct json_object **out)
{
    const char *msg = allow_array ? "Input should be a valid dictionary or list"
                                  : "Input should be a valid dictionary";
    struct json_object *v = member(o, field, required, "dict_type", msg);

    *out = NULL;
    if (v == NULL)
        return required ? -1 : 0;
    if (!json_object_is_type(v, json_type_object) &&
        !(allow_array && json_object_is_type(v, json_type_array))) {
        mem_f_problem(o, field, "dict_type", msg, v);
        return -1;
    }
    *out = v;
    return 1;
}

int mem_f_uuid(const mem_obj_t *o, const char *field, int required, const char **out)
{
    struct json_object *v = member(o, field, required, "uuid_type", "UUID input should be a string");
    char buf[MEM_UUID_LEN + 1];

    *out = NULL;
    if (v == NULL)
        return required ? -1 : 0;
    if (!json_object_is_type(v, json_type_string) ||
        mem_uuid_norm(json_object_get_string(v), buf) != 0) {
        mem_f_problem(o, field, "uuid_parsing", "Input should be a valid UUID", v);
        return -1;
    }
    *out = o->st->api->pstrdup(o->req, buf);
    return 1;
}

int mem_f_uuid_list(const mem_obj_t *o, const char *field, int required, const char **out)
{
    const dsm_api_t *api = o->st->api;
    struct json_object *v = member(o, field, required, "list_type", "Input should be a valid list");
    size_t n, len = 0;
    char *lit;

    *out = NULL;
    if (v == NULL)
        return required ? -1 : 0;
    if (!json_object_is_type(v, json_type_array)) {
        mem_f_problem(o, field, "list_type", "Input should be a valid list", v);
        return -1;
    }
    n = json_object_array_length(v);
    lit = api->palloc(o->req, n * (MEM_UUID_LEN + 1) + 3);
    if (lit == NULL)
        return -1;
    lit[len++] = '{';
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(v, i);
        char buf[MEM_UUID_LEN + 1];

        if (!json_object_is_type(e, json_type_string) ||
            mem_uuid_norm(json_object_get_string(e), buf) != 0) {
            mem_f_problem(o, api->psprintf(o->req, "%s.%zu", field, i), "uuid_parsing",
                          "Input should be a valid UUID", e);
            return -1;
        }
        if (i > 0)
            lit[len++] = ',';
        memcpy(lit + len, buf, MEM_UUID_LEN);
        len += MEM_UUID_LEN;
    }
    lit[len++] = '}';
    lit[len] = '\0';
    *out = lit;
    return 1;
}

int mem_f_embedding(const mem_obj_t *o, const char *field, float *out)
{
    const dsm_api_t *api = o->st->api;
    struct json_object *v = member(o, field, 0, "list_type", "Input should be a valid list");
    size_t n;

    if (v == NULL)
        return 0;
    if (!json_object_is_type(v, json_type_array)) {
        mem_f_problem(o, field, "list_type", "Input should be a valid list", v);
        return -1;
    }
    n = json_object_array_length(v);
    if (n != MEM_DIM) {
        mem_f_problem(o, field, n < MEM_DIM ? "too_short" : "too_long",
                      api->psprintf(o->req, "List should have %s %d items after validation, not %zu",
                                    n < MEM_DIM ? "at least" : "at most", MEM_DIM, n),
                      NULL);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        double d;

        if (num_of(json_object_array_get_idx(v, i), &d) != 0) {
            mem_f_problem(o, api->psprintf(o->req, "%s.%zu", field, i), "float_type",
                          "Input should be a valid number", json_object_array_get_idx(v, i));
            return -1;
        }
        out[i] = (float)d;
    }
    if (mem_vec_normalize(out, MEM_DIM) != 0) {
        mem_f_problem(o, field, "value_error",
                      "Value error, the embedding must have a non-zero finite length", NULL);
        return -1;
    }
    return 1;
}

/* ---- SQL text → JSON ---- */

struct json_object *mem_jstr(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

struct json_object *mem_jint(const char *s)
{
    return s != NULL ? json_object_new_int64(strtoll(s, NULL, 10)) : NULL;
}

struct json_object *mem_jnum(const char *s)
{
    return s != NULL ? json_object_new_double(strtod(s, NULL)) : NULL;
}

struct json_object *mem_jbool(const char *s)
{
    return s != NULL ? json_object_new_boolean(s[0] == 't') : NULL;
}

struct json_object *mem_jjson(const char *s)
{
    return s != NULL ? json_tokener_parse(s) : NULL;
}

struct json_object *mem_jts(mem_state_t *st, dsm_req_t *req, const char *pg_ts)
{
    return mem_jstr(st->api->ts_iso(req, pg_ts));
}

const char *mem_json_text(mem_state_t *st, dsm_req_t *req, struct json_object *v)
{
    if (v == NULL)
        return NULL;
    return st->api->pstrdup(req, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

const char *mem_num_text(mem_state_t *st, dsm_req_t *req, double v)
{
    return st->api->psprintf(req, "%.17g", v);
}

struct json_object *mem_jfloat(float f)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%.9g", (double)f);
    return json_object_new_double_s((double)f, buf);
}
