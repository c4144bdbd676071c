/*
 * stg_record.c — record(): a closed sprint's outcome fed back to the strategies that shaped its
 * decision (spec/orchestrator.md §5.4, docs/ORCHESTRATOR.md §8).
 *
 * By the contract the orchestrator itself writes the strategy_performance_log rows, lets the
 * memory API fill their quality, and updates the applied strategies' counters and confidence
 * (§8 steps 2–3). So this record() does nothing unless conf.strategy.record_feedback = 1 — for
 * an orchestrator that does not. Then, for each of outcome.applied_strategy_ids:
 *   1. the strategy's performance row for this episode: filled (PATCH) when it has no quality
 *      yet, created (POST) when missing; a row that already has a quality means the outcome
 *      was recorded before — nothing more is done (idempotent in effect);
 *   2. the strategy: success_count or failure_count + 1, confidence ← clamp(c + rate·(q − c),
 *      0.1, 1), last_validated = now.
 * A crash between 1 and 2 loses that one counter update (at most once, never twice).
 */
#include <json-c/json.h>
#include <stddef.h>
#include <string.h>

#include "stg_internal.h"

static json_object *rec_get(const json_object *o, const char *key)
{
    json_object *v = NULL;

    if (o == NULL || !json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

static double rec_num(const json_object *o, const char *key, double dflt)
{
    json_object *v = rec_get(o, key);

    if (v != NULL && (json_object_is_type(v, json_type_int) ||
                      json_object_is_type(v, json_type_double)))
        return json_object_get_double(v);
    return dflt;
}

static const char *rec_str(const json_object *o, const char *key)
{
    json_object *v = rec_get(o, key);

    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                                 : NULL;
}

typedef struct {
    const stg_state_t *st;
    dsm_req_t *req;
    const char *base;
    const char *episode_id;
    const char *project_id;
    const json_object *outcome;
    double quality;
    int success;
} rec_ctx_t;

static long rec_left_ms(const rec_ctx_t *c)
{
    long left = (long)((c->st->api->req_deadline_ns(c->req) - c->st->api->now_ns()) / 1000000);

    return left < c->st->timeout_ms ? left : c->st->timeout_ms;
}

/* The performance row of this episode: 1 found (with *has_quality, *log_id), 0 none, -1 error. */
static int rec_find_row(const rec_ctx_t *c, const char *sid, const char **log_id, int *has_quality)
{
    const dsm_api_t *api = c->st->api;
    json_object *body = NULL, *rows;
    const char *err = NULL;
    int status, found = 0;
    size_t n;

    status = stg_call(c->st, c->req, "GET",
                      api->psprintf(c->req, "%s/v1/memory/strategies/%s/performance?days=36500"
                                            "&limit=1000",
                                    c->base, sid),
                      NULL, rec_left_ms(c), &body, &err);
    if (status != 200) {
        json_object_put(body);
        return -1;
    }
    rows = rec_get(body, "performance");
    n = rows != NULL && json_object_is_type(rows, json_type_array) ? json_object_array_length(rows)
                                                                   : 0;
    for (size_t i = 0; i < n && !found; i++) {
        json_object *r = json_object_array_get_idx(rows, i);
        const char *ep = rec_str(r, "episode_id"), *id = rec_str(r, "log_id");
        json_object *q = rec_get(r, "outcome_quality");

        if (ep != NULL && id != NULL && strcmp(ep, c->episode_id) == 0) {
            *log_id = api->pstrdup(c->req, id);
            *has_quality = q != NULL;
            found = 1;
        }
    }
    json_object_put(body);
    return found;
}

/* Step 1 for one strategy: 1 when the counters are to be updated, 0 when already recorded,
 * -1 on error. *conf gets the strategy's confidence. */
static int rec_log(const rec_ctx_t *c, const char *sid, double *conf)
{
    const dsm_api_t *api = c->st->api;
    json_object *body = NULL, *req_body, *pred;
    const char *err = NULL, *log_id = NULL;
    int status, has_q = 0, found;

    status = stg_call(c->st, c->req, "GET",
                      api->psprintf(c->req, "%s/v1/memory/strategies/%s", c->base, sid), NULL,
                      rec_left_ms(c), &body, &err);
    *conf = rec_num(body, "confidence", 0.5);
    json_object_put(body);
    if (status != 200)
        return -1;
    found = rec_find_row(c, sid, &log_id, &has_q);
    if (found < 0)
        return -1;
    if (found && has_q)
        return 0;
    req_body = json_object_new_object();
    json_object_object_add(req_body, "actual_outcome", json_object_get((json_object *)c->outcome));
    json_object_object_add(req_body, "outcome_quality", json_object_new_double(c->quality));
    if (!found) {
        pred = json_object_new_object();
        json_object_object_add(pred, "expected_quality", json_object_new_double(*conf));
        json_object_object_add(pred, "strategy_application", json_object_new_boolean(1));
        json_object_object_add(pred, "decision_adjustments",
                               json_object_get(rec_get(c->outcome, "planned")));
        json_object_object_add(req_body, "predicted_outcome", pred);
        json_object_object_add(req_body, "episode_id", json_object_new_string(c->episode_id));
        json_object_object_add(req_body, "project_id", json_object_new_string(c->project_id));
        json_object_object_add(req_body, "strategy_confidence", json_object_new_double(*conf));
    }
    body = NULL;
    status = stg_call(c->st, c->req, found ? "PATCH" : "POST",
                      found ? api->psprintf(c->req, "%s/v1/memory/performance/%s", c->base, log_id)
                            : api->psprintf(c->req, "%s/v1/memory/strategies/%s/performance",
                                            c->base, sid),
                      req_body, rec_left_ms(c), &body, &err);
    json_object_put(req_body);
    json_object_put(body);
    return status == 200 || status == 201 ? 1 : -1;
}

/* Step 2 for one strategy. */
static int rec_update(const rec_ctx_t *c, const char *sid, double conf)
{
    const dsm_api_t *api = c->st->api;
    json_object *b = json_object_new_object(), *res = NULL;
    const char *err = NULL;
    int status;

    json_object_object_add(b, c->success ? "add_success_count" : "add_failure_count",
                           json_object_new_int(1));
    json_object_object_add(
        b, "confidence",
        json_object_new_double(stg_feedback_confidence(&c->st->cfg, conf, c->quality)));
    json_object_object_add(b, "mark_validated", json_object_new_boolean(1));
    status = stg_call(c->st, c->req, "PATCH",
                      api->psprintf(c->req, "%s/v1/memory/strategies/%s", c->base, sid), b,
                      rec_left_ms(c), &res, &err);
    json_object_put(b);
    json_object_put(res);
    return status == 200 ? 0 : -1;
}

int stg_record(void *state, dsm_req_t *req, const dsm_outcome_t *oc)
{
    const stg_state_t *st = state;
    const json_object *o = DSM_HAS(oc, outcome) ? oc->outcome : NULL;
    json_object *ids = rec_get(o, "applied_strategy_ids"), *succ = rec_get(o, "success");
    rec_ctx_t c = {st, req, stg_base(st, NULL), NULL, NULL, o, -1, 0};
    size_t n;
    int failed = 0;

    if (!st->record || ids == NULL || !json_object_is_type(ids, json_type_array))
        return DSM_OK;
    c.episode_id = rec_str(o, "episode_id");
    if (c.episode_id == NULL)
        c.episode_id = DSM_HAS(oc, decision_id) ? oc->decision_id : NULL;
    c.project_id = rec_str(o, "project_id");
    if (c.project_id == NULL)
        c.project_id = DSM_HAS(oc, project_id) ? oc->project_id : NULL;
    c.quality = stg_outcome_quality(rec_num(o, "quality_score", -1),
                                    rec_num(o, "completion_rate", -1), rec_num(o, "committed", -1),
                                    rec_num(o, "completed", -1));
    if (c.episode_id == NULL || c.project_id == NULL || c.quality < 0)
        return DSM_OK; /* nothing to learn from */
    c.success = succ != NULL && json_object_is_type(succ, json_type_boolean)
                    ? json_object_get_boolean(succ)
                    : c.quality >= st->cfg.success_quality;
    n = json_object_array_length(ids);
    for (size_t i = 0; i < n && i < STG_MAX_RECORD; i++) {
        json_object *v = json_object_array_get_idx(ids, i);
        const char *sid = json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                                   : NULL;
        double conf = 0.5;
        int r;

        if (sid == NULL)
            continue;
        r = rec_log(&c, sid, &conf);
        if (r > 0)
            r = rec_update(&c, sid, conf);
        if (r < 0) {
            failed++;
            st->api->log(req, "warn", "strategy_record", sid, NULL);
        }
    }
    return failed > 0 ? DSM_ERR : DSM_OK;
}
