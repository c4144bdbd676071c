#!/usr/bin/env bash
# tests/load/db_restart.sh — the pools reconnect by themselves after PostgreSQL and Redis
# restart: every worker thread's connection dies with the server, and the next request on it
# must still succeed (dsm_db.c reconnects and retries once outside a transaction; Redis is
# reopened on the next command). Also: while PostgreSQL is down, requests get a 503 JSON
# quickly (never a hang, never a 500). Prints `N passed, N failed` last.
# Defaults to the test stack of tests/run.sh; any DSM_* / DSM_TEST_* in the environment wins.
set -euo pipefail

# shellcheck source=lib/stack_env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/stack_env.sh"

url=${DSM_TEST_URL:-http://127.0.0.1:$DSM_PORT}
pg_data=$DSM_PG_HOME/pg/data
# shellcheck source=lib/tally.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/tally.sh"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
status_of() { curl -s -o /dev/null -m 10 -w '%{http_code}' "$url$1"; }

# Warm every thread's connection: many requests over both instances.
for _ in $(seq 1 64); do status_of /projects/PHE001 >/dev/null; done

as_pg "$DSM_PG_BIN/pg_ctl" -D "$pg_data" -m fast -w -t 30 stop >/dev/null
codes=$(for _ in 1 2 3 4; do status_of /projects/PHE001; echo; done | sort -u | tr '\n' ' ')
if [ "$codes" = "503 " ]; then ok "PostgreSQL down: 503"; else bad "PostgreSQL down gave: $codes"; fi
body=$(curl -s -m 10 "$url/projects/PHE001")
case $body in *'"detail"'*) ok "503 body is JSON: $body" ;; *) bad "503 body: $body" ;; esac
rd=$(status_of /project/health/ready)
if [ "$rd" = 503 ]; then ok "readiness 503 while the database is down"; else bad "readiness: $rd"; fi

as_pg "$DSM_PG_BIN/pg_ctl" -D "$pg_data" -l "$DSM_PG_HOME/pg/postgresql.log" -w -t 60 start >/dev/null
fails=0
for _ in $(seq 1 200); do
    [ "$(status_of /projects/PHE001)" = 200 ] || fails=$((fails + 1))
done
if [ "$fails" -eq 0 ]; then ok "200 requests after the restart, all 200"; else bad "$fails of 200 failed after the restart"; fi

# Redis: the stream consumers (probe plugin) reconnect; a message added after the restart is
# handled.
redis-cli -h 127.0.0.1 -p "$DSM_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
sleep 1
"$DSM_ROOT/core/tools/stack.sh" start >/dev/null 2>&1 || true
handled() {
    local total=0 n v
    for n in 1 2; do
        for v in $(curl -s -m 5 "http://127.0.0.1:$DSM_ADMIN_PORT/admin/project/$n/status" |
            grep -o '"handled":[0-9]*' | cut -d: -f2); do
            total=$((total + v))
        done
    done
    echo "$total"
}
before=$(handled)
redis-cli -h 127.0.0.1 -p "$DSM_REDIS_PORT" XADD dsm:probe '*' outcome ok >/dev/null
after=$before
for _ in $(seq 1 50); do
    after=$(handled)
    [ "$after" -gt "$before" ] && break
    sleep 0.2
done
if [ "$after" -gt "$before" ]; then ok "stream consumer reconnected after a Redis restart"; else bad "no message handled after the Redis restart ($before -> $after)"; fi
