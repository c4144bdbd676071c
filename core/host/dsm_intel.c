/*
 * dsm_intel.c — running the intelligence sources of the pinned generation: each analyze()
 * gets the decision context and fills a dsm_advice_t (proposals + insight); the host times it,
 * skips sources once the deadline has passed and reports every source by name.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"

struct dsm_advice_s {
    json_object *proposals; /* array */
    json_object *insight;   /* any JSON, or NULL */
};

int dsm_advise(dsm_advice_t *out, const char *field, double value, double confidence,
               int evidence_count, const char *reasoning)
{
    if (!out || !field || !isfinite(value) || !isfinite(confidence))
        return DSM_ERR;
    if (confidence < 0)
        confidence = 0;
    if (confidence > 1)
        confidence = 1;
    json_object *p = json_object_new_object();
    json_object_object_add(p, "field", json_object_new_string(field));
    json_object_object_add(p, "value", json_object_new_double(value));
    json_object_object_add(p, "confidence", json_object_new_double(confidence));
    json_object_object_add(p, "evidence_count", json_object_new_int(evidence_count));
    json_object_object_add(p, "reasoning", reasoning ? json_object_new_string(reasoning) : NULL);
    json_object_array_add(out->proposals, p);
    return DSM_OK;
}

void dsm_advice_insight(dsm_advice_t *out, json_object *insight)
{
    if (!out) {
        json_object_put(insight);
        return;
    }
    json_object_put(out->insight);
    out->insight = insight;
}

static json_object *source_result(const dsm_slot_t *s, const char *status, double ms,
                                  dsm_advice_t *adv, const char *error)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "source", json_object_new_string(s->name));
    json_object_object_add(o, "version", json_object_new_string(s->desc->version));
    json_object_object_add(o, "status", json_object_new_string(status));
    json_object_object_add(o, "ms", json_object_new_double(round(ms * 1000.0) / 1000.0));
    json_object_object_add(o, "proposals", adv->proposals);
    json_object_object_add(o, "insight", adv->insight);
    json_object_object_add(o, "error", error ? json_object_new_string(error) : NULL);
    adv->proposals = NULL;
    adv->insight = NULL;
    return o;
}

json_object *dsm_intel_run(dsm_req_t *r, const dsm_decision_t *dc)
{
    json_object *all = json_object_new_array();
    int64_t deadline = dc && dc->size >= offsetof(dsm_decision_t, deadline_ns) + sizeof(int64_t) &&
                               dc->deadline_ns
                           ? dc->deadline_ns
                           : r->deadline_ns;
    for (size_t i = 0; r->gen && i < r->gen->nslots; i++) {
        dsm_slot_t *s = r->gen->slots[i];
        if (s->desc->kind != DSM_KIND_INTEL)
            continue;
        dsm_advice_t adv = {json_object_new_array(), NULL};
        int64_t t0 = dsm_now_ns();
        if (t0 >= deadline) {
            json_object_array_add(all, source_result(s, "skipped", 0, &adv, "deadline exceeded"));
            continue;
        }
        int64_t saved = r->deadline_ns;
        r->deadline_ns = deadline; /* http_call inside analyze() clamps to it */
        int rc = s->desc->analyze(s->state, r, dc, &adv);
        r->deadline_ns = saved;
        double ms = (double)(dsm_now_ns() - t0) / 1e6;
        const char *status = rc == DSM_OK ? "ok" : rc == DSM_DECLINED ? "declined" : "failed";
        const char *err = rc == DSM_OK || rc == DSM_DECLINED ? NULL : "analyze() failed";
        if (rc == DSM_OK && dsm_now_ns() > deadline) {
            status = "late";
            err = "answered after the deadline; proposals ignored";
            json_object_put(adv.proposals);
            adv.proposals = json_object_new_array();
        }
        if (rc != DSM_OK) {
            json_object_put(adv.proposals);
            adv.proposals = json_object_new_array();
        }
        json_object_array_add(all, source_result(s, status, ms, &adv, err));
    }
    return all;
}

int dsm_intel_record(dsm_req_t *r, const dsm_outcome_t *oc)
{
    int failed = 0;
    for (size_t i = 0; r->gen && i < r->gen->nslots; i++) {
        dsm_slot_t *s = r->gen->slots[i];
        if (s->desc->kind != DSM_KIND_INTEL || !s->desc->record)
            continue;
        if (s->desc->record(s->state, r, oc) != DSM_OK) {
            failed++;
            dsm_log_line("warn", "intel_record", r->id, s->name, NULL);
        }
    }
    return failed ? DSM_ERR : DSM_OK;
}

/* ---- readers of the decision parameters (docs/ORCHESTRATOR.md §4) ---- */

static json_object *dc_params(const dsm_decision_t *dc)
{
    if (!dc || dc->size < offsetof(dsm_decision_t, params) + sizeof(dc->params))
        return NULL;
    return (json_object *)dc->params;
}

int dsm_intel_wanted(const dsm_decision_t *dc, const char *source)
{
    json_object *p = dc_params(dc), *src = NULL;
    if (!p || !json_object_is_type(p, json_type_object) ||
        !json_object_object_get_ex(p, "sources", &src) ||
        !json_object_is_type(src, json_type_array))
        return 1;
    for (size_t i = 0; i < json_object_array_length(src); i++) {
        json_object *v = json_object_array_get_idx(src, i);
        if (json_object_is_type(v, json_type_string) && source &&
            !strcmp(json_object_get_string(v), source))
            return 1;
    }
    return 0;
}

long dsm_intel_budget_ms(const dsm_decision_t *dc, const char *source, long dflt)
{
    json_object *p = dc_params(dc), *all = NULL, *me = NULL, *v = NULL;
    if (!p || !source || !json_object_is_type(p, json_type_object) ||
        !json_object_object_get_ex(p, "source", &all) ||
        !json_object_is_type(all, json_type_object) ||
        !json_object_object_get_ex(all, source, &me) || !json_object_is_type(me, json_type_object) ||
        !json_object_object_get_ex(me, "deadline_ms", &v))
        return dflt;
    if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
        return dflt;
    double d = json_object_get_double(v);
    return d >= 1 && d < 1e9 ? (long)d : dflt;
}
