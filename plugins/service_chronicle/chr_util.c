/* chr_util.c — request and JSON helpers shared by the Chronicle service handlers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chr_internal.h"

int chr_db_fail(const chr_state_t *st, dsm_req_t *req, int in_tx)
{
    if (in_tx)
        st->api->db_rollback(req, NULL);
    return st->api->reply_db_error(req);
}

const char *chr_filter(const chr_state_t *st, dsm_req_t *req, const char *name)
{
    const char *v = st->api->req_query(req, name);

    return v != NULL && v[0] != '\0' ? v : NULL;
}

const char *chr_param(const chr_state_t *st, dsm_req_t *req, const char *name)
{
    const char *v = st->api->req_param(req, name);

    return v != NULL ? v : "";
}

void chr_check_len(const chr_state_t *st, dsm_req_t *req, const char *field, const char *value,
                   size_t max)
{
    const dsm_api_t *api = st->api;
    const char *msg;

    if (value == NULL || chr_utf8_chars(value) <= max)
        return;
    msg = api->psprintf(req, "String should have at most %zu characters", max);
    api->v_problem(req, "body", field, "string_too_long",
                   msg != NULL ? msg : "String should have fewer characters",
                   chr_member(api->req_body(req), field));
}

struct json_object *chr_jstr(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

struct json_object *chr_jint(const char *s)
{
    return s != NULL ? json_object_new_int64(strtoll(s, NULL, 10)) : NULL;
}

struct json_object *chr_jfloat(double d)
{
    char buf[64];

    chr_py_float(d, buf, sizeof(buf));
    return json_object_new_double_s(d, buf);
}

struct json_object *chr_jparse(const char *text)
{
    return text != NULL ? json_tokener_parse(text) : NULL;
}

const char *chr_ts_text(const chr_state_t *st, dsm_req_t *req, const char *pg_ts, int utc)
{
    chr_dt_t dt;
    char buf[48];

    if (pg_ts == NULL)
        return NULL;
    if (chr_dt_parse(pg_ts, &dt, NULL) != 0)
        return st->api->ts_iso(req, pg_ts); /* not expected from PostgreSQL */
    if (utc) {
        dt.has_tz = 1;
        dt.off_min = 0;
    }
    chr_dt_iso(&dt, 0, buf, sizeof(buf));
    return st->api->pstrdup(req, buf);
}

struct json_object *chr_jts(const chr_state_t *st, dsm_req_t *req, const char *pg_ts)
{
    return chr_jstr(chr_ts_text(st, req, pg_ts, 0));
}

const char *chr_json_text(const chr_state_t *st, dsm_req_t *req, struct json_object *obj)
{
    return st->api->pstrdup(req, json_object_to_json_string_ext(
                                     obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

int chr_reply_created(const chr_state_t *st, dsm_req_t *req, const char *msg, const char *key,
                      const char *id)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "message", json_object_new_string(msg));
    json_object_object_add(o, key, chr_jstr(id));
    return st->api->reply_json(req, 201, o);
}

const char *chr_local_now(const chr_state_t *st, dsm_req_t *req)
{
    struct timespec ts;
    struct tm tm;
    chr_dt_t dt;
    char buf[48];

    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    memset(&dt, 0, sizeof(dt));
    dt.y = tm.tm_year + 1900;
    dt.mo = tm.tm_mon + 1;
    dt.d = tm.tm_mday;
    dt.h = tm.tm_hour;
    dt.mi = tm.tm_min;
    dt.s = tm.tm_sec > 59 ? 59 : tm.tm_sec;
    dt.us = (int)(ts.tv_nsec / 1000);
    chr_dt_iso(&dt, 0, buf, sizeof(buf));
    return st->api->pstrdup(req, buf);
}

struct json_object *chr_member(struct json_object *obj, const char *key)
{
    struct json_object *v = NULL;

    if (obj == NULL || !json_object_is_type(obj, json_type_object))
        return NULL;
    json_object_object_get_ex(obj, key, &v);
    return v;
}

int chr_has(struct json_object *obj, const char *key)
{
    return obj != NULL && json_object_is_type(obj, json_type_object) &&
           json_object_object_get_ex(obj, key, NULL);
}
