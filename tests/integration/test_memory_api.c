/*
 * test_memory_api.c — the agent-memory API (plugins/service_memory, on the chronicle pool) end
 * to end through nginx: episodes (store, bulk, get, list, outcome, delete), k-nearest search
 * (exactness, filters, visibility of fresh and deleted rows on both instances), the embedding
 * backfill, strategies and their performance log, working-memory sessions with expiry, the
 * metrics rows, health — each with its bad input — and a recall test: 10,000 random-vector
 * episodes, top-k compared with a brute force computed here (recall 1.0).
 *
 * Every row belongs to projects named from a per-run prefix ("MEM<pid>-<time>"), so the suite
 * reruns on the same database; the episodes are deleted again at the end. The tests run in
 * order and build on each other.
 */
#include "dsm_test.h"
#include "it_http.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DIM 1024
#define ZERO_UUID "00000000-0000-4000-8000-000000000000"

static char run_id[40];
static char prj[64], prj_new[64], prj_back[64], prj_bulk[64], prj_rec[64];
static char ep_a[40], ep_b[40], ep_c[40]; /* three episodes of prj */
static char strat[40], log_id[40];

/* The integration binary is not linked with libm: two tiny stand-ins. */
static double tabs(double x)
{
    return x < 0 ? -x : x;
}

static double tsqrt(double x)
{
    double r = x > 1.0 ? x : 1.0;

    for (int i = 0; i < 200 && x > 0; i++)
        r = 0.5 * (r + x / r);
    return x > 0 ? r : 0.0;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int suite_init(void)
{
    snprintf(run_id, sizeof run_id, "MEM%ld-%ld", (long)getpid(), (long)time(NULL));
    snprintf(prj, sizeof prj, "%s-P", run_id);
    snprintf(prj_new, sizeof prj_new, "%s-N", run_id);
    snprintf(prj_back, sizeof prj_back, "%s-B", run_id);
    snprintf(prj_bulk, sizeof prj_bulk, "%s-K", run_id);
    snprintf(prj_rec, sizeof prj_rec, "%s-R", run_id);
    return 0;
}

/* ---- helpers ---- */

static int is_uuid(const char *s)
{
    if (s == NULL || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        char c = s[i];

        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

static double num(json_object *o, const char *key)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(o, key, &v) || v == NULL)
        return NAN;
    return json_object_get_double(v);
}

static const char *str(json_object *o, const char *key)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* Length of an array; 0 for anything else (json-c asserts on a non-array). */
static size_t alen(json_object *a)
{
    return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* Element i of an array, or NULL. */
static json_object *at(json_object *a, size_t i)
{
    return i < alen(a) ? json_object_array_get_idx(a, i) : NULL;
}

static int is_null(json_object *o, const char *key)
{
    json_object *v = NULL;

    return json_object_object_get_ex(o, key, &v) && v == NULL;
}

/* The 422 list of r has a problem of this type at ["body"|..., field]. */
static int has_problem(const it_resp_t *r, const char *where, const char *field, const char *type)
{
    json_object *d = it_get(r, "detail");
    size_t n = json_object_is_type(d, json_type_array) ? alen(d) : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *p = json_object_array_get_idx(d, i), *loc = NULL;

        if (!json_object_object_get_ex(p, "loc", &loc) || alen(loc) < 1)
            continue;
        if (strcmp(json_object_get_string(json_object_array_get_idx(loc, 0)), where) != 0)
            continue;
        if (field != NULL && (alen(loc) < 2 ||
                              strcmp(json_object_get_string(json_object_array_get_idx(loc, 1)),
                                     field) != 0))
            continue;
        if (type == NULL || (str(p, "type") != NULL && strcmp(str(p, "type"), type) == 0))
            return 1;
    }
    return 0;
}

#define EXPECT_422(r, where, field, type, what)                                                    \
    IT_CHECK((r).status == 422 && it_is_detail_list(&(r)) && has_problem(&(r), where, field, type), \
             "%s: want 422 %s.%s %s -> %s", what, where, field ? field : "", type ? type : "",     \
             it_describe(&(r)))

/* A context that only this run (and tag) produces. */
static char *ctx_json(const char *project, int team, int backlog, const char *tag)
{
    return it_fmt("{\"project_data\":{\"project_id\":\"%s\",\"team_size\":%d,\"backlog_tasks\":%d,"
                  "\"unassigned_tasks\":7,\"active_sprints\":0},"
                  "\"team_availability\":{\"status\":\"ok\",\"conflicts\":[]},"
                  "\"backlog_summary\":{\"total_tasks\":%d,\"unassigned\":7},"
                  "\"current_sprint_status\":null,\"tag\":\"%s\","
                  "\"options\":{\"sprint_duration_weeks\":2,\"max_tasks_per_sprint\":10}}",
                  project, team, backlog, backlog, tag);
}

/* POST an episode; returns its id (malloc'd) or NULL. */
static char *store(const char *project, const char *ctx, const char *extra)
{
    char *body = it_fmt("{\"project_id\":\"%s\",\"context\":%s,\"decision\":{\"decision_rationale\":"
                        "\"test\"},\"actions\":{\"sprint_created\":true,\"tasks_assigned\":6}%s%s}",
                        project, ctx, extra ? "," : "", extra ? extra : "");
    it_resp_t r = it_json("POST", "/v1/memory/episodes", body);
    char *id = NULL;

    IT_CHECK(r.status == 201 && is_uuid(it_get_str(&r, "episode_id")), "store -> %s",
             it_describe(&r));
    if (r.status == 201 && it_get_str(&r, "episode_id") != NULL)
        id = strdup(it_get_str(&r, "episode_id"));
    it_free(&r);
    free(body);
    return id;
}

/* Search; returns the parsed reply (caller puts) or NULL. */
static json_object *search(const char *body, long want)
{
    it_resp_t r = it_json("POST", "/v1/memory/episodes/search", body);
    json_object *o = NULL;

    IT_CHECK(r.status == want, "search %s -> %s", body, it_describe(&r));
    if (r.status == 200)
        o = json_object_get(r.json);
    it_free(&r);
    return o;
}

static json_object *results(json_object *reply)
{
    json_object *a = NULL;

    json_object_object_get_ex(reply, "results", &a);
    return a;
}

static json_object *result_at(json_object *reply, size_t i)
{
    return at(results(reply), i);
}

static const char *result_id(json_object *reply, size_t i)
{
    return str(result_at(reply, i), "episode_id");
}

static size_t result_count(json_object *reply)
{
    json_object *a = results(reply);

    return json_object_is_type(a, json_type_array) ? alen(a) : 0;
}

/* ---- health ---- */

static void test_health(void)
{
    it_resp_t r = it_req("GET", "/v1/memory/health", NULL, NULL);
    json_object *emb = it_get(&r, "embedding"), *srch = it_get(&r, "search");

    IT_CHECK(r.status == 200 && it_is_json_ct(&r), "health -> %s", it_describe(&r));
    IT_CHECK(str(r.json, "status") && strcmp(str(r.json, "status"), "ok") == 0, "status ok");
    IT_CHECK(str(r.json, "database") && strcmp(str(r.json, "database"), "ok") == 0, "database ok");
    IT_CHECK(num(emb, "dimensions") == DIM, "1024 dimensions: %s", it_describe(&r));
    IT_CHECK(str(emb, "provider") != NULL, "provider");
    IT_CHECK(str(srch, "backend") && (strcmp(str(srch, "backend"), "cache") == 0 ||
                                      strcmp(str(srch, "backend"), "pgvector") == 0),
             "backend: %s", it_describe(&r));
    it_free(&r);
    r = it_req("GET", "/v1/memory/health/", NULL, NULL);
    IT_CHECK(r.status == 307, "trailing slash -> %s", it_describe(&r));
    it_free(&r);
    r = it_req("GET", "/v1/memory/nothing-here", NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "Not Found", "unknown memory path");
    it_free(&r);
}

/* ---- episodes ---- */

static void test_episode_store_get(void)
{
    char *ctx = ctx_json(prj, 5, 12, "A"), *body;
    it_resp_t r;
    json_object *sent, *emb;
    char up[40], *path;
    double ss = 0;

    /* an explicit id: generate one from the time, canonical v4 shape */
    snprintf(ep_a, sizeof ep_a, "%08lx-%04x-4%03x-8%03x-%012lx", (unsigned long)time(NULL),
             (unsigned)getpid() & 0xffff, (unsigned)rand() & 0xfff, (unsigned)rand() & 0xfff,
             (unsigned long)(now_s() * 1e6) & 0xffffffffffful);
    body = it_fmt("{\"episode_id\":\"%s\",\"project_id\":\"%s\",\"context\":%s,"
                  "\"decision\":{\"decision_rationale\":\"r\",\"confidence_scores\":{\"overall\":0.7}},"
                  "\"actions\":{\"sprint_created\":true,\"tasks_assigned\":6},"
                  "\"patterns\":{\"similar_episodes_count\":0},\"sprint_id\":\"%s-S01\","
                  "\"decision_source\":\"rule_based_only\",\"agent_version\":\"2.0.0\"}",
                  ep_a, prj, ctx, run_id);
    r = it_json("POST", "/v1/memory/episodes", body);
    IT_CHECK(r.status == 201, "store A -> %s", it_describe(&r));
    IT_CHECK(str(r.json, "episode_id") && strcmp(str(r.json, "episode_id"), ep_a) == 0,
             "the given id is kept");
    IT_CHECK(str(r.json, "episode_type") && strcmp(str(r.json, "episode_type"), "orchestration_decision") == 0,
             "default episode_type");
    IT_CHECK(str(r.json, "control_mode") && strcmp(str(r.json, "control_mode"), "rule_based_only") == 0,
             "default control_mode");
    IT_CHECK(json_object_get_boolean(it_get(&r, "has_embedding")) &&
                 !json_object_get_boolean(it_get(&r, "requires_embedding")),
             "embedded on write: %s", it_describe(&r));
    IT_CHECK(str(r.json, "embedding_source") != NULL && strcmp(str(r.json, "embedding_source"), "deferred") != 0,
             "embedding_source");
    IT_CHECK(is_null(r.json, "outcome") && is_null(r.json, "outcome_quality") &&
                 is_null(r.json, "outcome_recorded_at"),
             "no outcome yet");
    IT_CHECK(str(r.json, "timestamp") != NULL && strchr(str(r.json, "timestamp"), 'T') != NULL,
             "ISO timestamp");
    sent = json_tokener_parse(ctx);
    IT_CHECK(json_object_equal(sent, it_get(&r, "context")), "context round-trips");
    it_free(&r);

    /* duplicate id */
    r = it_json("POST", "/v1/memory/episodes", body);
    path = it_fmt("Episode %s already exists", ep_a);
    IT_EXPECT_ERROR(&r, 409, path, "duplicate episode id");
    it_free(&r);
    free(path);

    /* get, also with an upper-case id; with the embedding */
    for (int i = 0; i < 36; i++)
        up[i] = (char)(ep_a[i] >= 'a' && ep_a[i] <= 'f' ? ep_a[i] - 32 : ep_a[i]);
    up[36] = '\0';
    path = it_fmt("/v1/memory/episodes/%s?include_embedding=true", up);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && str(r.json, "episode_id") && strcmp(str(r.json, "episode_id"), ep_a) == 0,
             "get A -> %s", it_describe(&r));
    IT_CHECK(json_object_equal(sent, it_get(&r, "context")), "context as stored");
    emb = it_get(&r, "embedding");
    IT_CHECK(json_object_is_type(emb, json_type_array) && alen(emb) == DIM,
             "1024-float embedding");
    for (size_t i = 0; emb != NULL && i < alen(emb); i++) {
        double v = json_object_get_double(at(emb, i));
        ss += v * v;
    }
    IT_CHECK(tabs(ss - 1.0) < 1e-4, "embedding is normalised (|v|^2 = %f)", ss);
    it_free(&r);
    free(path);
    r = it_req("GET", "/v1/memory/episodes/" ZERO_UUID, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "Episode " ZERO_UUID " not found", "unknown episode");
    it_free(&r);
    r = it_req("GET", "/v1/memory/episodes/not-a-uuid", NULL, NULL);
    EXPECT_422(r, "path", "episode_id", "uuid_parsing", "bad episode id");
    it_free(&r);
    path = it_fmt("/v1/memory/episodes/%s?include_embedding=maybe", ep_a);
    r = it_req("GET", path, NULL, NULL);
    EXPECT_422(r, "query", "include_embedding", "bool_parsing", "bad include_embedding");
    it_free(&r);
    free(path);
    json_object_put(sent);
    free(body);
    free(ctx);

    /* two more episodes of the project: a near neighbour of A and an unrelated one */
    ctx = ctx_json(prj, 5, 14, "A");
    {
        char *id = store(prj, ctx, NULL);
        snprintf(ep_b, sizeof ep_b, "%s", id ? id : "");
        free(id);
    }
    free(ctx);
    ctx = it_fmt("{\"weather\":\"rain\",\"city\":\"Lisbon %s\",\"temperature_c\":17.5,"
                 "\"wind\":{\"speed_kmh\":30,\"direction\":\"NW\"}}", run_id);
    {
        char *id = store(prj, ctx, "\"episode_type\":\"other\"");
        snprintf(ep_c, sizeof ep_c, "%s", id ? id : "");
        free(id);
    }
    free(ctx);
}

static void test_episode_bad_input(void)
{
    char *long_id = it_fmt("%051d", 7), *body;
    it_resp_t r;

    r = it_json("POST", "/v1/memory/episodes", "{\"context\":{},\"decision\":{},\"actions\":[]}");
    EXPECT_422(r, "body", "project_id", "missing", "missing project_id");
    it_free(&r);
    body = it_fmt("{\"project_id\":\"%s\",\"context\":{},\"decision\":{},\"actions\":[]}", long_id);
    r = it_json("POST", "/v1/memory/episodes", body);
    EXPECT_422(r, "body", "project_id", "string_too_long", "51-character project_id");
    it_free(&r);
    free(body);
    r = it_json("POST", "/v1/memory/episodes",
                "{\"project_id\":\"X\",\"context\":[1],\"decision\":\"d\",\"actions\":5,"
                "\"outcome_quality\":1.5,\"episode_id\":\"nope\",\"sprint_id\":7}");
    EXPECT_422(r, "body", "context", "dict_type", "context not an object");
    EXPECT_422(r, "body", "decision", "dict_type", "decision not an object");
    EXPECT_422(r, "body", "actions", "dict_type", "actions not an object or list");
    EXPECT_422(r, "body", "outcome_quality", "less_than_equal", "quality > 1");
    EXPECT_422(r, "body", "episode_id", "uuid_parsing", "bad episode_id");
    EXPECT_422(r, "body", "sprint_id", "string_type", "sprint_id not a string");
    it_free(&r);
    r = it_json("POST", "/v1/memory/episodes",
                "{\"project_id\":\"X\",\"context\":{},\"decision\":{},\"actions\":[],"
                "\"outcome_quality\":-0.1}");
    EXPECT_422(r, "body", "outcome_quality", "greater_than_equal", "quality < 0");
    it_free(&r);
    r = it_json("POST", "/v1/memory/episodes", "{\"project_id\":\"X\",\"context\":{");
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "malformed JSON -> %s", it_describe(&r));
    it_free(&r);
    r = it_json("POST", "/v1/memory/episodes", "[1,2]");
    IT_CHECK(r.status == 422 && it_is_detail_list(&r), "array body -> %s", it_describe(&r));
    it_free(&r);
    r = it_json("POST", "/v1/memory/episodes",
                "{\"project_id\":\"X\",\"context\":{},\"decision\":{},\"actions\":[],"
                "\"timestamp\":\"yesterday-ish\"}");
    IT_CHECK(r.status == 422 && it_is_json_error(&r) && str(r.json, "detail") &&
                 strncmp(str(r.json, "detail"), "Invalid value", 13) == 0,
             "bad timestamp -> %s", it_describe(&r));
    it_free(&r);
    /* embeddings: wrong length, zero, not numbers, both embedding and requires_embedding */
    r = it_json("POST", "/v1/memory/episodes",
                "{\"project_id\":\"X\",\"context\":{},\"decision\":{},\"actions\":[],"
                "\"embedding\":[0.1,0.2]}");
    EXPECT_422(r, "body", "embedding", "too_short", "2-float embedding");
    it_free(&r);
    {
        size_t cap = DIM * 6 + 200, n;
        char *zero = malloc(cap), *strs = malloc(cap), *ok = malloc(cap);

        n = (size_t)snprintf(zero, cap, "{\"project_id\":\"X\",\"context\":{},\"decision\":{},"
                                        "\"actions\":[],\"embedding\":[");
        memcpy(strs, zero, n + 1);
        memcpy(ok, zero, n + 1);
        for (int i = 0; i < DIM; i++) {
            strcat(zero, i ? ",0" : "0");
            strcat(strs, i ? ",\"1\"" : "\"1\"");
            strcat(ok, i ? ",1" : "1");
        }
        strcat(zero, "]}");
        strcat(strs, "]}");
        strcat(ok, "],\"requires_embedding\":true}");
        r = it_json("POST", "/v1/memory/episodes", zero);
        EXPECT_422(r, "body", "embedding", "value_error", "zero embedding");
        it_free(&r);
        r = it_json("POST", "/v1/memory/episodes", strs);
        EXPECT_422(r, "body", "embedding.0", "float_type", "embedding of strings");
        it_free(&r);
        r = it_json("POST", "/v1/memory/episodes", ok);
        EXPECT_422(r, "body", "requires_embedding", "value_error", "embedding + requires_embedding");
        it_free(&r);
        free(zero);
        free(strs);
        free(ok);
    }
    free(long_id);
}

/* ---- search ---- */

static void test_search(void)
{
    char *ctx = ctx_json(prj, 5, 12, "A"), *body;
    json_object *o;
    double s0, s1, s2;

    /* all three of the project, best first: A itself, its neighbour B, then C */
    body = it_fmt("{\"context\":%s,\"project_id\":\"%s\",\"k\":3,\"min_similarity\":-1}", ctx, prj);
    o = search(body, 200);
    IT_CHECK(result_count(o) == 3, "3 results: %s", it_compact(o));
    IT_CHECK(result_id(o, 0) && strcmp(result_id(o, 0), ep_a) == 0, "A first");
    IT_CHECK(result_id(o, 1) && strcmp(result_id(o, 1), ep_b) == 0, "B second");
    IT_CHECK(result_id(o, 2) && strcmp(result_id(o, 2), ep_c) == 0, "C third");
    s0 = num(result_at(o, 0), "similarity");
    s1 = num(result_at(o, 1), "similarity");
    s2 = num(result_at(o, 2), "similarity");
    IT_CHECK(tabs(s0 - 1.0) < 1e-5, "identical context: similarity 1 (%f)", s0);
    IT_CHECK(s0 >= s1 && s1 >= s2 && s1 > 0.5 && s2 < 0.5, "ordered: %f %f %f", s0, s1, s2);
    IT_CHECK(num(o, "count") == 3 && num(o, "k") == 3, "count and k");
    IT_CHECK(str(o, "backend") != NULL && json_object_get_boolean(json_object_object_get(o, "exact")),
             "exact backend");
    IT_CHECK(json_object_is_type(json_object_object_get(result_at(o, 0),
                                                        "context"), json_type_object),
             "results carry the episode");
    json_object_put(o);
    free(body);

    /* k, min_similarity, no project filter, an unknown project */
    body = it_fmt("{\"context\":%s,\"project_id\":\"%s\",\"k\":1}", ctx, prj);
    o = search(body, 200);
    IT_CHECK(result_count(o) == 1 && result_id(o, 0) && strcmp(result_id(o, 0), ep_a) == 0, "k=1");
    json_object_put(o);
    free(body);
    body = it_fmt("{\"context\":%s,\"project_id\":\"%s\",\"min_similarity\":0.999}", ctx, prj);
    o = search(body, 200);
    IT_CHECK(result_count(o) == 1, "min_similarity 0.999 keeps only A: %s", it_compact(o));
    json_object_put(o);
    free(body);
    body = it_fmt("{\"context\":%s,\"k\":1}", ctx);
    o = search(body, 200);
    IT_CHECK(result_id(o, 0) && strcmp(result_id(o, 0), ep_a) == 0, "no filter: A first");
    json_object_put(o);
    free(body);
    body = it_fmt("{\"context\":%s,\"project_id\":\"%s-none\"}", ctx, prj);
    o = search(body, 200);
    IT_CHECK(result_count(o) == 0, "unknown project: no results");
    json_object_put(o);
    free(body);

    /* by embedding: A's own vector finds A with similarity 1 */
    {
        char *path = it_fmt("/v1/memory/episodes/%s?include_embedding=1", ep_a);
        it_resp_t r = it_req("GET", path, NULL, NULL);
        json_object *emb = it_get(&r, "embedding");

        body = it_fmt("{\"embedding\":%s,\"project_id\":\"%s\",\"k\":2}", it_compact(emb), prj);
        it_free(&r);
        free(path);
        o = search(body, 200);
        IT_CHECK(result_id(o, 0) && strcmp(result_id(o, 0), ep_a) == 0, "embedding query: A first");
        IT_CHECK(tabs(num(result_at(o, 0), "similarity") - 1.0) < 1e-5,
                 "embedding query: similarity 1");
        json_object_put(o);
        free(body);
    }

    /* bad input */
    {
        it_resp_t r = it_json("POST", "/v1/memory/episodes/search", "{\"k\":3}");

        EXPECT_422(r, "body", "context", "missing", "neither context nor embedding");
        it_free(&r);
        body = it_fmt("{\"context\":%s,\"embedding\":[%s]}", ctx, "1");
        r = it_json("POST", "/v1/memory/episodes/search", body);
        IT_CHECK(r.status == 422, "context + embedding -> %s", it_describe(&r));
        it_free(&r);
        free(body);
        body = it_fmt("{\"context\":%s,\"k\":0,\"min_similarity\":2}", ctx);
        r = it_json("POST", "/v1/memory/episodes/search", body);
        EXPECT_422(r, "body", "k", "greater_than_equal", "k = 0");
        EXPECT_422(r, "body", "min_similarity", "less_than_equal", "min_similarity 2");
        it_free(&r);
        free(body);
        body = it_fmt("{\"context\":%s,\"k\":101}", ctx);
        r = it_json("POST", "/v1/memory/episodes/search", body);
        EXPECT_422(r, "body", "k", "less_than_equal", "k = 101");
        it_free(&r);
        free(body);
        r = it_json("POST", "/v1/memory/episodes/search", "{\"context\":\"text\",\"k\":\"five\"}");
        EXPECT_422(r, "body", "context", "dict_type", "context a string");
        EXPECT_422(r, "body", "k", "int_type", "k a string");
        it_free(&r);
    }
    free(ctx);
}

/* A row stored through one instance is found at once by searches on both instances (nginx
 * alternates between them); a deleted one is gone from both. */
static void test_search_sees_fresh_and_deleted(void)
{
    char *ids[12] = {0};

    for (int i = 0; i < 12; i++) {
        char tag[32], *ctx, *body;
        json_object *o;

        snprintf(tag, sizeof tag, "fresh-%d", i);
        ctx = ctx_json(prj_new, 3 + i, 20 + i, tag);
        ids[i] = store(prj_new, ctx, NULL);
        body = it_fmt("{\"context\":%s,\"project_id\":\"%s\",\"k\":1}", ctx, prj_new);
        o = search(body, 200);
        IT_CHECK(ids[i] && result_id(o, 0) && strcmp(result_id(o, 0), ids[i]) == 0,
                 "fresh episode %d found at once: %s", i, it_compact(o));
        json_object_put(o);
        /* the other instance too */
        o = search(body, 200);
        IT_CHECK(ids[i] && result_id(o, 0) && strcmp(result_id(o, 0), ids[i]) == 0,
                 "fresh episode %d found by the next search too", i);
        json_object_put(o);
        free(body);
        free(ctx);
    }
    /* delete every other one; searches on both instances no longer return them */
    for (int i = 0; i < 12; i += 2) {
        char *path = it_fmt("/v1/memory/episodes/%s", ids[i] ? ids[i] : ZERO_UUID);
        it_resp_t r = it_req("DELETE", path, NULL, NULL);

        IT_CHECK(r.status == 200 && str(r.json, "deleted") && ids[i] &&
                     strcmp(str(r.json, "deleted"), ids[i]) == 0,
                 "delete -> %s", it_describe(&r));
        it_free(&r);
        r = it_req("DELETE", path, NULL, NULL);
        IT_CHECK(r.status == 404 && it_is_json_error(&r), "delete again -> %s", it_describe(&r));
        it_free(&r);
        r = it_req("GET", path, NULL, NULL);
        IT_CHECK(r.status == 404, "deleted episode: get -> %s", it_describe(&r));
        it_free(&r);
        free(path);
    }
    for (int round = 0; round < 4; round++) {
        char *body = it_fmt("{\"context\":%s,\"project_id\":\"%s\",\"k\":20,\"min_similarity\":-1}",
                            "{\"any\":1}", prj_new);
        json_object *o = search(body, 200);

        IT_CHECK(result_count(o) == 6, "6 left after deleting 6 (round %d): %zu", round,
                 result_count(o));
        for (size_t j = 0; j < result_count(o); j++)
            for (int i = 0; i < 12; i += 2)
                IT_CHECK(ids[i] == NULL || strcmp(result_id(o, j), ids[i]) != 0,
                         "a deleted episode came back");
        json_object_put(o);
        free(body);
    }
    for (int i = 0; i < 12; i++)
        free(ids[i]);
}

/* with_outcome: 30 close episodes without an outcome, 2 farther ones with one — the search
 * widens its candidate scan until it has the k best with an outcome. */
static void test_search_with_outcome(void)
{
    char pid[80], *near = NULL, *far = NULL, *ids[2] = {NULL, NULL}, *body, *first = NULL;
    json_object *o;

    snprintf(pid, sizeof pid, "%s-O", run_id);
    near = ctx_json(pid, 5, 10, "near");
    far = ctx_json(pid, 9, 40, "far away context");
    for (int i = 0; i < 30; i++) {
        char *id = store(pid, near, NULL);

        if (i == 0)
            first = id;
        else
            free(id);
    }
    ids[0] = store(pid, far, "\"outcome\":{\"completed\":5,\"committed\":6},\"outcome_quality\":0.83");
    ids[1] = store(pid, far, "\"outcome_quality\":0.5");
    body = it_fmt("{\"context\":%s,\"k\":2,\"min_similarity\":-1,\"project_id\":\"%s\","
                  "\"with_outcome\":true}", near, pid);
    o = search(body, 200);
    IT_CHECK(o != NULL && result_count(o) == 2 && ids[0] && ids[1] &&
                 ((strcmp(result_id(o, 0), ids[0]) == 0 && strcmp(result_id(o, 1), ids[1]) == 0) ||
                  (strcmp(result_id(o, 0), ids[1]) == 0 && strcmp(result_id(o, 1), ids[0]) == 0)),
             "with_outcome finds the 2 episodes with an outcome behind 30 closer ones: %s",
             o ? json_object_to_json_string(o) : "no answer");
    json_object_put(o);
    free(body);
    body = it_fmt("{\"context\":%s,\"k\":2,\"min_similarity\":-1,\"project_id\":\"%s\"}", near, pid);
    o = search(body, 200);
    IT_CHECK(o != NULL && result_count(o) == 2 && ids[0] && ids[1] &&
                 strcmp(result_id(o, 0), ids[0]) != 0 && strcmp(result_id(o, 0), ids[1]) != 0,
             "without with_outcome the closest (no outcome) come first");
    json_object_put(o);
    free(body);
    /* an outcome recorded later counts at once (the cache re-reads the row) */
    if (first != NULL) {
        char *path = it_fmt("/v1/memory/episodes/%s/outcome", first);
        it_resp_t r = it_json("PUT", path, "{\"outcome\":{\"completed\":4,\"committed\":4},"
                                           "\"outcome_quality\":1.0}");

        IT_CHECK(r.status == 200, "outcome of a near episode -> %s", it_describe(&r));
        it_free(&r);
        free(path);
        body = it_fmt("{\"context\":%s,\"k\":2,\"min_similarity\":-1,\"project_id\":\"%s\","
                      "\"with_outcome\":true}", near, pid);
        o = search(body, 200);
        IT_CHECK(o != NULL && result_count(o) == 2 && strcmp(result_id(o, 0), first) == 0,
                 "the near episode with its new outcome comes first: %s",
                 o ? json_object_to_json_string(o) : "no answer");
        json_object_put(o);
        free(body);
    }
    o = search("{\"context\":{\"a\":1},\"with_outcome\":\"maybe\"}", 422);
    json_object_put(o);
    free(first);
    free(ids[0]);
    free(ids[1]);
    free(near);
    free(far);
}

static void test_episode_list(void)
{
    char *path = it_fmt("/v1/memory/episodes?project_id=%s", prj);
    it_resp_t r = it_req("GET", path, NULL, NULL);
    json_object *eps = it_get(&r, "episodes");

    IT_CHECK(r.status == 200 && num(r.json, "count") == 3, "list project -> %s", it_describe(&r));
    IT_CHECK(it_array_find(eps, "episode_id", ep_a) && it_array_find(eps, "episode_id", ep_c),
             "A and C listed");
    IT_CHECK(str(at(eps, 0), "episode_id") &&
                 strcmp(str(at(eps, 0), "episode_id"), ep_c) == 0,
             "newest first");
    it_free(&r);
    free(path);
    path = it_fmt("/v1/memory/episodes?project_id=%s&sprint_id=%s-S01&since_hours=1&limit=10", prj, run_id);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && num(r.json, "count") == 1 &&
                 it_array_find(it_get(&r, "episodes"), "episode_id", ep_a),
             "by sprint -> %s", it_describe(&r));
    it_free(&r);
    free(path);
    path = it_fmt("/v1/memory/episodes?project_id=%s&limit=1&offset=1", prj);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && num(r.json, "count") == 1 &&
                 it_array_find(it_get(&r, "episodes"), "episode_id", ep_b),
             "limit/offset -> %s", it_describe(&r));
    it_free(&r);
    free(path);
    r = it_req("GET", "/v1/memory/episodes?limit=0&since_hours=-2&offset=x", NULL, NULL);
    EXPECT_422(r, "query", "limit", "greater_than_equal", "limit 0");
    EXPECT_422(r, "query", "since_hours", "greater_than_equal", "since_hours < 0");
    EXPECT_422(r, "query", "offset", "int_parsing", "offset x");
    it_free(&r);
    r = it_req("DELETE", "/v1/memory/episodes", NULL, NULL);
    EXPECT_422(r, "query", "project_id", "missing", "delete without project_id");
    it_free(&r);
}

static void test_episode_outcome(void)
{
    char *path = it_fmt("/v1/memory/episodes/%s/outcome", ep_a);
    it_resp_t r = it_json("PUT", path,
                          "{\"outcome\":{\"success\":true,\"metrics\":{\"completion_rate\":0.9}},"
                          "\"outcome_quality\":0.9}");

    IT_CHECK(r.status == 200 && num(r.json, "outcome_quality") == 0.9, "outcome -> %s",
             it_describe(&r));
    IT_CHECK(!is_null(r.json, "outcome_recorded_at") &&
                 json_object_get_boolean(json_object_object_get(it_get(&r, "outcome"), "success")),
             "outcome stored");
    IT_CHECK(num(r.json, "performance_rows_updated") == 0, "no performance rows yet");
    it_free(&r);
    r = it_json("PUT", path, "{\"outcome_quality\":1.5}");
    EXPECT_422(r, "body", "outcome", "missing", "outcome missing");
    EXPECT_422(r, "body", "outcome_quality", "less_than_equal", "quality 1.5");
    it_free(&r);
    r = it_json("PUT", path, "\"done\"");
    IT_CHECK(r.status == 422, "string body -> %s", it_describe(&r));
    it_free(&r);
    free(path);
    r = it_json("PUT", "/v1/memory/episodes/" ZERO_UUID "/outcome", "{\"outcome\":{}}");
    IT_EXPECT_ERROR(&r, 404, "Episode " ZERO_UUID " not found", "outcome of unknown episode");
    it_free(&r);
}

/* ---- bulk ---- */

static void test_bulk(void)
{
    char *items = it_fmt("{\"episodes\":[{\"project_id\":\"%s\",\"context\":{\"n\":1},\"decision\":{},"
                         "\"actions\":[\"a\"]},{\"project_id\":\"%s\",\"context\":{\"n\":2},"
                         "\"decision\":{},\"actions\":[],\"outcome\":{\"success\":false},"
                         "\"outcome_quality\":0.2},{\"project_id\":\"%s\",\"context\":{\"n\":3},"
                         "\"decision\":{},\"actions\":[],\"requires_embedding\":true}]}",
                         prj_bulk, prj_bulk, prj_bulk);
    it_resp_t r = it_json("POST", "/v1/memory/episodes/bulk", items);
    json_object *ids = it_get(&r, "episode_ids");
    char *path, *big;

    IT_CHECK(r.status == 201 && num(r.json, "inserted") == 3 &&
                 alen(ids) == 3,
             "bulk of 3 -> %s", it_describe(&r));
    IT_CHECK(num(it_get(&r, "embedding_sources"), "deferred") == 1, "one deferred");
    if (alen(ids) == 3) {
        path = it_fmt("/v1/memory/episodes/%s", json_object_get_string(at(ids, 1)));
        it_resp_t g = it_req("GET", path, NULL, NULL);

        IT_CHECK(g.status == 200 && num(g.json, "outcome_quality") == 0.2 &&
                     num(it_get(&g, "context"), "n") == 2 && !is_null(g.json, "outcome_recorded_at"),
                 "ids in request order -> %s", it_describe(&g));
        it_free(&g);
        free(path);
    }
    it_free(&r);
    free(items);

    r = it_json("POST", "/v1/memory/episodes/bulk", "{\"episodes\":[]}");
    EXPECT_422(r, "body", "episodes", "too_short", "empty bulk");
    it_free(&r);
    r = it_json("POST", "/v1/memory/episodes/bulk", "{\"items\":[]}");
    EXPECT_422(r, "body", "episodes", "missing", "no episodes member");
    it_free(&r);
    r = it_json("POST", "/v1/memory/episodes/bulk",
                "{\"episodes\":[{\"project_id\":\"X\",\"decision\":{},\"actions\":[]},7]}");
    EXPECT_422(r, "body", "episodes.0.context", "missing", "bulk item without context");
    EXPECT_422(r, "body", "episodes.1", "dict_type", "bulk item not an object");
    it_free(&r);
    big = malloc(1002 * 64 + 32);
    strcpy(big, "{\"episodes\":[");
    for (int i = 0; i < 1001; i++)
        strcat(big, i ? ",{\"project_id\":\"X\"}" : "{\"project_id\":\"X\"}");
    strcat(big, "]}");
    r = it_json("POST", "/v1/memory/episodes/bulk", big);
    EXPECT_422(r, "body", "episodes", "too_long", "1001 episodes");
    it_free(&r);
    free(big);
    items = it_fmt("{\"episodes\":[{\"episode_id\":\"%s\",\"project_id\":\"%s\",\"context\":{},"
                   "\"decision\":{},\"actions\":[]}]}", ep_a, prj_bulk);
    r = it_json("POST", "/v1/memory/episodes/bulk", items);
    IT_CHECK(r.status == 409 && it_is_json_error(&r), "bulk with an existing id -> %s", it_describe(&r));
    it_free(&r);
    free(items);
}

/* ---- backfill ---- */

static void test_backfill(void)
{
    char *ctx = ctx_json(prj_back, 4, 9, "backfill"), *body, *id;
    json_object *o;
    it_resp_t r;
    int rounds = 0;
    double remaining = -1;

    id = store(prj_back, ctx, "\"requires_embedding\":true");
    body = it_fmt("{\"context\":%s,\"project_id\":\"%s\",\"min_similarity\":-1}", ctx, prj_back);
    o = search(body, 200);
    IT_CHECK(result_count(o) == 0, "not searchable before the backfill");
    json_object_put(o);

    r = it_req("POST", "/v1/memory/embeddings/backfill?limit=0", NULL, NULL);
    IT_CHECK(r.status == 200 && num(r.json, "processed") == 0 && num(r.json, "remaining") >= 1,
             "status only -> %s", it_describe(&r));
    it_free(&r);
    do {
        r = it_req("POST", "/v1/memory/embeddings/backfill?limit=1000", NULL, NULL);
        IT_CHECK(r.status == 200 && num(r.json, "failed") == 0, "backfill -> %s", it_describe(&r));
        remaining = r.status == 200 ? num(r.json, "remaining") : 0;
        it_free(&r);
    } while (remaining > 0 && ++rounds < 20);
    IT_CHECK(remaining == 0, "nothing left to backfill");

    o = search(body, 200);
    IT_CHECK(id && result_id(o, 0) && strcmp(result_id(o, 0), id) == 0 &&
                 tabs(num(result_at(o, 0), "similarity") - 1.0) < 1e-5,
             "found after the backfill, same vector as a direct store: %s", it_compact(o));
    json_object_put(o);

    r = it_req("POST", "/v1/memory/embeddings/backfill?limit=1001", NULL, NULL);
    EXPECT_422(r, "query", "limit", "less_than_equal", "limit 1001");
    it_free(&r);
    r = it_req("POST", "/v1/memory/embeddings/backfill?limit=x", NULL, NULL);
    EXPECT_422(r, "query", "limit", "int_parsing", "limit x");
    it_free(&r);
    r = it_req("GET", "/v1/memory/embeddings/backfill", NULL, NULL);
    IT_CHECK(r.status == 405, "GET backfill -> %s", it_describe(&r));
    it_free(&r);
    free(id);
    free(body);
    free(ctx);
}

/* ---- strategies and their performance log ---- */

static void test_strategies(void)
{
    char *body = it_fmt("{\"description\":\"Small teams %s\",\"content\":{\"applicability_conditions\":"
                        "{\"team_size\":{\"min\":1,\"max\":3}},\"recommendation\":{\"action\":"
                        "\"reduce_task_count\",\"adjustment_percent\":0.25}},\"confidence\":0.8,"
                        "\"supporting_episodes\":[\"%s\",\"%s\",\"%s\"]}",
                        run_id, ep_a, ep_b, ep_c);
    it_resp_t r = it_json("POST", "/v1/memory/strategies", body);
    char *path;

    IT_CHECK(r.status == 201 && is_uuid(str(r.json, "knowledge_id")), "create -> %s", it_describe(&r));
    IT_CHECK(str(r.json, "knowledge_type") && strcmp(str(r.json, "knowledge_type"), "strategy") == 0 &&
                 num(r.json, "confidence") == 0.8 && is_null(r.json, "success_rate") &&
                 num(r.json, "times_applied") == 0 && str(r.json, "created_by") &&
                 strcmp(str(r.json, "created_by"), "system") == 0 &&
                 json_object_get_boolean(it_get(&r, "is_active")),
             "defaults: %s", it_describe(&r));
    IT_CHECK(alen(it_get(&r, "supporting_episodes")) == 3 &&
                 alen(it_get(&r, "contradicting_episodes")) == 0,
             "episode lists");
    snprintf(strat, sizeof strat, "%s", str(r.json, "knowledge_id") ? str(r.json, "knowledge_id") : "");
    it_free(&r);
    free(body);

    path = it_fmt("/v1/memory/strategies/%s", strat);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && num(json_object_object_get(it_get(&r, "content"), "recommendation"),
                                    "adjustment_percent") == 0.25,
             "get -> %s", it_describe(&r));
    it_free(&r);
    r = it_json("PATCH", path, "{\"add_times_applied\":1,\"add_success_count\":3,"
                               "\"add_failure_count\":1,\"mark_applied\":true}");
    IT_CHECK(r.status == 200 && num(r.json, "times_applied") == 1 && num(r.json, "success_rate") == 0.75 &&
                 !is_null(r.json, "last_applied") && is_null(r.json, "last_validated"),
             "counters -> %s", it_describe(&r));
    it_free(&r);
    r = it_json("PATCH", path, "{\"times_applied\":10,\"add_times_applied\":2,\"confidence\":0.9,"
                               "\"mark_validated\":true,\"description\":\"renamed\"}");
    IT_CHECK(r.status == 200 && num(r.json, "times_applied") == 12 && num(r.json, "confidence") == 0.9 &&
                 !is_null(r.json, "last_validated") && str(r.json, "description") &&
                 strcmp(str(r.json, "description"), "renamed") == 0,
             "set + increment -> %s", it_describe(&r));
    it_free(&r);
    r = it_json("PATCH", path, "{\"confidence\":1.5,\"add_success_count\":-1,\"supporting_episodes\":[\"x\"]}");
    EXPECT_422(r, "body", "confidence", "less_than_equal", "confidence 1.5");
    EXPECT_422(r, "body", "add_success_count", "greater_than_equal", "negative increment");
    EXPECT_422(r, "body", "supporting_episodes.0", "uuid_parsing", "bad episode id in list");
    it_free(&r);
    free(path);
    r = it_json("PATCH", "/v1/memory/strategies/" ZERO_UUID, "{\"confidence\":0.1}");
    IT_EXPECT_ERROR(&r, 404, "Strategy " ZERO_UUID " not found", "patch unknown strategy");
    it_free(&r);
    r = it_req("GET", "/v1/memory/strategies/" ZERO_UUID, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "Strategy " ZERO_UUID " not found", "get unknown strategy");
    it_free(&r);
    r = it_req("GET", "/v1/memory/strategies/123", NULL, NULL);
    EXPECT_422(r, "path", "strategy_id", "uuid_parsing", "bad strategy id");
    it_free(&r);
    r = it_json("POST", "/v1/memory/strategies",
                "{\"knowledge_type\":\"hunch\",\"content\":[],\"confidence\":-1}");
    EXPECT_422(r, "body", "knowledge_type", "literal_error", "unknown knowledge_type");
    EXPECT_422(r, "body", "content", "dict_type", "content a list");
    EXPECT_422(r, "body", "description", "missing", "description missing");
    EXPECT_422(r, "body", "confidence", "greater_than_equal", "confidence -1");
    it_free(&r);

    /* listing: filters, order, inactive ones hidden by default */
    r = it_req("GET", "/v1/memory/strategies?knowledge_type=strategy&min_confidence=0.85&limit=1000", NULL, NULL);
    IT_CHECK(r.status == 200 && it_array_find(it_get(&r, "strategies"), "knowledge_id", strat),
             "listed -> %s", it_describe(&r));
    it_free(&r);
    path = it_fmt("/v1/memory/strategies/%s", strat);
    r = it_json("PATCH", path, "{\"is_active\":false}");
    IT_CHECK(r.status == 200 && !json_object_get_boolean(it_get(&r, "is_active")), "deactivate");
    it_free(&r);
    r = it_req("GET", "/v1/memory/strategies?min_confidence=0.85&limit=1000", NULL, NULL);
    IT_CHECK(r.status == 200 && !it_array_find(it_get(&r, "strategies"), "knowledge_id", strat),
             "inactive hidden");
    it_free(&r);
    r = it_req("GET", "/v1/memory/strategies?min_confidence=0.85&include_inactive=true&limit=1000", NULL, NULL);
    IT_CHECK(r.status == 200 && it_array_find(it_get(&r, "strategies"), "knowledge_id", strat),
             "include_inactive");
    it_free(&r);
    /* as_of: the repository as it was — deactivated since (just now) but active an hour ago?
     * It did not exist an hour ago; it did in a minute's time, and was inactive by then. */
    r = it_req("GET", "/v1/memory/strategies?min_confidence=0.85&limit=1000&as_of=2000-01-01T00:00:00", NULL, NULL);
    IT_CHECK(r.status == 200 && !it_array_find(it_get(&r, "strategies"), "knowledge_id", strat),
             "as_of before its creation hides it: %s", it_describe(&r));
    it_free(&r);
    r = it_req("GET", "/v1/memory/strategies?min_confidence=0.85&limit=1000&as_of=2999-01-01T00:00:00Z", NULL, NULL);
    IT_CHECK(r.status == 200 && !it_array_find(it_get(&r, "strategies"), "knowledge_id", strat),
             "as_of after its deactivation hides it: %s", it_describe(&r));
    it_free(&r);
    {
        /* created_at <= as_of < the deactivation: listed, although inactive now */
        it_resp_t g = it_req("GET", path, NULL, NULL);
        const char *created = json_object_get_string(it_get(&g, "created_at"));
        char at[80] = "", *q;

        for (size_t i = 0, o = 0; created && created[i] && o + 4 < sizeof at; i++)
            o += (size_t)snprintf(at + o, sizeof at - o, created[i] == '+' ? "%%2B" : "%c", created[i]);
        q = it_fmt("/v1/memory/strategies?min_confidence=0.85&limit=1000&as_of=%s", at);

        r = it_req("GET", q, NULL, NULL);
        IT_CHECK(r.status == 200 && it_array_find(it_get(&r, "strategies"), "knowledge_id", strat),
                 "as_of between creation and deactivation lists it: %s", it_describe(&r));
        it_free(&r);
        it_free(&g);
        free(q);
    }
    r = it_req("GET", "/v1/memory/strategies?as_of=yesterday%20noon", NULL, NULL);
    IT_CHECK(r.status == 422 && it_is_json_error(&r), "as_of not a time: %s", it_describe(&r));
    it_free(&r);
    r = it_json("PATCH", path, "{\"is_active\":true}");
    it_free(&r);
    free(path);
    r = it_req("GET", "/v1/memory/strategies?min_confidence=2&limit=0", NULL, NULL);
    EXPECT_422(r, "query", "min_confidence", "less_than_equal", "min_confidence 2");
    EXPECT_422(r, "query", "limit", "greater_than_equal", "limit 0");
    it_free(&r);
}

static void test_performance_log(void)
{
    char *path = it_fmt("/v1/memory/strategies/%s/performance", strat), *body, *p2;
    it_resp_t r;

    body = it_fmt("{\"episode_id\":\"%s\",\"project_id\":\"%s\",\"strategy_confidence\":0.8,"
                  "\"predicted_outcome\":{\"expected_quality\":0.8,\"strategy_application\":true},"
                  "\"actual_outcome\":{\"decision_implemented\":true},\"context_similarity\":0.5}",
                  ep_a, prj);
    r = it_json("POST", path, body);
    IT_CHECK(r.status == 201 && is_uuid(str(r.json, "log_id")) && is_null(r.json, "outcome_quality") &&
                 is_null(r.json, "performance_delta") && num(r.json, "context_similarity") == 0.5,
             "append -> %s", it_describe(&r));
    snprintf(log_id, sizeof log_id, "%s", str(r.json, "log_id") ? str(r.json, "log_id") : "");
    it_free(&r);
    free(body);

    /* unknown episode / strategy; validation */
    body = it_fmt("{\"episode_id\":\"%s\",\"project_id\":\"%s\",\"strategy_confidence\":0.8}",
                  ZERO_UUID, prj);
    r = it_json("POST", path, body);
    IT_EXPECT_ERROR(&r, 404, "Episode " ZERO_UUID " not found", "unknown episode");
    it_free(&r);
    free(body);
    body = it_fmt("{\"episode_id\":\"%s\",\"project_id\":\"%s\",\"strategy_confidence\":0.8}", ep_a, prj);
    r = it_json("POST", "/v1/memory/strategies/" ZERO_UUID "/performance", body);
    IT_EXPECT_ERROR(&r, 404, "Strategy " ZERO_UUID " not found", "unknown strategy");
    it_free(&r);
    free(body);
    body = it_fmt("{\"episode_id\":\"%s\",\"context_similarity\":1.2}", ep_a);
    r = it_json("POST", path, body);
    EXPECT_422(r, "body", "strategy_confidence", "missing", "no strategy_confidence");
    EXPECT_422(r, "body", "project_id", "missing", "no project_id");
    EXPECT_422(r, "body", "context_similarity", "less_than_equal", "similarity 1.2");
    it_free(&r);
    free(body);

    /* the outcome arrives: delta = quality - expected_quality */
    p2 = it_fmt("/v1/memory/performance/%s", log_id);
    r = it_json("PATCH", p2, "{\"outcome_quality\":0.9,\"actual_outcome\":{\"completion_rate\":0.9}}");
    IT_CHECK(r.status == 200 && num(r.json, "outcome_quality") == 0.9 &&
                 tabs(num(r.json, "performance_delta") - 0.1) < 1e-9,
             "update -> %s", it_describe(&r));
    it_free(&r);
    r = it_json("PATCH", p2, "{\"outcome_quality\":\"high\"}");
    EXPECT_422(r, "body", "outcome_quality", "float_type", "quality a string");
    it_free(&r);
    free(p2);
    r = it_json("PATCH", "/v1/memory/performance/" ZERO_UUID, "{\"outcome_quality\":0.5}");
    IT_EXPECT_ERROR(&r, 404, "Performance log entry " ZERO_UUID " not found", "unknown log row");
    it_free(&r);

    /* recording the outcome of episode B fills its pending performance rows */
    body = it_fmt("{\"episode_id\":\"%s\",\"project_id\":\"%s\",\"strategy_confidence\":0.7,"
                  "\"predicted_outcome\":{\"expected_quality\":0.8}}", ep_b, prj);
    r = it_json("POST", path, body);
    IT_CHECK(r.status == 201, "second row -> %s", it_describe(&r));
    it_free(&r);
    free(body);
    p2 = it_fmt("/v1/memory/episodes/%s/outcome", ep_b);
    r = it_json("PUT", p2, "{\"outcome\":{\"success\":false},\"outcome_quality\":0.6}");
    IT_CHECK(r.status == 200 && num(r.json, "performance_rows_updated") == 1,
             "outcome fills the log -> %s", it_describe(&r));
    it_free(&r);
    free(p2);
    r = it_req("GET", path, NULL, NULL);
    {
        json_object *rows = it_get(&r, "performance");
        json_object *b = it_array_find(rows, "episode_id", ep_b);

        IT_CHECK(r.status == 200 && num(r.json, "count") == 2, "list -> %s", it_describe(&r));
        IT_CHECK(b != NULL && num(b, "outcome_quality") == 0.6 &&
                     tabs(num(b, "performance_delta") + 0.2) < 1e-9,
                 "B's row: quality 0.6, delta -0.2");
    }
    it_free(&r);
    p2 = it_fmt("%s?days=0", path);
    r = it_req("GET", p2, NULL, NULL);
    EXPECT_422(r, "query", "days", "greater_than_equal", "days 0");
    it_free(&r);
    free(p2);
    r = it_req("GET", "/v1/memory/strategies/" ZERO_UUID "/performance", NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "Strategy " ZERO_UUID " not found", "log of unknown strategy");
    it_free(&r);
    free(path);
}

/* ---- working memory ---- */

static void test_sessions(void)
{
    char *body = it_fmt("{\"project_id\":\"%s\",\"user_id\":\"u1\",\"current_goal\":\"plan\","
                        "\"active_context\":{\"a\":1},\"ttl_seconds\":600}", prj);
    it_resp_t r = it_json("POST", "/v1/memory/sessions", body);
    char sid[40] = "", *path, *p2;

    IT_CHECK(r.status == 201 && is_uuid(str(r.json, "session_id")) &&
                 !json_object_get_boolean(it_get(&r, "expired")) &&
                 !json_object_get_boolean(it_get(&r, "reused")) &&
                 alen(it_get(&r, "thought_history")) == 0,
             "create -> %s", it_describe(&r));
    snprintf(sid, sizeof sid, "%s", str(r.json, "session_id") ? str(r.json, "session_id") : "");
    it_free(&r);
    free(body);
    body = it_fmt("{\"project_id\":\"%s\",\"user_id\":\"u1\",\"reuse\":true}", prj);
    r = it_json("POST", "/v1/memory/sessions", body);
    IT_CHECK(r.status == 200 && str(r.json, "session_id") && strcmp(str(r.json, "session_id"), sid) == 0 &&
                 json_object_get_boolean(it_get(&r, "reused")),
             "reuse -> %s", it_describe(&r));
    it_free(&r);
    free(body);

    path = it_fmt("/v1/memory/sessions/%s", sid);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && str(r.json, "current_goal") && strcmp(str(r.json, "current_goal"), "plan") == 0,
             "get -> %s", it_describe(&r));
    it_free(&r);
    body = it_fmt("{\"append_thought\":{\"step\":1},\"add_related_episodes\":[\"%s\",\"%s\"],"
                  "\"current_goal\":\"g2\",\"extend_seconds\":1200}", ep_a, ep_a);
    r = it_json("PATCH", path, body);
    IT_CHECK(r.status == 200 && alen(it_get(&r, "thought_history")) == 1 &&
                 alen(it_get(&r, "related_episodes")) == 1 &&
                 str(r.json, "current_goal") && strcmp(str(r.json, "current_goal"), "g2") == 0,
             "update -> %s", it_describe(&r));
    it_free(&r);
    free(body);
    r = it_json("PATCH", path, "{\"append_thought\":{\"step\":2}}");
    IT_CHECK(r.status == 200 && alen(it_get(&r, "thought_history")) == 2 &&
                 num(at(it_get(&r, "thought_history"), 1), "step") == 2,
             "second thought -> %s", it_describe(&r));
    it_free(&r);
    r = it_json("PATCH", path, "{\"extend_seconds\":0,\"append_thought\":[1]}");
    EXPECT_422(r, "body", "extend_seconds", "greater_than_equal", "extend 0");
    EXPECT_422(r, "body", "append_thought", "dict_type", "thought a list");
    it_free(&r);
    p2 = it_fmt("/v1/memory/sessions?project_id=%s", prj);
    r = it_req("GET", p2, NULL, NULL);
    IT_CHECK(r.status == 200 && it_array_find(it_get(&r, "sessions"), "session_id", sid),
             "list -> %s", it_describe(&r));
    it_free(&r);
    free(p2);

    /* a session that expires */
    body = it_fmt("{\"project_id\":\"%s\",\"ttl_seconds\":1}", prj);
    r = it_json("POST", "/v1/memory/sessions", body);
    IT_CHECK(r.status == 201, "short session -> %s", it_describe(&r));
    p2 = it_fmt("/v1/memory/sessions/%s", str(r.json, "session_id") ? str(r.json, "session_id") : ZERO_UUID);
    it_free(&r);
    free(body);
    usleep(1300 * 1000);
    r = it_req("GET", p2, NULL, NULL);
    IT_CHECK(r.status == 410 && it_is_json_error(&r) && strstr(str(r.json, "detail"), "has expired"),
             "expired -> %s", it_describe(&r));
    it_free(&r);
    r = it_json("PATCH", p2, "{\"current_goal\":\"late\"}");
    IT_CHECK(r.status == 410, "patch expired -> %s", it_describe(&r));
    it_free(&r);
    free(p2);
    r = it_req("POST", "/v1/memory/sessions/cleanup", NULL, NULL);
    IT_CHECK(r.status == 200 && num(r.json, "deactivated") >= 1, "cleanup -> %s", it_describe(&r));
    it_free(&r);

    /* ending */
    r = it_req("DELETE", path, NULL, NULL);
    IT_CHECK(r.status == 200 && !json_object_get_boolean(it_get(&r, "is_active")), "end -> %s",
             it_describe(&r));
    it_free(&r);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 410 && str(r.json, "detail") && strstr(str(r.json, "detail"), "has ended"),
             "ended -> %s", it_describe(&r));
    it_free(&r);
    free(path);
    r = it_req("GET", "/v1/memory/sessions/" ZERO_UUID, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "Session " ZERO_UUID " not found", "unknown session");
    it_free(&r);
    r = it_req("DELETE", "/v1/memory/sessions/" ZERO_UUID, NULL, NULL);
    IT_EXPECT_ERROR(&r, 404, "Session " ZERO_UUID " not found", "end unknown session");
    it_free(&r);
    r = it_json("POST", "/v1/memory/sessions", "{\"user_id\":5,\"ttl_seconds\":0}");
    EXPECT_422(r, "body", "project_id", "missing", "session without project");
    EXPECT_422(r, "body", "user_id", "string_type", "user_id a number");
    EXPECT_422(r, "body", "ttl_seconds", "greater_than_equal", "ttl 0");
    it_free(&r);
}

/* ---- metrics ---- */

static void test_metrics(void)
{
    char *path = it_fmt("/v1/memory/metrics?operation_type=recall_similar&project_id=%s&limit=500", prj);
    it_resp_t r = it_req("GET", path, NULL, NULL);
    json_object *m = at(it_get(&r, "metrics"), 0);

    IT_CHECK(r.status == 200 && num(r.json, "count") >= 4, "search metrics -> %s", it_describe(&r));
    IT_CHECK(m != NULL && num(m, "latency_ms") >= 0 && num(m, "results_count") >= 0 &&
                 str(m, "operation_type") && strcmp(str(m, "operation_type"), "recall_similar") == 0 &&
                 num(m, "recall_accuracy") == 1.0,
             "a search row: %s", it_compact(m));
    it_free(&r);
    free(path);
    path = it_fmt("/v1/memory/metrics?operation_type=store_episode&project_id=%s", prj);
    r = it_req("GET", path, NULL, NULL);
    IT_CHECK(r.status == 200 && num(r.json, "count") == 3, "3 stores of the project -> %s",
             it_describe(&r));
    it_free(&r);
    free(path);
    r = it_req("GET", "/v1/memory/metrics/summary?minutes=60", NULL, NULL);
    IT_CHECK(r.status == 200 &&
                 num(json_object_object_get(it_get(&r, "operations"), "recall_similar"), "count") >= 4 &&
                 num(json_object_object_get(it_get(&r, "operations"), "store_episodes_bulk"), "count") >= 1,
             "summary -> %s", it_describe(&r));
    it_free(&r);
    r = it_req("GET", "/v1/memory/metrics?limit=1001", NULL, NULL);
    EXPECT_422(r, "query", "limit", "less_than_equal", "metrics limit");
    it_free(&r);
    r = it_req("GET", "/v1/memory/metrics/summary?minutes=0", NULL, NULL);
    EXPECT_422(r, "query", "minutes", "greater_than_equal", "minutes 0");
    it_free(&r);
}

/* ---- recall at 10,000 episodes ---- */

#define REC_N 10000
#define REC_BATCH 100
#define REC_K 10
#define REC_QUERIES 20

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static double urand(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

typedef struct {
    double s;
    int i;
} rec_ref_t;

static char (*rec_ids)[40];

static int rec_cmp(const void *a, const void *b)
{
    const rec_ref_t *x = a, *y = b;

    if (x->s != y->s)
        return x->s > y->s ? -1 : 1;
    return strcmp(rec_ids[x->i], rec_ids[y->i]);
}

static void normalise(double *v)
{
    double ss = 0;

    for (int d = 0; d < DIM; d++)
        ss += v[d] * v[d];
    ss = tsqrt(ss);
    for (int d = 0; d < DIM; d++)
        v[d] /= ss;
}

/* A random vector, each component with 4 decimals (exactly what is sent), and its text. */
static void random_vec(double *v, char *text, size_t cap)
{
    size_t n = 0;

    text[n++] = '[';
    for (int d = 0; d < DIM; d++) {
        double x = (urand() * 2.0 - 1.0) * 10000.0;
        int q = (int)(x >= 0 ? x + 0.5 : x - 0.5);

        v[d] = q / 10000.0;
        n += (size_t)snprintf(text + n, cap - n, "%s%.4f", d ? "," : "", v[d]);
    }
    text[n++] = ']';
    text[n] = '\0';
}

static void test_recall_10k(void)
{
    double *vecs = malloc(sizeof(double) * REC_N * DIM), q[DIM];
    rec_ref_t *ref = malloc(sizeof(rec_ref_t) * REC_N);
    size_t cap = (size_t)REC_BATCH * (DIM * 9 + 200) + 64, vcap = DIM * 9 + 8;
    char *body = malloc(cap), *vtext = malloc(vcap);
    double t0 = now_s(), t_insert, t_search = 0;
    int ok_queries = 0;

    rec_ids = calloc(REC_N, sizeof(*rec_ids));
    CU_ASSERT_PTR_NOT_NULL_FATAL(vecs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    CU_ASSERT_PTR_NOT_NULL_FATAL(body);
    CU_ASSERT_PTR_NOT_NULL_FATAL(vtext);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec_ids);
    for (int b = 0; b < REC_N / REC_BATCH; b++) {
        size_t n = (size_t)snprintf(body, cap, "{\"episodes\":[");
        it_resp_t r;
        json_object *ids;

        for (int j = 0; j < REC_BATCH; j++) {
            int i = b * REC_BATCH + j;

            random_vec(vecs + (size_t)i * DIM, vtext, vcap);
            n += (size_t)snprintf(body + n, cap - n,
                                  "%s{\"project_id\":\"%s\",\"context\":{\"i\":%d},\"decision\":{},"
                                  "\"actions\":[],\"embedding\":%s}",
                                  j ? "," : "", prj_rec, i, vtext);
        }
        snprintf(body + n, cap - n, "]}");
        r = it_json("POST", "/v1/memory/episodes/bulk", body);
        ids = it_get(&r, "episode_ids");
        IT_CHECK(r.status == 201 && alen(ids) == REC_BATCH,
                 "bulk %d -> %s", b, it_describe(&r));
        if (r.status != 201) {
            it_free(&r);
            goto out;
        }
        for (int j = 0; j < REC_BATCH; j++)
            snprintf(rec_ids[b * REC_BATCH + j], 40, "%s",
                     json_object_get_string(at(ids, (size_t)j)));
        it_free(&r);
    }
    t_insert = now_s() - t0;
    for (int i = 0; i < REC_N; i++)
        normalise(vecs + (size_t)i * DIM);

    for (int qn = 0; qn < REC_QUERIES; qn++) {
        size_t n = 0;
        json_object *o;
        double t1;
        int good = 1;

        for (int d = 0; d < DIM; d++)
            q[d] = urand() * 2.0 - 1.0;
        n += (size_t)snprintf(body + n, cap - n, "{\"project_id\":\"%s\",\"k\":%d,\"min_similarity\":-1,"
                                                 "\"embedding\":[", prj_rec, REC_K);
        for (int d = 0; d < DIM; d++)
            n += (size_t)snprintf(body + n, cap - n, "%s%.17g", d ? "," : "", q[d]);
        snprintf(body + n, cap - n, "]}");
        normalise(q);
        for (int i = 0; i < REC_N; i++) {
            const double *v = vecs + (size_t)i * DIM;
            double s = 0;

            for (int d = 0; d < DIM; d++)
                s += v[d] * q[d];
            ref[i] = (rec_ref_t){s, i};
        }
        qsort(ref, REC_N, sizeof(*ref), rec_cmp);
        t1 = now_s();
        o = search(body, 200);
        t_search += now_s() - t1;
        if (o == NULL) {
            IT_CHECK(0, "query %d failed: recall not measured", qn);
            break;
        }
        if (result_count(o) != REC_K)
            good = 0;
        /* recall 1.0: every returned episode is one of the true top-k (up to exact ties at the
         * boundary, within float rounding) and its similarity is the true one */
        for (int j = 0; j < REC_K && good; j++) {
            const char *id = result_id(o, (size_t)j);
            double sim = num(result_at(o, (size_t)j), "similarity");
            int at = -1;

            for (int t = 0; t < REC_N && at < 0; t++)
                if (id != NULL && strcmp(rec_ids[ref[t].i], id) == 0)
                    at = t;
            if (at < 0 || (at >= REC_K && ref[at].s < ref[REC_K - 1].s - 1e-6) ||
                tabs(sim - ref[at].s) > 1e-5 || (at != j && tabs(ref[at].s - ref[j].s) > 1e-6))
                good = 0;
        }
        IT_CHECK(good, "query %d: top-%d equals the brute force (first: %s %.6f, want %s %.6f)",
                 qn, REC_K, result_id(o, 0) ? result_id(o, 0) : "-",
                 num(result_at(o, 0), "similarity"), rec_ids[ref[0].i], ref[0].s);
        ok_queries += good;
        json_object_put(o);
    }
    /* without a project filter: a stored vector finds itself first among everything */
    {
        size_t n = (size_t)snprintf(body, cap, "{\"k\":1,\"embedding\":[");
        json_object *o;

        for (int d = 0; d < DIM; d++)
            n += (size_t)snprintf(body + n, cap - n, "%s%.17g", d ? "," : "", vecs[(size_t)4321 * DIM + d]);
        snprintf(body + n, cap - n, "]}");
        o = search(body, 200);
        IT_CHECK(result_id(o, 0) && strcmp(result_id(o, 0), rec_ids[4321]) == 0 &&
                     tabs(num(result_at(o, 0), "similarity") - 1.0) < 1e-5,
                 "unfiltered self-search: %s", it_compact(o));
        json_object_put(o);
    }
    printf("\n    recall: %d episodes stored in %.1f s; %d/%d queries exact; search %.1f ms avg "
           "(through nginx, k=%d)\n",
           REC_N, t_insert, ok_queries, REC_QUERIES, t_search * 1000.0 / REC_QUERIES, REC_K);
out:
    free(vecs);
    free(ref);
    free(body);
    free(vtext);
    free(rec_ids);
    rec_ids = NULL;
}

/* ---- clean-up: the episodes of this run ---- */

static void test_cleanup(void)
{
    const char *projects[] = {prj, prj_new, prj_back, prj_bulk, prj_rec};

    for (size_t i = 0; i < sizeof(projects) / sizeof(*projects); i++) {
        char *path = it_fmt("/v1/memory/episodes?project_id=%s", projects[i]);
        it_resp_t r = it_req("DELETE", path, NULL, NULL);

        IT_CHECK(r.status == 200 && str(r.json, "project_id") != NULL, "delete %s -> %s",
                 projects[i], it_describe(&r));
        if (i == 4)
            IT_CHECK(num(r.json, "deleted") == REC_N, "10,000 deleted: %s", it_describe(&r));
        it_free(&r);
        free(path);
    }
    {
        char *body = it_fmt("{\"embedding\":[%s],\"project_id\":\"%s\"}", "1", prj_rec);
        it_resp_t r = it_json("POST", "/v1/memory/episodes/search", body);

        IT_CHECK(r.status == 422, "short query vector -> %s", it_describe(&r));
        it_free(&r);
        free(body);
        body = it_fmt("{\"context\":{\"i\":1},\"project_id\":\"%s\",\"min_similarity\":-1}", prj_rec);
        r = it_json("POST", "/v1/memory/episodes/search", body);
        IT_CHECK(r.status == 200 && alen(it_get(&r, "results")) == 0,
                 "nothing of the recall project is left -> %s", it_describe(&r));
        it_free(&r);
        free(body);
    }
}

DSM_SUITE("integration/memory", suite_init, NULL, DSM_TEST(test_health),
          DSM_TEST(test_episode_store_get), DSM_TEST(test_episode_bad_input), DSM_TEST(test_search),
          DSM_TEST(test_search_sees_fresh_and_deleted), DSM_TEST(test_search_with_outcome),
          DSM_TEST(test_episode_list),
          DSM_TEST(test_episode_outcome), DSM_TEST(test_bulk), DSM_TEST(test_backfill),
          DSM_TEST(test_strategies), DSM_TEST(test_performance_log), DSM_TEST(test_sessions),
          DSM_TEST(test_metrics), DSM_TEST(test_recall_10k), DSM_TEST(test_cleanup));
