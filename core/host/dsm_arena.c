/*
 * dsm_arena.c — per-request bump allocator with deferred cleanups (PGresult, json objects).
 * One arena per worker thread, reset after each request; the first block is kept.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"

#define DSM_ARENA_BLOCK 16384

typedef struct dsm_block_s {
    struct dsm_block_s *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
} dsm_block_t;

typedef struct dsm_defer_s {
    struct dsm_defer_s *next;
    dsm_cleanup_fn fn;
    void *p;
} dsm_defer_t;

struct dsm_arena_s {
    dsm_block_t *head; /* current block; the last in the chain is the kept first block */
    dsm_defer_t *defers;
};

static dsm_block_t *arena_block(size_t min)
{
    size_t size = min > DSM_ARENA_BLOCK ? min : DSM_ARENA_BLOCK;
    if (size > SIZE_MAX / 2 - sizeof(dsm_block_t))
        return NULL;
    dsm_block_t *b = malloc(sizeof(*b) + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

dsm_arena_t *dsm_arena_new(void)
{
    dsm_arena_t *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->head = arena_block(DSM_ARENA_BLOCK);
    if (!a->head) {
        free(a);
        return NULL;
    }
    return a;
}

void *dsm_arena_alloc(dsm_arena_t *a, size_t n)
{
    size_t need = (n + 15u) & ~(size_t)15u;
    if (need < n)
        return NULL;
    if (a->head->size - a->head->used < need) {
        dsm_block_t *b = arena_block(need);
        if (!b)
            return NULL;
        b->next = a->head;
        a->head = b;
    }
    void *p = a->head->data + a->head->used;
    a->head->used += need;
    memset(p, 0, n);
    return p;
}

char *dsm_arena_strndup(dsm_arena_t *a, const char *s, size_t n)
{
    char *d = dsm_arena_alloc(a, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *dsm_arena_strdup(dsm_arena_t *a, const char *s)
{
    return s ? dsm_arena_strndup(a, s, strlen(s)) : NULL;
}

char *dsm_arena_vprintf(dsm_arena_t *a, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    char *d = dsm_arena_alloc(a, (size_t)n + 1);
    if (d)
        vsnprintf(d, (size_t)n + 1, fmt, ap);
    return d;
}

char *dsm_arena_printf(dsm_arena_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = dsm_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}

int dsm_arena_defer(dsm_arena_t *a, dsm_cleanup_fn fn, void *p)
{
    dsm_defer_t *d = dsm_arena_alloc(a, sizeof(*d));
    if (!d) {
        fn(p);
        return -1;
    }
    d->fn = fn;
    d->p = p;
    d->next = a->defers;
    a->defers = d;
    return 0;
}

void dsm_arena_reset(dsm_arena_t *a)
{
    while (a->defers) {
        dsm_defer_t *d = a->defers;
        a->defers = d->next;
        d->fn(d->p);
    }
    while (a->head->next) {
        dsm_block_t *b = a->head;
        a->head = b->next;
        free(b);
    }
    a->head->used = 0;
}

void dsm_arena_free(dsm_arena_t *a)
{
    if (!a)
        return;
    dsm_arena_reset(a);
    free(a->head);
    free(a);
}
