/* dsm_test_main.c — runs the self-registered CUnit suites; see dsm_test.h. */
#include "dsm_test.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#define DSM_TEST_MAX_SUITES 256

static const dsm_test_suite_t *suites[DSM_TEST_MAX_SUITES];
static size_t nsuites;

void dsm_test_register(const dsm_test_suite_t *suite)
{
    if (nsuites < DSM_TEST_MAX_SUITES)
        suites[nsuites++] = suite;
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    unsigned passed, failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    for (size_t i = 0; i < nsuites; i++) {
        const dsm_test_suite_t *s = suites[i];
        if (only != NULL && strncmp(s->name, only, strlen(only)) != 0)
            continue;
        CU_pSuite cs = CU_add_suite(s->name, s->init, s->cleanup);
        if (cs == NULL)
            return 2;
        for (size_t j = 0; j < s->ncases; j++)
            if (CU_add_test(cs, s->cases[j].name, s->cases[j].fn) == NULL)
                return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    /* A test counts as failed when any of its assertions failed, or its suite could not start. */
    failed = CU_get_number_of_tests_failed() + CU_get_number_of_suites_failed();
    passed = CU_get_number_of_tests_run() - CU_get_number_of_tests_failed();
    /* One line per failed assertion, right above the summary, so a log's tail names them. */
    for (CU_pFailureRecord f = CU_get_failure_list(); f != NULL; f = f->pNext)
        printf("FAILED: %s / %s — %s:%u: %s\n", f->pSuite != NULL ? f->pSuite->pName : "?",
               f->pTest != NULL ? f->pTest->pName : "(suite set-up)",
               f->strFileName != NULL ? f->strFileName : "?", f->uiLineNumber,
               f->strCondition != NULL ? f->strCondition : "?");
    printf("\n%u passed, %u failed\n", passed, failed);
    CU_cleanup_registry();
    return failed == 0 ? 0 : 1;
}
