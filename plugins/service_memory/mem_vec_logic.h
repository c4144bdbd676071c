/*
 * mem_vec_logic.h — embedding vectors as SQL text, and the exact top-k scan (pure C).
 *
 * Text forms: PostgreSQL real[] "{0.1,-0.2,...}" and pgvector "[0.1,-0.2,...]"; floats are
 * written with 9 significant digits, which round-trips every float exactly.
 *
 * Top-k: a bounded min-heap of the k best (score, index) pairs. "Better" = higher score; equal
 * scores are ordered by the entry's id string (byte order, smaller first) when ids are given,
 * else by the smaller index — so the result is exactly the first k of a full sort.
 */
#ifndef MEM_VEC_LOGIC_H
#define MEM_VEC_LOGIC_H

#include <stddef.h>
#include <stdint.h>

/* Bytes needed by mem_vec_format for dim floats (an upper bound, NUL included). */
#define MEM_VEC_TEXT_MAX(dim) ((dim) * 17 + 3)

/* Write v as "<open>a,b,...<close>" into out (MEM_VEC_TEXT_MAX(dim) bytes). Returns length. */
size_t mem_vec_format(char *out, const float *v, size_t dim, char open, char close);

/* Parse "{a,b,...}" or "[a,b,...]" (spaces allowed) into out[dim]. Returns the number of
 * values, or -1 when the text is malformed or holds more than dim values. */
long mem_vec_parse(const char *s, float *out, size_t dim);

/* Dot product of two float vectors of dim elements (any dim; fastest for multiples of 16). */
float mem_dot(const float *a, const float *b, size_t dim);

typedef struct {
    float score;
    uint32_t idx;
} mem_hit_t;

typedef struct {
    mem_hit_t *h;      /* capacity k */
    size_t k, n;
    const char *ids;   /* NULL, or ids + idx * id_stride = the NUL-terminated id of idx */
    size_t id_stride;
} mem_topk_t;

void mem_topk_init(mem_topk_t *t, mem_hit_t *buf, size_t k, const char *ids, size_t id_stride);
void mem_topk_push(mem_topk_t *t, float score, uint32_t idx);
/* Sort the kept hits best first; returns how many there are (<= k). The heap is consumed. */
size_t mem_topk_sorted(mem_topk_t *t);

/* Exact scan: the k best of n vectors (row i at vecs + i * dim) by dot product with q, among
 * rows whose proj[i] == want (want == UINT32_MAX: every row; proj may then be NULL), whose
 * mask[i] is not 0 (mask NULL: every row) and whose score >= min_score. Writes them best first
 * into out[k]; returns how many. */
size_t mem_topk_scan(const float *vecs, size_t n, size_t dim, const float *q,
                     const uint32_t *proj, uint32_t want, const uint8_t *mask, float min_score,
                     size_t k, const char *ids, size_t id_stride, mem_hit_t *out);

#endif /* MEM_VEC_LOGIC_H */
