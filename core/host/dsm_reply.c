/*
 * dsm_reply.c — the one reply of a request: JSON bodies, {"detail": ...} errors and
 * FastAPI-style 422 lists. Bodies are serialised into the arena at once.
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dsm_core.h"

int dsm_reply_text(dsm_req_t *r, int status, const char *ctype, const char *text, size_t len)
{
    if (r->replied) {
        dsm_log_line("warn", "double_reply", r->id, "handler replied twice; kept the first", NULL);
        return DSM_ERR;
    }
    r->replied = true;
    r->status = status;
    r->ctype = ctype;
    r->out = dsm_arena_strndup(r->arena, text, len);
    r->out_len = r->out ? len : 0;
    return DSM_OK;
}

int dsm_reply_json(dsm_req_t *r, int status, json_object *body)
{
    size_t len;
    const char *s = json_object_to_json_string_length(
        body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    int rc = dsm_reply_text(r, status, "application/json", s, len);
    json_object_put(body);
    return rc;
}

int dsm_reply_detail(dsm_req_t *r, int status, json_object *detail)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "detail", detail);
    dsm_reply_json(r, status, o);
    return DSM_ERR;
}

int dsm_reply_error(dsm_req_t *r, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return dsm_reply_detail(r, status, json_object_new_string(msg));
}

static void put_json(void *p)
{
    json_object_put(p);
}

void dsm_problem_add(dsm_req_t *r, const char *where, const char *field, const char *type,
                     const char *msg, const json_object *input)
{
    if (!r->problems) {
        r->problems = json_object_new_array();
        dsm_arena_defer(r->arena, put_json, r->problems);
    }
    json_object *p = json_object_new_object();
    json_object *loc = json_object_new_array();
    json_object_array_add(loc, json_object_new_string(where ? where : "body"));
    if (field)
        json_object_array_add(loc, json_object_new_string(field));
    json_object_object_add(p, "type", json_object_new_string(type));
    json_object_object_add(p, "loc", loc);
    json_object_object_add(p, "msg", json_object_new_string(msg));
    json_object_object_add(p, "input", json_object_get((json_object *)input));
    json_object_array_add(r->problems, p);
}

int dsm_problems_reply(dsm_req_t *r)
{
    if (!r->problems || json_object_array_length(r->problems) == 0)
        return 0;
    dsm_reply_detail(r, 422, json_object_get(r->problems));
    return 1;
}

int dsm_reply_invalid(dsm_req_t *r, size_t n, const dsm_invalid_t *p)
{
    for (size_t i = 0; i < n; i++)
        dsm_problem_add(r, p[i].where, p[i].field, p[i].type, p[i].msg, p[i].input);
    dsm_problems_reply(r);
    return DSM_ERR;
}
