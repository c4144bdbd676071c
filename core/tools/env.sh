# shellcheck shell=bash
# core/tools/env.sh — the stack's settings, sourced by every core/tools script and tests/run.sh:
#   . "$(dirname "$0")/env.sh"            (from core/tools)
#   . core/tools/env.sh                     (from the repository root)
# Every variable keeps a value already set in the environment. The caller owns `set -euo pipefail`.

_dsm_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
: "${DSM_ROOT:=$(cd "$_dsm_here/../.." && pwd -P)}"
: "${DSM_VAR:=$DSM_ROOT/var}"
case $DSM_VAR in /*) ;; *) DSM_VAR=$PWD/$DSM_VAR ;; esac
: "${DSM_BUILD:=$DSM_ROOT/build}"
: "${DSM_PORT:=8080}"
# Values derived here from DSM_VAR/DSM_PORT are recomputed when a shell that sourced this file
# before sources it again for another stack (e.g. the test stack's DSM_VAR and ports).
if [ -n "${_DSM_DERIVED_FROM:-}" ] && [ "$_DSM_DERIVED_FROM" != "$DSM_VAR|$DSM_PORT" ]; then
    unset DSM_ADMIN_PORT DSM_PG_HOME DSM_PG_SOCK
fi
_DSM_DERIVED_FROM="$DSM_VAR|$DSM_PORT"
: "${DSM_ADMIN_PORT:=$((DSM_PORT + 1))}"
: "${DSM_PG_PORT:=5544}"
: "${DSM_PGB_PORT:=6544}"
: "${DSM_REDIS_PORT:=6380}"
: "${DSM_POOL_PORT:=9100}"
: "${DSM_THREADS:=16}"
: "${DSM_KEEPALIVE:=4}"
: "${DSM_DB_PREPARE:=1}"   # 1: pools that reach PostgreSQL directly prepare their statements
: "${DSM_SERVICES:=project backlog sprint chronicle orchestrator}"
: "${DSM_DBS:=project_db backlog_db sprint_db chronicle_db agent_memory}"
: "${DSM_DB_USER:=dsm_user}"
: "${DSM_DB_PASSWORD:=dsm_password}"
if [ -z "${DSM_PG_BIN:-}" ]; then
    DSM_PG_BIN=/usr/lib/postgresql/15/bin
    if [ ! -x "$DSM_PG_BIN/pg_ctl" ]; then    # another PostgreSQL major: take the newest one
        _dsm_pgv=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)
        DSM_PG_BIN=${_dsm_pgv:-$DSM_PG_BIN}
    fi
fi

# Where the files of the `postgres` OS user live (derived; used by stack.sh). PostgreSQL and
# PgBouncer run as `postgres` when we are root, so they need a path that user can traverse:
# $DSM_VAR itself, or /var/tmp/dsm-<hash of DSM_VAR> when $DSM_VAR sits under a private directory
# (e.g. /root); $DSM_VAR/pg and $DSM_VAR/pgbouncer are then symlinks to it.
_dsm_hash=$(printf '%s' "$DSM_VAR" | md5sum | cut -c1-8)
_dsm_alt_home=/var/tmp/dsm-$_dsm_hash
if [ -z "${DSM_PG_HOME:-}" ]; then
    DSM_PG_HOME=$DSM_VAR
    if [ -L "$DSM_VAR/pg" ]; then
        DSM_PG_HOME=$_dsm_alt_home
    elif [ ! -d "$DSM_VAR/pg" ] && [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
        _dsm_d=$DSM_VAR                        # deepest existing ancestor; we create the rest 0755
        while [ ! -e "$_dsm_d" ]; do _dsm_d=$(dirname "$_dsm_d"); done
        runuser -u postgres -- test -x "$_dsm_d" 2>/dev/null || DSM_PG_HOME=$_dsm_alt_home
    fi
fi
if [ -z "${DSM_PG_SOCK:-}" ]; then
    DSM_PG_SOCK=$DSM_PG_HOME/pg/sock          # sun_path holds 107 bytes with ".s.PGSQL.NNNNN"
    [ $((${#DSM_PG_SOCK} + 16)) -le 100 ] || DSM_PG_SOCK=$_dsm_alt_home/sock
fi
unset _dsm_here _dsm_pgv _dsm_d

export _DSM_DERIVED_FROM DSM_ROOT DSM_VAR DSM_BUILD DSM_PORT DSM_ADMIN_PORT DSM_PG_PORT DSM_PGB_PORT DSM_REDIS_PORT \
    DSM_POOL_PORT DSM_THREADS DSM_KEEPALIVE DSM_DB_PREPARE DSM_SERVICES DSM_DBS DSM_DB_USER DSM_DB_PASSWORD \
    DSM_PG_BIN DSM_PG_HOME DSM_PG_SOCK

# dsm_psql_admin DB [psql args…] — superuser `postgres` over the unix socket (trust).
dsm_psql_admin() {
    local db=$1
    shift
    "$DSM_PG_BIN/psql" -h "$DSM_PG_SOCK" -p "$DSM_PG_PORT" -U postgres -d "$db" \
        -X -q -v ON_ERROR_STOP=1 "$@"
}

# dsm_psql DB [psql args…] — $DSM_DB_USER over TCP 127.0.0.1 (straight to PostgreSQL).
dsm_psql() {
    local db=$1
    shift
    PGPASSWORD=$DSM_DB_PASSWORD "$DSM_PG_BIN/psql" -h 127.0.0.1 -p "$DSM_PG_PORT" \
        -U "$DSM_DB_USER" -d "$db" -X -q -v ON_ERROR_STOP=1 "$@"
}

# dsm_instance_port SVC N — the TCP port of instance N (1 or 2) of service SVC.
dsm_instance_port() {
    local i=0 s
    case ${2:-} in 1 | 2) ;; *) echo "dsm_instance_port: instance must be 1 or 2, not '${2:-}'" >&2; return 1 ;; esac
    for s in project backlog sprint chronicle orchestrator; do
        if [ "$s" = "$1" ]; then
            echo $((DSM_POOL_PORT + 2 * i + $2))
            return 0
        fi
        i=$((i + 1))
    done
    echo "dsm_instance_port: unknown service '$1'" >&2
    return 1
}

# dsm_log MSG — one short line on stderr.
dsm_log() {
    printf 'dsm: %s\n' "$*" >&2
}
