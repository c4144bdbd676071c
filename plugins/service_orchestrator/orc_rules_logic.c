/* orc_rules_logic.c — the core's rule-based baseline (see orc_rules_logic.h). */
#include "orc_rules_logic.h"

#include <ctype.h>
#include <json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct json_object *orc_jget(const struct json_object *o, const char *key)
{
    struct json_object *v = NULL;

    if (o == NULL || !json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, key, &v))
        return NULL;
    return json_object_is_type(v, json_type_null) ? NULL : v;
}

struct json_object *orc_jpath(const struct json_object *o, const char *a, const char *b)
{
    return orc_jget(orc_jget(o, a), b);
}

const char *orc_jstr(const struct json_object *o, const char *key)
{
    struct json_object *v = orc_jget(o, key);

    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

double orc_jnum(const struct json_object *o, const char *key, double def)
{
    struct json_object *v = orc_jget(o, key);
    char *end;
    double d;

    if (v == NULL)
        return def;
    switch (json_object_get_type(v)) {
    case json_type_int:
    case json_type_double:
        d = json_object_get_double(v);
        return isfinite(d) ? d : def;
    case json_type_boolean:
        return json_object_get_boolean(v) ? 1 : 0;
    case json_type_string:
        d = strtod(json_object_get_string(v), &end);
        return end != json_object_get_string(v) && *end == '\0' && isfinite(d) ? d : def;
    default:
        return def;
    }
}

int orc_jbool(const struct json_object *o, const char *key, int def)
{
    struct json_object *v = orc_jget(o, key);

    if (v == NULL)
        return def;
    if (json_object_is_type(v, json_type_boolean))
        return json_object_get_boolean(v);
    if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
        return json_object_get_double(v) != 0;
    return def;
}

void orc_schedule_name(const char *project_id, const char *sprint_id, char *buf, size_t n)
{
    size_t k;

    snprintf(buf, n, "run-dailyscrum-%s-%s", project_id ? project_id : "",
             sprint_id ? sprint_id : "");
    for (k = 0; buf[k] != '\0'; k++)
        buf[k] = (char)tolower((unsigned char)buf[k]);
}

static void add_part(struct json_object *parts, const char *text)
{
    json_object_array_add(parts, json_object_new_string(text));
}

static int schedule_exists(const struct json_object *perception, const char *name)
{
    struct json_object *arr = orc_jget(perception, "schedules");
    size_t n;

    if (arr == NULL || !json_object_is_type(arr, json_type_array))
        return 0;
    n = json_object_array_length(arr);
    for (size_t i = 0; i < n; i++) {
        const char *s = orc_jstr(json_object_array_get_idx(arr, i), "name");

        if (s != NULL && strcmp(s, name) == 0)
            return 1;
    }
    return 0;
}

/* R1: availability conflicts → one note and a warning per conflict. */
static void rule_availability(const struct json_object *p, struct json_object *parts,
                              struct json_object *warnings)
{
    struct json_object *av = orc_jget(p, "availability");
    struct json_object *cf = orc_jget(av, "conflicts");
    const char *status = orc_jstr(av, "status");
    char buf[512];
    size_t n;

    if (status == NULL || strcmp(status, "conflict") != 0 || cf == NULL ||
        !json_object_is_type(cf, json_type_array) || (n = json_object_array_length(cf)) == 0)
        return;
    snprintf(buf, sizeof buf, "Note: Sprint timeline includes %zu holiday(s) or PTO day(s).", n);
    add_part(parts, buf);
    for (size_t i = 0; i < n; i++) {
        struct json_object *c = json_object_array_get_idx(cf, i);
        const char *name = orc_jstr(c, "name"), *date = orc_jstr(c, "date");

        snprintf(buf, sizeof buf, "Sprint timeline includes upcoming holiday: %s on %s",
                 name ? name : "None", date ? date : "None");
        json_object_array_add(warnings, json_object_new_string(buf));
    }
}

struct json_object *orc_rules_baseline(const struct json_object *p)
{
    struct json_object *d = json_object_new_object();
    struct json_object *parts = json_object_new_array(), *warnings = json_object_new_array();
    struct json_object *opts = orc_jget(p, "options"), *cur = orc_jpath(p, "sprints", "current");
    const char *pid = orc_jstr(p, "project_id");
    int create = 0, cron_created = 0, close = 0, cron_deleted = 0;
    long tasks = 0;
    long weeks = (long)orc_jnum(opts, "sprint_duration_weeks", 2);
    const char *sprint_name = NULL, *sprint_id = NULL, *close_id = NULL;
    char name_buf[160], buf[512];
    char *reasoning;
    size_t n, len = 0;

    rule_availability(p, parts, warnings);
    if (cur != NULL && orc_jstr(cur, "sprint_id") != NULL) { /* R2 */
        const char *sid = orc_jstr(cur, "sprint_id");
        struct json_object *sum = orc_jpath(p, "sprints", "current_task_summary");
        char job[256];

        orc_schedule_name(pid, sid, job, sizeof job);
        if (sum != NULL && orc_jnum(sum, "pending_tasks", -1) == 0) { /* R2a */
            close = 1;
            cron_deleted = schedule_exists(p, job); /* fix #5: its schedule goes with it */
            close_id = sid;
            snprintf(buf, sizeof buf, "Active sprint %s has no pending tasks; closing it.", sid);
            add_part(parts, buf);
        } else if (!schedule_exists(p, job)) { /* R2b */
            cron_created = 1;
            sprint_name = sprint_id = sid;
            snprintf(buf, sizeof buf,
                     "Active sprint %s found, but its corresponding CronJob was missing. "
                     "Recreating the CronJob to ensure process continuity.",
                     sid);
            add_part(parts, buf);
        } else { /* R2c */
            snprintf(buf, sizeof buf, "Active sprint %s found with an existing CronJob. No action needed.",
                     sid);
            add_part(parts, buf);
        }
    } else {
        long unassigned = (long)orc_jnum(orc_jget(p, "backlog"), "unassigned", 0);
        long max_tasks = (long)orc_jnum(opts, "max_tasks_per_sprint", 10);
        long next = (long)orc_jnum(orc_jget(p, "sprints"), "next_number", 1);

        if (orc_jbool(opts, "create_sprint_if_needed", 1) && unassigned > 0) { /* R3 */
            create = 1;
            add_part(parts, "No active sprint found and unassigned tasks exist.");
            snprintf(name_buf, sizeof name_buf, "%s-S%02ld", pid ? pid : "", next < 1 ? 1 : next);
            sprint_name = name_buf;
            snprintf(buf, sizeof buf, "Proposing to create new sprint: %s.", sprint_name);
            add_part(parts, buf);
            tasks = unassigned < max_tasks ? unassigned : max_tasks;
            snprintf(buf, sizeof buf, "Proposing to assign %ld tasks.", tasks);
            add_part(parts, buf);
            if (orc_jbool(opts, "create_cronjob", 1)) {
                cron_created = 1;
                add_part(parts, "New sprint creation triggers CronJob generation.");
            }
        }
    }
    n = json_object_array_length(parts); /* R4 */
    for (size_t i = 0; i < n; i++)
        len += strlen(json_object_get_string(json_object_array_get_idx(parts, i))) + 2;
    len += 80;
    reasoning = calloc(1, len);
    if (reasoning != NULL) {
        size_t off = 0;
        for (size_t i = 0; i < n && off < len; i++)
            off += (size_t)snprintf(reasoning + off, len - off, "%s%s", i > 0 ? "; " : "",
                                    json_object_get_string(json_object_array_get_idx(parts, i)));
        if (n == 0)
            snprintf(reasoning, len,
                     "No specific actions required based on current state and options.");
    }
    json_object_object_add(d, "create_new_sprint", json_object_new_boolean(create));
    json_object_object_add(d, "tasks_to_assign", json_object_new_int64(tasks));
    json_object_object_add(d, "sprint_duration_weeks", json_object_new_int64(weeks));
    json_object_object_add(d, "cronjob_created", json_object_new_boolean(cron_created));
    json_object_object_add(d, "sprint_closure_triggered", json_object_new_boolean(close));
    json_object_object_add(d, "cronjob_deleted", json_object_new_boolean(cron_deleted));
    json_object_object_add(d, "sprint_name", sprint_name ? json_object_new_string(sprint_name) : NULL);
    json_object_object_add(d, "sprint_id", sprint_id ? json_object_new_string(sprint_id) : NULL);
    json_object_object_add(d, "sprint_id_to_close", close_id ? json_object_new_string(close_id) : NULL);
    json_object_object_add(d, "reasoning", json_object_new_string(reasoning ? reasoning : ""));
    json_object_object_add(d, "reasoning_parts", parts);
    json_object_object_add(d, "warnings", warnings);
    free(reasoning);
    return d;
}
