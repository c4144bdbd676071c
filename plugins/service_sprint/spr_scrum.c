/*
 * spr_scrum.c — S13 POST /sprints/{sprint_id}/run-daily-scrum[?force=true][&date=YYYY-MM-DD]
 * [&seed=TEXT]: one simulated day of work on an in-progress sprint.
 *
 *  * The day is `date` (default: the server's local date). On a holiday of the Project service's
 *    calendar nothing happens (200, "skipped": true, the holiday named) unless force=true.
 *  * Every task below 100 % advances by a uniform 5..30 points (capped at 100; completed at 100,
 *    else in_progress) — except the tasks of assignees on PTO that day, which stay where they
 *    are. With `seed` the increments are a function of (seed, sprint, task, date, progress),
 *    so a run is reproducible; without it they are random.
 *  * Simulated capacity (only when the project has a sim_capacity row, written by
 *    PUT /sprints/simulation/capacity/{project_id}, spr_simcap.c): instead, the day's work
 *    budget — points per member present (team minus PTO), ± the row's variation — is spent on
 *    the unfinished tasks in task-id order (spr_sim_budget / spr_sim_step); tasks the budget
 *    does not reach are not worked on (not updated, no event, not in the report). The answer
 *    then also carries "simulated_work_points" (the day's budget).
 *  * The updates are one transaction (holding the sprint row, so a concurrent close waits);
 *    after the commit each advanced task gets TASK_UPDATED (task_update_events) and
 *    TASK_PROGRESSED (daily_scrum_events), and the Chronicle gets the daily report (C4 shape).
 *    A Chronicle failure leaves the scrum done: report_stored false, report_id null, a warning.
 */
#include <stdlib.h>
#include <string.h>

#include "spr_calendar.h"

typedef struct {
    const char *sid, *pid, *seed;
    int force;
    spr_day_t day;
    spr_entry_t *e; /* one per task below 100 % (advanced or on PTO) */
    size_t n;
    int updated;
    spr_metrics_t m;
    int sim;        /* 1: the project has a simulated capacity */
    int sim_points, sim_variation, sim_budget;
} spr_scrum_t;

/* Query force (bool), date (ISO date), seed (text). 1 valid; 0 replied 422. */
static int read_query(const spr_state_t *st, dsm_req_t *req, spr_scrum_t *s)
{
    const dsm_api_t *api = st->api;
    char date[11] = "";

    s->force = 0;
    api->v_bool(req, "query", "force", 0, &s->force);
    if (api->v_date(req, "query", "date", 0, date) == 1 && !api->date_valid(date))
        api->v_problem(req, "query", "date", "date_from_datetime_parsing",
                       "Input should be a valid date or datetime, day value is outside expected "
                       "range",
                       NULL);
    s->seed = NULL;
    api->v_str(req, "query", "seed", 0, &s->seed);
    if (api->v_failed(req))
        return 0;
    if (date[0] != '\0')
        memcpy(s->day.date, date, sizeof s->day.date);
    else
        spr_today(s->day.date);
    if (s->seed == NULL)
        s->seed = api->uuid4(req); /* a random run */
    return 1;
}

/* The sprint's project when it exists and is in progress (lock: FOR UPDATE inside a
 * transaction). NULL: replied (404 or a database error). */
static const char *active_project(const spr_state_t *st, dsm_req_t *req, const char *sid,
                                  int in_tx)
{
    const dsm_api_t *api = st->api;
    const char *params[1] = {sid};
    dsm_rows_t *r = api->db_exec(req, NULL,
                                 in_tx ? "SELECT project_id, status FROM sprints WHERE "
                                         "sprint_id = $1 FOR UPDATE"
                                       : "SELECT project_id, status FROM sprints WHERE "
                                         "sprint_id = $1",
                                 1, params);

    if (r == NULL)
        return spr_db_fail(st, req, in_tx), NULL;
    if (api->rows_count(r) == 0 || strcmp(api->rows_value(r, 0, 1), SPR_ST_IN_PROGRESS) != 0)
        return spr_fail(st, req, in_tx, 404, api->psprintf(req, "Active sprint %s not found.", sid)),
               NULL;
    return api->pstrdup(req, api->rows_value(r, 0, 0));
}

/* Inside the transaction: the project's simulated capacity, if any. 1 ok; 0 replied. */
static int load_capacity(const spr_state_t *st, dsm_req_t *req, spr_scrum_t *s)
{
    const dsm_api_t *api = st->api;
    const char *params[1] = {s->pid};
    dsm_rows_t *r = api->db_exec(req, NULL,
                                 "SELECT points_per_member_day, variation_percent FROM "
                                 "sim_capacity WHERE project_id = $1",
                                 1, params);
    uint64_t rng;

    if (r == NULL)
        return spr_db_fail(st, req, 1), 0;
    s->sim = api->rows_count(r) > 0;
    if (!s->sim)
        return 1;
    s->sim_points = spr_atoi(api->rows_value(r, 0, 0));
    s->sim_variation = spr_atoi(api->rows_value(r, 0, 1));
    rng = spr_rng_seed(s->seed, s->sid, "capacity", s->day.date, 0);
    s->sim_budget = spr_sim_budget(&rng, s->sim_points, s->sim_variation,
                                   s->day.team_size - (int)s->day.npto);
    return 1;
}

/* Inside the transaction: simulate the day for every task below 100 % and write the results.
 * 1 ok; 0 replied. */
static int simulate(const spr_state_t *st, dsm_req_t *req, spr_scrum_t *s)
{
    const dsm_api_t *api = st->api;
    const char *params[4] = {s->sid, NULL, NULL, NULL};
    const char **ids, **statuses, **progress;
    const char *now = api->utcnow_iso(req);
    dsm_rows_t *r;
    int rows, k = 0, budget = s->sim_budget;

    r = api->db_exec(req, NULL,
                     "SELECT task_id, title, assigned_to, coalesce(progress_percentage, 0) "
                     "FROM tasks WHERE sprint_id = $1 ORDER BY task_id",
                     1, params);
    if (r == NULL)
        return spr_db_fail(st, req, 1), 0;
    rows = api->rows_count(r);
    s->e = api->palloc(req, ((size_t)rows + 1) * sizeof(spr_entry_t));
    ids = api->palloc(req, ((size_t)rows + 1) * sizeof(char *));
    statuses = api->palloc(req, ((size_t)rows + 1) * sizeof(char *));
    progress = api->palloc(req, ((size_t)rows + 1) * sizeof(char *));
    if (s->e == NULL || ids == NULL || statuses == NULL || progress == NULL)
        return spr_fail(st, req, 1, 500, NULL), 0;
    s->m.total_tasks = rows;
    for (int i = 0; i < rows; i++) {
        spr_entry_t *e = &s->e[s->n];
        int old = spr_atoi(api->rows_value(r, i, 3));
        spr_step_t step;
        uint64_t rng;

        if (old >= 100) {
            s->m.completed_tasks++;
            continue;
        }
        e->task_id = api->rows_value(r, i, 0);
        e->title = api->rows_value(r, i, 1) != NULL ? api->rows_value(r, i, 1) : "";
        e->assignee = api->rows_value(r, i, 2);
        e->created_at = now;
        e->progress = old;
        s->n++;
        if (spr_day_on_pto(&s->day, e->assignee)) {
            e->on_pto = 1;
            continue;
        }
        rng = spr_rng_seed(s->seed, s->sid, e->task_id, s->day.date, old);
        if (s->sim)
            spr_sim_step(&rng, &budget, old, &step);
        else
            spr_scrum_step(&rng, old, &step);
        if (step.made == 0) { /* simulated capacity used up: not worked on today */
            s->n--;
            continue;
        }
        e->made = step.made;
        e->progress = step.progress;
        e->impediment = step.impediment;
        if (step.progress >= 100)
            s->m.completed_tasks++;
        ids[k] = e->task_id;
        statuses[k] = step.status;
        progress[k] = api->psprintf(req, "%d", step.progress);
        k++;
    }
    s->updated = k;
    s->m.pending_tasks = s->m.total_tasks - s->m.completed_tasks;
    s->m.total_team_members = s->day.team_size;
    if (k == 0)
        return 1;
    params[1] = spr_array_param(st, req, ids, (size_t)k);
    params[2] = spr_array_param(st, req, statuses, (size_t)k);
    params[3] = spr_array_param(st, req, progress, (size_t)k);
    if (params[1] == NULL || params[2] == NULL || params[3] == NULL)
        return spr_fail(st, req, 1, 500, NULL), 0;
    if (api->db_exec(req, NULL,
                     "UPDATE tasks SET status = u.st, progress_percentage = u.p "
                     "FROM unnest($2::text[], $3::text[], $4::int[]) AS u(id, st, p) "
                     "WHERE tasks.task_id = u.id AND tasks.sprint_id = $1",
                     4, params) == NULL)
        return spr_db_fail(st, req, 1), 0;
    return 1;
}

/* After the commit: the events of every advanced task. */
static void publish(const spr_state_t *st, dsm_req_t *req, const spr_scrum_t *s,
                    struct json_object **warnings)
{
    int lost = 0;

    for (size_t i = 0; i < s->n; i++) {
        const spr_entry_t *e = &s->e[i];
        spr_task_evt_t ev = {e->task_id, s->pid, s->sid,
                             e->progress >= 100 ? SPR_TS_COMPLETED : SPR_TS_IN_PROGRESS,
                             e->assignee, e->progress};

        if (e->on_pto)
            continue;
        if (spr_publish_task_updated(st, req, &ev, NULL) != DSM_OK)
            lost++;
        if (spr_publish_progressed(st, req, s->sid, e) != DSM_OK)
            lost++;
    }
    if (lost > 0)
        spr_warn(warnings, st->api->psprintf(req, "%d events could not be published to Redis.",
                                             lost));
}

/* The Chronicle daily report; the note id, or NULL (with a warning) when it was not stored. */
static const char *post_report(const spr_state_t *st, dsm_req_t *req, const spr_scrum_t *s,
                               struct json_object **warnings)
{
    const dsm_api_t *api = st->api;
    size_t len = spr_scrum_summary(NULL, 0, s->sid, s->updated, s->day.pto, s->day.npto);
    char *summary = api->palloc(req, len + 1);
    struct json_object *body, *v = NULL;
    const char *note_id = NULL;
    spr_resp_t r;

    if (summary == NULL)
        return NULL;
    spr_scrum_summary(summary, len + 1, s->sid, s->updated, s->day.pto, s->day.npto);
    body = spr_report_build(s->pid, s->sid, s->day.date, summary, &s->m, s->e, s->n);
    if (spr_call(st, req, SPR_CHRONICLE, "POST", "/v1/notes/daily_scrum_report", body, &r) &&
        json_object_object_get_ex(r.body, "note_id", &v) &&
        json_object_is_type(v, json_type_string))
        note_id = api->pstrdup(req, json_object_get_string(v));
    else
        spr_warn(warnings, api->psprintf(req, "Daily scrum report not stored: Chronicle Service "
                                              "unavailable (%s).",
                                         spr_resp_reason(st, req, &r)));
    spr_resp_free(&r);
    json_object_put(body);
    return note_id;
}

static int reply(const spr_state_t *st, dsm_req_t *req, const spr_scrum_t *s, int skipped,
                 const char *note_id, struct json_object *warnings)
{
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object(), *pto = json_object_new_array();
    const char *msg =
        skipped ? api->psprintf(req,
                                "Daily scrum skipped for sprint %s: %s is a holiday (%s). Use "
                                "force=true to run it anyway.",
                                s->sid, s->day.date, s->day.holiday)
                : api->psprintf(req, "Daily scrum process completed for sprint %s", s->sid);

    for (size_t i = 0; i < s->day.npto; i++)
        json_object_array_add(pto, json_object_new_string(s->day.pto[i]));
    json_object_object_add(o, "message", spr_jstr(msg));
    json_object_object_add(o, "sprint_id", json_object_new_string(s->sid));
    json_object_object_add(o, "tasks_updated_count", json_object_new_int(s->updated));
    json_object_object_add(o, "report_id", spr_jstr(note_id));
    json_object_object_add(o, "report_date", json_object_new_string(s->day.date));
    json_object_object_add(o, "report_stored", json_object_new_boolean(note_id != NULL));
    json_object_object_add(o, "skipped", json_object_new_boolean(skipped));
    json_object_object_add(o, "holiday", spr_jstr(s->day.holiday));
    json_object_object_add(o, "employees_on_pto", pto);
    if (s->sim && !skipped)
        json_object_object_add(o, "simulated_work_points", json_object_new_int(s->sim_budget));
    if (warnings != NULL)
        json_object_object_add(o, "warnings", warnings);
    return api->reply_json(req, 200, o);
}

/* S13 POST /sprints/{sprint_id}/run-daily-scrum */
int spr_daily_scrum(void *state, dsm_req_t *req)
{
    const spr_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *warnings = NULL;
    const char *note_id;
    spr_scrum_t s;

    memset(&s, 0, sizeof s);
    s.sid = spr_param(st, req, "sprint_id");
    if (!read_query(st, req, &s))
        return DSM_OK;
    s.pid = active_project(st, req, s.sid, 0);
    if (s.pid == NULL)
        return DSM_OK;
    if (!spr_require_redis(st, req, 0, "the daily scrum's task events cannot be published; "
                                       "nothing was changed.") ||
        !spr_calendar_day(st, req, s.pid, &s.day))
        return DSM_OK;
    if (s.day.holiday != NULL && !s.force)
        return reply(st, req, &s, 1, NULL, NULL);

    if (api->db_begin(req, NULL) != DSM_OK)
        return spr_db_fail(st, req, 0);
    if (active_project(st, req, s.sid, 1) == NULL || !load_capacity(st, req, &s) ||
        !simulate(st, req, &s))
        return DSM_OK;
    if (api->db_commit(req, NULL) != DSM_OK)
        return spr_db_fail(st, req, 0);
    publish(st, req, &s, &warnings);
    note_id = post_report(st, req, &s, &warnings);
    return reply(st, req, &s, 0, note_id, warnings);
}
