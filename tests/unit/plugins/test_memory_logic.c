/* test_memory_logic.c — pure helpers of the agent-memory plugin (plugins/service_memory/):
 * the canonical episode text, the local embedder, vector text forms, the exact top-k and the
 * id map of the search cache. */
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_test.h"
#include "mem_embed_logic.h"
#include "mem_idmap_logic.h"
#include "mem_text_logic.h"
#include "mem_vec_logic.h"

static char *text_of(const char *json)
{
    json_object *o = json_tokener_parse(json);
    char *t = mem_text_context(o);

    json_object_put(o);
    return t;
}

static void text_is(const char *json, const char *want)
{
    char *t = text_of(json);

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_STRING_EQUAL(t, want);
    if (strcmp(t, want) != 0)
        fprintf(stderr, "\n  text of %s\n   got  %s\n   want %s\n", json, t, want);
    free(t);
}

static void test_text_canonical(void)
{
    text_is("{}", "");
    text_is("{\"b\":1,\"a\":\"x\"}", "a: x | b: 1");
    text_is("{\"project_data\":{\"team_size\":5,\"project_id\":\"P1\"},\"flag\":true,\"n\":null}",
            "flag: true | n: null | project_data.project_id: P1 | project_data.team_size: 5");
    /* integral floats print as integers; others with %.6g */
    text_is("{\"a\":5.0,\"b\":5,\"c\":0.75,\"d\":1e2,\"e\":-0.0,\"f\":0.1234567}",
            "a: 5 | b: 5 | c: 0.75 | d: 100 | e: 0 | f: 0.123457");
    /* arrays: elements in order under the same path; empty containers */
    text_is("{\"c\":[{\"t\":\"holiday\"},{\"t\":\"pto\"}],\"e\":[],\"o\":{}}",
            "c.t: holiday | c.t: pto | e: [] | o: {}");
    /* whitespace collapsed and trimmed */
    text_is("{\"s\":\"  two\\n\\t words  \"}", "s: two words");
    text_is("\"top\"", "top");
    text_is("[1,2]", "1 | 2");
}

static void test_text_stable(void)
{
    /* member order of the input does not matter; nested too */
    char *a = text_of("{\"x\":{\"q\":1,\"p\":[true,\"v\"]},\"a\":2.5,\"m\":\"k\"}");
    char *b = text_of("{\"m\":\"k\",\"a\":2.5,\"x\":{\"p\":[true,\"v\"],\"q\":1}}");

    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(a, b);
    CU_ASSERT_STRING_EQUAL(a, "a: 2.5 | m: k | x.p: true | x.p: v | x.q: 1");
    free(a);
    free(b);
}

static void test_text_limits(void)
{
    char big[1200], json[1400];
    char *t;

    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    snprintf(json, sizeof json, "{\"k\":\"%s\"}", big);
    t = text_of(json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(strlen(t), 3 + MEM_TEXT_VALUE_MAX);
    free(t);

    /* a value is never cut inside a UTF-8 sequence: 150 x "é" (2 bytes) → 100 characters */
    {
        char js[400] = "{\"k\":\"";
        size_t n = strlen(js);

        for (int i = 0; i < 150; i++) {
            js[n++] = '\xC3';
            js[n++] = '\xA9';
        }
        memcpy(js + n, "\"}", 3);
        t = text_of(js);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        CU_ASSERT_EQUAL(strlen(t), 3 + 200);
        free(t);
    }

    /* the whole text stays within MEM_TEXT_MAX, ending on a whole part */
    {
        json_object *o = json_object_new_object();
        char key[16];

        for (int i = 0; i < 400; i++) {
            snprintf(key, sizeof key, "k%03d", i);
            json_object_object_add(o, key, json_object_new_string(big));
        }
        t = mem_text_context(o);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        CU_ASSERT_TRUE(strlen(t) <= MEM_TEXT_MAX);
        CU_ASSERT_TRUE(strlen(t) > MEM_TEXT_MAX - 300);
        CU_ASSERT_EQUAL(t[strlen(t) - 1], 'z');
        free(t);
        json_object_put(o);
    }
}

static double norm(const float *v)
{
    double s = 0;

    for (int i = 0; i < MEM_DIM; i++)
        s += (double)v[i] * v[i];
    return sqrt(s);
}

static double cosine(const float *a, const float *b)
{
    double s = 0;

    for (int i = 0; i < MEM_DIM; i++)
        s += (double)a[i] * b[i];
    return s;
}

static void test_embed_deterministic(void)
{
    static float a[MEM_DIM], b[MEM_DIM], e[MEM_DIM];
    const char *t = "project_data.project_id: PHE001 | project_data.team_size: 5";

    mem_embed_local(t, a);
    mem_embed_local(t, b);
    CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
    CU_ASSERT_DOUBLE_EQUAL(norm(a), 1.0, 1e-6);
    /* case-insensitive tokens, punctuation ignored */
    mem_embed_local("PROJECT_DATA.PROJECT_ID: phe001 | project_data.team_size: 5", b);
    CU_ASSERT_DOUBLE_EQUAL(cosine(a, b), 1.0, 1e-6);
    /* no token at all: still a unit vector */
    mem_embed_local("", e);
    CU_ASSERT_DOUBLE_EQUAL(norm(e), 1.0, 1e-6);
    mem_embed_local(" | : {} ", b);
    CU_ASSERT_EQUAL(memcmp(e, b, sizeof e), 0);
}

static void test_embed_similarity(void)
{
    static float base[MEM_DIM], near[MEM_DIM], far[MEM_DIM];
    char *t1 = text_of("{\"project_data\":{\"project_id\":\"PHE001\",\"team_size\":5,"
                       "\"backlog_tasks\":12,\"unassigned_tasks\":7},"
                       "\"team_availability\":{\"status\":\"ok\",\"conflicts\":[]},"
                       "\"options\":{\"sprint_duration_weeks\":2,\"max_tasks_per_sprint\":10}}");
    char *t2 = text_of("{\"project_data\":{\"project_id\":\"PHE001\",\"team_size\":5,"
                       "\"backlog_tasks\":14,\"unassigned_tasks\":7},"
                       "\"team_availability\":{\"status\":\"ok\",\"conflicts\":[]},"
                       "\"options\":{\"sprint_duration_weeks\":2,\"max_tasks_per_sprint\":10}}");
    char *t3 = text_of("{\"weather\":\"rain\",\"city\":\"Lisbon\",\"temperature_c\":17.5,"
                       "\"wind\":{\"speed_kmh\":30,\"direction\":\"NW\"}}");

    mem_embed_local(t1, base);
    mem_embed_local(t2, near);
    mem_embed_local(t3, far);
    CU_ASSERT_TRUE(cosine(base, near) > 0.8);
    CU_ASSERT_TRUE(cosine(base, far) < 0.3);
    CU_ASSERT_TRUE(cosine(base, near) > cosine(base, far) + 0.5);
    free(t1);
    free(t2);
    free(t3);
}

static void test_vec_text(void)
{
    float v[5] = {0.1f, -0.25f, 1.0f / 3.0f, 0.0f, -1e-7f}, w[5];
    char buf[MEM_VEC_TEXT_MAX(5)];

    mem_vec_format(buf, v, 5, '{', '}');
    CU_ASSERT_EQUAL(buf[0], '{');
    CU_ASSERT_EQUAL(mem_vec_parse(buf, w, 5), 5);
    CU_ASSERT_EQUAL(memcmp(v, w, sizeof v), 0); /* 9 digits round-trip exactly */
    mem_vec_format(buf, v, 5, '[', ']');
    CU_ASSERT_EQUAL(mem_vec_parse(buf, w, 5), 5);
    CU_ASSERT_EQUAL(memcmp(v, w, sizeof v), 0);
    CU_ASSERT_EQUAL(mem_vec_parse("[1, 2,3]", w, 5), 3);
    CU_ASSERT_EQUAL(mem_vec_parse("{}", w, 5), 0);
    CU_ASSERT_EQUAL(mem_vec_parse("{1,2", w, 5), -1);
    CU_ASSERT_EQUAL(mem_vec_parse("(1,2)", w, 5), -1);
    CU_ASSERT_EQUAL(mem_vec_parse("[1,2,3,4,5,6]", w, 5), -1);
    CU_ASSERT_EQUAL(mem_vec_parse("[1,x]", w, 5), -1);
    CU_ASSERT_EQUAL(mem_vec_normalize(w, 0), -1);
    {
        float z[3] = {0, 0, 0}, u[3] = {3, 0, 4};

        CU_ASSERT_EQUAL(mem_vec_normalize(z, 3), -1);
        CU_ASSERT_EQUAL(mem_vec_normalize(u, 3), 0);
        CU_ASSERT_DOUBLE_EQUAL(u[0], 0.6, 1e-7);
        CU_ASSERT_DOUBLE_EQUAL(u[2], 0.8, 1e-7);
    }
}

/* xorshift64*: reproducible data for the brute-force comparisons */
static uint64_t rng_state = 88172645463325252ull;

static double rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

typedef struct {
    float s;
    uint32_t i;
} ref_t;

static int ref_cmp(const void *a, const void *b)
{
    const ref_t *x = a, *y = b;

    if (x->s != y->s)
        return x->s > y->s ? -1 : 1;
    return x->i < y->i ? -1 : (x->i > y->i);
}

static void test_dot(void)
{
    float a[37], b[37];
    double want = 0;

    for (int i = 0; i < 37; i++) {
        a[i] = (float)rnd();
        b[i] = (float)rnd();
        want += (double)a[i] * b[i];
    }
    CU_ASSERT_DOUBLE_EQUAL(mem_dot(a, b, 37), want, 1e-5);
    CU_ASSERT_DOUBLE_EQUAL(mem_dot(a, b, 32), mem_dot(b, a, 32), 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(mem_dot(a, b, 0), 0.0, 0);
}

/* The heap's top-k equals the first k of a full sort, on random vectors, with and without a
 * project filter and a minimum score. */
static void test_topk_equals_brute_force(void)
{
    enum { N = 3000, D = 64, K = 10 };
    float *vecs = malloc(sizeof(float) * N * D), q[D];
    uint32_t *proj = malloc(sizeof(uint32_t) * N);
    uint8_t *mask = malloc(N);
    ref_t *ref = malloc(sizeof(ref_t) * N);
    mem_hit_t hits[100];

    CU_ASSERT_PTR_NOT_NULL_FATAL(vecs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(proj);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    for (int i = 0; i < N; i++) {
        for (int d = 0; d < D; d++)
            vecs[i * D + d] = (float)rnd();
        mem_vec_normalize(vecs + i * D, D);
        proj[i] = (uint32_t)(i % 3);
        mask[i] = (uint8_t)(i % 7 < 2); /* e.g. "has an outcome": 2 rows in 7 */
    }
    for (int round = 0; round < 20; round++) {
        uint32_t want = round % 4 == 3 ? UINT32_MAX : (uint32_t)(round % 3);
        float min = round % 5 == 4 ? 0.2f : -2.0f;
        size_t k = round == 7 ? 100 : K, nref = 0, got;
        const uint8_t *m = round % 2 == 1 ? mask : NULL;

        for (int d = 0; d < D; d++)
            q[d] = (float)rnd();
        mem_vec_normalize(q, D);
        for (int i = 0; i < N; i++) {
            float s = mem_dot(vecs + i * D, q, D);

            if ((want == UINT32_MAX || proj[i] == want) && (m == NULL || m[i]) && s >= min)
                ref[nref++] = (ref_t){s, (uint32_t)i};
        }
        qsort(ref, nref, sizeof(*ref), ref_cmp);
        got = mem_topk_scan(vecs, N, D, q, proj, want, m, min, k, NULL, 0, hits);
        CU_ASSERT_EQUAL(got, nref < k ? nref : k);
        for (size_t i = 0; i < got; i++) {
            CU_ASSERT_EQUAL(hits[i].idx, ref[i].i);
            CU_ASSERT_EQUAL(hits[i].score, ref[i].s);
        }
    }
    /* k larger than the candidates; k = 0 */
    CU_ASSERT_EQUAL(mem_topk_scan(vecs, 5, D, q, NULL, UINT32_MAX, NULL, -2.0f, 10, NULL, 0, hits), 5);
    CU_ASSERT_EQUAL(mem_topk_scan(vecs, 5, D, q, NULL, UINT32_MAX, NULL, -2.0f, 0, NULL, 0, hits), 0);
    /* rows 0..6 with mask 1,1,0,0,0,0,0: only rows 0 and 1 can be hits */
    CU_ASSERT_EQUAL(mem_topk_scan(vecs, 7, D, q, NULL, UINT32_MAX, mask, -2.0f, 10, NULL, 0, hits), 2);
    CU_ASSERT_TRUE(hits[0].idx <= 1 && hits[1].idx <= 1 && hits[0].idx != hits[1].idx);
    free(mask);
    free(vecs);
    free(proj);
    free(ref);
}

/* Equal scores are ranked by id (then index), so the boundary of k is deterministic. */
static void test_topk_ties(void)
{
    static const char ids[6][4] = {"ddd", "bbb", "fff", "aaa", "eee", "ccc"};
    mem_hit_t buf[3];
    mem_topk_t t;

    mem_topk_init(&t, buf, 3, &ids[0][0], 4);
    for (uint32_t i = 0; i < 6; i++)
        mem_topk_push(&t, 0.5f, i);
    CU_ASSERT_EQUAL(mem_topk_sorted(&t), 3);
    CU_ASSERT_EQUAL(buf[0].idx, 3); /* aaa */
    CU_ASSERT_EQUAL(buf[1].idx, 1); /* bbb */
    CU_ASSERT_EQUAL(buf[2].idx, 5); /* ccc */
}

typedef struct {
    char keys[2000][12];
} keyset_t;

static const char *key_of(const void *ctx, uint32_t v)
{
    return ((const keyset_t *)ctx)->keys[v];
}

static void test_idmap(void)
{
    static keyset_t ks;
    mem_idmap_t m = {0};
    int present[2000] = {0};

    for (uint32_t i = 0; i < 2000; i++)
        snprintf(ks.keys[i], sizeof ks.keys[i], "id-%u", i * 7919u);
    CU_ASSERT_EQUAL(mem_idmap_get(&m, "id-0", key_of, &ks), MEM_IDMAP_NONE);
    for (uint32_t i = 0; i < 2000; i++) {
        CU_ASSERT_EQUAL(mem_idmap_put(&m, ks.keys[i], i, key_of, &ks), 0);
        present[i] = 1;
    }
    CU_ASSERT_EQUAL(m.n, 2000);
    /* delete a pseudo-random half, then check every key */
    for (uint32_t i = 0; i < 2000; i++) {
        if ((i * 2654435761u) % 2 == 0) {
            CU_ASSERT_EQUAL(mem_idmap_del(&m, ks.keys[i], key_of, &ks), i);
            present[i] = 0;
        }
    }
    CU_ASSERT_EQUAL(mem_idmap_del(&m, "absent", key_of, &ks), MEM_IDMAP_NONE);
    for (uint32_t i = 0; i < 2000; i++)
        CU_ASSERT_EQUAL(mem_idmap_get(&m, ks.keys[i], key_of, &ks), present[i] ? i : MEM_IDMAP_NONE);
    /* re-insert: replace keeps n */
    CU_ASSERT_EQUAL(mem_idmap_put(&m, ks.keys[1], 1, key_of, &ks), 0);
    CU_ASSERT_EQUAL(mem_idmap_get(&m, ks.keys[1], key_of, &ks), 1);
    mem_idmap_clear(&m);
    CU_ASSERT_EQUAL(mem_idmap_get(&m, ks.keys[1], key_of, &ks), MEM_IDMAP_NONE);
    mem_idmap_free(&m);
}

DSM_SUITE("plugins/memory_logic", NULL, NULL, DSM_TEST(test_text_canonical),
          DSM_TEST(test_text_stable), DSM_TEST(test_text_limits),
          DSM_TEST(test_embed_deterministic), DSM_TEST(test_embed_similarity),
          DSM_TEST(test_vec_text), DSM_TEST(test_dot), DSM_TEST(test_topk_equals_brute_force),
          DSM_TEST(test_topk_ties), DSM_TEST(test_idmap));
