/*
 * plugin.c — the "advisor" intelligence source (spec/orchestrator.md §7, docs/ORCHESTRATOR.md
 * §7): asks an Ollama-compatible server to explain the final decision to stakeholders. It
 * answers in the "explain" pass with an insight only (the ai_agent_advisory object) and never
 * proposes numbers: it can neither change nor fail nor delay a decision.
 *
 * Configuration (conf.advisor.*, read once in init):
 *   ollama_url   base URL of the server ("url" is accepted too); unset → every analyze()
 *                returns DSM_DECLINED with {"enabled":false,"status":"disabled",…}
 *   model        default llama3.2:latest
 *   timeout_ms   default 5000 ("timeout" in seconds, as the original's ollama_timeout, too)
 *   enabled      0/false/no/off disables the advisor even with a URL
 *   breaker      circuit-breaker name, default "ollama"
 *
 * The call: POST <url>/api/generate {"model","prompt","stream":false,"format":"json",
 * "options":{"temperature":0.3,"num_predict":500}} through api->http_request (no retries, the
 * breaker), with a timeout of min(timeout_ms, this source's budget params.source.advisor.
 * deadline_ms, the decision deadline) minus a 25 ms margin — so the source always returns
 * before its deadline and is never "late". Outcomes:
 *   - 200 with a "response" text → DSM_OK, {"enabled":true,"generation_time_ms","model",
 *     "summary","recommendations","risk_assessment"} (text parsed by adv_parse_text: broken or
 *     missing JSON gives the original's fallback texts);
 *   - no answer in time → DSM_OK, {"enabled":false,"generation_time_ms":<the timeout that ran
 *     out>,"error":"Advisory timeout - proceeding with standard decision","fallback":…};
 *   - refused connection, breaker open, HTTP error, a body without "response" → DSM_OK,
 *     {"enabled":false,"generation_time_ms":<elapsed>,"error":"Advisory generation failed: …",
 *     "fallback":"AI advisor unavailable - using standard decision process"}.
 * Not listed in params.sources → DSM_DECLINED at once, without I/O.
 */
#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "advisor_logic.h"
#include "dsm/plugin.h"

#ifndef ADVISOR_VERSION
#define ADVISOR_VERSION "1.0.0"
#endif

#define ADV_DEFAULT_MODEL "llama3.2:latest"
#define ADV_DEFAULT_TIMEOUT_MS 5000L
#define ADV_DEFAULT_BUDGET_MS 5000L
#define ADV_MARGIN_MS 25L   /* return this long before the deadline */
#define ADV_MIN_CALL_MS 20L /* below this there is no point in calling */

/* Immutable after init. */
typedef struct {
    const dsm_api_t *api;
    char *generate_url; /* <ollama_url>/api/generate, NULL: not configured */
    char *base_url;
    char *model;
    char *breaker;
    long timeout_ms;
    int disabled;
} adv_state_t;

static char *adv_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    if (p)
        memcpy(p, s, n);
    return p;
}

static int adv_false(const char *v)
{
    return v && (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no") ||
                 !strcasecmp(v, "off"));
}

static void adv_fini(void *state)
{
    adv_state_t *s = state;

    if (!s)
        return;
    free(s->generate_url);
    free(s->base_url);
    free(s->model);
    free(s->breaker);
    free(s);
}

static int adv_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    adv_state_t *s;
    const char *url, *v;
    int rc = DSM_ERR;

    if (!api || api->abi_major != DSM_ABI_MAJOR)
        return DSM_ERR;
    s = calloc(1, sizeof(*s));
    if (!s)
        return DSM_ERR;
    s->api = api;
    s->timeout_ms = ADV_DEFAULT_TIMEOUT_MS;
    url = api->conf_get(conf, "ollama_url");
    if (!url || !*url)
        url = api->conf_get(conf, "url");
    v = api->conf_get(conf, "model");
    s->model = adv_strdup(v && *v ? v : ADV_DEFAULT_MODEL);
    v = api->conf_get(conf, "breaker");
    s->breaker = adv_strdup(v && *v ? v : "ollama");
    if (!s->model || !s->breaker)
        goto out;
    {
        int bad = 0;

        if (api->conf_get(conf, "timeout_ms") != NULL || api->conf_get(conf, "timeout") == NULL)
            s->timeout_ms = (long)api->conf_num_checked(conf, "timeout_ms", ADV_DEFAULT_TIMEOUT_MS,
                                                        1, 600000, &bad);
        else /* the original's setting, in seconds */
            s->timeout_ms = (long)(api->conf_num_checked(conf, "timeout", 0, 0.001, 600, &bad) *
                                       1000.0 + 0.5);
        if (bad)
            goto out;
    }
    s->disabled = adv_false(api->conf_get(conf, "enabled"));
    if (url && *url) {
        size_t n = strlen(url);
        while (n > 0 && url[n - 1] == '/')
            n--;
        s->base_url = malloc(n + 1);
        s->generate_url = malloc(n + sizeof("/api/generate"));
        if (!s->base_url || !s->generate_url)
            goto out;
        memcpy(s->base_url, url, n);
        s->base_url[n] = '\0';
        snprintf(s->generate_url, n + sizeof("/api/generate"), "%s/api/generate", s->base_url);
    }
    *state = s;
    s = NULL;
    rc = DSM_OK;
out:
    adv_fini(s);
    return rc;
}

/* The "response" text of an /api/generate reply, or NULL. */
static const char *adv_response_text(json_object *body)
{
    json_object *v;

    if (json_object_is_type(body, json_type_object) &&
        json_object_object_get_ex(body, "response", &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

/* The reason an HTTP answer is not usable, in the arena. */
static const char *adv_http_problem(const dsm_api_t *api, dsm_req_t *req, int status, json_object *body)
{
    json_object *e;

    if (status != 200) {
        if (json_object_is_type(body, json_type_object) && json_object_object_get_ex(body, "error", &e) &&
            json_object_is_type(e, json_type_string))
            return api->psprintf(req, "HTTP %d: %s", status, json_object_get_string(e));
        return api->psprintf(req, "HTTP %d", status);
    }
    if (!body)
        return "the answer is not JSON";
    return "the answer has no response text";
}

static int adv_analyze(void *state, dsm_req_t *req, const dsm_decision_t *dc, dsm_advice_t *out)
{
    const adv_state_t *s = state;
    const dsm_api_t *api = s->api;
    int64_t t0 = api->now_ns(), end_ns;
    adv_input_t in;
    json_object *body = NULL, *reply = NULL, *advisory;
    const char *err = NULL, *text;
    char *prompt = NULL;
    long timeout_ms;
    int status;

    if (!api->intel_wanted(dc, "advisor"))
        return DSM_DECLINED;
    if (!s->generate_url || s->disabled) {
        json_object *d = adv_advisory_disabled();
        if (s->disabled)
            json_object_object_add(d, "message", json_object_new_string("advisor disabled (conf.advisor.enabled)"));
        api->advice_insight(out, d);
        return DSM_DECLINED;
    }
    /* the time this call may take: our budget, the decision deadline, the configured timeout */
    end_ns = t0 + api->intel_budget_ms(dc, "advisor", ADV_DEFAULT_BUDGET_MS) * 1000000LL;
    if (DSM_HAS(dc, deadline_ns) && dc->deadline_ns > 0 && dc->deadline_ns < end_ns)
        end_ns = dc->deadline_ns;
    timeout_ms = (long)((end_ns - t0) / 1000000LL) - ADV_MARGIN_MS;
    if (timeout_ms > s->timeout_ms)
        timeout_ms = s->timeout_ms;
    if (timeout_ms < ADV_MIN_CALL_MS) {
        api->advice_insight(out, adv_advisory_timeout(timeout_ms > 0 ? timeout_ms : 0));
        return DSM_OK;
    }

    adv_input_from_json(&in, DSM_HAS(dc, project_id) ? dc->project_id : NULL,
                        DSM_HAS(dc, perception) ? dc->perception : NULL,
                        DSM_HAS(dc, baseline) ? dc->baseline : NULL);
    prompt = adv_prompt(&in);
    if (!prompt) {
        api->advice_insight(out, adv_advisory_failed(0, "out of memory"));
        return DSM_OK;
    }
    body = adv_request_body(s->model, prompt);
    free(prompt);
    dsm_http_opts_t o = {.size = sizeof(o),
                         .method = "POST",
                         .url = s->generate_url,
                         .body = body,
                         .timeout_ms = timeout_ms,
                         .retries = 0,
                         .breaker = s->breaker};
    status = api->http_request(req, &o, &reply, &err);
    long ms = (long)((api->now_ns() - t0) / 1000000LL);
    json_object_put(body);

    if (status < 0 && adv_is_timeout(err)) {
        advisory = adv_advisory_timeout(timeout_ms);
    } else if (status < 0) {
        advisory = adv_advisory_failed(ms, err ? err : "no answer");
    } else if (status != 200 || !(text = adv_response_text(reply))) {
        advisory = adv_advisory_failed(ms, adv_http_problem(api, req, status, reply));
    } else {
        adv_parse_e how;
        json_object *parsed = adv_parse_text(text, &how);
        advisory = adv_advisory_ok(s->model, ms, parsed);
        if (how != ADV_PARSE_OK)
            api->log(req, "warn", "advisor_parse",
                     how == ADV_PARSE_NO_JSON ? "no JSON in the model's answer: fallback text"
                                              : "the model's JSON did not parse: fallback text",
                     NULL);
    }
    json_object *enabled = NULL;
    if (!json_object_object_get_ex(advisory, "enabled", &enabled) || !json_object_get_boolean(enabled)) {
        json_object *f = json_object_new_object();
        json_object_object_add(f, "status", json_object_new_int(status));
        json_object_object_add(f, "ms", json_object_new_int64(ms));
        api->log(req, "warn", "advisor_unavailable", err ? err : "advisor answer unusable", f);
    }
    json_object_put(reply);
    api->advice_insight(out, advisory);
    return DSM_OK;
}

DSM_PLUGIN(.name = "advisor", .version = ADVISOR_VERSION, .kind = DSM_KIND_INTEL,
           .init = adv_init, .fini = adv_fini, .analyze = adv_analyze);
