/* bl_util.c — JSON and database helpers shared by the Backlog service handlers. */
#include <stdlib.h>

#include "bl_internal.h"

struct json_object *bl_jstr(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

struct json_object *bl_jint(const char *s)
{
    return s != NULL ? json_object_new_int64(strtoll(s, NULL, 10)) : NULL;
}

struct json_object *bl_task_json(const dsm_api_t *api, const dsm_rows_t *r, int row)
{
    static const char *const keys[7] = {"task_id",     "project_id", "title",    "description",
                                        "status",      "assigned_to", "sprint_id"};
    struct json_object *o = json_object_new_object();

    for (int c = 0; c < 7; c++)
        json_object_object_add(o, keys[c], bl_jstr(api->rows_value(r, row, c)));
    json_object_object_add(o, "progress_percentage", bl_jint(api->rows_value(r, row, 7)));
    return o;
}

int bl_db_fail(const bl_state_t *st, dsm_req_t *req, int in_tx, const char *msg)
{
    const dsm_api_t *api = st->api;

    if (in_tx)
        api->db_rollback(req, NULL);
    if (bl_sqlstate_unreachable(api->db_sqlstate(req)))
        return api->reply_db_error(req); /* 503 "Database unavailable" (and the log line) */
    api->log(req, "error", "db_error", api->db_errmsg(req), NULL);
    return api->reply_error(req, 500, "%s", msg);
}

void bl_check_len(const bl_state_t *st, dsm_req_t *req, const char *field, const char *value,
                  size_t max)
{
    const dsm_api_t *api = st->api;
    struct json_object *input = NULL;
    const char *msg;

    if (value == NULL || bl_utf8_chars(value) <= max)
        return;
    json_object_object_get_ex(api->req_body(req), field, &input);
    msg = api->psprintf(req, "String should have at most %zu characters", max);
    api->v_problem(req, "body", field, "string_too_long",
                   msg != NULL ? msg : "String should have fewer characters", input);
}
