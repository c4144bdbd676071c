/*
 * plugin.c — the "strategy" intelligence source (spec/orchestrator.md §5.2–§5.4,
 * docs/ORCHESTRATOR.md §5 and §7): reads the learned strategies (agent_knowledge rows) through
 * the agent-memory API, scores them against the decision's context, reports the applicable ones,
 * the recommendation confidence and its success-probability boost, and — when the best
 * applicable strategy is confident enough — proposes its recommended task count / duration.
 *
 * Memory API: GET <memory>/v1/memory/strategies?knowledge_type=strategy&min_confidence=&limit=
 * (+ &as_of=<perception.generated_at> in a replay: only the strategies that existed then)
 * with <memory> = conf memory_url, else params.urls.memory, else http://127.0.0.1:8080; breaker
 * "memory"; timeout conf timeout_ms clamped to the source's budget.
 *
 * conf.strategy.*: memory_url, timeout_ms (2000), deadline_ms (500, when params has no budget),
 * candidates (200), min_confidence (0.3), limit (5), propose_confidence (0.75),
 * propose_applicability (0.5), success_quality (0.8), feedback_rate (0.1), record_feedback (0).
 */
#include <json-c/json.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stg_internal.h"

#ifndef STRATEGY_VERSION
#define STRATEGY_VERSION "1.0.0"
#endif

static void stg_fini(void *state)
{
    stg_state_t *st = state;

    if (st != NULL)
        free(st->url);
    free(st);
}

static int stg_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    stg_state_t *st;
    const char *url;
    int bad = 0;

    if (api == NULL || api->abi_major != DSM_ABI_MAJOR)
        return DSM_ERR;
    st = calloc(1, sizeof(*st));
    if (st == NULL)
        return DSM_ERR;
    st->api = api;
    url = api->conf_get(conf, "memory_url");
    if (url != NULL && *url != '\0' && (st->url = strdup(url)) == NULL) {
        free(st);
        return DSM_ERR;
    }
    st->timeout_ms = (long)api->conf_num_checked(conf, "timeout_ms", 2000, 1, 600000, &bad);
    st->budget_ms = (long)api->conf_num_checked(conf, "deadline_ms", 500, 1, 600000, &bad);
    st->candidates =
        (int)api->conf_num_checked(conf, "candidates", 200, 1, STG_MAX_CANDIDATES, &bad);
    st->record = api->conf_num_checked(conf, "record_feedback", 0, 0, 1, &bad) != 0;
    stg_config_defaults(&st->cfg);
    st->cfg.min_confidence =
        api->conf_num_checked(conf, "min_confidence", st->cfg.min_confidence, 0, 1, &bad);
    st->cfg.limit =
        (int)api->conf_num_checked(conf, "limit", st->cfg.limit, 1, STG_MAX_STRATEGIES, &bad);
    st->cfg.propose_confidence = api->conf_num_checked(conf, "propose_confidence",
                                                       st->cfg.propose_confidence, 0, 1, &bad);
    st->cfg.propose_applicability = api->conf_num_checked(
        conf, "propose_applicability", st->cfg.propose_applicability, 0, 1, &bad);
    st->cfg.success_quality =
        api->conf_num_checked(conf, "success_quality", st->cfg.success_quality, 0, 1, &bad);
    st->cfg.feedback_rate =
        api->conf_num_checked(conf, "feedback_rate", st->cfg.feedback_rate, 0, 1, &bad);
    if (bad) {
        stg_fini(st);
        return DSM_ERR;
    }
    *state = st;
    return DSM_OK;
}

static json_object *stg_get(const json_object *o, const char *key)
{
    json_object *v = NULL;

    if (o == NULL || !json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

static int64_t stg_int(const json_object *o, const char *key, int64_t dflt)
{
    json_object *v = stg_get(o, key);

    if (v != NULL && json_object_is_type(v, json_type_boolean))
        return json_object_get_boolean(v) ? 1 : 0;
    if (v != NULL && (json_object_is_type(v, json_type_int) ||
                      json_object_is_type(v, json_type_double)) &&
        isfinite(json_object_get_double(v)))
        return (int64_t)nearbyint(json_object_get_double(v));
    return dflt;
}

/* Baseline numbers; without a baseline (a hand-made /admin/intel/run) the rules' R3 numbers. */
static void stg_baseline(const dsm_decision_t *dc, int64_t *tasks, int64_t *weeks, int *create)
{
    const json_object *b = DSM_HAS(dc, baseline) ? dc->baseline : NULL;
    json_object *opts = stg_get(dc->perception, "options");
    int64_t u = stg_int(stg_get(dc->perception, "backlog"), "unassigned", 0);
    int64_t max = stg_int(opts, "max_tasks_per_sprint", 10);

    if (b != NULL && json_object_is_type(b, json_type_object)) {
        *tasks = stg_int(b, "tasks_to_assign", 0);
        *weeks = stg_int(b, "sprint_duration_weeks", 2);
        *create = stg_int(b, "create_new_sprint", 0) != 0;
        return;
    }
    *tasks = u < max ? u : max;
    *weeks = stg_int(opts, "sprint_duration_weeks", 2);
    *create = *tasks > 0 && stg_get(stg_get(dc->perception, "sprints"), "current") == NULL;
}

static json_object *stg_strategy_json(const stg_strategy_t *s)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "strategy_id", json_object_new_string(s->id));
    json_object_object_add(o, "description", json_object_new_string(s->description));
    json_object_object_add(o, "confidence", json_object_new_double(s->confidence));
    json_object_object_add(o, "success_rate",
                           s->has_success_rate ? json_object_new_double(s->success_rate) : NULL);
    json_object_object_add(o, "times_applied", json_object_new_int64(s->times_applied));
    json_object_object_add(o, "applicability_score",
                           json_object_new_double(stg_round(s->applicability, 4)));
    json_object_object_add(o, "evidence_count", json_object_new_int(stg_evidence(s)));
    return o;
}

static json_object *stg_lines(const stg_strategy_t *s, size_t k, double rc,
                              const json_object *ctx)
{
    char text[STG_MAX_INSIGHTS][256];
    json_object *lines = json_object_new_array();
    size_t n = stg_insights(s, k, stg_int(ctx, "team_size", -1), text, STG_MAX_INSIGHTS);

    if (k > 0) {
        char head[256];

        snprintf(head, sizeof(head),
                 "Strategy recommendations: %zu applicable strategies identified with %.1f%% "
                 "overall confidence.",
                 k, rc * 100.0);
        json_object_array_add(lines, json_object_new_string(head));
        n = n > 2 ? 2 : n; /* §5.3: the first two strategy insights */
    }
    for (size_t i = 0; i < n; i++)
        json_object_array_add(lines, json_object_new_string(text[i]));
    return lines;
}

static json_object *stg_insight(const stg_state_t *st, const stg_strategy_t *s, size_t k,
                                size_t evaluated, json_object *ctx, const stg_proposal_t *tp,
                                const stg_proposal_t *wp)
{
    json_object *ins = json_object_new_object(), *arr = json_object_new_array(), *ids, *best;
    double rc = stg_recommendation_confidence(s, k);
    int b = stg_best(s, k);

    for (size_t i = 0; i < k; i++)
        json_object_array_add(arr, stg_strategy_json(&s[i]));
    json_object_object_add(ins, "applicable_strategies", arr);
    json_object_object_add(ins, "strategies_evaluated", json_object_new_int64((int64_t)evaluated));
    json_object_object_add(ins, "recommendation_confidence", json_object_new_double(rc));
    json_object_object_add(ins, "success_probability_boost",
                           json_object_new_double(stg_boost(&st->cfg, 0.0, rc)));
    ids = json_object_new_array();
    if (tp->proposed)
        json_object_array_add(ids, json_object_new_string(s[tp->strategy_index].id));
    if (wp->proposed && !(tp->proposed && tp->strategy_index == wp->strategy_index))
        json_object_array_add(ids, json_object_new_string(s[wp->strategy_index].id));
    json_object_object_add(ins, "applied_strategy_ids", ids);
    best = NULL;
    if (b >= 0) {
        best = json_object_new_object();
        json_object_object_add(best, "id", json_object_new_string(s[b].id));
        json_object_object_add(best, "name", json_object_new_string(s[b].description));
        json_object_object_add(best, "confidence", json_object_new_double(s[b].confidence));
        json_object_object_add(best, "applicability_score",
                               json_object_new_double(stg_round(s[b].applicability, 4)));
    }
    json_object_object_add(ins, "best_match_strategy", best);
    json_object_object_add(ins, "summary_lines", stg_lines(s, k, rc, ctx));
    json_object_object_add(ins, "confidence", json_object_new_double(rc));
    json_object_object_add(ins, "strategy_context", ctx); /* takes the reference */
    return ins;
}

/* In a replay (params.replay true): the perception's generated_at, percent-encoded for a query
 * string — the strategy repository is read as it was then. NULL otherwise. */
static const char *stg_as_of(const dsm_api_t *api, dsm_req_t *req, const dsm_decision_t *dc)
{
    const json_object *params = DSM_HAS(dc, params) ? dc->params : NULL;
    const json_object *perception = DSM_HAS(dc, perception) ? dc->perception : NULL;
    json_object *replay, *at;

    if (params == NULL || !json_object_object_get_ex(params, "replay", &replay) ||
        !json_object_get_boolean(replay) || perception == NULL ||
        !json_object_object_get_ex(perception, "generated_at", &at) ||
        !json_object_is_type(at, json_type_string) || json_object_get_string_len(at) > 64)
        return NULL;
    return api->url_escape(req, json_object_get_string(at));
}

/* The candidates from the memory API into s (at most max); *body keeps them alive. as_of: see
 * stg_as_of (NULL: today's repository). */
static int stg_fetch(const stg_state_t *st, dsm_req_t *req, const json_object *params,
                     const char *as_of, int64_t deadline, json_object **body, stg_strategy_t *s,
                     size_t max, size_t *n, const char **why)
{
    const dsm_api_t *api = st->api;
    long left = (long)((deadline - api->now_ns()) / 1000000);
    const char *url = api->psprintf(req,
                                    "%s/v1/memory/strategies?knowledge_type=strategy"
                                    "&min_confidence=%g&limit=%d%s%s",
                                    stg_base(st, params), st->cfg.min_confidence, st->candidates,
                                    as_of ? "&as_of=" : "", as_of ? as_of : "");
    json_object *arr;
    int status;
    size_t len;

    *n = 0;
    if (left <= 0) {
        *why = "no time left in the source's budget";
        return -1;
    }
    status = stg_call(st, req, "GET", url, NULL, st->timeout_ms < left ? st->timeout_ms : left,
                      body, why);
    if (status != 200) {
        if (status >= 0)
            *why = api->psprintf(req, "memory API answered HTTP %d", status);
        return -1;
    }
    arr = stg_get(*body, "strategies");
    len = arr != NULL && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr)
                                                                   : 0;
    for (size_t i = 0; i < len && *n < max; i++)
        if (stg_from_json(json_object_array_get_idx(arr, i), &s[*n]) == 0)
            (*n)++;
    return 0;
}

static int stg_analyze(void *state, dsm_req_t *req, const dsm_decision_t *dc, dsm_advice_t *out)
{
    const stg_state_t *st = state;
    const dsm_api_t *api = st->api;
    const json_object *params = DSM_HAS(dc, params) ? dc->params : NULL;
    json_object *body = NULL, *ctx, *ins;
    stg_strategy_t *s;
    stg_proposal_t tp, wp;
    size_t n = 0, k;
    int64_t tasks, weeks, deadline;
    const char *why = NULL;
    int create;

    if (!api->intel_wanted(dc, "strategy"))
        return DSM_DECLINED;
    deadline = api->now_ns() + (int64_t)api->intel_budget_ms(dc, "strategy", st->budget_ms) * 1000000;
    if (DSM_HAS(dc, deadline_ns) && dc->deadline_ns > 0 && dc->deadline_ns < deadline)
        deadline = dc->deadline_ns;
    ctx = stg_context(dc->perception, dc->project_id);
    s = api->palloc(req, (size_t)st->candidates * sizeof(*s));
    if (s == NULL || stg_fetch(st, req, params, stg_as_of(api, req, dc), deadline, &body, s,
                               (size_t)st->candidates, &n, &why) != 0) {
        ins = json_object_new_object();
        json_object_object_add(ins, "error", json_object_new_string(
                                                 api->psprintf(req, "Strategy repository "
                                                                    "unavailable: %s",
                                                               why ? why : "out of memory")));
        json_object_object_add(ins, "strategy_context", ctx);
        api->advice_insight(out, ins);
        json_object_put(body);
        return DSM_ERR;
    }
    k = stg_select(&st->cfg, s, n, ctx);
    stg_baseline(dc, &tasks, &weeks, &create);
    memset(&tp, 0, sizeof(tp));
    memset(&wp, 0, sizeof(wp));
    if (create && stg_propose(&st->cfg, s, k, tasks, weeks, &tp, &wp) > 0) {
        if (tp.proposed)
            api->advise(out, "tasks_to_assign", (double)tp.recommended, tp.confidence,
                        tp.evidence_count, tp.rationale);
        if (wp.proposed)
            api->advise(out, "sprint_duration_weeks", (double)wp.recommended, wp.confidence,
                        wp.evidence_count, wp.rationale);
    }
    api->advice_insight(out, stg_insight(st, s, k, n, ctx, &tp, &wp));
    json_object_put(body); /* strategy contents point into it: only after the insight */
    return DSM_OK;
}

DSM_PLUGIN(.name = "strategy", .version = STRATEGY_VERSION, .kind = DSM_KIND_INTEL,
           .init = stg_init, .fini = stg_fini, .analyze = stg_analyze, .record = stg_record);
