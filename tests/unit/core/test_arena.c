/* test_arena.c — core/host/dsm_arena.c: zeroed 16-aligned bump allocation, big blocks,
 * string helpers, LIFO deferred cleanups, reset keeping the first block. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dsm_test.h"
#include "ut_core.h"

static void test_alloc_is_zeroed_aligned_and_distinct(void)
{
    dsm_arena_t *a = dsm_arena_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    unsigned char *p[8];
    size_t sizes[8] = {1, 3, 16, 17, 31, 100, 1000, 4000};
    for (int i = 0; i < 8; i++) {
        p[i] = dsm_arena_alloc(a, sizes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p[i]);
        CU_ASSERT_EQUAL((uintptr_t)p[i] % 16, 0);
        size_t zeros = 0;
        for (size_t k = 0; k < sizes[i]; k++)
            zeros += p[i][k] == 0;
        CU_ASSERT_EQUAL(zeros, sizes[i]);
        memset(p[i], 0xA5, sizes[i]);
    }
    /* no overlap: every block still holds its own pattern after the others were written */
    for (int i = 0; i + 1 < 8; i++)
        CU_ASSERT_TRUE(p[i] + sizes[i] <= p[i + 1] || p[i + 1] + sizes[i + 1] <= p[i]);
    for (int i = 0; i < 8; i++)
        CU_ASSERT_EQUAL(p[i][sizes[i] - 1], 0xA5);
    dsm_arena_free(a);
}

static void test_big_allocations_get_their_own_block(void)
{
    dsm_arena_t *a = dsm_arena_new();
    unsigned char *small = dsm_arena_alloc(a, 10);
    unsigned char *big = dsm_arena_alloc(a, 100000);
    unsigned char *after = dsm_arena_alloc(a, 10);
    CU_ASSERT_PTR_NOT_NULL_FATAL(small);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    CU_ASSERT_PTR_NOT_NULL_FATAL(after);
    CU_ASSERT_EQUAL((uintptr_t)big % 16, 0);
    CU_ASSERT_EQUAL(big[0], 0);
    CU_ASSERT_EQUAL(big[99999], 0);
    memset(big, 0x5A, 100000);
    memset(after, 0x11, 10);
    CU_ASSERT_EQUAL(big[99999], 0x5A);
    CU_ASSERT_EQUAL(small[0], 0);
    /* many blocks' worth of small allocations */
    for (int i = 0; i < 5000; i++) {
        char *s = dsm_arena_alloc(a, 64);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        s[63] = 1;
    }
    dsm_arena_free(a); /* valgrind: every block is released */
}

static void test_strings(void)
{
    dsm_arena_t *a = dsm_arena_new();
    char *d = dsm_arena_strdup(a, "sprint");
    CU_ASSERT_STRING_EQUAL(d, "sprint");
    CU_ASSERT_PTR_NULL(dsm_arena_strdup(a, NULL));
    char *n = dsm_arena_strndup(a, "abcdef", 3);
    CU_ASSERT_STRING_EQUAL(n, "abc");
    char *e = dsm_arena_strndup(a, "", 0);
    CU_ASSERT_STRING_EQUAL(e, "");
    char *f = dsm_arena_printf(a, "%s-%03d/%c", "APO", 9, 'x');
    CU_ASSERT_STRING_EQUAL(f, "APO-009/x");
    /* a formatted string longer than a block */
    char *big = dsm_arena_printf(a, "%20000d|", 7);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    CU_ASSERT_EQUAL(strlen(big), 20001);
    CU_ASSERT_EQUAL(big[19999], '7');
    CU_ASSERT_EQUAL(big[20000], '|');
    CU_ASSERT_STRING_EQUAL(d, "sprint"); /* earlier strings untouched */
    dsm_arena_free(a);
}

typedef struct {
    int order[8];
    int n;
} ar_log_t;

static ar_log_t ar_log;

static void ar_note1(void *p)
{
    ar_log.order[ar_log.n++] = 1;
    (void)p;
}

static void ar_note2(void *p)
{
    ar_log.order[ar_log.n++] = 2;
    (void)p;
}

static void ar_free(void *p)
{
    ar_log.order[ar_log.n++] = 3;
    free(p);
}

static void test_defer_runs_lifo_at_reset_once(void)
{
    dsm_arena_t *a = dsm_arena_new();
    memset(&ar_log, 0, sizeof(ar_log));
    CU_ASSERT_EQUAL(dsm_arena_defer(a, ar_note1, NULL), 0);
    CU_ASSERT_EQUAL(dsm_arena_defer(a, ar_free, malloc(32)), 0);
    CU_ASSERT_EQUAL(dsm_arena_defer(a, ar_note2, NULL), 0);
    CU_ASSERT_EQUAL(ar_log.n, 0);
    dsm_arena_reset(a);
    CU_ASSERT_EQUAL_FATAL(ar_log.n, 3);
    CU_ASSERT_EQUAL(ar_log.order[0], 2);
    CU_ASSERT_EQUAL(ar_log.order[1], 3);
    CU_ASSERT_EQUAL(ar_log.order[2], 1);
    dsm_arena_reset(a); /* already run: not again */
    CU_ASSERT_EQUAL(ar_log.n, 3);
    /* dsm_arena_free runs what is still pending */
    CU_ASSERT_EQUAL(dsm_arena_defer(a, ar_note1, NULL), 0);
    dsm_arena_free(a);
    CU_ASSERT_EQUAL(ar_log.n, 4);
    CU_ASSERT_EQUAL(ar_log.order[3], 1);
}

static void test_reset_reuses_first_block_and_rezeroes(void)
{
    dsm_arena_t *a = dsm_arena_new();
    unsigned char *p1 = dsm_arena_alloc(a, 64);
    memset(p1, 0xFF, 64);
    (void)dsm_arena_alloc(a, 200000); /* a second block, dropped by reset */
    dsm_arena_reset(a);
    unsigned char *p2 = dsm_arena_alloc(a, 64);
    CU_ASSERT_PTR_EQUAL(p2, p1);
    size_t zeros = 0;
    for (int i = 0; i < 64; i++)
        zeros += p2[i] == 0;
    CU_ASSERT_EQUAL(zeros, 64);
    dsm_arena_free(a);
    dsm_arena_free(NULL); /* harmless */
}

/* A size whose block header + data overflows size_t must fail cleanly (NULL), not wrap into a
 * tiny malloc. Run in a child: the bug, when present, corrupts the heap or crashes. */
static int ar_child_alloc(size_t n)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dsm_arena_t *a = dsm_arena_new();
        void *p = dsm_arena_alloc(a, n);
        _exit(p == NULL ? 0 : 1);
    }
    int st = 0;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static void test_huge_sizes_fail_cleanly(void)
{
    dsm_arena_t *a = dsm_arena_new();
    CU_ASSERT_PTR_NULL(dsm_arena_alloc(a, SIZE_MAX));      /* rounding wraps: refused */
    CU_ASSERT_PTR_NULL(dsm_arena_alloc(a, SIZE_MAX - 14)); /* rounding wraps: refused */
    dsm_arena_free(a);
    /* SIZE_MAX - 15 rounds to itself; 32-byte header + size wraps to a 16-byte malloc */
    CU_ASSERT_EQUAL(ar_child_alloc(SIZE_MAX - 15), 0);
    CU_ASSERT_EQUAL(ar_child_alloc(SIZE_MAX - 31), 0);
}

DSM_SUITE("core/arena", NULL, NULL, DSM_TEST(test_alloc_is_zeroed_aligned_and_distinct),
          DSM_TEST(test_big_allocations_get_their_own_block), DSM_TEST(test_strings),
          DSM_TEST(test_defer_runs_lifo_at_reset_once),
          DSM_TEST(test_reset_reuses_first_block_and_rezeroes),
          DSM_TEST(test_huge_sizes_fail_cleanly));
