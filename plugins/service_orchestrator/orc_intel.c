/*
 * orc_intel.c — the intelligence router (api.md O15–O21, O23–O26; O22 is orc_mode.c): insights,
 * similar projects (works: #33), velocity trends, models health, data quality, performance
 * metrics, decision impact, decision audit, hybrid patterns and episode insights from the
 * stored episodes (#13/#33), hybrid metrics.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orc_internal.h"

struct json_object *orc_loaded_sources(orc_state_t *st, dsm_req_t *req)
{
    struct json_object *params = json_object_new_object(), *out = json_object_new_array(), *run;
    dsm_decision_t dc;

    json_object_object_add(params, "phase", json_object_new_string("probe"));
    json_object_object_add(params, "sources", json_object_new_array());
    json_object_object_add(params, "replay", json_object_new_boolean(1));
    memset(&dc, 0, sizeof dc);
    dc.size = sizeof dc;
    dc.project_id = "";
    dc.params = params;
    dc.deadline_ns = st->api->now_ns() + 200000000LL;
    dc.decision_id = st->api->uuid4(req);
    run = st->api->intel_run(req, &dc);
    for (size_t i = 0; run != NULL && i < json_object_array_length(run); i++) {
        struct json_object *s = json_object_array_get_idx(run, i), *o = json_object_new_object();

        json_object_object_add(o, "source", json_object_get(orc_jget(s, "source")));
        json_object_object_add(o, "version", json_object_get(orc_jget(s, "version")));
        json_object_array_add(out, o);
    }
    json_object_put(run);
    json_object_put(params);
    return out;
}

/* §6.5 insights summary from a PatternAnalysis. */
static char *summary_text(dsm_req_t *req, const dsm_api_t *api, struct json_object *pa)
{
    struct json_object *sim = orc_jget(pa, "similar_projects"), *vt = orc_jget(pa, "velocity_trends");
    struct json_object *si = orc_jget(pa, "success_indicators");
    char *s = api->pstrdup(req, "");
    size_t n = sim ? json_object_array_length(sim) : 0;

    if (n > 0)
        s = api->psprintf(req, "Found %zu similar projects.", n);
    if (vt != NULL)
        s = api->psprintf(req, "%s%sTeam velocity trend is %s (current: %g).", s, *s ? " " : "",
                          orc_jstr(vt, "trend_direction"), orc_jnum(vt, "current_team_velocity", 0));
    if (si != NULL)
        s = api->psprintf(req, "%s%sBased on similar projects, success probability is %.0f%% with optimal %g tasks per sprint and %g-week duration.",
                          s, *s ? " " : "", orc_jnum(si, "success_probability", 0) * 100,
                          orc_jnum(si, "optimal_tasks_per_sprint", 0), orc_jnum(si, "recommended_sprint_duration", 0));
    return *s ? s : api->pstrdup(req, "No significant patterns or insights identified from historical data.");
}

static struct json_object *episode_insights(orc_state_t *st, dsm_req_t *req, const char *pid, int limit)
{
    const dsm_api_t *api = st->api;
    const char *p[2] = {pid, api->psprintf(req, "%d", limit)};
    struct json_object *o = json_object_new_object(), *recent = json_object_new_array();
    dsm_rows_t *r = api->db_exec(req, NULL,
                                 "SELECT episode_id::text, \"timestamp\", decision_source, outcome IS NOT NULL, "
                                 "outcome_quality, (SELECT count(*) FROM agent_episodes WHERE project_id = $1) "
                                 "FROM agent_episodes WHERE project_id = $1 ORDER BY \"timestamp\" DESC LIMIT $2::int",
                                 2, p);
    int n = r ? api->rows_count(r) : 0;

    for (int i = 0; i < n; i++) {
        struct json_object *e = json_object_new_object();

        json_object_object_add(e, "episode_id", orc_jstr_or_null(api->rows_value(r, i, 0)));
        json_object_object_add(e, "timestamp", orc_jstr_or_null(api->ts_iso(req, api->rows_value(r, i, 1))));
        json_object_object_add(e, "decision_source", orc_jstr_or_null(api->rows_value(r, i, 2)));
        json_object_object_add(e, "has_outcome", orc_jbool_text(api->rows_value(r, i, 3)));
        json_object_object_add(e, "outcome_quality", orc_jnum_text(api->rows_value(r, i, 4)));
        json_object_array_add(recent, e);
    }
    json_object_object_add(o, "total_episodes", n > 0 ? orc_jint_text(api->rows_value(r, 0, 5)) : json_object_new_int(0));
    json_object_object_add(o, "recent_decisions", recent);
    return o;
}

struct json_object *orc_insights_body(orc_state_t *st, dsm_req_t *req, const char *pid,
                                      const struct json_object *chronicle)
{
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object(), *hc = json_object_new_object();
    struct json_object *meta = json_object_new_object(), *pa;
    double conf = 0;
    orc_mode_t mode;

    pa = orc_pattern_analysis(chronicle, &conf);
    json_object_object_add(hc, "insights_summary", json_object_new_string(summary_text(req, api, pa)));
    json_object_object_add(hc, "pattern_analysis", pa);
    json_object_object_add(hc, "data_quality_report", orc_data_quality(chronicle));
    json_object_object_add(hc, "episode_insights", episode_insights(st, req, pid, 5));
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "historical_context", hc);
    json_object_object_add(meta, "similar_projects_analyzed",
                           json_object_new_int((int)json_object_array_length(orc_jget(pa, "similar_projects"))));
    json_object_object_add(meta, "prediction_confidence", orc_jd(conf));
    json_object_object_add(meta, "data_freshness_hours", json_object_new_int(0));
    if (orc_mode_get(st, req, pid, &mode) < 0)
        snprintf(mode.mode, sizeof mode.mode, "%s", st->default_mode);
    json_object_object_add(meta, "learning_enabled",
                           json_object_new_boolean(orc_list_has(st->mode_sources[orc_mode_index(mode.mode)], "episodes")));
    json_object_object_add(meta, "episode_logging_enabled", json_object_new_boolean(1));
    json_object_object_add(meta, "decision_mode", json_object_new_string(mode.mode));
    json_object_object_add(o, "intelligence_metadata", meta);
    return o;
}

/* The Chronicle analytics of a project, or NULL after a 503 naming Chronicle. */
static struct json_object *chronicle_or_503(orc_state_t *st, dsm_req_t *req, const char *pid)
{
    struct json_object *c = orc_chronicle_data(st, req, pid);
    struct json_object *errors = orc_jget(c, "errors");

    if (c == NULL || (!orc_jbool(c, "available", 1) && errors != NULL &&
                      json_object_object_length(errors) == 3)) {
        struct json_object *e = orc_jget(errors, "velocity");

        orc_reply_dependency(st, req, ORC_CHRONICLE, -1, NULL, e ? json_object_get_string(e) : "no answer");
        json_object_put(c);
        return NULL;
    }
    return c;
}

int orc_intel_insights(void *state, dsm_req_t *req) /* O15 */
{
    orc_state_t *st = state;
    const char *pid = st->api->req_param(req, "project_id");
    struct json_object *c = orc_chronicle_data(st, req, pid), *o;

    o = orc_insights_body(st, req, pid, c);
    if (c != NULL && !orc_jbool(c, "available", 1))
        json_object_object_add(orc_jget(o, "historical_context"), "insights_summary",
                               json_object_new_string("Historical intelligence unavailable: Chronicle Service unavailable"));
    json_object_put(c);
    return st->api->reply_json(req, 200, o);
}

int orc_intel_similar(void *state, dsm_req_t *req) /* O16 */
{
    orc_state_t *st = state;
    const char *pid = st->api->req_param(req, "project_id");
    struct json_object *c = chronicle_or_503(st, req, pid), *pa, *o;

    if (c == NULL)
        return DSM_OK;
    pa = orc_pattern_analysis(c, NULL);
    json_object_put(c);
    if (json_object_array_length(orc_jget(pa, "similar_projects")) == 0) {
        json_object_put(pa);
        return st->api->reply_error(req, 404, "No similar projects found for %s or insufficient data.", pid);
    }
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "similar_projects", json_object_get(orc_jget(pa, "similar_projects")));
    json_object_object_add(o, "success_indicators", json_object_get(orc_jget(pa, "success_indicators")));
    json_object_put(pa);
    return st->api->reply_json(req, 200, o);
}

int orc_intel_velocity(void *state, dsm_req_t *req) /* O17 */
{
    orc_state_t *st = state;
    const char *pid = st->api->req_param(req, "project_id");
    struct json_object *c = chronicle_or_503(st, req, pid), *vt, *o;

    if (c == NULL)
        return DSM_OK;
    vt = orc_velocity_json(orc_jget(c, "velocity"));
    json_object_put(c);
    if (vt == NULL)
        return st->api->reply_error(req, 404, "No velocity trends found for %s or insufficient data.", pid);
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "velocity_trends", vt);
    return st->api->reply_json(req, 200, o);
}

int orc_intel_models_health(void *state, dsm_req_t *req) /* O18 */
{
    orc_state_t *st = state;
    struct json_object *o = json_object_new_object(), *body = NULL;
    int s = orc_call(st, req, ORC_CHRONICLE, "GET", "/chronicle/health", NULL, 1000, &body, NULL);
    struct json_object *src = orc_loaded_sources(st, req);

    json_object_put(body);
    json_object_object_add(o, "intelligence_status",
                           json_object_new_string(s == 200 ? "healthy" : "degraded"));
    json_object_object_add(o, "cache_health", json_object_new_string("ok"));
    json_object_object_add(o, "chronicle_service_connectivity", json_object_new_string(s == 200 ? "ok" : "error"));
    json_object_object_add(o, "data_freshness_hours", json_object_new_int(0));
    json_object_object_add(o, "model_last_updated",
                           json_object_new_string(st->api->psprintf(req, "%sZ", st->api->utcnow_iso(req))));
    json_object_object_add(o, "intelligence_sources", src);
    return st->api->reply_json(req, 200, o);
}

int orc_intel_data_quality(void *state, dsm_req_t *req) /* O19 */
{
    orc_state_t *st = state;
    const char *pid = st->api->req_param(req, "project_id");
    struct json_object *c = chronicle_or_503(st, req, pid), *dq, *o, *recs;

    if (c == NULL)
        return DSM_OK;
    dq = orc_data_quality(c);
    json_object_put(c);
    recs = json_object_new_array();
    if (!orc_jbool(dq, "data_available", 0))
        json_object_array_add(recs, json_object_new_string(
                                        "No historical data found. Ensure Chronicle Service is running and has processed data for this project."));
    if (orc_jget(dq, "historical_sprints") == NULL || orc_jnum(dq, "historical_sprints", 0) < 3)
        json_object_array_add(recs, json_object_new_string(
                                        "Insufficient sprint history. Run more sprints to generate richer historical data."));
    if (orc_jget(dq, "avg_completion_rate") == NULL)
        json_object_array_add(recs, json_object_new_string(
                                        "Average completion rate not available. Ensure tasks are being marked as completed."));
    if (orc_jget(dq, "common_team_velocity") == NULL)
        json_object_array_add(recs, json_object_new_string(
                                        "Team velocity data not available. Ensure sprint tasks are being tracked and completed."));
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "data_quality_report", dq);
    json_object_object_add(o, "recommendations", recs);
    return st->api->reply_json(req, 200, o);
}

int orc_intel_perf_metrics(void *state, dsm_req_t *req) /* O20 */
{
    orc_state_t *st = state;
    struct json_object *o = json_object_new_object(), *cm = json_object_new_object();
    struct json_object *ad = json_object_new_object(), *th = json_object_new_object();
    struct json_object *tot = orc_stat_summary(st, ORC_OP_ORCHESTRATION), *recs = json_object_new_array();
    double avg = orc_jnum(tot, "avg_duration_ms", 0);
    uint64_t dec = __atomic_load_n(&st->stats->decisions, __ATOMIC_RELAXED);
    uint64_t adj = __atomic_load_n(&st->stats->adjustments_applied, __ATOMIC_RELAXED);
    uint64_t seen = __atomic_load_n(&st->stats->proposals_seen, __ATOMIC_RELAXED);

    json_object_object_add(o, "project_id", json_object_new_string(st->api->req_param(req, "project_id")));
    json_object_object_add(o, "total_execution_time_ms", orc_jd(avg));
    json_object_object_add(cm, "full_pattern_analysis", orc_stat_summary(st, ORC_OP_PATTERN_ANALYSIS));
    json_object_object_add(cm, "perception", orc_stat_summary(st, ORC_OP_PERCEPTION));
    json_object_object_add(cm, "rule_based_baseline", orc_stat_summary(st, ORC_OP_BASELINE));
    json_object_object_add(cm, "intelligence_advise", orc_stat_summary(st, ORC_OP_ADVISE));
    json_object_object_add(cm, "actions", orc_stat_summary(st, ORC_OP_ACTIONS));
    json_object_object_add(cm, "total_orchestration", tot);
    json_object_object_add(cm, "resource_usage", orc_resource_usage());
    json_object_object_add(o, "component_metrics", cm);
    json_object_object_add(ad, "intelligence_invocations", json_object_new_int64((int64_t)dec));
    json_object_object_add(ad, "recommendations_generated", json_object_new_int64((int64_t)seen));
    json_object_object_add(ad, "adjustments_applied", json_object_new_int64((int64_t)adj));
    json_object_object_add(ad, "application_rate_percent",
                           orc_jd(dec ? orc_round2(100.0 * (double)adj / (double)dec) : 0));
    json_object_object_add(o, "adoption_metrics", ad);
    json_object_object_add(th, "target_total_time_ms", json_object_new_int(2000));
    json_object_object_add(th, "actual_total_time_ms", orc_jd(avg));
    json_object_object_add(th, "threshold_met", json_object_new_boolean(avg <= 2000));
    json_object_object_add(o, "performance_thresholds", th);
    json_object_array_add(recs, json_object_new_string(avg <= 2000 ? "Performance within acceptable thresholds"
                                                                   : "Orchestration exceeds 2000 ms on average: check the slowest intelligence source"));
    json_object_object_add(o, "recommendations", recs);
    return st->api->reply_json(req, 200, o);
}

int orc_intel_decision_impact(void *state, dsm_req_t *req) /* O21 */
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = api->req_param(req, "project_id"), *sd = api->req_query(req, "start_date");
    const char *ed = api->req_query(req, "end_date"), *err = NULL;
    char d1[11], d2[11];
    struct json_object *body = NULL;
    int s;

    if (sd != NULL)
        api->v_date(req, "query", "start_date", DSM_V_DATETIME_OK, d1);
    if (ed != NULL)
        api->v_date(req, "query", "end_date", DSM_V_DATETIME_OK, d2);
    if (api->v_failed(req))
        return DSM_OK;
    s = orc_call(st, req, ORC_CHRONICLE, "GET",
                 api->psprintf(req, "/v1/analytics/decisions/impact/%s%s%s%s%s%s", orc_seg(st, req, pid),
                               sd || ed ? "?" : "", sd ? "start_date=" : "", sd ? orc_seg(st, req, sd) : "",
                               sd && ed ? "&end_date=" : ed ? "end_date=" : "", ed ? orc_seg(st, req, ed) : ""),
                 NULL, 0, &body, &err);
    if (s != 200) {
        orc_reply_dependency(st, req, ORC_CHRONICLE, s, body, err);
        json_object_put(body);
        return DSM_OK;
    }
    return api->reply_json(req, 200, body);
}

int orc_intel_decision_audit(void *state, dsm_req_t *req) /* O23 */
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = api->req_param(req, "project_id"), *err = NULL;
    struct json_object *body = NULL, *trail = json_object_new_array(), *o;
    int s = orc_call(st, req, ORC_CHRONICLE, "GET",
                     api->psprintf(req, "/v1/notes/decision_audit?project_id=%s", orc_seg(st, req, pid)),
                     NULL, 0, &body, &err);

    for (size_t i = 0; s == 200 && body != NULL && json_object_is_type(body, json_type_array) &&
                       i < json_object_array_length(body);
         i++) {
        struct json_object *a = json_object_array_get_idx(body, i);
        const char *ap = orc_jstr(a, "project_id");

        if (ap == NULL || strcmp(ap, pid) == 0)
            json_object_array_add(trail, json_object_get(a));
    }
    json_object_put(body);
    if (s != 200 && s != 404 && json_object_array_length(trail) == 0) {
        json_object_put(trail);
        return orc_reply_dependency(st, req, ORC_CHRONICLE, s, NULL, err);
    }
    if (json_object_array_length(trail) == 0) {
        json_object_put(trail);
        return api->reply_error(req, 404, "No decision audit records found for project %s.", pid);
    }
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "audit_trail", trail);
    return api->reply_json(req, 200, o);
}

/* Episodes of a project with an outcome: tasks committed / completed, quality. */
typedef struct {
    double committed, completed, quality, weeks;
} orc_ep_t;

static int project_outcomes(orc_state_t *st, dsm_req_t *req, const char *pid, orc_ep_t *out, int max)
{
    const dsm_api_t *api = st->api;
    const char *p[1] = {pid};
    dsm_rows_t *r = api->db_exec(req, NULL,
                                 "SELECT (outcome->>'committed')::float8, (outcome->>'completed')::float8, "
                                 "outcome_quality, (outcome->'planned'->>'sprint_duration_weeks')::float8 "
                                 "FROM agent_episodes WHERE project_id = $1 AND outcome_quality IS NOT NULL "
                                 "AND jsonb_typeof(outcome->'completed') = 'number' "
                                 "ORDER BY outcome_recorded_at DESC LIMIT 50",
                                 1, p);
    int n = r ? api->rows_count(r) : -1;

    for (int i = 0; i < n && i < max; i++)
        out[i] = (orc_ep_t){strtod(api->rows_value(r, i, 0) ? api->rows_value(r, i, 0) : "0", NULL),
                            strtod(api->rows_value(r, i, 1) ? api->rows_value(r, i, 1) : "0", NULL),
                            strtod(api->rows_value(r, i, 2), NULL),
                            strtod(api->rows_value(r, i, 3) ? api->rows_value(r, i, 3) : "2", NULL)};
    return n < max ? n : max;
}

int orc_intel_hybrid_patterns(void *state, dsm_req_t *req) /* O24 */
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = api->req_param(req, "project_id");
    orc_ep_t eps[50];
    int n = project_outcomes(st, req, pid, eps, 50);
    struct json_object *o = json_object_new_object(), *c, *pa, *ec, *pats, *comb, *list, *infl, *tp;
    double sc = 0, sq = 0, ep_conf, ch_conf = 0, we, wc, ev, cv = 0;
    int nsim;

    if (n < 0)
        return orc_db_fail(st, req, 0);
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    if (n == 0) {
        json_object_object_add(o, "hybrid_analysis_available", json_object_new_boolean(0));
        json_object_object_add(o, "message", json_object_new_string("No episodes found for hybrid analysis"));
        json_object_object_add(o, "episodes_count", json_object_new_int(0));
        json_object_object_add(o, "chronicle_only_available", json_object_new_boolean(1));
        return api->reply_json(req, 200, o);
    }
    for (int i = 0; i < n; i++) {
        sc += eps[i].completed;
        sq += eps[i].quality;
    }
    ev = orc_round_even(sc / n); /* the capacity the sprints showed */
    ep_conf = orc_round_n(fmin(n / 5.0, 1.0) * (sq / n), 4);
    c = orc_chronicle_data(st, req, pid);
    pa = orc_pattern_analysis(c, &ch_conf);
    json_object_put(c);
    nsim = (int)json_object_array_length(orc_jget(pa, "similar_projects"));
    tp = orc_jpath(pa, "success_indicators", "optimal_tasks_per_sprint");
    if (tp != NULL)
        cv = json_object_get_double(tp);
    we = tp != NULL ? (double)n / (n + nsim) : 1.0;
    wc = 1.0 - we;
    ec = json_object_new_object();
    json_object_object_add(ec, "similar_episodes_analyzed", json_object_new_int(n));
    json_object_object_add(ec, "episodes_used_for_context", json_object_new_int(n));
    json_object_object_add(ec, "average_episode_similarity", orc_jfloat(1.0));
    pats = json_object_new_array();
    {
        struct json_object *p = json_object_new_object();

        json_object_object_add(p, "pattern_type", json_object_new_string("task_count"));
        json_object_object_add(p, "pattern_value", orc_jd(ev));
        json_object_object_add(p, "success_rate", orc_jd(orc_round_n(sq / n, 4)));
        json_object_object_add(p, "episode_count", json_object_new_int(n));
        json_object_object_add(p, "confidence", orc_jd(ep_conf));
        json_object_array_add(pats, p);
    }
    json_object_object_add(ec, "decision_patterns", pats);
    json_object_object_add(o, "hybrid_analysis_available", json_object_new_boolean(1));
    json_object_object_add(o, "episode_context", ec);
    comb = json_object_new_object();
    list = json_object_new_array();
    {
        struct json_object *p = json_object_new_object();
        double conf = tp != NULL ? ep_conf * we + ch_conf * wc : ep_conf * 0.8;

        json_object_object_add(p, "pattern_type", json_object_new_string("task_count"));
        json_object_object_add(p, "value", orc_jd(orc_round_even(tp != NULL ? ev * we + cv * wc : ev)));
        json_object_object_add(p, "confidence", orc_jd(orc_round_n(conf, 4)));
        json_object_object_add(p, "success_rate", orc_jd(orc_round_n(sq / n, 4)));
        json_object_object_add(p, "total_evidence_count", json_object_new_int(n + (tp ? nsim : 0)));
        json_object_object_add(p, "episode_evidence_count", json_object_new_int(n));
        json_object_object_add(p, "chronicle_evidence_count", json_object_new_int(tp ? nsim : 0));
        json_object_array_add(list, p);
        json_object_object_add(comb, "combined_patterns_count", json_object_new_int(1));
        json_object_object_add(comb, "overall_confidence", orc_jd(orc_round_n(conf, 4)));
    }
    infl = json_object_new_object();
    json_object_object_add(infl, "episode", orc_jd(orc_round_n(we, 4)));
    json_object_object_add(infl, "chronicle", orc_jd(orc_round_n(wc, 4)));
    json_object_object_add(comb, "pattern_source_influence", infl);
    json_object_object_add(comb, "combined_patterns", list);
    json_object_object_add(o, "pattern_combination_result", comb);
    json_object_object_add(o, "insights_summary",
                           json_object_new_string(api->psprintf(req, "%d past sprints of this project completed %.1f tasks on average (%.0f%% completion).",
                                                                n, sc / n, 100 * sq / n)));
    json_object_object_add(o, "pattern_analysis", pa);
    return api->reply_json(req, 200, o);
}

int orc_intel_episode_insights(void *state, dsm_req_t *req) /* O25 */
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = api->req_param(req, "project_id");
    int64_t limit = 10;
    const char *p[2];
    struct json_object *o, *sum, *srcs, *recent, *meta, *ff;
    dsm_rows_t *r;
    int n, ok = 0;
    double conf = 0;

    if (api->v_int(req, "query", "limit", 0, &limit) > 0 && (limit < 1 || limit > 1000))
        api->v_problem(req, "query", "limit", limit < 1 ? "greater_than_equal" : "less_than_equal",
                       limit < 1 ? "Input should be greater than or equal to 1" : "Input should be less than or equal to 1000", NULL);
    if (api->v_failed(req))
        return DSM_OK;
    p[0] = pid;
    p[1] = api->psprintf(req, "%lld", (long long)limit);
    r = api->db_exec(req, NULL,
                     "SELECT episode_id::text, \"timestamp\", decision_source, outcome IS NOT NULL, "
                     "(actions->>'sprint_created')::boolean, actions->'tasks_assigned', "
                     "(actions->>'cronjob_created')::boolean, (decision->'confidence_scores'->>'overall_decision_confidence')::float8, "
                     "outcome_quality FROM agent_episodes WHERE project_id = $1 "
                     "ORDER BY \"timestamp\" DESC LIMIT $2::int",
                     2, p);
    if (r == NULL)
        return orc_db_fail(st, req, 0);
    n = api->rows_count(r);
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "episode_learning_available", json_object_new_boolean(1));
    if (n == 0) {
        json_object_object_add(o, "episodes_found", json_object_new_int(0));
        json_object_object_add(o, "message", json_object_new_string("No episodes found for this project"));
        return api->reply_json(req, 200, o);
    }
    sum = json_object_new_object();
    srcs = json_object_new_object();
    recent = json_object_new_array();
    for (int i = 0; i < n; i++) {
        const char *src = api->rows_value(r, i, 2) ? api->rows_value(r, i, 2) : "unknown";
        struct json_object *cnt = orc_jget(srcs, src);

        json_object_object_add(srcs, src, json_object_new_int(cnt ? json_object_get_int(cnt) + 1 : 1));
        ok += api->rows_value(r, i, 8) != NULL && strtod(api->rows_value(r, i, 8), NULL) >= 0.8;
        conf += api->rows_value(r, i, 7) ? strtod(api->rows_value(r, i, 7), NULL) : 0;
        if (i < 5) {
            struct json_object *e = json_object_new_object(), *as = json_object_new_object();

            json_object_object_add(e, "timestamp", orc_jstr_or_null(api->ts_iso(req, api->rows_value(r, i, 1))));
            json_object_object_add(e, "decision_source", orc_jstr_or_null(api->rows_value(r, i, 2)));
            json_object_object_add(as, "sprint_created", orc_jbool_text(api->rows_value(r, i, 4)));
            json_object_object_add(as, "tasks_assigned", orc_jjson_text(api->rows_value(r, i, 5)));
            json_object_object_add(as, "cronjob_created", orc_jbool_text(api->rows_value(r, i, 6)));
            json_object_object_add(e, "action_summary", as);
            json_object_object_add(e, "has_outcome", orc_jbool_text(api->rows_value(r, i, 3)));
            json_object_object_add(e, "outcome_quality", orc_jnum_text(api->rows_value(r, i, 8)));
            json_object_object_add(e, "episode_id", orc_jstr_or_null(api->rows_value(r, i, 0)));
            json_object_array_add(recent, e);
        }
    }
    json_object_object_add(sum, "total_episodes", json_object_new_int(n));
    json_object_object_add(sum, "successful_decisions", json_object_new_int(ok));
    json_object_object_add(sum, "decision_sources", srcs);
    json_object_object_add(sum, "average_confidence", orc_jd(orc_round_n(conf / n, 4)));
    json_object_object_add(sum, "recent_decisions", recent);
    json_object_object_add(o, "episode_summary", sum);
    meta = json_object_new_object();
    ff = json_object_new_object();
    json_object_object_add(ff, "async_learning", json_object_new_boolean(1));
    json_object_object_add(ff, "strategy_evolution", json_object_new_boolean(1));
    json_object_object_add(meta, "feature_flags", ff);
    json_object_object_add(meta, "memory_bridge_available", json_object_new_boolean(1));
    json_object_object_add(meta, "episode_logger_available", json_object_new_boolean(1));
    json_object_object_add(o, "learning_metadata", meta);
    return api->reply_json(req, 200, o);
}

int orc_intel_hybrid_metrics(void *state, dsm_req_t *req) /* O26 */
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = api->req_param(req, "project_id");
    struct json_object *o = json_object_new_object(), *cm = json_object_new_object();
    struct json_object *lm = json_object_new_object(), *th = json_object_new_object();
    struct json_object *ct = json_object_new_object(), *recs = json_object_new_array();
    struct json_object *tot = orc_stat_summary(st, ORC_OP_ORCHESTRATION);
    struct json_object *er = orc_stat_summary(st, ORC_OP_EPISODE_RETRIEVAL);
    double avg = orc_jnum(tot, "avg_duration_ms", 0), eavg = orc_jnum(er, "avg_duration_ms", 0);
    orc_mode_t mode;

    if (orc_mode_get(st, req, pid, &mode) < 0)
        snprintf(mode.mode, sizeof mode.mode, "%s", st->default_mode);
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "hybrid_orchestration_metrics", tot);
    json_object_object_add(cm, "episode_retrieval", er);
    json_object_object_add(cm, "pattern_analysis", orc_stat_summary(st, ORC_OP_PATTERN_ANALYSIS));
    json_object_object_add(cm, "strategy_analysis", orc_stat_summary(st, ORC_OP_STRATEGY));
    json_object_object_add(cm, "intelligence_confidence_gating", orc_stat_summary(st, ORC_OP_GATE));
    json_object_object_add(cm, "episode_storage", orc_stat_summary(st, ORC_OP_EPISODE_STORE));
    json_object_object_add(o, "component_metrics", cm);
    json_object_object_add(o, "resource_usage", orc_resource_usage());
    json_object_object_add(lm, "episode_learning_enabled",
                           json_object_new_boolean(orc_list_has(st->mode_sources[orc_mode_index(mode.mode)], "episodes")));
    json_object_object_add(lm, "episode_logging_enabled", json_object_new_boolean(1));
    json_object_object_add(lm, "decision_mode", json_object_new_string(mode.mode));
    json_object_object_add(o, "learning_system_metrics", lm);
    json_object_object_add(th, "target_total_time_ms", json_object_new_int(3000));
    json_object_object_add(th, "actual_total_time_ms", orc_jd(avg));
    json_object_object_add(th, "threshold_met", json_object_new_boolean(avg <= 3000));
    json_object_object_add(ct, "episode_retrieval_under_500ms", json_object_new_boolean(eavg <= 500));
    json_object_object_add(ct, "memory_bridge_under_300ms", json_object_new_boolean(1));
    json_object_object_add(ct, "hybrid_analysis_under_1500ms", json_object_new_boolean(avg <= 1500));
    json_object_object_add(th, "component_thresholds", ct);
    json_object_object_add(o, "performance_thresholds", th);
    json_object_array_add(recs, json_object_new_string(avg <= 3000 ? "Hybrid intelligence performance within acceptable thresholds"
                                                                   : "Hybrid orchestration exceeds 3000 ms on average"));
    json_object_object_add(o, "recommendations", recs);
    return api->reply_json(req, 200, o);
}
