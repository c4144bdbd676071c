/*
 * dsm_db_stmt.c — the prepared statements of one database connection (dsm_dbconn_t.stmts).
 *
 * WHY: most of what PostgreSQL spends on a short query is parsing and planning it, not running
 * it (a daily-scrum analytics query: 0.32 ms as a one-off statement, 0.07 ms prepared). On a
 * connection that reaches PostgreSQL directly (config `db.NAME.prepare = 1`), dsm_db_exec
 * prepares each distinct SQL text once (PQprepare, named dsm_s<N>) and executes it by name from
 * then on. Never through PgBouncer in transaction mode: there the next statement may run on
 * another server connection, which never saw the PREPARE (docs/ARCHITECTURE.md §7).
 *
 * The cache belongs to the connection: a new connection starts empty. Entries are keyed by the
 * SQL text itself (hash + strcmp), so a plugin reloaded with the same statements reuses them.
 * Bounded: past DSM_STMT_MAX distinct texts a connection runs further ones unprepared. Only
 * planned statements are prepared (dsm_stmt_worth).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dsm_core.h"

#define DSM_STMT_MAX 512

struct dsm_stmt_s {
    uint64_t hash;
    char *sql;
    unsigned id; /* statement name: dsm_s<id> */
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Only what PostgreSQL plans gains from being prepared: SELECT, INSERT, UPDATE, DELETE, WITH,
 * VALUES. Utility statements (BEGIN, COMMIT, SET, DDL, and DEALLOCATE / DISCARD, which would
 * drop the cache's own statements behind its back) run as one-off statements. */
int dsm_stmt_worth(const char *sql)
{
    static const char *const kw[] = {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES"};

    while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r' || *sql == '(')
        sql++;
    for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
        size_t n = strlen(kw[i]);

        if (!strncasecmp(sql, kw[i], n) && !isalnum((unsigned char)sql[n]) && sql[n] != '_')
            return 1;
    }
    return 0;
}

void dsm_stmt_name(unsigned id, char out[DSM_STMT_NAME_LEN])
{
    snprintf(out, DSM_STMT_NAME_LEN, "dsm_s%u", id);
}

int dsm_stmt_find(const dsm_dbconn_t *c, const char *sql, unsigned *id)
{
    uint64_t h = fnv1a(sql);

    for (size_t i = 0; i < c->nstmts; i++) {
        if (c->stmts[i].hash == h && !strcmp(c->stmts[i].sql, sql)) {
            *id = c->stmts[i].id;
            return 1;
        }
    }
    return 0;
}

int dsm_stmt_add(dsm_dbconn_t *c, const char *sql, unsigned *id)
{
    char *copy;

    if (c->nstmts >= DSM_STMT_MAX)
        return -1;
    if (c->nstmts == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        struct dsm_stmt_s *v = realloc(c->stmts, cap * sizeof(*v));

        if (v == NULL)
            return -1;
        c->stmts = v;
        c->cap = cap;
    }
    if ((copy = strdup(sql)) == NULL)
        return -1;
    *id = ++c->next_id;
    c->stmts[c->nstmts++] = (struct dsm_stmt_s){fnv1a(sql), copy, *id};
    return 0;
}

void dsm_stmt_forget(dsm_dbconn_t *c, unsigned id)
{
    for (size_t i = 0; i < c->nstmts; i++) {
        if (c->stmts[i].id == id) {
            free(c->stmts[i].sql);
            c->stmts[i] = c->stmts[--c->nstmts];
            return;
        }
    }
}

void dsm_stmt_clear(dsm_dbconn_t *c)
{
    for (size_t i = 0; i < c->nstmts; i++)
        free(c->stmts[i].sql);
    free(c->stmts);
    c->stmts = NULL;
    c->nstmts = c->cap = 0;
}
