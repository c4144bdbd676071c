/*
 * orc_pipeline.c — the decision pipeline of docs/ORCHESTRATOR.md §1: the baseline pass, the
 * advise pass of the mode's sources, the gate and combiner, the final decision, the explain
 * pass. Builds the response's "decisions" object and the per-source report.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orc_internal.h"

#define ORC_NFIELDS 2
static const char *const field_names[ORC_NFIELDS] = {"tasks_to_assign", "sprint_duration_weeks"};
static const char *const adj_keys[ORC_NFIELDS] = {"task_count_modification",
                                                  "sprint_duration_modification"};
static const char *const known_sources[] = {"rules", "chronicle", "episodes", "strategy", "advisor"};

static double budget_ms(orc_state_t *st, const char *name)
{
    double def = strcmp(name, "rules") == 0      ? 100
                 : strcmp(name, "chronicle") == 0 ? 1000
                 : strcmp(name, "episodes") == 0  ? 1500
                 : strcmp(name, "strategy") == 0  ? 500
                 : strcmp(name, "advisor") == 0   ? 5000
                                                  : 1000;

    return orc_conf_num(st, "deadline", name, def);
}

static double weight_of(orc_state_t *st, const char *name)
{
    return orc_conf_num(st, "weight", name, strcmp(name, "advisor") == 0 ? 0.0 : 1.0);
}

static struct json_object *list_json(const char *list)
{
    struct json_object *a = json_object_new_array();

    for (const char *p = list; p != NULL && *p != '\0';) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e != '\0' && *e != ' ' && *e != ',')
            e++;
        if (e > p)
            json_object_array_add(a, json_object_new_string_len(p, (int)(e - p)));
        p = e;
    }
    return a;
}

static struct json_object *params_json(orc_state_t *st, dsm_req_t *req, orc_decision_t *d,
                                       const char *phase, const char *sources)
{
    struct json_object *p = json_object_new_object(), *src = json_object_new_object();
    struct json_object *urls = json_object_new_object();

    json_object_object_add(p, "phase", json_object_new_string(phase));
    json_object_object_add(p, "sources", list_json(sources));
    json_object_object_add(p, "mode", json_object_new_string(d->mode));
    json_object_object_add(p, "replay", json_object_new_boolean(d->replay));
    json_object_object_add(p, "decision_started_at", json_object_new_string(st->api->utcnow_iso(req)));
    json_object_object_add(p, "gate", orc_gate_json(&d->gate));
    for (size_t i = 0; i < sizeof known_sources / sizeof *known_sources; i++) {
        struct json_object *s = json_object_new_object();

        json_object_object_add(s, "deadline_ms", orc_jd(budget_ms(st, known_sources[i])));
        json_object_object_add(s, "weight", orc_jd(weight_of(st, known_sources[i])));
        json_object_object_add(src, known_sources[i], s);
    }
    {
        struct json_object *names = list_json(sources);

        for (size_t i = 0; i < json_object_array_length(names); i++) {
            const char *n = json_object_get_string(json_object_array_get_idx(names, i));

            if (orc_jget(src, n) == NULL) { /* a source this release does not know by name */
                struct json_object *s = json_object_new_object();

                json_object_object_add(s, "deadline_ms", orc_jd(budget_ms(st, n)));
                json_object_object_add(s, "weight", orc_jd(weight_of(st, n)));
                json_object_object_add(src, n, s);
            }
        }
        json_object_put(names);
    }
    json_object_object_add(p, "source", src);
    for (int i = 0; i < ORC_NSVC; i++)
        json_object_object_add(urls, orc_svc_key((orc_svc_e)i), json_object_new_string(st->url[i]));
    json_object_object_add(p, "urls", urls);
    return p;
}

/* Run one pass; returns the host's report (owned). */
static struct json_object *run_pass(orc_state_t *st, dsm_req_t *req, orc_decision_t *d,
                                    const char *phase, const char *sources,
                                    const struct json_object *baseline)
{
    struct json_object *params = params_json(st, req, d, phase, sources), *res;
    struct json_object *names = list_json(sources);
    double total = 50;
    int64_t deadline;
    dsm_decision_t dc;

    for (size_t i = 0; i < json_object_array_length(names); i++)
        total += budget_ms(st, json_object_get_string(json_object_array_get_idx(names, i)));
    deadline = st->api->now_ns() + (int64_t)(total * 1e6);
    if (deadline > d->deadline_ns)
        deadline = d->deadline_ns;
    memset(&dc, 0, sizeof dc);
    dc.size = sizeof dc;
    dc.project_id = d->project_id;
    dc.perception = d->perception;
    dc.baseline = baseline;
    dc.params = params;
    dc.deadline_ns = deadline;
    dc.decision_id = d->decision_id;
    res = st->api->intel_run(req, &dc);
    json_object_put(params);
    json_object_put(names);
    return res != NULL ? res : json_object_new_array();
}

/* The report entry for one source of a pass: the host's entry plus phase, budget, lateness. */
static struct json_object *report_entry(orc_state_t *st, struct json_object *src, const char *phase,
                                        int *usable)
{
    struct json_object *e = json_object_new_object(), *props = orc_jget(src, "proposals");
    const char *name = orc_jstr(src, "source"), *status = orc_jstr(src, "status");
    double ms = orc_jnum(src, "ms", 0), budget = budget_ms(st, name ? name : "");
    const char *err = orc_jstr(src, "error");

    *usable = status != NULL && strcmp(status, "ok") == 0;
    if (*usable && ms > budget) {
        *usable = 0;
        status = "late";
        err = "answered after its budget; proposals ignored";
    }
    json_object_object_add(e, "source", orc_jstr_or_null(name));
    json_object_object_add(e, "version", orc_jstr_or_null(orc_jstr(src, "version")));
    json_object_object_add(e, "phase", json_object_new_string(phase));
    json_object_object_add(e, "status", orc_jstr_or_null(status));
    json_object_object_add(e, "ms", orc_jd(ms));
    json_object_object_add(e, "budget_ms", orc_jd(budget));
    json_object_object_add(e, "used", json_object_new_boolean(0));
    json_object_object_add(e, "error", orc_jstr_or_null(err));
    json_object_object_add(e, "proposals", json_object_new_array());
    for (size_t i = 0; *usable && props != NULL && i < json_object_array_length(props); i++) {
        struct json_object *p = json_object_array_get_idx(props, i), *q = json_object_new_object();

        json_object_object_add(q, "field", orc_jstr_or_null(orc_jstr(p, "field")));
        json_object_object_add(q, "value", orc_jd(orc_jnum(p, "value", NAN)));
        json_object_object_add(q, "confidence", orc_jd(orc_jnum(p, "confidence", 0)));
        json_object_object_add(q, "evidence_count",
                               json_object_new_int((int)orc_jnum(p, "evidence_count", 0)));
        json_object_object_add(q, "reasoning", orc_jstr_or_null(orc_jstr(p, "reasoning")));
        json_object_array_add(orc_jget(e, "proposals"), q);
    }
    return e;
}

static struct json_object *find_source(struct json_object *run, const char *name)
{
    for (size_t i = 0; i < json_object_array_length(run); i++) {
        struct json_object *s = json_object_array_get_idx(run, i);
        const char *n = orc_jstr(s, "source");

        if (n != NULL && strcmp(n, name) == 0)
            return s;
    }
    return NULL;
}

/* Add report entries for the listed sources of a pass; returns them in order (borrowed from
 * d->sources). "not_loaded" for a listed source the pool does not have. */
static void report_pass(orc_state_t *st, orc_decision_t *d, struct json_object *run,
                        const char *phase, const char *list, struct json_object *insights)
{
    struct json_object *names = list_json(list);

    for (size_t i = 0; i < json_object_array_length(names); i++) {
        const char *name = json_object_get_string(json_object_array_get_idx(names, i));
        struct json_object *src = find_source(run, name), *e;
        int usable = 0;

        if (src == NULL) {
            e = json_object_new_object();
            json_object_object_add(e, "source", json_object_new_string(name));
            json_object_object_add(e, "version", NULL);
            json_object_object_add(e, "phase", json_object_new_string(phase));
            json_object_object_add(e, "status", json_object_new_string("not_loaded"));
            json_object_object_add(e, "used", json_object_new_boolean(0));
            json_object_object_add(e, "proposals", json_object_new_array());
        } else {
            struct json_object *ins = orc_jget(src, "insight");

            e = report_entry(st, src, phase, &usable);
            if (usable && ins != NULL && insights != NULL)
                json_object_object_add(insights, name, json_object_get(ins));
        }
        json_object_array_add(d->sources, e);
    }
    json_object_put(names);
}

static int int_field(const struct json_object *o, const char *key, int def)
{
    return (int)orc_round_even(orc_jnum(o, key, def));
}

/* The baseline from the rules source's answer, or the core fallback. */
static struct json_object *form_baseline(orc_state_t *st, dsm_req_t *req, orc_decision_t *d,
                                         struct json_object *run, struct json_object *warnings)
{
    const char *name = st->baseline_source;
    struct json_object *src = find_source(run, name), *dec = NULL, *b;
    const char *status = src ? orc_jstr(src, "status") : "not_loaded";
    int unassigned = int_field(orc_jget(d->perception, "backlog"), "unassigned", 0);
    double ms = src ? orc_jnum(src, "ms", 0) : 0;

    if (src != NULL && status != NULL && strcmp(status, "ok") == 0 && ms > budget_ms(st, name))
        status = "late";
    if (src != NULL && status != NULL && strcmp(status, "ok") == 0)
        dec = orc_jpath(src, "insight", "decision");
    if (dec != NULL && json_object_is_type(dec, json_type_object)) {
        struct json_object *props = orc_jget(src, "proposals");
        const char *cur = orc_jstr(orc_jpath(d->perception, "sprints", "current"), "sprint_id");
        const char *close_id;

        b = NULL;
        json_object_deep_copy(dec, &b, NULL);
        for (size_t i = 0; props != NULL && i < json_object_array_length(props); i++) {
            struct json_object *p = json_object_array_get_idx(props, i);
            const char *f = orc_jstr(p, "field");
            double v = orc_round_even(orc_jnum(p, "value", NAN));

            if (f == NULL || !isfinite(v))
                continue;
            if (strcmp(f, "tasks_to_assign") == 0 || strcmp(f, "sprint_duration_weeks") == 0)
                json_object_object_add(b, f, json_object_new_int64((int64_t)v));
            else if (strcmp(f, "create_new_sprint") == 0)
                json_object_object_add(b, "create_new_sprint", json_object_new_boolean(v != 0));
            else if (strcmp(f, "close_sprint") == 0)
                json_object_object_add(b, "sprint_closure_triggered", json_object_new_boolean(v != 0));
            else if (strcmp(f, "create_schedule") == 0)
                json_object_object_add(b, "cronjob_created", json_object_new_boolean(v != 0));
        }
        close_id = orc_jstr(b, "sprint_id_to_close");
        if (int_field(b, "tasks_to_assign", -1) < 0 || int_field(b, "tasks_to_assign", 0) > unassigned ||
            int_field(b, "sprint_duration_weeks", 0) < 1 || int_field(b, "sprint_duration_weeks", 0) > 8 ||
            orc_jstr(b, "reasoning") == NULL ||
            (orc_jbool(b, "sprint_closure_triggered", 0) &&
             (cur == NULL || close_id == NULL || strcmp(cur, close_id) != 0)) ||
            (orc_jbool(b, "create_new_sprint", 0) && cur != NULL)) {
            json_object_put(b);
            status = "invalid";
        } else {
            if (orc_jget(b, "warnings") == NULL)
                json_object_object_add(b, "warnings", json_object_new_array());
            json_object_object_add(b, "baseline_source", json_object_new_string("rules"));
            return b;
        }
    }
    b = orc_rules_baseline(d->perception);
    json_object_object_add(b, "baseline_source", json_object_new_string("core_fallback"));
    json_object_array_add(warnings,
                          json_object_new_string(st->api->psprintf(
                              req, "Rules source %s: core fallback baseline used", status ? status : "failed")));
    return b;
}

typedef struct {
    struct json_object *entry; /* the report's proposal object */
    struct json_object *src;   /* the report entry */
    orc_prop_t prop;
} cand_t;

/* Gate + combine one field over the advise report; fills the adjustment detail when applied. */
static int adjust_field(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, int f,
                        struct json_object *adjustments, double *applied_conf)
{
    const char *field = field_names[f];
    double base = orc_jnum(d->baseline, field, 0);
    int unassigned = int_field(orc_jget(d->perception, "backlog"), "unassigned", 0);
    int creates = orc_jbool(d->baseline, "create_new_sprint", 0);
    cand_t cands[32];
    orc_prop_t props[32];
    double share[32], moved[32];
    size_t nc = 0;
    orc_comb_t comb;
    char buf[128];

    for (size_t i = 0; i < json_object_array_length(d->sources); i++) {
        struct json_object *e = json_object_array_get_idx(d->sources, i);
        struct json_object *ps = orc_jget(e, "proposals");
        const char *phase = orc_jstr(e, "phase"), *name = orc_jstr(e, "source");

        if (phase == NULL || strcmp(phase, "advise") != 0 || name == NULL)
            continue;
        for (size_t k = 0; ps != NULL && k < json_object_array_length(ps); k++) {
            struct json_object *p = json_object_array_get_idx(ps, k);
            const char *pf = orc_jstr(p, "field"), *why;

            if (pf == NULL || strcmp(pf, field) != 0)
                continue;
            __atomic_fetch_add(&st->stats->proposals_seen, 1, __ATOMIC_RELAXED);
            double raw = orc_jnum(p, "value", NAN);
            double val = orc_gate_limit(&d->gate, (orc_field_e)f, base, raw, unassigned);

            why = orc_gate_check(&d->gate, (orc_field_e)f, base, val, orc_jnum(p, "confidence", 0),
                                 (int)orc_jnum(p, "evidence_count", 0), unassigned, creates, buf,
                                 sizeof buf);
            const char *verdict = why ? why : "passed";
            char limited[96];

            if (why == NULL && val != orc_round_even(raw)) { /* kept, but limited (§5.2) */
                snprintf(limited, sizeof limited, "passed; limited from %.0f to %.0f",
                         orc_round_even(raw), val);
                json_object_object_add(p, "limited_to", orc_jd(val));
                verdict = limited;
            }
            json_object_object_add(p, "gate", json_object_new_string(verdict));
            json_object_object_add(p, "applied", json_object_new_boolean(0));
            if (why != NULL || nc == 32)
                continue;
            __atomic_fetch_add(&st->stats->proposals_passed, 1, __ATOMIC_RELAXED);
            cands[nc] = (cand_t){p, e, {val, orc_jnum(p, "confidence", 0), weight_of(st, name),
                                        (int)orc_jnum(p, "evidence_count", 0)}};
            props[nc] = cands[nc].prop;
            nc++;
        }
    }
    if (nc == 0 || orc_combine(&d->gate, (orc_field_e)f, base, props, nc, share, moved, &comb) == 0)
        return 0;
    if (!comb.changes || strcmp(d->mode, "rule_based_only") == 0) {
        for (size_t i = 0; i < nc; i++)
            json_object_object_add(cands[i].entry, "gate",
                                   json_object_new_string("passed; agrees with baseline"));
        return 0;
    }
    {
        struct json_object *det = json_object_new_object(), *contrib = json_object_new_array();
        struct json_object *srcs = json_object_new_array(), *ev = json_object_new_object();
        char *evs = st->api->pstrdup(req, ""), *why = st->api->pstrdup(req, "");

        for (size_t i = 0; i < nc; i++) {
            struct json_object *c = json_object_new_object();
            const char *name = orc_jstr(cands[i].src, "source");
            const char *reason = orc_jstr(cands[i].entry, "reasoning");

            if (!(share[i] > 0))
                continue;
            json_object_object_add(c, "source", json_object_new_string(name));
            json_object_object_add(c, "version", orc_jstr_or_null(orc_jstr(cands[i].src, "version")));
            json_object_object_add(c, "proposed", orc_jd(orc_round_even(props[i].value)));
            json_object_object_add(c, "confidence", orc_jd(props[i].confidence));
            json_object_object_add(c, "evidence_count", json_object_new_int(props[i].evidence));
            json_object_object_add(c, "weight", orc_jd(props[i].weight));
            json_object_object_add(c, "share", orc_jd(share[i]));
            json_object_object_add(c, "moved_by", orc_jd(moved[i]));
            json_object_object_add(c, "reasoning", orc_jstr_or_null(reason));
            if (strcmp(name, "strategy") == 0 && d->strategy_insight != NULL) {
                struct json_object *ids = orc_jget(d->strategy_insight, "applied_strategy_ids");

                json_object_object_add(c, "strategy_ids",
                                       ids ? json_object_get(ids) : json_object_new_array());
            }
            json_object_array_add(contrib, c);
            json_object_object_add(cands[i].entry, "applied", json_object_new_boolean(1));
            json_object_object_add(cands[i].entry, "moved_by", orc_jd(moved[i]));
            json_object_object_add(cands[i].src, "used", json_object_new_boolean(1));
            json_object_array_add(srcs, json_object_new_string(name));
            evs = st->api->psprintf(req, "%s%s%s (%d)", evs, *evs ? ", " : "", name, props[i].evidence);
            why = st->api->psprintf(req, "%s%s%s: %s", why, *why ? "; " : "", name,
                                    reason ? reason : "no reasoning given");
        }
        json_object_object_add(det, "original_recommendation", orc_jd(base));
        json_object_object_add(det, "intelligence_recommendation", orc_jd(orc_round_n(comb.raw, 2)));
        json_object_object_add(det, "applied_value", orc_jd(comb.applied));
        json_object_object_add(det, "confidence", orc_jd(comb.confidence));
        json_object_object_add(det, "evidence_count", json_object_new_int(comb.evidence));
        json_object_object_add(det, "evidence_source", json_object_new_string(evs));
        json_object_object_add(det, "rationale", json_object_new_string(why));
        json_object_object_add(det, "expected_improvement",
                               json_object_new_string(f == 0 ? "Commitment closer to the capacity the evidence shows."
                                                             : "Sprint length matched to the observed velocity trend."));
        json_object_object_add(ev, "contributions", contrib);
        json_object_object_add(det, "evidence_details", ev);
        json_object_object_add(adjustments, adj_keys[f], det);
        json_object_object_add(d->applied_sources, field, srcs);
        json_object_object_add(d->decisions, field, orc_jd(comb.applied));
        *applied_conf = comb.confidence;
    }
    return 1;
}

static void join_lines(dsm_req_t *req, const dsm_api_t *api, struct json_object *lines, char **out)
{
    char *s = api->pstrdup(req, "");

    for (size_t i = 0; lines != NULL && i < json_object_array_length(lines); i++) {
        struct json_object *l = json_object_array_get_idx(lines, i);

        if (json_object_is_type(l, json_type_string))
            s = api->psprintf(req, "%s%s%s", s, *s ? " " : "", json_object_get_string(l));
    }
    *out = strdup(s);
}

/* Copy the common insight members (summary_lines, warnings) of every used source. */
static void gather_insights(orc_decision_t *d, struct json_object *lines, struct json_object *warnings)
{
    json_object_object_foreach(d->source_insights, name, ins)
    {
        struct json_object *sl = orc_jget(ins, "summary_lines"), *w = orc_jget(ins, "warnings");

        (void)name;
        for (size_t i = 0; sl != NULL && json_object_is_type(sl, json_type_array) &&
                           i < json_object_array_length(sl);
             i++)
            json_object_array_add(lines, json_object_get(json_object_array_get_idx(sl, i)));
        for (size_t i = 0; w != NULL && json_object_is_type(w, json_type_array) &&
                           i < json_object_array_length(w);
             i++)
            json_object_array_add(warnings, json_object_get(json_object_array_get_idx(w, i)));
    }
}

static void not_in_mode(orc_decision_t *d, struct json_object *run)
{
    for (size_t i = 0; i < json_object_array_length(run); i++) {
        struct json_object *s = json_object_array_get_idx(run, i), *e;
        const char *name = orc_jstr(s, "source");
        int listed = 0;

        for (size_t k = 0; name && k < json_object_array_length(d->sources); k++) {
            const char *n = orc_jstr(json_object_array_get_idx(d->sources, k), "source");

            listed |= n != NULL && strcmp(n, name) == 0;
        }
        if (listed || name == NULL)
            continue;
        e = json_object_new_object();
        json_object_object_add(e, "source", json_object_new_string(name));
        json_object_object_add(e, "version", orc_jstr_or_null(orc_jstr(s, "version")));
        json_object_object_add(e, "phase", json_object_new_string("advise"));
        json_object_object_add(e, "status", json_object_new_string("not_in_mode"));
        json_object_object_add(e, "used", json_object_new_boolean(0));
        json_object_object_add(e, "proposals", json_object_new_array());
        json_object_array_add(d->sources, e);
    }
}

int orc_decide(orc_state_t *st, dsm_req_t *req, orc_decision_t *d)
{
    const dsm_api_t *api = st->api;
    int mi = orc_mode_index(d->mode);
    const char *advise = d->advise_sources ? d->advise_sources : mi >= 0 ? st->mode_sources[mi] : "";
    struct json_object *run1 = NULL, *run2 = NULL, *run3 = NULL, *warnings = json_object_new_array();
    struct json_object *lines = json_object_new_array(), *adjustments = json_object_new_object();
    struct json_object *dec, *rbd, *conf, *meta;
    double confs = 0, c;
    int64_t t0 = st->api->now_ns();
    char *reasoning;

    d->sources = json_object_new_array();
    d->applied_sources = json_object_new_object();
    d->source_insights = json_object_new_object();
    d->applied_strategies = json_object_new_array();
    /* pass 1: baseline */
    if (d->baseline_in != NULL) {
        d->baseline = NULL;
        json_object_deep_copy(d->baseline_in, &d->baseline, NULL);
    } else {
        run1 = run_pass(st, req, d, "baseline", st->baseline_source, NULL);
        report_pass(st, d, run1, "baseline", st->baseline_source, NULL);
        d->baseline = form_baseline(st, req, d, run1, warnings);
        for (size_t i = 0; i < json_object_array_length(d->sources); i++) {
            struct json_object *e = json_object_array_get_idx(d->sources, i);
            const char *n = orc_jstr(e, "source");

            if (n && strcmp(n, st->baseline_source) == 0 &&
                strcmp(orc_jstr(d->baseline, "baseline_source"), "rules") == 0)
                json_object_object_add(e, "used", json_object_new_boolean(1));
        }
        orc_stat(st, ORC_OP_BASELINE, orc_ms_since(st, t0), 1);
    }
    /* the decisions object starts as the baseline */
    dec = json_object_new_object();
    d->decisions = dec;
    json_object_object_add(dec, "create_new_sprint",
                           json_object_new_boolean(orc_jbool(d->baseline, "create_new_sprint", 0)));
    json_object_object_add(dec, "tasks_to_assign", orc_jd(orc_jnum(d->baseline, "tasks_to_assign", 0)));
    /* pass 2: advise */
    if (mi != 0 && *advise != '\0') {
        int64_t t1 = st->api->now_ns();

        run2 = run_pass(st, req, d, "advise", advise, d->baseline);
        report_pass(st, d, run2, "advise", advise, d->source_insights);
        d->strategy_insight = orc_jget(d->source_insights, "strategy");
        orc_stat(st, ORC_OP_ADVISE, orc_ms_since(st, t1), 1);
        for (size_t i = 0; i < json_object_array_length(d->sources); i++) {
            struct json_object *e = json_object_array_get_idx(d->sources, i);
            const char *n = orc_jstr(e, "source"), *s = orc_jstr(e, "status");
            double ms = orc_jnum(e, "ms", 0);
            int ok = s != NULL && strcmp(s, "ok") == 0;

            if (n == NULL || strcmp(orc_jstr(e, "phase"), "advise") != 0)
                continue;
            if (strcmp(n, "episodes") == 0)
                orc_stat(st, ORC_OP_EPISODE_RETRIEVAL, ms, ok);
            else if (strcmp(n, "chronicle") == 0)
                orc_stat(st, ORC_OP_PATTERN_ANALYSIS, ms, ok);
            else if (strcmp(n, "strategy") == 0)
                orc_stat(st, ORC_OP_STRATEGY, ms, ok);
            if (s != NULL && strcmp(s, "ok") != 0 && strcmp(s, "declined") != 0)
                json_object_array_add(warnings, json_object_new_string(api->psprintf(
                                                    req, "Intelligence source %s %s%s%s", n, s,
                                                    orc_jstr(e, "error") ? ": " : "",
                                                    orc_jstr(e, "error") ? orc_jstr(e, "error") : "")));
        }
    }
    /* gate + combine */
    {
        int64_t t2 = st->api->now_ns();

        for (int f = 0; f < ORC_NFIELDS; f++)
            if (adjust_field(st, req, d, f, adjustments, &c)) {
                d->adjustments++;
                confs += c;
            }
        orc_stat(st, ORC_OP_GATE, orc_ms_since(st, t2), 1);
    }
    /* strategies whose proposal was applied */
    if (d->strategy_insight != NULL) {
        struct json_object *ids = orc_jget(d->strategy_insight, "applied_strategy_ids");
        int applied = 0;

        json_object_object_foreach(d->applied_sources, k, v)
        {
            (void)k;
            for (size_t i = 0; i < json_object_array_length(v); i++)
                applied |= strcmp(json_object_get_string(json_object_array_get_idx(v, i)), "strategy") == 0;
        }
        /* only UUIDs: the ids go into a uuid[] column, the log and the events as they are */
        for (size_t i = 0; applied && ids != NULL && json_object_is_type(ids, json_type_array) &&
                           i < json_object_array_length(ids);
             i++) {
            struct json_object *id = json_object_array_get_idx(ids, i);

            if (json_object_is_type(id, json_type_string) && orc_uuid_ok(json_object_get_string(id)))
                json_object_array_add(d->applied_strategies, json_object_get(id));
        }
    }
    gather_insights(d, lines, warnings);
    join_lines(req, api, lines, &d->insights_summary);
    {
        struct json_object *ci = orc_jget(d->source_insights, "chronicle");

        d->confidence = d->adjustments > 0 ? orc_round_n(confs / d->adjustments, 4)
                                           : orc_round_n(orc_jnum(ci, "confidence", 0), 4);
    }
    /* reasoning */
    reasoning = api->pstrdup(req, orc_jstr(d->baseline, "reasoning") ? orc_jstr(d->baseline, "reasoning") : "");
    if (d->adjustments > 0) {
        json_object_object_foreach(adjustments, key, det)
        {
            reasoning = api->psprintf(
                req, "%s; Intelligence override: %s %s → %s (%s, confidence %.2f)", reasoning,
                strcmp(key, "task_count_modification") == 0 ? "task count" : "sprint duration",
                json_object_to_json_string(orc_jget(det, "original_recommendation")),
                json_object_to_json_string(orc_jget(det, "applied_value")),
                orc_jstr(det, "evidence_source"), orc_jnum(det, "confidence", 0));
        }
    } else if (*d->insights_summary) {
        reasoning = api->psprintf(req, "%s Historical insights: %s.", reasoning, d->insights_summary);
    }
    /* rebuild the decisions object in the original's key order */
    {
        struct json_object *tasks = json_object_get(orc_jget(dec, "tasks_to_assign"));
        struct json_object *weeks = orc_jget(dec, "sprint_duration_weeks")
                                        ? json_object_get(orc_jget(dec, "sprint_duration_weeks"))
                                        : orc_jd(orc_jnum(d->baseline, "sprint_duration_weeks", 2));
        struct json_object *w = json_object_new_array(), *bw = orc_jget(d->baseline, "warnings");

        json_object_put(dec);
        dec = d->decisions = json_object_new_object();
        for (size_t i = 0; bw != NULL && json_object_is_type(bw, json_type_array) &&
                           i < json_object_array_length(bw);
             i++)
            json_object_array_add(w, json_object_get(json_object_array_get_idx(bw, i)));
        for (size_t i = 0; i < json_object_array_length(warnings); i++)
            json_object_array_add(w, json_object_get(json_object_array_get_idx(warnings, i)));
        json_object_object_add(dec, "create_new_sprint",
                               json_object_new_boolean(orc_jbool(d->baseline, "create_new_sprint", 0)));
        json_object_object_add(dec, "tasks_to_assign", tasks);
        json_object_object_add(dec, "cronjob_created",
                               json_object_new_boolean(orc_jbool(d->baseline, "cronjob_created", 0)));
        json_object_object_add(dec, "reasoning", json_object_new_string(reasoning));
        json_object_object_add(dec, "warnings", w);
        json_object_object_add(dec, "sprint_closure_triggered",
                               json_object_new_boolean(orc_jbool(d->baseline, "sprint_closure_triggered", 0)));
        json_object_object_add(dec, "cronjob_deleted",
                               json_object_new_boolean(orc_jbool(d->baseline, "cronjob_deleted", 0)));
        json_object_object_add(dec, "sprint_name", orc_jstr_or_null(orc_jstr(d->baseline, "sprint_name")));
        json_object_object_add(dec, "sprint_id_to_close",
                               orc_jstr_or_null(orc_jstr(d->baseline, "sprint_id_to_close")));
        json_object_object_add(dec, "sprint_id", orc_jstr_or_null(orc_jstr(d->baseline, "sprint_id")));
        json_object_object_add(dec, "sprint_duration_weeks", weeks);
        json_object_object_add(dec, "decision_source",
                               json_object_new_string(d->adjustments > 0 ? d->mode : "rule_based_only"));
        rbd = json_object_new_object();
        json_object_object_add(rbd, "tasks_to_assign", orc_jd(orc_jnum(d->baseline, "tasks_to_assign", 0)));
        json_object_object_add(rbd, "sprint_duration_weeks",
                               orc_jd(orc_jnum(d->baseline, "sprint_duration_weeks", 2)));
        json_object_object_add(rbd, "reasoning", orc_jstr_or_null(orc_jstr(d->baseline, "reasoning")));
        json_object_object_add(dec, "rule_based_decision", rbd);
        json_object_object_add(dec, "intelligence_adjustments", adjustments);
        conf = json_object_new_object();
        json_object_object_add(conf, "overall_decision_confidence", orc_jd(d->confidence));
        json_object_object_add(conf, "intelligence_threshold_met", json_object_new_boolean(d->adjustments > 0));
        json_object_object_add(conf, "minimum_threshold", orc_jd(d->gate.confidence_threshold));
        json_object_object_add(dec, "confidence_scores", conf);
        meta = json_object_new_object();
        json_object_object_add(meta, "decision_mode", json_object_new_string(d->mode));
        json_object_object_add(meta, "learning_enabled", json_object_new_boolean(orc_list_has(advise, "episodes") && mi != 0));
        json_object_object_add(meta, "episode_logging_enabled", json_object_new_boolean(1));
        json_object_object_add(meta, "advise_sources", mi != 0 ? list_json(advise) : json_object_new_array());
        json_object_object_add(dec, "intelligence_metadata", meta);
        json_object_object_add(dec, "baseline_source",
                               orc_jstr_or_null(orc_jstr(d->baseline, "baseline_source")));
        json_object_object_add(dec, "intelligence_sources", json_object_get(d->sources));
    }
    /* pass 3: explain */
    if (d->explain && mi != 0 && *st->explain_sources != '\0') {
        int64_t t3 = st->api->now_ns();
        struct json_object *ex = json_object_new_object();
        size_t before = json_object_array_length(d->sources);

        run3 = run_pass(st, req, d, "explain", st->explain_sources, dec);
        report_pass(st, d, run3, "explain", st->explain_sources, ex);
        for (size_t i = before; i < json_object_array_length(d->sources); i++) {
            struct json_object *e = json_object_array_get_idx(d->sources, i);
            const char *s = orc_jstr(e, "status");

            if (s != NULL && strcmp(s, "late") == 0 && d->advisory == NULL) {
                d->advisory = json_object_new_object();
                json_object_object_add(d->advisory, "enabled", json_object_new_boolean(0));
                json_object_object_add(d->advisory, "generation_time_ms",
                                       json_object_new_int64((int64_t)orc_jnum(e, "ms", 0)));
                json_object_object_add(d->advisory, "error",
                                       json_object_new_string("Advisory timeout - proceeding with standard decision"));
                json_object_object_add(d->advisory, "fallback",
                                       json_object_new_string("AI advisor unavailable - using standard decision process"));
            }
        }
        json_object_object_foreach(ex, k, v)
        {
            (void)k;
            if (d->advisory == NULL)
                d->advisory = json_object_get(v);
        }
        json_object_put(ex);
        orc_stat(st, ORC_OP_EXPLAIN, orc_ms_since(st, t3), d->advisory != NULL);
    }
    if (run2 != NULL)
        not_in_mode(d, run2);
    else if (run1 != NULL)
        not_in_mode(d, run1);
    else if (run3 != NULL)
        not_in_mode(d, run3);
    __atomic_fetch_add(&st->stats->decisions, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&st->stats->adjustments_applied, (uint64_t)d->adjustments, __ATOMIC_RELAXED);
    json_object_put(run1);
    json_object_put(run2);
    json_object_put(run3);
    json_object_put(warnings);
    json_object_put(lines);
    return 0;
}

void orc_decision_free(orc_decision_t *d)
{
    json_object_put(d->baseline);
    json_object_put(d->decisions);
    json_object_put(d->sources);
    json_object_put(d->applied_sources);
    json_object_put(d->applied_strategies);
    json_object_put(d->source_insights);
    json_object_put(d->advisory);
    free(d->insights_summary);
    d->baseline = d->decisions = d->sources = d->applied_sources = NULL;
    d->applied_strategies = d->source_insights = d->advisory = NULL;
    d->insights_summary = NULL;
}
