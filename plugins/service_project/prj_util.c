/* prj_util.c — request-text and JSON helpers shared by the Project service handlers. */
#include <stdlib.h>
#include <string.h>

#include "prj_internal.h"

const char *prj_param(const prj_state_t *st, dsm_req_t *req, const char *name)
{
    const char *v = st->api->req_param(req, name);

    return v != NULL ? v : "";
}

int prj_json_text(const prj_state_t *st, dsm_req_t *req, struct json_object *obj,
                  const char *key, const char **out)
{
    struct json_object *v = NULL;
    const char *s;

    *out = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
        return 0;
    if (!json_object_is_type(v, json_type_string))
        return -1;
    s = json_object_get_string(v);
    if (s == NULL || strlen(s) != (size_t)json_object_get_string_len(v))
        return -1; /* embedded NUL: PostgreSQL text cannot hold it */
    *out = s;
    return 1;
}

void prj_check_len(const prj_state_t *st, dsm_req_t *req, const char *field, const char *value,
                   size_t max)
{
    const dsm_api_t *api = st->api;
    struct json_object *input = NULL;
    const char *msg;

    if (value == NULL || prj_utf8_chars(value) <= max)
        return;
    json_object_object_get_ex(api->req_body(req), field, &input);
    msg = api->psprintf(req, "String should have at most %zu characters", max);
    api->v_problem(req, "body", field, "string_too_long",
                   msg != NULL ? msg : "String should have fewer characters", input);
}

void prj_null_problem(const prj_state_t *st, dsm_req_t *req, const char *field)
{
    st->api->v_problem(req, "body", field, "string_type", "Input should be a valid string", NULL);
}

void prj_check_date(const prj_state_t *st, dsm_req_t *req, const char *where, const char *field,
                    const char *value)
{
    const dsm_api_t *api = st->api;
    struct json_object *input = NULL; /* a query value is shown as null */

    if (strcmp(where, "body") == 0)
        json_object_object_get_ex(api->req_body(req), field, &input);
    if (value[0] == '\0')
        api->v_problem(req, where, field, "missing", "Field required", input);
    else if (!api->date_valid(value))
        api->v_problem(req, where, field, "date_from_datetime_parsing",
                       "Input should be a valid date or datetime, day value is outside expected "
                       "range",
                       input);
}

int prj_db_fail(const prj_state_t *st, dsm_req_t *req, int in_tx)
{
    if (in_tx)
        st->api->db_rollback(req, NULL);
    return st->api->reply_db_error(req);
}

struct json_object *prj_jstr(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

struct json_object *prj_jint(const char *s)
{
    return s != NULL ? json_object_new_int64(strtoll(s, NULL, 10)) : NULL;
}

struct json_object *prj_jbool(const char *s)
{
    return s != NULL ? json_object_new_boolean(s[0] == 't') : NULL;
}

struct json_object *prj_team_member(const char *id, const char *name)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "employee_id", prj_jstr(id));
    json_object_object_add(o, "employee_name", prj_jstr(name));
    return o;
}
