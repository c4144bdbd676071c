/*
 * plugin.c — the "episodes" intelligence source (spec/orchestrator.md §4, docs/ORCHESTRATOR.md
 * §5, §7): the k nearest past episodes of this decision's context, from the agent-memory API
 * (POST <memory_url>/v1/memory/episodes/search on the chronicle pool), turned by the memory
 * bridge (episodes_logic.c) into at most two absolute proposals:
 *   tasks_to_assign        — the capacity similar sprints showed (their completed counts);
 *   sprint_duration_weeks  — the duration whose similar sprints completed best;
 * each with its confidence and the number of episodes with a recorded outcome behind it
 * (evidence_count), plus the insight {"episodes_retrieved","episodes_used",
 * "average_similarity","patterns","contributing_episodes","summary_lines",…}.
 *
 * Configuration (conf.episodes.*, read once in init):
 *   memory_url      base URL of the memory API; unset: params.urls.memory, else
 *                   http://127.0.0.1:8080 (nginx)
 *   k               episodes used at most (default 10; "top_k" accepted too), 1..100
 *   candidates      episodes asked for (default 4·k, at most 100), all with a recorded outcome
 *                   (the search's with_outcome); more than k because a replay drops those
 *                   recorded after the replayed decision
 *   min_similarity  default 0.6 (the memory bridge's)
 *   scope           project (default: this project's episodes) | all (every project's)
 *   scale           1 (default): scale completed counts to the current team size and sprint
 *                   length; 0: use them as they are
 *   timeout_ms      per search (default 1000), always within the source's budget
 *                   (params.source.episodes.deadline_ms) and the decision deadline
 *   breaker         circuit-breaker name (default "memory")
 *
 * Answers: DSM_OK with proposals when at least one episode was used; DSM_DECLINED (with the
 * insight) when none was, when the perception is missing, or when the source is not listed in
 * params.sources (then at once, without I/O); DSM_ERR with an insight {"error"} when the
 * memory API cannot be reached in time — the decision goes on without this source.
 * Side effects: none of its own (the memory API writes a search metrics row).
 */
#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm/plugin.h"
#include "episodes_logic.h"

#ifndef EPISODES_VERSION
#define EPISODES_VERSION "1.0.0"
#endif

#define EP_DEFAULT_URL "http://127.0.0.1:8080"
#define EP_DEFAULT_K 10
#define EP_MAX_K 100
#define EP_DEFAULT_TIMEOUT_MS 1000L
#define EP_DEFAULT_BUDGET_MS 1500L
#define EP_MARGIN_MS 20L
#define EP_MIN_CALL_MS 10L

/* Immutable after init. */
typedef struct {
    const dsm_api_t *api;
    char *memory_url; /* NULL: params.urls.memory or the default */
    char *breaker;
    int k, candidates;
    double min_similarity;
    int project_scope;
    int scale;
    long timeout_ms;
} ep_state_t;

static char *ep_strip_dup(const char *url)
{
    size_t n = strlen(url);
    char *p;

    while (n > 0 && url[n - 1] == '/')
        n--;
    p = malloc(n + 1);
    if (p) {
        memcpy(p, url, n);
        p[n] = '\0';
    }
    return p;
}

static void ep_fini(void *state)
{
    ep_state_t *s = state;

    if (!s)
        return;
    free(s->memory_url);
    free(s->breaker);
    free(s);
}

static int ep_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    ep_state_t *s;
    const char *v;
    int bad = 0, rc = DSM_ERR;

    if (!api || api->abi_major != DSM_ABI_MAJOR)
        return DSM_ERR;
    s = calloc(1, sizeof(*s));
    if (!s)
        return DSM_ERR;
    s->api = api;
    if ((v = api->conf_get(conf, "memory_url")) && *v && !(s->memory_url = ep_strip_dup(v)))
        goto out;
    v = api->conf_get(conf, "breaker");
    if (!(s->breaker = ep_strip_dup(v && *v ? v : "memory")))
        goto out;
    s->k = (int)api->conf_num_checked(conf, api->conf_get(conf, "k") ? "k" : "top_k", EP_DEFAULT_K,
                                      1, EP_MAX_K, &bad);
    s->candidates = (int)api->conf_num_checked(conf, "candidates",
                                               s->k * 4 > EP_MAX_K ? EP_MAX_K : s->k * 4, 1,
                                               EP_MAX_K, &bad);
    if (s->candidates < s->k)
        s->candidates = s->k;
    s->timeout_ms = (long)api->conf_num_checked(conf, "timeout_ms", EP_DEFAULT_TIMEOUT_MS, 1,
                                                600000, &bad);
    s->scale = (int)api->conf_num_checked(conf, "scale", 1, 0, 1, &bad);
    s->min_similarity = api->conf_num_checked(conf, "min_similarity", EP_MIN_SIMILARITY, -1, 1,
                                              &bad);
    v = api->conf_get(conf, "scope");
    if (!v || !strcmp(v, "project")) {
        s->project_scope = 1;
    } else if (strcmp(v, "all")) {
        api->log(NULL, "error", "episodes_config", "conf.episodes.scope must be project or all", NULL);
        bad = 1;
    }
    if (bad)
        goto out;
    *state = s;
    s = NULL;
    rc = DSM_OK;
out:
    ep_fini(s);
    return rc;
}

/* The memory API base URL for this decision. */
static const char *ep_base_url(const ep_state_t *s, const json_object *params)
{
    json_object *urls = NULL, *m = NULL;

    if (s->memory_url)
        return s->memory_url;
    if (json_object_is_type(params, json_type_object) &&
        json_object_object_get_ex((json_object *)params, "urls", &urls) &&
        json_object_object_get_ex(urls, "memory", &m) && json_object_is_type(m, json_type_string) &&
        *json_object_get_string(m))
        return json_object_get_string(m);
    return EP_DEFAULT_URL;
}

static int ep_fail(const dsm_api_t *api, dsm_req_t *req, dsm_advice_t *out, const char *why,
                   long ms)
{
    json_object *ins = json_object_new_object(), *w = json_object_new_array();
    char *msg = api->psprintf(req, "Episode memory unavailable: %s", why);

    json_object_object_add(ins, "error", json_object_new_string(msg));
    json_object_object_add(ins, "episodes_retrieved", json_object_new_int(0));
    json_object_object_add(ins, "episodes_used", json_object_new_int(0));
    json_object_object_add(ins, "search_ms", json_object_new_int64(ms));
    json_object_array_add(w, json_object_new_string(msg));
    json_object_object_add(ins, "warnings", w);
    api->advice_insight(out, ins);
    api->log(req, "warn", "episodes_unavailable", msg, NULL);
    return DSM_ERR;
}

static int ep_analyze(void *state, dsm_req_t *req, const dsm_decision_t *dc, dsm_advice_t *out)
{
    const ep_state_t *s = state;
    const dsm_api_t *api = s->api;
    const json_object *params = DSM_HAS(dc, params) ? dc->params : NULL;
    const json_object *perception = DSM_HAS(dc, perception) ? dc->perception : NULL;
    const json_object *baseline = DSM_HAS(dc, baseline) ? dc->baseline : NULL;
    const char *pid = DSM_HAS(dc, project_id) ? dc->project_id : NULL;
    int64_t t0 = api->now_ns(), end_ns;
    json_object *ctx, *body, *reply = NULL, *results = NULL;
    const char *err = NULL;
    long timeout_ms;
    int status;

    if (!api->intel_wanted(dc, "episodes"))
        return DSM_DECLINED;
    ctx = ep_query_context(perception);
    if (!ctx)
        return DSM_DECLINED;
    end_ns = t0 + api->intel_budget_ms(dc, "episodes", EP_DEFAULT_BUDGET_MS) * 1000000LL;
    if (DSM_HAS(dc, deadline_ns) && dc->deadline_ns > 0 && dc->deadline_ns < end_ns)
        end_ns = dc->deadline_ns;
    timeout_ms = (long)((end_ns - t0) / 1000000LL) - EP_MARGIN_MS;
    if (timeout_ms > s->timeout_ms)
        timeout_ms = s->timeout_ms;
    if (timeout_ms < EP_MIN_CALL_MS) {
        json_object_put(ctx);
        return ep_fail(api, req, out, "no time left before the deadline", 0);
    }
    body = ep_search_body(ctx, s->candidates, s->min_similarity, s->project_scope ? pid : NULL);
    /* only episodes with a recorded outcome can be used: the memory API filters them, so an
     * answer never carries the (large) contexts of decisions still waiting for their sprint */
    json_object_object_add(body, "with_outcome", json_object_new_boolean(1));
    dsm_http_opts_t o = {.size = sizeof(o),
                         .method = "POST",
                         .url = api->psprintf(req, "%s/v1/memory/episodes/search", ep_base_url(s, params)),
                         .body = body,
                         .timeout_ms = timeout_ms,
                         .retries = 0,
                         .breaker = s->breaker};
    status = api->http_request(req, &o, &reply, &err);
    json_object_put(body);
    long ms = (long)((api->now_ns() - t0) / 1000000LL);
    if (status != 200 || !json_object_object_get_ex(reply, "results", &results) ||
        !json_object_is_type(results, json_type_array)) {
        const char *why = status < 0 ? (err ? err : "no answer")
                          : status != 200 ? api->psprintf(req, "HTTP %d from the memory API", status)
                                          : "the memory API answered without results";
        json_object_put(reply);
        return ep_fail(api, req, out, why, ms);
    }

    size_t n = json_object_array_length(results);
    ep_episode_t *eps = api->palloc(req, (n ? n : 1) * sizeof(*eps));
    unsigned char *used = api->palloc(req, n ? n : 1);
    ep_params_t p;
    ep_context_t c;
    if (!eps || !used) {
        json_object_put(reply);
        return DSM_ERR;
    }
    for (size_t i = 0; i < n; i++)
        ep_episode_from_json(json_object_array_get_idx(results, i), &eps[i]);
    json_object_put(reply);
    /* keep the k best usable ones: the API answers best first */
    ep_params_from_json(&p, perception, baseline);
    p.min_similarity = s->min_similarity;
    p.scale = s->scale;
    ep_bridge(eps, n, &p, &c, used, NULL);
    if (c.used > (size_t)s->k) {
        size_t kept = 0, last = 0;
        for (size_t i = 0; i < n; i++)
            if (used[i] && ++kept == (size_t)s->k)
                last = i + 1;
        memset(used, 0, n);
        ep_bridge(eps, last, &p, &c, used, NULL);
        c.retrieved = n;
        c.context_quality = 0.7 * ((double)c.used / (double)n) + 0.3 * c.avg_similarity;
    }

    if (c.tasks.has) {
        char why[256];
        ep_reason_tasks(&c, why, sizeof(why));
        api->advise(out, "tasks_to_assign", (double)c.tasks.value, c.tasks.confidence,
                    c.tasks.evidence, why);
    }
    if (c.weeks.has) {
        char why[256];
        ep_reason_weeks(&c, why, sizeof(why));
        api->advise(out, "sprint_duration_weeks", (double)c.weeks.value, c.weeks.confidence,
                    c.weeks.evidence, why);
    }
    json_object *ins = ep_insight(eps, n, used, &c, &p);
    json_object_object_add(ins, "search_ms", json_object_new_int64(ms));
    json_object_object_add(ins, "scope", json_object_new_string(s->project_scope ? "project" : "all"));
    api->advice_insight(out, ins);
    return c.used > 0 ? DSM_OK : DSM_DECLINED;
}

DSM_PLUGIN(.name = "episodes", .version = EPISODES_VERSION, .kind = DSM_KIND_INTEL,
           .init = ep_init, .fini = ep_fini, .analyze = ep_analyze);
