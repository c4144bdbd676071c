/* spr_util.c — request, JSON and database helpers shared by the Sprint service handlers. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spr_internal.h"

const char *spr_param(const spr_state_t *st, dsm_req_t *req, const char *name)
{
    const char *v = st->api->req_param(req, name);

    return v != NULL ? v : "";
}

int spr_db_fail(const spr_state_t *st, dsm_req_t *req, int in_tx)
{
    const dsm_api_t *api = st->api;

    api->log(req, "error", "sprint_db", api->db_errmsg(req), NULL);
    if (in_tx)
        api->db_rollback(req, NULL);
    return api->reply_db_error(req);
}

int spr_fail(const spr_state_t *st, dsm_req_t *req, int in_tx, int status, const char *text)
{
    if (in_tx)
        st->api->db_rollback(req, NULL);
    st->api->reply_error(req, status, "%s", text != NULL ? text : "Internal Server Error");
    return DSM_OK;
}

struct json_object *spr_jstr(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

struct json_object *spr_jint(const char *s)
{
    return s != NULL ? json_object_new_int64(strtoll(s, NULL, 10)) : NULL;
}

int spr_atoi(const char *s)
{
    return s != NULL ? (int)strtol(s, NULL, 10) : 0;
}

struct json_object *spr_sprint_json(const spr_state_t *st, const dsm_rows_t *r, int row, int col0)
{
    static const char *const keys[7] = {"sprint_id",      "project_id", "sprint_name", "start_date",
                                        "end_date", "duration_weeks", "status"};
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object();

    for (int c = 0; c < 7; c++) {
        const char *v = api->rows_value(r, row, col0 + c);

        json_object_object_add(o, keys[c], c == 5 ? spr_jint(v) : spr_jstr(v));
    }
    return o;
}

void spr_sprint_row(const spr_state_t *st, const dsm_rows_t *r, int row, int col0,
                    spr_sprint_t *out)
{
    const dsm_api_t *api = st->api;
    const char *weeks = api->rows_value(r, row, col0 + 5);

    out->sprint_id = api->rows_value(r, row, col0);
    out->project_id = api->rows_value(r, row, col0 + 1);
    out->sprint_name = api->rows_value(r, row, col0 + 2);
    out->start_date = api->rows_value(r, row, col0 + 3);
    out->end_date = api->rows_value(r, row, col0 + 4);
    out->duration_weeks = weeks != NULL ? spr_atoi(weeks) : -1;
    out->status = api->rows_value(r, row, col0 + 6);
}

struct json_object *spr_task_json(const spr_state_t *st, const dsm_rows_t *r, int row, int col0)
{
    static const char *const keys[6] = {"task_id",  "title", "status", "sprint_id",
                                        "progress_percentage", "assigned_to"};
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object();

    for (int c = 0; c < 6; c++) {
        const char *v = api->rows_value(r, row, col0 + c);

        json_object_object_add(o, keys[c], c == 4 ? spr_jint(v) : spr_jstr(v));
    }
    return o;
}

void spr_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

const char *spr_array_param(const spr_state_t *st, dsm_req_t *req, const char *const *items,
                            size_t n)
{
    return st->api->pg_array(req, items, n);
}

void spr_warn(struct json_object **warnings, const char *text)
{
    if (*warnings == NULL)
        *warnings = json_object_new_array();
    json_object_array_add(*warnings, json_object_new_string(text != NULL ? text : "warning"));
}

int spr_require_redis(const spr_state_t *st, dsm_req_t *req, int in_tx, const char *why)
{
    const dsm_api_t *api = st->api;

    if (api->redis_ping(req) == DSM_OK)
        return 1;
    if (in_tx)
        api->db_rollback(req, NULL);
    api->log(req, "error", "redis_unavailable", why, NULL);
    api->reply_error(req, 503, "Redis is currently unavailable: %s", why);
    return 0;
}
