/*
 * orc_act.c — executing a final decision (orchestrator.md §1.2 C, fixed): close the finished
 * sprint (and delete its schedule), create the new sprint with the FINAL task count and
 * duration, create or recreate the daily-scrum schedule. Failures become warnings and action
 * texts; nothing here replies.
 */
#include <stdio.h>
#include <string.h>

#include "orc_internal.h"

static void warn(orc_decision_t *d, const char *text)
{
    json_object_array_add(orc_jget(d->decisions, "warnings"), json_object_new_string(text));
}

static void action(orc_acts_t *a, const char *text)
{
    json_object_array_add(a->actions, json_object_new_string(text));
}

static const char *detail_of(dsm_req_t *req, const dsm_api_t *api, int status,
                             struct json_object *body, const char *err)
{
    const char *det = orc_jstr(body, "detail");

    if (status < 0)
        return err ? err : "no answer";
    if (det != NULL)
        return api->psprintf(req, "%d: %s", status, det);
    return api->psprintf(req, "%d: %s", status,
                         body ? json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN) : "");
}

static void close_sprint(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_acts_t *a)
{
    const dsm_api_t *api = st->api;
    const char *sid = orc_jstr(d->decisions, "sprint_id_to_close");
    struct json_object *body = NULL, *sum = orc_jpath(d->perception, "sprints", "current_task_summary");
    const char *err = NULL;
    char name[256];
    int s, del;

    if (sid == NULL) {
        warn(d, "Cannot close sprint: Sprint ID is missing from analysis.");
        return;
    }
    s = orc_call(st, req, ORC_SPRINT, "POST", api->psprintf(req, "/sprints/%s/close", orc_seg(st, req, sid)),
                 NULL, 0, &body, &err);
    if (s != 200) {
        warn(d, api->psprintf(req, "Failed to close sprint %s: %s", sid, detail_of(req, api, s, body, err)));
        json_object_object_add(d->decisions, "cronjob_deleted", json_object_new_boolean(0));
        json_object_put(body);
        return;
    }
    a->closed_sprint = api->pstrdup(req, sid);
    a->close_result = body;
    a->closed_committed = sum ? (int)orc_jnum(sum, "total_tasks", -1) : -1;
    action(a, api->psprintf(req, "Closed sprint %s", sid));
    if (orc_jget(body, "retrospective_report_id") != NULL)
        action(a, api->psprintf(req, "Generated retrospective report for %s", sid));
    orc_schedule_name(d->project_id, sid, name, sizeof name);
    del = orc_schedule_delete_sprint(st, req, d->project_id, sid);
    if (del > 0) {
        a->schedule_name = api->pstrdup(req, name);
        action(a, api->psprintf(req, "Deleted cronjob %s", name));
    } else if (del < 0) {
        warn(d, api->psprintf(req, "Failed to delete CronJob %s: database error", name));
    }
    json_object_object_add(d->decisions, "cronjob_deleted", json_object_new_boolean(del > 0));
}

static void create_sprint(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_acts_t *a)
{
    const dsm_api_t *api = st->api;
    struct json_object *req_body = json_object_new_object(), *body = NULL, *w;
    const char *err = NULL, *sid;
    int tasks = (int)orc_jnum(d->decisions, "tasks_to_assign", 0);
    int weeks = (int)orc_jnum(d->decisions, "sprint_duration_weeks", 2);
    int s;

    json_object_object_add(req_body, "sprint_name",
                           orc_jstr_or_null(orc_jstr(d->decisions, "sprint_name")));
    json_object_object_add(req_body, "duration_weeks", json_object_new_int(weeks));
    json_object_object_add(req_body, st->task_count_field, json_object_new_int(tasks));
    s = orc_call(st, req, ORC_SPRINT, "POST",
                 api->psprintf(req, "/sprints/%s", orc_seg(st, req, d->project_id)), req_body, 0,
                 &body, &err);
    json_object_put(req_body);
    sid = orc_jstr(body, "sprint_id");
    if ((s != 200 && s != 201) || sid == NULL) {
        warn(d, api->psprintf(req, "Failed to create sprint: %s", detail_of(req, api, s, body, err)));
        json_object_put(body);
        return;
    }
    a->created_sprint = api->pstrdup(req, sid);
    a->committed = (int)orc_jnum(body, "assigned_tasks_count", -1);
    action(a, api->psprintf(req, "Created new sprint %s", sid));
    action(a, api->psprintf(req, "Assigned %d tasks to sprint", a->committed >= 0 ? a->committed : tasks));
    if (a->committed >= 0 && a->committed != tasks)
        warn(d, api->psprintf(req, "Sprint Service assigned %d tasks instead of the decided %d",
                              a->committed, tasks));
    w = orc_jget(body, "warnings");
    for (size_t i = 0; w != NULL && json_object_is_type(w, json_type_array) && i < json_object_array_length(w); i++)
        json_object_array_add(orc_jget(d->decisions, "warnings"),
                              json_object_get(json_object_array_get_idx(w, i)));
    json_object_put(body);
}

static void create_schedule(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_acts_t *a,
                            const char *sid, const char *expr, const char *tz)
{
    const dsm_api_t *api = st->api;
    const char *err = NULL;
    char name[256];
    int rc;

    orc_schedule_name(d->project_id, sid, name, sizeof name);
    rc = orc_schedule_create(st, req, name, d->project_id, sid, expr, tz, &err);
    if (rc < 0) {
        warn(d, api->psprintf(req, "Failed to create CronJob for sprint %s: %s", sid, err));
        action(a, api->psprintf(req, "Failed to create cronjob for sprint %s", sid));
        json_object_object_add(d->decisions, "cronjob_created", json_object_new_boolean(0));
        return;
    }
    a->schedule_name = api->pstrdup(req, name);
    action(a, api->psprintf(req, rc == 0 ? "Created cronjob %s" : "Kept existing cronjob %s", name));
}

void orc_act(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, const char *schedule_expr,
             const char *schedule_tz, orc_acts_t *out)
{
    const char *sid = NULL;

    memset(out, 0, sizeof(*out));
    out->actions = json_object_new_array();
    out->committed = -1;
    out->closed_committed = -1;
    if (orc_jbool(d->decisions, "sprint_closure_triggered", 0))
        close_sprint(st, req, d, out);
    if (orc_jbool(d->decisions, "create_new_sprint", 0) && out->closed_sprint == NULL) {
        create_sprint(st, req, d, out);
        sid = out->created_sprint;
    } else if (!orc_jbool(d->decisions, "sprint_closure_triggered", 0)) {
        sid = orc_jstr(d->decisions, "sprint_id"); /* R2b: recreate the active sprint's schedule */
    }
    if (orc_jbool(d->decisions, "cronjob_created", 0)) {
        if (sid != NULL)
            create_schedule(st, req, d, out, sid, schedule_expr, schedule_tz);
        else
            json_object_object_add(d->decisions, "cronjob_created", json_object_new_boolean(0));
    }
}

void orc_acts_free(orc_acts_t *a)
{
    json_object_put(a->actions);
    json_object_put(a->close_result);
    a->actions = a->close_result = NULL;
}
