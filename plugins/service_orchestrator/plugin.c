/*
 * plugin.c — the Project Orchestrator service plugin: descriptor, init/fini (configuration,
 * docs/ORCHESTRATOR.md §4), the schedule tick and the sprint-event consumer. The endpoints
 * are listed in routes.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orc_internal.h"

#define ORC_DEFAULT_URL "http://127.0.0.1:8080"

static const char *const default_mode_sources[ORC_NMODES] = {
    "", "chronicle strategy", "chronicle episodes", "chronicle episodes strategy"};

static char *conf_dup(const dsm_api_t *api, const dsm_conf_t *conf, const char *key,
                      const char *def)
{
    const char *v = api->conf_get(conf, key);

    return strdup(v != NULL && v[0] != '\0' ? v : def);
}

static char *url_dup(const dsm_api_t *api, const dsm_conf_t *conf, const char *key,
                     const char *def)
{
    char *u = conf_dup(api, conf, key, def);
    size_t n;

    if (u != NULL && (n = strlen(u)) > 0 && u[n - 1] == '/')
        u[n - 1] = '\0';
    return u;
}

static long conf_long(const dsm_api_t *api, const dsm_conf_t *conf, const char *key, long def,
                      long lo, long hi)
{
    const char *v = api->conf_get(conf, key);
    char *end;
    long n;

    if (v == NULL || *v == '\0')
        return def;
    n = strtol(v, &end, 10);
    return end != v && *end == '\0' && n >= lo && n <= hi ? n : def;
}

static double conf_double(const dsm_api_t *api, const dsm_conf_t *conf, const char *key,
                          double def, double lo, double hi)
{
    const char *v = api->conf_get(conf, key);
    char *end;
    double d;

    if (v == NULL || *v == '\0')
        return def;
    d = strtod(v, &end);
    return end != v && *end == '\0' && d >= lo && d <= hi ? d : def;
}

static void orc_fini(void *state)
{
    orc_state_t *st = state;

    if (st == NULL)
        return;
    for (int i = 0; i < ORC_NSVC; i++)
        free(st->url[i]);
    for (int i = 0; i < ORC_NMODES; i++)
        free(st->mode_sources[i]);
    free(st->default_mode);
    free(st->baseline_source);
    free(st->explain_sources);
    free(st->task_count_field);
    if (st->stats != NULL) {
        pthread_mutex_destroy(&st->stats->mu);
        free(st->stats);
    }
    free(st);
}

static int orc_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    static const char *const url_keys[ORC_NSVC] = {"project_url", "backlog_url", "sprint_url",
                                                   "chronicle_url", "memory_url"};
    orc_state_t *st = calloc(1, sizeof(*st));
    int ok = 1;

    if (st == NULL)
        return DSM_ERR;
    st->api = api;
    st->conf = conf;
    st->started_ns = st->api->now_ns();
    st->stats = calloc(1, sizeof(*st->stats));
    if (st->stats == NULL || pthread_mutex_init(&st->stats->mu, NULL) != 0) {
        free(st->stats);
        free(st);
        return DSM_ERR;
    }
    for (int i = 0; i < ORC_NSVC; i++) {
        const char *def = i == ORC_MEMORY ? api->conf_get(conf, "chronicle_url") : NULL;

        st->url[i] = url_dup(api, conf, url_keys[i], def != NULL && *def ? def : ORC_DEFAULT_URL);
        ok &= st->url[i] != NULL;
    }
    st->default_mode = conf_dup(api, conf, "default_mode", "intelligence_enhanced");
    ok &= st->default_mode != NULL;
    if (ok && orc_mode_index(st->default_mode) < 0) {
        api->log(NULL, "error", "orchestrator_config", "default_mode is not a decision mode", NULL);
        ok = 0;
    }
    for (int i = 0; i < ORC_NMODES; i++) {
        char key[64];

        snprintf(key, sizeof key, "mode.%s", orc_modes[i]);
        st->mode_sources[i] = conf_dup(api, conf, key, default_mode_sources[i]);
        ok &= st->mode_sources[i] != NULL;
    }
    st->baseline_source = conf_dup(api, conf, "baseline_source", "rules");
    st->explain_sources = conf_dup(api, conf, "explain_sources", "advisor");
    st->task_count_field = conf_dup(api, conf, "sprint_task_count_field", "task_count");
    ok &= st->baseline_source && st->explain_sources && st->task_count_field;
    st->decision_deadline_ms = conf_long(api, conf, "decision_deadline_ms", 3000, 50, 60000);
    st->http_timeout_ms = conf_long(api, conf, "http_timeout_ms", 2000, 50, 30000);
    st->catchup_s = conf_long(api, conf, "schedule_catchup_s", 3600, 0, 7 * 86400);
    orc_gate_defaults(&st->gate);
    st->gate.confidence_threshold =
        conf_double(api, conf, "confidence_threshold", st->gate.confidence_threshold, 0, 1);
    st->gate.min_similar_projects = (int)conf_long(api, conf, "min_similar_projects",
                                                   st->gate.min_similar_projects, 0, 1000);
    st->gate.min_duration_evidence = (int)conf_long(api, conf, "min_duration_evidence",
                                                    st->gate.min_duration_evidence, 0, 1000);
    st->gate.max_task_adjustment_percent = conf_double(
        api, conf, "max_task_adjustment_percent", st->gate.max_task_adjustment_percent, 0, 10);
    st->gate.task_difference_threshold = conf_double(
        api, conf, "task_adjustment_difference_threshold", st->gate.task_difference_threshold, 0, 100);
    st->gate.min_weeks = (int)conf_long(api, conf, "min_weeks", st->gate.min_weeks, 1, 8);
    st->gate.max_weeks = (int)conf_long(api, conf, "max_weeks", st->gate.max_weeks, 1, 8);
    if (!ok) {
        orc_fini(st);
        return DSM_ERR;
    }
    *state = st;
    return DSM_OK;
}

DSM_PLUGIN(.name = "orchestrator", .version = ORC_VERSION, .kind = DSM_KIND_SERVICE,
           .init = orc_init, .fini = orc_fini, .routes = orc_routes, .consumers = orc_consumers,
           .tick = orc_tick, .tick_ms = 5000)
