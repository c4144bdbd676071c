#!/usr/bin/env bash
# tests/bench/bench.sh — throughput and latency of the stack, written to docs/BENCHMARKS.md.
# Run by `make bench` (after `deps all`). Benchmarks only report: nothing here passes or fails
# on a number. The script fails only when the stack cannot be started.
#
# * A stack of its own (DSM_VAR=var/bench, ports 28080/28081, PostgreSQL 25544, PgBouncer
#   26544, Redis 26380, pools 29101..), so the dev stack (make run) and the test stack
#   (make test) are never touched. PostgreSQL runs with fsync on (DSM_PG_FAST=0).
# * wrk, through nginx: GET /projects/PHE001, GET /projects, POST /projects (unique ids, see
#   post_project.lua), GET /project/health (no database), GET /nginx/health (nginx alone, if the
#   config has it). Each: a warm-up run, then the measured run with --latency.
# * For reference: pgbench -S on a scratch database bench_pgbench (pgbench -i -s 10), dropped
#   afterwards.
# * The bench stack is always stopped at the end (trap); its logs (var/bench/log) are emptied at
#   the start of the next run. About 2 minutes in all.
#
# Settings (environment): BENCH_WARMUP (3 s), BENCH_DURATION (15 s), BENCH_THREADS (2),
# BENCH_CONNS (32), BENCH_OUT (docs/BENCHMARKS.md).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$BENCH_DIR/../.." && pwd -P)
cd "$ROOT"

# The bench stack's own settings; anything derived from another stack is forgotten first.
unset _DSM_DERIVED_FROM DSM_ADMIN_PORT DSM_PG_HOME DSM_PG_SOCK DSM_EXTRA_PLUGINS DATABASE_URL \
    REDIS_HOST REDIS_PORT
export DSM_ROOT=$ROOT
export DSM_VAR=$DSM_ROOT/var/bench DSM_PORT=28080 DSM_ADMIN_PORT=28081 DSM_PG_PORT=25544 \
    DSM_PGB_PORT=26544 DSM_REDIS_PORT=26380 DSM_POOL_PORT=29100 DSM_PG_FAST=0
# shellcheck source=core/tools/env.sh
. core/tools/env.sh

WARMUP=${BENCH_WARMUP:-3}
DURATION=${BENCH_DURATION:-15}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNS:-32}
OUT=${BENCH_OUT:-$ROOT/docs/BENCHMARKS.md}
URL=http://127.0.0.1:$DSM_PORT
RAW=$DSM_VAR/bench                    # raw outputs of this run
PGBENCH_DB=bench_pgbench
T0=$SECONDS

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

for v in WARMUP DURATION THREADS CONNS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "BENCH_$v='${!v}' must be a positive number"
done
command -v wrk >/dev/null 2>&1 || die "wrk is not installed (core/tools/deps.sh installs it)"
command -v curl >/dev/null 2>&1 || die "curl is not installed"
[ -x "$DSM_BUILD/bin/dsm-host" ] || die "$DSM_BUILD/bin/dsm-host is missing: run make (or make bench)"
[ -f "$DSM_BUILD/plugins/service_project.so" ] || die "$DSM_BUILD/plugins/service_project.so is missing: run make"

# ---------------------------------------------------------------- the bench stack
STARTED=
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$STARTED" ]; then
        say "stopping the bench stack"
        core/tools/stack.sh stop || { say "warning: core/tools/stack.sh stop failed"; rc=1; }
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
mkdir -p "$RAW"
rm -f "$RAW"/*.txt
# The bench stack's logs keep the last run only: a run logs ~3 million requests (~0.5 GB).
for f in "$DSM_VAR"/log/*.log; do
    if [ -f "$f" ] && [ ! -L "$f" ]; then : >"$f"; fi
done
say "starting the bench stack under $DSM_VAR ($URL)"
STARTED=1
core/tools/stack.sh start
core/tools/migrate.sh
core/tools/seed.sh
core/tools/stack.sh wait

# Projects created by earlier bench runs go, so GET /projects lists the same rows every time;
# VACUUM: the deleted rows must not slow the scans of GET /projects.
dsm_psql project_db -c "DELETE FROM projects WHERE prjid LIKE 'bench-%'" -c 'VACUUM ANALYZE projects'
N_PROJECTS=$(dsm_psql project_db -At -c 'SELECT count(*) FROM projects')

# Pool log sizes now: what the pools log during the runs is looked at afterwards.
declare -A LOG_AT=()
for f in "$DSM_VAR"/log/*-[12].log; do
    [ -f "$f" ] && LOG_AT[$f]=$(stat -c %s "$f")
done

# ---------------------------------------------------------------- probes (reported, not asserted)
PROBES=()
probe() {   # probe METHOD PATH [curl args…] — one request, its status code recorded
    local m=$1 p=$2 code
    shift 2
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' -X "$m" "$@" "$URL$p" || true)
    PROBES+=("$m $p → ${code:-no answer}")
}
probe GET /projects/PHE001
probe GET /projects
probe POST /projects -H 'Content-Type: application/json' \
    --data "{\"id\":\"bench-probe-$$-$RANDOM\",\"name\":\"probe\",\"description\":\"probe\",\"status\":\"inactive\"}"
probe GET /project/health
HAVE_NGINX_HEALTH=
if grep -q 'location = /nginx/health' "$DSM_VAR/nginx/nginx.conf" 2>/dev/null; then
    HAVE_NGINX_HEALTH=1
    probe GET /nginx/health
fi

# ---------------------------------------------------------------- wrk
ROWS=()        # markdown table rows
CMDS=()        # the commands, as run
RAWS=()        # names of raw output files, in order

# fmt_int N — 1234567 → 1,234,567
fmt_int() { printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

# bench_wrk NAME LABEL PATH [wrk args…] — warm-up, then the measured run; one table row.
bench_wrk() {
    local name=$1 label=$2 path=$3 f warm cmd rc=0 rps p50 p99 reqs non2xx sock err
    shift 3
    f=$RAW/$name.txt
    warm=(wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "$@" "$URL$path")
    cmd=(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$@" "$URL$path")
    say "$label: warm-up ${WARMUP} s, then ${DURATION} s"
    "${warm[@]}" >/dev/null 2>&1 || true
    "${cmd[@]}" >"$f" 2>&1 || rc=$?
    CMDS+=("${warm[*]} >/dev/null" "${cmd[*]}")
    RAWS+=("$name|$label|${cmd[*]}")
    if [ "$rc" -ne 0 ]; then
        ROWS+=("| $label | wrk failed (exit $rc) | | | | |")
        return 0
    fi
    rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$f")
    p50=$(awk '$1 == "50%" { print $2; exit }' "$f")
    p99=$(awk '$1 == "99%" { print $2; exit }' "$f")
    reqs=$(awk '/ requests in / { print $1; exit }' "$f")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF; exit }' "$f")
    sock=$(sed -n 's/^ *Socket errors: *//p' "$f")
    err=
    [ -n "$non2xx" ] && err="non-2xx/3xx: $(fmt_int "$non2xx")"
    [ -n "$sock" ] && err="${err:+$err; }socket errors: $sock"
    ROWS+=("| $label | $(fmt_int "${rps:-0}") | ${p50:-?} | ${p99:-?} | ${err:-0} | $(fmt_int "${reqs:-0}") |")
    say "$label: ${rps:-?} req/s, p50 ${p50:-?}, p99 ${p99:-?}, errors: ${err:-0}"
}

bench_wrk project_get 'GET /projects/PHE001' /projects/PHE001
bench_wrk project_list "GET /projects ($N_PROJECTS rows)" /projects
bench_wrk project_post 'POST /projects (new id each)' /projects -s tests/bench/post_project.lua
bench_wrk project_health 'GET /project/health (no database)' /project/health
if [ -n "$HAVE_NGINX_HEALTH" ]; then
    bench_wrk nginx_health 'GET /nginx/health (nginx alone)' /nginx/health
else
    ROWS+=("| GET /nginx/health (nginx alone) | not run: the nginx config has no \`location = /nginx/health\` | | | | |")
fi

# ---------------------------------------------------------------- pgbench (reference)
PGBENCH=$DSM_PG_BIN/pgbench
PGB_ARGS=(-h "$DSM_PG_SOCK" -p "$DSM_PG_PORT" -U postgres)
if [ -x "$PGBENCH" ]; then
    say "pgbench: initialising $PGBENCH_DB (scale 10)"
    f=$RAW/pgbench.txt
    PGOPTIONS='-c client_min_messages=warning' \
        dsm_psql_admin postgres -c "DROP DATABASE IF EXISTS $PGBENCH_DB" -c "CREATE DATABASE $PGBENCH_DB"
    init=("$PGBENCH" -i -s 10 -q "${PGB_ARGS[@]}" "$PGBENCH_DB")
    run=("$PGBENCH" -S -c 16 -j 2 -T "$DURATION" "${PGB_ARGS[@]}" "$PGBENCH_DB")
    CMDS+=("psql … postgres -c 'DROP DATABASE IF EXISTS $PGBENCH_DB' -c 'CREATE DATABASE $PGBENCH_DB'   # superuser, socket"
        "${init[*]}" "${run[*]}" "psql … postgres -c 'DROP DATABASE IF EXISTS $PGBENCH_DB'")
    RAWS+=("pgbench|pgbench -S (PostgreSQL alone)|${run[*]}")
    rc=0
    if "${init[@]}" >"$RAW/pgbench-init.txt" 2>&1; then
        say "pgbench -S: ${DURATION} s"
        "${run[@]}" >"$f" 2>&1 || rc=$?
    else
        rc=$?
        cp "$RAW/pgbench-init.txt" "$f"
    fi
    if [ "$rc" -eq 0 ]; then
        tps=$(awk '/^tps = / { printf "%.0f", $3; exit }' "$f")
        lat=$(awk '/^latency average = / { print $4 " " $5; exit }' "$f")
        failed=$(awk -F': ' '/^number of failed transactions:/ { split($2, a, " "); print a[1]; exit }' "$f")
        done_tx=$(awk -F': ' '/^number of transactions actually processed:/ { split($2, a, "/"); print a[1]; exit }' "$f")
        ROWS+=("| pgbench -S -c 16 -j 2 (PostgreSQL alone, tps) | $(fmt_int "${tps:-0}") | avg ${lat:-?} | n/a | ${failed:-0} failed | $(fmt_int "${done_tx:-0}") |")
        say "pgbench -S: ${tps:-?} tps, latency average ${lat:-?}"
    else
        ROWS+=("| pgbench -S -c 16 -j 2 (PostgreSQL alone, tps) | pgbench failed (exit $rc) | | | | |")
        say "pgbench failed (exit $rc), see $f"
    fi
    dsm_psql_admin postgres -c "DROP DATABASE IF EXISTS $PGBENCH_DB" || true
else
    ROWS+=("| pgbench -S (PostgreSQL alone) | not run: no $PGBENCH | | | | |")
fi

# ---------------------------------------------------------------- what the pools logged
LOGNOTES=()
for f in "${!LOG_AT[@]}"; do
    [ -f "$f" ] || continue
    e=$(tail -c +"$((LOG_AT[$f] + 1))" "$f" | grep -c '"level":"error"' || true)
    w=$(tail -c +"$((LOG_AT[$f] + 1))" "$f" | grep -c '"level":"warn' || true)
    [ "${e:-0}" -eq 0 ] && [ "${w:-0}" -eq 0 ] && continue
    LOGNOTES+=("$(basename "$f"): $e error line(s), $w warning line(s), e.g. \`$(tail -c +"$((LOG_AT[$f] + 1))" "$f" |
        grep -m1 -E '"level":"(error|warn)' | cut -c1-200 | tr '`' "'")\`")
done

# ---------------------------------------------------------------- docs/BENCHMARKS.md
first_line() { "$@" 2>&1 | head -n 1 || true; }
CPU_MODEL=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
CPU_COUNT=$(nproc 2>/dev/null || echo '?')
CPU_TOPO=$(lscpu 2>/dev/null | awk -F: '
    /^Socket\(s\)/ { s = $2 } /^Core\(s\) per socket/ { c = $2 } /^Thread\(s\) per core/ { t = $2 }
    END { gsub(/ /, "", s); gsub(/ /, "", c); gsub(/ /, "", t); if (s != "") printf "%s socket(s) x %s core(s) x %s thread(s)", s, c, t }')
RAM=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
KERNEL=$(uname -srm)
# shellcheck source=/dev/null
OS=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}")
DEBV=$(cat /etc/debian_version 2>/dev/null || echo '?')
VIRT=$(systemd-detect-virt 2>/dev/null || true)
NGINX_VER=$(first_line nginx -v | sed 's/^nginx version: //')
PG_VER=$(first_line "$DSM_PG_BIN/postgres" --version)
PGB_VER=$(first_line pgbouncer --version)
REDIS_VER=$(first_line redis-server --version | awk '{ print $1, $2, $3 }')
WRK_VER=$(first_line wrk --version | awk '{ print $1, $2 }')
CC_VER=$(first_line "${CC:-cc}" --version)
GIT_REV=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
[ -z "$(git status --porcelain 2>/dev/null | grep -v '^??' | grep -v ' docs/BENCHMARKS.md$' || true)" ] ||
    GIT_REV="$GIT_REV (with uncommitted changes)"
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
NGINX_WORKERS=$(awk '$1 == "worker_processes" { gsub(/;/, "", $2); print $2; exit }' "$DSM_VAR/nginx/nginx.conf" 2>/dev/null)

# The previous file's "## Notes" section (up to the next "## " heading) is kept as it is.
NOTES=
if [ -f "$OUT" ]; then
    NOTES=$(awk '/^## Notes[[:space:]]*$/ { on = 1; print; next } on && /^## / { exit } on { print }' "$OUT")
fi
if [ -z "$NOTES" ]; then
    NOTES=$(cat <<'EOF'
## Notes

* wrk, nginx, both instances of the pool and PostgreSQL share the same 2 cores, so each number
  is what the whole machine does, load generator included; compare rows with each other and
  with the reference rows, not with numbers from other machines.
* The design notes (shared/design.md) recorded earlier ceilings: nginx alone ≈ 60k req/s;
  nginx → the cheapest libfcgi responder ≈ 23k req/s with kept-alive FastCGI connections,
  8–13k without; PostgreSQL `pgbench -S` ≈ 7–9k tps. The two reference rows above (nginx alone,
  pgbench -S) are this run's own ceilings; compare the DSM rows with those.
* nginx keeps at most `keepalive` idle FastCGI connections per worker and upstream; with 32 wrk
  connections some requests open a fresh FastCGI connection.
* Every request is logged by nginx (buffered access log) and by the pool (one JSON line on
  stderr); that cost is included, as in production.
* POST /projects commits one row per request with `fsync = on`. Its rows (ids `bench-…`) stay
  in the bench database until the next run deletes them (then `VACUUM`), before GET /projects.
EOF
)
fi

tmp=$(mktemp "$OUT.XXXXXX")
{
    cat <<EOF
# Benchmarks

Measured by \`make bench\` (tests/bench/bench.sh), which rewrites this file on every run; only
the **Notes** section is kept from one run to the next. Benchmarks only report: nothing fails
on a number.

* Date: $DATE
* Revision: $GIT_REV
* Machine: ${CPU_MODEL:-?}; $CPU_COUNT CPU(s)${CPU_TOPO:+ ($CPU_TOPO)}; RAM $RAM${VIRT:+; virtualisation: $VIRT}
* OS: $OS (debian_version $DEBV), kernel $KERNEL
* Software: $NGINX_VER; $PG_VER; $PGB_VER; $REDIS_VER; $WRK_VER; $CC_VER
* Stack: the bench stack (\`DSM_VAR=var/bench\`, public port $DSM_PORT), nginx ${NGINX_WORKERS:-?} workers with
  \`keepalive $DSM_KEEPALIVE\` per upstream, 2 dsm-host instances per pool with $DSM_THREADS threads each,
  PostgreSQL 127.0.0.1:$DSM_PG_PORT with fsync on; wrk runs on the same machine.
* Load: wrk \`-t$THREADS -c$CONNS\`, ${WARMUP} s warm-up then ${DURATION} s measured, per endpoint, all through nginx.
  Load average before the run (1/5/15 min): $LOAD_BEFORE; anything else running on the machine
  takes its share of the 2 cores.

## Results

| endpoint | req/s | p50 | p99 | errors | requests |
|---|---:|---:|---:|---|---:|
EOF
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Errors: wrk's \"Non-2xx or 3xx responses\" and socket errors (connect/read/write/timeout)."
    echo "pgbench prints no percentiles: its row shows the average latency and failed transactions."
    echo
    echo "Before the runs, one request each (status code): $(printf '%s; ' "${PROBES[@]}" | sed 's/; $//')."
    if [ ${#LOGNOTES[@]} -gt 0 ]; then
        echo
        echo "The pools logged during the runs:"
        echo
        printf '* %s\n' "${LOGNOTES[@]}"
    else
        echo
        echo "The pools logged no error or warning line during the runs."
    fi
    cat <<EOF

## Commands

\`make bench\` runs, from the repository root (bench settings exported first):

\`\`\`
export DSM_VAR=\$PWD/var/bench DSM_PORT=$DSM_PORT DSM_ADMIN_PORT=$DSM_ADMIN_PORT DSM_PG_PORT=$DSM_PG_PORT \\
       DSM_PGB_PORT=$DSM_PGB_PORT DSM_REDIS_PORT=$DSM_REDIS_PORT DSM_POOL_PORT=$DSM_POOL_PORT DSM_PG_FAST=0
core/tools/stack.sh start && core/tools/migrate.sh && core/tools/seed.sh && core/tools/stack.sh wait
psql … project_db -c "DELETE FROM projects WHERE prjid LIKE 'bench-%'" -c 'VACUUM ANALYZE projects'   # earlier bench rows
EOF
    printf '%s\n' "${CMDS[@]}" | sed "s|$DSM_VAR|\$DSM_VAR|g; s|$ROOT/||g"
    echo "core/tools/stack.sh stop"
    echo '```'
    echo
    echo "\`tests/bench/post_project.lua\` makes every POST a new project"
    echo "(\`bench-<run>-<thread>-<counter>\`), so none is a 409."
    echo
    echo "$NOTES"
    echo
    echo "## Raw output"
    for r in "${RAWS[@]}"; do
        IFS='|' read -r name label c <<<"$r"
        echo
        echo "<details><summary>$label</summary>"
        echo
        echo '```'
        echo "\$ $c" | sed "s|$DSM_VAR|\$DSM_VAR|g; s|$ROOT/||g"
        sed "s|$DSM_VAR|\$DSM_VAR|g" "$RAW/$name.txt" 2>/dev/null || echo "(no output)"
        echo '```'
        echo
        echo "</details>"
    done
} >"$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$OUT"

say "results ($((SECONDS - T0)) s so far), written to ${OUT#"$ROOT"/}:"
printf '| endpoint | req/s | p50 | p99 | errors | requests |\n'
printf '%s\n' "${ROWS[@]}"
