/* mem_idmap_logic.c — string → index map with external keys (see mem_idmap_logic.h). */
#include "mem_idmap_logic.h"

#include <stdlib.h>
#include <string.h>

uint64_t mem_str_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

static size_t find_slot(const mem_idmap_t *m, const char *key, mem_key_fn key_of, const void *ctx)
{
    size_t mask = m->cap - 1, i = (size_t)mem_str_hash(key) & mask;

    while (m->tab[i] != 0 && strcmp(key_of(ctx, m->tab[i] - 1), key) != 0)
        i = (i + 1) & mask;
    return i;
}

uint32_t mem_idmap_get(const mem_idmap_t *m, const char *key, mem_key_fn key_of, const void *ctx)
{
    size_t i;

    if (m->cap == 0)
        return MEM_IDMAP_NONE;
    i = find_slot(m, key, key_of, ctx);
    return m->tab[i] != 0 ? m->tab[i] - 1 : MEM_IDMAP_NONE;
}

static int grow(mem_idmap_t *m, mem_key_fn key_of, const void *ctx)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    uint32_t *old = m->tab;
    size_t ocap = m->cap;

    m->tab = calloc(ncap, sizeof(*m->tab));
    if (m->tab == NULL) {
        m->tab = old;
        return -1;
    }
    m->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (old[i] != 0) {
            size_t j = find_slot(m, key_of(ctx, old[i] - 1), key_of, ctx);

            m->tab[j] = old[i];
        }
    }
    free(old);
    return 0;
}

int mem_idmap_put(mem_idmap_t *m, const char *key, uint32_t value, mem_key_fn key_of,
                  const void *ctx)
{
    size_t i;

    if ((m->n + 1) * 2 > m->cap && grow(m, key_of, ctx) != 0)
        return -1;
    i = find_slot(m, key, key_of, ctx);
    if (m->tab[i] == 0)
        m->n++;
    m->tab[i] = value + 1;
    return 0;
}

uint32_t mem_idmap_del(mem_idmap_t *m, const char *key, mem_key_fn key_of, const void *ctx)
{
    size_t mask, i, j;
    uint32_t was;

    if (m->cap == 0)
        return MEM_IDMAP_NONE;
    mask = m->cap - 1;
    i = find_slot(m, key, key_of, ctx);
    if (m->tab[i] == 0)
        return MEM_IDMAP_NONE;
    was = m->tab[i] - 1;
    m->tab[i] = 0;
    m->n--;
    /* backward shift: move later members of the probe run into the hole when allowed */
    j = i;
    for (;;) {
        size_t home;

        j = (j + 1) & mask;
        if (m->tab[j] == 0)
            break;
        home = (size_t)mem_str_hash(key_of(ctx, m->tab[j] - 1)) & mask;
        /* j may move to i unless its home lies cyclically in (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
            m->tab[i] = m->tab[j];
            m->tab[j] = 0;
            i = j;
        }
    }
    return was;
}

void mem_idmap_clear(mem_idmap_t *m)
{
    if (m->tab != NULL)
        memset(m->tab, 0, m->cap * sizeof(*m->tab));
    m->n = 0;
}

void mem_idmap_free(mem_idmap_t *m)
{
    free(m->tab);
    m->tab = NULL;
    m->cap = m->n = 0;
}
