/*
 * dsm_test.h — CUnit suites that register themselves.
 *
 * A test file declares its tests and ends with one DSM_SUITE line:
 *
 *   static void test_split(void) { CU_ASSERT_EQUAL(f(1), 2); }
 *   DSM_SUITE("core/router", NULL, NULL,
 *             DSM_TEST(test_split), DSM_TEST(test_other));
 *
 * The suite is added to a table by a constructor; tests/dsm_test_main.c (linked into each test
 * binary) runs every suite (or those whose name starts with argv[1]) and prints the summary
 * line "N passed, N failed" that tests/run.sh adds up.
 */
#ifndef DSM_TEST_H
#define DSM_TEST_H

#include <CUnit/CUnit.h>
#include <stddef.h>

typedef struct {
    const char *name;
    CU_TestFunc fn;
} dsm_test_case_t;

typedef struct {
    const char *name;
    CU_InitializeFunc init;
    CU_CleanupFunc cleanup;
    const dsm_test_case_t *cases;
    size_t ncases;
} dsm_test_suite_t;

void dsm_test_register(const dsm_test_suite_t *suite);

#define DSM_TEST(fn) {#fn, fn}
#define DSM__CAT2(a, b) a##b
#define DSM__CAT(a, b) DSM__CAT2(a, b)
#define DSM_SUITE(sname, sinit, sclean, ...)                                                       \
    static const dsm_test_case_t DSM__CAT(dsm_cases_, __LINE__)[] = {__VA_ARGS__};                 \
    static const dsm_test_suite_t DSM__CAT(dsm_suite_, __LINE__) = {                               \
        sname, sinit, sclean, DSM__CAT(dsm_cases_, __LINE__),                                      \
        sizeof(DSM__CAT(dsm_cases_, __LINE__)) / sizeof(dsm_test_case_t)};                         \
    __attribute__((constructor)) static void DSM__CAT(dsm_suite_reg_, __LINE__)(void)              \
    {                                                                                              \
        dsm_test_register(&DSM__CAT(dsm_suite_, __LINE__));                                        \
    }

#endif
