/*
 * ollama_standin.c — a small HTTP/1.1 server speaking enough of Ollama's API for the tests
 * (the AI advisor, the embedding client). Built by `make` into build/tests/standin/.
 *
 *   ollama_standin [--host 127.0.0.1] [--port 0] [--port-file FILE] [--mode good]
 *                  [--delay-ms 0] [--embed-mode good] [--model NAME]... [--quiet]
 *
 * --port 0 (the default) picks a free port. The port is printed alone on the first line of
 * stdout and, with --port-file, written to FILE (atomically: FILE.tmp renamed). Logs go to
 * stderr. SIGTERM / SIGINT stop it (exit 0).
 *
 * Endpoints (Ollama's shapes):
 *   GET  /                 200 "Ollama is running"
 *   GET  /api/version      {"version": "..."}
 *   GET  /api/tags         {"models": [{"name","model","modified_at","size","digest","details"}]}
 *   POST /api/generate     {"model","prompt","stream","format",...} → {"model","created_at",
 *                          "response","done":true,"done_reason":"stop",...}; "stream" absent or
 *                          true → NDJSON lines (Ollama's default), false → one object.
 *                          Missing model → 400 {"error":"model is required"}; unknown model →
 *                          404 {"error":"model \"x\" not found, try pulling it first"}.
 *   POST /api/embed        {"model","input": text | [texts]} → {"model","embeddings":[[1024]]}
 *   POST /api/embeddings   {"model","prompt"} → {"embedding":[1024]} (the older API)
 * Embeddings are deterministic: feature hashing of the lower-cased words and word pairs of
 * the text into 1024 dimensions, L2-normalised (an empty text gives e0).
 *
 * Steering for tests:
 *   POST /_standin/mode {"generate": MODE, "delay_ms": N, "embed": EMODE, "embed_delay_ms": N}
 *        (members optional; a "generate" without "delay_ms" resets the delay: 0, or 5000 for
 *        slow) → 200 the whole state. GET /_standin/mode shows it.
 *   GET  /_standin/stats   {"requests","generate","embed","tags","last_generate": body|null}
 *   POST /_standin/reset   modes good, delays 0, counters 0.
 *   A prompt containing STANDIN_<MODE> (upper case, e.g. STANDIN_BROKEN_JSON, STANDIN_SLOW)
 *   uses that mode for that one request.
 * Generate modes: good (valid advisory JSON), broken_json (JSON cut in the middle), no_json
 * (prose, no braces), invalid_risk (risk "Extreme"), long (an 800-character summary, 5
 * recommendations of 300), empty (response ""), slow (good after delay_ms), error (HTTP 500
 * {"error": ...}), bad_body (HTTP 200 whose body is not JSON), close (the connection is closed
 * without an answer). Every mode waits delay_ms first.
 * Embed modes: good, slow, error (500), wrong_dim (384 numbers).
 *
 * Robustness: malformed requests get 400 (bad request line / header / JSON), 411, 413 (bodies
 * above 8 MiB), 431 (headers above 16 KiB), 404/405 like Ollama's router; keep-alive and
 * pipelining; chunked request bodies; at most --max-conns connections (503 beyond). A waiting
 * (slow) request ends early when its client goes away.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define SI_DIM 1024
#define SI_HEADER_MAX 16384
#define SI_BODY_MAX (8u << 20)
#define SI_MODEL_MAX 16
#define SI_IDLE_S 60
#define SI_SLOW_DEFAULT_MS 5000
#define SI_VERSION "0.5.7-standin"
#define SI_EMBED_INPUTS_MAX 1024

static const char *const si_gen_modes[] = {"good",  "broken_json", "no_json", "invalid_risk",
                                           "long",  "empty",       "slow",    "error",
                                           "bad_body", "close", NULL};
static const char *const si_embed_modes[] = {"good", "slow", "error", "wrong_dim", NULL};
static const char *const si_default_models[] = {"llama3.2:latest", "mxbai-embed-large:latest",
                                                "all-minilm:l6-v2", NULL};

/* The only file-scope mutable: set by the signal handler. */
static volatile sig_atomic_t si_stop;

typedef struct {
    pthread_mutex_t mu;
    char gen_mode[24];
    long delay_ms;
    char embed_mode[24];
    long embed_delay_ms;
    long n_requests, n_generate, n_embed, n_tags;
    char *last_generate; /* compact JSON of the last /api/generate body */
    const char *models[SI_MODEL_MAX];
    size_t nmodels;
    int quiet;
    int max_conns;
    atomic_int conns;
} si_state_t;

typedef struct {
    si_state_t *st;
    int fd;
} si_conn_arg_t;

/* One parsed request. */
typedef struct {
    int fd; /* the connection (to notice a client that goes away while we wait) */
    char method[16];
    char path[2048];
    int http10;
    int keep_alive;
    char *body; /* malloc'd, NUL-terminated */
    size_t body_len;
} si_req_t;

/* A connection's receive buffer (pipelined bytes stay for the next request). */
typedef struct {
    int fd;
    char *buf;
    size_t len, cap;
} si_conn_t;

typedef struct {
    int status;
    const char *ctype;
    char *body; /* malloc'd */
    size_t len;
} si_resp_t;

/* ------------------------------------------------------------------------------ helpers */

static void si_log(const si_state_t *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void si_log(const si_state_t *st, const char *fmt, ...)
{
    va_list ap;

    if (st->quiet)
        return;
    va_start(ap, fmt);
    fputs("ollama_standin: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int64_t si_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void si_iso_now(char out[96])
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, 96, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000);
}

static int si_mode_valid(const char *const *list, const char *m)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], m))
            return 1;
    return 0;
}

static void si_resp_set(si_resp_t *r, int status, const char *ctype, const char *text, size_t len)
{
    free(r->body);
    r->status = status;
    r->ctype = ctype;
    r->body = malloc(len + 1);
    if (!r->body) {
        r->len = 0;
        return;
    }
    memcpy(r->body, text, len);
    r->body[len] = '\0';
    r->len = len;
}

static void si_resp_text(si_resp_t *r, int status, const char *text)
{
    si_resp_set(r, status, "text/plain; charset=utf-8", text, strlen(text));
}

/* Takes the reference of o. */
static void si_resp_json(si_resp_t *r, int status, json_object *o)
{
    const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);

    si_resp_set(r, status, "application/json; charset=utf-8", s, strlen(s));
    json_object_put(o);
}

static void si_resp_error(si_resp_t *r, int status, const char *msg)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "error", json_object_new_string(msg));
    si_resp_json(r, status, o);
}

/* Wait ms, or less when the client of fd hangs up. Returns 0 when the wait ran out, -1 when
 * the client went away. */
static int si_wait(int fd, long ms)
{
    int64_t end = si_now_ms() + ms;

    while (!si_stop) {
        int64_t left = end - si_now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN | POLLRDHUP};
        char c;

        if (left <= 0)
            return 0;
        int n = poll(&p, 1, left > 200 ? 200 : (int)left);
        if (n < 0 && errno != EINTR)
            return -1;
        if (n <= 0)
            continue;
        if (p.revents & (POLLHUP | POLLERR | POLLRDHUP))
            return -1;
        ssize_t k = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        if (k == 0)
            return -1;
        if (k > 0) { /* a pipelined request: keep waiting without polling it */
            struct timespec ts = {(time_t)(left / 1000), (long)(left % 1000) * 1000000L};
            nanosleep(&ts, NULL);
            return 0;
        }
    }
    return -1;
}

/* Parse body text as JSON (length-aware). NULL when not JSON. */
static json_object *si_parse(const char *s, size_t len)
{
    json_tokener *tok = json_tokener_new();
    json_object *o;

    if (!tok)
        return NULL;
    if (len > (size_t)INT32_MAX) {
        json_tokener_free(tok);
        return NULL;
    }
    o = json_tokener_parse_ex(tok, s, (int)len);
    if (o && json_tokener_get_parse_end(tok) != len) {
        /* trailing bytes: allow only whitespace */
        for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
            if (!isspace((unsigned char)s[i])) {
                json_object_put(o);
                o = NULL;
                break;
            }
    }
    if (!o || json_tokener_get_error(tok) != json_tokener_success) {
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return o;
}

/* "llama3.2" → "llama3.2:latest" comparison. */
static int si_model_known(const si_state_t *st, const char *m)
{
    size_t ml = strlen(m);

    for (size_t i = 0; i < st->nmodels; i++) {
        const char *k = st->models[i];
        if (!strcmp(k, m))
            return 1;
        if (!strchr(m, ':') && !strncmp(k, m, ml) && !strcmp(k + ml, ":latest"))
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------ embeddings */

static uint64_t si_fnv(const char *s, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void si_embed(const char *text, float *out, size_t dim)
{
    double acc[SI_DIM] = {0};
    const char *p = text, *prev = NULL;
    size_t prevn = 0;
    double norm = 0;

    while (*p) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        const char *w = p;
        while (*p && isalnum((unsigned char)*p))
            p++;
        size_t n = (size_t)(p - w);
        if (!n)
            continue;
        char low[128];
        size_t ln = n < sizeof(low) ? n : sizeof(low);
        for (size_t i = 0; i < ln; i++)
            low[i] = (char)tolower((unsigned char)w[i]);
        uint64_t h = si_fnv(low, ln, 1469598103934665603ULL);
        acc[h % SI_DIM] += (h >> 63) ? -1.0 : 1.0;
        if (prev) { /* word pair */
            uint64_t h2 = si_fnv(low, ln, si_fnv(prev, prevn, 7809847782465536322ULL));
            acc[h2 % SI_DIM] += ((h2 >> 63) ? -0.5 : 0.5);
        }
        prev = w;
        prevn = n;
    }
    for (size_t i = 0; i < SI_DIM; i++)
        norm += acc[i] * acc[i];
    if (norm == 0) {
        acc[0] = 1;
        norm = 1;
    }
    norm = sqrt(norm);
    for (size_t i = 0; i < dim; i++)
        out[i] = (float)(acc[i % SI_DIM] / norm);
}

static json_object *si_vec_json(const char *text, size_t dim)
{
    float v[SI_DIM];
    json_object *a = json_object_new_array_ext((int)dim);

    si_embed(text, v, SI_DIM);
    for (size_t i = 0; i < dim; i++) {
        char num[32];
        snprintf(num, sizeof(num), "%.7g", (double)v[i]);
        json_object_array_add(a, json_object_new_double_s((double)v[i], num));
    }
    return a;
}

/* ------------------------------------------------------------------------------ generate */

/* The value after "label" on its line in the prompt (e.g. "Project ID: "), or dflt. */
static void si_prompt_field(const char *prompt, const char *label, char *out, size_t cap,
                            const char *dflt)
{
    const char *p = strstr(prompt, label);
    size_t n = 0;

    if (p) {
        p += strlen(label);
        while (p[n] && p[n] != '\n' && p[n] != '\r' && n + 1 < cap)
            n++;
    }
    if (!p || n == 0) {
        snprintf(out, cap, "%s", dflt);
        return;
    }
    memcpy(out, p, n);
    out[n] = '\0';
}

static char *si_advisory_text(const char *prompt, const char *mode)
{
    char pid[128], tasks[32], weeks[32];
    json_object *o, *recs;
    char *text;

    si_prompt_field(prompt, "Project ID: ", pid, sizeof(pid), "the project");
    si_prompt_field(prompt, "Tasks to Assign: ", tasks, sizeof(tasks), "the planned");
    si_prompt_field(prompt, "Sprint Duration: ", weeks, sizeof(weeks), "the planned duration");
    if (!strcmp(mode, "no_json"))
        return strdup("The decision looks reasonable. The team should go ahead with the sprint "
                      "and keep an eye on progress.");
    if (!strcmp(mode, "broken_json")) {
        char buf[512];
        snprintf(buf, sizeof(buf),
                 "{\"summary\": \"The plan for %s assigns %s tasks and looks", pid, tasks);
        return strdup(buf);
    }
    if (!strcmp(mode, "empty"))
        return strdup("");
    o = json_object_new_object();
    recs = json_object_new_array();
    if (!strcmp(mode, "long")) {
        char big[801];
        memset(big, 'S', 800);
        big[800] = '\0';
        json_object_object_add(o, "summary", json_object_new_string(big));
        for (int i = 0; i < 5; i++) {
            char rec[301];
            memset(rec, (char)('a' + i), 300);
            rec[300] = '\0';
            json_object_array_add(recs, json_object_new_string(rec));
        }
    } else {
        char buf[768];
        snprintf(buf, sizeof(buf),
                 "The orchestrator planned %s tasks for %s over %s. The workload matches the "
                 "team's recent capacity.",
                 tasks, pid, weeks);
        json_object_object_add(o, "summary", json_object_new_string(buf));
        json_object_array_add(recs, json_object_new_string("Review progress at the daily scrum"));
        json_object_array_add(recs, json_object_new_string("Keep unassigned tasks groomed"));
    }
    json_object_object_add(o, "recommendations", recs);
    json_object_object_add(o, "risk_assessment",
                           json_object_new_string(!strcmp(mode, "invalid_risk") ? "Extreme"
                                                                                : "Medium"));
    text = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    return text;
}

static const char *si_prompt_mode(const char *prompt, const char *dflt)
{
    /* longest names first so STANDIN_NO_JSON is not taken for something shorter */
    static const char *const keys[][2] = {
        {"STANDIN_BROKEN_JSON", "broken_json"}, {"STANDIN_INVALID_RISK", "invalid_risk"},
        {"STANDIN_BAD_BODY", "bad_body"},       {"STANDIN_NO_JSON", "no_json"},
        {"STANDIN_EMPTY", "empty"},             {"STANDIN_ERROR", "error"},
        {"STANDIN_LONG", "long"},               {"STANDIN_SLOW", "slow"},
        {"STANDIN_CLOSE", "close"},             {"STANDIN_GOOD", "good"},
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strstr(prompt, keys[i][0]))
            return keys[i][1];
    return dflt;
}

static json_object *si_gen_object(const char *model, const char *text, int done, long words)
{
    char now[96];
    json_object *o = json_object_new_object();

    si_iso_now(now);
    json_object_object_add(o, "model", json_object_new_string(model));
    json_object_object_add(o, "created_at", json_object_new_string(now));
    json_object_object_add(o, "response", json_object_new_string(text));
    json_object_object_add(o, "done", json_object_new_boolean(done));
    if (done) {
        json_object_object_add(o, "done_reason", json_object_new_string("stop"));
        json_object_object_add(o, "total_duration", json_object_new_int64(1200000));
        json_object_object_add(o, "load_duration", json_object_new_int64(100000));
        json_object_object_add(o, "prompt_eval_count", json_object_new_int64(words));
        json_object_object_add(o, "prompt_eval_duration", json_object_new_int64(300000));
        json_object_object_add(o, "eval_count", json_object_new_int64((long)strlen(text) / 4));
        json_object_object_add(o, "eval_duration", json_object_new_int64(800000));
    }
    return o;
}

static void si_generate(si_state_t *st, const si_req_t *q, json_object *body, si_resp_t *r)
{
    json_object *v;
    const char *model, *prompt = "", *mode;
    char modebuf[24];
    long delay, words = 0;
    int stream = 1;

    if (!json_object_object_get_ex(body, "model", &v) || !json_object_is_type(v, json_type_string) ||
        !*json_object_get_string(v)) {
        si_resp_error(r, 400, "model is required");
        return;
    }
    model = json_object_get_string(v);
    if (json_object_object_get_ex(body, "prompt", &v) && v) {
        if (!json_object_is_type(v, json_type_string)) {
            si_resp_error(r, 400, "json: cannot unmarshal prompt into a string");
            return;
        }
        prompt = json_object_get_string(v);
    }
    if (json_object_object_get_ex(body, "stream", &v) && v) {
        if (!json_object_is_type(v, json_type_boolean)) {
            si_resp_error(r, 400, "json: cannot unmarshal stream into a bool");
            return;
        }
        stream = json_object_get_boolean(v);
    }
    pthread_mutex_lock(&st->mu);
    st->n_generate++;
    free(st->last_generate);
    st->last_generate = strdup(json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN));
    snprintf(modebuf, sizeof(modebuf), "%s", st->gen_mode);
    delay = st->delay_ms;
    pthread_mutex_unlock(&st->mu);
    if (!si_model_known(st, model)) {
        char msg[512];
        snprintf(msg, sizeof(msg), "model \"%.200s\" not found, try pulling it first", model);
        si_resp_error(r, 404, msg);
        return;
    }
    mode = si_prompt_mode(prompt, modebuf);
    if (!strcmp(mode, "slow") && delay <= 0)
        delay = SI_SLOW_DEFAULT_MS;
    if (delay > 0 && si_wait(q->fd, delay) < 0) {
        r->status = -1; /* the client went away: close without answering */
        return;
    }
    if (!strcmp(mode, "error")) {
        si_resp_error(r, 500, "model runner has unexpectedly stopped, this may be due to "
                              "resource limitations or an internal error");
        return;
    }
    if (!strcmp(mode, "close")) {
        r->status = -1; /* hang up without an answer */
        return;
    }
    if (!strcmp(mode, "bad_body")) {
        si_resp_set(r, 200, "application/json; charset=utf-8", "this is not json {", 18);
        return;
    }
    for (const char *p = prompt; *p;) { /* word count, for prompt_eval_count */
        while (*p && isspace((unsigned char)*p))
            p++;
        if (*p)
            words++;
        while (*p && !isspace((unsigned char)*p))
            p++;
    }
    char *text = si_advisory_text(prompt, mode);
    if (!text) {
        si_resp_error(r, 500, "out of memory");
        return;
    }
    if (!stream) {
        si_resp_json(r, 200, si_gen_object(model, text, 1, words));
    } else { /* NDJSON: the text in two pieces, then the final object */
        size_t half = strlen(text) / 2, cap = strlen(text) * 4 + 2048, n = 0;
        char *out = malloc(cap), saved = text[half];
        json_object *a, *b, *c;
        if (!out) {
            free(text);
            si_resp_error(r, 500, "out of memory");
            return;
        }
        text[half] = '\0';
        a = si_gen_object(model, text, 0, 0);
        text[half] = saved;
        b = si_gen_object(model, text + half, 0, 0);
        c = si_gen_object(model, "", 1, words);
        n += (size_t)snprintf(out + n, cap - n, "%s\n", json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
        n += (size_t)snprintf(out + n, cap - n, "%s\n", json_object_to_json_string_ext(b, JSON_C_TO_STRING_PLAIN));
        n += (size_t)snprintf(out + n, cap - n, "%s\n", json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN));
        json_object_put(a);
        json_object_put(b);
        json_object_put(c);
        si_resp_set(r, 200, "application/x-ndjson", out, n < cap ? n : cap - 1);
        free(out);
    }
    free(text);
}

/* ------------------------------------------------------------------------------ embed */

static void si_embed_route(si_state_t *st, const si_req_t *q, json_object *body, int legacy,
                           si_resp_t *r)
{
    json_object *v, *input = NULL, *out, *vecs;
    const char *model;
    char mode[24];
    long delay;
    size_t dim = SI_DIM;

    if (!json_object_object_get_ex(body, "model", &v) || !json_object_is_type(v, json_type_string) ||
        !*json_object_get_string(v)) {
        si_resp_error(r, 400, "model is required");
        return;
    }
    model = json_object_get_string(v);
    json_object_object_get_ex(body, legacy ? "prompt" : "input", &input);
    if (input && !json_object_is_type(input, json_type_string) &&
        !(json_object_is_type(input, json_type_array) && !legacy)) {
        si_resp_error(r, 400, "invalid input type");
        return;
    }
    if (input && json_object_is_type(input, json_type_array)) {
        if (json_object_array_length(input) > SI_EMBED_INPUTS_MAX) {
            si_resp_error(r, 400, "too many inputs");
            return;
        }
        for (size_t i = 0; i < json_object_array_length(input); i++)
            if (!json_object_is_type(json_object_array_get_idx(input, i), json_type_string)) {
                si_resp_error(r, 400, "invalid input type");
                return;
            }
    }
    pthread_mutex_lock(&st->mu);
    st->n_embed++;
    snprintf(mode, sizeof(mode), "%s", st->embed_mode);
    delay = st->embed_delay_ms;
    pthread_mutex_unlock(&st->mu);
    if (!si_model_known(st, model)) {
        char msg[512];
        snprintf(msg, sizeof(msg), "model \"%.200s\" not found, try pulling it first", model);
        si_resp_error(r, 404, msg);
        return;
    }
    if (!strcmp(mode, "slow") && delay <= 0)
        delay = SI_SLOW_DEFAULT_MS;
    if (delay > 0 && si_wait(q->fd, delay) < 0) {
        r->status = -1;
        return;
    }
    if (!strcmp(mode, "error")) {
        si_resp_error(r, 500, "failed to generate embedding");
        return;
    }
    if (!strcmp(mode, "wrong_dim"))
        dim = 384;
    out = json_object_new_object();
    json_object_object_add(out, "model", json_object_new_string(model));
    if (legacy) {
        json_object_object_add(out, "embedding",
                               si_vec_json(input ? json_object_get_string(input) : "", dim));
        si_resp_json(r, 200, out);
        return;
    }
    vecs = json_object_new_array();
    if (input && json_object_is_type(input, json_type_string))
        json_object_array_add(vecs, si_vec_json(json_object_get_string(input), dim));
    else if (input)
        for (size_t i = 0; i < json_object_array_length(input); i++)
            json_object_array_add(
                vecs, si_vec_json(json_object_get_string(json_object_array_get_idx(input, i)), dim));
    json_object_object_add(out, "embeddings", vecs);
    json_object_object_add(out, "total_duration", json_object_new_int64(400000));
    json_object_object_add(out, "load_duration", json_object_new_int64(50000));
    json_object_object_add(out, "prompt_eval_count", json_object_new_int64(8));
    si_resp_json(r, 200, out);
}

/* ------------------------------------------------------------------------------ small routes */

static void si_tags(si_state_t *st, si_resp_t *r)
{
    json_object *o = json_object_new_object(), *arr = json_object_new_array();

    pthread_mutex_lock(&st->mu);
    st->n_tags++;
    pthread_mutex_unlock(&st->mu);
    for (size_t i = 0; i < st->nmodels; i++) {
        json_object *m = json_object_new_object(), *d = json_object_new_object();
        char digest[80];
        snprintf(digest, sizeof(digest), "%016llx%016llx",
                 (unsigned long long)si_fnv(st->models[i], strlen(st->models[i]), 1469598103934665603ULL),
                 (unsigned long long)si_fnv(st->models[i], strlen(st->models[i]), 42ULL));
        json_object_object_add(m, "name", json_object_new_string(st->models[i]));
        json_object_object_add(m, "model", json_object_new_string(st->models[i]));
        json_object_object_add(m, "modified_at", json_object_new_string("2025-01-01T00:00:00Z"));
        json_object_object_add(m, "size", json_object_new_int64(1000000 + (int64_t)i));
        json_object_object_add(m, "digest", json_object_new_string(digest));
        json_object_object_add(d, "format", json_object_new_string("gguf"));
        json_object_object_add(d, "family", json_object_new_string("standin"));
        json_object_object_add(d, "parameter_size", json_object_new_string("1B"));
        json_object_object_add(d, "quantization_level", json_object_new_string("Q4_0"));
        json_object_object_add(m, "details", d);
        json_object_array_add(arr, m);
    }
    json_object_object_add(o, "models", arr);
    si_resp_json(r, 200, o);
}

static json_object *si_mode_json(si_state_t *st) /* caller holds st->mu */
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "generate", json_object_new_string(st->gen_mode));
    json_object_object_add(o, "delay_ms", json_object_new_int64(st->delay_ms));
    json_object_object_add(o, "embed", json_object_new_string(st->embed_mode));
    json_object_object_add(o, "embed_delay_ms", json_object_new_int64(st->embed_delay_ms));
    return o;
}

/* A member that must be a string naming a mode of list, or a non-negative integer. */
static int si_get_mode(json_object *body, const char *key, const char *const *list,
                       const char **out, char *err, size_t errcap)
{
    json_object *v;

    if (!json_object_object_get_ex(body, key, &v))
        return 0;
    if (!json_object_is_type(v, json_type_string) || !si_mode_valid(list, json_object_get_string(v))) {
        snprintf(err, errcap, "%s: unknown mode", key);
        return -1;
    }
    *out = json_object_get_string(v);
    return 1;
}

static int si_get_ms(json_object *body, const char *key, long *out, char *err, size_t errcap)
{
    json_object *v;

    if (!json_object_object_get_ex(body, key, &v))
        return 0;
    if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
        json_object_get_int64(v) > 600000) {
        snprintf(err, errcap, "%s: an integer 0..600000 is required", key);
        return -1;
    }
    *out = (long)json_object_get_int64(v);
    return 1;
}

static void si_mode_post(si_state_t *st, json_object *body, si_resp_t *r)
{
    const char *gen = NULL, *emb = NULL;
    long d = 0, ed = 0;
    char err[128];
    int hg, hd, he, hed;

    if (!json_object_is_type(body, json_type_object)) {
        si_resp_error(r, 400, "a JSON object is required");
        return;
    }
    if ((hg = si_get_mode(body, "generate", si_gen_modes, &gen, err, sizeof(err))) < 0 ||
        (he = si_get_mode(body, "embed", si_embed_modes, &emb, err, sizeof(err))) < 0 ||
        (hd = si_get_ms(body, "delay_ms", &d, err, sizeof(err))) < 0 ||
        (hed = si_get_ms(body, "embed_delay_ms", &ed, err, sizeof(err))) < 0) {
        si_resp_error(r, 400, err);
        return;
    }
    pthread_mutex_lock(&st->mu);
    if (hg) {
        snprintf(st->gen_mode, sizeof(st->gen_mode), "%s", gen);
        st->delay_ms = hd ? d : (!strcmp(gen, "slow") ? SI_SLOW_DEFAULT_MS : 0);
    } else if (hd) {
        st->delay_ms = d;
    }
    if (he) {
        snprintf(st->embed_mode, sizeof(st->embed_mode), "%s", emb);
        st->embed_delay_ms = hed ? ed : (!strcmp(emb, "slow") ? SI_SLOW_DEFAULT_MS : 0);
    } else if (hed) {
        st->embed_delay_ms = ed;
    }
    json_object *o = si_mode_json(st);
    pthread_mutex_unlock(&st->mu);
    si_log(st, "mode: generate=%s delay_ms=%ld embed=%s", st->gen_mode, st->delay_ms, st->embed_mode);
    si_resp_json(r, 200, o);
}

static void si_reset(si_state_t *st)
{
    pthread_mutex_lock(&st->mu);
    snprintf(st->gen_mode, sizeof(st->gen_mode), "good");
    snprintf(st->embed_mode, sizeof(st->embed_mode), "good");
    st->delay_ms = st->embed_delay_ms = 0;
    st->n_requests = st->n_generate = st->n_embed = st->n_tags = 0;
    free(st->last_generate);
    st->last_generate = NULL;
    pthread_mutex_unlock(&st->mu);
}

static void si_stats(si_state_t *st, si_resp_t *r)
{
    json_object *o = json_object_new_object();

    pthread_mutex_lock(&st->mu);
    json_object_object_add(o, "requests", json_object_new_int64(st->n_requests));
    json_object_object_add(o, "generate", json_object_new_int64(st->n_generate));
    json_object_object_add(o, "embed", json_object_new_int64(st->n_embed));
    json_object_object_add(o, "tags", json_object_new_int64(st->n_tags));
    json_object_object_add(o, "last_generate",
                           st->last_generate ? json_tokener_parse(st->last_generate) : NULL);
    json_object_object_add(o, "mode", si_mode_json(st));
    pthread_mutex_unlock(&st->mu);
    si_resp_json(r, 200, o);
}

/* ------------------------------------------------------------------------------ routing */

static void si_route(si_state_t *st, const si_req_t *q, si_resp_t *r)
{
    static const struct {
        const char *path;
        const char *method; /* the one allowed (GET also allows HEAD) */
    } known[] = {{"/", "GET"},
                 {"/api/version", "GET"},
                 {"/api/tags", "GET"},
                 {"/api/ps", "GET"},
                 {"/api/generate", "POST"},
                 {"/api/embed", "POST"},
                 {"/api/embeddings", "POST"},
                 {"/_standin/stats", "GET"},
                 {"/_standin/reset", "POST"}};
    char path[sizeof(q->path)];
    const char *m = q->method;
    int is_get = !strcmp(m, "GET") || !strcmp(m, "HEAD"), found = 0;
    json_object *body = NULL;

    snprintf(path, sizeof(path), "%s", q->path);
    path[strcspn(path, "?#")] = '\0';
    pthread_mutex_lock(&st->mu);
    st->n_requests++;
    pthread_mutex_unlock(&st->mu);

    if (!strcmp(path, "/_standin/mode")) {
        if (is_get) {
            pthread_mutex_lock(&st->mu);
            json_object *o = si_mode_json(st);
            pthread_mutex_unlock(&st->mu);
            si_resp_json(r, 200, o);
        } else if (!strcmp(m, "POST")) {
            body = si_parse(q->body, q->body_len);
            if (!body)
                si_resp_error(r, 400, "invalid JSON body");
            else
                si_mode_post(st, body, r);
        } else {
            si_resp_text(r, 405, "405 method not allowed");
        }
        goto done;
    }
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (strcmp(path, known[i].path))
            continue;
        found = 1;
        if (!strcmp(m, known[i].method) || (is_get && !strcmp(known[i].method, "GET")))
            found = 2;
        break;
    }
    if (found == 0) {
        si_resp_text(r, 404, "404 page not found");
        goto done;
    }
    if (found == 1) {
        si_resp_text(r, 405, "405 method not allowed");
        goto done;
    }
    if (!strcmp(path, "/")) {
        si_resp_text(r, 200, "Ollama is running");
    } else if (!strcmp(path, "/api/version")) {
        body = json_object_new_object();
        json_object_object_add(body, "version", json_object_new_string(SI_VERSION));
        si_resp_json(r, 200, body);
        body = NULL;
    } else if (!strcmp(path, "/api/tags")) {
        si_tags(st, r);
    } else if (!strcmp(path, "/api/ps")) {
        body = json_object_new_object();
        json_object_object_add(body, "models", json_object_new_array());
        si_resp_json(r, 200, body);
        body = NULL;
    } else if (!strcmp(path, "/_standin/stats")) {
        si_stats(st, r);
    } else if (!strcmp(path, "/_standin/reset")) {
        si_reset(st);
        si_resp_text(r, 200, "reset");
    } else { /* the POST APIs: a JSON object body */
        if (q->body_len == 0) {
            si_resp_error(r, 400, "missing request body");
            goto done;
        }
        body = si_parse(q->body, q->body_len);
        if (!body || !json_object_is_type(body, json_type_object)) {
            si_resp_error(r, 400, body ? "request body must be a JSON object" : "invalid JSON body");
            goto done;
        }
        if (!strcmp(path, "/api/generate"))
            si_generate(st, q, body, r);
        else
            si_embed_route(st, q, body, !strcmp(path, "/api/embeddings"), r);
    }
done:
    json_object_put(body);
}

/* ------------------------------------------------------------------------------ HTTP I/O */

static int si_send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static const char *si_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

static int si_write_resp(int fd, const si_resp_t *r, int head_only, int keep_alive)
{
    char hdr[512];
    int n = snprintf(hdr, sizeof(hdr),
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                     "Connection: %s\r\n\r\n",
                     r->status, si_reason(r->status), r->ctype ? r->ctype : "text/plain",
                     r->len, keep_alive ? "keep-alive" : "close");
    if (si_send_all(fd, hdr, (size_t)n) < 0)
        return -1;
    if (!head_only && r->len && si_send_all(fd, r->body, r->len) < 0)
        return -1;
    return 0;
}

/* Read more bytes into the connection buffer. 1 read, 0 EOF, -1 error/timeout. */
static int si_fill(si_conn_t *c, size_t want_cap)
{
    if (c->cap - c->len < 4096 || c->cap < want_cap) {
        size_t ncap = c->cap ? c->cap : 8192;
        while (ncap - c->len < 4096 || ncap < want_cap)
            ncap *= 2;
        char *nb = realloc(c->buf, ncap + 1);
        if (!nb)
            return -1;
        c->buf = nb;
        c->cap = ncap;
    }
    for (;;) {
        ssize_t k = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0)
            return 0;
        c->len += (size_t)k;
        c->buf[c->len] = '\0';
        return 1;
    }
}

static void si_consume(si_conn_t *c, size_t n)
{
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
    if (c->buf)
        c->buf[c->len] = '\0';
}

/* Find "\r\n\r\n" (or "\n\n") in the buffer; the offset just past it, or 0. */
static size_t si_header_end(const si_conn_t *c)
{
    for (size_t i = 0; i + 1 < c->len; i++) {
        if (c->buf[i] == '\n' && c->buf[i + 1] == '\n')
            return i + 2;
        if (i + 3 < c->len && !memcmp(c->buf + i, "\r\n\r\n", 4))
            return i + 4;
    }
    return 0;
}

/* Ensure n bytes are buffered. 0 ok, -1 failed. */
static int si_need(si_conn_t *c, size_t n)
{
    while (c->len < n)
        if (si_fill(c, n) <= 0)
            return -1;
    return 0;
}

/* Decode a chunked body starting at c->buf[0]; consumes it. 0 ok, 400/413 on errors, -1 I/O. */
static int si_read_chunked(si_conn_t *c, si_req_t *q)
{
    size_t cap = 0;

    for (;;) {
        char *eol;
        while (!(eol = memchr(c->buf ? c->buf : "", '\n', c->len))) {
            if (c->len > 1024)
                return 400;
            if (si_fill(c, 0) <= 0)
                return -1;
        }
        char *end;
        errno = 0;
        unsigned long long sz = strtoull(c->buf, &end, 16);
        if (end == c->buf || errno || (*end != '\r' && *end != ';' && *end != '\n'))
            return 400;
        si_consume(c, (size_t)(eol - c->buf) + 1);
        if (sz == 0) { /* trailers until an empty line */
            for (;;) {
                while (!(eol = memchr(c->buf ? c->buf : "", '\n', c->len))) {
                    if (c->len > 8192)
                        return 400;
                    if (si_fill(c, 0) <= 0)
                        return -1;
                }
                size_t ln = (size_t)(eol - c->buf);
                int empty = ln == 0 || (ln == 1 && c->buf[0] == '\r');
                si_consume(c, ln + 1);
                if (empty)
                    return 0;
            }
        }
        if (sz > SI_BODY_MAX || q->body_len + sz > SI_BODY_MAX)
            return 413;
        if (si_need(c, (size_t)sz + 2) < 0)
            return -1;
        if (q->body_len + sz + 1 > cap) {
            cap = (q->body_len + sz + 1) * 2;
            char *nb = realloc(q->body, cap);
            if (!nb)
                return -1;
            q->body = nb;
        }
        memcpy(q->body + q->body_len, c->buf, (size_t)sz);
        q->body_len += (size_t)sz;
        q->body[q->body_len] = '\0';
        if (c->buf[sz] == '\r' && c->buf[sz + 1] == '\n')
            si_consume(c, (size_t)sz + 2);
        else if (c->buf[sz] == '\n')
            si_consume(c, (size_t)sz + 1);
        else
            return 400;
    }
}

/* Read one request. 0 ok; 400/411/413/431/501 to answer with that status and close; -1 when
 * the connection is gone (or idle too long). */
static int si_read_req(si_conn_t *c, si_req_t *q)
{
    size_t hend;
    long long clen = -1;
    int chunked = 0, conn_close = 0, conn_keep = 0;

    while (!(hend = si_header_end(c))) {
        if (c->len > SI_HEADER_MAX)
            return 431;
        int k = si_fill(c, 0);
        if (k <= 0)
            return -1;
    }
    if (hend > SI_HEADER_MAX)
        return 431;
    /* request line */
    char *line = c->buf, *eol = strchr(line, '\n');
    if (!eol)
        return 400;
    size_t ll = (size_t)(eol - line);
    if (ll && line[ll - 1] == '\r')
        ll--;
    char rl[sizeof(q->path) + 64];
    if (ll >= sizeof(rl))
        return 431;
    memcpy(rl, line, ll);
    rl[ll] = '\0';
    char *sp1 = strchr(rl, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp1 || !sp2 || strchr(sp2 + 1, ' ') || (size_t)(sp1 - rl) >= sizeof(q->method) ||
        (size_t)(sp2 - sp1 - 1) >= sizeof(q->path) || sp2 == sp1 + 1 || sp1 == rl)
        return 400;
    for (char *p = rl; p < sp1; p++)
        if (!isupper((unsigned char)*p))
            return 400;
    if (strcmp(sp2 + 1, "HTTP/1.1") && strcmp(sp2 + 1, "HTTP/1.0"))
        return 400;
    memcpy(q->method, rl, (size_t)(sp1 - rl));
    q->method[sp1 - rl] = '\0';
    memcpy(q->path, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    q->path[sp2 - sp1 - 1] = '\0';
    if (q->path[0] != '/')
        return 400;
    q->http10 = !strcmp(sp2 + 1, "HTTP/1.0");
    /* headers */
    for (char *h = eol + 1; h < c->buf + hend;) {
        char *he = memchr(h, '\n', (size_t)(c->buf + hend - h));
        if (!he)
            break;
        size_t hl = (size_t)(he - h);
        if (hl && h[hl - 1] == '\r')
            hl--;
        if (hl == 0)
            break;
        char *colon = memchr(h, ':', hl);
        if (!colon || colon == h)
            return 400;
        size_t nl = (size_t)(colon - h);
        char *v = colon + 1;
        while (v < h + hl && (*v == ' ' || *v == '\t'))
            v++;
        size_t vl = (size_t)(h + hl - v);
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            vl--;
        if (nl == 14 && !strncasecmp(h, "Content-Length", 14)) {
            if (vl == 0 || vl > 12 || clen >= 0)
                return 400;
            clen = 0;
            for (size_t i = 0; i < vl; i++) {
                if (!isdigit((unsigned char)v[i]))
                    return 400;
                clen = clen * 10 + (v[i] - '0');
            }
        } else if (nl == 17 && !strncasecmp(h, "Transfer-Encoding", 17)) {
            if (vl == 7 && !strncasecmp(v, "chunked", 7))
                chunked = 1;
            else
                return 501;
        } else if (nl == 10 && !strncasecmp(h, "Connection", 10)) {
            if (vl >= 5 && !strncasecmp(v, "close", 5))
                conn_close = 1;
            if (vl >= 10 && !strncasecmp(v, "keep-alive", 10))
                conn_keep = 1;
        } else if (nl == 6 && !strncasecmp(h, "Expect", 6)) {
            if (vl == 12 && !strncasecmp(v, "100-continue", 12) &&
                si_send_all(c->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) < 0)
                return -1;
        }
        h = he + 1;
    }
    q->keep_alive = q->http10 ? conn_keep : !conn_close;
    si_consume(c, hend);
    if (chunked && clen >= 0)
        return 400;
    if (chunked)
        return si_read_chunked(c, q);
    if (clen < 0) {
        if (!strcmp(q->method, "POST") || !strcmp(q->method, "PUT") || !strcmp(q->method, "PATCH"))
            return 411;
        clen = 0;
    }
    if ((unsigned long long)clen > SI_BODY_MAX)
        return 413;
    if (si_need(c, (size_t)clen) < 0)
        return -1;
    q->body = malloc((size_t)clen + 1);
    if (!q->body)
        return -1;
    memcpy(q->body, c->buf, (size_t)clen);
    q->body[clen] = '\0';
    q->body_len = (size_t)clen;
    si_consume(c, (size_t)clen);
    return 0;
}

static void *si_conn_main(void *arg)
{
    si_conn_arg_t *a = arg;
    si_state_t *st = a->st;
    si_conn_t c = {a->fd, NULL, 0, 0};

    free(a);
    for (;;) {
        si_req_t q;
        si_resp_t r = {0};
        memset(&q, 0, sizeof(q));
        q.fd = c.fd;
        int rc = si_read_req(&c, &q);
        if (rc < 0) {
            free(q.body);
            break;
        }
        if (rc > 0) { /* a malformed request: answer it and close */
            si_resp_error(&r, rc, rc == 413   ? "request body too large"
                                  : rc == 431 ? "request header too large"
                                  : rc == 411 ? "length required"
                                  : rc == 501 ? "transfer encoding not supported"
                                              : "bad request");
            si_write_resp(c.fd, &r, 0, 0);
            free(r.body);
            free(q.body);
            break;
        }
        si_route(st, &q, &r);
        int keep = q.keep_alive && !si_stop;
        int failed = r.status < 0 || !r.body ||
                     si_write_resp(c.fd, &r, !strcmp(q.method, "HEAD"), keep) < 0;
        if (!si_stop && r.status > 0 && !st->quiet)
            si_log(st, "%s %s -> %d", q.method, q.path, r.status);
        free(r.body);
        free(q.body);
        if (failed || !keep)
            break;
    }
    free(c.buf);
    close(c.fd);
    atomic_fetch_sub(&st->conns, 1);
    return NULL;
}

/* ------------------------------------------------------------------------------ main */

static void si_on_signal(int sig)
{
    (void)sig;
    si_stop = 1;
}

static void si_usage(FILE *f)
{
    fputs("usage: ollama_standin [options]\n"
          "  --host ADDR         IPv4 address to listen on (default 127.0.0.1)\n"
          "  --port N            TCP port; 0 picks a free one (default 0)\n"
          "  --port-file FILE    write the port to FILE (atomically) once listening\n"
          "  --mode MODE         /api/generate mode: good broken_json no_json invalid_risk long\n"
          "                      empty slow error bad_body close (default good)\n"
          "  --delay-ms N        wait N ms before every /api/generate answer (slow: 5000)\n"
          "  --embed-mode MODE   /api/embed mode: good slow error wrong_dim (default good)\n"
          "  --model NAME        a model to list and accept (repeatable; replaces the defaults\n"
          "                      llama3.2:latest mxbai-embed-large:latest all-minilm:l6-v2)\n"
          "  --max-conns N       concurrent connections (default 256; 503 beyond)\n"
          "  --quiet             no request log on stderr\n"
          "  --help              this text\n"
          "The port is printed alone on the first line of stdout. Steering at run time:\n"
          "POST /_standin/mode {\"generate\":MODE,\"delay_ms\":N,\"embed\":MODE}, GET /_standin/stats,\n"
          "POST /_standin/reset; a prompt containing STANDIN_<MODE> uses that mode once.\n",
          f);
}

static int si_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int si_write_port_file(const char *path, int port)
{
    char tmp[4096];
    FILE *f;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return -1;
    f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "%d\n", port);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

int main(int argc, char **argv)
{
    static si_state_t st; /* lives as long as the process; threads are detached */
    const char *host = "127.0.0.1", *port_file = NULL;
    long port = 0, v;
    int lfd = -1, rc = 1;
    struct sockaddr_in sa;
    socklen_t slen = sizeof(sa);

    pthread_mutex_init(&st.mu, NULL);
    snprintf(st.gen_mode, sizeof(st.gen_mode), "good");
    snprintf(st.embed_mode, sizeof(st.embed_mode), "good");
    st.max_conns = 256;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            si_usage(stdout);
            return 0;
        } else if (!strcmp(a, "--quiet")) {
            st.quiet = 1;
            continue;
        }
        if (!val) {
            fprintf(stderr, "ollama_standin: %s needs a value (see --help)\n", a);
            return 2;
        }
        i++;
        if (!strcmp(a, "--host")) {
            host = val;
        } else if (!strcmp(a, "--port")) {
            if (si_parse_long(val, 0, 65535, &port) < 0)
                goto bad_value;
        } else if (!strcmp(a, "--port-file")) {
            port_file = val;
        } else if (!strcmp(a, "--mode")) {
            if (!si_mode_valid(si_gen_modes, val))
                goto bad_value;
            snprintf(st.gen_mode, sizeof(st.gen_mode), "%s", val);
        } else if (!strcmp(a, "--embed-mode")) {
            if (!si_mode_valid(si_embed_modes, val))
                goto bad_value;
            snprintf(st.embed_mode, sizeof(st.embed_mode), "%s", val);
        } else if (!strcmp(a, "--delay-ms")) {
            if (si_parse_long(val, 0, 600000, &v) < 0)
                goto bad_value;
            st.delay_ms = v;
        } else if (!strcmp(a, "--model")) {
            if (st.nmodels >= SI_MODEL_MAX || !*val)
                goto bad_value;
            st.models[st.nmodels++] = val;
        } else if (!strcmp(a, "--max-conns")) {
            if (si_parse_long(val, 1, 10000, &v) < 0)
                goto bad_value;
            st.max_conns = (int)v;
        } else {
            fprintf(stderr, "ollama_standin: unknown option %s (see --help)\n", a);
            return 2;
        }
        continue;
    bad_value:
        fprintf(stderr, "ollama_standin: bad value for %s: %s\n", a, val);
        return 2;
    }
    if (st.nmodels == 0)
        for (size_t i = 0; si_default_models[i]; i++)
            st.models[st.nmodels++] = si_default_models[i];

    struct sigaction sact;
    memset(&sact, 0, sizeof(sact));
    sact.sa_handler = si_on_signal; /* no SA_RESTART: poll() returns EINTR */
    sigaction(SIGTERM, &sact, NULL);
    sigaction(SIGINT, &sact, NULL);
    signal(SIGPIPE, SIG_IGN);

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "ollama_standin: --host %s is not an IPv4 address\n", host);
        return 2;
    }
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 128) < 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &slen) < 0) {
        fprintf(stderr, "ollama_standin: cannot listen on %s:%ld: %s\n", host, port, strerror(errno));
        goto out;
    }
    port = ntohs(sa.sin_port);
    printf("%ld\n", port);
    fflush(stdout);
    if (port_file && si_write_port_file(port_file, (int)port) < 0) {
        fprintf(stderr, "ollama_standin: cannot write %s: %s\n", port_file, strerror(errno));
        goto out;
    }
    si_log(&st, "listening on http://%s:%ld (pid %d, generate=%s, embed=%s)", host, port,
           (int)getpid(), st.gen_mode, st.embed_mode);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    while (!si_stop) {
        struct pollfd p = {.fd = lfd, .events = POLLIN};
        int n = poll(&p, 1, 250);
        if (n <= 0)
            continue;
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        struct timeval tv = {SI_IDLE_S, 0}, tsnd = {10, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tsnd, sizeof(tsnd));
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (atomic_fetch_add(&st.conns, 1) >= st.max_conns) {
            static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
                                       "application/json\r\nContent-Length: 31\r\nConnection: "
                                       "close\r\n\r\n{\"error\":\"too many connections\"}";
            si_send_all(fd, busy, sizeof(busy) - 1);
            close(fd);
            atomic_fetch_sub(&st.conns, 1);
            continue;
        }
        si_conn_arg_t *a = malloc(sizeof(*a));
        pthread_t th;
        if (!a) {
            close(fd);
            atomic_fetch_sub(&st.conns, 1);
            continue;
        }
        a->st = &st;
        a->fd = fd;
        if (pthread_create(&th, &attr, si_conn_main, a) != 0) {
            free(a);
            close(fd);
            atomic_fetch_sub(&st.conns, 1);
        }
    }
    pthread_attr_destroy(&attr);
    si_log(&st, "stopping");
    rc = 0;
out:
    if (lfd >= 0)
        close(lfd);
    return rc;
}
