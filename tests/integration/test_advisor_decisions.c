/*
 * test_advisor_decisions.c — issue 6 through real decisions: the AI advisor against the Ollama
 * stand-in that tests/run.sh starts (build/tests/standin/ollama_standin, exported as
 * DSM_OLLAMA_URL; core/tools/stack.sh hands it to the orchestrator pool as
 * conf.advisor.ollama_url). "The decision is never delayed past its deadline and never fails
 * because of the advisor."
 *
 * Every case is one POST /orchestrate/project/{id} through nginx with options that execute
 * nothing (no sprint, no task assignment, no schedule) for a project of this run with a team
 * and a backlog. The stand-in is switched with POST /_standin/mode before each decision:
 *
 *   good         advisor "ok", ai_agent_advisory = the parsed answer (enabled, model,
 *                generation_time_ms, a summary naming the project, ≤ 3 recommendations, risk)
 *   broken_json  advisor "ok", enabled, the parser's fallback summary/recommendation, risk Low
 *   slow         the answer comes later than the advisor's budget and the decision deadline:
 *                advisor "ok" (it gives up just before the deadline; "late" with the
 *                orchestrator's fallback is tolerated), enabled false, "Advisory timeout - …",
 *                fallback "AI advisor unavailable - …"
 *   close        "server down": the stand-in must keep serving the pool's URL (the memory
 *                plugin's embeddings use it too), so down is simulated by a server that accepts
 *                the request and hangs up without an answer (mode close): advisor "ok",
 *                enabled false, "Advisory generation failed: …", the same fallback
 *   error        HTTP 500 from the model server: as close
 *   good again   the advisor answers normally after the failures
 *
 * and for every decision: HTTP 200, the decision members present, the numbers identical to the
 * good case (the advisor only explains), nothing executed, the server-reported
 * performance_metrics.decision_ms ≤ decision_deadline_ms + AD_MARGIN_MS, the advisor's
 * reported ms ≤ its budget_ms, and the stand-in got this decision's prompt. No wall-clock
 * measurement is asserted.
 *
 * The "ollama" circuit breaker (per instance: ≥ 3 calls in 10 s with half or more failed opens
 * it for 30 s) would turn the later cases — and the integration/advisor suite that runs after
 * this one — into "Circuit breaker is OPEN". Before each failing case both orchestrator
 * instances therefore get AD_PRIME successful advisor calls through the admin endpoint
 * (POST $DSM_TEST_ADMIN_URL/admin/orchestrator/<n>/intel/run), and the last test checks that
 * both breakers are still closed.
 *
 * decision_deadline_ms: $DSM_TEST_DECISION_DEADLINE_MS, else conf.orchestrator.
 * decision_deadline_ms of $DSM_VAR/etc/orchestrator-1.conf, else the default 3000.
 *
 * Without DSM_OLLAMA_URL the suite prints SKIP and passes. With it, a missing orchestrator
 * pool, an unreachable stand-in or an advisor that is not configured is a failure.
 */
#include "dsm_test.h"
#include "it_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define AD_DEFAULT_DEADLINE_MS 3000.0 /* conf.orchestrator.decision_deadline_ms default */
#define AD_MARGIN_MS 300.0            /* after the deadline: actions (none here), the reply */
#define AD_PRIME 3                    /* successful advisor calls per instance before a failure */
#define AD_TIMEOUT_TEXT "Advisory timeout - proceeding with standard decision"
#define AD_FALLBACK_TEXT "AI advisor unavailable - using standard decision process"
#define AD_NO_JSON_SUMMARY "Decision processed successfully with available data."
#define AD_BAD_JSON_SUMMARY "Decision completed based on available project data and rules."
#define AD_DECISION_BODY                                                                           \
    "{\"options\":{\"create_sprint_if_needed\":false,\"assign_tasks\":false,"                      \
    "\"create_cronjob\":false}}"

static int ad_state;             /* 0 not checked, 1 ready, -1 skip, -2 failed to set up */
static char ad_standin[256];     /* the stand-in's base URL, without a trailing slash */
static char ad_pid[24];          /* this run's project */
static char ad_emp[3][32];
static double ad_deadline_ms = AD_DEFAULT_DEADLINE_MS;
static double ad_budget_ms = 5000; /* the advisor's budget_ms, as the first decision reports it */
static int ad_have_ref;          /* the good decision's numbers, for the other cases */
static int ad_ref_create;
static double ad_ref_tasks, ad_ref_weeks;
static char ad_ref_source[64];

/* ---- JSON helpers ------------------------------------------------------------------------ */

static json_object *jget(json_object *o, const char *key)
{
    json_object *v = NULL;

    return o != NULL && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v)
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

static int jis_num(json_object *v)
{
    return v != NULL && (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double));
}

static double jnum(json_object *o, const char *path)
{
    json_object *v = jpath(o, path);

    return jis_num(v) ? json_object_get_double(v) : -999;
}

static int jbool(json_object *o, const char *path)
{
    json_object *v = jpath(o, path);

    return v != NULL && json_object_is_type(v, json_type_boolean) ? json_object_get_boolean(v) : -1;
}

static int jstreq(json_object *o, const char *path, const char *want)
{
    const char *s = jstr(o, path);

    return s != NULL && strcmp(s, want) == 0;
}

/* ---- the stand-in and the admin server ----------------------------------------------------- */

static it_resp_t ad_standin_req(const char *method, const char *path, const char *json)
{
    it_raw_t raw = {.base = ad_standin,
                    .method = method,
                    .path = path,
                    .body = json,
                    .body_len = json ? strlen(json) : 0,
                    .content_type = json ? IT_JSON : NULL};

    return it_send(&raw);
}

static int ad_mode(const char *json)
{
    it_resp_t r = ad_standin_req("POST", "/_standin/mode", json);
    int ok = r.status == 200;

    IT_CHECK(ok, "stand-in POST /_standin/mode %s -> %s", json, it_describe(&r));
    it_free(&r);
    return ok;
}

/* The stand-in's generate counter, or -1. */
static long ad_generate_count(void)
{
    it_resp_t r = ad_standin_req("GET", "/_standin/stats", NULL);
    long n = r.status == 200 && jis_num(jget(r.json, "generate")) ? (long)jnum(r.json, "generate") : -1;

    it_free(&r);
    return n;
}

/* Successful advisor calls on both orchestrator instances (the stand-in must be in mode good):
 * keeps each instance's "ollama" breaker closed through the failures that follow. */
static void ad_prime_breakers(const char *what)
{
    for (int inst = 1; inst <= 2; inst++) {
        char *path = it_fmt("/admin/orchestrator/%d/intel/run", inst);

        for (int i = 0; i < AD_PRIME; i++) {
            char *body = it_fmt("{\"project_id\":\"%s-PRIME-%d\"}", ad_pid, i);
            it_resp_t r = it_admin_req("POST", path, body, IT_JSON);
            json_object *src = r.json ? it_array_find(jget(r.json, "sources"), "source", "advisor") : NULL;

            IT_CHECK(r.status == 200 && src != NULL && jbool(src, "insight.enabled") == 1,
                     "%s: priming the advisor of orchestrator instance %d (call %d) -> %s", what, inst,
                     i + 1, src ? it_compact(src) : it_describe(&r));
            it_free(&r);
            free(body);
        }
        free(path);
    }
}

/* The state of orchestrator instance inst's "ollama" breaker ("closed" when it was never used). */
static char *ad_breaker_state(int inst)
{
    char *path = it_fmt("/admin/orchestrator/%d/status", inst), *state;
    it_resp_t r = it_admin_req("GET", path, NULL, NULL);
    json_object *b = r.status == 200 ? it_array_find(jget(r.json, "breakers"), "name", "ollama") : NULL;

    if (r.status != 200)
        state = it_fmt("(admin status %ld)", r.status);
    else
        state = it_fmt("%s", b && jstr(b, "state") ? jstr(b, "state") : "closed");
    it_free(&r);
    free(path);
    return state;
}

/* ---- the decision ---------------------------------------------------------------------------- */

static double ad_conf_deadline(void)
{
    const char *env = getenv("DSM_TEST_DECISION_DEADLINE_MS"), *var = getenv("DSM_VAR");
    double ms = AD_DEFAULT_DEADLINE_MS;
    char line[512];
    FILE *f;

    if (env != NULL && *env != '\0' && atof(env) > 0)
        return atof(env);
    if (var == NULL || *var == '\0')
        return ms;
    {
        char *path = it_fmt("%s/etc/orchestrator-1.conf", var);

        f = fopen(path, "r");
        free(path);
    }
    if (f == NULL)
        return ms;
    while (fgets(line, sizeof line, f) != NULL) {
        const char *key = "conf.orchestrator.decision_deadline_ms";
        char *p = line;

        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, key, strlen(key)) != 0)
            continue;
        p += strlen(key);
        while (*p == ' ' || *p == '\t' || *p == '=')
            p++;
        if (atof(p) > 0)
            ms = atof(p);
    }
    fclose(f);
    return ms;
}

/* The advisor's entry of the explain pass in decisions.intelligence_sources, or NULL. */
static json_object *ad_advisor_entry(json_object *resp)
{
    json_object *arr = jpath(resp, "decisions.intelligence_sources");

    for (size_t i = 0; arr != NULL && json_object_is_type(arr, json_type_array) && i < json_object_array_length(arr); i++) {
        json_object *e = json_object_array_get_idx(arr, i);

        if (jstreq(e, "source", "advisor") && jstreq(e, "phase", "explain"))
            return e;
    }
    return NULL;
}

typedef struct {
    it_resp_t r;
    json_object *advisor;  /* the explain-pass entry (owned by r.json) */
    json_object *advisory; /* ai_agent_advisory (owned by r.json) */
    const char *status;    /* the advisor's status */
} ad_decision_t;

/*
 * One decision with the stand-in in its current mode, and the checks every case shares: 200,
 * the decision members, nothing executed, the same numbers as the good case, decision_ms within
 * the deadline, the advisor's ms within its budget, and this decision's prompt at the stand-in.
 */
static ad_decision_t ad_decide(const char *what)
{
    char *path = it_fmt("/orchestrate/project/%s", ad_pid);
    long before = ad_generate_count();
    ad_decision_t d = {0};
    json_object *j, *dec;
    double ms;

    d.r = it_json("POST", path, AD_DECISION_BODY);
    free(path);
    j = d.r.json;
    dec = jget(j, "decisions");
    IT_CHECK(d.r.status == 200 && it_is_json_ct(&d.r) && json_object_is_type(dec, json_type_object),
             "%s: POST /orchestrate/project/%s -> %s", what, ad_pid, it_describe(&d.r));
    if (d.r.status != 200 || dec == NULL)
        return d;
    /* the decision is complete */
    IT_CHECK(jstreq(j, "project_id", ad_pid) && jstr(j, "decision_id") != NULL &&
                 json_object_is_type(jget(j, "analysis"), json_type_object),
             "%s: project_id / decision_id / analysis: %s", what, it_describe(&d.r));
    IT_CHECK(jbool(dec, "create_new_sprint") >= 0 && jis_num(jget(dec, "tasks_to_assign")) &&
                 jis_num(jget(dec, "sprint_duration_weeks")) && jstr(dec, "decision_source") != NULL &&
                 jstr(dec, "reasoning") != NULL && jstr(dec, "baseline_source") != NULL &&
                 json_object_is_type(jget(dec, "warnings"), json_type_array) &&
                 json_object_is_type(jget(dec, "intelligence_sources"), json_type_array) &&
                 json_object_is_type(jget(dec, "confidence_scores"), json_type_object),
             "%s: decision members missing: %s", what, it_compact(dec));
    /* options that execute nothing: nothing executed */
    IT_CHECK(jbool(dec, "create_new_sprint") == 0 && jpath(j, "sprint_id") == NULL &&
                 jpath(j, "cronjob_name") == NULL,
             "%s: the decision executed something: create_new_sprint %d, sprint_id %s, cronjob %s", what,
             jbool(dec, "create_new_sprint"), it_compact(jget(j, "sprint_id")),
             it_compact(jget(j, "cronjob_name")));
    /* the advisor cannot change the decision */
    if (ad_have_ref)
        IT_CHECK(jbool(dec, "create_new_sprint") == ad_ref_create && jnum(dec, "tasks_to_assign") == ad_ref_tasks &&
                     jnum(dec, "sprint_duration_weeks") == ad_ref_weeks &&
                     jstreq(dec, "decision_source", ad_ref_source),
                 "%s: the decision differs from the good case (create %d, %g tasks, %g weeks, %s): "
                 "create %d, %g tasks, %g weeks, %s",
                 what, ad_ref_create, ad_ref_tasks, ad_ref_weeks, ad_ref_source, jbool(dec, "create_new_sprint"),
                 jnum(dec, "tasks_to_assign"), jnum(dec, "sprint_duration_weeks"),
                 jstr(dec, "decision_source") ? jstr(dec, "decision_source") : "(none)");
    /* never delayed past the deadline: the server's own measure */
    ms = jnum(j, "performance_metrics.decision_ms");
    IT_CHECK(jis_num(jpath(j, "performance_metrics.decision_ms")) && ms >= 0 &&
                 ms <= ad_deadline_ms + AD_MARGIN_MS,
             "%s: performance_metrics.decision_ms = %s, wanted <= decision_deadline_ms %.0f + %.0f", what,
             it_compact(jpath(j, "performance_metrics.decision_ms")), ad_deadline_ms, AD_MARGIN_MS);
    /* the advisor's entry: phase explain, within its budget */
    d.advisor = ad_advisor_entry(j);
    d.status = jstr(d.advisor, "status");
    d.advisory = jget(j, "ai_agent_advisory");
    IT_CHECK(d.advisor != NULL && d.status != NULL, "%s: no advisor entry of phase explain in %s", what,
             it_compact(jget(dec, "intelligence_sources")));
    if (d.advisor != NULL) {
        double ams = jnum(d.advisor, "ms"), budget = jnum(d.advisor, "budget_ms");

        IT_CHECK(jis_num(jget(d.advisor, "ms")) && jis_num(jget(d.advisor, "budget_ms")) && budget > 0 &&
                     ams >= 0 && ams <= budget && ams <= ad_deadline_ms + AD_MARGIN_MS,
                 "%s: the advisor's ms %g exceeds its budget_ms %g (or the decision deadline %.0f): %s", what,
                 ams, budget, ad_deadline_ms, it_compact(d.advisor));
        IT_CHECK(json_object_array_length(jget(d.advisor, "proposals")) == 0,
                 "%s: the advisor proposed numbers: %s", what, it_compact(d.advisor));
        IT_CHECK(jbool(d.advisor, "used") != 1, "%s: the advisor was used for the numbers: %s", what,
                 it_compact(d.advisor));
    }
    if (d.status != NULL && strcmp(d.status, "declined") == 0)
        IT_CHECK(0,
                 "%s: the advisor declined (%s): the orchestrator pool has no conf.advisor.ollama_url although "
                 "DSM_OLLAMA_URL=%s is set — restart the test stack with it (tests/run.sh does)",
                 what, it_compact(d.advisory), ad_standin);
    IT_CHECK(json_object_is_type(d.advisory, json_type_object), "%s: ai_agent_advisory is %s", what,
             it_compact(d.advisory));
    /* the decision's prompt reached the stand-in the test steers */
    {
        it_resp_t s = ad_standin_req("GET", "/_standin/stats", NULL);
        const char *prompt = jstr(s.json, "last_generate.prompt");
        char *needle = it_fmt("Project ID: %s\n", ad_pid);

        IT_CHECK(before >= 0 && jnum(s.json, "generate") > (double)before && prompt != NULL &&
                     strstr(prompt, needle) != NULL,
                 "%s: the stand-in at %s did not get this decision's prompt (generate %ld -> %g; "
                 "advisory %s): is the orchestrator pool configured with DSM_OLLAMA_URL?",
                 what, ad_standin, before, jnum(s.json, "generate"), it_compact(d.advisory));
        free(needle);
        it_free(&s);
    }
    return d;
}

/* The advisory of a failed or timed-out advisor call (§7.5 fallback rules). */
static void ad_expect_unavailable(const ad_decision_t *d, const char *what, const char *error_prefix)
{
    const char *err = jstr(d->advisory, "error"), *fb = jstr(d->advisory, "fallback");

    IT_CHECK(jbool(d->advisory, "enabled") == 0, "%s: ai_agent_advisory not disabled: %s", what,
             it_compact(d->advisory));
    IT_CHECK(err != NULL && strncmp(err, error_prefix, strlen(error_prefix)) == 0,
             "%s: ai_agent_advisory.error should start with \"%s\": %s", what, error_prefix,
             it_compact(d->advisory));
    IT_CHECK(fb != NULL && strstr(fb, "AI advisor unavailable") != NULL && strcmp(fb, AD_FALLBACK_TEXT) == 0,
             "%s: ai_agent_advisory.fallback: %s", what, it_compact(d->advisory));
    IT_CHECK(jis_num(jget(d->advisory, "generation_time_ms")) &&
                 jnum(d->advisory, "generation_time_ms") <= ad_budget_ms,
             "%s: generation_time_ms: %s", what, it_compact(d->advisory));
    IT_CHECK(jget(d->advisory, "summary") == NULL, "%s: a summary without an answer: %s", what,
             it_compact(d->advisory));
}

/* ---- the tests --------------------------------------------------------------------------- */

static int suite_init(void)
{
    unsigned v = (unsigned)getpid() * 7919u + (unsigned)time(NULL);

    snprintf(ad_pid, sizeof ad_pid, "ADV%06u", v % 1000000u);
    for (int i = 0; i < 3; i++)
        snprintf(ad_emp[i], sizeof ad_emp[i], "%s-E%d", ad_pid, i + 1);
    return 0;
}

/* Restore the stand-in to mode good whatever happened. */
static int suite_cleanup(void)
{
    if (ad_standin[0] != '\0') {
        it_resp_t r = ad_standin_req("POST", "/_standin/mode", "{\"generate\":\"good\",\"delay_ms\":0}");

        if (r.status != 200)
            fprintf(stderr, "advisor_decisions: could not restore the stand-in to mode good: %s\n",
                    it_describe(&r));
        it_free(&r);
    }
    return 0;
}

static int ad_ready(void)
{
    return ad_state == 1;
}

static void test_setup(void)
{
    const char *url = getenv("DSM_OLLAMA_URL");
    it_resp_t r;
    size_t n;

    if (url == NULL || *url == '\0') {
        printf("\n  SKIP: DSM_OLLAMA_URL is not set (tests/run.sh starts the Ollama stand-in and sets it)\n");
        ad_state = -1;
        return;
    }
    ad_state = -2;
    n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    snprintf(ad_standin, sizeof ad_standin, "%.*s", (int)n, url);
    r = it_req("GET", "/orchestrator/health", NULL, NULL);
    IT_CHECK(r.status == 200,
             "DSM_OLLAMA_URL=%s is set, but the orchestrator pool does not answer GET /orchestrator/health "
             "at %s (%s): the test stack should be running with the advisor pointed at the stand-in",
             ad_standin, it_base_url(), it_describe(&r));
    if (r.status != 200) {
        it_free(&r);
        return;
    }
    it_free(&r);
    if (!ad_mode("{\"generate\":\"good\",\"delay_ms\":0}"))
        return;
    /* a project with a team of three and a backlog */
    for (int i = 0; i < 3; i++) {
        char *body = it_fmt("{\"employee_id\":\"%s\",\"name\":\"IT advisor %d\"}", ad_emp[i], i + 1);

        r = it_json("POST", "/employees", body);
        IT_CHECK(r.status == 201, "POST /employees %s -> %s", ad_emp[i], it_describe(&r));
        it_free(&r);
        free(body);
    }
    {
        char *body = it_fmt("{\"id\":\"%s\",\"name\":\"IT advisor decisions\",\"description\":\"d\","
                            "\"status\":\"inactive\"}",
                            ad_pid);
        char *path = it_fmt("/projects/%s/team-members-assign", ad_pid);
        char *team = it_fmt("{\"employee_ids\":[\"%s\",\"%s\",\"%s\"]}", ad_emp[0], ad_emp[1], ad_emp[2]);
        char *bl = it_fmt("/backlogs/%s", ad_pid);
        int ok;

        r = it_json("POST", "/projects", body);
        ok = r.status == 201;
        IT_CHECK(ok, "POST /projects %s -> %s", ad_pid, it_describe(&r));
        it_free(&r);
        r = it_json("POST", path, team);
        ok &= r.status == 200;
        IT_CHECK(r.status == 200, "POST %s -> %s", path, it_describe(&r));
        it_free(&r);
        r = it_req("POST", bl, NULL, NULL);
        ok &= r.status == 201;
        IT_CHECK(r.status == 201, "POST %s -> %s", bl, it_describe(&r));
        it_free(&r);
        free(body);
        free(path);
        free(team);
        free(bl);
        if (!ok)
            return;
    }
    ad_deadline_ms = ad_conf_deadline();
    ad_state = 1;
}

static void test_good(void)
{
    if (!ad_ready())
        return;
    ad_mode("{\"generate\":\"good\",\"delay_ms\":0}");
    ad_decision_t d = ad_decide("good");
    json_object *dec = jget(d.r.json, "decisions"), *recs = jget(d.advisory, "recommendations");
    const char *sum = jstr(d.advisory, "summary"), *risk = jstr(d.advisory, "risk_assessment");

    if (d.advisor != NULL && jnum(d.advisor, "budget_ms") > 0)
        ad_budget_ms = jnum(d.advisor, "budget_ms");
    if (dec != NULL) {
        ad_have_ref = 1;
        ad_ref_create = jbool(dec, "create_new_sprint");
        ad_ref_tasks = jnum(dec, "tasks_to_assign");
        ad_ref_weeks = jnum(dec, "sprint_duration_weeks");
        snprintf(ad_ref_source, sizeof ad_ref_source, "%s",
                 jstr(dec, "decision_source") ? jstr(dec, "decision_source") : "");
    }
    IT_CHECK(d.status != NULL && strcmp(d.status, "ok") == 0, "good: advisor status %s: %s",
             d.status ? d.status : "(none)", it_compact(d.advisor));
    IT_CHECK(jbool(d.advisory, "enabled") == 1 && jget(d.advisory, "error") == NULL,
             "good: ai_agent_advisory not enabled: %s", it_compact(d.advisory));
    IT_CHECK(sum != NULL && strstr(sum, ad_pid) != NULL && strlen(sum) <= 500,
             "good: the summary is not the model's answer about %s: %s", ad_pid, it_compact(d.advisory));
    IT_CHECK(risk != NULL && (!strcmp(risk, "Low") || !strcmp(risk, "Medium") || !strcmp(risk, "High")),
             "good: risk_assessment: %s", it_compact(d.advisory));
    IT_CHECK(json_object_is_type(recs, json_type_array) && json_object_array_length(recs) >= 1 &&
                 json_object_array_length(recs) <= 3,
             "good: recommendations: %s", it_compact(d.advisory));
    IT_CHECK(jstr(d.advisory, "model") != NULL && jis_num(jget(d.advisory, "generation_time_ms")) &&
                 jnum(d.advisory, "generation_time_ms") <= ad_budget_ms,
             "good: model / generation_time_ms: %s", it_compact(d.advisory));
    it_free(&d.r);
}

static void test_broken_json(void)
{
    if (!ad_ready())
        return;
    ad_mode("{\"generate\":\"broken_json\",\"delay_ms\":0}");
    ad_decision_t d = ad_decide("broken json");
    const char *sum = jstr(d.advisory, "summary");
    json_object *recs = jget(d.advisory, "recommendations");

    IT_CHECK(d.status != NULL && strcmp(d.status, "ok") == 0, "broken json: advisor status %s: %s",
             d.status ? d.status : "(none)", it_compact(d.advisor));
    IT_CHECK(jbool(d.advisory, "enabled") == 1 && jget(d.advisory, "error") == NULL,
             "broken json: the answer came, the advisory should be enabled: %s", it_compact(d.advisory));
    IT_CHECK(sum != NULL && (strcmp(sum, AD_NO_JSON_SUMMARY) == 0 || strcmp(sum, AD_BAD_JSON_SUMMARY) == 0),
             "broken json: not the fallback summary: %s", it_compact(d.advisory));
    IT_CHECK(jstreq(d.advisory, "risk_assessment", "Low"), "broken json: fallback risk: %s",
             it_compact(d.advisory));
    IT_CHECK(json_object_is_type(recs, json_type_array) && json_object_array_length(recs) == 1,
             "broken json: one fallback recommendation: %s", it_compact(d.advisory));
    it_free(&d.r);
    ad_mode("{\"generate\":\"good\",\"delay_ms\":0}");
}

static void test_slow_past_deadline(void)
{
    char *mode;

    if (!ad_ready())
        return;
    ad_mode("{\"generate\":\"good\",\"delay_ms\":0}");
    ad_prime_breakers("slow");
    /* later than the advisor's budget and than the whole decision's deadline */
    mode = it_fmt("{\"generate\":\"slow\",\"delay_ms\":%.0f}",
                  (ad_budget_ms > ad_deadline_ms ? ad_budget_ms : ad_deadline_ms) + 1000);
    ad_mode(mode);
    free(mode);
    ad_decision_t d = ad_decide("slow");
    ad_mode("{\"generate\":\"good\",\"delay_ms\":0}");
    /* the advisor gives up just before the deadline ("ok"); "late" would be the orchestrator's
     * fallback of the same shape — the decision is on time either way */
    IT_CHECK(d.status != NULL && (strcmp(d.status, "ok") == 0 || strcmp(d.status, "late") == 0),
             "slow: advisor status %s: %s", d.status ? d.status : "(none)", it_compact(d.advisor));
    if (d.status != NULL && strcmp(d.status, "late") == 0)
        fprintf(stderr, "    note: slow: the advisor was marked late (%s)\n", it_compact(d.advisor));
    ad_expect_unavailable(&d, "slow", AD_TIMEOUT_TEXT);
    IT_CHECK(jstreq(d.advisory, "error", AD_TIMEOUT_TEXT), "slow: error: %s", it_compact(d.advisory));
    it_free(&d.r);
}

static void test_server_down(void)
{
    if (!ad_ready())
        return;
    ad_mode("{\"generate\":\"good\",\"delay_ms\":0}");
    ad_prime_breakers("down");
    /* the pool's URL stays the stand-in's: "down" is a server that hangs up without an answer */
    ad_mode("{\"generate\":\"close\",\"delay_ms\":0}");
    ad_decision_t d = ad_decide("server down (connection closed)");
    ad_mode("{\"generate\":\"good\",\"delay_ms\":0}");
    IT_CHECK(d.status != NULL && strcmp(d.status, "ok") == 0, "down: advisor status %s: %s",
             d.status ? d.status : "(none)", it_compact(d.advisor));
    ad_expect_unavailable(&d, "down", "Advisory generation failed: ");
    IT_CHECK(jstr(d.advisory, "error") == NULL || strstr(jstr(d.advisory, "error"), "OPEN") == NULL,
             "down: the breaker was open before the call: %s", it_compact(d.advisory));
    it_free(&d.r);
}

static void test_server_error(void)
{
    if (!ad_ready())
        return;
    ad_mode("{\"generate\":\"good\",\"delay_ms\":0}");
    ad_prime_breakers("error");
    ad_mode("{\"generate\":\"error\",\"delay_ms\":0}");
    ad_decision_t d = ad_decide("HTTP 500");
    ad_mode("{\"generate\":\"good\",\"delay_ms\":0}");
    IT_CHECK(d.status != NULL && strcmp(d.status, "ok") == 0, "HTTP 500: advisor status %s: %s",
             d.status ? d.status : "(none)", it_compact(d.advisor));
    ad_expect_unavailable(&d, "HTTP 500", "Advisory generation failed: HTTP 500");
    it_free(&d.r);
}

static void test_good_again(void)
{
    if (!ad_ready())
        return;
    ad_mode("{\"generate\":\"good\",\"delay_ms\":0}");
    ad_prime_breakers("good again");
    for (int i = 0; i < 2; i++) { /* one per instance, whichever nginx picks */
        ad_decision_t d = ad_decide("good again");

        IT_CHECK(d.status != NULL && strcmp(d.status, "ok") == 0 && jbool(d.advisory, "enabled") == 1 &&
                     jstr(d.advisory, "summary") && strstr(jstr(d.advisory, "summary"), ad_pid),
                 "good again: the advisor does not answer normally after the failures: %s",
                 it_compact(d.advisory));
        it_free(&d.r);
    }
    for (int inst = 1; inst <= 2; inst++) {
        char *st = ad_breaker_state(inst);

        IT_CHECK(strcmp(st, "closed") == 0, "orchestrator instance %d: the \"ollama\" breaker is %s", inst, st);
        free(st);
    }
}

DSM_SUITE("integration/advisor_decisions", suite_init, suite_cleanup, DSM_TEST(test_setup),
          DSM_TEST(test_good), DSM_TEST(test_broken_json), DSM_TEST(test_slow_past_deadline),
          DSM_TEST(test_server_down), DSM_TEST(test_server_error), DSM_TEST(test_good_again))
