/*
 * test_orchestrator_api.c — the Project Orchestrator (api.md §6, O1–O26, plus the replay
 * endpoint) end to end through nginx, with the real Project, Backlog, Sprint, Chronicle and
 * memory services and the intelligence plugins the pool loads (docs/ORCHESTRATOR.md).
 *
 * Each run creates its own projects ("O<6 digits>A/B/C"), employees and backlogs, so the suite
 * reruns on the same databases. The tests run in order and build on each other:
 *   bad input (nothing stored) → first decision from the rules → closing by the rules →
 *   three sprints closed with a known completion (task progress set to 100 for 6 of 10 tasks,
 *   closed through the Sprint service; the orchestrator learns the outcome from the
 *   retrospective) → the fourth decision commits the learned count and the Sprint service gets
 *   it → outcomes on the right episodes → evolution, strategies, replay → schedules (O5/O6 and
 *   one real firing, exactly once) → the intelligence endpoints.
 */
#include "dsm_test.h"
#include "it_http.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char base[16];
static char pa[24], pb[24], pc[24], pz[24]; /* rules / learning / schedules / unknown */
static char emp[4][32];
static char first_episode[64], learn_sid[4][32], learn_eps[4][64];
static int episodes_loaded = -1;

static int suite_init(void)
{
    unsigned v = (unsigned)getpid() * 7919u + (unsigned)time(NULL);

    snprintf(base, sizeof base, "O%06u", v % 1000000u);
    snprintf(pa, sizeof pa, "%sA", base);
    snprintf(pb, sizeof pb, "%sB", base);
    snprintf(pc, sizeof pc, "%sC", base);
    snprintf(pz, sizeof pz, "%sZ", base);
    for (int i = 0; i < 4; i++)
        snprintf(emp[i], sizeof emp[i], "%s-E%d", base, i + 1);
    return 0;
}

/* ---- helpers ---------------------------------------------------------------------------- */

static json_object *jget(json_object *o, const char *key)
{
    json_object *v = NULL;

    return o != NULL && json_object_is_type(o, json_type_object) &&
                   json_object_object_get_ex(o, key, &v)
               ? v
               : NULL;
}

/* "a.b.c" member path. */
static json_object *jpath(json_object *o, const char *path)
{
    char buf[256], *save = NULL;

    snprintf(buf, sizeof buf, "%s", path);
    for (char *t = strtok_r(buf, ".", &save); t != NULL && o != NULL; t = strtok_r(NULL, ".", &save))
        o = jget(o, t);
    return o;
}

static const char *jstr(json_object *o, const char *path)
{
    json_object *v = jpath(o, path);

    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static double jnum(json_object *o, const char *path)
{
    json_object *v = jpath(o, path);

    return v != NULL && (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
               ? json_object_get_double(v)
               : -999;
}

static int jbool(json_object *o, const char *path)
{
    json_object *v = jpath(o, path);

    return v != NULL && json_object_is_type(v, json_type_boolean) ? json_object_get_boolean(v) : -1;
}

static it_resp_t call(const char *method, const char *path, const char *body, long status)
{
    it_resp_t r = body ? it_json(method, path, body) : it_req(method, path, NULL, NULL);

    IT_CHECK(r.status == status && it_is_json_ct(&r), "%s %s -> %s (want %ld)", method, path,
             it_describe(&r), status);
    return r;
}

static it_resp_t orchestrate(const char *pid, const char *body)
{
    char *path = it_fmt("/orchestrate/project/%s", pid);
    it_resp_t r = call("POST", path, body ? body : "{}", 200);

    free(path);
    return r;
}

/* A 422 whose detail list has an entry located at loc (JSON text of the loc array). */
static void expect_422_at(const it_resp_t *r, const char *loc, const char *what)
{
    json_object *d = jget(r->json, "detail");
    int found = 0;

    for (size_t i = 0; d != NULL && json_object_is_type(d, json_type_array) && i < json_object_array_length(d); i++)
        found |= strcmp(it_compact(jget(json_object_array_get_idx(d, i), "loc")), loc) == 0;
    IT_CHECK(r->status == 422 && it_is_detail_list(r) && found, "%s: want 422 at %s, got %s", what, loc,
             it_describe(r));
}

static int episode_count(const char *pid)
{
    char *path = it_fmt("/orchestrate/intelligence/episode-insights/%s?limit=100", pid);
    it_resp_t r = call("GET", path, NULL, 200);
    int n = jget(r.json, "episodes_found") ? (int)jnum(r.json, "episodes_found")
                                           : (int)jnum(r.json, "episode_summary.total_episodes");

    free(path);
    it_free(&r);
    return n;
}

/* The proposal of source src for field in the decision's intelligence_sources (or NULL). */
static json_object *source_entry(json_object *resp, const char *src, const char *phase)
{
    json_object *arr = jpath(resp, "decisions.intelligence_sources");

    for (size_t i = 0; arr != NULL && i < json_object_array_length(arr); i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        const char *n = jstr(e, "source"), *p = jstr(e, "phase");

        if (n && strcmp(n, src) == 0 && (!phase || (p && strcmp(p, phase) == 0)))
            return e;
    }
    return NULL;
}

/* Set progress 100 on the first n tasks of a sprint. */
static void finish_tasks(const char *sid, int n)
{
    char *path = it_fmt("/sprints/%s/tasks", sid);
    it_resp_t r = call("GET", path, NULL, 200);

    free(path);
    for (size_t i = 0; r.json != NULL && i < json_object_array_length(r.json) && (int)i < n; i++) {
        const char *tid = jstr(json_object_array_get_idx(r.json, i), "task_id");
        char *p2 = it_fmt("/tasks/%s/progress", tid);
        it_resp_t q = call("POST", p2, "{\"status\":\"completed\",\"progress_percentage\":100}", 200);

        it_free(&q);
        free(p2);
    }
    it_free(&r);
}

/* ---- O1, O2 ------------------------------------------------------------------------------ */

static void test_health(void)
{
    it_resp_t r = it_req("GET", "/orchestrator/health", NULL, NULL);

    IT_EXPECT_BODY(&r, 200, "{\"status\":\"ok\"}", "O1 GET /orchestrator/health");
    it_free(&r);
    r = call("GET", "/orchestrator/health/ready", NULL, 200);
    IT_CHECK(jstr(r.json, "status") && strcmp(jstr(r.json, "status"), "ready") == 0 &&
                 strcmp(jstr(r.json, "service"), "project-orchestrator") == 0 &&
                 jstr(r.json, "dependencies.database") && jpath(r.json, "intelligence_components.sources"),
             "O2 ready: %s", it_describe(&r));
    {
        json_object *s = jpath(r.json, "intelligence_components.sources");

        episodes_loaded = 0;
        for (size_t i = 0; s && i < json_object_array_length(s); i++)
            episodes_loaded |= strcmp(jstr(json_object_array_get_idx(s, i), "source"), "episodes") == 0;
    }
    it_free(&r);
}

static void test_setup(void)
{
    const char *projects[3] = {pa, pb, pc};
    char *body, *path;
    it_resp_t r;

    for (int i = 0; i < 4; i++) {
        body = it_fmt("{\"employee_id\":\"%s\",\"name\":\"IT orchestrator %d\"}", emp[i], i + 1);
        r = call("POST", "/employees", body, 201);
        it_free(&r);
        free(body);
    }
    for (int i = 0; i < 3; i++) {
        body = it_fmt("{\"id\":\"%s\",\"name\":\"IT orchestrator\",\"description\":\"d\","
                      "\"status\":\"inactive\"}",
                      projects[i]);
        r = call("POST", "/projects", body, 201);
        it_free(&r);
        free(body);
        path = it_fmt("/projects/%s/team-members-assign", projects[i]);
        body = it_fmt("{\"employee_ids\":[\"%s\",\"%s\",\"%s\",\"%s\"]}", emp[0], emp[1], emp[2], emp[3]);
        r = call("POST", path, body, 200);
        it_free(&r);
        free(body);
        free(path);
        path = it_fmt("/backlogs/%s", projects[i]);
        r = call("POST", path, NULL, 201);
        it_free(&r);
        free(path);
    }
}

/* ---- bad input: 4xx JSON, nothing stored --------------------------------------------------- */

static void test_bad_input(void)
{
    char *path = it_fmt("/orchestrate/project/%s", pa), *pz_path = it_fmt("/orchestrate/project/%s", pz);
    char *mode_path = it_fmt("/orchestrate/intelligence/project/%s/decision-mode", pa);
    char *mode_z = it_fmt("/orchestrate/intelligence/project/%s/decision-mode", pz);
    char *status = it_fmt("/orchestrate/project/%s/status", pa);
    char *detail = it_fmt("Project %s not found.", pz);
    it_resp_t r;
    char *big;

    r = it_json("POST", pz_path, "{}"); /* unknown project */
    IT_EXPECT_ERROR(&r, 404, detail, "O4 unknown project");
    it_free(&r);
    r = it_json("POST", path, "{\"options\":{\"sprint_duration_weeks\":-2}}");
    expect_422_at(&r, "[\"body\",\"options\",\"sprint_duration_weeks\"]", "O4 negative weeks");
    it_free(&r);
    r = it_json("POST", path, "{\"options\":{\"sprint_duration_weeks\":\"two\"}}");
    expect_422_at(&r, "[\"body\",\"options\",\"sprint_duration_weeks\"]", "O4 weeks not a number");
    it_free(&r);
    r = it_json("POST", path, "{\"options\":{\"max_tasks_per_sprint\":0,\"schedule\":\"61 * * * *\"}}");
    expect_422_at(&r, "[\"body\",\"options\",\"max_tasks_per_sprint\"]", "O4 max tasks 0");
    expect_422_at(&r, "[\"body\",\"options\",\"schedule\"]", "O4 bad cron");
    it_free(&r);
    r = it_json("POST", path, "{\"options\":{\"create_cronjob\":\"maybe\",\"schedule_timezone\":\"Mars/Base\"}}");
    expect_422_at(&r, "[\"body\",\"options\",\"create_cronjob\"]", "O4 bad bool");
    expect_422_at(&r, "[\"body\",\"options\",\"schedule_timezone\"]", "O4 bad time zone");
    it_free(&r);
    r = it_json("POST", path, "{\"options\":[1]}");
    expect_422_at(&r, "[\"body\",\"options\"]", "O4 options not an object");
    it_free(&r);
    r = it_req("POST", path, NULL, NULL);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "O4 no body: %s", it_describe(&r));
    it_free(&r);
    r = it_req("POST", path, "{\"options\":", IT_JSON);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "O4 malformed JSON: %s", it_describe(&r));
    it_free(&r);
    big = malloc(1100000);
    memset(big, ' ', 1099999);
    big[0] = '{';
    big[1099998] = '}';
    big[1099999] = '\0';
    r = it_req("POST", path, big, IT_JSON);
    IT_CHECK(r.status == 413 && it_is_json_error(&r), "O4 oversize body: %s", it_describe(&r));
    it_free(&r);
    free(big);
    /* decision mode */
    r = it_json("POST", mode_path, "{\"mode\":\"bogus\"}");
    expect_422_at(&r, "[\"body\",\"mode\"]", "O22 bad mode");
    it_free(&r);
    r = it_json("POST", mode_path, "{}");
    expect_422_at(&r, "[\"body\",\"mode\"]", "O22 missing mode");
    it_free(&r);
    r = it_json("POST", mode_path, "{\"mode\":\"hybrid\",\"confidence_threshold\":2,\"min_similar_projects\":-1}");
    expect_422_at(&r, "[\"body\",\"confidence_threshold\"]", "O22 threshold 2");
    expect_422_at(&r, "[\"body\",\"min_similar_projects\"]", "O22 min_similar_projects -1");
    it_free(&r);
    r = it_json("POST", mode_z, "{\"mode\":\"hybrid\"}");
    IT_EXPECT_ERROR(&r, 404, detail, "O22 unknown project");
    it_free(&r);
    /* nothing stored: no episode, no mode row, no schedule, no sprint */
    IT_CHECK(episode_count(pa) == 0, "no episode after refused decisions");
    IT_CHECK(episode_count(pz) == 0, "no episode for the unknown project");
    r = call("GET", status, NULL, 200);
    IT_CHECK(jbool(r.json, "decision_mode.configured") == 0 &&
                 json_object_array_length(jget(r.json, "cronjobs")) == 0 &&
                 r.body && strstr(r.body, "\"current_sprint\":null") != NULL,
             "O5 after refused writes: %s", it_describe(&r));
    it_free(&r);
    r = it_req("GET", "/orchestrate/project/" "NOPE-UNKNOWN-XYZ" "/status", NULL, NULL);
    IT_CHECK(r.status == 404 && it_is_json_error(&r), "O5 unknown project: %s", it_describe(&r));
    it_free(&r);
    free(path);
    free(pz_path);
    free(mode_path);
    free(mode_z);
    free(status);
    free(detail);
}

/* ---- the first decision: rules, sprint created with the decided count ---------------------- */

static void test_first_decision_rules(void)
{
    it_resp_t r = orchestrate(pa, "{\"options\":{\"max_tasks_per_sprint\":7,\"sprint_duration_weeks\":3}}");
    const char *sid = jstr(r.json, "sprint_id");
    char *path;

    IT_CHECK(jbool(r.json, "decisions.create_new_sprint") == 1 &&
                 jnum(r.json, "decisions.tasks_to_assign") == 7 &&
                 jnum(r.json, "decisions.sprint_duration_weeks") == 3 &&
                 strcmp(jstr(r.json, "decisions.decision_source"), "rule_based_only") == 0 &&
                 jnum(r.json, "analysis.backlog_tasks") == 10 && jnum(r.json, "analysis.team_size") == 4,
             "first decision uses the rules: %s", it_describe(&r));
    IT_CHECK(jstr(r.json, "decisions.baseline_source") != NULL, "baseline source named");
    IT_CHECK(source_entry(r.json, "rules", "baseline") != NULL || strcmp(jstr(r.json, "decisions.baseline_source"), "core_fallback") == 0,
             "rules reported: %s", it_describe(&r));
    IT_CHECK(jstr(r.json, "episode_id") && jstr(r.json, "decision_id") &&
                 strcmp(jstr(r.json, "episode_id"), jstr(r.json, "decision_id")) == 0,
             "episode stored under the decision id: %s", it_describe(&r));
    snprintf(first_episode, sizeof first_episode, "%s", jstr(r.json, "episode_id") ? jstr(r.json, "episode_id") : "");
    IT_CHECK(sid != NULL, "sprint created: %s", it_describe(&r));
    if (sid != NULL) {
        it_resp_t s;

        path = it_fmt("/sprints/%s/task-summary", sid);
        s = call("GET", path, NULL, 200);
        IT_CHECK(jnum(s.json, "total_tasks") == 7, "the Sprint service got 7 tasks: %s", it_describe(&s));
        it_free(&s);
        free(path);
        path = it_fmt("/sprints/%s", sid);
        s = call("GET", path, NULL, 200);
        IT_CHECK(jnum(s.json, "sprint.duration_weeks") == 3, "and 3 weeks: %s", it_describe(&s));
        it_free(&s);
        free(path);
    }
    IT_CHECK(jstr(r.json, "cronjob_name") != NULL, "schedule created: %s", it_describe(&r));
    it_free(&r);
    IT_CHECK(episode_count(pa) == 1, "one episode");
    /* a second decision while the sprint runs: nothing to do, no second sprint */
    r = orchestrate(pa, NULL);
    IT_CHECK(jbool(r.json, "decisions.create_new_sprint") == 0 && jbool(r.json, "decisions.sprint_closure_triggered") == 0,
             "active sprint: no action: %s", it_describe(&r));
    it_free(&r);
}

/* ---- the rules close a finished sprint and delete its schedule ----------------------------- */

static void test_close_by_rules(void)
{
    char *sid = it_fmt("%s-S01", pa), *status = it_fmt("/orchestrate/project/%s/status", pa);
    it_resp_t r;

    finish_tasks(sid, 100);
    r = orchestrate(pa, NULL);
    IT_CHECK(jbool(r.json, "decisions.sprint_closure_triggered") == 1 &&
                 jbool(r.json, "decisions.cronjob_deleted") == 1 && jstr(r.json, "sprint_id") &&
                 strcmp(jstr(r.json, "sprint_id"), sid) == 0,
             "closed by the rules: %s", it_describe(&r));
    it_free(&r);
    r = call("GET", status, NULL, 200);
    IT_CHECK(json_object_array_length(jget(r.json, "cronjobs")) == 0 &&
                 jnum(r.json, "history.outcomes") == 1,
             "schedule gone, outcome recorded: %s", it_describe(&r));
    it_free(&r);
    /* the outcome is on the first episode */
    {
        char *p = it_fmt("/orchestrate/intelligence/episode-insights/%s", pa);
        json_object *rec;
        int ok = 0;

        r = call("GET", p, NULL, 200);
        rec = jpath(r.json, "episode_summary.recent_decisions");
        for (size_t i = 0; rec && i < json_object_array_length(rec); i++) {
            json_object *e = json_object_array_get_idx(rec, i);

            if (jstr(e, "episode_id") && strcmp(jstr(e, "episode_id"), first_episode) == 0)
                ok = jbool(e, "has_outcome") == 1 && jnum(e, "outcome_quality") == 1;
        }
        IT_CHECK(ok, "outcome 7/7 on episode %s: %s", first_episode, it_describe(&r));
        it_free(&r);
        free(p);
    }
    free(sid);
    free(status);
}

/* ---- learning: three sprints that complete 6 of 10, then the committed count changes ------- */

static void test_learning_changes_commitment(void)
{
    char *mode = it_fmt("/orchestrate/intelligence/project/%s/decision-mode", pb);
    char *bl = it_fmt("/backlogs/%s", pb);
    it_resp_t r = call("POST", mode, "{\"mode\":\"hybrid\",\"confidence_threshold\":0.5}", 200);

    IT_CHECK(strcmp(jstr(r.json, "applied_config.mode"), "hybrid") == 0, "O22: %s", it_describe(&r));
    it_free(&r);
    for (int cyc = 0; cyc < 4; cyc++) {
        const char *sid;

        if (cyc > 0) {
            r = call("POST", bl, NULL, 201); /* the ten template tasks unassigned again */
            it_free(&r);
        }
        r = orchestrate(pb, NULL);
        sid = jstr(r.json, "sprint_id");
        IT_CHECK(sid != NULL && jbool(r.json, "decisions.create_new_sprint") == 1,
                 "cycle %d creates a sprint: %s", cyc, it_describe(&r));
        IT_CHECK(strcmp(jstr(r.json, "decisions.intelligence_metadata.decision_mode"), "hybrid") == 0,
                 "the persisted mode is honoured: %s", it_describe(&r));
        snprintf(learn_sid[cyc], sizeof learn_sid[cyc], "%s", sid ? sid : "");
        snprintf(learn_eps[cyc], sizeof learn_eps[cyc], "%s", jstr(r.json, "episode_id") ? jstr(r.json, "episode_id") : "");
        if (cyc == 0) {
            IT_CHECK(jnum(r.json, "decisions.tasks_to_assign") == 10 &&
                         strcmp(jstr(r.json, "decisions.decision_source"), "rule_based_only") == 0,
                     "no history: the rules' 10: %s", it_describe(&r));
        } else if (cyc == 3 && episodes_loaded) {
            json_object *adj = jpath(r.json, "decisions.intelligence_adjustments.task_count_modification");
            double t = jnum(r.json, "decisions.tasks_to_assign");
            json_object *cs = adj ? jpath(adj, "evidence_details.contributions") : NULL, *c0 = NULL;

            for (size_t k = 0; cs && k < json_object_array_length(cs); k++)
                if (strcmp(jstr(json_object_array_get_idx(cs, k), "source"), "episodes") == 0)
                    c0 = json_object_array_get_idx(cs, k);

            IT_CHECK(t >= 5 && t <= 8 && adj != NULL && strcmp(jstr(r.json, "decisions.decision_source"), "hybrid") == 0,
                     "after 3 outcomes of 6/10 the episodes source moves 10 to ~6: %s", it_describe(&r));
            IT_CHECK(c0 && strcmp(jstr(c0, "source"), "episodes") == 0 && jnum(adj, "evidence_count") >= 3 &&
                         jnum(adj, "original_recommendation") == 10 && jnum(adj, "applied_value") == t,
                     "adjustment names the source, evidence and numbers: %s", it_compact(adj));
            if (sid) {
                char *p = it_fmt("/sprints/%s/task-summary", sid);
                it_resp_t s = call("GET", p, NULL, 200);

                IT_CHECK(jnum(s.json, "total_tasks") == t, "the Sprint service created it with %g tasks: %s",
                         t, it_describe(&s));
                it_free(&s);
                free(p);
            }
        }
        it_free(&r);
        if (sid == NULL || learn_sid[cyc][0] == '\0')
            continue;
        if (cyc < 3) {
            char *p = it_fmt("/sprints/%s/close", learn_sid[cyc]);

            finish_tasks(learn_sid[cyc], 6);
            r = call("POST", p, NULL, 200); /* closed by someone else: learned from the retrospective */
            IT_CHECK(jnum(r.json, "completed_tasks_count") == 6, "6 completed: %s", it_describe(&r));
            it_free(&r);
            free(p);
        }
    }
    if (!episodes_loaded)
        fprintf(stderr, "    note: intel_episodes is not loaded; the learned-count checks were skipped\n");
    /* the outcomes are on the right episodes (the last close is learned at the 4th decision) */
    {
        char *p = it_fmt("/orchestrate/intelligence/episode-insights/%s?limit=20", pb);
        json_object *rec;
        int ok = 0;

        r = call("GET", p, NULL, 200);
        rec = jpath(r.json, "episode_summary.recent_decisions");
        for (size_t i = 0; rec && i < json_object_array_length(rec); i++) {
            json_object *e = json_object_array_get_idx(rec, i);

            for (int c = 0; c < 3; c++)
                if (jstr(e, "episode_id") && strcmp(jstr(e, "episode_id"), learn_eps[c]) == 0 &&
                    jnum(e, "outcome_quality") == 0.6)
                    ok++;
        }
        IT_CHECK(ok >= 2, "completion 0.6 written onto the creating episodes (%d): %s", ok, it_describe(&r));
        it_free(&r);
        free(p);
    }
    free(mode);
    free(bl);
}

/* ---- evolution, strategies, replay ------------------------------------------------------ */

static void *evolve_thread(void *arg)
{
    it_resp_t *r = arg;

    *r = it_json("POST", "/strategy/evolve", "{\"min_episodes\":1}");
    return NULL;
}

/* Two daily runs at once (a timer and a command): both complete, one after the other, and no
 * context signature ends up with two active strategies. */
static void test_evolution_runs_serialised(void)
{
    pthread_t t[2];
    it_resp_t r[2];
    int dup = 0, n = 0;

    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, evolve_thread, &r[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 2; i++) {
        IT_CHECK(r[i].status == 200 && jstr(r[i].json, "status") &&
                     strcmp(jstr(r[i].json, "status"), "completed") == 0,
                 "concurrent O8 run %d completes: %s", i, it_describe(&r[i]));
        it_free(&r[i]);
    }
    it_resp_t l = call("GET", "/v1/memory/strategies?knowledge_type=strategy&limit=500", NULL, 200);
    json_object *arr = jget(l.json, "strategies");
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        const char *a = jstr(json_object_array_get_idx(arr, i), "content.context_signature");

        if (a == NULL)
            continue;
        n++;
        for (size_t j = i + 1; j < json_object_array_length(arr); j++) {
            const char *b = jstr(json_object_array_get_idx(arr, j), "content.context_signature");

            dup += b != NULL && strcmp(a, b) == 0;
        }
    }
    IT_CHECK(n >= 1 && dup == 0, "active strategies %d, duplicated signatures %d", n, dup);
    it_free(&l);
}

static void test_evolution_and_strategies(void)
{
    char *p = it_fmt("/strategy/evolve/project/%s", pb), *pz9 = it_fmt("/strategy/evolve/project/%s", pz);
    it_resp_t r = call("POST", p, NULL, 200);
    const char *sid = NULL;
    char id[64] = "";

    IT_CHECK(strcmp(jstr(r.json, "status"), "completed") == 0 && jnum(r.json, "patterns_extracted") >= 1,
             "O9 learns from 3+ outcomes: %s", it_describe(&r));
    if (jget(r.json, "strategy_ids") && json_object_array_length(jget(r.json, "strategy_ids")) > 0) {
        sid = json_object_get_string(json_object_array_get_idx(jget(r.json, "strategy_ids"), 0));
        snprintf(id, sizeof id, "%s", sid);
    }
    it_free(&r);
    r = it_req("POST", pz9, NULL, NULL);
    IT_CHECK(r.status == 404 && it_is_json_error(&r), "O9 unknown project: %s", it_describe(&r));
    it_free(&r);
    r = call("POST", "/strategy/evolve", "{\"min_episodes\":1}", 200);
    IT_CHECK(strcmp(jstr(r.json, "status"), "completed") == 0 && jbool(r.json, "forced_evolution") == 1 &&
                 jnum(r.json, "summary.total_phases") == 4,
             "O8 forced: %s", it_describe(&r));
    it_free(&r);
    r = it_json("POST", "/strategy/evolve", "[1]");
    IT_CHECK(r.status == 422 && it_is_json_error(&r), "O8 non-object body: %s", it_describe(&r));
    it_free(&r);
    r = call("GET", "/strategy/status", NULL, 200);
    IT_CHECK(strcmp(jstr(r.json, "system_status"), "operational") == 0 && jget(r.json, "last_evolution"),
             "O7: %s", it_describe(&r));
    it_free(&r);
    r = call("GET", "/strategy/analytics", NULL, 200);
    IT_CHECK(jnum(r.json, "total_strategies") >= 1, "O10: %s", it_describe(&r));
    it_free(&r);
    r = call("GET", "/strategy/list?limit=1000", NULL, 200);
    IT_CHECK(id[0] == '\0' || strstr(r.body, id) != NULL, "O11 lists the new strategy: %s", it_describe(&r));
    it_free(&r);
    r = it_req("GET", "/strategy/list?limit=0", NULL, NULL);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "O11 limit 0: %s", it_describe(&r));
    it_free(&r);
    r = call("GET", "/strategy/health", NULL, 200);
    IT_CHECK(jstr(r.json, "overall_status") != NULL, "O14: %s", it_describe(&r));
    it_free(&r);
    r = it_req("GET", "/strategy/not-a-uuid/performance", NULL, NULL);
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "O12 bad id: %s", it_describe(&r));
    it_free(&r);
    r = it_req("GET", "/strategy/00000000-0000-4000-8000-000000000000/performance", NULL, NULL);
    IT_CHECK(r.status == 404 && it_is_json_error(&r), "O12 unknown id: %s", it_describe(&r));
    it_free(&r);
    r = it_req("POST", "/strategy/not-a-uuid/deactivate", NULL, NULL);
    IT_CHECK(r.status == 422, "O13 bad id: %s", it_describe(&r));
    it_free(&r);
    r = it_req("POST", "/strategy/00000000-0000-4000-8000-000000000000/deactivate", NULL, NULL);
    IT_CHECK(r.status == 404 && it_is_json_error(&r), "O13 unknown id: %s", it_describe(&r));
    it_free(&r);
    if (id[0] != '\0') {
        char *q = it_fmt("/strategy/%s/performance?days=30", id);

        r = call("GET", q, NULL, 200);
        IT_CHECK(jget(r.json, "performance_history") != NULL, "O12: %s", it_describe(&r));
        it_free(&r);
        free(q);
        q = it_fmt("/strategy/%s/deactivate?reason=test", id);
        r = call("POST", q, NULL, 200);
        IT_CHECK(strcmp(jstr(r.json, "reason"), "test") == 0, "O13: %s", it_describe(&r));
        it_free(&r);
        free(q);
        /* the retired strategy is not rebuilt from the episodes that retired it */
        r = call("POST", p, NULL, 200);
        IT_CHECK(jnum(r.json, "run.phases.pattern_extraction.extraction_stats."
                              "retired_groups_without_new_evidence") >= 1 &&
                     jnum(r.json, "strategies_generated") == 0,
                 "O9 after deactivation creates no strategy from old evidence: %s", it_describe(&r));
        it_free(&r);
    }
    test_evolution_runs_serialised();
    free(p);
    free(pz9);
}

static void test_replay(void)
{
    char *body = it_fmt("{\"project_id\":\"%s\",\"sources\":[\"episodes\"],\"mode\":\"hybrid\"}", pb);
    it_resp_t r = it_json("POST", "/orchestrate/replay", body);

    if (r.status == 404 && r.body && strcmp(r.body, "{\"detail\":\"Not Found\"}") == 0) {
        fprintf(stderr, "    note: nginx has no location for /orchestrate/replay yet; replay checks skipped\n");
        it_free(&r);
        free(body);
        return;
    }
    IT_CHECK(r.status == 200 && jnum(r.json, "summary.decisions") >= 4 && jnum(r.json, "summary.with_outcome") >= 3,
             "replay of the learning project: %s", it_describe(&r));
    IT_CHECK(jnum(r.json, "summary.mean_abs_error_replayed") >= 0, "errors reported: %s", it_describe(&r));
    it_free(&r);
    r = it_json("POST", "/orchestrate/replay", "{}");
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "replay without ids or project: %s", it_describe(&r));
    it_free(&r);
    r = it_json("POST", "/orchestrate/replay", "{\"episode_ids\":[\"nope\"]}");
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "replay bad id: %s", it_describe(&r));
    it_free(&r);
    r = it_json("POST", "/orchestrate/replay", "{\"project_id\":\"x\",\"mode\":\"bogus\",\"sources\":[\"Bad Name\"]}");
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "replay bad mode/sources: %s", it_describe(&r));
    it_free(&r);
    free(body);
}

/* ---- schedules: O5 lists, O6 deletes, one real firing exactly once ------------------------ */

static void test_schedules(void)
{
    char *status = it_fmt("/orchestrate/project/%s/status", pc), *del, *name;
    it_resp_t r = orchestrate(pc, "{\"options\":{\"schedule\":\"* * * * *\"}}");
    json_object *job = NULL;
    int fired = 0;

    name = it_fmt("run-dailyscrum-%s-%s-s01", pc, pc);
    for (char *c = name; *c; c++)
        *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
    IT_CHECK(jstr(r.json, "cronjob_name") && strcmp(jstr(r.json, "cronjob_name"), name) == 0,
             "schedule %s created: %s", name, it_describe(&r));
    it_free(&r);
    /* wait for one due minute (ticks every 5 s in each of the two instances) */
    for (int i = 0; i < 80 && !fired; i++) {
        r = call("GET", status, NULL, 200);
        job = jget(r.json, "cronjobs") ? json_object_array_get_idx(jget(r.json, "cronjobs"), 0) : NULL;
        if (job && jstr(job, "last_status") && strcmp(jstr(job, "last_status"), "firing") != 0) {
            fired = 1;
            IT_CHECK(strcmp(jstr(job, "last_status"), "ok") == 0 && jnum(job, "run_count") == 1 &&
                         jstr(job, "last_schedule_time") != NULL,
                     "fired once, by one instance: %s", it_compact(job));
        }
        it_free(&r);
        if (!fired)
            sleep(1);
    }
    IT_CHECK(fired, "the schedule fired within 80 s");
    del = it_fmt("/orchestrate/project/%s/cronjob/%s", pc, "no-such-job");
    r = it_req("DELETE", del, NULL, NULL);
    IT_CHECK(r.status == 404 && it_is_json_error(&r), "O6 unknown: %s", it_describe(&r));
    it_free(&r);
    free(del);
    del = it_fmt("/orchestrate/project/%s/cronjob/%s", pa, name); /* another project's */
    r = it_req("DELETE", del, NULL, NULL);
    IT_CHECK(r.status == 404, "O6 checks the project: %s", it_describe(&r));
    it_free(&r);
    free(del);
    del = it_fmt("/orchestrate/project/%s/cronjob/%s", pc, name);
    r = call("DELETE", del, NULL, 200);
    IT_CHECK(strcmp(jstr(r.json, "status"), "deleted") == 0, "O6: %s", it_describe(&r));
    it_free(&r);
    free(del);
    r = call("GET", status, NULL, 200);
    IT_CHECK(json_object_array_length(jget(r.json, "cronjobs")) == 0, "O5 after O6: %s", it_describe(&r));
    it_free(&r);
    /* the next decision recreates it (R2b self-healing) */
    r = orchestrate(pc, NULL);
    IT_CHECK(jbool(r.json, "decisions.cronjob_created") == 1 && jstr(r.json, "cronjob_name"),
             "self-healing: %s", it_describe(&r));
    it_free(&r);
    free(status);
    free(name);
}

/* ---- the intelligence endpoints ----------------------------------------------------------- */

static void test_intelligence_endpoints(void)
{
    static const char *const ok200[] = {
        "/orchestrate/intelligence/project/%s/insights",
        "/orchestrate/intelligence/data-quality/%s",
        "/orchestrate/intelligence/performance/metrics/%s",
        "/orchestrate/intelligence/decision-impact/%s",
        "/orchestrate/intelligence/decision-audit/%s",
        "/orchestrate/intelligence/hybrid-patterns/%s",
        "/orchestrate/intelligence/episode-insights/%s",
        "/orchestrate/intelligence/performance/hybrid-metrics/%s",
        "/orchestrate/intelligence/patterns/velocity-trends/%s",
    };
    it_resp_t r;

    for (size_t i = 0; i < sizeof ok200 / sizeof *ok200; i++) {
        char *p = it_fmt(ok200[i], pb);

        r = call("GET", p, NULL, 200);
        it_free(&r);
        free(p);
    }
    {
        char *p = it_fmt("/orchestrate/intelligence/hybrid-patterns/%s", pb);

        r = call("GET", p, NULL, 200);
        IT_CHECK(jbool(r.json, "hybrid_analysis_available") == 1 &&
                     jnum(r.json, "episode_context.episodes_used_for_context") >= 3,
                 "O24 uses the stored episodes: %s", it_describe(&r));
        it_free(&r);
        free(p);
        p = it_fmt("/orchestrate/intelligence/patterns/similar-projects/%s", pb);
        r = it_req("GET", p, NULL, NULL);
        IT_CHECK((r.status == 200 || r.status == 404) && it_is_json_ct(&r), "O16 works: %s", it_describe(&r));
        it_free(&r);
        free(p);
        p = it_fmt("/orchestrate/intelligence/decision-impact/%s?start_date=yesterday", pb);
        r = it_req("GET", p, NULL, NULL);
        IT_CHECK(r.status == 422 && it_is_detail_list(&r), "O21 bad date: %s", it_describe(&r));
        it_free(&r);
        free(p);
        p = it_fmt("/orchestrate/intelligence/episode-insights/%s?limit=0", pb);
        r = it_req("GET", p, NULL, NULL);
        IT_CHECK(r.status == 422, "O25 limit 0: %s", it_describe(&r));
        it_free(&r);
        free(p);
        p = it_fmt("/orchestrate/intelligence/decision-audit/%s", pz);
        r = it_req("GET", p, NULL, NULL);
        IT_CHECK(r.status == 404 && it_is_json_error(&r), "O23 none: %s", it_describe(&r));
        it_free(&r);
        free(p);
    }
    r = call("GET", "/orchestrate/intelligence/models/health", NULL, 200);
    IT_CHECK(jstr(r.json, "chronicle_service_connectivity") != NULL, "O18: %s", it_describe(&r));
    it_free(&r);
    r = it_req("GET", "/orchestrator/metrics", NULL, NULL);
    IT_CHECK(r.status == 200, "O3 metrics: %s", it_describe(&r));
    it_free(&r);
}

DSM_SUITE("integration/orchestrator", suite_init, NULL, DSM_TEST(test_health), DSM_TEST(test_setup),
          DSM_TEST(test_bad_input), DSM_TEST(test_first_decision_rules), DSM_TEST(test_close_by_rules),
          DSM_TEST(test_learning_changes_commitment), DSM_TEST(test_evolution_and_strategies),
          DSM_TEST(test_replay), DSM_TEST(test_schedules), DSM_TEST(test_intelligence_endpoints))
