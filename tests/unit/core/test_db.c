/*
 * test_db.c — transactions of core/host/dsm_db.c against the test stack's PostgreSQL
 * (tests/run.sh starts it before the unit tests; DSM_PG_PORT, DSM_DB_USER, DSM_DB_PASSWORD
 * come from core/tools/env.sh). Run outside tests/run.sh without those variables, the suite
 * fails at set-up rather than pretending to pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"
#include "dsm_test.h"
#include "ut_core.h"

static ut_env_t env;

static int db_suite_init(void)
{
    return ut_env_open_pg(&env);
}

static int db_suite_clean(void)
{
    ut_env_close(&env);
    return 0;
}

static void test_commit_of_a_good_transaction(void)
{
    dsm_req_t r;

    CU_ASSERT_EQUAL_FATAL(ut_req(&env, &r, "GET", "/", NULL), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_db_begin(&r, NULL), DSM_OK);
    CU_ASSERT_PTR_NOT_NULL(dsm_db_exec(&r, NULL, "SELECT 1", 0, NULL));
    CU_ASSERT_EQUAL(dsm_db_commit(&r, NULL), DSM_OK);
    CU_ASSERT_PTR_NULL(r.tx_db);
    dsm_db_request_end(&r);
    dsm_arena_reset(env.thr.arena);
}

/* PostgreSQL answers COMMIT of an aborted transaction with the command tag ROLLBACK and a
 * success status: the host must report it as a failed commit. */
static void test_commit_after_a_failed_statement_fails(void)
{
    dsm_req_t r;
    const char *p[1] = {"0"};

    CU_ASSERT_EQUAL_FATAL(ut_req(&env, &r, "GET", "/", NULL), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_db_begin(&r, NULL), DSM_OK);
    CU_ASSERT_PTR_NULL(dsm_db_exec(&r, NULL, "SELECT 1 / $1::int", 1, p));
    CU_ASSERT_STRING_EQUAL(r.sqlstate, "22012");
    CU_ASSERT_EQUAL(dsm_db_commit(&r, NULL), DSM_ERR);
    CU_ASSERT_STRING_EQUAL(r.sqlstate, "25P02");
    CU_ASSERT_PTR_NULL(r.tx_db);
    /* the connection is usable again, outside any transaction */
    CU_ASSERT_PTR_NOT_NULL(dsm_db_exec(&r, NULL, "SELECT 1", 0, NULL));
    dsm_db_request_end(&r);
    dsm_arena_reset(env.thr.arena);
}

DSM_SUITE("core/db", db_suite_init, db_suite_clean, DSM_TEST(test_commit_of_a_good_transaction),
          DSM_TEST(test_commit_after_a_failed_statement_fails));
