/*
 * test_advisor_standin.c — the AI advisor against an Ollama stand-in over real HTTP.
 *
 * Part 1 (always): starts build/tests/standin/ollama_standin on a free port (--port 0
 * --port-file) and exercises it directly: good answer, broken JSON, no JSON, slow answer past
 * a client timeout (while other requests keep being served), embeddings, bad requests, and the
 * server down.
 *
 * Part 2 (when the orchestrator pool runs intel_advisor with conf.advisor.ollama_url pointing at
 * a stand-in): POST $DSM_TEST_ADMIN_URL/admin/orchestrator/<n>/intel/run with a decision
 * context whose project id steers the stand-in by keyword (STANDIN_BROKEN_JSON, STANDIN_SLOW,
 * STANDIN_CLOSE): the advisor must answer within the 2 s deadline of that endpoint, never
 * "failed" or "late", with the ai_agent_advisory shapes of spec/orchestrator.md §7.5. The
 * failing cases go to instance 2 so that instance 1's "ollama" circuit breaker stays closed.
 * Without the orchestrator pool, or with the advisor not configured, part 2 prints SKIP and
 * passes.
 *
 * DSM_TEST_ADVISOR_POOL names another pool that loads intel_advisor (default orchestrator).
 *
 * Binary: $DSM_STANDIN_OLLAMA, else $DSM_BUILD/tests/standin/ollama_standin, else
 * build/tests/standin/ollama_standin.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dsm_test.h"
#include "it_http.h"

#define SA_ADMIN_DEADLINE_MS 2000 /* the host's admin intel/run deadline */
#define SA_SLACK_MS 700           /* nginx, the other sources, scheduling */

/* The stand-in this suite started (suite-wide: set by init, read by the tests). */
static pid_t sa_pid = -1;
static char sa_dir[64];
static char sa_base[64];

static double sa_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static char *sa_binary(void)
{
    const char *b = getenv("DSM_STANDIN_OLLAMA"), *build = getenv("DSM_BUILD");
    if (b && *b)
        return it_fmt("%s", b);
    if (build && *build)
        return it_fmt("%s/tests/standin/ollama_standin", build);
    return it_fmt("build/tests/standin/ollama_standin");
}

static int sa_start(void)
{
    char *bin = sa_binary(), *port_file;
    int rc = -1;

    snprintf(sa_dir, sizeof(sa_dir), "/tmp/dsm-standin-XXXXXX");
    if (!mkdtemp(sa_dir)) {
        fprintf(stderr, "advisor: mkdtemp: %s\n", strerror(errno));
        free(bin);
        return -1;
    }
    port_file = it_fmt("%s/port", sa_dir);
    sa_pid = fork();
    if (sa_pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execl(bin, bin, "--port", "0", "--port-file", port_file, "--quiet", (char *)NULL);
        _exit(127);
    }
    if (sa_pid < 0) {
        fprintf(stderr, "advisor: fork: %s\n", strerror(errno));
        goto out;
    }
    for (int i = 0; i < 100; i++) { /* up to 5 s */
        FILE *f = fopen(port_file, "r");
        int port = 0, st;
        if (f) {
            if (fscanf(f, "%d", &port) != 1)
                port = 0;
            fclose(f);
        }
        if (port > 0) {
            snprintf(sa_base, sizeof(sa_base), "http://127.0.0.1:%d", port);
            rc = 0;
            goto out;
        }
        if (waitpid(sa_pid, &st, WNOHANG) == sa_pid) {
            fprintf(stderr, "advisor: %s exited at start (status %d)\n", bin, st);
            sa_pid = -1;
            goto out;
        }
        usleep(50000);
    }
    fprintf(stderr, "advisor: %s wrote no port file\n", bin);
out:
    free(bin);
    free(port_file);
    return rc;
}

static void sa_stop(void)
{
    if (sa_pid > 0) {
        kill(sa_pid, SIGTERM);
        for (int i = 0; i < 50 && waitpid(sa_pid, NULL, WNOHANG) == 0; i++)
            usleep(20000);
        if (waitpid(sa_pid, NULL, WNOHANG) == 0) {
            kill(sa_pid, SIGKILL);
            waitpid(sa_pid, NULL, 0);
        }
    }
    sa_pid = -1;
    if (sa_dir[0]) {
        char *pf = it_fmt("%s/port", sa_dir), *tmp = it_fmt("%s/port.tmp", sa_dir);
        unlink(pf);
        unlink(tmp);
        rmdir(sa_dir);
        free(pf);
        free(tmp);
    }
}

static int sa_init(void)
{
    return sa_start();
}

static int sa_cleanup(void)
{
    sa_stop();
    return 0;
}

static it_resp_t sa_req(const char *method, const char *path, const char *json)
{
    it_raw_t raw = {.base = sa_base,
                    .method = method,
                    .path = path,
                    .body = json,
                    .body_len = json ? strlen(json) : 0,
                    .content_type = json ? IT_JSON : NULL};
    return it_send(&raw);
}

static void sa_mode(const char *json)
{
    it_resp_t r = sa_req("POST", "/_standin/mode", json);
    IT_CHECK(r.status == 200, "POST /_standin/mode %s -> %s", json, it_describe(&r));
    it_free(&r);
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static json_object *jget(json_object *o, const char *key)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, key, &v);
    return v;
}

/* POST /api/generate like the advisor does; the parsed "response" text (caller frees) or NULL. */
static char *sa_generate(const char *prompt, long *status)
{
    char *p = it_jstr(prompt);
    char *body = it_fmt("{\"model\":\"llama3.2:latest\",\"prompt\":%s,\"stream\":false,\"format\":\"json\","
                        "\"options\":{\"temperature\":0.3,\"num_predict\":500}}",
                        p);
    it_resp_t r = sa_req("POST", "/api/generate", body);
    char *text = NULL;

    *status = r.status;
    if (r.status == 200 && r.json) {
        const char *t = jstr(r.json, "response");
        IT_CHECK(t != NULL, "generate: no response text: %s", it_describe(&r));
        IT_CHECK(json_object_get_boolean(jget(r.json, "done")), "generate: done is not true");
        IT_CHECK(jstr(r.json, "model") && !strcmp(jstr(r.json, "model"), "llama3.2:latest"),
                 "generate: model not echoed");
        IT_CHECK(jstr(r.json, "created_at") != NULL, "generate: no created_at");
        if (t)
            text = it_fmt("%s", t);
    }
    it_free(&r);
    free(p);
    free(body);
    return text;
}

/* ------------------------------------------------------------------ part 1: the stand-in */

static void test_standin_basics(void)
{
    it_resp_t r = sa_req("GET", "/", NULL);
    IT_CHECK(r.status == 200 && r.body && !strcmp(r.body, "Ollama is running"), "GET / -> %s",
             it_describe(&r));
    it_free(&r);
    r = sa_req("GET", "/api/tags", NULL);
    json_object *models = r.json ? jget(r.json, "models") : NULL;
    IT_CHECK(r.status == 200 && json_object_is_type(models, json_type_array) &&
                 it_array_find(models, "name", "llama3.2:latest") != NULL,
             "GET /api/tags -> %s", it_describe(&r));
    it_free(&r);
}

static void test_standin_good(void)
{
    long st;
    sa_mode("{\"generate\":\"good\"}");
    char *text = sa_generate("CONTEXT:\n- Project ID: ADV-1\n- Team Size: 5\n\nDECISION MADE:\n"
                             "- Tasks to Assign: 6\n",
                             &st);
    IT_CHECK(st == 200 && text, "good: status %ld", st);
    json_object *o = text ? json_tokener_parse(text) : NULL;
    IT_CHECK(json_object_is_type(o, json_type_object), "good: response is not a JSON object: %s",
             text ? text : "(null)");
    IT_CHECK(jstr(o, "summary") && strstr(jstr(o, "summary"), "ADV-1") &&
                 strstr(jstr(o, "summary"), "6 tasks"),
             "good: the summary does not reflect the prompt: %s", text ? text : "");
    IT_CHECK(json_object_is_type(jget(o, "recommendations"), json_type_array), "good: recommendations");
    IT_CHECK(jstr(o, "risk_assessment") != NULL, "good: risk_assessment");
    json_object_put(o);
    free(text);

    /* the stand-in records what the client sent */
    it_resp_t r = sa_req("GET", "/_standin/stats", NULL);
    json_object *last = r.json ? jget(r.json, "last_generate") : NULL;
    IT_CHECK(jstr(last, "format") && !strcmp(jstr(last, "format"), "json") &&
                 json_object_is_type(jget(last, "stream"), json_type_boolean) &&
                 !json_object_get_boolean(jget(last, "stream")),
             "stats: last_generate -> %s", it_describe(&r));
    it_free(&r);
}

static void test_standin_broken(void)
{
    long st;
    sa_mode("{\"generate\":\"broken_json\"}");
    char *text = sa_generate("Project ID: ADV-2\n", &st);
    IT_CHECK(st == 200 && text, "broken: status %ld", st);
    json_object *o = text ? json_tokener_parse(text) : NULL;
    IT_CHECK(o == NULL, "broken: the response parsed as JSON: %s", text ? text : "");
    IT_CHECK(text && strchr(text, '{') && !strchr(text, '}'), "broken: %s", text ? text : "");
    json_object_put(o);
    free(text);
    sa_mode("{\"generate\":\"good\"}");
    /* keyword steering, one request only */
    text = sa_generate("STANDIN_NO_JSON please", &st);
    IT_CHECK(st == 200 && text && !strchr(text, '{'), "no_json keyword: %s", text ? text : "");
    free(text);
    text = sa_generate("STANDIN_INVALID_RISK", &st);
    IT_CHECK(text && strstr(text, "\"Extreme\""), "invalid_risk keyword: %s", text ? text : "");
    free(text);
    text = sa_generate("plain", &st);
    IT_CHECK(text && strstr(text, "\"Medium\""), "mode not back to good: %s", text ? text : "");
    free(text);
}

typedef struct {
    long status;
    int curl_code;
    double ms;
} sa_timed_t;

/* A generate request with a client timeout (like the advisor's clamp to its deadline). */
static void *sa_timed_generate(void *arg)
{
    sa_timed_t *t = arg;
    CURL *c = curl_easy_init();
    char *url = it_fmt("%s/api/generate", sa_base);
    const char *body = "{\"model\":\"llama3.2:latest\",\"prompt\":\"x\",\"stream\":false,\"format\":\"json\"}";
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    FILE *sink = fopen("/dev/null", "w");
    double t0 = sa_now_ms();

    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 500L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
    t->curl_code = (int)curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &t->status);
    t->ms = sa_now_ms() - t0;
    fclose(sink);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    free(url);
    return NULL;
}

static void test_standin_slow(void)
{
    sa_timed_t t = {0};
    pthread_t th;

    sa_mode("{\"generate\":\"slow\",\"delay_ms\":3000}");
    pthread_create(&th, NULL, sa_timed_generate, &t);
    usleep(100000);
    /* the slow request does not hold up the server */
    double t0 = sa_now_ms();
    it_resp_t r = sa_req("GET", "/", NULL);
    double ms = sa_now_ms() - t0;
    IT_CHECK(r.status == 200 && ms < 300, "GET / during a slow generate: %s after %.0f ms",
             it_describe(&r), ms);
    it_free(&r);
    pthread_join(th, NULL);
    IT_CHECK(t.curl_code == CURLE_OPERATION_TIMEDOUT, "slow: curl code %d (status %ld), wanted a timeout",
             t.curl_code, t.status);
    IT_CHECK(t.ms >= 450 && t.ms < 1500, "slow: the client gave up after %.0f ms", t.ms);
    sa_mode("{\"generate\":\"good\"}");
    /* still healthy after a client hung up on a waiting request */
    r = sa_req("GET", "/api/version", NULL);
    IT_CHECK(r.status == 200, "after slow: %s", it_describe(&r));
    it_free(&r);
}

static void test_standin_embed(void)
{
    it_resp_t a = sa_req("POST", "/api/embed", "{\"model\":\"mxbai-embed-large\",\"input\":\"sprint of five tasks\"}");
    it_resp_t b = sa_req("POST", "/api/embed", "{\"model\":\"mxbai-embed-large\",\"input\":[\"sprint of five tasks\",\"other words\"]}");
    json_object *va = NULL, *vb0 = NULL, *vb1 = NULL, *arr;

    IT_CHECK(a.status == 200 && b.status == 200, "embed -> %s / %s", it_describe(&a), it_describe(&b));
    if ((arr = jget(a.json, "embeddings")) && json_object_array_length(arr) == 1)
        va = json_object_array_get_idx(arr, 0);
    if ((arr = jget(b.json, "embeddings")) && json_object_array_length(arr) == 2) {
        vb0 = json_object_array_get_idx(arr, 0);
        vb1 = json_object_array_get_idx(arr, 1);
    }
    IT_CHECK(va && vb0 && vb1, "embed: embeddings missing");
    if (va && vb0 && vb1) {
        double norm = 0, diff = 0, dot = 0;
        IT_CHECK(json_object_array_length(va) == 1024, "embed: %zu dimensions", json_object_array_length(va));
        for (size_t i = 0; i < json_object_array_length(va); i++) {
            double x = json_object_get_double(json_object_array_get_idx(va, i));
            double y = json_object_get_double(json_object_array_get_idx(vb0, i));
            double z = json_object_get_double(json_object_array_get_idx(vb1, i));
            norm += x * x;
            diff += (x - y) * (x - y);
            dot += x * z;
        }
        IT_CHECK(norm > 0.999 && norm < 1.001, "embed: |v|² = %f", norm);
        IT_CHECK(diff == 0, "embed: the same text gave different vectors");
        IT_CHECK(dot < 0.99, "embed: different texts gave the same vector");
    }
    it_free(&a);
    it_free(&b);
}

static void test_standin_bad_requests(void)
{
    static const struct {
        const char *method, *path, *body;
        long status;
    } cases[] = {
        {"POST", "/api/generate", "{not json", 400},
        {"POST", "/api/generate", "[1,2]", 400},
        {"POST", "/api/generate", "{\"prompt\":\"x\"}", 400},
        {"POST", "/api/generate", "{\"model\":\"nope:1b\",\"prompt\":\"x\"}", 404},
        {"POST", "/api/generate", "{\"model\":\"llama3.2\",\"prompt\":5}", 400},
        {"POST", "/api/embed", "{\"model\":\"mxbai-embed-large\",\"input\":{}}", 400},
        {"GET", "/api/generate", NULL, 405},
        {"GET", "/nowhere", NULL, 404},
        {"POST", "/_standin/mode", "{\"generate\":\"sideways\"}", 400},
        {"POST", "/_standin/mode", "{\"delay_ms\":-5}", 400},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        it_resp_t r = sa_req(cases[i].method, cases[i].path, cases[i].body);
        IT_CHECK(r.status == cases[i].status, "%s %s %s -> %s (wanted %ld)", cases[i].method,
                 cases[i].path, cases[i].body ? cases[i].body : "", it_describe(&r), cases[i].status);
        it_free(&r);
    }
    /* a malformed request line gets 400 and the server keeps serving */
    it_raw_t raw = {.base = sa_base, .method = "B@D", .path = "/"};
    it_resp_t r = it_send(&raw);
    IT_CHECK(r.status == 400, "bad method token -> %s", it_describe(&r));
    it_free(&r);
    r = sa_req("GET", "/", NULL);
    IT_CHECK(r.status == 200, "after bad requests -> %s", it_describe(&r));
    it_free(&r);
}

/* Last of part 1: the server goes away; a client gets no answer at once (connection refused). */
static void test_standin_down(void)
{
    char base[64];
    snprintf(base, sizeof(base), "%s", sa_base);
    sa_stop();
    double t0 = sa_now_ms();
    it_raw_t raw = {.base = base, .method = "POST", .path = "/api/generate",
                    .body = "{\"model\":\"llama3.2\"}", .body_len = 19, .content_type = IT_JSON};
    it_resp_t r = it_send(&raw);
    double ms = sa_now_ms() - t0;
    IT_CHECK(r.status == 0 && r.curl_code != 0, "down: %s", it_describe(&r));
    IT_CHECK(ms < 1000, "down: refused after %.0f ms", ms);
    it_free(&r);
}

/* ------------------------------------------------------------------ part 2: through the pool */

typedef struct {
    long status;
    double ms;
    json_object *advisor; /* the advisor's source result (owned by json) */
    json_object *json;
} sa_run_t;

static sa_run_t sa_intel_run(int instance, const char *project_id)
{
    sa_run_t run = {0};
    const char *pool = getenv("DSM_TEST_ADVISOR_POOL");
    char *path = it_fmt("/admin/%s/%d/intel/run", pool && *pool ? pool : "orchestrator", instance);
    char *body = it_fmt(
        "{\"project_id\":\"%s\","
        "\"perception\":{\"schema\":1,\"project_id\":\"%s\",\"team\":{\"size\":5},"
        "\"backlog\":{\"total_tasks\":10,\"unassigned\":8}},"
        "\"baseline\":{\"create_new_sprint\":true,\"tasks_to_assign\":6,\"sprint_duration_weeks\":2,"
        "\"decision_source\":\"intelligence_enhanced\",\"reasoning\":\"No active sprint found.\","
        "\"confidence_scores\":{\"overall_decision_confidence\":0.75},\"intelligence_adjustments\":{}}}",
        project_id, project_id);
    double t0 = sa_now_ms();
    it_resp_t r = it_admin_req("POST", path, body, IT_JSON);

    run.ms = sa_now_ms() - t0;
    run.status = r.status;
    if (r.status == 200 && r.json) {
        json_object *srcs = jget(r.json, "sources");
        run.json = json_object_get(r.json);
        run.advisor = srcs ? it_array_find(srcs, "source", "advisor") : NULL;
    }
    it_free(&r);
    free(path);
    free(body);
    return run;
}

/* 1 when part 2 can run; prints why not otherwise. */
static int sa_pool_ready(void)
{
    sa_run_t run = sa_intel_run(1, "ADV-PROBE");
    int ok = 0;

    if (run.status != 200) {
        printf("\n  SKIP: orchestrator pool not running (admin intel/run answered %ld)\n", run.status);
    } else if (run.advisor && !jstr(run.advisor, "status")) {
        printf("\n  SKIP: unexpected intel/run answer\n");
    } else if (!run.advisor) {
        printf("\n  SKIP: the orchestrator pool does not load intel_advisor\n");
    } else {
        json_object *ins = jget(run.advisor, "insight");
        const char *st = jstr(ins, "status");
        if (st && !strcmp(st, "disabled"))
            printf("\n  SKIP: advisor not configured in the test stack (conf.advisor.ollama_url unset)\n");
        else
            ok = 1;
    }
    json_object_put(run.json);
    return ok;
}

static json_object *sa_insight_checked(const sa_run_t *run, const char *what)
{
    const char *st = jstr(run->advisor, "status");
    IT_CHECK(run->status == 200, "%s: intel/run -> %ld", what, run->status);
    IT_CHECK(run->ms < SA_ADMIN_DEADLINE_MS + SA_SLACK_MS, "%s: the decision took %.0f ms", what, run->ms);
    IT_CHECK(st && (!strcmp(st, "ok") || !strcmp(st, "declined")), "%s: advisor status %s (%s)", what,
             st ? st : "(none)", run->advisor ? it_compact(run->advisor) : "");
    IT_CHECK(json_object_array_length(jget(run->advisor, "proposals")) == 0,
             "%s: the advisor proposed numbers", what);
    return jget(run->advisor, "insight");
}

static void test_pool_good_and_broken(void)
{
    if (!sa_pool_ready())
        return;
    sa_run_t run = sa_intel_run(1, "ADV-GOOD");
    json_object *ins = sa_insight_checked(&run, "good");
    IT_CHECK(json_object_get_boolean(jget(ins, "enabled")), "good: advisory %s", it_compact(ins));
    const char *sum = jstr(ins, "summary"), *risk = jstr(ins, "risk_assessment");
    IT_CHECK(sum && strlen(sum) <= 500 && strstr(sum, "ADV-GOOD"), "good: summary %s", sum ? sum : "(none)");
    IT_CHECK(risk && (!strcmp(risk, "Low") || !strcmp(risk, "Medium") || !strcmp(risk, "High")),
             "good: risk %s", risk ? risk : "(none)");
    IT_CHECK(json_object_array_length(jget(ins, "recommendations")) <= 3, "good: recommendations");
    IT_CHECK(jstr(ins, "model") != NULL && json_object_is_type(jget(ins, "generation_time_ms"), json_type_int),
             "good: model / generation_time_ms");
    json_object_put(run.json);

    run = sa_intel_run(1, "STANDIN_BROKEN_JSON");
    ins = sa_insight_checked(&run, "broken json");
    IT_CHECK(json_object_get_boolean(jget(ins, "enabled")), "broken: advisory %s", it_compact(ins));
    IT_CHECK(jstr(ins, "summary") && strstr(jstr(ins, "summary"), "successfully"), "broken: summary %s",
             it_compact(ins));
    IT_CHECK(jstr(ins, "risk_assessment") && !strcmp(jstr(ins, "risk_assessment"), "Low"), "broken: risk");
    json_object_put(run.json);
}

static void test_pool_slow_and_down(void)
{
    if (!sa_pool_ready())
        return;
    /* slower than the whole decision's deadline: the advisor gives up in time, never "late" */
    sa_run_t run = sa_intel_run(2, "STANDIN_SLOW");
    json_object *ins = sa_insight_checked(&run, "slow");
    IT_CHECK(!json_object_get_boolean(jget(ins, "enabled")), "slow: advisory %s", it_compact(ins));
    IT_CHECK(jstr(ins, "error") && !strcmp(jstr(ins, "error"), "Advisory timeout - proceeding with standard decision"),
             "slow: error %s", it_compact(ins));
    IT_CHECK(jstr(ins, "fallback") && strstr(jstr(ins, "fallback"), "AI advisor unavailable"), "slow: fallback");
    IT_CHECK(json_object_get_double(jget(run.advisor, "ms")) < SA_ADMIN_DEADLINE_MS, "slow: advisor took %s ms",
             it_compact(jget(run.advisor, "ms")));
    json_object_put(run.json);

    /* the server hangs up without an answer: a failure fallback, quickly */
    run = sa_intel_run(2, "STANDIN_CLOSE");
    ins = sa_insight_checked(&run, "closed");
    IT_CHECK(!json_object_get_boolean(jget(ins, "enabled")), "closed: advisory %s", it_compact(ins));
    IT_CHECK(jstr(ins, "error") && !strncmp(jstr(ins, "error"), "Advisory generation failed: ", 28),
             "closed: error %s", it_compact(ins));
    IT_CHECK(json_object_get_double(jget(run.advisor, "ms")) < 1000, "closed: advisor took %s ms",
             it_compact(jget(run.advisor, "ms")));
    json_object_put(run.json);
}

DSM_SUITE("integration/advisor", sa_init, sa_cleanup, DSM_TEST(test_standin_basics),
          DSM_TEST(test_standin_good), DSM_TEST(test_standin_broken), DSM_TEST(test_standin_slow),
          DSM_TEST(test_standin_embed), DSM_TEST(test_standin_bad_requests),
          DSM_TEST(test_standin_down), DSM_TEST(test_pool_good_and_broken),
          DSM_TEST(test_pool_slow_and_down));
