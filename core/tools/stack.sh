#!/usr/bin/env bash
# core/tools/stack.sh start|stop|status|wait|url|reload — the dev/test stack, everything under
# $DSM_VAR (settings: core/tools/env.sh; how to use it: docs/OPERATIONS.md).
#   start   PostgreSQL (+ role, databases), Redis, PgBouncer, the pools whose plugin is built, nginx.
#           Idempotent: what runs is left alone, stale pid files are replaced.
#   stop    stops what start started (by pid file), nothing else.
#   status  one line per component.       wait    until every started pool is ready (60 s).
#   url     the public base URL.          reload  SIGHUP every pool instance (plugin hot swap).
set -euo pipefail
umask 022
# shellcheck source-path=SCRIPTDIR source=env.sh
. "$(dirname "$0")/env.sh"

ALL_SERVICES=(project backlog sprint chronicle orchestrator)
declare -A SVC_DB=([project]=project_db [backlog]=backlog_db [sprint]=sprint_db
    [chronicle]=chronicle_db [orchestrator]=agent_memory)
declare -A SVC_CALLS=([backlog]="project" [sprint]="project backlog chronicle"
    [chronicle]="project" [orchestrator]="project backlog sprint chronicle")
PGB_DBS=(chronicle_db agent_memory)          # reached through PgBouncer (transaction pooling)

RUN=$DSM_VAR/run
LOGD=$DSM_VAR/log
ETC=$DSM_VAR/etc
NGX=$DSM_VAR/nginx
PG_DIR=$DSM_PG_HOME/pg
PG_DATA=$PG_DIR/data
PGB_DIR=$DSM_PG_HOME/pgbouncer
PUBLIC_URL=http://127.0.0.1:$DSM_PORT
IS_ROOT=
[ "$(id -u)" = 0 ] && IS_ROOT=1

die() { dsm_log "error: $*"; exit 1; }

# as_pg CMD… — run as the `postgres` OS user when we are root, else as ourselves.
as_pg() {
    if [ -n "$IS_ROOT" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_owned DIR… — create DIRs owned by the user PostgreSQL/PgBouncer run as.
pg_owned() {
    mkdir -p "$@"
    [ -z "$IS_ROOT" ] || chown postgres:postgres "$@"
}

# port_listening PORT — is anything listening on TCP PORT? (reads /proc: opens no connection)
port_listening() {
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v h="$hex" '$4 == "0A" && substr($2, length($2) - 4) == h { f = 1 } END { exit !f }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# port_free PORT WHAT — die when PORT is taken (we checked before that it is not ours).
port_free() {
    port_listening "$1" || return 0
    local who=
    if command -v ss >/dev/null 2>&1; then
        who=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:.*' || true)
    fi
    die "$2: port $1 is taken by another process ${who:+($who)}; stop it or choose other DSM_* ports"
}

# pid_of PIDFILE PATTERN — print the pid in PIDFILE if that process runs and its command line
# contains PATTERN (so a recycled pid is never taken for ours).
pid_of() {
    local pid cmd
    [ -r "$1" ] || return 1
    read -r pid <"$1" 2>/dev/null || return 1
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
    [[ $cmd == *"$2"* ]] || return 1
    echo "$pid"
}

# alive PID — is PID running? (an exited process its parent has not reaped yet does not count)
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# wait_gone SECONDS PID… — wait until every PID has exited; fail if one is left.
wait_gone() {
    local deadline=$((SECONDS + $1)) p left
    shift
    while :; do
        left=
        for p in "$@"; do alive "$p" && left=1; done
        [ -z "$left" ] && return 0
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.1
    done
}

# stop_pid NAME PID GRACE SIG — send SIG, wait GRACE s, then SIGKILL.
stop_pid() {
    kill -"$4" "$2" 2>/dev/null || true
    if ! wait_gone "$3" "$2"; then
        dsm_log "$1: still running after $3 s, SIGKILL"
        kill -KILL "$2" 2>/dev/null || true
        wait_gone 2 "$2" || die "$1: pid $2 does not die"
    fi
}

show_log() {
    [ -f "$1" ] || return 0
    dsm_log "last lines of $1:"
    tail -n "${2:-15}" "$1" | sed 's/^/    /' >&2
}

check_settings() {
    local v lo hi p
    for v in DSM_VAR DSM_BUILD DSM_PG_HOME DSM_PG_SOCK; do
        [[ ${!v} =~ ^/[A-Za-z0-9_./+-]+$ ]] || die "$v='${!v}' must be an absolute path of [A-Za-z0-9_./+-]"
    done
    for v in DSM_PORT DSM_ADMIN_PORT DSM_PG_PORT DSM_PGB_PORT DSM_REDIS_PORT DSM_POOL_PORT DSM_THREADS DSM_KEEPALIVE; do
        [[ ${!v} =~ ^[0-9]+$ ]] || die "$v='${!v}' must be a number"
    done
    if read -r lo hi 2>/dev/null </proc/sys/net/ipv4/ip_local_port_range; then
        for p in "$DSM_PORT" "$DSM_ADMIN_PORT" "$DSM_PG_PORT" "$DSM_PGB_PORT" "$DSM_REDIS_PORT" "$((DSM_POOL_PORT + 1))"; do
            if [ "$p" -ge "$lo" ] && [ "$p" -le "$hi" ]; then
                dsm_log "warning: port $p is in the ephemeral range $lo-$hi: a client socket may hold it"
            fi
        done
    fi
    [ "$DSM_THREADS" -gt $((2 * DSM_KEEPALIVE)) ] ||
        die "DSM_THREADS ($DSM_THREADS) must exceed 2 nginx workers x DSM_KEEPALIVE ($DSM_KEEPALIVE)"
    [ -z "$IS_ROOT" ] || id postgres >/dev/null 2>&1 || die "no 'postgres' OS user: run core/tools/deps.sh"
    [ -x "$DSM_PG_BIN/pg_ctl" ] || die "no PostgreSQL in $DSM_PG_BIN: run core/tools/deps.sh"
    if [ -n "$(built_services)" ]; then
        [ -x "$DSM_BUILD/bin/dsm-host" ] || die "$DSM_BUILD/bin/dsm-host is missing (run make)"
    fi
    check_extra_plugins
}

# ---------------------------------------------------------------- PostgreSQL
pg_pid() { pid_of "$PG_DATA/postmaster.pid" "-D $PG_DATA"; }

pg_dirs() {
    mkdir -p "$DSM_VAR"
    if [ "$DSM_PG_HOME" != "$DSM_VAR" ]; then
        # $DSM_VAR is not reachable for `postgres`: the cluster lives in $DSM_PG_HOME, linked.
        local d
        if [[ $DSM_PG_HOME =~ ^/var/tmp/dsm-[0-9a-f]{8}$ ]] && [ ! -L "$DSM_VAR/pg" ] && [ -d "$PG_DIR" ] &&
            ! pg_pid >/dev/null; then
            dsm_log "postgresql: removing $DSM_PG_HOME left from a removed $DSM_VAR"
            rm -rf "$PG_DIR" "$PGB_DIR"
        fi
        mkdir -p "$DSM_PG_HOME"
        chmod 755 "$DSM_PG_HOME"
        for d in pg pgbouncer; do
            [ -e "$DSM_VAR/$d" ] && [ ! -L "$DSM_VAR/$d" ] && die "$DSM_VAR/$d should be a link to $DSM_PG_HOME/$d"
            ln -sfn "$DSM_PG_HOME/$d" "$DSM_VAR/$d"
        done
    fi
    pg_owned "$PG_DIR" "$PGB_DIR" "$DSM_PG_SOCK"
    ln -sfn "$PG_DIR/postgresql.log" "$LOGD/postgresql.log"
    ln -sfn "$PGB_DIR/pgbouncer.log" "$LOGD/pgbouncer.log"
}

pg_settings() {
    local fast=${DSM_PG_FAST:-0} onoff=on
    [ "$fast" = 1 ] && onoff=off
    cat <<EOF
# written by core/tools/stack.sh at every start (DSM_PG_FAST=$fast)
listen_addresses = '127.0.0.1'
port = $DSM_PG_PORT
unix_socket_directories = '$DSM_PG_SOCK'
max_connections = 300
shared_buffers = 128MB
timezone = 'UTC'
log_timezone = 'UTC'
log_line_prefix = '%m [%p] %q%u@%d '
fsync = $onoff
synchronous_commit = $onoff
full_page_writes = $onoff
# short OLTP queries: JIT compilation only adds latency (measured: 20 ms -> 243 ms analytics)
jit = off
EOF
}

pg_init() {
    local loc=(--no-locale) fast=() l
    while read -r l; do
        case $l in C.UTF-8 | C.utf8) loc=(--locale=C.UTF-8) ;; esac
    done < <(locale -a 2>/dev/null || true)
    [ "${DSM_PG_FAST:-0}" = 1 ] && fast=(--no-sync)
    if ! as_pg "$DSM_PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 "${loc[@]}" "${fast[@]}" \
        --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1; then
        show_log "$PG_DIR/initdb.log"
        die "postgresql: initdb failed"
    fi
    echo "include_if_exists = 'dsm.conf'" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
    dsm_log "postgresql: cluster created in $PG_DATA"
}

pg_start() {
    local pid
    pg_dirs
    if pid=$(pg_pid); then
        dsm_log "postgresql: running (pid $pid)"
    else
        port_free "$DSM_PG_PORT" postgresql
        [ -f "$PG_DATA/PG_VERSION" ] || pg_init
        pg_settings | as_pg tee "$PG_DATA/dsm.conf" >/dev/null
        if ! as_pg "$DSM_PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgresql.log" -w -t 60 start >/dev/null 2>&1 9>&-; then
            show_log "$PG_DIR/postgresql.log"
            die "postgresql: did not start"
        fi
        dsm_log "postgresql: started (pid $(pg_pid)) on 127.0.0.1:$DSM_PG_PORT"
    fi
    local i
    for ((i = 0; i < 100; i++)); do
        "$DSM_PG_BIN/pg_isready" -q -h "$DSM_PG_SOCK" -p "$DSM_PG_PORT" && break
        sleep 0.1
    done
    [ "$i" -lt 100 ] || die "postgresql: not accepting connections on $DSM_PG_SOCK"
    # The role and the databases, idempotently (the password follows DSM_DB_PASSWORD).
    dsm_psql_admin postgres -v u="$DSM_DB_USER" -v pw="$DSM_DB_PASSWORD" -v dbs="$DSM_DBS" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'u')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
ALTER ROLE :"u" LOGIN PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', d, :'u')
  FROM unnest(string_to_array(:'dbs', ' ')) AS d
 WHERE d <> '' AND NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
SQL
}

pg_stop() {
    local pid
    if pid=$(pg_pid); then
        as_pg "$DSM_PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            stop_pid postgresql "$pid" 5 TERM
        dsm_log "postgresql: stopped"
    fi
}

# ---------------------------------------------------------------- Redis
redis_pid() { pid_of "$RUN/redis.pid" redis-server; }

redis_start() {
    local pid i
    if pid=$(redis_pid); then
        dsm_log "redis: running (pid $pid)"
    else
        port_free "$DSM_REDIS_PORT" redis
        rm -f "$RUN/redis.pid"
        mkdir -p "$DSM_VAR/redis"
        redis-server --bind 127.0.0.1 --port "$DSM_REDIS_PORT" --protected-mode yes \
            --save '' --appendonly yes --appendfsync everysec --dir "$DSM_VAR/redis" \
            --daemonize yes --pidfile "$RUN/redis.pid" --logfile "$LOGD/redis.log" >/dev/null 9>&- ||
            { show_log "$LOGD/redis.log"; die "redis: did not start"; }
    fi
    for ((i = 0; i < 100; i++)); do
        [ "$(redis-cli -p "$DSM_REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
        sleep 0.1
    done
    [ "$i" -lt 100 ] || { show_log "$LOGD/redis.log"; die "redis: no PONG on 127.0.0.1:$DSM_REDIS_PORT"; }
    [ -n "${pid:-}" ] || dsm_log "redis: started (pid $(redis_pid)) on 127.0.0.1:$DSM_REDIS_PORT"
}

redis_stop() {
    local pid
    if pid=$(redis_pid); then
        redis-cli -p "$DSM_REDIS_PORT" shutdown >/dev/null 2>&1 || true
        wait_gone 5 "$pid" || stop_pid redis "$pid" 3 TERM
        dsm_log "redis: stopped"
    fi
    rm -f "$RUN/redis.pid"
}

# ---------------------------------------------------------------- PgBouncer
pgb_pid() { pid_of "$PGB_DIR/pgbouncer.pid" "$PGB_DIR/pgbouncer.ini"; }

pgb_config() {
    local db
    echo "; written by core/tools/stack.sh at every start"
    echo "[databases]"
    for db in "${PGB_DBS[@]}"; do
        echo "$db = host=127.0.0.1 port=$DSM_PG_PORT dbname=$db"
    done
    cat <<EOF

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $DSM_PGB_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $PGB_DIR/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
# a client waiting for a server connection (database down) gets an error after 10 s, not 120 s
query_wait_timeout = 10
ignore_startup_parameters = extra_float_digits
log_connections = 0
log_disconnections = 0
logfile = $PGB_DIR/pgbouncer.log
pidfile = $PGB_DIR/pgbouncer.pid
EOF
}

pgb_start() {
    local pid i
    (
        umask 077
        pgb_config | as_pg tee "$PGB_DIR/pgbouncer.ini" >/dev/null
        printf '"%s" "%s"\n' "$DSM_DB_USER" "${DSM_DB_PASSWORD//\"/\"\"}" |
            as_pg tee "$PGB_DIR/userlist.txt" >/dev/null
    )
    if pid=$(pgb_pid); then
        dsm_log "pgbouncer: running (pid $pid)"
        return 0
    fi
    port_free "$DSM_PGB_PORT" pgbouncer
    rm -f "$PGB_DIR/pgbouncer.pid"
    as_pg pgbouncer -d -q "$PGB_DIR/pgbouncer.ini" >/dev/null 2>&1 9>&- ||
        { show_log "$PGB_DIR/pgbouncer.log"; die "pgbouncer: did not start"; }
    for ((i = 0; i < 50; i++)); do
        port_listening "$DSM_PGB_PORT" && break
        sleep 0.1
    done
    [ "$i" -lt 50 ] || { show_log "$PGB_DIR/pgbouncer.log"; die "pgbouncer: not listening on $DSM_PGB_PORT"; }
    dsm_log "pgbouncer: started (pid $(pgb_pid)) on 127.0.0.1:$DSM_PGB_PORT"
}

pgb_stop() {
    local pid
    if pid=$(pgb_pid); then
        stop_pid pgbouncer "$pid" 5 TERM
        dsm_log "pgbouncer: stopped"
    fi
    rm -f "$PGB_DIR/pgbouncer.pid"
}

# ---------------------------------------------------------------- pools (dsm-host instances)
# built_services — the services of DSM_SERVICES whose plugin is built.
built_services() {
    local s
    for s in $DSM_SERVICES; do
        [ -f "$DSM_BUILD/plugins/service_$s.so" ] && printf '%s\n' "$s"
    done
    return 0
}

pool_pid() { pid_of "$RUN/$1.pid" "$ETC/$1.conf"; }

# Companion plugins a pool loads after its service plugin, in this order, when built:
# NAME:FILE pairs (FILE = build/plugins/FILE.so). Intelligence sources run in this order.
declare -A POOL_COMPANIONS=(
    [chronicle]="memory:service_memory"
    [orchestrator]="rules:intel_rules strategy:intel_strategy chronicle:intel_chronicle episodes:intel_episodes advisor:intel_advisor"
)

# pool_config SVC N HEALTH_POOLS — the instance's config file (keys: docs/ARCHITECTURE.md §5).
pool_config() {
    local svc=$1 n=$2 db=${SVC_DB[$1]} port=$DSM_PG_PORT pair callee
    [[ " ${PGB_DBS[*]} " == *" $db "* ]] && port=$DSM_PGB_PORT
    local conn="host=127.0.0.1 port=$port dbname=$db user=$DSM_DB_USER password=$DSM_DB_PASSWORD"
    cat <<EOF
# generated by core/tools/stack.sh at start — do not edit
instance = $svc-$n
listen = 127.0.0.1:$(dsm_instance_port "$svc" "$n")
threads = $DSM_THREADS
keepalive_conns = $((2 * DSM_KEEPALIVE))
max_body = 1048576
plugin = $svc $DSM_BUILD/plugins/service_$svc.so
EOF
    for pair in ${POOL_COMPANIONS[$svc]:-}; do
        [ -f "$DSM_BUILD/plugins/${pair#*:}.so" ] &&
            echo "plugin = ${pair%%:*} $DSM_BUILD/plugins/${pair#*:}.so"
    done
    if [ "$svc" = project ]; then
        for pair in ${DSM_EXTRA_PLUGINS:-}; do
            echo "plugin = ${pair%%=*} ${pair#*=}"
        done
    fi
    echo "plugin_dir = $RUN/plugins"
    echo "db.main = $conn"
    # statements prepared once per connection — only where PostgreSQL is reached directly:
    # through PgBouncer (transaction pooling) the next statement may run on another server
    [ "$port" = "$DSM_PG_PORT" ] && [ "$DSM_DB_PREPARE" = 1 ] && echo "db.main.prepare = 1"
    if [ "$svc" = orchestrator ] || [ "$svc" = chronicle ]; then
        echo "db.memory = host=127.0.0.1 port=$DSM_PGB_PORT dbname=agent_memory user=$DSM_DB_USER password=$DSM_DB_PASSWORD"
    fi
    echo "redis = 127.0.0.1:$DSM_REDIS_PORT"
    echo "consumer_idle_ms = ${DSM_CONSUMER_IDLE_MS:-30000}"
    echo "log_sample = ${DSM_LOG_SAMPLE:-1}"
    echo "consumer_threads = ${DSM_CONSUMER_THREADS:-4}"
    echo "admin = 1"
    if [ "$svc" = project ]; then
        echo "health_pools = $3"
        echo "health_base = $PUBLIC_URL"
    fi
    echo "conf.$svc.service_name = $svc-service"
    if [ "$svc" = orchestrator ]; then
        # intelligence sources: where agent memory and the chronicle are; the LLM advisor
        # only when an Ollama-compatible server is given (DSM_OLLAMA_URL)
        echo "conf.episodes.memory_url = $PUBLIC_URL"
        echo "conf.strategy.memory_url = $PUBLIC_URL"
        echo "conf.chronicle.chronicle_url = $PUBLIC_URL"
        [ -n "${DSM_OLLAMA_URL:-}" ] && echo "conf.advisor.ollama_url = $DSM_OLLAMA_URL"
    fi
    for callee in ${SVC_CALLS[$svc]:-}; do
        echo "conf.$svc.${callee}_url = $PUBLIC_URL"
    done
}

check_extra_plugins() {
    local pair
    for pair in ${DSM_EXTRA_PLUGINS:-}; do
        [[ $pair =~ ^[a-z0-9_]+=/[A-Za-z0-9_./+-]+$ ]] ||
            die "DSM_EXTRA_PLUGINS: '$pair' is not NAME=/absolute/path.so"
        [ -f "${pair#*=}" ] || die "DSM_EXTRA_PLUGINS: ${pair#*=} does not exist"
    done
}

pools_start() {
    local services svc n inst pid conf tmp port i started=()
    mapfile -t services < <(built_services)
    if [ ${#services[@]} -eq 0 ]; then
        dsm_log "pools: no $DSM_BUILD/plugins/service_*.so, none started"
        return 0
    fi
    mkdir -p "$ETC" "$RUN/plugins"
    for svc in "${services[@]}"; do
        for n in 1 2; do
            inst=$svc-$n conf=$ETC/$inst.conf port=$(dsm_instance_port "$svc" "$n")
            tmp=$(mktemp "$ETC/.$inst.XXXXXX")
            pool_config "$svc" "$n" "${services[*]}" >"$tmp"
            if pid=$(pool_pid "$inst"); then
                if cmp -s "$tmp" "$conf"; then
                    dsm_log "$inst: running (pid $pid)"
                else
                    dsm_log "$inst: running (pid $pid) with an older config; stop + start to apply"
                fi
                rm -f "$tmp"
                continue
            fi
            mv -f "$tmp" "$conf"
            port_free "$port" "$inst"
            rm -f "$RUN/$inst.pid"
            # The pool reads its settings from its config only, not from our environment.
            env -u DATABASE_URL -u REDIS_HOST -u REDIS_PORT \
                setsid "$DSM_BUILD/bin/dsm-host" --config "$conf" >>"$LOGD/$inst.log" 2>&1 </dev/null 9>&- &
            echo $! >"$RUN/$inst.pid"
            started+=("$inst")
        done
    done
    for inst in "${started[@]}"; do
        svc=${inst%-*} n=${inst##*-}
        port=$(dsm_instance_port "$svc" "$n")
        read -r pid <"$RUN/$inst.pid"
        for ((i = 0; i < 100; i++)); do
            port_listening "$port" && break
            alive "$pid" || break
            sleep 0.1
        done
        if ! alive "$pid" || ! port_listening "$port"; then
            show_log "$LOGD/$inst.log"
            die "$inst: did not come up on 127.0.0.1:$port (log: $LOGD/$inst.log)"
        fi
        dsm_log "$inst: started (pid $pid) on 127.0.0.1:$port"
    done
}

pools_stop() {
    local svc n inst pid pids=() insts=()
    for svc in "${ALL_SERVICES[@]}"; do
        for n in 1 2; do
            inst=$svc-$n
            if pid=$(pool_pid "$inst"); then
                kill -TERM "$pid" 2>/dev/null || true
                pids+=("$pid") insts+=("$inst")
            else
                rm -f "$RUN/$inst.pid"
            fi
        done
    done
    [ ${#pids[@]} -eq 0 ] && return 0
    if ! wait_gone 6 "${pids[@]}"; then
        for pid in "${pids[@]}"; do
            if alive "$pid"; then
                dsm_log "pool pid $pid: still running after 6 s, SIGKILL"
                kill -KILL "$pid" 2>/dev/null || true
            fi
        done
        wait_gone 2 "${pids[@]}" || die "pools: some instance does not die: ${pids[*]}"
    fi
    for inst in "${insts[@]}"; do rm -f "$RUN/$inst.pid"; done
    dsm_log "pools: stopped ${insts[*]}"
}

# ---------------------------------------------------------------- nginx
nginx_pid() { pid_of "$RUN/nginx.pid" "nginx: master process nginx -p $NGX/ "; }

NGINX_V=
nginx_has() {     # nginx_has STRING — does `nginx -V` / `nginx -h` mention STRING?
    [ -n "$NGINX_V" ] || NGINX_V=$(nginx -V 2>&1; nginx -h 2>&1)
    [[ $NGINX_V == *"$1"* ]]
}

nginx_cmd() {
    local e=()
    if nginx_has '-e filename'; then e=(-e "$LOGD/nginx-error.log"); fi
    nginx -p "$NGX/" -c "$NGX/nginx.conf" "${e[@]}" "$@"
}

# nginx_render SRC DST — a template with every @NAME@ replaced.
nginx_render() {
    local args=() svc n user="# user: nginx runs unprivileged" uwsgi scgi left
    [ -z "$IS_ROOT" ] || user="user root root;"
    uwsgi="uwsgi_temp_path $NGX/tmp/uwsgi;" scgi="scgi_temp_path $NGX/tmp/scgi;"
    if nginx_has --without-http_uwsgi_module; then uwsgi="# no uwsgi module"; fi
    if nginx_has --without-http_scgi_module; then scgi="# no scgi module"; fi
    args+=(-e "s|@DSM_VAR@|$DSM_VAR|g" -e "s|@DSM_PORT@|$DSM_PORT|g"
        -e "s|@DSM_ADMIN_PORT@|$DSM_ADMIN_PORT|g" -e "s|@DSM_KEEPALIVE@|$DSM_KEEPALIVE|g"
        -e "s|@NGINX_USER@|$user|g" -e "s|@NGINX_UWSGI_TEMP@|$uwsgi|g" -e "s|@NGINX_SCGI_TEMP@|$scgi|g")
    for svc in "${ALL_SERVICES[@]}"; do
        for n in 1 2; do
            args+=(-e "s|@PORT_${svc}_${n}@|$(dsm_instance_port "$svc" "$n")|g")
        done
    done
    sed "${args[@]}" "$1" >"$2"
    left=$(grep -v '^[[:space:]]*#' "$2" | grep -oE '@[A-Za-z0-9_]+@' || true)
    [ -z "$left" ] || die "nginx: placeholder ${left%%$'\n'*} of $1 is unknown to stack.sh"
}

# nginx_generate — render nginx/ into $NGX (nginx.conf and the files it includes); prints
# "changed" when they differ from what was there.
NGINX_FILES=(nginx.conf admin.conf fastcgi_dsm.conf errors.conf)
nginx_generate() {
    local src=$DSM_ROOT/nginx new=$NGX/.new f
    rm -rf "$new"
    mkdir -p "$new/locations" "$NGX/tmp"
    nginx_render "$src/nginx.conf.in" "$new/nginx.conf"
    nginx_render "$src/admin.conf.in" "$new/admin.conf"
    nginx_render "$src/fastcgi_dsm.conf" "$new/fastcgi_dsm.conf"
    nginx_render "$src/errors.conf" "$new/errors.conf"
    for f in "$src"/locations/*.conf; do
        nginx_render "$f" "$new/locations/${f##*/}"
    done
    local same=1
    diff -r "$new/locations" "$NGX/locations" >/dev/null 2>&1 || same=
    for f in "${NGINX_FILES[@]}"; do cmp -s "$new/$f" "$NGX/$f" || same=; done
    if [ -n "$same" ]; then
        rm -rf "$new"
        return 0
    fi
    for f in "${NGINX_FILES[@]}"; do mv -f "$new/$f" "$NGX/$f"; done
    rm -rf "$NGX/locations"
    mv "$new/locations" "$NGX/locations"
    rm -rf "$new"
    echo changed
}

nginx_test() {
    local out
    out=$(nginx_cmd -t -q 2>&1) || { printf '%s\n' "$out" >&2; die "nginx: the generated config in $NGX is invalid"; }
}

nginx_start() {
    local pid changed
    changed=$(nginx_generate)
    if pid=$(nginx_pid); then
        if [ -n "$changed" ]; then
            nginx_test
            kill -HUP "$pid"
            dsm_log "nginx: running (pid $pid), config changed: reloaded"
        else
            dsm_log "nginx: running (pid $pid)"
        fi
        return 0
    fi
    port_free "$DSM_PORT" "nginx (public)"
    port_free "$DSM_ADMIN_PORT" "nginx (admin)"
    rm -f "$RUN/nginx.pid"
    nginx_test
    nginx_cmd >/dev/null 2>&1 9>&- || { show_log "$LOGD/nginx-error.log"; die "nginx: did not start"; }
    local i
    for ((i = 0; i < 50; i++)); do
        pid=$(nginx_pid) && port_listening "$DSM_PORT" && break
        sleep 0.1
    done
    [ "$i" -lt 50 ] || { show_log "$LOGD/nginx-error.log"; die "nginx: not listening on $DSM_PORT"; }
    dsm_log "nginx: started (pid $pid) on $PUBLIC_URL, admin on 127.0.0.1:$DSM_ADMIN_PORT"
}

nginx_stop() {
    local pid
    if pid=$(nginx_pid); then
        kill -QUIT "$pid" 2>/dev/null || true           # graceful: in-flight requests finish
        if ! wait_gone 5 "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            if ! wait_gone 3 "$pid"; then                # the master leads its workers' group
                dsm_log "nginx: still running, SIGKILL to its process group"
                kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
                wait_gone 2 "$pid" || die "nginx: pid $pid does not die"
            fi
        fi
        dsm_log "nginx: stopped"
    fi
    rm -f "$RUN/nginx.pid"
}

# ---------------------------------------------------------------- commands
# lock — one stack.sh at a time per $DSM_VAR (fd 9; every daemon is started with 9>&-).
lock() {
    mkdir -p "$RUN" "$LOGD"
    exec 9>"$RUN/stack.lock"
    flock -w 120 9 || die "another stack.sh holds $RUN/stack.lock"
}

# preflight — fail before starting anything when a port we still need is taken.
preflight() {
    local svc n
    pg_pid >/dev/null || port_free "$DSM_PG_PORT" postgresql
    redis_pid >/dev/null || port_free "$DSM_REDIS_PORT" redis
    pgb_pid >/dev/null || port_free "$DSM_PGB_PORT" pgbouncer
    if ! nginx_pid >/dev/null; then
        port_free "$DSM_PORT" "nginx (public)"
        port_free "$DSM_ADMIN_PORT" "nginx (admin)"
    fi
    for svc in $(built_services); do
        for n in 1 2; do
            pool_pid "$svc-$n" >/dev/null || port_free "$(dsm_instance_port "$svc" "$n")" "$svc-$n"
        done
    done
}

cmd_start() {
    check_settings
    lock
    preflight
    pg_start
    redis_start
    pgb_start
    pools_start
    nginx_start
}

cmd_stop() {
    if [ ! -d "$DSM_VAR" ]; then    # nothing was started here (a PostgreSQL of a removed var/ aside)
        pg_stop
        return 0
    fi
    lock
    pools_stop
    nginx_stop
    pgb_stop
    redis_stop
    pg_stop
}

status_line() { printf '%-16s %s\n' "$1" "$2"; }

cmd_status() {
    local pid svc n inst built
    if pid=$(pg_pid); then status_line postgresql "running (pid $pid) 127.0.0.1:$DSM_PG_PORT"; else status_line postgresql stopped; fi
    if pid=$(redis_pid); then status_line redis "running (pid $pid) 127.0.0.1:$DSM_REDIS_PORT"; else status_line redis stopped; fi
    if pid=$(pgb_pid); then status_line pgbouncer "running (pid $pid) 127.0.0.1:$DSM_PGB_PORT"; else status_line pgbouncer stopped; fi
    if pid=$(nginx_pid); then status_line nginx "running (pid $pid) $PUBLIC_URL admin :$DSM_ADMIN_PORT"; else status_line nginx stopped; fi
    built=" $(built_services | tr '\n' ' ')"
    for svc in "${ALL_SERVICES[@]}"; do
        for n in 1 2; do
            inst=$svc-$n
            if pid=$(pool_pid "$inst"); then
                status_line "$inst" "running (pid $pid) 127.0.0.1:$(dsm_instance_port "$svc" "$n")"
            elif [[ $built == *" $svc "* ]]; then
                status_line "$inst" stopped
            else
                status_line "$inst" "stopped (plugin not built)"
            fi
        done
    done
}

cmd_wait() {
    local svc pools=() pending code deadline=$((SECONDS + 60))
    for svc in "${ALL_SERVICES[@]}"; do
        if pool_pid "$svc-1" >/dev/null || pool_pid "$svc-2" >/dev/null; then pools+=("$svc"); fi
    done
    [ ${#pools[@]} -gt 0 ] || { dsm_log "wait: no pool is running"; return 0; }
    declare -A last=()
    while :; do
        pending=()
        for svc in "${pools[@]}"; do
            code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$PUBLIC_URL/$svc/health/ready" || true)
            last[$svc]=$code
            [ "$code" = 200 ] || pending+=("$svc")
        done
        [ ${#pending[@]} -eq 0 ] && break
        if [ $SECONDS -ge $deadline ]; then
            for svc in "${pending[@]}"; do dsm_log "wait: $svc not ready (last GET /$svc/health/ready: ${last[$svc]})"; done
            die "wait: ${pending[*]} not ready after 60 s (logs: $LOGD)"
        fi
        sleep 0.25
    done
    dsm_log "ready: ${pools[*]}"
}

cmd_reload() {
    local svc n inst pid count=0 changed
    lock
    for svc in "${ALL_SERVICES[@]}"; do
        for n in 1 2; do
            inst=$svc-$n
            if pid=$(pool_pid "$inst"); then
                kill -HUP "$pid"
                count=$((count + 1))
            fi
        done
    done
    dsm_log "reload: SIGHUP sent to $count pool instance(s)"
    if pid=$(nginx_pid); then
        changed=$(nginx_generate)
        if [ -n "$changed" ]; then
            nginx_test
            kill -HUP "$pid"
            dsm_log "reload: nginx config changed, nginx reloaded"
        fi
    fi
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    wait) cmd_wait ;;
    url) echo "$PUBLIC_URL" ;;
    reload) cmd_reload ;;
    *)
        echo "usage: $0 start|stop|status|wait|url|reload" >&2
        exit 2
        ;;
esac
