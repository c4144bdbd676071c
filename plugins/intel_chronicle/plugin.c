/*
 * plugin.c — the "chronicle" intelligence source (spec/orchestrator.md §3, docs/ORCHESTRATOR.md
 * §5 and §7): velocity trend, success indicators and the Chronicle confidence score from the
 * Chronicle analytics, and from them at most one tasks_to_assign and one sprint_duration_weeks
 * proposal (§3.4) with explicit evidence counts.
 *
 * Data: perception.chronicle (velocity, similar_projects, patterns — the orchestrator fetched
 * them once for the decision); an answer the perception does not carry at all is fetched from
 * Chronicle (conf chronicle_url, else params.urls.chronicle, else http://127.0.0.1:8080;
 * breaker "chronicle"; timeout conf timeout_ms, clamped to the source's budget) — never in a
 * replay, which must reflect the recorded context.
 *
 * conf.chronicle.*: chronicle_url, timeout_ms (10000), deadline_ms (1000, when params has no
 * budget), similarity_threshold (0.7), min_similarity_for_adjustment_proposal (0.5),
 * min_confidence_for_task_proposal (0.5), task_adjustment_difference_threshold (1),
 * min_velocity_confidence_for_scoring (0.3), min_velocity_confidence_for_duration_adjustment
 * (0.5).
 */
#include <json-c/json.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "chi_internal.h"

#ifndef CHRONICLE_VERSION
#define CHRONICLE_VERSION "1.0.0"
#endif

static void chi_fini(void *state)
{
    chi_state_t *st = state;

    if (st != NULL)
        free(st->url);
    free(st);
}

static int chi_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    chi_state_t *st;
    const char *url;
    int bad = 0;

    if (api == NULL || api->abi_major != DSM_ABI_MAJOR)
        return DSM_ERR;
    st = calloc(1, sizeof(*st));
    if (st == NULL)
        return DSM_ERR;
    st->api = api;
    url = api->conf_get(conf, "chronicle_url");
    if (url != NULL && *url != '\0' && (st->url = strdup(url)) == NULL) {
        free(st);
        return DSM_ERR;
    }
    st->timeout_ms = (long)api->conf_num_checked(conf, "timeout_ms", 10000, 1, 600000, &bad);
    st->budget_ms = (long)api->conf_num_checked(conf, "deadline_ms", 1000, 1, 600000, &bad);
    chi_config_defaults(&st->cfg);
    st->cfg.similarity_threshold = api->conf_num_checked(
        conf, "similarity_threshold", st->cfg.similarity_threshold, 0, 1, &bad);
    st->cfg.min_similarity_for_proposal = api->conf_num_checked(
        conf, "min_similarity_for_adjustment_proposal", st->cfg.min_similarity_for_proposal, 0, 1,
        &bad);
    st->cfg.min_confidence_for_task = api->conf_num_checked(
        conf, "min_confidence_for_task_proposal", st->cfg.min_confidence_for_task, 0, 1, &bad);
    st->cfg.task_difference_threshold = api->conf_num_checked(
        conf, "task_adjustment_difference_threshold", st->cfg.task_difference_threshold, 0, 1000,
        &bad);
    st->cfg.min_velocity_conf_scoring = api->conf_num_checked(
        conf, "min_velocity_confidence_for_scoring", st->cfg.min_velocity_conf_scoring, 0, 1, &bad);
    st->cfg.min_velocity_conf_duration = api->conf_num_checked(
        conf, "min_velocity_confidence_for_duration_adjustment",
        st->cfg.min_velocity_conf_duration, 0, 1, &bad);
    if (bad) {
        chi_fini(st);
        return DSM_ERR;
    }
    *state = st;
    return DSM_OK;
}

static json_object *chi_get(const json_object *o, const char *key)
{
    json_object *v = NULL;

    if (o == NULL || !json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

static int chi_has(const json_object *o, const char *key)
{
    return o != NULL && json_object_is_type(o, json_type_object) &&
           json_object_object_get_ex(o, key, NULL);
}

static int64_t chi_int(const json_object *o, const char *key, int64_t dflt)
{
    json_object *v = chi_get(o, key);

    if (v != NULL && json_object_is_type(v, json_type_boolean))
        return json_object_get_boolean(v) ? 1 : 0;
    if (v != NULL && (json_object_is_type(v, json_type_int) ||
                      json_object_is_type(v, json_type_double)) &&
        isfinite(json_object_get_double(v)))
        return (int64_t)nearbyint(json_object_get_double(v));
    return dflt;
}

/* The baseline's task count, duration and whether it creates a sprint. Without a baseline
 * (e.g. /admin/intel/run by hand) the rules' R3 numbers from the perception stand in. */
static void chi_baseline(const dsm_decision_t *dc, int64_t *tasks, int64_t *weeks, int *create)
{
    const json_object *b = DSM_HAS(dc, baseline) ? dc->baseline : NULL;
    const json_object *p = dc->perception;
    json_object *opts = chi_get(p, "options");
    int64_t u = chi_int(chi_get(p, "backlog"), "unassigned", 0);
    int64_t max = chi_int(opts, "max_tasks_per_sprint", 10);

    if (b != NULL && json_object_is_type(b, json_type_object)) {
        *tasks = chi_int(b, "tasks_to_assign", 0);
        *weeks = chi_int(b, "sprint_duration_weeks", 2);
        *create = chi_int(b, "create_new_sprint", 0) != 0;
        return;
    }
    *tasks = u < max ? u : max;
    *weeks = chi_int(opts, "sprint_duration_weeks", 2);
    *create = *tasks > 0 && chi_get(chi_get(p, "sprints"), "current") == NULL;
}

static const char *chi_source_label(const chi_data_t *d)
{
    int perc = 0, fetched = 0;

    for (int i = 0; i < CHI_NBODIES; i++) {
        perc |= d->from_perception[i];
        fetched |= d->owned[i];
    }
    return perc && fetched ? "perception+chronicle" : perc ? "perception"
                                                  : fetched ? "chronicle"
                                                            : "none";
}

static json_object *chi_insight(const chi_data_t *d, const chi_similar_t *sim, size_t nsim,
                                const chi_velocity_t *v, const chi_success_t *si, double conf)
{
    json_object *ins = json_object_new_object(), *pa, *pm, *lines = json_object_new_array();
    char text[3][256];
    chi_quality_t q;
    size_t nl;

    pa = chi_pattern_analysis_json(sim, nsim, v, si);
    pm = json_object_new_object();
    json_object_object_add(pm, "data_source", json_object_new_string(chi_source_label(d)));
    json_object_object_add(pm, "chronicle_calls", json_object_new_int(d->fetched));
    json_object_object_add(pm, "fetch_ms",
                           json_object_new_double(round(d->fetch_ms * 1000) / 1000));
    json_object_object_add(pa, "performance_metrics", pm);
    json_object_object_add(ins, "pattern_analysis", pa);
    chi_quality(d->body[CHI_PATTERNS], d->body[CHI_VELOCITY], NULL, &q);
    json_object_object_add(ins, "data_quality_report", chi_quality_json(&q));
    json_object_object_add(ins, "confidence", json_object_new_double(conf));
    nl = chi_summary_lines(nsim, v, si, text);
    for (size_t i = 0; i < nl; i++)
        json_object_array_add(lines, json_object_new_string(text[i]));
    json_object_object_add(ins, "summary_lines", lines);
    json_object_object_add(ins, "warnings", json_object_get(d->warnings));
    return ins;
}

static int chi_analyze(void *state, dsm_req_t *req, const dsm_decision_t *dc, dsm_advice_t *out)
{
    static const char *const keys[CHI_NBODIES] = {"similar_projects", "velocity", "patterns"};
    const chi_state_t *st = state;
    const dsm_api_t *api = st->api;
    const json_object *params = DSM_HAS(dc, params) ? dc->params : NULL;
    json_object *pc = chi_get(dc->perception, "chronicle");
    chi_data_t d;
    chi_config_t cfg = st->cfg;
    chi_similar_t *sim;
    double *vel, conf;
    size_t nsim, nvel;
    chi_velocity_t v;
    chi_success_t si;
    chi_proposal_t tp, dp;
    int64_t tasks, weeks, deadline, t0 = st->api->now_ns();
    int create;

    if (!api->intel_wanted(dc, "chronicle"))
        return DSM_DECLINED;
    deadline = t0 + (int64_t)api->intel_budget_ms(dc, "chronicle", st->budget_ms) * 1000000;
    if (DSM_HAS(dc, deadline_ns) && dc->deadline_ns > 0 && dc->deadline_ns < deadline)
        deadline = dc->deadline_ns;
    memset(&d, 0, sizeof(d));
    d.warnings = json_object_new_array();
    for (int i = 0; i < CHI_NBODIES; i++) {
        d.from_perception[i] = chi_has(pc, keys[i]);
        d.body[i] = chi_get(pc, keys[i]);
    }
    if (!chi_replay(params)) {
        const char *base = st->url;
        json_object *u = chi_get(chi_get(params, "urls"), "chronicle");

        if (base == NULL)
            base = u != NULL && json_object_is_type(u, json_type_string)
                       ? json_object_get_string(u)
                       : CHI_DEFAULT_URL;
        chi_fetch(st, req, base, dc->project_id ? dc->project_id : "", deadline, &d);
    }

    sim = api->palloc(req, CHI_MAX_SIMILAR * sizeof(*sim));
    vel = api->palloc(req, CHI_MAX_SPRINTS * sizeof(*vel));
    nsim = sim ? chi_parse_similar(d.body[CHI_SIMILAR], sim, CHI_MAX_SIMILAR) : 0;
    nvel = vel ? chi_parse_velocity(d.body[CHI_VELOCITY], vel, CHI_MAX_SPRINTS) : 0;
    cfg.min_weeks = (int64_t)chi_param_num(params, "gate", "min_weeks", (double)cfg.min_weeks);
    cfg.max_weeks = (int64_t)chi_param_num(params, "gate", "max_weeks", (double)cfg.max_weeks);
    chi_velocity(vel, nvel, &v);
    chi_success(&cfg, sim, nsim, &si);
    conf = chi_confidence(&cfg, sim, nsim, &v, &si);

    chi_baseline(dc, &tasks, &weeks, &create);
    if (create && chi_task_proposal(&cfg, tasks, sim, nsim, &tp))
        api->advise(out, "tasks_to_assign", (double)tp.recommended, tp.confidence,
                    tp.evidence_count, tp.rationale);
    if (create && chi_duration_proposal(&cfg, weeks, &v, &dp))
        api->advise(out, "sprint_duration_weeks", (double)dp.recommended, dp.confidence,
                    dp.evidence_count, dp.rationale);
    api->advice_insight(out, chi_insight(&d, sim, nsim, &v, &si, conf));

    for (int i = 0; i < CHI_NBODIES; i++)
        if (d.owned[i])
            json_object_put(d.body[i]);
    json_object_put(d.warnings);
    return DSM_OK;
}

DSM_PLUGIN(.name = "chronicle", .version = CHRONICLE_VERSION, .kind = DSM_KIND_INTEL,
           .init = chi_init, .fini = chi_fini, .analyze = chi_analyze);
