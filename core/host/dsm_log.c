/*
 * dsm_log.c — one JSON object per line on stderr (journald / var/log collect it).
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dsm_core.h"

static char log_instance[64] = "dsm-host"; /* set once in main before threads start */

void dsm_log_init(const char *instance)
{
    if (instance)
        snprintf(log_instance, sizeof(log_instance), "%s", instance);
}

void dsm_log_line(const char *level, const char *event, const char *req_id, const char *msg,
                  struct json_object *fields)
{
    char ts[32];
    dsm_utc_iso(ts, sizeof(ts), true);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ts", json_object_new_string(ts));
    json_object_object_add(o, "level", json_object_new_string(level ? level : "info"));
    json_object_object_add(o, "event", json_object_new_string(event ? event : "log"));
    json_object_object_add(o, "instance", json_object_new_string(log_instance));
    if (req_id)
        json_object_object_add(o, "req", json_object_new_string(req_id));
    if (msg)
        json_object_object_add(o, "msg", json_object_new_string(msg));
    if (fields && json_object_is_type(fields, json_type_object)) {
        json_object_object_foreach(fields, k, v) json_object_object_add(o, k, json_object_get(v));
    }
    json_object_put(fields);
    size_t len;
    const char *s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
    char line[8192];
    if (len < sizeof(line)) {
        memcpy(line, s, len);
        line[len] = '\n';
        ssize_t w = write(STDERR_FILENO, line, len + 1); /* one write: lines never interleave */
        (void)w;
    } else {
        flockfile(stderr);
        fwrite(s, 1, len, stderr);
        fputc('\n', stderr);
        funlockfile(stderr);
    }
    json_object_put(o);
}

void dsm_logf(const char *level, const char *event, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    dsm_log_line(level, event, NULL, msg, NULL);
}
