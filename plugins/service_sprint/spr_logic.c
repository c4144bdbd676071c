/* spr_logic.c — pure helpers of the Sprint service (see spr_logic.h). */
#include "spr_logic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sprint ids ---- */

int spr_sprint_number(const char *pid, const char *sprint_id)
{
    size_t plen = strlen(pid);
    const char *p;
    long v = 0;

    if (strncmp(sprint_id, pid, plen) != 0 || sprint_id[plen] != '-' || sprint_id[plen + 1] != 'S')
        return 0;
    p = sprint_id + plen + 2;
    if (*p < '0' || *p > '9')
        return 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (*p - '0');
        if (v > 1000000)
            return 0;
    }
    return *p == '\0' ? (int)v : 0;
}

int spr_next_number(const char *pid, const char *const *ids, size_t n)
{
    int best = (int)n;

    for (size_t i = 0; i < n; i++) {
        int k = ids[i] != NULL ? spr_sprint_number(pid, ids[i]) : 0;

        if (k > best)
            best = k;
    }
    return best + 1;
}

size_t spr_sprint_id(char *out, size_t n, const char *pid, int number)
{
    int len = snprintf(out, n, "%s-S%02d", pid, number);

    return len < 0 ? 0 : (size_t)len;
}

/* ---- dates (Howard Hinnant's civil algorithms) ---- */

static long days_from_civil(long y, unsigned m, unsigned d)
{
    long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

void spr_date_format(long z, char out[11])
{
    long era, y;
    unsigned doe, yoe, doy, mp, d, m;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = (long)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999)
        y = y < 0 ? 0 : 9999;
    snprintf(out, 11, "%04ld-%02u-%02u", y, m % 100u, d % 100u);
}

int spr_date_parse(const char *s, long *days)
{
    static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y = 0, m, d;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (unsigned)(s[i] - '0');
    m = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
    d = (unsigned)(s[8] - '0') * 10 + (unsigned)(s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    *days = days_from_civil((long)y, m, d);
    return 1;
}

int spr_date_add_weeks(const char *date, int weeks, char out[11])
{
    long days;

    if (!spr_date_parse(date, &days))
        return 0;
    spr_date_format(days + 7L * weeks, out);
    return 1;
}

int spr_date_within(const char *date, const char *start, const char *end)
{
    if (date == NULL || start == NULL || end == NULL)
        return 0;
    return strncmp(start, date, 10) <= 0 && strncmp(date, end, 10) <= 0;
}

/* ---- S5 ---- */

void spr_assign_round_robin(const char *const *assignees, size_t n, const char *const *members,
                            size_t nmembers, const char **out)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        if (assignees != NULL && assignees[i] != NULL && assignees[i][0] != '\0')
            out[i] = assignees[i];
        else if (nmembers > 0)
            out[i] = members[k++ % nmembers];
        else
            out[i] = NULL;
    }
}

/* ---- S10 ---- */

int spr_task_status_known(const char *s)
{
    return s != NULL && (strcmp(s, SPR_TS_ASSIGNED) == 0 || strcmp(s, SPR_TS_IN_PROGRESS) == 0 ||
                         strcmp(s, SPR_TS_COMPLETED) == 0);
}

spr_progress_rc spr_progress_apply(const char *cur_status, int cur_progress,
                                   const char *new_status, int has_progress, int64_t new_progress,
                                   const char **out_status, int *out_progress)
{
    *out_status = cur_status;
    *out_progress = cur_progress;
    if (new_status == NULL && !has_progress)
        return SPR_PROGRESS_NOTHING;
    if (has_progress && (new_progress < 0 || new_progress > 100))
        return SPR_PROGRESS_RANGE;
    if (new_status != NULL && !spr_task_status_known(new_status))
        return SPR_PROGRESS_STATUS;
    if (new_status != NULL && has_progress) {
        if ((strcmp(new_status, SPR_TS_COMPLETED) == 0) != (new_progress == 100))
            return SPR_PROGRESS_INCONSISTENT;
        *out_status = new_status;
        *out_progress = (int)new_progress;
    } else if (has_progress) {
        *out_status = new_progress == 100 ? SPR_TS_COMPLETED : SPR_TS_IN_PROGRESS;
        *out_progress = (int)new_progress;
    } else if (strcmp(new_status, SPR_TS_COMPLETED) == 0) {
        *out_status = new_status;
        *out_progress = 100;
    } else {
        if (cur_progress >= 100)
            return SPR_PROGRESS_REOPEN_DONE;
        *out_status = new_status;
    }
    return SPR_PROGRESS_OK;
}

const char *spr_progress_message(spr_progress_rc rc)
{
    switch (rc) {
    case SPR_PROGRESS_OK:
        return "OK";
    case SPR_PROGRESS_NOTHING:
        return "No fields provided for update.";
    case SPR_PROGRESS_RANGE:
        return "Progress percentage must be between 0 and 100";
    case SPR_PROGRESS_STATUS:
        return "Input should be 'assigned_to_sprint', 'in_progress' or 'completed'";
    case SPR_PROGRESS_INCONSISTENT:
        return "status 'completed' goes with progress_percentage 100 and only with it";
    case SPR_PROGRESS_REOPEN_DONE:
        return "The task is 100% complete: give a progress_percentage below 100 to reopen it";
    }
    return "Invalid update";
}

/* ---- S13 ---- */

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s != NULL ? s : ""); *p != 0; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    h ^= 0x1f; /* part separator: ("ab","c") and ("a","bc") differ */
    h *= 0x100000001b3ULL;
    return h;
}

uint64_t spr_rng_seed(const char *seed, const char *sprint_id, const char *task_id,
                      const char *date, int old_progress)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    char old[16];

    snprintf(old, sizeof old, "%d", old_progress);
    h = fnv1a(h, seed);
    h = fnv1a(h, sprint_id);
    h = fnv1a(h, task_id);
    h = fnv1a(h, date);
    return fnv1a(h, old);
}

uint64_t spr_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int spr_rng_range(uint64_t *state, int lo, int hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;

    return lo + (int)(spr_rng_next(state) % span);
}

void spr_scrum_step(uint64_t *rng, int old, spr_step_t *out)
{
    out->made = spr_rng_range(rng, SPR_STEP_MIN, SPR_STEP_MAX);
    out->progress = old + out->made >= 100 ? 100 : old + out->made;
    out->status = out->progress >= 100 ? SPR_TS_COMPLETED : SPR_TS_IN_PROGRESS;
    out->impediment = spr_rng_range(rng, 1, 100) <= SPR_IMPEDIMENT_PERCENT;
}

int spr_sim_budget(uint64_t *rng, int points_per_member_day, int variation_percent, int present)
{
    long long b;
    int u = 0;

    if (points_per_member_day <= 0 || present <= 0)
        return 0;
    if (variation_percent > SPR_SIM_MAX_VARIATION)
        variation_percent = SPR_SIM_MAX_VARIATION;
    if (variation_percent > 0)
        u = spr_rng_range(rng, -variation_percent, variation_percent);
    b = (long long)points_per_member_day * present * (100 + u);
    b = (b + 50) / 100;
    return b > 1000000000LL ? 1000000000 : (int)b;
}

void spr_sim_step(uint64_t *rng, int *budget, int old, spr_step_t *out)
{
    int need = 100 - old;

    out->made = *budget < need ? (*budget > 0 ? *budget : 0) : need;
    *budget -= out->made;
    out->progress = old + out->made;
    out->status = out->progress >= 100 ? SPR_TS_COMPLETED : SPR_TS_IN_PROGRESS;
    out->impediment = out->made > 0 && spr_rng_range(rng, 1, 100) <= SPR_IMPEDIMENT_PERCENT;
}

size_t spr_text_yesterday(char *out, size_t n, const spr_entry_t *e)
{
    int len = e->on_pto ? snprintf(out, n, "On PTO: no work on %s.", e->title)
                        : snprintf(out, n, "Worked on %s and completed %d%% of it.", e->title,
                                   e->made);

    return len < 0 ? 0 : (size_t)len;
}

size_t spr_text_today(char *out, size_t n, const spr_entry_t *e)
{
    int len = e->on_pto
                  ? snprintf(out, n, "On PTO today; %s stays at %d%% completion.", e->title,
                             e->progress)
                  : snprintf(out, n, "Continuing work on %s to reach %d%% completion.", e->title,
                             e->progress);

    return len < 0 ? 0 : (size_t)len;
}

const char *spr_text_impediments(const spr_entry_t *e)
{
    if (e->on_pto)
        return "Assignee on PTO.";
    return e->impediment ? "Encountered a minor blocker with external dependency." : "None.";
}

size_t spr_scrum_summary(char *out, size_t n, const char *sprint_id, int updated,
                         const char *const *pto, size_t npto)
{
    int len = snprintf(out, n, "Daily stand-up for sprint %s. %d tasks had progress simulated.",
                       sprint_id, updated);
    size_t k = len < 0 ? 0 : (size_t)len;

    for (size_t i = 0; i < npto; i++) {
        len = snprintf(k < n ? out + k : NULL, k < n ? n - k : 0, "%s%s%s",
                       i == 0 ? " On PTO today: " : ", ", pto[i], i + 1 == npto ? "." : "");
        k += len < 0 ? 0 : (size_t)len;
    }
    return k;
}

static json_object *jstr(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

/* A json string of a snprintf-style text builder. */
static json_object *jtext(size_t (*fn)(char *, size_t, const spr_entry_t *), const spr_entry_t *e)
{
    size_t len = fn(NULL, 0, e);
    char *buf = malloc(len + 1);
    json_object *o;

    if (buf == NULL)
        return json_object_new_string("");
    fn(buf, len + 1, e);
    o = json_object_new_string(buf);
    free(buf);
    return o;
}

static const char *who(const char *assignee)
{
    return assignee != NULL && assignee[0] != '\0' ? assignee : "unassigned";
}

json_object *spr_report_build(const char *project_id, const char *sprint_id, const char *date,
                              const char *summary, const spr_metrics_t *m,
                              const spr_entry_t *entries, size_t n)
{
    json_object *o = json_object_new_object(), *metrics = json_object_new_object();
    json_object *groups = json_object_new_array(), *reports = json_object_new_object();

    json_object_object_add(o, "project_id", jstr(project_id));
    json_object_object_add(o, "sprint_id", jstr(sprint_id));
    json_object_object_add(o, "report_date", jstr(date));
    json_object_object_add(o, "summary", jstr(summary));
    json_object_object_add(metrics, "total_team_members",
                           json_object_new_int(m->total_team_members));
    json_object_object_add(metrics, "total_tasks", json_object_new_int(m->total_tasks));
    json_object_object_add(metrics, "completed_tasks", json_object_new_int(m->completed_tasks));
    json_object_object_add(metrics, "pending_tasks", json_object_new_int(m->pending_tasks));
    json_object_object_add(o, "summary_metrics", metrics);

    for (size_t i = 0; i < n; i++) {
        const spr_entry_t *e = &entries[i];
        json_object *group = NULL, *tasks = NULL, *t = json_object_new_object();

        for (size_t g = 0; g < json_object_array_length(groups); g++) {
            json_object *cand = json_object_array_get_idx(groups, g), *a = NULL;

            json_object_object_get_ex(cand, "assigned_to", &a);
            if (strcmp(json_object_get_string(a), who(e->assignee)) == 0) {
                group = cand;
                break;
            }
        }
        if (group == NULL) {
            group = json_object_new_object();
            json_object_object_add(group, "assigned_to", json_object_new_string(who(e->assignee)));
            json_object_object_add(group, "tasks", json_object_new_array());
            json_object_array_add(groups, group);
        }
        json_object_object_get_ex(group, "tasks", &tasks);
        json_object_object_add(t, "id", jstr(e->task_id));
        json_object_object_add(t, "yesterday_work", jtext(spr_text_yesterday, e));
        json_object_object_add(t, "today_work", jtext(spr_text_today, e));
        json_object_object_add(t, "impediments", json_object_new_string(spr_text_impediments(e)));
        json_object_object_add(t, "created_at", jstr(e->created_at));
        json_object_array_add(tasks, t);
    }
    json_object_object_add(reports, date != NULL ? date : "", groups);
    json_object_object_add(o, "reports", reports);
    return o;
}

/* ---- S11 ---- */

void spr_retro_counts(const spr_task_t *t, size_t n, spr_retro_counts_t *c)
{
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < n; i++) {
        int p = t[i].progress;
        const char *s = t[i].status != NULL ? t[i].status : "";

        if (p == 100)
            c->completed++;
        if (p < 100)
            c->unfinished++;
        if (p > 0 && p < 100)
            c->in_progress++;
        if (p == 0 || strcmp(s, "not_started") == 0 || strcmp(s, SPR_TS_ASSIGNED) == 0)
            c->not_started++;
    }
}

static void add_action(json_object *items, const char *fmt, int count)
{
    char buf[96];
    json_object *it;

    if (count <= 0)
        return;
    snprintf(buf, sizeof buf, fmt, count);
    it = json_object_new_object();
    json_object_object_add(it, "description", json_object_new_string(buf));
    json_object_object_add(it, "status", json_object_new_string("open"));
    json_object_array_add(items, it);
}

json_object *spr_retro_build(const spr_sprint_t *s, const spr_task_t *t, size_t n)
{
    json_object *o = json_object_new_object(), *items = json_object_new_array();
    json_object *att = json_object_new_array(), *summary = json_object_new_array();
    spr_retro_counts_t c;
    char well[64], better[160];

    spr_retro_counts(t, n, &c);
    if (c.completed > 0)
        snprintf(well, sizeof well, "Successfully completed %d tasks.", c.completed);
    else
        snprintf(well, sizeof well, "No tasks were completed.");
    snprintf(better, sizeof better, "Continue current practices.");
    if (c.in_progress > 0)
        snprintf(better, sizeof better, "Address the %d tasks that are still in progress.",
                 c.in_progress);
    if (c.not_started > 0) {
        if (c.in_progress > 0) {
            size_t k = strlen(better);

            snprintf(better + k, sizeof better - k,
                     " Also, investigate the %d tasks that were not started.", c.not_started);
        } else {
            snprintf(better, sizeof better, "Investigate the %d tasks that were not started.",
                     c.not_started);
        }
    }
    add_action(items, "Review %d tasks that were completed.", c.completed);
    add_action(items, "Address %d tasks that are still in progress.", c.in_progress);
    add_action(items, "Investigate %d tasks that were not started.", c.not_started);
    json_object_array_add(att, json_object_new_string("EMP_ATTENDEE_1"));
    json_object_array_add(att, json_object_new_string("EMP_ATTENDEE_2"));
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_new_object();

        json_object_object_add(e, "description", json_object_new_string(t[i].title ? t[i].title : ""));
        json_object_object_add(e, "status", json_object_new_string(t[i].status ? t[i].status : ""));
        json_object_object_add(e, "task_id", jstr(t[i].task_id));
        json_object_object_add(e, "employee_id", json_object_new_string(who(t[i].assignee)));
        json_object_object_add(e, "progress_percentage", json_object_new_int(t[i].progress));
        json_object_array_add(summary, e);
    }

    json_object_object_add(o, "sprint_id", jstr(s->sprint_id));
    json_object_object_add(o, "project_id", jstr(s->project_id));
    json_object_object_add(o, "sprint_name", jstr(s->sprint_name));
    json_object_object_add(o, "start_date", jstr(s->start_date));
    json_object_object_add(o, "end_date", jstr(s->end_date));
    json_object_object_add(o, "duration_weeks",
                           s->duration_weeks >= 0 ? json_object_new_int(s->duration_weeks) : NULL);
    json_object_object_add(o, "what_went_well", json_object_new_string(well));
    json_object_object_add(o, "what_could_be_improved", json_object_new_string(better));
    json_object_object_add(o, "action_items", items);
    json_object_object_add(o, "facilitator_id", json_object_new_string("EMP_FACILITATOR"));
    json_object_object_add(o, "attendees", att);
    json_object_object_add(o, "tasks_summary", summary);
    return o;
}

/* ---- events ---- */

json_object *spr_evt_task_updated(const char *event_id, const char *timestamp,
                                  const char *correlation_id, const spr_task_evt_t *e)
{
    json_object *o = json_object_new_object(), *d = json_object_new_object();
    json_object *meta = json_object_new_object();

    json_object_object_add(o, "event_id", jstr(event_id));
    json_object_object_add(o, "event_type", json_object_new_string("TASK_UPDATED"));
    json_object_object_add(o, "timestamp", jstr(timestamp));
    json_object_object_add(o, "aggregate_id", jstr(e->task_id));
    json_object_object_add(o, "aggregate_type", json_object_new_string("Task"));
    json_object_object_add(d, "task_id", jstr(e->task_id));
    json_object_object_add(d, "project_id", jstr(e->project_id));
    json_object_object_add(d, "sprint_id", jstr(e->sprint_id));
    json_object_object_add(d, "status", jstr(e->status));
    json_object_object_add(d, "progress_percentage", json_object_new_int(e->progress));
    json_object_object_add(d, "updated_at", jstr(timestamp));
    json_object_object_add(d, "assigned_to", jstr(e->assigned_to));
    json_object_object_add(o, "event_data", d);
    json_object_object_add(meta, "source_service", json_object_new_string("SprintService"));
    json_object_object_add(meta, "correlation_id", jstr(correlation_id));
    json_object_object_add(o, "metadata", meta);
    return o;
}

json_object *spr_evt_task_progressed(const char *event_id, const char *timestamp,
                                     const char *sprint_id, const spr_entry_t *e)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "event_id", jstr(event_id));
    json_object_object_add(o, "event_type", json_object_new_string("TASK_PROGRESSED"));
    json_object_object_add(o, "timestamp", jstr(timestamp));
    json_object_object_add(o, "sprint_id", jstr(sprint_id));
    json_object_object_add(o, "task_id", jstr(e->task_id));
    json_object_object_add(o, "progress_made", json_object_new_int(e->on_pto ? 0 : e->made));
    json_object_object_add(o, "new_total_progress", json_object_new_int(e->progress));
    json_object_object_add(o, "employee_id", json_object_new_string(who(e->assignee)));
    json_object_object_add(o, "yesterday_work", jtext(spr_text_yesterday, e));
    json_object_object_add(o, "today_work", jtext(spr_text_today, e));
    json_object_object_add(o, "impediments", json_object_new_string(spr_text_impediments(e)));
    return o;
}

/* SprintClosed on dsm:events: how the sprint ended, for the orchestrator's learning loop. */
json_object *spr_evt_sprint_closed(const char *event_id, const char *timestamp,
                                   const char *correlation_id, const spr_sprint_t *s,
                                   const char *status, int total, int completed, int moved_back)
{
    json_object *o = json_object_new_object(), *p = json_object_new_object();

    json_object_object_add(o, "event_id", jstr(event_id));
    json_object_object_add(o, "event_type", json_object_new_string("SprintClosed"));
    json_object_object_add(o, "aggregate_id", jstr(s->sprint_id));
    json_object_object_add(p, "sprint_id", jstr(s->sprint_id));
    json_object_object_add(p, "project_id", jstr(s->project_id));
    json_object_object_add(p, "status_updated_to", jstr(status));
    json_object_object_add(p, "total_tasks", json_object_new_int(total));
    json_object_object_add(p, "completed_tasks_count", json_object_new_int(completed));
    json_object_object_add(p, "uncompleted_tasks_moved_to_backlog_count",
                           json_object_new_int(moved_back));
    json_object_object_add(o, "payload", p);
    json_object_object_add(o, "timestamp", jstr(timestamp));
    json_object_object_add(o, "correlation_id", jstr(correlation_id));
    return o;
}

json_object *spr_evt_sprint_started(const char *event_id, const char *timestamp,
                                    const char *correlation_id, const spr_sprint_t *s,
                                    const char *const *task_ids, size_t n)
{
    json_object *o = json_object_new_object(), *p = json_object_new_object();
    json_object *tasks = json_object_new_array();

    for (size_t i = 0; i < n; i++)
        json_object_array_add(tasks, jstr(task_ids[i]));
    json_object_object_add(o, "event_id", jstr(event_id));
    json_object_object_add(o, "event_type", json_object_new_string("SprintStarted"));
    json_object_object_add(o, "aggregate_id", jstr(s->sprint_id));
    json_object_object_add(p, "sprint_id", jstr(s->sprint_id));
    json_object_object_add(p, "project_id", jstr(s->project_id));
    json_object_object_add(p, "sprint_name", jstr(s->sprint_name));
    json_object_object_add(p, "start_date", jstr(s->start_date));
    json_object_object_add(p, "end_date", jstr(s->end_date));
    json_object_object_add(p, "tasks", tasks);
    json_object_object_add(o, "payload", p);
    json_object_object_add(o, "timestamp", jstr(timestamp));
    json_object_object_add(o, "correlation_id", jstr(correlation_id));
    return o;
}
