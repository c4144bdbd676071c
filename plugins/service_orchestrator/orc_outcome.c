/*
 * orc_outcome.c — closing the learning loop (docs/ORCHESTRATOR.md §8): when the sprint a
 * decision created is closed (by the orchestrator's own close action, or by anyone — the Sprint
 * service's close event on dsm:events), its outcome is written once onto the decision row, the
 * decision's episode (memory API PUT …/outcome, which also fills strategy_performance_log
 * quality and delta), the applied strategies' counters and confidence, and handed to every
 * intelligence source's record().
 */
#include <stdlib.h>
#include <string.h>

#include "orc_internal.h"

/* The once-per-sprint claim: the newest decision that created this sprint and has no outcome.
 * claim_sql waits when another recorder holds that row (its transaction ends with the outcome
 * on the episode); claim_skip_sql leaves it to that recorder (no row: nothing to record). */
#define ORC_CLAIM_NEWEST                                                                          \
    "(SELECT decision_id FROM orchestrator_decisions WHERE sprint_id = $1 AND project_id = $2 "  \
    "AND action = 'create_sprint' ORDER BY created_at DESC LIMIT 1)"
#define ORC_CLAIM_RETURNING                                                                       \
    " AND outcome_recorded_at IS NULL RETURNING decision_id::text, episode_id::text, "            \
    "tasks_to_assign, sprint_duration_weeks, decision_source, baseline_tasks, baseline_weeks, "   \
    "applied_sources::text, applied_strategy_ids::text, perception->'team'->>'size', "          \
    "jsonb_array_length(COALESCE(perception->'availability'->'conflicts', '[]'::jsonb))"
static const char *const claim_sql =
    "UPDATE orchestrator_decisions SET outcome_recorded_at = now() WHERE decision_id = "
    ORC_CLAIM_NEWEST ORC_CLAIM_RETURNING;
/* Before the claim, without a lock: the creating decision still has no outcome (a row:
 * its committed_tasks). */
static const char *const pending_sql =
    "SELECT committed_tasks FROM orchestrator_decisions WHERE decision_id = " ORC_CLAIM_NEWEST
    " AND outcome_recorded_at IS NULL";
/* How long a decision's reconciliation waits for another recorder of the same sprint. */
#define ORC_CLAIM_WAIT "2s"
static const char *const claim_skip_sql =
    "UPDATE orchestrator_decisions SET outcome_recorded_at = now() WHERE decision_id = "
    "(SELECT l.decision_id FROM orchestrator_decisions l WHERE l.decision_id = " ORC_CLAIM_NEWEST
    " AND l.outcome_recorded_at IS NULL FOR UPDATE SKIP LOCKED)" ORC_CLAIM_RETURNING;

/* Memory API first; the same two updates in SQL when the API cannot be reached. */
static int write_episode(orc_state_t *st, dsm_req_t *req, const char *episode_id,
                         struct json_object *outcome, double q)
{
    const dsm_api_t *api = st->api;
    struct json_object *body = json_object_new_object(), *resp = NULL;
    const char *err = NULL;
    int s;

    json_object_object_add(body, "outcome", json_object_get(outcome));
    json_object_object_add(body, "outcome_quality", orc_jd(q));
    s = orc_call(st, req, ORC_MEMORY, "PUT",
                 api->psprintf(req, "/v1/memory/episodes/%s/outcome", episode_id), body, 0, &resp, &err);
    json_object_put(body);
    json_object_put(resp);
    if (s == 200)
        return 0;
    {
        const char *p[3] = {episode_id, orc_json_text(req, api, outcome), api->psprintf(req, "%.6f", q)};
        dsm_rows_t *r = api->db_exec(
            req, NULL,
            "WITH e AS (UPDATE agent_episodes SET outcome = $2::jsonb, outcome_quality = $3::float8, "
            "outcome_recorded_at = now() WHERE episode_id = $1::uuid RETURNING episode_id, outcome_quality), "
            "p AS (UPDATE strategy_performance_log l SET outcome_quality = e.outcome_quality, "
            "performance_delta = CASE WHEN jsonb_typeof(l.predicted_outcome->'expected_quality') = 'number' "
            "THEN e.outcome_quality - (l.predicted_outcome->>'expected_quality')::float8 "
            "ELSE l.performance_delta END, updated_at = now() FROM e WHERE l.episode_id = e.episode_id "
            "AND l.outcome_quality IS NULL RETURNING 1) SELECT (SELECT count(*) FROM e)",
            3, p);

        api->log(req, "warn", "episode_outcome_api_failed",
                 s < 0 ? err : api->psprintf(req, "HTTP %d; written with SQL", s), NULL);
        return r != NULL && api->rows_value(r, 0, 0)[0] != '0' ? 0 : -1;
    }
}

/* The capacity the sprint showed (orc_capacity_estimate) from its daily reports (Chronicle
 * C18), added to the outcome as capacity_estimate, scrum_days and days_to_complete. Only when
 * everything committed was completed — otherwise the completed count is the capacity. Without
 * an answer from Chronicle the outcome simply has no estimate (the learners then use the
 * completed count). */
static void add_capacity(orc_state_t *st, dsm_req_t *req, const char *sprint_id, int committed,
                         int completed, struct json_object *o)
{
    const dsm_api_t *api = st->api;
    struct json_object *resp = NULL, *days;
    const char *err = NULL;
    size_t n;
    int *done, *total, d = 0, s;
    double est;

    if (committed <= 0 || completed < committed)
        return;
    s = orc_call(st, req, ORC_CHRONICLE, "GET",
                 api->psprintf(req, "/v1/analytics/sprint/%s/progress", orc_seg(st, req, sprint_id)),
                 NULL, 0, &resp, &err);
    days = s == 200 ? orc_jget(resp, "days") : NULL;
    if (days == NULL || !json_object_is_type(days, json_type_array)) {
        api->log(req, "warn", "sprint_progress_unavailable",
                 s < 0 ? err : api->psprintf(req, "HTTP %d from Chronicle", s), NULL);
        json_object_put(resp);
        return;
    }
    n = json_object_array_length(days);
    done = api->palloc(req, (n + 1) * sizeof(int));
    total = api->palloc(req, (n + 1) * sizeof(int));
    if (done != NULL && total != NULL) {
        for (size_t i = 0; i < n; i++) {
            struct json_object *e = json_object_array_get_idx(days, i);

            done[i] = (int)orc_jnum(e, "completed_tasks", 0);
            total[i] = (int)orc_jnum(e, "total_tasks", 0);
        }
        est = orc_capacity_estimate(committed, completed, done, total, n, &d);
        json_object_object_add(o, "capacity_estimate", orc_jd(orc_round_n(est, 2)));
        json_object_object_add(o, "scrum_days", json_object_new_int((int)n));
        json_object_object_add(o, "days_to_complete", d > 0 ? json_object_new_int(d) : NULL);
    }
    json_object_put(resp);
}

int orc_outcome_record(orc_state_t *st, dsm_req_t *req, const orc_close_t *c,
                       struct json_object **outcome_out)
{
    const dsm_api_t *api = st->api;
    const char *params[2] = {c->sprint_id, c->project_id};
    struct json_object *o, *planned, *ids;
    const char *decision_id, *episode_id;
    dsm_rows_t *r;
    int committed, completed = c->completed < 0 ? 0 : c->completed;
    double q;
    int success, rc = 1, waits = strcmp(c->closed_by, "reconciled") == 0;
    struct json_object *cap;

    if (outcome_out)
        *outcome_out = NULL;
    /* What needs no lock first: is there an outcome to record, and the sprint's capacity from
     * the Chronicle (an HTTP call, kept out of the transaction below). */
    r = api->db_exec(req, NULL, pending_sql, 2, params);
    if (r == NULL)
        return -1;
    if (api->rows_count(r) == 0)
        return 0;
    if (c->completed >= 0 && c->moved_back >= 0 && c->completed + c->moved_back > 0)
        committed = c->completed + c->moved_back;
    else if (c->committed >= 0)
        committed = c->committed;
    else
        committed = api->rows_value(r, 0, 0) ? atoi(api->rows_value(r, 0, 0)) : completed;
    q = committed > 0 ? (double)completed / committed : 0;
    if (q > 1)
        q = 1;
    success = q >= 0.8;
    cap = json_object_new_object();
    add_capacity(st, req, c->sprint_id, committed, completed, cap);
    /* Then one transaction from the claim to the episode's outcome: whoever else tries to claim
     * the same sprint waits on the claimed row (a decision's reconciliation, at most
     * ORC_CLAIM_WAIT) or leaves it (a close action or event: FOR UPDATE SKIP LOCKED), and finds
     * it claimed once the outcome is on the episode. Before, the claim was committed first, and
     * a decision that started in between searched the episodes before the outcome was written
     * onto them. */
    if (api->db_begin(req, NULL) != DSM_OK) {
        json_object_put(cap);
        return -1;
    }
    if (!waits)
        r = api->db_exec(req, NULL, claim_skip_sql, 2, params);
    else if (api->db_exec(req, NULL, "SELECT set_config('lock_timeout', '" ORC_CLAIM_WAIT "', true)",
                          0, NULL) != NULL)
        r = api->db_exec(req, NULL, claim_sql, 2, params);
    else
        r = NULL;
    if (r == NULL || api->rows_count(r) == 0) {
        /* nothing claimed: recorded meanwhile, or another recorder holds it (55P03: it did not
         * finish within ORC_CLAIM_WAIT). A close event whose sprint is still pending when the
         * holder is done is delivered again (-1): if that holder rolls back, it records it. */
        int held = r == NULL && api->db_sqlstate(req) != NULL &&
                   strcmp(api->db_sqlstate(req), "55P03") == 0;
        int failed = r == NULL && !held;

        api->db_rollback(req, NULL);
        json_object_put(cap);
        if (failed)
            return -1;
        if (strcmp(c->closed_by, "sprint_service") == 0) {
            r = api->db_exec(req, NULL, pending_sql, 2, params);
            return r == NULL || api->rows_count(r) > 0 ? -1 : 0;
        }
        return 0;
    }
    decision_id = api->pstrdup(req, api->rows_value(r, 0, 0));
    episode_id = api->rows_value(r, 0, 1) ? api->pstrdup(req, api->rows_value(r, 0, 1)) : NULL;
    o = json_object_new_object();
    json_object_object_add(o, "decision_id", json_object_new_string(decision_id));
    json_object_object_add(o, "episode_id", orc_jstr_or_null(episode_id));
    json_object_object_add(o, "project_id", json_object_new_string(c->project_id));
    json_object_object_add(o, "sprint_id", json_object_new_string(c->sprint_id));
    json_object_object_add(o, "committed", json_object_new_int(committed));
    json_object_object_add(o, "completed", json_object_new_int(completed));
    json_object_object_add(o, "moved_back", json_object_new_int(c->moved_back < 0 ? committed - completed : c->moved_back));
    json_object_object_add(o, "completion_rate", orc_jd(q));
    json_object_object_add(o, "quality_score", orc_jd(q));
    json_object_object_add(o, "success", json_object_new_boolean(success));
    json_object_object_add(o, "status", orc_jstr_or_null(c->status));
    json_object_object_foreach(cap, ck, cv) json_object_object_add(o, ck, json_object_get(cv));
    json_object_put(cap);
    planned = json_object_new_object();
    json_object_object_add(planned, "tasks_to_assign", orc_jint_text(api->rows_value(r, 0, 2)));
    json_object_object_add(planned, "sprint_duration_weeks", orc_jint_text(api->rows_value(r, 0, 3)));
    json_object_object_add(planned, "decision_source", orc_jstr_or_null(api->rows_value(r, 0, 4)));
    json_object_object_add(planned, "baseline_tasks", orc_jint_text(api->rows_value(r, 0, 5)));
    json_object_object_add(planned, "baseline_weeks", orc_jint_text(api->rows_value(r, 0, 6)));
    json_object_object_add(o, "planned", planned);
    json_object_object_add(o, "applied_sources", orc_jjson_text(api->rows_value(r, 0, 7)));
    ids = json_object_new_array();
    {
        const char *t = api->rows_value(r, 0, 8); /* "{a,b}" */
        char *copy = api->pstrdup(req, t ? t : "{}"), *save = NULL;

        copy[strlen(copy) - 1] = '\0';
        for (char *tok = strtok_r(copy + 1, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
            json_object_array_add(ids, json_object_new_string(tok));
    }
    json_object_object_add(o, "applied_strategy_ids", ids);
    json_object_object_add(o, "team_size", orc_jint_text(api->rows_value(r, 0, 9)));
    json_object_object_add(o, "availability_conflicts", orc_jint_text(api->rows_value(r, 0, 10)));
    json_object_object_add(o, "closed_by", json_object_new_string(c->closed_by));
    json_object_object_add(o, "closed_at", json_object_new_string(api->utcnow_iso(req)));
    {
        const char *p[3] = {decision_id, orc_json_text(req, api, o), api->psprintf(req, "%.6f", q)};

        if (api->db_exec(req, NULL,
                         "UPDATE orchestrator_decisions SET outcome = $2::jsonb, outcome_quality = $3::float8 "
                         "WHERE decision_id = $1::uuid",
                         3, p) == NULL)
            rc = -1;
    }
    if (rc > 0 && episode_id != NULL && write_episode(st, req, episode_id, o, q) < 0)
        rc = -1;
    if (rc > 0 && json_object_array_length(ids) > 0) {
        const char *p[3] = {api->rows_value(r, 0, 8), success ? "1" : "0", api->psprintf(req, "%.6f", q)};

        if (api->db_exec(req, NULL,
                         "UPDATE agent_knowledge SET success_count = success_count + $2::int, "
                         "failure_count = failure_count + (1 - $2::int), "
                         "confidence = LEAST(1.0, GREATEST(0.1, confidence + 0.1 * ($3::float8 - confidence))), "
                         "last_validated = now() WHERE knowledge_id = ANY($1::uuid[])",
                         3, p) == NULL)
            rc = -1;
    }
    if (rc < 0 || api->db_commit(req, NULL) != DSM_OK) {
        /* the claim goes back with the rest: the next close event / retry records it (an
         * episode outcome already written is written again then; the strategy log rows take
         * their quality once) */
        if (rc < 0)
            api->db_rollback(req, NULL);
        json_object_put(o);
        return -1;
    }
    {
        dsm_outcome_t oc = {.size = sizeof oc, .project_id = c->project_id, .decision_id = decision_id,
                            .outcome = o};

        api->intel_record(req, &oc);
    }
    {
        struct json_object *f = json_object_new_object();

        json_object_object_add(f, "sprint_id", json_object_new_string(c->sprint_id));
        json_object_object_add(f, "decision_id", json_object_new_string(decision_id));
        json_object_object_add(f, "completion_rate", orc_jd(q));
        api->log(req, "info", "outcome_recorded", c->closed_by, f);
    }
    if (outcome_out)
        *outcome_out = o;
    else
        json_object_put(o);
    return rc;
}

/* dsm:events consumer: a sprint closed by anyone. Other events are acknowledged untouched. */
int orc_consume_sprint_event(void *state, dsm_req_t *req, const dsm_msg_t *msg)
{
    orc_state_t *st = state;
    struct json_object *ev = NULL, *pl;
    const char *type, *sid, *pid;
    orc_close_t c;
    int rc;

    for (size_t i = 0; i < msg->nfields; i++)
        if (strcmp(msg->keys[i], "data") == 0 || strcmp(msg->keys[i], "payload") == 0) {
            ev = json_tokener_parse(msg->values[i]);
            break;
        }
    type = orc_jstr(ev, "event_type");
    if (type == NULL || (strcmp(type, "SprintClosed") != 0 && strcmp(type, "SPRINT_CLOSED") != 0 &&
                         strcmp(type, "SprintCompleted") != 0 && strcmp(type, "sprint_closed") != 0)) {
        json_object_put(ev);
        return DSM_OK;
    }
    pl = orc_jget(ev, "payload") ? orc_jget(ev, "payload") : orc_jget(ev, "event_data");
    if (pl == NULL)
        pl = ev;
    sid = orc_jstr(pl, "sprint_id") ? orc_jstr(pl, "sprint_id") : orc_jstr(ev, "aggregate_id");
    pid = orc_jstr(pl, "project_id") ? orc_jstr(pl, "project_id") : orc_jstr(ev, "project_id");
    if (sid == NULL || pid == NULL) {
        json_object_put(ev);
        return DSM_ERR;
    }
    c.project_id = st->api->pstrdup(req, pid);
    c.sprint_id = st->api->pstrdup(req, sid);
    c.completed = (int)orc_jnum(pl, "completed_tasks_count", orc_jnum(pl, "completed_tasks", -1));
    c.moved_back = (int)orc_jnum(pl, "uncompleted_tasks_moved_to_backlog_count",
                                 orc_jnum(pl, "uncompleted_tasks", -1));
    c.committed = (int)orc_jnum(pl, "total_tasks", -1);
    c.status = orc_jstr(pl, "status_updated_to") ? st->api->pstrdup(req, orc_jstr(pl, "status_updated_to"))
                                                 : orc_jstr(pl, "status") ? st->api->pstrdup(req, orc_jstr(pl, "status")) : NULL;
    c.closed_by = "sprint_service";
    json_object_put(ev);
    rc = orc_outcome_record(st, req, &c, NULL);
    return rc < 0 ? DSM_RETRY : DSM_OK;
}

/* Counts of a closed sprint from its Chronicle retrospective (tasks_summary). 0 ok. */
static int retro_counts(orc_state_t *st, dsm_req_t *req, const char *pid, const char *sid,
                        orc_close_t *c)
{
    const dsm_api_t *api = st->api;
    struct json_object *body = NULL, *ts;
    int s = orc_call(st, req, ORC_CHRONICLE, "GET",
                     api->psprintf(req, "/v1/notes/sprint_retrospective?sprint_id=%s&project_id=%s",
                                   orc_seg(st, req, sid), orc_seg(st, req, pid)),
                     NULL, 0, &body, NULL);
    size_t n;

    if (s != 200 || body == NULL || !json_object_is_type(body, json_type_array) ||
        json_object_array_length(body) == 0) {
        json_object_put(body);
        return -1;
    }
    ts = orc_jget(json_object_array_get_idx(body, 0), "tasks_summary");
    n = ts != NULL && json_object_is_type(ts, json_type_array) ? json_object_array_length(ts) : 0;
    c->completed = 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *t = json_object_array_get_idx(ts, i);
        const char *status = orc_jstr(t, "status");

        c->completed += orc_jnum(t, "progress_percentage", 0) >= 100 ||
                        (status != NULL && (strcmp(status, "completed") == 0 || strcmp(status, "close") == 0));
    }
    c->committed = (int)n;
    c->moved_back = (int)n - c->completed;
    json_object_put(body);
    return 0;
}

int orc_outcome_reconcile(orc_state_t *st, dsm_req_t *req, const char *pid,
                          const struct json_object *perception)
{
    const dsm_api_t *api = st->api;
    struct json_object *recent = orc_jpath(perception, "sprints", "recent");
    char *lit = api->pstrdup(req, "{");
    const char *p[2];
    dsm_rows_t *r;
    int k = 0, done = 0;

    for (size_t i = 0; recent != NULL && json_object_is_type(recent, json_type_array) &&
                       i < json_object_array_length(recent);
         i++) {
        struct json_object *sp = json_object_array_get_idx(recent, i);
        const char *sid = orc_jstr(sp, "sprint_id"), *status = orc_jstr(sp, "status");

        if (sid == NULL || status == NULL || strcmp(status, "in_progress") == 0 ||
            strpbrk(sid, ",{}\"\\ ") != NULL)
            continue;
        lit = api->psprintf(req, "%s%s%s", lit, k++ ? "," : "", sid);
    }
    if (k == 0)
        return 0;
    p[0] = pid;
    p[1] = api->psprintf(req, "%s}", lit);
    r = api->db_exec(req, NULL,
                     "SELECT DISTINCT sprint_id FROM orchestrator_decisions WHERE project_id = $1 "
                     "AND action = 'create_sprint' AND outcome_recorded_at IS NULL "
                     "AND sprint_id = ANY($2::text[]) LIMIT 3",
                     2, p);
    for (int i = 0; r != NULL && i < api->rows_count(r); i++) {
        const char *sid = api->pstrdup(req, api->rows_value(r, i, 0));
        orc_close_t c = {pid, sid, -1, -1, -1, NULL, "reconciled"};

        for (size_t j = 0; j < json_object_array_length(recent); j++) {
            struct json_object *sp = json_object_array_get_idx(recent, j);

            if (orc_jstr(sp, "sprint_id") && strcmp(orc_jstr(sp, "sprint_id"), sid) == 0)
                c.status = orc_jstr(sp, "status");
        }
        if (retro_counts(st, req, pid, sid, &c) == 0 && orc_outcome_record(st, req, &c, NULL) > 0)
            done++;
    }
    return done;
}
