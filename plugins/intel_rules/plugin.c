/*
 * plugin.c — the "rules" intelligence source: the rule-based baseline of an orchestration
 * decision (spec/orchestrator.md §2, docs/ORCHESTRATOR.md §3). Deterministic and local: no I/O,
 * so it answers in microseconds and never fails for want of a dependency.
 *
 * Proposals (confidence 1.0, evidence 1 = the current state): create_new_sprint, tasks_to_assign,
 * sprint_duration_weeks, close_sprint, create_schedule (booleans as 0/1). Insight:
 * {"decision": Baseline, "confidence": 1.0}. The rules are in rules_logic.c.
 */
#include <json-c/json.h>
#include <stddef.h>
#include <stdlib.h>

#include "dsm/plugin.h"
#include "rules_logic.h"

#ifndef RULES_VERSION
#define RULES_VERSION "1.0.0"
#endif

/* A member of dsm_decision_t the host filled (read only members inside dc->size). */
typedef struct {
    const dsm_api_t *api;
} rules_state_t;

static int rules_init(const dsm_api_t *api, const dsm_conf_t *conf, void **state)
{
    rules_state_t *s;

    if (api == NULL || api->abi_major != DSM_ABI_MAJOR)
        return DSM_ERR;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return DSM_ERR;
    s->api = api;
    *state = s;
    return DSM_OK;
}

static void rules_fini(void *state)
{
    free(state);
}

static int rules_analyze(void *state, dsm_req_t *req, const dsm_decision_t *dc, dsm_advice_t *out)
{
    const rules_state_t *s = state;
    const dsm_api_t *api = s->api;
    rul_perceived_t *p;
    rul_decision_t d;
    json_object *ins;
    char why[RUL_TEXT_MAX];

    if (!api->intel_wanted(dc, "rules"))
        return DSM_DECLINED;
    p = api->palloc(req, sizeof(*p));
    if (p == NULL)
        return DSM_ERR;
    rul_from_perception(DSM_HAS(dc, perception) ? dc->perception : NULL,
                        DSM_HAS(dc, project_id) ? dc->project_id : NULL, p);
    rul_decide(&p->in, &d);
    rul_reasoning(&p->in, &d, why, sizeof(why));

    api->advise(out, "create_new_sprint", d.create_new_sprint, 1.0, d.evidence_count, why);
    api->advise(out, "tasks_to_assign", (double)d.tasks_to_assign, 1.0, d.evidence_count, why);
    api->advise(out, "sprint_duration_weeks", (double)d.sprint_duration_weeks, 1.0,
                d.evidence_count, "the requested sprint_duration_weeks option");
    api->advise(out, "close_sprint", d.sprint_closure_triggered, 1.0, d.evidence_count, why);
    api->advise(out, "create_schedule", d.cronjob_created, 1.0, d.evidence_count, why);

    ins = json_object_new_object();
    json_object_object_add(ins, "decision", rul_baseline_json(&p->in, &d));
    json_object_object_add(ins, "confidence", json_object_new_double(1.0));
    api->advice_insight(out, ins);
    return DSM_OK;
}

DSM_PLUGIN(.name = "rules", .version = RULES_VERSION, .kind = DSM_KIND_INTEL, .init = rules_init,
           .fini = rules_fini, .analyze = rules_analyze);
