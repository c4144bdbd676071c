/* mem_embed_logic.c — the local feature-hashing embedder (see mem_embed_logic.h). */
#include "mem_embed_logic.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void add_feature(double *acc, uint64_t h, double w)
{
    h = mix64(h);
    acc[h % MEM_DIM] += (h >> 63) ? -w : w;
}

static int tok_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c >= 0x80;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

void mem_embed_local(const char *text, float *out)
{
    double acc[MEM_DIM];
    const unsigned char *s = (const unsigned char *)text;
    uint64_t prev = 0;
    int have_prev = 0, any = 0;
    size_t i = 0;

    memset(acc, 0, sizeof acc);
    while (s[i] != '\0') {
        uint64_t h = FNV_OFFSET;

        if (!tok_byte(s[i])) {
            if (s[i] == '|')
                have_prev = 0;
            i++;
            continue;
        }
        while (tok_byte(s[i]) || (s[i] == '.' && i > 0 && is_digit(s[i - 1]) && is_digit(s[i + 1]))) {
            unsigned char c = s[i];

            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c - 'A' + 'a');
            h = (h ^ c) * FNV_PRIME;
            i++;
        }
        add_feature(acc, h, 1.0);
        if (have_prev)
            add_feature(acc, prev * 0x9e3779b97f4a7c15ull ^ h ^ 0x5bd1e995ull, 0.5);
        prev = h;
        have_prev = 1;
        any = 1;
    }
    if (!any)
        add_feature(acc, FNV_OFFSET, 1.0);
    for (size_t d = 0; d < MEM_DIM; d++)
        out[d] = (float)acc[d];
    mem_vec_normalize(out, MEM_DIM);
}

int mem_vec_normalize(float *v, size_t dim)
{
    double ss = 0.0;

    for (size_t i = 0; i < dim; i++)
        ss += (double)v[i] * (double)v[i];
    if (!(ss > 0.0) || !isfinite(ss))
        return -1;
    ss = 1.0 / sqrt(ss);
    for (size_t i = 0; i < dim; i++)
        v[i] = (float)((double)v[i] * ss);
    return 0;
}
