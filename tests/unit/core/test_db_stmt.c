/*
 * test_db_stmt.c — the prepared statements of core/host/dsm_db_stmt.c, through dsm_db_exec, against
 * the test stack's PostgreSQL (as test_db.c: DSM_PG_PORT, DSM_DB_USER, DSM_DB_PASSWORD; without
 * them the suite fails at set-up). The connection has db.main.prepare = 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"
#include "dsm_test.h"
#include "ut_core.h"

static ut_env_t env;

static int stmt_suite_init(void)
{
    char err[256];

    if (ut_env_open_pg(&env) != 0)
        return -1;
    return dsm_config_set(&env.host.cfg, "db.main.prepare", "1", err, sizeof err) == 0 ? 0 : -1;
}

static int stmt_suite_clean(void)
{
    ut_env_close(&env);
    return 0;
}

/* The value of the first column of the first row of sql, "" when there is none. */
static const char *one(dsm_req_t *r, const char *sql)
{
    dsm_rows_t *rows = dsm_db_exec(r, NULL, sql, 0, NULL);
    const char *v = rows != NULL ? dsm_rows_value(rows, 0, 0) : NULL;

    return v != NULL ? v : "";
}

static dsm_dbconn_t *main_conn(void)
{
    for (size_t i = 0; i < env.thr.ndb; i++)
        if (!strcmp(env.thr.db[i].name, "main"))
            return &env.thr.db[i];
    return NULL;
}

static void test_a_statement_is_prepared_once(void)
{
    dsm_req_t r;
    const char *p[1] = {"41"};
    dsm_dbconn_t *c;
    size_t before;

    CU_ASSERT_EQUAL_FATAL(ut_req(&env, &r, "GET", "/", NULL), 0);
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT 'warm'"), "warm");
    c = main_conn();
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_TRUE(c->prepare);
    before = c->nstmts;
    for (int i = 0; i < 3; i++) {
        dsm_rows_t *rows = dsm_db_exec(&r, NULL, "SELECT $1::int + 1", 1, p);

        CU_ASSERT_PTR_NOT_NULL_FATAL(rows);
        CU_ASSERT_STRING_EQUAL(dsm_rows_value(rows, 0, 0), "42");
    }
    CU_ASSERT_EQUAL(c->nstmts, before + 1);
    /* the server holds it under the host's name (this SELECT is itself prepared: +1) */
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE "
                                   "'dsm\\_s%' AND statement = 'SELECT $1::int + 1'"),
                           "1");
    dsm_arena_reset(env.thr.arena);
}

/* DEALLOCATE ALL (or PgBouncer's DISCARD ALL) makes the server forget them: the next run of a
 * cached statement fails with 26000, is forgotten and prepared anew, and answers. */
static void test_a_statement_the_server_forgot_is_prepared_again(void)
{
    dsm_req_t r;

    CU_ASSERT_EQUAL_FATAL(ut_req(&env, &r, "GET", "/", NULL), 0);
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT 'again'"), "again");
    CU_ASSERT_PTR_NOT_NULL(dsm_db_exec(&r, NULL, "DEALLOCATE ALL", 0, NULL));
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT 'again'"), "again");
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT count(*) FROM pg_prepared_statements WHERE statement "
                                   "= 'SELECT ''again'''"),
                           "1");
    dsm_arena_reset(env.thr.arena);
}

/* Inside a transaction the failed statement has aborted it: the error is returned, not hidden
 * by a retry, and the statement works again once the transaction is over. */
static void test_a_forgotten_statement_in_a_transaction_fails_the_transaction(void)
{
    dsm_req_t r;

    CU_ASSERT_EQUAL_FATAL(ut_req(&env, &r, "GET", "/", NULL), 0);
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT 'in tx'"), "in tx");
    CU_ASSERT_EQUAL_FATAL(dsm_db_begin(&r, NULL), DSM_OK);
    CU_ASSERT_PTR_NOT_NULL(dsm_db_exec(&r, NULL, "DEALLOCATE ALL", 0, NULL));
    CU_ASSERT_PTR_NULL(dsm_db_exec(&r, NULL, "SELECT 'in tx'", 0, NULL));
    CU_ASSERT_STRING_EQUAL(r.sqlstate, "26000");
    CU_ASSERT_EQUAL(dsm_db_commit(&r, NULL), DSM_ERR);
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT 'in tx'"), "in tx");
    dsm_db_request_end(&r);
    dsm_arena_reset(env.thr.arena);
}

/* A table changed under a prepared SELECT * ("cached plan must not change result type",
 * 0A000): forgotten and deallocated, prepared anew, the new shape is returned. */
static void test_a_changed_table_gets_a_new_statement(void)
{
    dsm_req_t r;
    dsm_rows_t *rows;

    CU_ASSERT_EQUAL_FATAL(ut_req(&env, &r, "GET", "/", NULL), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(
        dsm_db_exec(&r, NULL, "CREATE TEMP TABLE ut_stmt_shape (a int)", 0, NULL));
    CU_ASSERT_PTR_NOT_NULL(dsm_db_exec(&r, NULL, "INSERT INTO ut_stmt_shape VALUES (1)", 0, NULL));
    rows = dsm_db_exec(&r, NULL, "SELECT * FROM ut_stmt_shape", 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rows);
    CU_ASSERT_EQUAL(dsm_rows_col(rows, "b"), -1);
    CU_ASSERT_PTR_NOT_NULL(
        dsm_db_exec(&r, NULL, "ALTER TABLE ut_stmt_shape ADD COLUMN b int DEFAULT 7", 0, NULL));
    rows = dsm_db_exec(&r, NULL, "SELECT * FROM ut_stmt_shape", 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rows);
    CU_ASSERT_EQUAL(dsm_rows_col(rows, "b"), 1);
    CU_ASSERT_STRING_EQUAL(dsm_rows_value(rows, 0, 1), "7");
    /* the stale statement is gone from the server too: one left under that text */
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT count(*) FROM pg_prepared_statements WHERE statement "
                                   "= 'SELECT * FROM ut_stmt_shape'"),
                           "1");
    CU_ASSERT_PTR_NOT_NULL(dsm_db_exec(&r, NULL, "DROP TABLE ut_stmt_shape", 0, NULL));
    dsm_arena_reset(env.thr.arena);
}

/* Bounded: past 512 distinct texts a connection runs further statements unprepared. */
static void test_the_cache_is_bounded(void)
{
    dsm_req_t r;
    dsm_dbconn_t *c;
    char sql[64], want[16];
    int ok = 1;

    CU_ASSERT_EQUAL_FATAL(ut_req(&env, &r, "GET", "/", NULL), 0);
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT 'bound'"), "bound");
    c = main_conn();
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    for (int i = 0; i < 530 && ok; i++) {
        snprintf(sql, sizeof sql, "SELECT %d AS ut_bound", i);
        snprintf(want, sizeof want, "%d", i);
        ok = strcmp(one(&r, sql), want) == 0;
        if ((i & 63) == 63)
            dsm_arena_reset(env.thr.arena);
    }
    CU_ASSERT_TRUE(ok);
    CU_ASSERT_EQUAL(c->nstmts, 512);
    dsm_arena_reset(env.thr.arena);
}

static void test_only_planned_statements_are_prepared(void)
{
    CU_ASSERT_TRUE(dsm_stmt_worth("SELECT 1"));
    CU_ASSERT_TRUE(dsm_stmt_worth("  with x AS (SELECT 1) SELECT * FROM x"));
    CU_ASSERT_TRUE(dsm_stmt_worth("\n\tINSERT INTO t VALUES (1)"));
    CU_ASSERT_TRUE(dsm_stmt_worth("(SELECT 1) UNION (SELECT 2)"));
    CU_ASSERT_TRUE(dsm_stmt_worth("update t SET a = 1"));
    CU_ASSERT_TRUE(dsm_stmt_worth("DELETE FROM t"));
    CU_ASSERT_TRUE(dsm_stmt_worth("VALUES (1)"));
    CU_ASSERT_FALSE(dsm_stmt_worth("BEGIN"));
    CU_ASSERT_FALSE(dsm_stmt_worth("COMMIT"));
    CU_ASSERT_FALSE(dsm_stmt_worth("DEALLOCATE ALL"));
    CU_ASSERT_FALSE(dsm_stmt_worth("DISCARD ALL"));
    CU_ASSERT_FALSE(dsm_stmt_worth("SET LOCAL lock_timeout = '1s'"));
    CU_ASSERT_FALSE(dsm_stmt_worth("CREATE TABLE t (a int)"));
    CU_ASSERT_FALSE(dsm_stmt_worth("SELECTED"));
    CU_ASSERT_FALSE(dsm_stmt_worth("WITH_x"));
    CU_ASSERT_FALSE(dsm_stmt_worth(""));
}

/* A connection that died takes its statements with it: the new one starts empty. */
static void test_a_new_connection_starts_without_statements(void)
{
    dsm_req_t r;
    dsm_dbconn_t *c;

    CU_ASSERT_EQUAL_FATAL(ut_req(&env, &r, "GET", "/", NULL), 0);
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT 'before'"), "before");
    c = main_conn();
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_TRUE(c->nstmts > 0);
    /* the host retries a broken connection once: both attempts end their own session */
    CU_ASSERT_PTR_NULL(
        dsm_db_exec(&r, NULL, "SELECT pg_terminate_backend(pg_backend_pid())", 0, NULL));
    CU_ASSERT_STRING_EQUAL(one(&r, "SELECT 'after'"), "after");
    CU_ASSERT_EQUAL(c->nstmts, 1);
    dsm_arena_reset(env.thr.arena);
}

DSM_SUITE("core/db_stmt", stmt_suite_init, stmt_suite_clean,
          DSM_TEST(test_a_statement_is_prepared_once),
          DSM_TEST(test_a_statement_the_server_forgot_is_prepared_again),
          DSM_TEST(test_a_forgotten_statement_in_a_transaction_fails_the_transaction),
          DSM_TEST(test_a_changed_table_gets_a_new_statement), DSM_TEST(test_the_cache_is_bounded),
          DSM_TEST(test_only_planned_statements_are_prepared),
          DSM_TEST(test_a_new_connection_starts_without_statements));
