/* bl_logic.c — pure helpers of the Backlog service (see bl_logic.h). */
#include <errno.h>
#include <json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_logic.h"

static const bl_template_task_t bl_template_tasks[BL_TEMPLATE_COUNT] = {
    {"Setup development environment", "Configure IDEs and necessary tools."},
    {"Design database schema", "Create ERD and define tables."},
    {"Implement user authentication", "Develop login/logout and registration features."},
    {"Build UI for dashboard", "Create the main dashboard interface."},
    {"Develop API for task management", "Implement CRUD operations for tasks."},
    {"Write unit tests for backend", "Ensure code quality with comprehensive tests."},
    {"Deploy to staging environment", "Set up CI/CD for automated deployments."},
    {"Conduct user acceptance testing", "Gather feedback from end-users."},
    {"Prepare documentation", "Write API docs and user guides."},
    {"Refactor legacy code", "Improve existing code for maintainability."},
};

static const char *const bl_statuses[] = {"unassigned", "assigned_to_sprint", "in_progress",
                                          "completed"};

#define BL_MAX_VARCHAR 255

const bl_template_task_t *bl_template(int n)
{
    return n >= 1 && n <= BL_TEMPLATE_COUNT ? &bl_template_tasks[n - 1] : NULL;
}

size_t bl_task_id(char *out, size_t n, const char *project_id, int number)
{
    int len = snprintf(out, n, "%s-TASK%03d", project_id, number);

    return len < 0 ? 0 : (size_t)len;
}

int bl_status_known(const char *status)
{
    if (status == NULL)
        return 0;
    for (size_t i = 0; i < sizeof(bl_statuses) / sizeof(bl_statuses[0]); i++) {
        if (strcmp(status, bl_statuses[i]) == 0)
            return 1;
    }
    return 0;
}

int bl_progress_valid(int64_t progress)
{
    return progress >= 0 && progress <= 100;
}

size_t bl_utf8_chars(const char *s)
{
    size_t n = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80; /* count every byte that is not a continuation byte */
    return n;
}

void bl_base_url(char *out, size_t n, const char *url)
{
    size_t len;

    if (n == 0)
        return;
    snprintf(out, n, "%s", url != NULL ? url : "");
    len = strlen(out);
    while (len > 0 && out[len - 1] == '/')
        out[--len] = '\0';
}

int bl_sqlstate_unreachable(const char *s)
{
    if (s == NULL)
        return 0;
    return strncmp(s, "08", 2) == 0 || strncmp(s, "57P", 3) == 0 || strcmp(s, "53300") == 0;
}

int bl_sqlstate_retryable(const char *s)
{
    return bl_sqlstate_unreachable(s) || (s != NULL && strncmp(s, "40", 2) == 0);
}

/* A decimal number of at most 19 digits, no sign: 0 ok, -1 otherwise. */
static int parse_u63(const char *s, size_t len, int64_t *out)
{
    int64_t v = 0;

    if (len == 0 || len > 19)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (v > (INT64_MAX - (s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int bl_stream_id_parse(const char *id, int64_t *ms, int64_t *seq)
{
    const char *dash;

    if (id == NULL || (dash = strchr(id, '-')) == NULL)
        return -1;
    if (parse_u63(id, (size_t)(dash - id), ms) != 0 ||
        parse_u63(dash + 1, strlen(dash + 1), seq) != 0)
        return -1;
    return 0;
}

/* ---- TASK_UPDATED ---- */

static bl_ev_result_e malformed(char *err, size_t errlen, const char *why)
{
    if (errlen > 0)
        snprintf(err, errlen, "%s", why);
    return BL_EV_MALFORMED;
}

/* Member key of obj as text: 1 a string (no NUL, at most 255 characters), 0 absent or null,
 * -1 anything else. */
static int member_text(struct json_object *obj, const char *key, const char **out)
{
    struct json_object *v = NULL;
    const char *s;

    *out = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
        return 0;
    if (!json_object_is_type(v, json_type_string))
        return -1;
    s = json_object_get_string(v);
    if (strlen(s) != (size_t)json_object_get_string_len(v) || bl_utf8_chars(s) > BL_MAX_VARCHAR)
        return -1;
    *out = s;
    return 1;
}

/* progress_percentage: 1 an integer (stored in *out), 0 absent or null, -1 anything else. */
static int member_int(struct json_object *obj, const char *key, int64_t *out)
{
    struct json_object *v = NULL;

    if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
        return 0;
    switch (json_object_get_type(v)) {
    case json_type_int:
        errno = 0;
        *out = json_object_get_int64(v);
        return errno == 0 ? 1 : -1;
    case json_type_double: {
        double d = json_object_get_double(v);
        if (!isfinite(d) || d != floor(d) || fabs(d) > 1e15)
            return -1;
        *out = (int64_t)d;
        return 1;
    }
    case json_type_string: {
        const char *s = json_object_get_string(v);
        size_t len = strlen(s);
        int neg = len > 0 && s[0] == '-';
        if (parse_u63(s + neg, len - (size_t)neg, out) != 0)
            return -1;
        if (neg)
            *out = -*out;
        return 1;
    }
    default:
        return -1;
    }
}

static struct json_object *parse_json(const char *data)
{
    struct json_tokener *tok = json_tokener_new();
    struct json_object *doc = NULL;
    size_t len = strlen(data);

    if (tok == NULL)
        return NULL;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    doc = json_tokener_parse_ex(tok, data, (int)len);
    if (json_tokener_get_error(tok) != json_tokener_success ||
        json_tokener_get_parse_end(tok) != len) {
        json_object_put(doc);
        doc = NULL;
    }
    json_tokener_free(tok);
    return doc;
}

bl_ev_result_e bl_event_parse(const char *data, bl_event_t *ev, char *err, size_t errlen)
{
    struct json_object *type = NULL, *ed = NULL;
    const char *s;
    int64_t progress = 0;
    int rc;

    memset(ev, 0, sizeof(*ev));
    if (errlen > 0)
        err[0] = '\0';
    if (data == NULL)
        return malformed(err, errlen, "no 'data' field");
    if (strlen(data) > (1u << 20))
        return malformed(err, errlen, "'data' larger than 1 MiB");
    ev->doc = parse_json(data);
    if (ev->doc == NULL || !json_object_is_type(ev->doc, json_type_object))
        return malformed(err, errlen, "'data' is not a JSON object");
    if (!json_object_object_get_ex(ev->doc, "event_type", &type) ||
        !json_object_is_type(type, json_type_string))
        return malformed(err, errlen, "no event_type");
    if (strcmp(json_object_get_string(type), "TASK_UPDATED") != 0)
        return BL_EV_IGNORE;
    if (member_text(ev->doc, "event_id", &ev->event_id) < 0)
        return malformed(err, errlen, "event_id is not a string");
    if (ev->event_id != NULL && ev->event_id[0] == '\0')
        ev->event_id = NULL;
    if (!json_object_object_get_ex(ev->doc, "event_data", &ed) ||
        !json_object_is_type(ed, json_type_object))
        return malformed(err, errlen, "event_data is not an object");
    if (member_text(ed, "task_id", &ev->task_id) <= 0 || ev->task_id[0] == '\0')
        return malformed(err, errlen, "event_data.task_id is not a non-empty string");

    rc = member_text(ed, "status", &ev->status);
    if (rc < 0 || (rc > 0 && !bl_status_known(ev->status)))
        return malformed(err, errlen, "event_data.status is not a known status");
    rc = member_int(ed, "progress_percentage", &progress);
    if (rc < 0 || (rc > 0 && !bl_progress_valid(progress)))
        return malformed(err, errlen, "event_data.progress_percentage is not an integer 0..100");
    ev->has_progress = rc > 0;
    ev->progress = (int)progress;
    if (member_text(ed, "sprint_id", &s) < 0)
        return malformed(err, errlen, "event_data.sprint_id is not a string");
    if (s != NULL && s[0] != '\0') {
        ev->sprint = BL_SPRINT_SET;
        ev->sprint_id = s;
    }
    if (ev->status != NULL && strcmp(ev->status, "unassigned") == 0) {
        ev->sprint = BL_SPRINT_CLEAR;
        ev->sprint_id = NULL;
    }
    if (member_text(ed, "assigned_to", &s) < 0)
        return malformed(err, errlen, "event_data.assigned_to is not a string");
    if (s != NULL && s[0] != '\0' && strcmp(s, "unassigned") != 0)
        ev->assigned_to = s;

    if (ev->status == NULL && !ev->has_progress && ev->sprint == BL_SPRINT_KEEP &&
        ev->assigned_to == NULL)
        return BL_EV_IGNORE;
    return BL_EV_APPLY;
}

void bl_event_free(bl_event_t *ev)
{
    if (ev == NULL)
        return;
    json_object_put(ev->doc);
    memset(ev, 0, sizeof(*ev));
}
