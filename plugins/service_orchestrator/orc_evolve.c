/*
 * orc_evolve.c — the strategy evolution (docs/ORCHESTRATOR.md §11): pattern extraction from
 * episodes with outcomes, strategy generation (flat content, one active strategy per context
 * signature: updated, not duplicated), the learning optimizer, clean-up; one
 * orchestrator_evolution_runs row and one STRATEGY_EVOLVED event per run. O8 and O9 handlers.
 *
 * A run is one transaction holding the advisory lock "dsm.strategy_evolution": runs never
 * overlap (a second one waits up to 30 s, then gets 409), a failed statement keeps nothing of
 * the run, and the event is published only after the commit. A signature whose strategies were
 * all deactivated is rebuilt only from episodes recorded after the deactivation (at least 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orc_evolve_logic.h"
#include "orc_internal.h"

#define ORC_MAX_OBS 5000
/* per-project strategies one daily run may save (max_strategies bounds the shared ones) */
#define ORC_MAX_PROJECT_STRATEGIES 500
#define ORC_MAX_GROUPS 1024 /* shared signatures + (project, signature) pairs */

typedef struct {
    char sig[200];
    const char *project_id; /* per-project signature only */
    int team, unassigned, conflicts;
    orc_obs_t *obs;
    const char **ids;
    double *at;     /* each observation's episode time (seconds since the epoch) */
    size_t n, cap;
    double retired; /* > 0: the signature's strategy was deactivated then (no active one) */
} orc_group_t;

/* A signature whose strategies were all deactivated: when the last one was. */
typedef struct {
    const char *sig;
    double at;
} orc_retired_t;

/* Signatures with a deactivated strategy and no active one, and when the newest of them was
 * deactivated (its last_validated). -1 on a database error. */
static int retired_signatures(orc_state_t *st, dsm_req_t *req, orc_retired_t **out)
{
    const dsm_api_t *api = st->api;
    dsm_rows_t *r = api->db_exec(
        req, NULL,
        "SELECT content->>'context_signature', extract(epoch FROM max(last_validated))::float8 "
        "FROM agent_knowledge k WHERE knowledge_type = 'strategy' AND NOT is_active "
        "AND content ? 'context_signature' AND NOT EXISTS (SELECT 1 FROM agent_knowledge a "
        "WHERE a.knowledge_type = 'strategy' AND a.is_active "
        "AND a.content->>'context_signature' = k.content->>'context_signature') GROUP BY 1",
        0, NULL);
    int n;

    if (r == NULL)
        return -1;
    n = api->rows_count(r);
    *out = api->palloc(req, sizeof(orc_retired_t) * (size_t)(n > 0 ? n : 1));
    if (*out == NULL)
        return -1;
    for (int i = 0; i < n; i++) {
        (*out)[i].sig = api->rows_value(r, i, 0);
        (*out)[i].at = api->rows_value(r, i, 1) ? strtod(api->rows_value(r, i, 1), NULL) : 0;
    }
    return n;
}

/* Keep only the observations made after the group's strategy was deactivated: a retired
 * strategy comes back only on new evidence, never rebuilt from the episodes that retired it. */
static void keep_after_retirement(orc_group_t *g)
{
    size_t k = 0;

    if (g->retired <= 0)
        return;
    for (size_t i = 0; i < g->n; i++) {
        if (g->at[i] > g->retired) {
            g->obs[k] = g->obs[i];
            g->ids[k] = g->ids[i];
            g->at[k] = g->at[i];
            k++;
        }
    }
    g->n = k;
}

static orc_group_t *group_for(orc_group_t *g, size_t *ng, const char *sig)
{
    for (size_t i = 0; i < *ng; i++)
        if (strcmp(g[i].sig, sig) == 0)
            return &g[i];
    if (*ng == ORC_MAX_GROUPS)
        return NULL;
    memset(&g[*ng], 0, sizeof g[*ng]);
    snprintf(g[*ng].sig, sizeof g[*ng].sig, "%s", sig);
    return &g[(*ng)++];
}

static struct json_object *range(int lo, int hi)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "min", json_object_new_int(lo));
    json_object_object_add(o, "max", json_object_new_int(hi));
    return o;
}

/* Insert or update the strategy of one pattern; its id (arena) or NULL. */
static const char *save_strategy(orc_state_t *st, dsm_req_t *req, const orc_group_t *g,
                                 const orc_pattern_t *p, int *created)
{
    const dsm_api_t *api = st->api;
    struct json_object *c = json_object_new_object(), *cond = json_object_new_object();
    struct json_object *rec = json_object_new_object(), *pe = json_object_new_object();
    struct json_object *ev = json_object_new_object();
    const char *ids;
    const char *params[6];
    int lo, hi;
    dsm_rows_t *r;
    const char *desc;

    orc_team_bucket(g->team, &lo, &hi);
    json_object_object_add(cond, "team_size", range(lo, hi));
    orc_backlog_bucket(g->unassigned, &lo, &hi);
    json_object_object_add(cond, "unassigned_tasks", range(lo, hi));
    json_object_object_add(cond, "availability_conflicts", g->conflicts > 0 ? range(1, 1000) : range(0, 0));
    if (g->project_id != NULL) {
        struct json_object *pl = json_object_new_array();

        json_object_array_add(pl, json_object_new_string(g->project_id));
        json_object_object_add(cond, "project_id", pl);
    }
    json_object_object_add(c, "strategy_type", json_object_new_string("context_based"));
    json_object_object_add(c, "context_signature", json_object_new_string(g->sig));
    json_object_object_add(c, "applicability_conditions", cond);
    json_object_object_add(rec, "tasks_to_assign", orc_jd(p->recommendation));
    json_object_object_add(rec, "expected_completion_rate", orc_jd(orc_round_n(p->expected_completion, 4)));
    json_object_object_add(c, "recommendation", rec);
    json_object_object_add(pe, "expected_outcome_quality", orc_jd(orc_round_n(p->expected_completion, 4)));
    json_object_object_add(pe, "success_probability", orc_jd(orc_round_n(p->success_probability, 4)));
    json_object_object_add(pe, "risk_level", json_object_new_string(p->risk_level));
    json_object_object_add(c, "performance_expectations", pe);
    json_object_object_add(ev, "pattern_frequency", json_object_new_int((int)p->frequency));
    json_object_object_add(ev, "historical_success_rate", orc_jd(orc_round_n(p->avg_quality, 4)));
    json_object_object_add(ev, "mean_completed", orc_jd(orc_round_n(p->mean_completed, 4)));
    json_object_object_add(ev, "consistency", orc_jd(orc_round_n(p->consistency, 4)));
    json_object_object_add(c, "supporting_evidence", ev);
    json_object_object_add(c, "pattern_id", json_object_new_string(api->psprintf(req, "context_%s", g->sig)));
    json_object_object_add(c, "generated_at", json_object_new_string(api->utcnow_iso(req)));
    json_object_object_add(c, "generated_by", json_object_new_string(g->project_id ? "project_evolution" : "daily_evolution"));
    ids = api->pg_array(req, g->ids, g->n < 200 ? g->n : 200); /* episode ids from the database */
    desc = api->psprintf(req, "Strategy for %s contexts: commit %g tasks per sprint. Based on %zu episodes with %.1f%% average outcome quality.",
                         g->sig, p->recommendation, p->frequency, 100 * p->avg_quality);
    params[0] = g->sig;
    params[1] = orc_json_text(req, api, c);
    params[2] = desc;
    params[3] = api->psprintf(req, "%.6f", p->confidence);
    params[4] = ids;
    params[5] = g->project_id ? "project_evolution" : "daily_evolution";
    json_object_put(c);
    r = api->db_exec(req, NULL,
                     "WITH u AS (UPDATE agent_knowledge SET content = $2::jsonb, description = $3, "
                     "confidence = $4::float8, supporting_episodes = $5::uuid[], last_validated = now() "
                     "WHERE knowledge_id = (SELECT knowledge_id FROM agent_knowledge WHERE "
                     "knowledge_type = 'strategy' AND is_active AND content->>'context_signature' = $1 "
                     "ORDER BY created_at LIMIT 1) RETURNING knowledge_id::text, false), "
                     "i AS (INSERT INTO agent_knowledge (knowledge_type, content, description, confidence, "
                     "supporting_episodes, created_by) SELECT 'strategy', $2::jsonb, $3, $4::float8, "
                     "$5::uuid[], $6 WHERE NOT EXISTS (SELECT 1 FROM u) RETURNING knowledge_id::text, true) "
                     "SELECT * FROM u UNION ALL SELECT * FROM i",
                     6, params);
    if (r == NULL || api->rows_count(r) != 1)
        return NULL;
    *created = api->rows_value(r, 0, 1)[0] == 't';
    return api->pstrdup(req, api->rows_value(r, 0, 0));
}

/* Phase 3: the learning optimizer over every active strategy. */
static struct json_object *optimise(orc_state_t *st, dsm_req_t *req, int *adjusted, int *deactivated)
{
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object(), *details = json_object_new_array();
    dsm_rows_t *r = api->db_exec(req, NULL,
                                 "SELECT knowledge_id::text, confidence FROM agent_knowledge WHERE "
                                 "knowledge_type = 'strategy' AND is_active ORDER BY confidence DESC, "
                                 "knowledge_id LIMIT 100",
                                 0, NULL);
    int n = r ? api->rows_count(r) : 0, skipped = 0;

    *adjusted = *deactivated = 0;
    for (int i = 0; i < n; i++) {
        const char *p[1] = {api->rows_value(r, i, 0)};
        dsm_rows_t *h = api->db_exec(req, NULL,
                                     "SELECT outcome_quality, COALESCE(performance_delta, 0) FROM "
                                     "(SELECT * FROM strategy_performance_log WHERE strategy_id = $1::uuid "
                                     "AND outcome_quality IS NOT NULL AND application_timestamp >= now() - "
                                     "interval '30 days' ORDER BY application_timestamp DESC LIMIT 100) x "
                                     "ORDER BY application_timestamp",
                                     1, p);
        double q[100], d[100], conf = strtod(api->rows_value(r, i, 1), NULL);
        int m = h ? api->rows_count(h) : 0;
        orc_assess_t a;
        struct json_object *e;

        for (int k = 0; k < m; k++) {
            q[k] = strtod(api->rows_value(h, k, 0), NULL);
            d[k] = strtod(api->rows_value(h, k, 1), NULL);
        }
        if (orc_assess(q, d, (size_t)m, &a) < 0) {
            skipped++;
            continue;
        }
        if (a.action == ORC_ACT_DEACTIVATE) {
            api->db_exec(req, NULL, "UPDATE agent_knowledge SET is_active = false, last_validated = now() "
                                    "WHERE knowledge_id = $1::uuid", 1, p);
            (*deactivated)++;
        } else if (a.action != ORC_ACT_NONE) {
            double nc = a.action == ORC_ACT_RAISE ? (conf + 0.05 > 1 ? 1 : conf + 0.05)
                                                  : (conf - 0.05 < 0.1 ? 0.1 : conf - 0.05);
            const char *q2[2] = {p[0], api->psprintf(req, "%.6f", nc)};

            api->db_exec(req, NULL, "UPDATE agent_knowledge SET confidence = $2::float8, last_validated = now() "
                                    "WHERE knowledge_id = $1::uuid", 2, q2);
            (*adjusted)++;
        }
        e = json_object_new_object();
        json_object_object_add(e, "strategy_id", json_object_new_string(p[0]));
        json_object_object_add(e, "assessment", json_object_new_string(a.assessment));
        json_object_object_add(e, "trend", json_object_new_string(a.trend));
        json_object_object_add(e, "avg_quality", orc_jd(a.avg_quality));
        json_object_object_add(e, "action", json_object_new_string(a.action == ORC_ACT_DEACTIVATE ? "deactivated"
                                                                  : a.action == ORC_ACT_RAISE    ? "confidence_raised"
                                                                  : a.action == ORC_ACT_LOWER    ? "confidence_lowered"
                                                                                                 : "none"));
        json_object_array_add(details, e);
    }
    json_object_object_add(o, "success", json_object_new_boolean(r != NULL));
    json_object_object_add(o, "strategies_analyzed", json_object_new_int(n));
    json_object_object_add(o, "insufficient_data", json_object_new_int(skipped));
    json_object_object_add(o, "strategies_optimized", json_object_new_int(*adjusted));
    json_object_object_add(o, "strategies_deactivated", json_object_new_int(*deactivated));
    json_object_object_add(o, "details", details);
    return o;
}

struct json_object *orc_evolve_run(orc_state_t *st, dsm_req_t *req, const char *project_id,
                                   int min_episodes, int days, int max_strategies, int optimise_on)
{
    const dsm_api_t *api = st->api;
    const char *run_id = api->uuid4(req), *now = api->utcnow_iso(req);
    struct json_object *res = json_object_new_object(), *phases = json_object_new_object();
    struct json_object *ph, *sids = json_object_new_array(), *summary = json_object_new_object();
    struct json_object *progress = json_object_new_array();
    const char *p[3] = {project_id, api->psprintf(req, "%d", days), NULL};
    orc_group_t *groups = api->palloc(req, sizeof(orc_group_t) * ORC_MAX_GROUPS);
    size_t ng = 0, viable = 0;
    int64_t t0 = st->api->now_ns();
    int generated = 0, updated = 0, adjusted = 0, deactivated = 0, done = 0, failed = 0, n;
    int nretired = 0, skipped_retired = 0, shared_saved = 0, proj_saved = 0;
    orc_retired_t *retired = NULL;
    dsm_rows_t *r;

    /* One run at a time, in one transaction: a run started while another one works (the timer
     * and a command, two pool members) waits for it, then sees the strategies it saved. */
    if (api->db_begin(req, NULL) != DSM_OK) {
        api->reply_db_error(req);
        goto refused;
    }
    if (api->db_exec(req, NULL, "SET LOCAL lock_timeout = '30s'", 0, NULL) == NULL ||
        api->db_exec(req, NULL, "SELECT pg_advisory_xact_lock(hashtext('dsm.strategy_evolution'))",
                     0, NULL) == NULL) {
        int busy = strcmp(api->db_sqlstate(req), "55P03") == 0;

        api->db_rollback(req, NULL);
        if (busy)
            api->reply_error(req, 409, "Another strategy evolution run has held the lock for "
                                       "30 s; try again when it has finished.");
        else
            api->reply_db_error(req);
        goto refused;
    }
    {
        const char *q[2] = {run_id, project_id ? project_id : "all"};

        api->db_exec(req, NULL, "INSERT INTO orchestrator_evolution_runs (run_id, scope, status) "
                                "VALUES ($1::uuid, $2, 'running')", 2, q);
    }
    nretired = retired_signatures(st, req, &retired);
    json_object_object_add(res, "run_id", json_object_new_string(run_id));
    json_object_object_add(res, "timestamp", json_object_new_string(now));
    /* phase 1: pattern extraction */
    r = api->db_exec(req, NULL,
                     "SELECT episode_id::text, project_id, COALESCE((context->'team'->>'size')::int, 0), "
                     "COALESCE((context->'backlog'->>'unassigned')::int, 0), "
                     "COALESCE(jsonb_array_length(context->'availability'->'conflicts'), 0), "
                     /* the capacity shown: the estimate of a sprint done early (§8), else
                      * the completed count */
                     "COALESCE(CASE WHEN jsonb_typeof(outcome->'capacity_estimate') = 'number' "
                     "THEN (outcome->>'capacity_estimate')::float8 END, (outcome->>'completed')::float8), "
                     "(outcome->>'committed')::float8, outcome_quality, "
                     "extract(epoch FROM \"timestamp\")::float8 "
                     "FROM agent_episodes WHERE outcome_quality IS NOT NULL "
                     "AND jsonb_typeof(outcome->'completed') = 'number' "
                     "AND \"timestamp\" >= now() - make_interval(days => $2::int) "
                     "AND ($1::text IS NULL OR project_id = $1) ORDER BY \"timestamp\" LIMIT 5000",
                     2, p);
    ph = json_object_new_object();
    n = r ? api->rows_count(r) : -1;
    if (n < min_episodes || groups == NULL) {
        json_object_object_add(ph, "success", json_object_new_boolean(0));
        json_object_object_add(ph, "reason", json_object_new_string(n < 0 ? "database_error" : "insufficient_episodes"));
        json_object_object_add(ph, "total_episodes", json_object_new_int(n < 0 ? 0 : n));
        json_object_object_add(ph, "required_episodes", json_object_new_int(min_episodes));
        json_object_object_add(phases, "pattern_extraction", ph);
        json_object_object_add(res, "status", json_object_new_string("failed"));
        json_object_object_add(res, "phases", phases);
        json_object_object_add(res, "failure_reason", json_object_new_string("pattern_extraction_failed"));
        json_object_array_add(progress, json_object_new_string(api->psprintf(
                                            req, "pattern_extraction: failed, %d episode(s) with outcomes, %d required",
                                            n < 0 ? 0 : n, min_episodes)));
        failed = 1;
        goto finish;
    }
    /* Groups: the run's signature of every episode (per-project runs: "_project_<pid>"), and in
     * the daily run also each episode's own project signature — so that a project with enough
     * history gets a strategy of its own, which the strategy source prefers to a shared one.
     * Two passes: count, then fill arrays of the exact sizes. */
    {
        int per_row = project_id == NULL ? 2 : 1;
        int *gi = api->palloc(req, sizeof(int) * (size_t)n * (size_t)per_row);

        if (gi == NULL) {
            json_object_put(ph);
            api->db_rollback(req, NULL);
            api->reply_error(req, 500, "Out of memory during strategy evolution");
            goto refused;
        }
        for (int i = 0; i < n; i++) {
            int team = atoi(api->rows_value(r, i, 2)), ua = atoi(api->rows_value(r, i, 3));
            int cf = atoi(api->rows_value(r, i, 4));

            for (int k = 0; k < per_row; k++) {
                const char *pid = k == 0 ? project_id : api->rows_value(r, i, 1);
                char sig[200];
                orc_group_t *g;

                gi[i * per_row + k] = -1;
                if (k == 1 && (pid == NULL || *pid == '\0'))
                    continue;
                orc_signature(team, ua, cf, pid, sig, sizeof sig);
                if ((g = group_for(groups, &ng, sig)) == NULL)
                    continue;
                if (g->cap++ == 0) {
                    g->team = team, g->unassigned = ua, g->conflicts = cf;
                    g->project_id = pid;
                    for (int j = 0; j < nretired; j++)
                        if (strcmp(retired[j].sig, sig) == 0)
                            g->retired = retired[j].at;
                }
                gi[i * per_row + k] = (int)(g - groups);
            }
        }
        for (size_t j = 0; j < ng; j++) {
            orc_group_t *g = &groups[j];

            g->obs = api->palloc(req, sizeof(orc_obs_t) * g->cap);
            g->ids = api->palloc(req, sizeof(char *) * g->cap);
            g->at = api->palloc(req, sizeof(double) * g->cap);
            if (g->obs == NULL || g->ids == NULL || g->at == NULL) {
                json_object_put(ph);
                api->db_rollback(req, NULL);
                api->reply_error(req, 500, "Out of memory during strategy evolution");
                goto refused;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < per_row; k++) {
                orc_group_t *g;

                if (gi[i * per_row + k] < 0)
                    continue;
                g = &groups[gi[i * per_row + k]];
                g->at[g->n] = strtod(api->rows_value(r, i, 8), NULL);
                g->ids[g->n] = api->rows_value(r, i, 0);
                g->obs[g->n++] = (orc_obs_t){strtod(api->rows_value(r, i, 5), NULL),
                                             api->rows_value(r, i, 6) ? strtod(api->rows_value(r, i, 6), NULL) : 0,
                                             strtod(api->rows_value(r, i, 7), NULL)};
            }
        }
    }
    {
        struct json_object *pats = json_object_new_array();
        double sq = 0;

        for (int i = 0; i < n; i++)
            sq += strtod(api->rows_value(r, i, 7), NULL);
        for (size_t i = 0; i < ng; i++) {
            orc_pattern_t pt;
            size_t before = groups[i].n;

            keep_after_retirement(&groups[i]);
            if (before >= 3 && groups[i].n < 3)
                skipped_retired++;
            if (groups[i].n < 3 || orc_pattern_of(groups[i].obs, groups[i].n, &pt) < 0 || pt.confidence < 0.5)
                continue;
            viable++;
            {
                struct json_object *e = json_object_new_object();

                json_object_object_add(e, "pattern_id", json_object_new_string(api->psprintf(req, "context_%s", groups[i].sig)));
                json_object_object_add(e, "frequency", json_object_new_int((int)pt.frequency));
                json_object_object_add(e, "average_outcome_quality", orc_jd(orc_round_n(pt.avg_quality, 4)));
                json_object_object_add(e, "recommended_tasks", orc_jd(pt.recommendation));
                json_object_object_add(e, "confidence", orc_jd(pt.confidence));
                json_object_array_add(pats, e);
            }
            if (groups[i].project_id != NULL && project_id == NULL
                    ? proj_saved < ORC_MAX_PROJECT_STRATEGIES
                    : shared_saved < max_strategies) {
                int created = 0;
                const char *id = save_strategy(st, req, &groups[i], &pt, &created);

                if (id != NULL) {
                    json_object_array_add(sids, json_object_new_string(id));
                    created ? generated++ : updated++;
                    if (groups[i].project_id != NULL && project_id == NULL)
                        proj_saved++;
                    else
                        shared_saved++;
                }
            }
        }
        json_object_object_add(ph, "success", json_object_new_boolean(1));
        json_object_object_add(ph, "pattern_count", json_object_new_int((int)viable));
        json_object_object_add(ph, "patterns", pats);
        {
            struct json_object *es = json_object_new_object();

            json_object_object_add(es, "total_episodes", json_object_new_int(n));
            json_object_object_add(es, "context_groups", json_object_new_int((int)ng));
            json_object_object_add(es, "retired_groups_without_new_evidence",
                                   json_object_new_int(skipped_retired));
            json_object_object_add(es, "avg_quality", orc_jd(n ? orc_round_n(sq / n, 4) : 0));
            json_object_object_add(ph, "extraction_stats", es);
        }
        json_object_object_add(phases, "pattern_extraction", ph);
        json_object_array_add(progress, json_object_new_string(api->psprintf(
                                            req, "pattern_extraction: %d episode(s) with outcomes, %zu context group(s), %zu pattern(s)",
                                            n, ng, viable)));
        done++;
    }
    /* phase 2: strategy generation (done above, per pattern) */
    ph = json_object_new_object();
    json_object_object_add(ph, "success", json_object_new_boolean(1));
    json_object_object_add(ph, "strategies_generated", json_object_new_int(generated));
    json_object_object_add(ph, "strategies_updated", json_object_new_int(updated));
    json_object_object_add(ph, "strategy_ids", json_object_get(sids));
    json_object_object_add(ph, "patterns_processed", json_object_new_int((int)viable));
    json_object_object_add(phases, "strategy_generation", ph);
    json_object_array_add(progress, json_object_new_string(api->psprintf(
                                        req, "strategy_generation: %d new, %d updated strategy(ies)", generated, updated)));
    done++;
    if (optimise_on) {
        json_object_object_add(phases, "strategy_optimization", optimise(st, req, &adjusted, &deactivated));
        json_object_array_add(progress, json_object_new_string(api->psprintf(
                                            req, "strategy_optimization: %d confidence change(s), %d deactivated",
                                            adjusted, deactivated)));
        done++;
        ph = json_object_new_object();
        r = api->db_exec(req, NULL, "DELETE FROM strategy_performance_log WHERE application_timestamp < "
                                    "now() - interval '90 days'", 0, NULL);
        json_object_object_add(ph, "success", json_object_new_boolean(r != NULL));
        json_object_object_add(ph, "performance_rows_deleted", json_object_new_int(r ? api->rows_affected(r) : 0));
        json_object_object_add(phases, "cleanup", ph);
        json_object_array_add(progress, json_object_new_string(api->psprintf(
                                            req, "cleanup: %d performance row(s) older than 90 days deleted",
                                            r ? api->rows_affected(r) : 0)));
        done += r != NULL;
        failed += r == NULL;
    }
    json_object_object_add(res, "status", json_object_new_string("completed"));
    json_object_object_add(res, "phases", phases);
finish:
    json_object_object_add(res, "duration_seconds", orc_jd(orc_round_n(orc_ms_since(st, t0) / 1000.0, 3)));
    json_object_object_add(summary, "phases_completed", json_object_new_int(done));
    json_object_object_add(summary, "phases_failed", json_object_new_int(failed));
    json_object_object_add(summary, "total_phases", json_object_new_int(optimise_on ? 4 : 2));
    json_object_object_add(summary, "patterns_extracted", json_object_new_int((int)viable));
    json_object_object_add(summary, "strategies_generated", json_object_new_int(generated));
    json_object_object_add(summary, "strategies_updated", json_object_new_int(updated));
    json_object_object_add(summary, "strategies_optimized", json_object_new_int(adjusted));
    json_object_object_add(summary, "strategies_deactivated", json_object_new_int(deactivated));
    json_object_object_add(summary, "overall_success", json_object_new_boolean(!failed));
    json_object_object_add(res, "summary", summary);
    json_object_object_add(res, "strategy_ids", sids);
    json_object_object_add(res, "progress", progress);
    {
        const char *q[3] = {run_id, failed ? "failed" : "completed", orc_json_text(req, api, res)};
        struct json_object *ev = json_object_new_object(), *pl = json_object_new_object();

        api->db_exec(req, NULL, "UPDATE orchestrator_evolution_runs SET finished_at = now(), status = $2, "
                                "result = $3::jsonb WHERE run_id = $1::uuid", 3, q);
        if (api->db_commit(req, NULL) != DSM_OK) {
            /* a statement of the run failed: nothing of it is kept, and no event tells of it */
            json_object_put(ev);
            json_object_put(pl);
            json_object_put(res);
            api->reply_db_error(req);
            return NULL;
        }
        json_object_object_add(ev, "event_id", json_object_new_string(api->uuid4(req)));
        json_object_object_add(ev, "event_type", json_object_new_string("STRATEGY_EVOLVED"));
        json_object_object_add(ev, "timestamp", json_object_new_string(api->utcnow_iso(req)));
        json_object_object_add(ev, "correlation_id", json_object_new_string(run_id));
        if (project_id)
            json_object_object_add(ev, "project_id", json_object_new_string(project_id));
        json_object_object_add(pl, "scope", json_object_new_string(project_id ? project_id : "all"));
        json_object_object_add(pl, "run_id", json_object_new_string(run_id));
        json_object_object_add(pl, "status", json_object_new_string(failed ? "failed" : "completed"));
        json_object_object_add(pl, "summary", json_object_get(summary));
        json_object_object_add(pl, "strategy_ids", json_object_get(sids));
        json_object_object_add(ev, "payload", pl);
        orc_publish(st, req, ORC_LEARNING_STREAM, ev);
        json_object_put(ev);
    }
    return res;
refused:
    json_object_put(res);
    json_object_put(phases);
    json_object_put(sids);
    json_object_put(summary);
    json_object_put(progress);
    return NULL;
}

/* O8 POST /strategy/evolve — optional JSON object body of force parameters. */
int orc_strategy_evolve(void *state, dsm_req_t *req)
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *body = api->req_body(req), *res;
    int forced = body != NULL && json_object_is_type(body, json_type_object) && json_object_object_length(body) > 0;
    int enabled = 1;
    int64_t min_ep = forced ? 1 : 10, days = 30, maxs = 20;

    if (body != NULL && !json_object_is_type(body, json_type_object)) {
        api->v_problem(req, "body", NULL, "dict_type", "Input should be a valid dictionary", body);
        api->v_failed(req);
        return DSM_OK;
    }
    if (forced) {
        api->v_bool(req, "body", "enabled", 0, &enabled);
        if (api->v_int(req, "body", "min_episodes", 0, &min_ep) > 0 && (min_ep < 0 || min_ep > 100000))
            api->v_problem(req, "body", "min_episodes", "greater_than_equal", "Input should be between 0 and 100000", orc_jget(body, "min_episodes"));
        if (api->v_int(req, "body", "days", 0, &days) > 0 && (days < 1 || days > 3650))
            api->v_problem(req, "body", "days", "greater_than_equal", "Input should be between 1 and 3650", orc_jget(body, "days"));
        if (api->v_int(req, "body", "max_strategies", 0, &maxs) > 0 && (maxs < 0 || maxs > 1000))
            api->v_problem(req, "body", "max_strategies", "greater_than_equal", "Input should be between 0 and 1000", orc_jget(body, "max_strategies"));
        if (api->v_failed(req))
            return DSM_OK;
    }
    if (!enabled || (!forced && orc_conf_num(st, "evolution", "enabled", 1) == 0)) {
        res = json_object_new_object();
        json_object_object_add(res, "status", json_object_new_string("disabled"));
        json_object_object_add(res, "reason", json_object_new_string("feature_flag_disabled"));
        return api->reply_json(req, 200, res);
    }
    res = orc_evolve_run(st, req, NULL, (int)min_ep, (int)days, (int)maxs, 1);
    if (res == NULL)
        return DSM_OK; /* answered: 409 busy, or the database error */
    if (forced) {
        json_object_object_add(res, "forced_evolution", json_object_new_boolean(1));
        json_object_object_add(res, "force_parameters", json_object_get(body));
    }
    return api->reply_json(req, 200, res);
}

/* O9 POST /strategy/evolve/project/{project_id} — extraction (min 3) + generation for one
 * project, no optimisation. */
int orc_strategy_evolve_project(void *state, dsm_req_t *req)
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *pid = api->req_param(req, "project_id");
    struct json_object *res, *o;

    if (strlen(pid) > ORC_MAX_PROJECT)
        return api->reply_error(req, 404, "Project %s not found.", pid);
    if (!orc_project_check(st, req, pid))
        return DSM_OK;
    res = orc_evolve_run(st, req, pid, 3, 30, 20, 0);
    if (res == NULL)
        return DSM_OK;
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pid));
    json_object_object_add(o, "timestamp", json_object_get(orc_jget(res, "timestamp")));
    json_object_object_add(o, "status", json_object_get(orc_jget(res, "status")));
    if (strcmp(orc_jstr(res, "status"), "completed") == 0) {
        json_object_object_add(o, "patterns_extracted", json_object_get(orc_jpath(res, "summary", "patterns_extracted")));
        json_object_object_add(o, "strategies_generated", json_object_get(orc_jpath(res, "summary", "strategies_generated")));
        json_object_object_add(o, "strategies_updated", json_object_get(orc_jpath(res, "summary", "strategies_updated")));
        json_object_object_add(o, "strategy_ids", json_object_get(orc_jget(res, "strategy_ids")));
    } else {
        json_object_object_add(o, "error", json_object_new_string(api->psprintf(
                                               req, "%s: %g episodes with outcomes, 3 required",
                                               orc_jstr(orc_jpath(res, "phases", "pattern_extraction"), "reason"),
                                               orc_jnum(orc_jpath(res, "phases", "pattern_extraction"), "total_episodes", 0))));
    }
    json_object_object_add(o, "run", res);
    return api->reply_json(req, 200, o);
}
