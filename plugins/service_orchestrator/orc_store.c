/*
 * orc_store.c — what a decision leaves behind: its orchestrator_decisions row (full perception
 * for replays), its episode in agent memory (through the memory API: canonical text and
 * embedding are the memory plugin's job; episode id = decision id, fix #17), the
 * strategy_performance_log rows and STRATEGY_APPLIED events of the strategies it applied, the
 * Chronicle decision audit and daily-scrum notes, and the orchestration_events entry.
 */
#include <stdio.h>
#include <string.h>

#include "orc_internal.h"

static void warn(orc_decision_t *d, const char *text)
{
    json_object_array_add(orc_jget(d->decisions, "warnings"), json_object_new_string(text));
}

/* A POST made together with the others of the decision (one http_parallel round). */
typedef struct {
    orc_svc_e svc;
    const char *path;
    struct json_object *body; /* owned */
    dsm_http_result_t res;
} orc_post_t;

static void post_all(orc_state_t *st, dsm_req_t *req, orc_post_t *posts, size_t n)
{
    dsm_http_opts_t o[3];
    dsm_http_result_t r[3];

    memset(o, 0, sizeof o);
    for (size_t i = 0; i < n; i++) {
        o[i].size = sizeof o[i];
        o[i].method = "POST";
        o[i].url = st->api->psprintf(req, "%s%s", st->url[posts[i].svc], posts[i].path);
        o[i].body = posts[i].body;
        o[i].timeout_ms = st->http_timeout_ms;
        o[i].breaker = orc_svc_key(posts[i].svc);
    }
    if (st->api->http_parallel(req, n, o, r) != DSM_OK)
        for (size_t i = 0; i < n; i++)
            r[i] = (dsm_http_result_t){-1, NULL, "http_parallel failed", 0};
    for (size_t i = 0; i < n; i++)
        posts[i].res = r[i];
}

static const char *action_kind(orc_decision_t *d, orc_acts_t *a)
{
    if (a->closed_sprint != NULL)
        return "close_sprint";
    if (a->created_sprint != NULL)
        return "create_sprint";
    if (orc_jbool(d->decisions, "cronjob_created", 0))
        return "recreate_schedule";
    return "none";
}

static const char *acted_sprint(orc_decision_t *d, orc_acts_t *a)
{
    if (a->created_sprint != NULL)
        return a->created_sprint;
    if (a->closed_sprint != NULL)
        return NULL;
    return orc_jstr(d->decisions, "sprint_id");
}

/* The episode context: the perception without the bulky / derivable members (§2). */
static struct json_object *episode_context(orc_decision_t *d)
{
    static const char *const keep[] = {"schema", "project_id", "generated_at", "today", "options",
                                       "team",   "availability", "backlog", "sprints", "mode"};
    struct json_object *c = json_object_new_object();

    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
        struct json_object *v = orc_jget(d->perception, keep[i]);

        if (v != NULL)
            json_object_object_add(c, keep[i], json_object_get(v));
    }
    return c;
}

/* The decision row, with its episode link when the episode was stored (episode_stored). */
/* The POST /v1/memory/episodes of the decision. */
static void episode_post(orc_decision_t *d, orc_acts_t *a, orc_post_t *post)
{
    struct json_object *ep = json_object_new_object(), *dec = json_object_new_object();
    struct json_object *act = json_object_new_object(), *pat = json_object_new_object();
    const char *sid = acted_sprint(d, a);

    json_object_object_add(ep, "episode_id", json_object_new_string(d->decision_id));
    json_object_object_add(ep, "project_id", json_object_new_string(d->project_id));
    json_object_object_add(ep, "episode_type", json_object_new_string("orchestration_decision"));
    json_object_object_add(ep, "context", episode_context(d));
    json_object_object_add(dec, "analysis_performed", json_object_new_boolean(1));
    json_object_object_add(dec, "decision_rationale", json_object_get(orc_jget(d->decisions, "reasoning")));
    json_object_object_add(dec, "tasks_to_assign", json_object_get(orc_jget(d->decisions, "tasks_to_assign")));
    json_object_object_add(dec, "sprint_duration_weeks",
                           json_object_get(orc_jget(d->decisions, "sprint_duration_weeks")));
    json_object_object_add(dec, "baseline_tasks", orc_jd(orc_jnum(d->baseline, "tasks_to_assign", 0)));
    json_object_object_add(dec, "baseline_weeks", orc_jd(orc_jnum(d->baseline, "sprint_duration_weeks", 0)));
    json_object_object_add(dec, "decision_source", json_object_get(orc_jget(d->decisions, "decision_source")));
    json_object_object_add(dec, "confidence_scores", json_object_get(orc_jget(d->decisions, "confidence_scores")));
    json_object_object_add(dec, "intelligence_adjustments",
                           json_object_get(orc_jget(d->decisions, "intelligence_adjustments")));
    json_object_object_add(dec, "applied_sources", json_object_get(d->applied_sources));
    json_object_object_add(ep, "decision", dec);
    json_object_object_add(act, "actions_taken", json_object_get(a->actions));
    json_object_object_add(act, "sprint_created", json_object_new_boolean(a->created_sprint != NULL));
    json_object_object_add(act, "sprint_closed", json_object_new_boolean(a->closed_sprint != NULL));
    json_object_object_add(act, "sprint_id", orc_jstr_or_null(sid));
    json_object_object_add(act, "tasks_assigned", a->committed >= 0 ? json_object_new_int(a->committed) : NULL);
    json_object_object_add(act, "sprint_duration_weeks",
                           json_object_get(orc_jget(d->decisions, "sprint_duration_weeks")));
    json_object_object_add(act, "cronjob_created", json_object_get(orc_jget(d->decisions, "cronjob_created")));
    json_object_object_add(act, "success", json_object_new_boolean(1));
    json_object_object_add(ep, "actions", act);
    json_object_object_add(pat, "insights_summary", json_object_new_string(d->insights_summary ? d->insights_summary : ""));
    json_object_object_add(pat, "applied_strategy_ids", json_object_get(d->applied_strategies));
    json_object_object_add(ep, "patterns", pat);
    json_object_object_add(ep, "agent_version", json_object_new_string(ORC_AGENT_VERSION));
    json_object_object_add(ep, "control_mode", json_object_new_string(d->mode));
    json_object_object_add(ep, "decision_source", json_object_get(orc_jget(d->decisions, "decision_source")));
    json_object_object_add(ep, "sprint_id", orc_jstr_or_null(sid));
    *post = (orc_post_t){ORC_MEMORY, "/v1/memory/episodes", ep, {0}};
}

/* The memory API cannot be reached (the chronicle pool is down): the same episode straight
 * into agent_episodes with requires_embedding = true, for the memory plugin's backfill. */
static int direct_episode(orc_state_t *st, dsm_req_t *req, orc_post_t *post)
{
    const char *p[1] = {orc_json_text(req, st->api, post->body)};

    return st->api->db_exec(req, NULL,
                            "INSERT INTO agent_episodes (episode_id, project_id, episode_type, context, "
                            "decision, actions, patterns, agent_version, control_mode, decision_source, "
                            "sprint_id, requires_embedding) SELECT (e->>'episode_id')::uuid, "
                            "e->>'project_id', e->>'episode_type', e->'context', e->'decision', "
                            "e->'actions', e->'patterns', e->>'agent_version', e->>'control_mode', "
                            "e->>'decision_source', e->>'sprint_id', true FROM (SELECT $1::jsonb AS e) x "
                            "ON CONFLICT (episode_id) DO NOTHING",
                            1, p) != NULL
               ? 0
               : -1;
}

/* 0 stored, -1 not (warning added). */
static int episode_result(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_post_t *post)
{
    const dsm_api_t *api = st->api;
    int s = post->res.status;
    struct json_object *body = post->res.body;
    const char *err = post->res.err;

    orc_stat(st, ORC_OP_EPISODE_STORE, post->res.ms, s == 201 || s == 200);
    if ((s < 0 || s >= 500) && direct_episode(st, req, post) == 0) {
        warn(d, api->psprintf(req, "Memory API unavailable (%s): episode stored without embedding; "
                                   "the memory backfill embeds it",
                              s < 0 ? (err ? err : "no answer") : api->psprintf(req, "HTTP %d", s)));
        return 0;
    }
    if (s != 201 && s != 200) {
        warn(d, api->psprintf(req, "Episode not stored: %s",
                              s < 0 ? (err ? err : "no answer")
                                    : api->psprintf(req, "HTTP %d %s", s,
                                                    body ? json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN) : "")));
        return -1;
    }
    return 0;
}

/* The strategy_performance_log rows of the applicable strategies, as the JSON array
 * [{"sid", "pred", "conf", "app"}] that record() expands; *actual_out = their actual_outcome. */
static const char *strategy_logs(orc_state_t *st, dsm_req_t *req, orc_decision_t *d,
                                 orc_acts_t *a, const char **actual_out)
{
    const dsm_api_t *api = st->api;
    struct json_object *list = orc_jget(d->strategy_insight, "applicable_strategies");
    struct json_object *actual = json_object_new_object(), *rows = json_object_new_array();
    const char *text;

    json_object_object_add(actual, "decision_implemented", json_object_new_boolean(1));
    json_object_object_add(actual, "tasks_assigned", json_object_get(orc_jget(d->decisions, "tasks_to_assign")));
    json_object_object_add(actual, "sprint_created", json_object_new_boolean(a->created_sprint != NULL));
    json_object_object_add(actual, "intelligence_adjustments",
                           json_object_get(orc_jget(d->decisions, "intelligence_adjustments")));
    json_object_object_add(actual, "confidence_scores", json_object_get(orc_jget(d->decisions, "confidence_scores")));
    for (size_t i = 0; list != NULL && json_object_is_type(list, json_type_array) &&
                       i < json_object_array_length(list);
         i++) {
        struct json_object *s = json_object_array_get_idx(list, i), *pred, *adj, *row;
        const char *id = orc_jstr(s, "strategy_id");
        double conf = orc_jnum(s, "confidence", 0.5), app = orc_jnum(s, "applicability_score", 0.5);

        if (id == NULL || !orc_uuid_ok(id))
            continue;
        pred = json_object_new_object();
        adj = json_object_new_object();
        json_object_object_add(pred, "expected_quality", orc_jd(conf));
        json_object_object_add(pred, "expected_success_rate", json_object_get(orc_jget(s, "success_rate")));
        json_object_object_add(pred, "strategy_application", json_object_new_boolean(1));
        json_object_object_add(adj, "tasks_to_assign", json_object_get(orc_jget(d->decisions, "tasks_to_assign")));
        json_object_object_add(adj, "sprint_duration_weeks",
                               json_object_get(orc_jget(d->decisions, "sprint_duration_weeks")));
        json_object_object_add(adj, "create_new_sprint", json_object_get(orc_jget(d->decisions, "create_new_sprint")));
        json_object_object_add(pred, "decision_adjustments", adj);
        row = json_object_new_object();
        json_object_object_add(row, "sid", json_object_new_string(id));
        json_object_object_add(row, "pred", pred);
        json_object_object_add(row, "conf", json_object_new_double(conf < 0 ? 0 : conf > 1 ? 1 : conf));
        json_object_object_add(row, "app", json_object_new_double(app < 0 ? 0 : app > 1 ? 1 : app));
        json_object_array_add(rows, row);
    }
    *actual_out = orc_json_text(req, api, actual);
    text = orc_json_text(req, api, rows);
    json_object_put(actual);
    json_object_put(rows);
    return text;
}

/*
 * What the decision leaves in agent_memory, in ONE statement (atomic without BEGIN/COMMIT, one
 * round trip instead of one per row): the orchestrator_decisions row with its episode link and,
 * when the episode is stored and the strategy source answered, the strategy_performance_log rows
 * of the applicable strategies (those that still exist) and the counters of the applied ones.
 * 0, or -1 (nothing written; api->db_errmsg says why).
 */
static int record(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_acts_t *a,
                  double duration_ms, int episode_stored)
{
    const dsm_api_t *api = st->api;
    const char *p[23];
    struct json_object *arr = d->applied_strategies;
    size_t na = arr != NULL ? json_object_array_length(arr) : 0;
    const char **items = api->palloc(req, (na + 1) * sizeof(*items));
    int strategies = episode_stored && d->strategy_insight != NULL;

    for (size_t i = 0; items != NULL && i < na; i++)
        items[i] = json_object_get_string(json_object_array_get_idx(arr, i));
    p[16] = items != NULL ? api->pg_array(req, items, na) : NULL;
    if (p[16] == NULL)
        return -1;
    p[0] = d->decision_id;
    p[1] = d->project_id;
    p[2] = d->mode;
    p[3] = orc_jstr(d->decisions, "decision_source");
    p[4] = action_kind(d, a);
    p[5] = acted_sprint(d, a);
    p[6] = a->closed_sprint;
    p[7] = api->psprintf(req, "%d", (int)orc_jnum(d->decisions, "tasks_to_assign", 0));
    p[8] = api->psprintf(req, "%d", (int)orc_jnum(d->decisions, "sprint_duration_weeks", 0));
    p[9] = api->psprintf(req, "%d", (int)orc_jnum(d->baseline, "tasks_to_assign", 0));
    p[10] = api->psprintf(req, "%d", (int)orc_jnum(d->baseline, "sprint_duration_weeks", 0));
    p[11] = a->committed >= 0 ? api->psprintf(req, "%d", a->committed) : NULL;
    p[12] = orc_json_text(req, api, d->perception);
    p[13] = orc_json_text(req, api, d->baseline);
    p[14] = orc_json_text(req, api, d->decisions);
    p[15] = orc_json_text(req, api, d->applied_sources);
    p[17] = api->psprintf(req, "%.3f", duration_ms);
    p[18] = episode_stored ? d->decision_id : NULL;
    p[19] = episode_stored ? "stored" : "failed";
    p[20] = strategies ? strategy_logs(st, req, d, a, &p[21]) : "[]";
    if (!strategies)
        p[21] = "{}";
    p[22] = strategies ? p[16] : "{}";
    return api->db_exec(
               req, NULL,
               "WITH dec AS (INSERT INTO orchestrator_decisions (decision_id, project_id, mode, "
               "decision_source, action, sprint_id, closed_sprint_id, tasks_to_assign, "
               "sprint_duration_weeks, baseline_tasks, baseline_weeks, committed_tasks, "
               "perception, baseline, decision, sources, applied_sources, "
               "applied_strategy_ids, duration_ms, episode_id, episode_status) VALUES "
               "($1::uuid, $2, $3, $4, $5, $6, "
               "$7, $8::int, $9::int, $10::int, $11::int, $12::int, $13::jsonb, "
               "$14::jsonb, $15::jsonb, ($15::jsonb)->'intelligence_sources', $16::jsonb, "
               "$17::uuid[], $18::float8, $19::uuid, $20) RETURNING decision_id), "
               "lg AS (INSERT INTO strategy_performance_log (strategy_id, episode_id, project_id, "
               "predicted_outcome, actual_outcome, strategy_confidence, context_similarity) "
               "SELECT x.sid, $1::uuid, $2, x.pred, $22::jsonb, x.conf, x.app "
               "FROM jsonb_to_recordset($21::jsonb) AS x(sid uuid, pred jsonb, conf float8, "
               "app float8) WHERE EXISTS (SELECT 1 FROM agent_knowledge k "
               "WHERE k.knowledge_id = x.sid)), "
               "up AS (UPDATE agent_knowledge SET times_applied = times_applied + 1, "
               "last_applied = now() WHERE knowledge_id = ANY($23::uuid[])) "
               "SELECT decision_id FROM dec",
               23, p) != NULL
               ? 0
               : -1;
}

/* STRATEGY_APPLIED on orchestration_events for each applied strategy (after the commit). */
static void strategies_publish(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_acts_t *a)
{
    const dsm_api_t *api = st->api;

    for (size_t i = 0; i < json_object_array_length(d->applied_strategies); i++) {
        const char *id = json_object_get_string(json_object_array_get_idx(d->applied_strategies, i));
        struct json_object *ev = json_object_new_object(), *pl = json_object_new_object();

        json_object_object_add(ev, "event_id", json_object_new_string(api->uuid4(req)));
        json_object_object_add(ev, "event_type", json_object_new_string("STRATEGY_APPLIED"));
        json_object_object_add(ev, "timestamp", json_object_new_string(api->utcnow_iso(req)));
        json_object_object_add(ev, "correlation_id", json_object_new_string(d->decision_id));
        json_object_object_add(ev, "project_id", json_object_new_string(d->project_id));
        json_object_object_add(ev, "sprint_id", orc_jstr_or_null(acted_sprint(d, a)));
        json_object_object_add(pl, "strategy_id", json_object_new_string(id));
        json_object_object_add(pl, "decision_id", json_object_new_string(d->decision_id));
        json_object_object_add(pl, "episode_id", json_object_new_string(d->decision_id));
        json_object_object_add(pl, "project_id", json_object_new_string(d->project_id));
        json_object_object_add(pl, "decision_source", json_object_get(orc_jget(d->decisions, "decision_source")));
        json_object_object_add(pl, "intelligence_adjustments",
                               json_object_get(orc_jget(d->decisions, "intelligence_adjustments")));
        json_object_object_add(ev, "payload", pl);
        if (orc_publish(st, req, ORC_STREAM, ev) != 0)
            warn(d, api->psprintf(req, "STRATEGY_APPLIED for %s not published", id));
        json_object_put(ev);
    }
}

static void audit_post(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_acts_t *a,
                       orc_post_t *post)
{
    const dsm_api_t *api = st->api;
    struct json_object *au = json_object_new_object(), *base = json_object_new_object();
    struct json_object *recs = json_object_new_array();
    char *reasoning = api->psprintf(req, "Rule-based decision: %s", orc_jstr(d->baseline, "reasoning"));

    json_object_object_add(au, "audit_id", json_object_new_string(api->uuid4(req)));
    json_object_object_add(au, "project_id", json_object_new_string(d->project_id));
    json_object_object_add(au, "timestamp", json_object_new_string(api->utcnow_iso(req)));
    json_object_object_add(base, "tasks_to_assign", orc_jd(orc_jnum(d->baseline, "tasks_to_assign", 0)));
    json_object_object_add(base, "sprint_duration_weeks",
                           orc_jd(orc_jnum(d->baseline, "sprint_duration_weeks", 2)));
    json_object_object_add(base, "reasoning", orc_jstr_or_null(orc_jstr(d->baseline, "reasoning")));
    json_object_object_add(au, "base_decision", base);
    for (size_t i = 0; i < json_object_array_length(d->sources); i++) {
        struct json_object *e = json_object_array_get_idx(d->sources, i), *ps = orc_jget(e, "proposals");
        const char *ph = orc_jstr(e, "phase");

        if (ph == NULL || strcmp(ph, "advise") != 0)
            continue;
        for (size_t k = 0; ps != NULL && k < json_object_array_length(ps); k++) {
            struct json_object *p = json_object_array_get_idx(ps, k), *r = NULL;

            json_object_deep_copy(p, &r, NULL);
            json_object_object_add(r, "source", json_object_get(orc_jget(e, "source")));
            json_object_array_add(recs, r);
            reasoning = api->psprintf(req, "%s Intelligence proposed: %s (Confidence: %.2f)", reasoning,
                                      orc_jstr(p, "reasoning") ? orc_jstr(p, "reasoning") : "",
                                      orc_jnum(p, "confidence", 0));
        }
    }
    json_object_object_add(au, "intelligence_recommendations", recs);
    json_object_object_add(au, "applied_adjustments",
                           json_object_get(orc_jget(d->decisions, "intelligence_adjustments")));
    json_object_object_add(au, "final_decision", json_object_get(d->decisions));
    reasoning = api->psprintf(req, "%s Final decision: %s", reasoning, orc_jstr(d->decisions, "reasoning"));
    json_object_object_add(au, "combined_reasoning", json_object_new_string(reasoning));
    json_object_object_add(au, "correlation_id", json_object_new_string(d->decision_id));
    json_object_object_add(au, "sprint_id",
                           orc_jstr_or_null(a->closed_sprint ? a->closed_sprint : acted_sprint(d, a)));
    *post = (orc_post_t){ORC_CHRONICLE, "/v1/notes/decision_audit", au, {0}};
}

/* The daily-scrum note (C4) and the same payload on orchestration_events. */
static void note_post(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_acts_t *a,
                      orc_post_t *post)
{
    const dsm_api_t *api = st->api;
    const char *now = api->utcnow_iso(req), *sid;
    char date[11];
    struct json_object *n = json_object_new_object(), *m = json_object_new_object();
    struct json_object *reports = json_object_new_object(), *day = json_object_new_array();
    struct json_object *entry = json_object_new_object(), *tasks = json_object_new_array();
    struct json_object *task = json_object_new_object(), *det = json_object_new_object();
    const char *reasoning = orc_jstr(d->decisions, "reasoning");

    snprintf(date, sizeof date, "%.10s", now);
    sid = a->closed_sprint ? a->closed_sprint : acted_sprint(d, a);
    json_object_object_add(n, "project_id", json_object_new_string(d->project_id));
    json_object_object_add(n, "sprint_id", orc_jstr_or_null(sid));
    json_object_object_add(n, "report_date", json_object_new_string(date));
    json_object_object_add(n, "summary", orc_jstr_or_null(reasoning));
    json_object_object_add(m, "total_team_members",
                           orc_jd(orc_jnum(orc_jget(d->perception, "team"), "size", 0)));
    json_object_object_add(m, "total_tasks",
                           orc_jd(orc_jnum(orc_jget(d->perception, "backlog"), "total_tasks", 0)));
    json_object_object_add(m, "completed_tasks", json_object_new_int(0));
    json_object_object_add(m, "pending_tasks",
                           orc_jd(orc_jnum(orc_jget(d->perception, "backlog"), "unassigned", 0)));
    json_object_object_add(n, "summary_metrics", m);
    json_object_object_add(task, "id", json_object_new_string(api->psprintf(req, "orchestration-task-%s", api->uuid4(req))));
    json_object_object_add(task, "yesterday_work", json_object_new_string("N/A"));
    json_object_object_add(task, "today_work", orc_jstr_or_null(reasoning));
    json_object_object_add(task, "impediments", json_object_new_string("N/A"));
    json_object_object_add(task, "created_at", json_object_new_string(now));
    json_object_array_add(tasks, task);
    json_object_object_add(entry, "assigned_to", json_object_new_string("orchestrator"));
    json_object_object_add(entry, "tasks", tasks);
    json_object_array_add(day, entry);
    json_object_object_add(reports, date, day);
    json_object_object_add(n, "reports", reports);
    json_object_object_add(det, "decision_type",
                           json_object_new_string(a->closed_sprint ? "SPRINT_CLOSED"
                                                  : a->created_sprint ? "CREATE_NEW_SPRINT"
                                                                      : "NO_SPRINT_CREATED"));
    json_object_object_add(det, "reasoning", orc_jstr_or_null(reasoning));
    json_object_object_add(det, "actions_taken", json_object_get(a->actions));
    json_object_object_add(det, "cronjob_name", orc_jstr_or_null(a->schedule_name));
    json_object_object_add(det, "sprint_closure_triggered",
                           json_object_get(orc_jget(d->decisions, "sprint_closure_triggered")));
    json_object_object_add(det, "cronjob_deleted", json_object_get(orc_jget(d->decisions, "cronjob_deleted")));
    json_object_object_add(det, "decision_source", json_object_get(orc_jget(d->decisions, "decision_source")));
    json_object_object_add(det, "intelligence_adjustments",
                           json_object_get(orc_jget(d->decisions, "intelligence_adjustments")));
    json_object_object_add(n, "orchestration_decision_details", det);
    *post = (orc_post_t){ORC_CHRONICLE, "/v1/notes/daily_scrum_report", n, {0}};
}

/* The note's result, then the same payload on orchestration_events. */
static void note_result(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_post_t *post)
{
    const dsm_api_t *api = st->api;
    int s = post->res.status;
    struct json_object *ev;

    if (s != 200 && s != 201)
        warn(d, api->psprintf(req, "Failed to record the orchestration note in Chronicle: %s",
                              s < 0 ? (post->res.err ? post->res.err : "no answer")
                                    : api->psprintf(req, "HTTP %d", s)));
    ev = json_object_get(post->body);
    json_object_object_add(ev, "event_type", json_object_new_string("ORCHESTRATION_DECISION"));
    json_object_object_add(ev, "decision_id", json_object_new_string(d->decision_id));
    if (orc_publish(st, req, ORC_STREAM, ev) != 0)
        api->log(req, "warn", "orchestration_event_failed", "XADD orchestration_events failed", NULL);
    json_object_put(ev);
}

void orc_store(orc_state_t *st, dsm_req_t *req, orc_decision_t *d, orc_acts_t *a,
               double duration_ms, const char **episode_id_out, struct json_object *steps)
{
    static const char *const post_name[3] = {"audit", "note", "episode"};
    const dsm_api_t *api = st->api;
    orc_post_t posts[3];
    int64_t t = api->now_ns();
    int stored, recorded;

    *episode_id_out = NULL;
    /* the audit, the note and the episode go out together (the audit and the note are built
     * before the episode result can add a warning, as the original's order) */
    audit_post(st, req, d, a, &posts[0]);
    note_post(st, req, d, a, &posts[1]);
    episode_post(d, a, &posts[2]);
    post_all(st, req, posts, 3);
    for (int i = 0; i < 3; i++)
        orc_step_add(st, steps, post_name[i], posts[i].res.ms, NULL);
    orc_step_add(st, steps, "posts", 0, &t);
    if (posts[0].res.status != 200 && posts[0].res.status != 201)
        api->log(req, "warn", "decision_audit_failed",
                 posts[0].res.status < 0 ? posts[0].res.err : api->psprintf(req, "HTTP %d", posts[0].res.status),
                 NULL);
    note_result(st, req, d, &posts[1]);
    stored = episode_result(st, req, d, &posts[2]) == 0;
    /* then one statement (one transaction): the decision row with its episode link, and — when
     * the episode is there to refer to — the applicable strategies' log rows and the applied
     * ones' counters */
    recorded = record(st, req, d, a, duration_ms, stored) == 0;
    if (!recorded) {
        const char *why = api->db_errmsg(req);

        warn(d, api->psprintf(req, "Decision not recorded: %s", why ? why : "database error"));
        if (stored) { /* no decision row refers to it: take the episode back (best effort) */
            struct json_object *resp = NULL;
            const char *err = NULL;

            orc_call(st, req, ORC_MEMORY, "DELETE",
                     api->psprintf(req, "/v1/memory/episodes/%s", d->decision_id), NULL, 0, &resp,
                     &err);
            json_object_put(resp);
        }
    } else if (stored) {
        *episode_id_out = d->decision_id;
        if (d->strategy_insight != NULL)
            strategies_publish(st, req, d, a);
    }
    orc_step_add(st, steps, "transaction", 0, &t);
    for (int i = 0; i < 3; i++) {
        json_object_put(posts[i].body);
        json_object_put(posts[i].res.body);
    }
}
