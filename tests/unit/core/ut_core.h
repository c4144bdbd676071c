/*
 * ut_core.h — fixtures shared by the unit tests of core/host/ (tests/unit/core/test_*.c):
 * a zeroed host with one worker thread, requests built through dsm_req_init, and small file
 * helpers for the loader tests. Test-only; nothing here is linked into dsm-host.
 */
#ifndef UT_CORE_H
#define UT_CORE_H

#include <stddef.h>

#include "dsm_core.h"

typedef struct {
    dsm_host_t host; /* zeroed, max_body 1 MiB, mutexes initialised */
    dsm_thread_t thr; /* set up by dsm_thread_setup(&thr, &host, 0) */
} ut_env_t;

/* Returns 0, or -1 when the thread could not be set up. */
int ut_env_open(ut_env_t *e);
/* ut_env_open, then db.main = the test stack's project_db (tests/run.sh starts it; DSM_PG_PORT,
 * DSM_DB_USER, DSM_DB_PASSWORD from core/tools/env.sh). -1 without those variables, so that a
 * suite run outside tests/run.sh fails at set-up rather than pretending to pass. */
int ut_env_open_pg(ut_env_t *e);
/* Resets the arena (runs deferred cleanups) and tears the thread down. */
void ut_env_close(ut_env_t *e);
/* dsm_req_init on the env's thread; returns what it returned. */
int ut_req(ut_env_t *e, dsm_req_t *r, const char *method, const char *uri, char **env);
/* Lends body (NUL-terminated) to an initialised request. */
void ut_req_body(dsm_req_t *r, const char *body);
/* The reply body as a C string, "" when there is none. */
const char *ut_out(const dsm_req_t *r);

/* Entries of a directory other than . and .., or -1. */
int ut_dir_count(const char *dir);
/* Copies src to dst through dst.tmp + rename (as `make` installs a plugin). 0 or -1. */
int ut_install(const char *src, const char *dst);
/* Removes a directory tree made by a test. */
void ut_rm_tree(const char *dir);
/* Directory of the test plugins: $DSM_TEST_PLUGINS or "build/test-plugins". */
const char *ut_test_plugins(void);

#endif
