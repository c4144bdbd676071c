/* mem_vec_logic.c — vector text forms, dot product and the exact top-k (see mem_vec_logic.h). */
#include "mem_vec_logic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t mem_vec_format(char *out, const float *v, size_t dim, char open, char close)
{
    size_t n = 0;

    out[n++] = open;
    for (size_t i = 0; i < dim; i++) {
        if (i > 0)
            out[n++] = ',';
        n += (size_t)snprintf(out + n, 17, "%.9g", (double)v[i]);
    }
    out[n++] = close;
    out[n] = '\0';
    return n;
}

long mem_vec_parse(const char *s, float *out, size_t dim)
{
    size_t n = 0;
    char close;

    while (*s == ' ')
        s++;
    if (*s == '{')
        close = '}';
    else if (*s == '[')
        close = ']';
    else
        return -1;
    s++;
    while (*s == ' ')
        s++;
    if (*s == close)
        return s[1] == '\0' ? 0 : -1;
    for (;;) {
        char *end;
        float f = strtof(s, &end);

        if (end == s || n >= dim)
            return -1;
        out[n++] = f;
        s = end;
        while (*s == ' ')
            s++;
        if (*s == ',') {
            s++;
            continue;
        }
        if (*s == close && s[1] == '\0')
            return (long)n;
        return -1;
    }
}

/* Four independent 4-float accumulators (GCC/clang vector extension: SSE on x86-64, NEON on
 * arm64); loads through memcpy so no alignment is assumed. */
typedef float mem_v4f __attribute__((vector_size(16)));

float mem_dot(const float *a, const float *b, size_t dim)
{
    mem_v4f s0 = {0, 0, 0, 0}, s1 = s0, s2 = s0, s3 = s0;
    size_t i = 0;
    float r;

    for (; i + 16 <= dim; i += 16) {
        mem_v4f a0, a1, a2, a3, b0, b1, b2, b3;

        memcpy(&a0, a + i, 16);
        memcpy(&a1, a + i + 4, 16);
        memcpy(&a2, a + i + 8, 16);
        memcpy(&a3, a + i + 12, 16);
        memcpy(&b0, b + i, 16);
        memcpy(&b1, b + i + 4, 16);
        memcpy(&b2, b + i + 8, 16);
        memcpy(&b3, b + i + 12, 16);
        s0 += a0 * b0;
        s1 += a1 * b1;
        s2 += a2 * b2;
        s3 += a3 * b3;
    }
    s0 = (s0 + s1) + (s2 + s3);
    r = (s0[0] + s0[1]) + (s0[2] + s0[3]);
    for (; i < dim; i++)
        r += a[i] * b[i];
    return r;
}

/* 1 when hit x ranks before hit y. */
static int better(const mem_topk_t *t, mem_hit_t x, mem_hit_t y)
{
    if (x.score != y.score)
        return x.score > y.score;
    if (t->ids != NULL) {
        int c = strcmp(t->ids + (size_t)x.idx * t->id_stride, t->ids + (size_t)y.idx * t->id_stride);

        if (c != 0)
            return c < 0;
    }
    return x.idx < y.idx;
}

void mem_topk_init(mem_topk_t *t, mem_hit_t *buf, size_t k, const char *ids, size_t id_stride)
{
    t->h = buf;
    t->k = k;
    t->n = 0;
    t->ids = ids;
    t->id_stride = id_stride;
}

/* Min-heap by rank: h[0] is the worst kept hit. */
static void sift_down(mem_topk_t *t, size_t i, size_t n)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        mem_hit_t tmp;

        if (l < n && better(t, t->h[w], t->h[l]))
            w = l;
        if (r < n && better(t, t->h[w], t->h[r]))
            w = r;
        if (w == i)
            return;
        tmp = t->h[i];
        t->h[i] = t->h[w];
        t->h[w] = tmp;
        i = w;
    }
}

void mem_topk_push(mem_topk_t *t, float score, uint32_t idx)
{
    mem_hit_t x = {score, idx};

    if (t->k == 0)
        return;
    if (t->n < t->k) {
        size_t i = t->n++;

        t->h[i] = x;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            mem_hit_t tmp;

            if (!better(t, t->h[p], t->h[i]))
                break;
            tmp = t->h[p];
            t->h[p] = t->h[i];
            t->h[i] = tmp;
            i = p;
        }
        return;
    }
    if (!better(t, x, t->h[0]))
        return;
    t->h[0] = x;
    sift_down(t, 0, t->n);
}

size_t mem_topk_sorted(mem_topk_t *t)
{
    /* heap sort: repeatedly move the worst to the end → best first */
    for (size_t end = t->n; end > 1; end--) {
        mem_hit_t tmp = t->h[0];

        t->h[0] = t->h[end - 1];
        t->h[end - 1] = tmp;
        sift_down(t, 0, end - 1);
    }
    return t->n;
}

size_t mem_topk_scan(const float *vecs, size_t n, size_t dim, const float *q,
                     const uint32_t *proj, uint32_t want, const uint8_t *mask, float min_score,
                     size_t k, const char *ids, size_t id_stride, mem_hit_t *out)
{
    mem_topk_t t;

    mem_topk_init(&t, out, k, ids, id_stride);
    for (size_t i = 0; i < n; i++) {
        float s;

        if ((want != UINT32_MAX && proj[i] != want) || (mask != NULL && mask[i] == 0))
            continue;
        s = mem_dot(vecs + i * dim, q, dim);
        if (s < min_score)
            continue;
        /* cheap reject before the heap: strictly worse than the current worst */
        if (t.n == t.k && s < t.h[0].score)
            continue;
        mem_topk_push(&t, s, (uint32_t)i);
    }
    return mem_topk_sorted(&t);
}
