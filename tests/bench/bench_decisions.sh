#!/usr/bin/env bash
# tests/bench/bench_decisions.sh — the decision simulation of `make bench-decisions` (issue 6
# item 8): 50 projects × 10 one-week sprints, seeded, driven through the real services over
# HTTP, once with the rules alone (decision mode rule_based_only) and once with the full set of
# intelligence sources (learning_enhanced: chronicle, episodes, strategy), each on fresh
# databases. Writes the section "## Decision simulation (make bench-decisions)" of
# docs/BENCHMARKS.md (the rest of the file is kept; the "### Notes" subsection of the section is
# kept between runs). Benchmarks only report: the script fails only when the stack cannot start.
#
# * Hidden capacity: each project's team (2..6 members) finishes a nominal 3..9 tasks per
#   full-team week; the Sprint service alone knows it (PUT /sprints/simulation/capacity/{pid},
#   plugins/service_sprint/routes.c item 16: points per member and day, ±15 % per day); PTO
#   (P10) and the federal holidays of the simulated weeks (a scrum on a holiday is skipped: no
#   work) lower it. The orchestrator sees only outcomes (completed vs committed at close).
# * The driver, tests/bench/sim_decisions.c (compiled here with the Makefile's warning flags),
#   runs per sprint and project: B4 (ten tasks back in the backlog) → POST /orchestrate (timed)
#   → 5 daily scrums (S13 ?date=&seed=) → S11 close; POST /strategy/evolve after each round.
# * A stack of its own (DSM_VAR=var/bench-decisions, public port 13080, PostgreSQL 13544,
#   PgBouncer 13644, Redis 13380, pools 13101..), stopped and its PostgreSQL and Redis data
#   removed before each run; always stopped at the end (trap). About 3–5 minutes.
#
# Settings (environment): BENCH_SEED (42), BENCH_PROJECTS (50), BENCH_SPRINTS (10),
# BENCH_START (2025-09-01, the first simulated Monday), BENCH_PTO_PERCENT (30),
# BENCH_VARIATION (15), BENCH_OUT (docs/BENCHMARKS.md), BENCH_MODES
# ("rule_based_only learning_enhanced": run A, then run B).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$BENCH_DIR/../.." && pwd -P)
cd "$ROOT"

unset _DSM_DERIVED_FROM DSM_ADMIN_PORT DSM_PG_HOME DSM_PG_SOCK DSM_EXTRA_PLUGINS DATABASE_URL \
    REDIS_HOST REDIS_PORT DSM_SERVICES
export DSM_ROOT=$ROOT
export DSM_VAR=$DSM_ROOT/var/bench-decisions DSM_PORT=13080 DSM_PG_PORT=13544 DSM_PGB_PORT=13644 \
    DSM_REDIS_PORT=13380 DSM_POOL_PORT=13100 DSM_PG_FAST=1
# shellcheck source=core/tools/env.sh
. core/tools/env.sh

SEED=${BENCH_SEED:-42}
PROJECTS=${BENCH_PROJECTS:-50}
SPRINTS=${BENCH_SPRINTS:-10}
START=${BENCH_START:-2025-09-01}
PTO=${BENCH_PTO_PERCENT:-30}
VAR=${BENCH_VARIATION:-15}
MODES=${BENCH_MODES:-rule_based_only learning_enhanced}
OUT=${BENCH_OUT:-$ROOT/docs/BENCHMARKS.md}
URL=http://127.0.0.1:$DSM_PORT
RAW=$DSM_VAR/bench
SIM=$RAW/sim_decisions
HEADING='## Decision simulation (make bench-decisions)'
T0=$SECONDS

say() { printf 'bench-decisions: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

for v in SEED PROJECTS SPRINTS PTO VAR; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "BENCH_$v='${!v}' must be a number"
done
[[ $START =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "BENCH_START='$START' must be YYYY-MM-DD"
read -r -a MODE_LIST <<<"$MODES"
[ ${#MODE_LIST[@]} -eq 2 ] || die "BENCH_MODES must name two decision modes (run A, run B)"
command -v curl >/dev/null 2>&1 || die "curl is not installed"
for so in service_project service_backlog service_sprint service_chronicle service_memory \
    service_orchestrator intel_rules intel_strategy intel_chronicle intel_episodes; do
    [ -f "$DSM_BUILD/plugins/$so.so" ] || die "$DSM_BUILD/plugins/$so.so is missing: run make"
done

mkdir -p "$RAW"
CFLAGS_SIM=(-std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wno-unused-parameter -I/usr/include/json-c)
"${CC:-cc}" "${CFLAGS_SIM[@]}" -o "$SIM" "$BENCH_DIR/sim_decisions.c" -lcurl -ljson-c -lm ||
    die "cannot compile tests/bench/sim_decisions.c"

# ---------------------------------------------------------------- the stack
STARTED=
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$STARTED" ]; then
        say "stopping the bench-decisions stack"
        core/tools/stack.sh stop >/dev/null || { say "warning: core/tools/stack.sh stop failed"; rc=1; }
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fresh_stack — stop whatever runs under $DSM_VAR, drop PostgreSQL's and Redis's data, start,
# migrate, seed, wait (output in $RAW/stack-<mode>.log).
fresh_stack() {
    local log=$RAW/stack-$1.log
    : >"$log"
    core/tools/stack.sh stop >>"$log" 2>&1 || true
    rm -rf "${DSM_PG_HOME:?}/pg" "${DSM_VAR:?}/redis"
    for f in "$DSM_VAR"/log/*.log; do
        if [ -f "$f" ] && [ ! -L "$f" ]; then : >"$f"; fi
    done
    STARTED=1
    { core/tools/stack.sh start && core/tools/migrate.sh && core/tools/seed.sh &&
        core/tools/stack.sh wait; } >>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "the stack did not start (log: $log)"; }
    for _ in $(seq 1 120); do  # the memory API is a companion plugin of the chronicle pool
        [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$URL/v1/memory/health" || true)" = 200 ] && break
        sleep 0.25
    done
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
TSV=()
FAILED=()
for mode in "${MODE_LIST[@]}"; do
    say "run $mode: fresh stack under $DSM_VAR ($URL)"
    fresh_stack "$mode"
    tsv=$RAW/$mode.tsv
    rc=0
    if [ -z "${LATENCY:-}" ]; then # once, on the first fresh stack: no history yet
        LATENCY=$(BENCH_URL=$URL tests/bench/bench_decision_latency.sh 2>"$RAW/latency.log" | tail -n 1 || true)
        say "decision latency (options that execute nothing, fresh stack): ${LATENCY:-failed}"
    fi
    "$SIM" run --url "$URL" --mode "$mode" --seed "$SEED" --projects "$PROJECTS" \
        --sprints "$SPRINTS" --start "$START" --pto-percent "$PTO" --variation "$VAR" \
        --out "$tsv" 2> >(tee "$RAW/$mode.log" >&2) || rc=$?
    [ "$rc" -eq 0 ] || FAILED+=("$mode: $(grep -c '^sim: .* -> ' "$RAW/$mode.log" || true) failed request(s), exit $rc (see $RAW/$mode.log)")
    TSV+=("$tsv")
    # what the pools logged (errors only)
    grep -h '"level":"error"' "$DSM_VAR"/log/*-[12].log 2>/dev/null | head -n 5 >"$RAW/$mode.errors" || true
done
core/tools/stack.sh stop >/dev/null || say "warning: core/tools/stack.sh stop failed"
STARTED=

REPORT=$("$SIM" report "${TSV[0]}" "${TSV[1]}")
SUMMARY=$(sed -n 's/^summary: //p' <<<"$REPORT")
TABLES=$(grep -v '^summary: ' <<<"$REPORT")

# ---------------------------------------------------------------- BENCHMARKS.md section
first_line() { "$@" 2>&1 | head -n 1 || true; }
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || GIT_REV="$GIT_REV (with uncommitted changes)"
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
CPU_COUNT=$(nproc 2>/dev/null || echo '?')
RAM=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
OS=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}")
ELAPSED=$((SECONDS - T0))
ERR_RED=$(sed -n 's/.*err_reduction_percent=\([^ ]*\).*/\1/p' <<<"$SUMMARY")
COMP_GAIN=$(sed -n 's/.*completion_gain_percent=\([^ ]*\).*/\1/p' <<<"$SUMMARY")
T_ERR=$(sed -n 's/.*target_err=\([^ ]*\).*/\1/p' <<<"$SUMMARY" | tr _ ' ')
T_COMP=$(sed -n 's/.*target_completion=\([^ ]*\).*/\1/p' <<<"$SUMMARY" | tr _ ' ')

# The kept notes (### Notes of the section), else the defaults below.
NOTES=
if [ -f "$OUT" ]; then
    NOTES=$(awk -v h="$HEADING" '$0 == h { in_s = 1; next } in_s && /^## / { exit }
        in_s && /^### Notes/ { on = 1 } on { print }' "$OUT")
fi
if [ -z "$NOTES" ]; then
    NOTES=$(cat <<'EOF'
### Notes

* Metrics per sprint: committed = tasks the sprint held at close (completed + returned to the
  backlog), completed = tasks at 100 %. "Realised capacity" = ⌊Σ of the sprint's daily work
  budgets / 100⌋ (the `simulated_work_points` of its scrums): what the team could have finished
  with enough tasks. |committed − completed| alone rewards committing too little (it is 0
  whenever the team finishes everything), so the table also shows tasks completed per sprint
  and |committed − realised capacity|.
EOF
)
fi

section=$(mktemp)
{
    echo "$HEADING"
    echo
    echo "Measured by \`make bench-decisions\` (tests/bench/bench_decisions.sh), which rewrites this"
    echo "section on every run (its **Notes** subsection is kept)."
    echo
    echo "* Date: $DATE; revision $GIT_REV; $ELAPSED s in all"
    echo "* Machine: ${CPU_MODEL:-?}; $CPU_COUNT CPU(s); RAM $RAM; $OS; PostgreSQL with \`DSM_PG_FAST=1\`"
    echo "  (fsync off); load average before the run: $LOAD_BEFORE"
    echo "* World (seed $SEED, identical in both runs): $PROJECTS projects × $SPRINTS one-week sprints from the"
    echo "  week of $START (5 scrum days a week; federal holidays skip their scrum), teams of 2–6, hidden"
    echo "  nominal capacity 3–9 tasks per full-team week (points per member and day = round(100 ·"
    echo "  capacity / (5 · team)), ±$VAR % per day), PTO: in $PTO % of the weeks one member is away 1–3 days."
    echo "  Backlog: the ten template tasks, back to the backlog before every decision (B4), so the"
    echo "  rules always commit min(10, max_tasks_per_sprint = 10) = 10."
    echo "* Run A: decision mode \`${MODE_LIST[0]}\`; run B: \`${MODE_LIST[1]}\` (advise sources of"
    echo "  docs/ORCHESTRATOR.md §6), set per project by O22 with its defaults (confidence threshold 0.75,"
    echo "  3 pieces of evidence; the rest of the gate as §4); each on fresh databases;"
    echo "  \`POST /strategy/evolve\` (the daily run) after every sprint round."
    echo
    echo "### Results"
    echo
    echo "$TABLES"
    echo
    echo "Decision latency on the first fresh stack, 200 sequential decisions that execute nothing"
    echo "(tests/bench/bench_decision_latency.sh; the four local sources, no LLM; target p50 ≤ 10 ms):"
    echo "\`${LATENCY:-not measured}\`."
    echo
    echo "Targets (issue 6, last 3 sprints, B vs A): mean |committed − completed| ≥ 20 % lower — measured"
    echo "${ERR_RED:-?} % lower: **${T_ERR:-?}**; completion rate ≥ 10 % higher — measured ${COMP_GAIN:-?} %: **${T_COMP:-?}**."
    if [ ${#FAILED[@]} -gt 0 ]; then
        echo
        echo "Failed requests during the runs (their sprints are left out of the tables):"
        echo
        printf '* %s\n' "${FAILED[@]}"
    fi
    echo
    echo "### Commands"
    echo
    echo '```'
    echo "make bench-decisions    # = make deps all && tests/bench/bench_decisions.sh"
    echo "cc ${CFLAGS_SIM[*]} -o \$DSM_VAR/bench/sim_decisions tests/bench/sim_decisions.c -lcurl -ljson-c -lm"
    echo "export DSM_VAR=\$PWD/var/bench-decisions DSM_PORT=$DSM_PORT DSM_PG_PORT=$DSM_PG_PORT DSM_PGB_PORT=$DSM_PGB_PORT \\"
    echo "       DSM_REDIS_PORT=$DSM_REDIS_PORT DSM_POOL_PORT=$DSM_POOL_PORT DSM_PG_FAST=1"
    for mode in "${MODE_LIST[@]}"; do
        echo "core/tools/stack.sh stop; rm -rf \$DSM_PG_HOME/pg \$DSM_VAR/redis"
        echo "core/tools/stack.sh start && core/tools/migrate.sh && core/tools/seed.sh && core/tools/stack.sh wait"
        echo "\$DSM_VAR/bench/sim_decisions run --url $URL --mode $mode --seed $SEED --projects $PROJECTS \\"
        echo "    --sprints $SPRINTS --start $START --pto-percent $PTO --variation $VAR --out \$DSM_VAR/bench/$mode.tsv"
    done
    echo "core/tools/stack.sh stop"
    echo "\$DSM_VAR/bench/sim_decisions report \$DSM_VAR/bench/${MODE_LIST[0]}.tsv \$DSM_VAR/bench/${MODE_LIST[1]}.tsv"
    echo '```'
    echo
    echo "One TSV row per sprint stays in \`var/bench-decisions/bench/<mode>.tsv\` (columns in"
    echo "tests/bench/sim_decisions.c)."
    echo
    echo "$NOTES"
} >"$section"

# Replace the section (from its heading to the next "## " heading) or append it; re-read the
# file right before writing, since another script may have rewritten it meanwhile.
tmp=$(mktemp "$OUT.XXXXXX")
if [ -f "$OUT" ] && grep -qxF "$HEADING" "$OUT"; then
    awk -v h="$HEADING" -v f="$section" '
        $0 == h { while ((getline l < f) > 0) print l; skip = 1; next }
        skip && /^## / { skip = 0; print ""; }
        !skip { print }' "$OUT" >"$tmp"
else
    { [ -f "$OUT" ] && cat "$OUT" && echo; cat "$section"; } >"$tmp"
fi
chmod 644 "$tmp"
mv -f "$tmp" "$OUT"
rm -f "$section"

say "done in $ELAPSED s; section \"$HEADING\" written to ${OUT#"$ROOT"/}"
printf '%s\n' "$TABLES" "$SUMMARY"
