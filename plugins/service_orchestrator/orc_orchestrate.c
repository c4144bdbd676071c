/*
 * orc_orchestrate.c — O4 POST /orchestrate/project/{project_id}: validate the options, read the
 * project's decision mode, perceive, decide (orc_pipeline.c), act (orc_act.c), record the
 * outcome of a sprint this decision closed, store (orc_store.c) and answer the original's
 * response document plus decision_id / episode_id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "orc_internal.h"

#define ORC_DEFAULT_SCHEDULE "0 14 * * 1-5"

/* Pydantic-lax bool of an options member. 1 ok (*out), 0 absent, -1 problem recorded. */
static int opt_bool(struct json_object *opts, const char *key, int *out, struct json_object *problems)
{
    struct json_object *v = NULL;

    if (!json_object_object_get_ex(opts, key, &v) || v == NULL)
        return 0;
    if (json_object_is_type(v, json_type_boolean)) {
        *out = json_object_get_boolean(v);
        return 1;
    }
    if (json_object_is_type(v, json_type_int) && (json_object_get_int64(v) == 0 || json_object_get_int64(v) == 1)) {
        *out = (int)json_object_get_int64(v);
        return 1;
    }
    if (json_object_is_type(v, json_type_string)) {
        static const char *const t[] = {"true", "1", "yes", "on", "t", "y"}, *const f[] = {"false", "0", "no", "off", "f", "n"};
        const char *s = json_object_get_string(v);

        for (size_t i = 0; i < 6; i++) {
            if (strcasecmp(s, t[i]) == 0)
                return *out = 1, 1;
            if (strcasecmp(s, f[i]) == 0)
                return *out = 0, 1;
        }
    }
    orc_problem(problems, "body", "options", key, "bool_parsing", "Input should be a valid boolean", v);
    return -1;
}

static int opt_int(struct json_object *opts, const char *key, long lo, long hi, long *out,
                   struct json_object *problems)
{
    struct json_object *v = NULL;
    char msg[96];
    double d;

    if (!json_object_object_get_ex(opts, key, &v) || v == NULL)
        return 0;
    if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
        d = json_object_get_double(v);
    } else if (json_object_is_type(v, json_type_string)) {
        char *end;

        d = strtod(json_object_get_string(v), &end);
        if (end == json_object_get_string(v) || *end != '\0') {
            orc_problem(problems, "body", "options", key, "int_parsing",
                        "Input should be a valid integer, unable to parse string as an integer", v);
            return -1;
        }
    } else {
        orc_problem(problems, "body", "options", key, "int_type", "Input should be a valid integer", v);
        return -1;
    }
    if (d != (double)(long)d) {
        orc_problem(problems, "body", "options", key, "int_from_float",
                    "Input should be a valid integer, got a number with a fractional part", v);
        return -1;
    }
    if (d < lo || d > hi) {
        snprintf(msg, sizeof msg, "Input should be %s %ld", d < lo ? "greater than or equal to" : "less than or equal to",
                 d < lo ? lo : hi);
        orc_problem(problems, "body", "options", key, d < lo ? "greater_than_equal" : "less_than_equal", msg, v);
        return -1;
    }
    *out = (long)d;
    return 1;
}

static int opt_str(struct json_object *opts, const char *key, const char **out, struct json_object *problems)
{
    struct json_object *v = NULL;

    if (!json_object_object_get_ex(opts, key, &v) || v == NULL)
        return 0;
    if (!json_object_is_type(v, json_type_string)) {
        orc_problem(problems, "body", "options", key, "string_type", "Input should be a valid string", v);
        return -1;
    }
    *out = json_object_get_string(v);
    return 1;
}

struct json_object *orc_options(orc_state_t *st, dsm_req_t *req, struct json_object *body)
{
    const dsm_api_t *api = st->api;
    struct json_object *opts = orc_jget(body, "options"), *problems = json_object_new_array(), *o;
    struct json_object *action = orc_jget(body, "action");
    int csin = 1, assign = 1, ccron = 1, epr = 1;
    long weeks = 2, maxt = 10;
    const char *sched = ORC_DEFAULT_SCHEDULE, *tz = "UTC";
    orc_cron_t cron;
    char err[160];

    if (action != NULL && !json_object_is_type(action, json_type_string))
        orc_problem(problems, "body", "action", NULL, "string_type", "Input should be a valid string", action);
    if (opts != NULL && !json_object_is_type(opts, json_type_object)) {
        orc_problem(problems, "body", "options", NULL, "dict_type", "Input should be a valid dictionary", opts);
        opts = NULL;
    }
    if (opts != NULL) {
        opt_bool(opts, "create_sprint_if_needed", &csin, problems);
        opt_bool(opts, "assign_tasks", &assign, problems);
        opt_bool(opts, "create_cronjob", &ccron, problems);
        opt_bool(opts, "enable_pattern_recognition", &epr, problems);
        opt_int(opts, "sprint_duration_weeks", 1, 8, &weeks, problems);
        opt_int(opts, "max_tasks_per_sprint", 1, 1000, &maxt, problems);
        if (opt_str(opts, "schedule", &sched, problems) > 0 &&
            orc_cron_parse(sched, &cron, err, sizeof err) < 0)
            orc_problem(problems, "body", "options", "schedule", "value_error",
                        api->psprintf(req, "Value error, invalid cron expression: %s", err),
                        orc_jget(opts, "schedule"));
        if (opt_str(opts, "schedule_timezone", &tz, problems) > 0) {
            const char *p[1] = {tz};
            dsm_rows_t *r = strlen(tz) > 64 ? NULL
                                            : api->db_exec(req, NULL, "SELECT now() AT TIME ZONE $1", 1, p);

            if (r == NULL)
                orc_problem(problems, "body", "options", "schedule_timezone", "value_error",
                            "Value error, unknown time zone", orc_jget(opts, "schedule_timezone"));
        }
    }
    if (json_object_array_length(problems) > 0) {
        api->reply_detail(req, 422, problems);
        return NULL;
    }
    json_object_put(problems);
    o = json_object_new_object();
    json_object_object_add(o, "create_sprint_if_needed", json_object_new_boolean(csin));
    json_object_object_add(o, "assign_tasks", json_object_new_boolean(assign));
    json_object_object_add(o, "create_cronjob", json_object_new_boolean(ccron));
    json_object_object_add(o, "schedule", json_object_new_string(sched));
    json_object_object_add(o, "sprint_duration_weeks", json_object_new_int64(weeks));
    json_object_object_add(o, "max_tasks_per_sprint", json_object_new_int64(maxt));
    json_object_object_add(o, "enable_pattern_recognition", json_object_new_boolean(epr));
    json_object_object_add(o, "schedule_timezone", json_object_new_string(tz));
    return o;
}

struct json_object *orc_resource_usage(void)
{
    struct json_object *o = json_object_new_object();
    long pages = 0, rss = 0, threads = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    char line[256];

    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    f = fopen("/proc/self/status", "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "Threads:", 8) == 0)
            threads = strtol(line + 8, NULL, 10);
    if (f != NULL)
        fclose(f);
    json_object_object_add(o, "memory_usage_mb",
                           orc_jd(orc_round2((double)rss * (double)sysconf(_SC_PAGESIZE) / 1048576.0)));
    json_object_object_add(o, "memory_increase_mb", json_object_new_int(0));
    json_object_object_add(o, "cpu_percent", json_object_new_int(0));
    json_object_object_add(o, "open_files", json_object_new_int(0));
    json_object_object_add(o, "threads", json_object_new_int64(threads));
    return o;
}

static struct json_object *analysis_json(orc_decision_t *d)
{
    struct json_object *a = json_object_new_object(), *hc = json_object_new_object();
    struct json_object *av = orc_jget(d->perception, "availability"), *ta = json_object_new_object();
    struct json_object *ci = orc_jget(d->source_insights, "chronicle"), *ei = orc_jget(d->source_insights, "episodes");
    struct json_object *pa = orc_jget(ci, "pattern_analysis"), *dq = orc_jget(ci, "data_quality_report");
    struct json_object *el = json_object_new_object(), *chron = orc_jget(d->perception, "chronicle");
    int ep_applied = 0;

    json_object_object_add(a, "backlog_tasks", orc_jd(orc_jnum(orc_jget(d->perception, "backlog"), "total_tasks", 0)));
    json_object_object_add(a, "unassigned_tasks", orc_jd(orc_jnum(orc_jget(d->perception, "backlog"), "unassigned", 0)));
    json_object_object_add(a, "active_sprints", orc_jd(orc_jnum(orc_jget(d->perception, "sprints"), "active_count", 0)));
    json_object_object_add(a, "team_size", orc_jd(orc_jnum(orc_jget(d->perception, "team"), "size", 0)));
    json_object_object_add(ta, "status", json_object_get(orc_jget(av, "status")));
    json_object_object_add(ta, "conflicts", json_object_get(orc_jget(av, "conflicts")));
    json_object_object_add(a, "team_availability", ta);
    json_object_object_add(hc, "pattern_analysis", pa ? json_object_get(pa) : orc_pattern_analysis(chron, NULL));
    json_object_object_add(hc, "insights_summary",
                           json_object_new_string(d->insights_summary && *d->insights_summary
                                                      ? d->insights_summary
                                                      : "No significant patterns or insights identified from historical data."));
    json_object_object_add(hc, "data_quality_report", dq ? json_object_get(dq) : orc_data_quality(chron));
    json_object_object_foreach(d->applied_sources, k, v)
    {
        (void)k;
        for (size_t i = 0; i < json_object_array_length(v); i++)
            ep_applied |= strcmp(json_object_get_string(json_object_array_get_idx(v, i)), "episodes") == 0;
    }
    json_object_object_add(el, "similar_episodes_found", orc_jd(orc_jnum(ei, "episodes_retrieved", 0)));
    json_object_object_add(el, "learning_applied", json_object_new_boolean(ep_applied));
    json_object_object_add(hc, "episode_learning", el);
    json_object_object_add(hc, "sources", json_object_get(d->source_insights));
    json_object_object_add(a, "historical_context", hc);
    return a;
}

static struct json_object *metadata_json(orc_decision_t *d)
{
    struct json_object *m = json_object_new_object(), *ci = orc_jget(d->source_insights, "chronicle");
    struct json_object *sim = orc_similar_list(orc_jget(d->perception, "chronicle"));
    struct json_object *caps = json_object_new_object(), *loaded = json_object_new_array();

    json_object_object_add(m, "decision_mode", json_object_new_string(d->mode));
    json_object_object_add(m, "modifications_applied", json_object_new_int(d->adjustments));
    json_object_object_add(m, "fallback_available", json_object_new_boolean(1));
    json_object_object_add(m, "similar_projects_analyzed",
                           json_object_new_int(sim ? (int)json_object_array_length(sim) : 0));
    json_object_object_add(m, "historical_data_quality",
                           json_object_new_string(ci != NULL ? "available" : "unknown"));
    json_object_object_add(m, "prediction_confidence", orc_jd(d->confidence));
    json_object_object_add(m, "intelligence_threshold_met", json_object_new_boolean(d->adjustments > 0));
    json_object_object_add(m, "minimum_threshold", orc_jd(d->gate.confidence_threshold));
    for (size_t i = 0; i < json_object_array_length(d->sources); i++) {
        struct json_object *e = json_object_array_get_idx(d->sources, i);
        const char *s = orc_jstr(e, "status");

        if (s != NULL && strcmp(s, "not_loaded") != 0)
            json_object_array_add(loaded, json_object_get(orc_jget(e, "source")));
    }
    json_object_object_add(caps, "intelligence_sources", loaded);
    json_object_object_add(caps, "chronicle_analytics", json_object_new_boolean(1));
    json_object_object_add(caps, "pattern_combination", json_object_new_boolean(1));
    json_object_object_add(caps, "confidence_gating", json_object_new_boolean(1));
    json_object_object_add(m, "system_capabilities", caps);
    return m;
}

/* Where one decision's time went, in ms: perceive, decide (the three passes + combine),
 * act (sprint service calls, schedules), outcome (recording a closed sprint), store (decision
 * row, episode, notes, events); total = until the answer was built. */
typedef struct {
    double perceive, decide, act, outcome, store, total;
    struct json_object *perceive_steps; /* ms of each perception call and step (owned) */
    struct json_object *store_steps;    /* ms of each store call and step (owned) */
} orc_stages_t;

static struct json_object *stages_json(const orc_stages_t *s)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "perceive", orc_jd(orc_round2(s->perceive)));
    json_object_object_add(o, "perceive_steps", json_object_get(s->perceive_steps));
    json_object_object_add(o, "store_steps", json_object_get(s->store_steps));
    json_object_object_add(o, "decide", orc_jd(orc_round2(s->decide)));
    json_object_object_add(o, "act", orc_jd(orc_round2(s->act)));
    json_object_object_add(o, "outcome", orc_jd(orc_round2(s->outcome)));
    json_object_object_add(o, "store", orc_jd(orc_round2(s->store)));
    json_object_object_add(o, "total", orc_jd(orc_round2(s->total)));
    return o;
}

static struct json_object *perf_json(orc_state_t *st, double total_ms, orc_decision_t *d,
                                     const orc_stages_t *stages)
{
    struct json_object *p = json_object_new_object(), *th = json_object_new_object();

    json_object_object_add(p, "pattern_analysis", orc_stat_summary(st, ORC_OP_PATTERN_ANALYSIS));
    json_object_object_add(p, "total_orchestration", orc_stat_summary(st, ORC_OP_ORCHESTRATION));
    json_object_object_add(p, "resource_usage", orc_resource_usage());
    json_object_object_add(th, "total_under_2000ms", json_object_new_boolean(total_ms < 2000));
    json_object_object_add(th, "pattern_analysis_under_1000ms", json_object_new_boolean(1));
    json_object_object_add(th, "memory_increase_under_100mb", json_object_new_boolean(1));
    json_object_object_add(th, "thresholds_met", json_object_new_boolean(total_ms < 2000));
    json_object_object_add(p, "performance_threshold_met", th);
    json_object_object_add(p, "ai_advisory", d->advisory ? orc_stat_summary(st, ORC_OP_EXPLAIN) : NULL);
    json_object_object_add(p, "decision_ms", orc_jd(orc_round2(total_ms)));
    json_object_object_add(p, "stages_ms", stages_json(stages));
    return p;
}

int orc_orchestrate(void *state, dsm_req_t *req)
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = api->req_param(req, "project_id"), *episode_id = NULL;
    struct json_object *opts, *perception = NULL, *resp;
    orc_perceive_opts_t po;
    orc_decision_t d;
    orc_acts_t acts;
    orc_mode_t mode;
    int64_t t0 = st->api->now_ns(), tm;
    orc_stages_t sg = {0};
    double ms;

    if (strlen(pid) > ORC_MAX_PROJECT)
        return api->reply_error(req, 404, "Project %s not found.", pid);
    if ((opts = orc_options(st, req, api->req_body(req))) == NULL)
        return DSM_OK;
    if (orc_mode_get(st, req, pid, &mode) < 0) {
        json_object_put(opts);
        return orc_db_fail(st, req, 0);
    }
    po = (orc_perceive_opts_t){opts, (long)orc_jnum(opts, "sprint_duration_weeks", 2), mode.mode, 1,
                               &sg.perceive_steps};
    if (orc_perceive(st, req, pid, &po, &perception) < 0) {
        json_object_put(opts);
        orc_stat(st, ORC_OP_ORCHESTRATION, orc_ms_since(st, t0), 0);
        return DSM_OK;
    }
    sg.perceive = orc_ms_since(st, t0);
    orc_stat(st, ORC_OP_PERCEPTION, sg.perceive, 1);
    tm = st->api->now_ns();
    orc_outcome_reconcile(st, req, pid, perception);
    sg.outcome = orc_ms_since(st, tm);
    memset(&d, 0, sizeof d);
    d.project_id = pid;
    d.decision_id = api->uuid4(req);
    d.perception = perception;
    d.mode = mode.mode;
    d.gate = mode.gate;
    d.explain = 1;
    d.deadline_ns = t0 + (int64_t)st->decision_deadline_ms * 1000000LL;
    tm = st->api->now_ns();
    orc_decide(st, req, &d);
    sg.decide = orc_ms_since(st, tm);
    tm = st->api->now_ns();
    orc_act(st, req, &d, orc_jstr(opts, "schedule"), orc_jstr(opts, "schedule_timezone"), &acts);
    sg.act = orc_ms_since(st, tm);
    orc_stat(st, ORC_OP_ACTIONS, sg.act, 1);
    tm = st->api->now_ns();
    if (acts.closed_sprint != NULL) {
        orc_close_t c = {pid, acts.closed_sprint,
                         (int)orc_jnum(acts.close_result, "completed_tasks_count", 0),
                         (int)orc_jnum(acts.close_result, "uncompleted_tasks_moved_to_backlog_count", 0),
                         acts.closed_committed, orc_jstr(acts.close_result, "status_updated_to"), "orchestrator"};

        if (orc_outcome_record(st, req, &c, NULL) < 0)
            json_object_array_add(orc_jget(d.decisions, "warnings"),
                                  json_object_new_string(api->psprintf(
                                      req, "Outcome of sprint %s not recorded yet", acts.closed_sprint)));
    }
    sg.outcome += orc_ms_since(st, tm);
    ms = orc_ms_since(st, t0);
    tm = st->api->now_ns();
    sg.store_steps = json_object_new_object();
    orc_store(st, req, &d, &acts, ms, &episode_id, sg.store_steps);
    sg.store = orc_ms_since(st, tm);
    orc_stat(st, ORC_OP_ORCHESTRATION, ms, 1);
    resp = json_object_new_object();
    json_object_object_add(resp, "project_id", json_object_new_string(pid));
    json_object_object_add(resp, "analysis", analysis_json(&d));
    json_object_object_add(resp, "decisions", json_object_get(d.decisions));
    json_object_object_add(resp, "actions_taken", json_object_get(acts.actions));
    json_object_object_add(resp, "cronjob_name", orc_jstr_or_null(acts.schedule_name));
    json_object_object_add(resp, "sprint_id",
                           orc_jstr_or_null(acts.closed_sprint   ? acts.closed_sprint
                                            : acts.created_sprint ? acts.created_sprint
                                                                  : orc_jstr(d.decisions, "sprint_id")));
    sg.total = orc_ms_since(st, t0);
    json_object_object_add(resp, "performance_metrics", perf_json(st, ms, &d, &sg));
    json_object_object_add(resp, "intelligence_metadata", metadata_json(&d));
    json_object_object_add(resp, "ai_agent_advisory", json_object_get(d.advisory));
    json_object_object_add(resp, "decision_id", json_object_new_string(d.decision_id));
    json_object_object_add(resp, "episode_id", orc_jstr_or_null(episode_id));
    orc_acts_free(&acts);
    orc_decision_free(&d);
    json_object_put(perception);
    json_object_put(opts);
    json_object_put(sg.perceive_steps);
    json_object_put(sg.store_steps);
    return api->reply_json(req, 200, resp);
}
