/* rules_logic.c — the rule-based baseline (spec/orchestrator.md §2); see rules_logic.h. */
#include "rules_logic.h"

#include <ctype.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void rul_input_defaults(rul_input_t *in)
{
    in->create_sprint_if_needed = 1;
    in->create_cronjob = 1;
    in->max_tasks_per_sprint = 10;
    in->sprint_duration_weeks = 2;
}

static void add_reason(rul_decision_t *d, rul_reason_e r)
{
    if (d->nreasons < RUL_MAX_REASONS)
        d->reasons[d->nreasons++] = r;
}

static void copy_id(char *dst, const char *src)
{
    snprintf(dst, RUL_ID_MAX, "%s", src ? src : "");
}

/* R2 — an in-progress sprint: close it when nothing is pending (an empty sprint too), else keep
 * its daily-scrum schedule alive. */
static void rule_active(const rul_input_t *in, rul_decision_t *d)
{
    const char *s = in->current_sprint_id;

    if (s == NULL || *s == '\0') {
        d->outcome = RUL_NO_ACTION; /* A > 0 but the sprint is unknown: nothing safe to do */
        return;
    }
    if (in->has_summary && in->summary_pending == 0) {
        d->outcome = RUL_CLOSE;
        d->sprint_closure_triggered = 1;
        d->cronjob_deleted = 1; /* #5: the schedule goes with the sprint */
        copy_id(d->sprint_id_to_close, s);
        return;
    }
    if (!in->schedule_exists) {
        d->outcome = RUL_RECREATE_JOB;
        d->cronjob_created = 1;
        copy_id(d->sprint_name, s);
        copy_id(d->sprint_id, s);
        add_reason(d, RUL_R_RECREATE);
        return;
    }
    d->outcome = RUL_NO_ACTION;
    add_reason(d, RUL_R_JOB_EXISTS);
}

/* R3 — no sprint in progress and work waiting: propose a new sprint. */
static void rule_create(const rul_input_t *in, rul_decision_t *d)
{
    int64_t next = in->next_number > 0 ? in->next_number : 1; /* #4 */
    int64_t max = in->max_tasks_per_sprint;

    d->outcome = RUL_CREATE;
    d->create_new_sprint = 1;
    add_reason(d, RUL_R_NO_SPRINT);
    snprintf(d->sprint_name, RUL_ID_MAX, "%s-S%02lld", in->project_id ? in->project_id : "",
             (long long)next);
    add_reason(d, RUL_R_PROPOSE_SPRINT);
    d->tasks_to_assign = in->unassigned < max ? in->unassigned : max;
    if (d->tasks_to_assign < 0)
        d->tasks_to_assign = 0;
    add_reason(d, RUL_R_PROPOSE_TASKS);
    if (in->create_cronjob) {
        d->cronjob_created = 1;
        add_reason(d, RUL_R_JOB_TRIGGER);
    }
}

void rul_decide(const rul_input_t *in, rul_decision_t *d)
{
    memset(d, 0, sizeof(*d));
    d->outcome = RUL_NOTHING;
    /* #6: the duration the sprint is created with is the decided one (not a constant 2) */
    d->sprint_duration_weeks = in->sprint_duration_weeks > 0 ? in->sprint_duration_weeks : 2;
    d->evidence_count = 1; /* one observation: the project's current state */

    /* R1 — holidays and PTO never block, they are noted */
    if (in->availability_conflict && in->nconflicts > 0) {
        add_reason(d, RUL_R_CONFLICTS);
        d->nwarnings = in->nconflicts;
    }
    if (in->active_sprints > 0)
        rule_active(in, d);
    else if (in->create_sprint_if_needed && in->unassigned > 0)
        rule_create(in, d);
}

/* Appends text at *len (snprintf contract over the whole buffer). */
static void put(char *buf, size_t n, size_t *len, const char *fmt_text)
{
    size_t l = strlen(fmt_text);

    if (*len < n)
        snprintf(buf + *len, n - *len, "%s", fmt_text);
    *len += l;
}

size_t rul_reasoning(const rul_input_t *in, const rul_decision_t *d, char *buf, size_t n)
{
    char item[RUL_ID_MAX * 2 + 160];
    const char *s = in->current_sprint_id ? in->current_sprint_id : "";
    size_t len = 0;

    if (n > 0)
        buf[0] = '\0';
    if (d->nreasons == 0) {
        put(buf, n, &len, "No specific actions required based on current state and options.");
        return len;
    }
    for (size_t i = 0; i < d->nreasons; i++) {
        switch (d->reasons[i]) {
        case RUL_R_CONFLICTS:
            snprintf(item, sizeof(item),
                     "Note: Sprint timeline includes %zu holiday(s) or PTO day(s).",
                     in->nconflicts);
            break;
        case RUL_R_RECREATE:
            snprintf(item, sizeof(item),
                     "Active sprint %s found, but its corresponding CronJob was missing. "
                     "Recreating the CronJob to ensure process continuity.",
                     s);
            break;
        case RUL_R_JOB_EXISTS:
            snprintf(item, sizeof(item),
                     "Active sprint %s found with an existing CronJob. No action needed.", s);
            break;
        case RUL_R_NO_SPRINT:
            snprintf(item, sizeof(item), "No active sprint found and unassigned tasks exist.");
            break;
        case RUL_R_PROPOSE_SPRINT:
            snprintf(item, sizeof(item), "Proposing to create new sprint: %s.", d->sprint_name);
            break;
        case RUL_R_PROPOSE_TASKS:
            snprintf(item, sizeof(item), "Proposing to assign %lld tasks.",
                     (long long)d->tasks_to_assign);
            break;
        case RUL_R_JOB_TRIGGER:
            snprintf(item, sizeof(item), "New sprint creation triggers CronJob generation.");
            break;
        }
        if (i > 0)
            put(buf, n, &len, "; ");
        put(buf, n, &len, item);
    }
    return len;
}

size_t rul_warning(const rul_input_t *in, size_t i, char *buf, size_t n)
{
    const rul_conflict_t *c = i < in->nconflicts ? &in->conflicts[i] : NULL;
    int l = snprintf(buf, n, "Sprint timeline includes upcoming holiday: %s on %s",
                     c && c->name ? c->name : "None", c && c->date ? c->date : "None");

    return l < 0 ? 0 : (size_t)l;
}

size_t rul_job_name(const char *project_id, const char *sprint_id, char *buf, size_t n)
{
    int l = snprintf(buf, n, "run-dailyscrum-%s-%s", project_id ? project_id : "",
                     sprint_id ? sprint_id : "");

    for (size_t i = 0; l > 0 && i < n && buf[i] != '\0'; i++)
        buf[i] = (char)tolower((unsigned char)buf[i]);
    return l < 0 ? 0 : (size_t)l;
}

const char *rul_outcome_name(rul_outcome_e o)
{
    switch (o) {
    case RUL_CLOSE:
        return "close_sprint";
    case RUL_RECREATE_JOB:
        return "recreate_schedule";
    case RUL_NO_ACTION:
        return "no_action";
    case RUL_CREATE:
        return "create_sprint";
    case RUL_NOTHING:
        break;
    }
    return "nothing";
}

/* ---- perception in, Baseline out ---- */

static json_object *rj_get(const json_object *o, const char *key)
{
    json_object *v = NULL;

    if (o == NULL || !json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

/* An integral JSON number (an int, or a double rounded half to even); dflt otherwise. */
static int64_t rj_int(const json_object *o, const char *key, int64_t dflt)
{
    json_object *v = rj_get(o, key);

    if (v != NULL && json_object_is_type(v, json_type_int))
        return json_object_get_int64(v);
    if (v != NULL && json_object_is_type(v, json_type_double) &&
        isfinite(json_object_get_double(v)) && fabs(json_object_get_double(v)) < 9e15)
        return (int64_t)nearbyint(json_object_get_double(v));
    return dflt;
}

static int rj_bool(const json_object *o, const char *key, int dflt)
{
    json_object *v = rj_get(o, key);

    if (v != NULL && json_object_is_type(v, json_type_boolean))
        return json_object_get_boolean(v) ? 1 : 0;
    if (v != NULL && json_object_is_type(v, json_type_int))
        return json_object_get_int64(v) != 0;
    return dflt;
}

static const char *rj_str(const json_object *o, const char *key)
{
    json_object *v = rj_get(o, key);

    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                                 : NULL;
}

static void rj_conflicts(const json_object *avail, rul_perceived_t *p)
{
    json_object *arr = rj_get(avail, "conflicts");
    size_t n = arr != NULL && json_object_is_type(arr, json_type_array)
                   ? json_object_array_length(arr)
                   : 0;
    const char *status = rj_str(avail, "status");

    p->in.availability_conflict = status != NULL && strcmp(status, "conflict") == 0;
    for (size_t i = 0; i < n && p->in.nconflicts < RUL_MAX_CONFLICTS; i++) {
        json_object *c = json_object_array_get_idx(arr, i);
        rul_conflict_t *rc = &p->conflicts[p->in.nconflicts];

        if (!json_object_is_type(c, json_type_object))
            continue;
        rc->type = rj_str(c, "type");
        rc->name = rj_str(c, "name");
        rc->date = rj_str(c, "date");
        p->in.nconflicts++;
    }
    /* a conflict list without status (older recordings) still means conflicts */
    if (status == NULL && p->in.nconflicts > 0)
        p->in.availability_conflict = 1;
    p->in.conflicts = p->conflicts;
}

static int rj_has_schedule(const json_object *perception, const char *job)
{
    json_object *arr = rj_get(perception, "schedules");
    size_t n = arr != NULL && json_object_is_type(arr, json_type_array)
                   ? json_object_array_length(arr)
                   : 0;

    for (size_t i = 0; i < n; i++) {
        const char *name = rj_str(json_object_array_get_idx(arr, i), "name");

        if (name != NULL && strcmp(name, job) == 0)
            return 1;
    }
    return 0;
}

void rul_from_perception(const json_object *perception, const char *project_id,
                         rul_perceived_t *p)
{
    json_object *opts = rj_get(perception, "options"), *sprints = rj_get(perception, "sprints");
    json_object *current = rj_get(sprints, "current");
    json_object *summary = rj_get(sprints, "current_task_summary");
    json_object *pending = rj_get(summary, "pending_tasks");
    int64_t total;

    memset(p, 0, sizeof(*p));
    rul_input_defaults(&p->in);
    p->in.project_id = project_id != NULL ? project_id : rj_str(perception, "project_id");
    if (p->in.project_id == NULL)
        p->in.project_id = "";
    p->in.create_sprint_if_needed =
        rj_bool(opts, "create_sprint_if_needed", p->in.create_sprint_if_needed);
    p->in.create_cronjob = rj_bool(opts, "create_cronjob", p->in.create_cronjob);
    p->in.max_tasks_per_sprint = rj_int(opts, "max_tasks_per_sprint", 10);
    p->in.sprint_duration_weeks = rj_int(opts, "sprint_duration_weeks", 2);
    p->in.unassigned = rj_int(rj_get(perception, "backlog"), "unassigned", 0);
    p->in.current_sprint_id = rj_str(current, "sprint_id");
    p->in.active_sprints = rj_int(sprints, "active_count", p->in.current_sprint_id ? 1 : 0);
    if (p->in.current_sprint_id != NULL && p->in.active_sprints < 1)
        p->in.active_sprints = 1;
    total = rj_int(sprints, "total", 0);
    p->in.next_number = rj_int(sprints, "next_number", total + 1);
    if (pending != NULL && (json_object_is_type(pending, json_type_int) ||
                            json_object_is_type(pending, json_type_double))) {
        p->in.has_summary = 1;
        p->in.summary_pending = rj_int(summary, "pending_tasks", 0);
        p->in.summary_total = rj_int(summary, "total_tasks", 0);
    }
    if (p->in.current_sprint_id != NULL) {
        rul_job_name(p->in.project_id, p->in.current_sprint_id, p->job, sizeof(p->job));
        p->in.schedule_exists = rj_has_schedule(perception, p->job);
    }
    rj_conflicts(rj_get(perception, "availability"), p);
}

static json_object *rj_id(const char *s)
{
    return s[0] != '\0' ? json_object_new_string(s) : NULL;
}

json_object *rul_baseline_json(const rul_input_t *in, const rul_decision_t *d)
{
    json_object *o = json_object_new_object(), *parts = json_object_new_array(),
                *warn = json_object_new_array();
    char text[RUL_TEXT_MAX];
    rul_decision_t one;

    json_object_object_add(o, "create_new_sprint", json_object_new_boolean(d->create_new_sprint));
    json_object_object_add(o, "tasks_to_assign", json_object_new_int64(d->tasks_to_assign));
    json_object_object_add(o, "sprint_duration_weeks",
                           json_object_new_int64(d->sprint_duration_weeks));
    json_object_object_add(o, "cronjob_created", json_object_new_boolean(d->cronjob_created));
    json_object_object_add(o, "sprint_closure_triggered",
                           json_object_new_boolean(d->sprint_closure_triggered));
    json_object_object_add(o, "cronjob_deleted", json_object_new_boolean(d->cronjob_deleted));
    json_object_object_add(o, "sprint_name", rj_id(d->sprint_name));
    json_object_object_add(o, "sprint_id", rj_id(d->sprint_id));
    json_object_object_add(o, "sprint_id_to_close", rj_id(d->sprint_id_to_close));
    rul_reasoning(in, d, text, sizeof(text));
    json_object_object_add(o, "reasoning", json_object_new_string(text));
    /* reasoning_parts: each item alone (the same wording as the joined text) */
    one = *d;
    for (size_t i = 0; i < d->nreasons; i++) {
        one.reasons[0] = d->reasons[i];
        one.nreasons = 1;
        rul_reasoning(in, &one, text, sizeof(text));
        json_object_array_add(parts, json_object_new_string(text));
    }
    json_object_object_add(o, "reasoning_parts", parts);
    for (size_t i = 0; i < d->nwarnings; i++) {
        rul_warning(in, i, text, sizeof(text));
        json_object_array_add(warn, json_object_new_string(text));
    }
    json_object_object_add(o, "warnings", warn);
    json_object_object_add(o, "outcome", json_object_new_string(rul_outcome_name(d->outcome)));
    return o;
}

