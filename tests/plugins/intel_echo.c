/*
 * intel_echo.c — test-only intelligence plugin. It proposes `tasks_to_assign` = the number of
 * items in perception.backlog (or 3), with its version in the insight, so a test can see which
 * generation answered. Project ids steer it: "DECLINE" → DSM_DECLINED, "FAIL" → DSM_ERR,
 * "SLOW" → sleeps 300 ms. record() counts outcomes in the plugin's own state.
 * intel_echo_v2.c builds the same source as version 2.0.0.
 */
#include <json-c/json.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsm/plugin.h"

#ifndef ECHO_VERSION
#define ECHO_VERSION "1.0.0"
#endif

typedef struct {
    const dsm_api_t *api;
    atomic_int recorded;
} echo_state_t;

static int echo_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    echo_state_t *s = calloc(1, sizeof(*s));
    if (!s || api->abi_major != DSM_ABI_MAJOR) {
        free(s);
        return DSM_ERR;
    }
    s->api = api;
    *state = s;
    return DSM_OK;
}

static void echo_fini(void *state)
{
    free(state);
}

static int echo_analyze(void *state, dsm_req_t *req, const dsm_decision_t *dc, dsm_advice_t *out)
{
    echo_state_t *s = state;
    const char *pid = dc->project_id ? dc->project_id : "";
    if (!strcmp(pid, "DECLINE"))
        return DSM_DECLINED;
    if (!strcmp(pid, "FAIL"))
        return DSM_ERR;
    if (!strcmp(pid, "SLOW")) {
        struct timespec ts = {0, 300000000};
        nanosleep(&ts, NULL);
    }
    json_object *backlog = NULL;
    double n = 3;
    if (dc->perception &&
        json_object_object_get_ex((json_object *)dc->perception, "backlog", &backlog) &&
        json_object_is_type(backlog, json_type_array))
        n = (double)json_object_array_length(backlog);
    s->api->advise(out, "tasks_to_assign", n, 0.5, (int)n, "echo of the backlog size");
    json_object *ins = json_object_new_object();
    json_object_object_add(ins, "version", json_object_new_string(ECHO_VERSION));
    json_object_object_add(ins, "recorded", json_object_new_int(atomic_load(&s->recorded)));
    s->api->advice_insight(out, ins);
    return DSM_OK;
}

static int echo_record(void *state, dsm_req_t *req, const dsm_outcome_t *oc)
{
    echo_state_t *s = state;
    atomic_fetch_add(&s->recorded, 1);
    return DSM_OK;
}

DSM_PLUGIN(.name = "echo", .version = ECHO_VERSION, .kind = DSM_KIND_INTEL, .init = echo_init,
           .fini = echo_fini, .analyze = echo_analyze, .record = echo_record);
