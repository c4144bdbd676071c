#!/usr/bin/env bash
# tests/bench/bench.sh — throughput and latency of the stack, written to docs/BENCHMARKS.md.
# Run by `make bench` (after `deps all`). Benchmarks only report: nothing here passes or fails
# on a number (the targets of issues 4 and 5 are shown as met / not met). The script fails only
# when the stack cannot be started.
#
# * A stack of its own (DSM_VAR=var/bench, ports 28080/28081, PostgreSQL 25544, PgBouncer
#   26544, Redis 26380, pools 29101..), so the dev stack (make run) and the test stack
#   (make test) are never touched. PostgreSQL runs with fsync on (DSM_PG_FAST=0). Pools:
#   project, backlog, sprint, chronicle (+ the agent-memory plugin), each when built
#   (BENCH_SERVICES), the orchestrator pool with its four local intelligence sources (no LLM).
# * Rows of earlier runs are deleted first (projects bench-…, the workflow projects BW…, their
#   backlog / sprint / chronicle rows, chronicle notes and episodes of projects bench-…), so
#   every run starts from the same data.
# * wrk, through nginx: GET /projects/PHE001, GET /projects, POST /projects (unique ids, see
#   post_project.lua), GET /project/health (no database), GET /nginx/health (nginx alone, if the
#   config has it); POST /v1/notes/daily_scrum_report (a new realistic report each,
#   post_report.lua), GET /v1/notes/daily_scrum_report of one existing report, POST
#   /v1/memory/episodes (a new episode each, embedding computed on write, post_episode.lua).
#   Each: a warm-up run, then the measured run with --latency.
# * For reference: pgbench -S on a scratch database bench_pgbench (pgbench -i -s 10), dropped
#   afterwards.
# * Agent memory (tests/bench/bench_memory.sh): bulk store rate (100 episodes with precomputed
#   embeddings per call) while loading 10,000 then 100,000 episodes, and top-5 search latency
#   at each size (wrk with 1 and with 4 connections).
# * TASK_UPDATED events applied per second by the backlog consumer
#   (tests/bench/bench_events.sh, BENCH_EVENTS messages) and the end-to-end workflow without the
#   daily scrum loop (tests/bench/bench_workflow.sh, BENCH_N workflows).
# * The bench stack is always stopped at the end (trap); its logs (var/bench/log) are emptied at
#   the start of the next run. About 5 minutes in all.
#
# Settings (environment): BENCH_WARMUP (3 s), BENCH_DURATION (15 s), BENCH_THREADS (2),
# BENCH_CONNS (32), BENCH_OUT (docs/BENCHMARKS.md), BENCH_SERVICES ("project backlog sprint
# chronicle"), BENCH_EVENTS (50000), BENCH_N (50 workflows), and those of bench_memory.sh
# (BENCH_MEM_SIZES "10000 100000", BENCH_SEARCH_DURATION 8 s, BENCH_SEARCH_CONNS "1 4", ...).
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
export DSM_SERVICES=${BENCH_SERVICES:-project backlog sprint chronicle orchestrator}
# shellcheck source=core/tools/env.sh
. core/tools/env.sh

WARMUP=${BENCH_WARMUP:-3}
DURATION=${BENCH_DURATION:-15}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNS:-32}
EVENTS=${BENCH_EVENTS:-50000}
WF_N=${BENCH_N:-50}
OUT=${BENCH_OUT:-$ROOT/docs/BENCHMARKS.md}
URL=http://127.0.0.1:$DSM_PORT
RAW=$DSM_VAR/bench                    # raw outputs of this run
PGBENCH_DB=bench_pgbench
T0=$SECONDS

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

for v in WARMUP DURATION THREADS CONNS EVENTS WF_N; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "BENCH_${v#WF_}='${!v}' must be a positive number"
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
rm -rf "$RAW/memory"
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

# Which parts can run: a pool runs when its plugin is built (stack.sh); the agent memory is a
# companion plugin of the chronicle pool.
built() { [ -f "$DSM_BUILD/plugins/$1.so" ] && [[ " $DSM_SERVICES " == *" ${1#service_} "* || $1 == service_memory ]]; }
HAVE_CHRONICLE='' HAVE_MEMORY='' HAVE_EVENTS='' HAVE_WORKFLOW=''
built service_chronicle && HAVE_CHRONICLE=1
[ -n "$HAVE_CHRONICLE" ] && built service_memory && HAVE_MEMORY=1
built service_backlog && command -v redis-cli >/dev/null 2>&1 && HAVE_EVENTS=1
built service_backlog && built service_sprint && [ -n "$HAVE_CHRONICLE" ] && HAVE_WORKFLOW=1
if [ -n "$HAVE_MEMORY" ]; then    # stack.sh wait covers the pool, not each companion plugin
    for _ in $(seq 1 120); do
        [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$URL/v1/memory/health" || true)" = 200 ] && break
        sleep 0.25
    done
fi

# Rows of earlier bench runs go, so every run starts from the same data: projects bench-…
# (POST /projects, bench_events.sh) and BW<8 digits> (bench_workflow.sh) with their team,
# backlog, sprint and chronicle rows; chronicle notes and agent-memory episodes (and their
# metrics rows) of projects bench-…; the orchestrator's decisions, strategy log rows, schedules
# and decision modes of projects bench-…; the consumer's inbox rows of bench events. VACUUM: the
# deleted rows must not slow the scans of GET /projects. A failing clean-up is only reported.
WFP="'^BW[0-9]{8}\$'"                 # the workflow projects' ids, as a SQL regex literal
WFT="'^BW[0-9]{8}-'"                  # ... and their task ids
clean() { # clean DB SQL… — one psql, a warning when it fails
    local db=$1 a=() q
    shift
    for q in "$@"; do a+=(-c "$q"); done
    PGOPTIONS='-c client_min_messages=warning' dsm_psql "$db" "${a[@]}" ||
        say "warning: clean-up of $db failed; earlier bench rows may remain"
}
say "deleting the rows of earlier bench runs"
clean project_db "DELETE FROM project_team_mapping WHERE project_id LIKE 'bench-%' OR project_id ~ $WFP" \
    "DELETE FROM projects WHERE prjid LIKE 'bench-%' OR prjid ~ $WFP" 'VACUUM ANALYZE projects'
if built service_backlog; then
    clean backlog_db "DELETE FROM tasks WHERE project_id ~ $WFP" \
        "DELETE FROM task_event_marks WHERE task_id ~ $WFT" \
        "DELETE FROM event_inbox WHERE event_id LIKE 'bench-%' OR task_id ~ $WFT" \
        'VACUUM ANALYZE tasks, task_event_marks, event_inbox'
fi
if built service_sprint; then
    clean sprint_db "DELETE FROM tasks WHERE sprint_id IN (SELECT sprint_id FROM sprints WHERE project_id ~ $WFP)" \
        "DELETE FROM sprints WHERE project_id ~ $WFP" 'VACUUM ANALYZE sprints, tasks'
fi
if [ -n "$HAVE_CHRONICLE" ]; then
    clean chronicle_db "DELETE FROM chronicle_notes WHERE project_id LIKE 'bench-%' OR project_id ~ $WFP" \
        "DELETE FROM sprint_retrospectives WHERE project_id ~ $WFP" 'VACUUM ANALYZE chronicle_notes'
fi
if [ -n "$HAVE_MEMORY" ]; then
    clean agent_memory "DELETE FROM agent_episodes WHERE project_id LIKE 'bench-%'" \
        "DELETE FROM agent_memory_metrics WHERE project_id LIKE 'bench-%' OR project_id IS NULL" \
        'VACUUM ANALYZE agent_episodes, agent_memory_metrics'
fi
if built service_orchestrator; then # the decisions of bench-latency (and their logs) of earlier runs
    clean agent_memory "DELETE FROM orchestrator_decisions WHERE project_id LIKE 'bench-%'" \
        "DELETE FROM strategy_performance_log WHERE project_id LIKE 'bench-%'" \
        "DELETE FROM orchestrator_schedules WHERE project_id LIKE 'bench-%'" \
        "DELETE FROM orchestrator_project_modes WHERE project_id LIKE 'bench-%'" \
        'VACUUM ANALYZE orchestrator_decisions, strategy_performance_log'
fi
# The TASK_UPDATED stream of earlier runs (50,000 messages each), once the consumer group has
# read and acknowledged all of it.
if [ -n "$HAVE_EVENTS" ]; then
    rcli() { redis-cli -h 127.0.0.1 -p "$DSM_REDIS_PORT" "$@"; }
    g=$(rcli XINFO GROUPS task_update_events 2>/dev/null || true)
    last=$( (rcli XINFO STREAM task_update_events 2>/dev/null || true) | awk 'prev == "last-generated-id" { print; exit } { prev = $0 }')
    read -r pending delivered < <(awk 'prev == "name" { cur = $0 } cur == "backlog-service" && prev == "pending" { p = $0 }
        cur == "backlog-service" && prev == "last-delivered-id" { d = $0 } { prev = $0 } END { print (p == "" ? "?" : p), (d == "" ? "?" : d) }' <<<"$g")
    if [ -n "$last" ] && [ "$pending" = 0 ] && [ "$delivered" = "$last" ]; then
        rcli XTRIM task_update_events MAXLEN 0 >/dev/null || true
    fi
fi
N_PROJECTS=$(dsm_psql project_db -At -c 'SELECT count(*) FROM projects')

# Pool log sizes now: what the pools log during the runs is looked at afterwards.
declare -A LOG_AT=()
for f in "$DSM_VAR"/log/*-[12].log; do
    [ -f "$f" ] && LOG_AT[$f]=$(stat -c %s "$f")
done

# Decision latency first, after the clean-up and before the load runs fill the chronicle and
# the agent memory (every decision reads them):
# 200 sequential decisions that execute nothing, the four local sources, no LLM.
# The clean-up deleted the previous run's ~100,000 episodes and reports: a CHECKPOINT first, so
# that the writes it left behind are flushed now and not during the measured decisions (whose
# commits wait for the WAL flush).
DEC_P50=
if built service_orchestrator; then
    dsm_psql_admin postgres -c CHECKPOINT >/dev/null 2>&1 || say "CHECKPOINT failed (measuring anyway)"
    DEC_LINE=$(BENCH_URL=$URL tests/bench/bench_decision_latency.sh 2>"$RAW/decisions.txt" | tail -n 1 || true)
    DEC_P50=$(sed -n 's/.*decision_p50_ms=\([0-9.]*\).*/\1/p' <<<"$DEC_LINE")
    DEC_P95=$(sed -n 's/.*decision_p95_ms=\([0-9.]*\).*/\1/p' <<<"$DEC_LINE")
    if [ -n "$DEC_P50" ]; then
        ROWS+=("| POST /orchestrate/project/{id} (decision: perception + rules, strategy, chronicle, episodes; nothing executed; 200 one at a time; client wall time) | n/a | ${DEC_P50}ms | p95 ${DEC_P95}ms | 0 | 200 |")
    else
        ROWS+=("| POST /orchestrate/project/{id} (decision latency) | failed: $(tail -n 1 "$RAW/decisions.txt" | cut -c1-160 | tr '\`|' "' ") | | | | |")
    fi
    say "decision latency: ${DEC_LINE:-failed}"
fi

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
if [ -n "$HAVE_CHRONICLE" ]; then
    # The report the read benchmark fetches: one daily scrum report (5 employees, 2 tasks each).
    READ_Q='project_id=bench-chr-read&sprint_id=bench-chr-read-S01&daily_scrum_date=2025-09-18'
    READ_BODY=$(awk 'BEGIN {
        printf "{\"project_id\":\"bench-chr-read\",\"sprint_id\":\"bench-chr-read-S01\",\"report_date\":\"2025-09-18\","
        printf "\"summary\":\"No Holiday or PTO reported for this daily stand-up\","
        printf "\"summary_metrics\":{\"total_team_members\":5,\"total_tasks\":10,\"completed_tasks\":3,\"pending_tasks\":7},"
        printf "\"reports\":{\"2025-09-18\":["
        for (e = 1; e <= 5; e++) {
            printf "%s{\"assigned_to\":\"E%03d\",\"tasks\":[", (e > 1 ? "," : ""), e
            for (t = 1; t <= 2; t++) {
                k = (e - 1) * 2 + t
                printf "%s{\"id\":\"bench-chr-read-TASK%03d\",\"yesterday_work\":\"Worked on task %d (%d%% done)\",", (t > 1 ? "," : ""), k, k, k * 9
                printf "\"today_work\":\"Continue task %d: tests and review\",\"impediments\":\"%s\",", k, (k == 4 ? "Waiting for the review of the previous change" : "None")
                printf "\"created_at\":\"2025-09-18T14:00:04.%06d\"}", k * 1000
            }
            printf "]}"
        }
        printf "]}}\n" }')
    code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' -H 'Content-Type: application/json' \
        --data "$READ_BODY" "$URL/v1/notes/daily_scrum_report" || true)
    PROBES+=("POST /v1/notes/daily_scrum_report (the report read below) → ${code:-no answer}")
    probe GET "/v1/notes/daily_scrum_report?$READ_Q"
fi
if [ -n "$HAVE_MEMORY" ]; then
    probe GET /v1/memory/health
fi
HAVE_NGINX_HEALTH=
if grep -q 'location = /nginx/health' "$DSM_VAR/nginx/nginx.conf" 2>/dev/null; then
    HAVE_NGINX_HEALTH=1
    probe GET /nginx/health
fi

# ---------------------------------------------------------------- wrk
ROWS=()        # markdown table rows
REF_ROWS=()    # the reference rows that end the table (pgbench)
CMDS=()        # the commands, as run
RAWS=()        # names of raw output files, in order

# fmt_int N — 1234567 → 1,234,567
fmt_int() { printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

# wrk_row LABEL FILE — the table row of one wrk output; its p50 is left in LAST_P50.
LAST_P50=
wrk_row() {
    local label=$1 f=$2 rps p50 p99 reqs non2xx sock err
    rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$f")
    p50=$(awk '$1 == "50%" { print $2; exit }' "$f")
    p99=$(awk '$1 == "99%" { print $2; exit }' "$f")
    reqs=$(awk '/ requests in / { print $1; exit }' "$f")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF; exit }' "$f")
    sock=$(sed -n 's/^ *Socket errors: *//p' "$f")
    err=
    [ -n "$non2xx" ] && err="non-2xx/3xx: $(fmt_int "$non2xx")"
    [ -n "$sock" ] && err="${err:+$err; }socket errors: $sock"
    LAST_P50=$p50
    ROWS+=("| $label | $(fmt_int "${rps:-0}") | ${p50:-?} | ${p99:-?} | ${err:-0} | $(fmt_int "${reqs:-0}") |")
    say "$label: ${rps:-?} req/s, p50 ${p50:-?}, p99 ${p99:-?}, errors: ${err:-0}"
}

# shq ARG… — the arguments as one shell command line, single-quoting those the shell would
# read otherwise (none of the arguments here holds a single quote).
shq() {
    local a out=()
    for a in "$@"; do
        if [[ $a =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then out+=("$a"); else out+=("'$a'"); fi
    done
    printf '%s' "${out[*]}"
}

# bench_wrk NAME LABEL PATH [wrk args…] — warm-up, then the measured run; one table row.
bench_wrk() {
    local name=$1 label=$2 path=$3 f warm cmd rc=0
    shift 3
    f=$RAW/$name.txt
    warm=(wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "$@" "$URL$path")
    cmd=(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$@" "$URL$path")
    say "$label: warm-up ${WARMUP} s, then ${DURATION} s"
    "${warm[@]}" >/dev/null 2>&1 || true
    "${cmd[@]}" >"$f" 2>&1 || rc=$?
    CMDS+=("$(shq "${warm[@]}") >/dev/null" "$(shq "${cmd[@]}")")
    RAWS+=("$name|$label|$(shq "${cmd[@]}")")
    if [ "$rc" -ne 0 ]; then
        LAST_P50=
        ROWS+=("| $label | wrk failed (exit $rc) | | | | |")
        return 0
    fi
    wrk_row "$label" "$f"
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
        REF_ROWS+=("| pgbench -S -c 16 -j 2 (PostgreSQL alone, tps) | $(fmt_int "${tps:-0}") | avg ${lat:-?} | n/a | ${failed:-0} failed | $(fmt_int "${done_tx:-0}") |")
        say "pgbench -S: ${tps:-?} tps, latency average ${lat:-?}"
    else
        REF_ROWS+=("| pgbench -S -c 16 -j 2 (PostgreSQL alone, tps) | pgbench failed (exit $rc) | | | | |")
        say "pgbench failed (exit $rc), see $f"
    fi
    dsm_psql_admin postgres -c "DROP DATABASE IF EXISTS $PGBENCH_DB" || true
else
    REF_ROWS+=("| pgbench -S (PostgreSQL alone) | not run: no $PGBENCH | | | | |")
fi

# ---------------------------------------------------------------- chronicle: daily scrum reports
# kv KEY LINE — the value of KEY=value in a "k=v k=v" result line
kv() { sed -n "s/^\(.* \)\{0,1\}$1=\([^ ]*\).*/\2/p" <<<"$2"; }
# to_ms WRK_TIME — "817.00us" / "2.42ms" / "1.02s" → milliseconds
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0;
    else if (v ~ /m$/) printf "%.3f", v * 60000; else if (v ~ /s$/) printf "%.3f", v * 1000 }'; }

if [ -n "$HAVE_CHRONICLE" ]; then
    CMDS+=("curl -H 'Content-Type: application/json' --data '{\"project_id\":\"bench-chr-read\",\"sprint_id\":\"bench-chr-read-S01\",\"report_date\":\"2025-09-18\",…}' $URL/v1/notes/daily_scrum_report   # the report read below: 5 employees x 2 tasks")
    bench_wrk chronicle_post 'POST /v1/notes/daily_scrum_report (new report each: 5 employees x 2 tasks, ~3 KB)' \
        /v1/notes/daily_scrum_report -s tests/bench/post_report.lua
    bench_wrk chronicle_get 'GET /v1/notes/daily_scrum_report?project_id=&sprint_id=&daily_scrum_date= (1 report)' \
        "/v1/notes/daily_scrum_report?$READ_Q"
else
    ROWS+=("| POST and GET /v1/notes/daily_scrum_report | not run: the chronicle pool is not part of this bench stack (service_chronicle.so) | | | | |")
fi

# ---------------------------------------------------------------- agent memory
declare -A SEARCH_P50=()         # size → p50 of the 1-connection search run
MEM_NOTE=
if [ -n "$HAVE_MEMORY" ]; then
    say "agent memory: bulk loads and top-5 searches (tests/bench/bench_memory.sh, up to ~2 minutes)"
    mkdir -p "$RAW/memory"
    rc=0
    BENCH_URL=$URL BENCH_RAW=$RAW/memory timeout 900 tests/bench/bench_memory.sh \
        >"$RAW/memory/results.txt" 2>"$RAW/memory/log.txt" || rc=$?
    CMDS+=("BENCH_URL=$URL tests/bench/bench_memory.sh   # which runs:")
    touch "$RAW/memory/commands.txt"
    while IFS= read -r c; do CMDS+=("#   $c"); done <"$RAW/memory/commands.txt"
    # The single store runs after the loads: its episodes must not change the searched sizes.
    bench_wrk memory_post 'POST /v1/memory/episodes (new episode each, embedding computed on write)' \
        /v1/memory/episodes -s tests/bench/post_episode.lua
    line=$(grep '^bulk ' "$RAW/memory/results.txt" | tail -n 1 || true)
    if [ -n "$line" ]; then
        f=$(kv failed "$line")
        ROWS+=("| POST /v1/memory/episodes/bulk (${BENCH_MEM_BATCH:-100} episodes with 1024-d embeddings per call, ${BENCH_MEM_PAR:-4} calls at a time; episodes/s, per-call p50/p99) | $(fmt_int "$(kv episodes_per_s "$line")") | $(kv call_p50_ms "$line")ms | $(kv call_p99_ms "$line")ms | $([ "${f:-0}" = 0 ] && echo 0 || echo "$f failed call(s)") | $(fmt_int "$(kv episodes "$line")") |")
        say "bulk store: $(kv episodes_per_s "$line") episodes/s"
    fi
    mapfile -t SEARCH_CMDS < <(grep '^wrk ' "$RAW/memory/commands.txt" || true)
    i=0
    while IFS= read -r line; do
        size=$(kv size "$line") total=$(kv total "$line") conns=$(kv conns "$line") raw=$(kv raw "$line")
        label="POST /v1/memory/episodes/search: top 5 of $(fmt_int "$total") episodes, $conns connection(s) (exact: $(kv exact "$line"), backend: $(kv backend "$line"))"
        if [ -s "$RAW/memory/$raw" ] && grep -q '^Requests/sec:' "$RAW/memory/$raw"; then
            wrk_row "$label" "$RAW/memory/$raw"
            [ "$conns" = 1 ] && SEARCH_P50[$size]=$LAST_P50
        else
            ROWS+=("| $label | wrk failed | | | | |")
        fi
        RAWS+=("memory/${raw%.txt}|$label|${SEARCH_CMDS[$i]:-wrk}")
        i=$((i + 1))
    done < <(grep '^search ' "$RAW/memory/results.txt" || true)
    if [ "$rc" -ne 0 ]; then
        MEM_NOTE="tests/bench/bench_memory.sh exited $rc: $(tail -n 1 "$RAW/memory/log.txt" | tr '`|' "' ")"
        ROWS+=("| agent memory (bench_memory.sh) | failed (exit $rc), see the note below | | | | |")
        say "warning: $MEM_NOTE"
    fi
    { cat "$RAW/memory/results.txt"; echo; cat "$RAW/memory/log.txt"; } >"$RAW/memory.txt"
    RAWS+=("memory|agent memory: loads and searches (bench_memory.sh)|BENCH_URL=$URL tests/bench/bench_memory.sh")
else
    ROWS+=("| /v1/memory/episodes (store, bulk, search) | not run: the agent-memory plugin is not built (service_memory.so) | | | | |")
fi

# ---------------------------------------------------------------- TASK_UPDATED events
EV_RATE=
if [ -n "$HAVE_EVENTS" ]; then
    say "TASK_UPDATED events: $EVENTS messages (tests/bench/bench_events.sh)"
    ev=(env BENCH_EVENTS="$EVENTS" BENCH_EV_TIMEOUT=240 tests/bench/bench_events.sh)
    rc=0
    timeout 300 "${ev[@]}" >"$RAW/events.txt" 2>&1 || rc=$?
    CMDS+=("${ev[*]}   # DSM_PORT=$DSM_PORT DSM_REDIS_PORT=$DSM_REDIS_PORT")
    RAWS+=("events|TASK_UPDATED events (bench_events.sh)|${ev[*]}")
    line=$(grep '^events=' "$RAW/events.txt" | tail -n 1 || true)
    if [ -n "$line" ]; then
        EV_RATE=$(kv events_per_s "$line")
        err=0
        [ "$(kv consistent "$line")" = yes ] || err="final task progress differs from the last event sent"
        ROWS+=("| TASK_UPDATED events applied by the backlog consumer (events/s; $(fmt_int "$(kv events "$line")") sent with redis-cli --pipe, all applied after $(kv seconds "$line") s) | $(fmt_int "$EV_RATE") | n/a | n/a | $err | $(fmt_int "$(kv events "$line")") |")
        say "TASK_UPDATED: $EV_RATE events/s ($line)"
    else
        ROWS+=("| TASK_UPDATED events applied by the backlog consumer | failed (exit $rc): $(tail -n 1 "$RAW/events.txt" | cut -c1-160 | tr '`|' "' ") | | | | |")
        say "warning: bench_events.sh failed (exit $rc), see $RAW/events.txt"
    fi
else
    ROWS+=("| TASK_UPDATED events applied by the backlog consumer | not run: no backlog pool (service_backlog.so) or no redis-cli | | | | |")
fi

# ---------------------------------------------------------------- end-to-end workflow
WF_MED=
if [ -n "$HAVE_WORKFLOW" ]; then
    say "end-to-end workflow without the daily scrum loop: $WF_N in a row (tests/bench/bench_workflow.sh)"
    wf=(env BENCH_URL="$URL" BENCH_N="$WF_N" tests/bench/bench_workflow.sh)
    rc=0
    timeout 300 "${wf[@]}" >"$RAW/workflow.txt" 2>&1 || rc=$?
    CMDS+=("${wf[*]}")
    RAWS+=("workflow|end-to-end workflow (bench_workflow.sh)|${wf[*]}")
    read -r WF_MED p90 < <(sed -n 's/^ *median \([0-9.]*\) ms *(p90 \([0-9.]*\),.*/\1 \2/p' "$RAW/workflow.txt" | head -n 1) || true
    if [ "$rc" -eq 0 ] && [ -n "$WF_MED" ]; then
        ROWS+=("| End-to-end workflow without the daily scrum loop (POST /projects, team-members-assign, /backlogs, /sprints, sprint close; one after the other; p99 column: p90) | n/a | ${WF_MED}ms | ${p90}ms | 0 | $WF_N workflows |")
        say "workflow: median $WF_MED ms, p90 $p90 ms"
    else
        WF_MED=
        ROWS+=("| End-to-end workflow without the daily scrum loop | failed (exit $rc): $(tail -n 1 "$RAW/workflow.txt" | cut -c1-160 | tr '`|' "' ") | | | | |")
        say "warning: bench_workflow.sh failed (exit $rc), see $RAW/workflow.txt"
    fi
else
    ROWS+=("| End-to-end workflow without the daily scrum loop | not run: needs the backlog, sprint and chronicle pools | | | | |")
fi

# ---------------------------------------------------------------- the targets (issues 4 and 5)
TARGETS=()
target() { # target WHAT MEASURED(number or empty) UNIT LIMIT le|ge
    local what=$1 v=$2 unit=$3 lim=$4 op=$5 met
    if [ -z "$v" ]; then
        TARGETS+=("| $what | not measured | |")
        return 0
    fi
    if awk -v v="$v" -v l="$lim" -v op="$op" 'BEGIN { exit !(op == "le" ? v <= l : v >= l) }'; then met=yes; else met=no; fi
    TARGETS+=("| $what | $(fmt_int "$v") $unit | $met |")
}
target 'top-5 search p50 at 10,000 episodes ≤ 10 ms (1 connection)' "$([ -n "${SEARCH_P50[10000]:-}" ] && to_ms "${SEARCH_P50[10000]}")" ms 10 le
target 'top-5 search p50 at 100,000 episodes ≤ 60 ms (1 connection)' "$([ -n "${SEARCH_P50[100000]:-}" ] && to_ms "${SEARCH_P50[100000]}")" ms 60 le
target 'TASK_UPDATED events applied ≥ 5,000/s (fsync on)' "$EV_RATE" 'events/s' 5000 ge
target 'end-to-end workflow without the daily scrum loop ≤ 100 ms (median)' "$WF_MED" ms 100 le
target 'decision latency p50 ≤ 10 ms (four local sources, no LLM; client wall time)' "$DEC_P50" ms 10 le

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

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

# The previous file's "## Decision simulation" section (make bench-decisions) is kept too.
SIMSEC=
if [ -f "$OUT" ]; then
    SIMSEC=$(awk '/^## Decision simulation/ { on = 1; print; next } on && /^## / { exit } on { print }' "$OUT")
fi

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

# Notes on the rows added for issues 4 and 5, appended once to a kept Notes section without them.
NOTES_45=$(cat <<'EOF'
* Targets (issues 4 and 5), checked in the Targets table: top-5 search p50 ≤ 10 ms at 10,000
  episodes and ≤ 60 ms at 100,000 (the 1-connection rows: one search at a time, nothing
  queued); TASK_UPDATED events applied ≥ 5,000/s with `fsync = on`; the end-to-end workflow
  without the daily scrum loop ≤ 100 ms (median).
* The bench stack runs the project, backlog, sprint and chronicle pools (the agent-memory plugin
  is loaded by the chronicle pool) and the orchestrator pool (`BENCH_SERVICES`).
* Daily scrum reports (post_report.lua): each POST is a new report of ~3 KB (5 employees with 2
  tasks each, summary metrics), one `chronicle_notes` row committed with `fsync = on`, through
  PgBouncer. The GET fetches one existing report by project, sprint and date (the reader merges
  every matching note; here there is one).
* Agent memory (tests/bench/bench_memory.sh): episodes carry random 1024-number embeddings
  (tests/bench/bench_vectors.c, uniform components, normalised by the server); bulk calls of 100
  (~790 KB, under the 1 MiB body limit), 4 at a time, until 10,000 and then 100,000 episodes are
  stored; the bulk row covers both loads. Without pgvector the plugin searches its in-process
  exact index (backend `cache`: every vector scanned, recall 1.0 by construction), one copy per
  instance of the pool; before measuring, searches run until both instances have loaded what
  the other stored. Search time grows linearly with the number of episodes. With 4 connections
  two searches per instance run at once on the 2 cores.
* POST /v1/memory/episodes (post_episode.lua) stores one episode per request without an
  embedding: the server computes it on write (the local feature-hashing embedder, no embedding
  server configured) and writes the metrics row in the same statement. It runs after the loads,
  so its episodes are not part of the searched sizes.
* TASK_UPDATED (tests/bench/bench_events.sh): 50,000 messages for 100 tasks written with one
  `redis-cli --pipe`; measured from just before the pipe until the consumer group has read and
  acknowledged everything; both backlog instances consume; each message is one transaction
  (inbox row, watermark, task update) with `fsync = on`; the final state is checked.
* Workflow (tests/bench/bench_workflow.sh): 5 requests on one kept-alive connection (the sum of
  curl's times), one workflow after the other, each with a new project; sprint close posts the
  retrospective to the chronicle service.
* Rows of earlier runs are deleted at the start (projects `bench-…` and `BW…` with their
  backlog, sprint, chronicle and memory rows), so every run measures the same data.
EOF
)
if ! grep -q 'Targets (issues 4 and 5)' <<<"$NOTES"; then
    NOTES=$(printf '%s\n%s' "$NOTES" "$NOTES_45")
fi

tmp=$(mktemp "$OUT.XXXXXX")
{
    cat <<EOF
# Benchmarks

Measured by \`make bench\` (tests/bench/bench.sh), which rewrites this file on every run; only
the **Notes** section is kept from one run to the next. Benchmarks only report: nothing fails
on a number (the Targets table says whether the targets of issues 4 and 5 are met).

* Date: $DATE
* Revision: $GIT_REV
* Machine: ${CPU_MODEL:-?}; $CPU_COUNT CPU(s)${CPU_TOPO:+ ($CPU_TOPO)}; RAM $RAM${VIRT:+; virtualisation: $VIRT}
* OS: $OS (debian_version $DEBV), kernel $KERNEL
* Software: $NGINX_VER; $PG_VER; $PGB_VER; $REDIS_VER; $WRK_VER; $CC_VER
* Stack: the bench stack (\`DSM_VAR=var/bench\`, public port $DSM_PORT), nginx ${NGINX_WORKERS:-?} workers with
  \`keepalive $DSM_KEEPALIVE\` per upstream, 2 dsm-host instances per pool with $DSM_THREADS threads each,
  PostgreSQL 127.0.0.1:$DSM_PG_PORT with fsync on; wrk runs on the same machine. Pools: ${DSM_SERVICES// /, }
  (those built; the agent-memory plugin in the chronicle pool).
* Load: wrk \`-t$THREADS -c$CONNS\`, ${WARMUP} s warm-up then ${DURATION} s measured, per endpoint, all through nginx;
  the memory search, bulk, events and workflow rows are measured as described below the table.
  Load average (1/5/15 min) before the run: $LOAD_BEFORE, after: $LOAD_AFTER; anything else running
  on the machine takes its share of the 2 cores.

## Results

| endpoint | req/s | p50 | p99 | errors | requests |
|---|---:|---:|---:|---|---:|
EOF
    printf '%s\n' "${ROWS[@]}" "${REF_ROWS[@]}"
    echo
    echo "Errors: wrk's \"Non-2xx or 3xx responses\" and socket errors (connect/read/write/timeout)."
    echo "pgbench prints no percentiles: its row shows the average latency and failed transactions."
    echo "Search rows: req/s = searches per second (wrk -c1 = one search at a time: its p50 is the"
    echo "latency of a search; -c4 = four at a time). Bulk row: req/s = episodes stored per second"
    echo "over both loads (wall time, curl included), p50/p99 = time of one call of 100 episodes,"
    echo "requests = episodes. Events row: events/s = messages / time until all were applied."
    echo "Workflow row: median and p90 time of one workflow (the sum of its 5 requests)."
    if [ -n "$MEM_NOTE" ]; then
        echo
        echo "Agent memory: $MEM_NOTE"
    fi
    echo
    echo "## Targets"
    echo
    echo "| target (issues 4 and 5) | measured | met |"
    echo "|---|---:|---|"
    printf '%s\n' "${TARGETS[@]}"
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
       DSM_PGB_PORT=$DSM_PGB_PORT DSM_REDIS_PORT=$DSM_REDIS_PORT DSM_POOL_PORT=$DSM_POOL_PORT DSM_PG_FAST=0 \\
       DSM_SERVICES="$DSM_SERVICES"
core/tools/stack.sh start && core/tools/migrate.sh && core/tools/seed.sh && core/tools/stack.sh wait
psql … project_db -c "DELETE FROM projects WHERE prjid LIKE 'bench-%' OR prjid ~ '^BW[0-9]{8}\$'" -c 'VACUUM ANALYZE projects'   # earlier bench rows;
#   likewise in backlog_db, sprint_db, chronicle_db, agent_memory; redis-cli XTRIM task_update_events MAXLEN 0 (all consumed)
EOF
    printf '%s\n' "${CMDS[@]}" | sed "s|$DSM_VAR|\$DSM_VAR|g; s|$ROOT/||g"
    echo "core/tools/stack.sh stop"
    echo '```'
    echo
    echo "\`tests/bench/post_project.lua\` makes every POST a new project"
    echo "(\`bench-<run>-<thread>-<counter>\`), so none is a 409; \`tests/bench/post_report.lua\` makes"
    echo "every report new (project \`bench-chr-<run>\`, sprints of 10 report days per wrk thread) and"
    echo "\`tests/bench/post_episode.lua\` every episode (project \`bench-mem-single\`); \`tests/bench/search.lua\`"
    echo "sends 64 random query embeddings per wrk thread in turn."
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
    if [ -n "$SIMSEC" ]; then
        echo
        echo "$SIMSEC"
    fi
} >"$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$OUT"

say "results ($((SECONDS - T0)) s so far), written to ${OUT#"$ROOT"/}:"
printf '| endpoint | req/s | p50 | p99 | errors | requests |\n'
printf '%s\n' "${ROWS[@]}" "${REF_ROWS[@]}"
printf '%s\n' "${TARGETS[@]}"
