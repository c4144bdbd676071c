/*
 * dsm_db.c — PostgreSQL for plugins: one connection per worker thread and named database,
 * opened lazily, re-opened after a server restart; parameterised queries only; results live in
 * the request arena. Transactions are per request and rolled back if a handler leaves one open.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"

struct dsm_rows_s {
    PGresult *res;
};

static void clear_result(void *p)
{
    PQclear(p);
}

static void set_error(dsm_req_t *r, const char *state, const char *msg)
{
    snprintf(r->sqlstate, sizeof(r->sqlstate), "%s", state ? state : "XX000");
    r->errmsg = dsm_arena_strdup(r->arena, msg ? msg : "database error");
}

static dsm_dbconn_t *conn_slot(dsm_req_t *r, const char *db)
{
    dsm_thread_t *t = r->thr;
    for (size_t i = 0; i < t->ndb; i++) {
        if (!strcmp(t->db[i].name, db))
            return &t->db[i];
    }
    if (t->ndb == sizeof(t->db) / sizeof(t->db[0]))
        return NULL;
    char key[128];
    snprintf(key, sizeof(key), "db.%s", db);
    const char *ci = dsm_config_get(&t->host->cfg, key);
    if (!ci)
        return NULL;
    dsm_dbconn_t *c = &t->db[t->ndb++];
    memset(c, 0, sizeof(*c));
    c->name = strdup(db);
    c->conninfo = strdup(ci);
    snprintf(key, sizeof(key), "db.%s.prepare", db);
    const char *prep = dsm_config_get(&t->host->cfg, key);
    c->prepare = prep && (!strcmp(prep, "1") || !strcmp(prep, "true") || !strcmp(prep, "yes"));
    return c;
}

static PGconn *conn_get(dsm_req_t *r, const char *db, bool fresh)
{
    dsm_dbconn_t *c = conn_slot(r, db);
    if (!c) {
        set_error(r, "08001", "database not configured");
        return NULL;
    }
    if (c->conn && (fresh || PQstatus(c->conn) != CONNECTION_OK)) {
        PQfinish(c->conn);
        c->conn = NULL;
        dsm_stmt_clear(c); /* they lived on that connection */
    }
    if (!c->conn) {
        const char *const keys[] = {"dbname", "connect_timeout", "application_name", NULL};
        const char *const vals[] = {c->conninfo, "2", "dsm-host", NULL};
        c->conn = PQconnectdbParams(keys, vals, 1);
        if (PQstatus(c->conn) != CONNECTION_OK) {
            set_error(r, "08006", PQerrorMessage(c->conn));
            dsm_log_line("error", "db_connect", r->id, PQerrorMessage(c->conn), NULL);
            PQfinish(c->conn);
            c->conn = NULL;
            return NULL;
        }
    }
    return c->conn;
}

/* Run sql on c: by name when the connection prepares statements (dsm_db_stmt.c) — preparing
 * it first when it is new — else as a one-off statement. *id = the statement used (0: none). */
static PGresult *run(PGconn *c, dsm_dbconn_t *slot, const char *sql, int n,
                     const char *const *params, unsigned *id)
{
    char name[DSM_STMT_NAME_LEN];
    *id = 0;
    if (!slot->prepare || !dsm_stmt_worth(sql))
        return PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
    if (!dsm_stmt_find(slot, sql, id)) {
        if (dsm_stmt_add(slot, sql, id) != 0) { /* cache full (or out of memory): one-off */
            *id = 0;
            return PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
        }
        dsm_stmt_name(*id, name);
        PGresult *prep = PQprepare(c, name, sql, n, NULL);
        if (PQresultStatus(prep) != PGRES_COMMAND_OK) {
            dsm_stmt_forget(slot, *id);
            *id = 0;
            return prep; /* the statement's own error (syntax, aborted transaction, …) */
        }
        PQclear(prep);
    }
    dsm_stmt_name(*id, name);
    return PQexecPrepared(c, name, n, params, NULL, NULL, 0);
}

dsm_rows_t *dsm_db_exec(dsm_req_t *r, const char *db, const char *sql, int n,
                        const char *const *params)
{
    db = db ? db : "main";
    bool in_tx = r->tx_db && !strcmp(r->tx_db, db), stmt_retried = false;
    for (int attempt = 0; attempt < 2; attempt++) {
        PGconn *c = conn_get(r, db, false);
        if (!c)
            return NULL;
        dsm_dbconn_t *slot = conn_slot(r, db);
        unsigned id;
        PGresult *res = run(c, slot, sql, n, params, &id);
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
            dsm_rows_t *rows = dsm_arena_alloc(r->arena, sizeof(*rows));
            if (!rows) {
                PQclear(res);
                set_error(r, "53200", "out of memory");
                return NULL;
            }
            rows->res = res;
            dsm_arena_defer(r->arena, clear_result, res);
            return rows;
        }
        const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        /* A prepared statement the server no longer has (DISCARD ALL) or whose cached plan no
         * longer fits (a migration changed a table it reads; others may be stale too): forget
         * it — outside a transaction, drop every statement of the connection from the server
         * and the cache, to be prepared again as used; outside a transaction run the statement
         * again, prepared anew — once, apart from the reconnect retry below. */
        const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
        bool gone = state && !strcmp(state, "26000");
        bool stale = state && !strcmp(state, "0A000") && primary &&
                     strstr(primary, "cached plan must not change result type");
        if (id && (gone || stale)) {
            if (stale && !in_tx) {
                PQclear(PQexec(c, "DEALLOCATE ALL"));
                dsm_stmt_clear(slot);
            } else {
                dsm_stmt_forget(slot, id);
            }
            if (!in_tx && !stmt_retried) {
                stmt_retried = true;
                attempt--;
                PQclear(res);
                continue;
            }
        }
        /* The server side went away: our socket died (server restart), or PgBouncer reports
         * that its server connection did (class 08, 57P01..57P03 admin shutdown/crash). */
        bool broken = PQstatus(c) != CONNECTION_OK ||
                      (state && (!strncmp(state, "08", 2) || !strncmp(state, "57P0", 4)));
        set_error(r, PQstatus(c) != CONNECTION_OK ? "08006" : state, PQerrorMessage(c));
        PQclear(res);
        /* Reconnect and retry once — never inside a transaction (its earlier statements are
         * gone) and only before anything of this statement can have been applied. */
        if (!broken || in_tx)
            break;
        dsm_log_line("warn", "db_reconnect", r->id, r->errmsg, NULL);
        conn_get(r, db, true);
        if (!conn_get(r, db, false))
            break;
    }
    return NULL;
}

static int tx_cmd(dsm_req_t *r, const char *db, const char *cmd)
{
    return dsm_db_exec(r, db, cmd, 0, NULL) ? DSM_OK : DSM_ERR;
}

int dsm_db_begin(dsm_req_t *r, const char *db)
{
    db = db ? db : "main";
    if (r->tx_db) {
        set_error(r, "25001", "a transaction is already open in this request");
        return DSM_ERR;
    }
    if (tx_cmd(r, db, "BEGIN"))
        return DSM_ERR;
    r->tx_db = dsm_arena_strdup(r->arena, db);
    return DSM_OK;
}

/* COMMIT of a transaction in which a statement failed is answered "ROLLBACK" with success
 * status by PostgreSQL: that is a failed commit here (25P02), never a silent success. */
int dsm_db_commit(dsm_req_t *r, const char *db)
{
    dsm_rows_t *rows = dsm_db_exec(r, db, "COMMIT", 0, NULL);
    r->tx_db = NULL;
    if (!rows)
        return DSM_ERR;
    if (!strcmp(PQcmdStatus(rows->res), "ROLLBACK")) {
        set_error(r, "25P02", "the transaction was rolled back: a statement in it failed");
        return DSM_ERR;
    }
    return DSM_OK;
}

int dsm_db_rollback(dsm_req_t *r, const char *db)
{
    char state[6];
    const char *msg = r->errmsg;
    memcpy(state, r->sqlstate, sizeof(state));
    int rc = tx_cmd(r, db, "ROLLBACK");
    r->tx_db = NULL;
    memcpy(r->sqlstate, state, sizeof(state)); /* keep the error that caused the rollback */
    r->errmsg = msg;
    return rc;
}

void dsm_db_request_end(dsm_req_t *r)
{
    if (r->tx_db) {
        dsm_log_line("warn", "tx_left_open", r->id, "rolled back a transaction left open", NULL);
        dsm_db_rollback(r, r->tx_db);
    }
}

int dsm_reply_db_error(dsm_req_t *r)
{
    const char *s = r->sqlstate[0] ? r->sqlstate : "XX000";
    dsm_log_line("error", "db_error", r->id, r->errmsg, NULL);
    if (!strncmp(s, "08", 2) || !strncmp(s, "57P", 3) || !strcmp(s, "53300"))
        return dsm_reply_error(r, 503, "Database unavailable");
    if (!strcmp(s, "23505"))
        return dsm_reply_error(r, 409, "Resource already exists");
    if (!strncmp(s, "23", 2))
        return dsm_reply_error(r, 409, "Conflicts with existing data");
    if (!strncmp(s, "22", 2))
        return dsm_reply_error(r, 422, "Invalid value");
    return dsm_reply_error(r, 500, "Database operation failed.");
}

int dsm_rows_count(const dsm_rows_t *rows)
{
    return rows ? PQntuples(rows->res) : 0;
}

int dsm_rows_affected(const dsm_rows_t *rows)
{
    return rows ? atoi(PQcmdTuples(rows->res)) : 0;
}

const char *dsm_rows_value(const dsm_rows_t *rows, int row, int col)
{
    if (!rows || row < 0 || col < 0 || row >= PQntuples(rows->res) || col >= PQnfields(rows->res))
        return NULL;
    return PQgetisnull(rows->res, row, col) ? NULL : PQgetvalue(rows->res, row, col);
}

int dsm_rows_col(const dsm_rows_t *rows, const char *name)
{
    return rows ? PQfnumber(rows->res, name) : -1;
}

void dsm_db_thread_close(dsm_thread_t *t)
{
    for (size_t i = 0; i < t->ndb; i++) {
        if (t->db[i].conn)
            PQfinish(t->db[i].conn);
        dsm_stmt_clear(&t->db[i]);
        free(t->db[i].name);
        free(t->db[i].conninfo);
    }
    t->ndb = 0;
}
