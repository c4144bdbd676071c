/*
 * mem_idmap_logic.h — a string → index hash map whose keys live elsewhere (pure C).
 *
 * The map stores only uint32 values; the key of a value is found through a callback (the
 * search cache keeps its episode ids in one array and its project names in another). Open
 * addressing with linear probing and backward-shift deletion; grows at load factor 1/2.
 */
#ifndef MEM_IDMAP_LOGIC_H
#define MEM_IDMAP_LOGIC_H

#include <stddef.h>
#include <stdint.h>

#define MEM_IDMAP_NONE UINT32_MAX

typedef const char *(*mem_key_fn)(const void *ctx, uint32_t value);

typedef struct {
    uint32_t *tab; /* value + 1, 0 = empty */
    size_t cap;    /* power of two (0 before the first put) */
    size_t n;
} mem_idmap_t;

uint64_t mem_str_hash(const char *s);

/* The value stored under key, or MEM_IDMAP_NONE. */
uint32_t mem_idmap_get(const mem_idmap_t *m, const char *key, mem_key_fn key_of, const void *ctx);
/* Insert or replace key → value (key_of(ctx, value) must already return key). 0, -1 on OOM. */
int mem_idmap_put(mem_idmap_t *m, const char *key, uint32_t value, mem_key_fn key_of,
                  const void *ctx);
/* Remove key. Returns the value it had, or MEM_IDMAP_NONE. */
uint32_t mem_idmap_del(mem_idmap_t *m, const char *key, mem_key_fn key_of, const void *ctx);
void mem_idmap_clear(mem_idmap_t *m);
void mem_idmap_free(mem_idmap_t *m);

#endif /* MEM_IDMAP_LOGIC_H */
