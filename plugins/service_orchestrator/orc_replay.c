/*
 * orc_replay.c — POST /orchestrate/replay (issue 6 item 7, docs/ORCHESTRATOR.md §9): re-run
 * recorded decisions' contexts through a chosen set of intelligence sources and report how the
 * numbers would have differed and, where the sprint's outcome is known, the absolute error of
 * the recorded, the replayed and the rule-based task count against what the sprint completed.
 * Nothing is executed, stored or published (params.replay = true for the sources).
 *
 * Body: {"episode_ids": [uuid, …]} or {"project_id": "…", "limit": 20 (1..500)};
 *       "sources": ["chronicle", "episodes", …] (default: the recorded mode's advise list),
 *       "mode" (default: the recorded mode), "only_with_outcome": false.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orc_internal.h"

#define ORC_REPLAY_MAX 500

static int name_ok(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > 64)
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

/* Validate the body; fills ids literal / project / limit / sources / mode. 0 ok, -1 replied. */
static int parse_body(orc_state_t *st, dsm_req_t *req, const char **ids, const char **pid,
                      int64_t *limit, const char **sources, const char **mode, int *only_outcome)
{
    const dsm_api_t *api = st->api;
    struct json_object *b = api->req_body(req), *ep = orc_jget(b, "episode_ids"), *src = orc_jget(b, "sources");

    *ids = *pid = *sources = *mode = NULL;
    *only_outcome = 0;
    if (ep != NULL) {
        size_t n;

        if (!json_object_is_type(ep, json_type_array) || (n = json_object_array_length(ep)) == 0 ||
            n > ORC_REPLAY_MAX) {
            api->v_problem(req, "body", "episode_ids", "list_type",
                           "Input should be a list of 1 to 500 episode ids", ep);
        } else {
            const char **items = api->palloc(req, n * sizeof(*items));

            for (size_t i = 0; items != NULL && i < n; i++) {
                struct json_object *e = json_object_array_get_idx(ep, i);
                const char *s = json_object_is_type(e, json_type_string) ? json_object_get_string(e) : NULL;

                if (!orc_uuid_ok(s)) {
                    api->v_problem(req, "body", "episode_ids", "uuid_parsing",
                                   "Input should be a list of valid UUIDs", e);
                    break;
                }
                items[i] = s;
            }
            *ids = items != NULL ? api->pg_array(req, items, n) : NULL;
        }
    }
    api->v_str(req, "body", "project_id", 0, pid);
    if (api->v_int(req, "body", "limit", 0, limit) > 0 && (*limit < 1 || *limit > ORC_REPLAY_MAX))
        api->v_problem(req, "body", "limit", *limit < 1 ? "greater_than_equal" : "less_than_equal",
                       *limit < 1 ? "Input should be greater than or equal to 1"
                                  : "Input should be less than or equal to 500",
                       orc_jget(b, "limit"));
    if (api->v_str(req, "body", "mode", 0, mode) > 0 && orc_mode_index(*mode) < 0)
        api->v_problem(req, "body", "mode", "literal_error",
                       "Input should be 'rule_based_only', 'intelligence_enhanced', 'hybrid' or 'learning_enhanced'",
                       orc_jget(b, "mode"));
    api->v_bool(req, "body", "only_with_outcome", 0, only_outcome);
    if (src != NULL) {
        size_t n;

        if (!json_object_is_type(src, json_type_array) || (n = json_object_array_length(src)) > 16) {
            api->v_problem(req, "body", "sources", "list_type", "Input should be a list of at most 16 source names", src);
        } else {
            char *s = api->pstrdup(req, "");

            for (size_t i = 0; i < n; i++) {
                struct json_object *e = json_object_array_get_idx(src, i);
                const char *nm = json_object_is_type(e, json_type_string) ? json_object_get_string(e) : NULL;

                if (!name_ok(nm)) {
                    api->v_problem(req, "body", "sources", "string_pattern_mismatch",
                                   "Source names match [a-z0-9_]+", e);
                    break;
                }
                s = api->psprintf(req, "%s%s%s", s, i ? " " : "", nm);
            }
            *sources = s;
        }
    }
    if (*ids == NULL && *pid == NULL && ep == NULL)
        api->v_problem(req, "body", "episode_ids", "missing", "Either episode_ids or project_id is required", NULL);
    return api->v_failed(req) ? -1 : 0;
}

static double num_or(const char *s, double def)
{
    return s != NULL ? strtod(s, NULL) : def;
}

int orc_replay(void *state, dsm_req_t *req)
{
    orc_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *ids, *pid, *sources, *mode, *p[3];
    int64_t limit = 20;
    int only, n, with_out = 0, changed = 0, nres = 0;
    double err_rec = 0, err_rep = 0, err_base = 0;
    struct json_object *results = json_object_new_array(), *o, *sum;
    dsm_rows_t *r;

    if (parse_body(st, req, &ids, &pid, &limit, &sources, &mode, &only) < 0) {
        json_object_put(results);
        return DSM_OK;
    }
    p[0] = ids;
    p[1] = pid;
    p[2] = api->psprintf(req, "%lld", (long long)(ids ? ORC_REPLAY_MAX : limit));
    r = api->db_exec(req, NULL,
                     "SELECT decision_id::text, episode_id::text, project_id, created_at, mode, "
                     "decision_source, action, sprint_id, tasks_to_assign, sprint_duration_weeks, "
                     "baseline_tasks, perception::text, baseline::text, (outcome->>'committed'), "
                     "(outcome->>'completed'), outcome_quality FROM orchestrator_decisions "
                     "WHERE ($1::uuid[] IS NULL OR decision_id = ANY($1::uuid[]) OR episode_id = ANY($1::uuid[])) "
                     "AND ($2::text IS NULL OR project_id = $2) ORDER BY created_at DESC LIMIT $3::int",
                     3, p);
    if (r == NULL) {
        json_object_put(results);
        return orc_db_fail(st, req, 0);
    }
    n = api->rows_count(r);
    for (int i = 0; i < n; i++) {
        struct json_object *perception = json_tokener_parse(api->rows_value(r, i, 11));
        struct json_object *baseline = json_tokener_parse(api->rows_value(r, i, 12));
        const char *rmode = mode ? mode : api->rows_value(r, i, 4);
        int has_out = api->rows_value(r, i, 14) != NULL && strcmp(api->rows_value(r, i, 6), "create_sprint") == 0;
        orc_decision_t d;
        orc_mode_t pm;
        struct json_object *e, *rec, *rep, *srcs;
        double rt = num_or(api->rows_value(r, i, 8), 0), nt, done = num_or(api->rows_value(r, i, 14), 0);

        if (only && !has_out) {
            json_object_put(perception);
            json_object_put(baseline);
            continue;
        }
        if (orc_mode_get(st, req, api->rows_value(r, i, 2), &pm) < 0)
            pm.gate = st->gate;
        memset(&d, 0, sizeof d);
        d.project_id = api->rows_value(r, i, 2);
        d.decision_id = api->uuid4(req);
        d.perception = perception;
        d.mode = rmode;
        d.gate = pm.gate;
        d.advise_sources = sources;
        d.baseline_in = baseline;
        d.replay = 1;
        d.deadline_ns = st->api->now_ns() + (int64_t)st->decision_deadline_ms * 1000000LL;
        orc_decide(st, req, &d);
        nt = orc_jnum(d.decisions, "tasks_to_assign", 0);
        e = json_object_new_object();
        json_object_object_add(e, "decision_id", json_object_new_string(api->rows_value(r, i, 0)));
        json_object_object_add(e, "episode_id", orc_jstr_or_null(api->rows_value(r, i, 1)));
        json_object_object_add(e, "project_id", json_object_new_string(api->rows_value(r, i, 2)));
        json_object_object_add(e, "created_at", orc_jstr_or_null(api->ts_iso(req, api->rows_value(r, i, 3))));
        json_object_object_add(e, "sprint_id", orc_jstr_or_null(api->rows_value(r, i, 7)));
        json_object_object_add(e, "action", json_object_new_string(api->rows_value(r, i, 6)));
        rec = json_object_new_object();
        json_object_object_add(rec, "tasks_to_assign", orc_jd(rt));
        json_object_object_add(rec, "sprint_duration_weeks", orc_jd(num_or(api->rows_value(r, i, 9), 0)));
        json_object_object_add(rec, "decision_source", orc_jstr_or_null(api->rows_value(r, i, 5)));
        json_object_object_add(rec, "mode", orc_jstr_or_null(api->rows_value(r, i, 4)));
        json_object_object_add(e, "recorded", rec);
        rep = json_object_new_object();
        json_object_object_add(rep, "tasks_to_assign", orc_jd(nt));
        json_object_object_add(rep, "sprint_duration_weeks", json_object_get(orc_jget(d.decisions, "sprint_duration_weeks")));
        json_object_object_add(rep, "decision_source", json_object_get(orc_jget(d.decisions, "decision_source")));
        json_object_object_add(rep, "mode", json_object_new_string(rmode));
        json_object_object_add(rep, "intelligence_adjustments", json_object_get(orc_jget(d.decisions, "intelligence_adjustments")));
        srcs = json_object_new_array();
        for (size_t k = 0; k < json_object_array_length(d.sources); k++) {
            struct json_object *s = json_object_array_get_idx(d.sources, k), *b = json_object_new_object();

            json_object_object_add(b, "source", json_object_get(orc_jget(s, "source")));
            json_object_object_add(b, "version", json_object_get(orc_jget(s, "version")));
            json_object_object_add(b, "status", json_object_get(orc_jget(s, "status")));
            json_object_object_add(b, "ms", json_object_get(orc_jget(s, "ms")));
            json_object_object_add(b, "proposals", json_object_get(orc_jget(s, "proposals")));
            json_object_array_add(srcs, b);
        }
        json_object_object_add(rep, "sources", srcs);
        json_object_object_add(e, "replayed", rep);
        json_object_object_add(e, "changed", json_object_new_boolean(nt != rt ||
                                                                     orc_jnum(d.decisions, "sprint_duration_weeks", 0) !=
                                                                         num_or(api->rows_value(r, i, 9), 0)));
        changed += nt != rt;
        if (has_out) {
            struct json_object *oc = json_object_new_object(), *er = json_object_new_object();
            double base = num_or(api->rows_value(r, i, 10), rt);

            json_object_object_add(oc, "committed", orc_jint_text(api->rows_value(r, i, 13)));
            json_object_object_add(oc, "completed", orc_jd(done));
            json_object_object_add(oc, "completion_rate", orc_jnum_text(api->rows_value(r, i, 15)));
            json_object_object_add(e, "outcome", oc);
            json_object_object_add(er, "recorded", orc_jd(fabs(rt - done)));
            json_object_object_add(er, "replayed", orc_jd(fabs(nt - done)));
            json_object_object_add(er, "rule_based", orc_jd(fabs(base - done)));
            json_object_object_add(e, "abs_error", er);
            err_rec += fabs(rt - done);
            err_rep += fabs(nt - done);
            err_base += fabs(base - done);
            with_out++;
        } else {
            json_object_object_add(e, "outcome", NULL);
        }
        json_object_array_add(results, e);
        nres++;
        orc_decision_free(&d);
        json_object_put(perception);
        json_object_put(baseline);
    }
    o = json_object_new_object();
    json_object_object_add(o, "sources", sources ? json_object_new_string(sources) : NULL);
    json_object_object_add(o, "mode", orc_jstr_or_null(mode));
    sum = json_object_new_object();
    json_object_object_add(sum, "decisions", json_object_new_int(nres));
    json_object_object_add(sum, "changed", json_object_new_int(changed));
    json_object_object_add(sum, "with_outcome", json_object_new_int(with_out));
    json_object_object_add(sum, "mean_abs_error_recorded", with_out ? orc_jd(orc_round_n(err_rec / with_out, 4)) : NULL);
    json_object_object_add(sum, "mean_abs_error_replayed", with_out ? orc_jd(orc_round_n(err_rep / with_out, 4)) : NULL);
    json_object_object_add(sum, "mean_abs_error_rule_based", with_out ? orc_jd(orc_round_n(err_base / with_out, 4)) : NULL);
    json_object_object_add(o, "summary", sum);
    json_object_object_add(o, "results", results);
    return api->reply_json(req, 200, o);
}
