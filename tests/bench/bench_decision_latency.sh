#!/usr/bin/env bash
# tests/bench/bench_decision_latency.sh — decision latency of the orchestrator (issue 6: p50 ≤ 10 ms
# with the four local intelligence plugins, no LLM), against a RUNNING stack (it starts nothing).
#
#   tests/bench/bench_decision_latency.sh [N]        (N = BENCH_DECISIONS, default 200)
#
# Prints one line on stdout:  decision_p50_ms=… decision_p95_ms=…
# (wall time of POST /orchestrate/project/{id} through nginx, as curl measures it, one request at
# a time); the details go to stderr: the server's own performance_metrics.decision_ms
# percentiles, and each source's status in the last decision.
#
# The project (BENCH_LATENCY_PROJECT, default bench-latency) is created when absent, with a team
# of three new employees and the ten-task backlog (B4), and put in decision mode
# learning_enhanced (O22): every decision runs the baseline pass (rules) and the advise pass
# (chronicle, episodes, strategy); the advisor (the LLM) stays out unless the pool has an
# Ollama URL configured. The options execute nothing — create_sprint_if_needed, assign_tasks and
# create_cronjob false — so every decision perceives, decides and stores its episode but creates
# no sprint. 10 warm-up decisions run first (not counted).
#
# Environment: the stack's variables (core/tools/env.sh: DSM_PORT …) or BENCH_URL (default
# http://127.0.0.1:$DSM_PORT). Exit status 1 when the stack does not answer or a decision fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=core/tools/env.sh
. "$ROOT/core/tools/env.sh"

N=${1:-${BENCH_DECISIONS:-200}}
URL=${BENCH_URL:-http://127.0.0.1:$DSM_PORT}
PID=${BENCH_LATENCY_PROJECT:-bench-latency}
WARMUP=10
OPTS='{"options":{"create_sprint_if_needed":false,"assign_tasks":false,"create_cronjob":false}}'

say() { printf 'decision-latency: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[[ $N =~ ^[1-9][0-9]*$ ]] || die "N='$N' must be a positive number"
[[ $PID =~ ^[A-Za-z0-9_-]{1,40}$ ]] || die "BENCH_LATENCY_PROJECT='$PID' must be 1-40 of [A-Za-z0-9_-]"
command -v curl >/dev/null 2>&1 || die "curl is not installed"

# req METHOD PATH [BODY] — prints "<status>" (body in $TMP/body)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
req() {
    curl -s -o "$TMP/body" -w '%{http_code}' -m 30 -X "$1" -H 'Content-Type: application/json' \
        ${3:+--data "$3"} "$URL$2" || echo 000
}

[ "$(req GET /orchestrator/health)" = 200 ] || die "the orchestrator pool does not answer at $URL"

# the project, its team and backlog (idempotent)
if [ "$(req GET "/projects/$PID")" != 200 ]; then
    code=$(req POST /projects "{\"id\":\"$PID\",\"name\":\"Decision latency\",\"description\":\"bench\",\"status\":\"active\"}")
    [ "$code" = 201 ] || die "POST /projects → $code: $(cat "$TMP/body")"
fi
ids=
for m in 1 2 3; do
    code=$(req POST /employees "{\"employee_id\":\"$PID-E$m\",\"name\":\"Latency member $m\"}")
    [ "$code" = 201 ] || [ "$code" = 409 ] || [ "$code" = 200 ] || die "POST /employees → $code: $(cat "$TMP/body")"
    ids="$ids${ids:+,}\"$PID-E$m\""
done
code=$(req POST "/projects/$PID/team-members-assign" "{\"employee_ids\":[$ids]}")
[ "$code" = 200 ] || die "team-members-assign → $code: $(cat "$TMP/body")"
code=$(req POST "/backlogs/$PID")
[ "$code" = 201 ] || die "POST /backlogs/$PID → $code: $(cat "$TMP/body")"
code=$(req POST "/orchestrate/intelligence/project/$PID/decision-mode" '{"mode":"learning_enhanced"}')
[ "$code" = 200 ] || die "decision-mode → $code: $(cat "$TMP/body")"

# the decisions: curl's wall time and the server's decision_ms, one line each
decide() {
    curl -s -o "$TMP/body" -w '%{http_code} %{time_total}\n' -m 30 -X POST \
        -H 'Content-Type: application/json' --data "$OPTS" "$URL/orchestrate/project/$PID" || echo "000 0"
}
for _ in $(seq 1 "$WARMUP"); do decide >/dev/null; done
: >"$TMP/client"
: >"$TMP/server"
failed=0
for _ in $(seq 1 "$N"); do
    read -r code secs < <(decide)
    if [ "$code" != 200 ]; then
        failed=$((failed + 1))
        [ "$failed" -gt 3 ] || say "a decision answered $code: $(head -c 300 "$TMP/body")"
        continue
    fi
    awk -v s="$secs" 'BEGIN { printf "%.3f\n", s * 1000 }' >>"$TMP/client"
    ms=$(grep -o '"decision_ms":[0-9.eE+-]*' "$TMP/body" | head -n 1 | cut -d: -f2 || true)
    [ -z "$ms" ] || echo "$ms" >>"$TMP/server"   # the body ends without a newline
    # where the time went: performance_metrics.stages_ms (its stages and some of their steps:
    # the perception round, the reads after it, the store's POST round and its transaction),
    # one file per name; every name is a key only once in stages_ms
    for stage in perceive parallel schedules history decide store posts transaction total; do
        v=$(grep -o '"stages_ms":.*' "$TMP/body" | grep -o "\"$stage\":[0-9.eE+-]*" |
            head -n 1 | cut -d: -f2 || true)
        [ -z "$v" ] || echo "$v" >>"$TMP/stage-$stage"
    done
done

# pct FILE Q — the Q-quantile (nearest rank) of the numbers in FILE
pct() { sort -n "$1" | awk -v q="$2" '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
    i = int(q * NR); if (i < q * NR) i++; if (i < 1) i = 1; printf "%.2f", v[i] }'; }

if command -v jq >/dev/null 2>&1 && [ -s "$TMP/body" ]; then
    say "sources in the last decision: $(jq -r '[.decisions.intelligence_sources[]? | "\(.source)(\(.phase)):\(.status)"] | join(" ")' "$TMP/body" 2>/dev/null || echo '?')"
fi
say "$N decisions for $PID at $URL, $failed failed; server decision_ms p50=$(pct "$TMP/server" 0.5) p95=$(pct "$TMP/server" 0.95)"
if [ -s "$TMP/stage-total" ]; then
    say "server stages p50 (ms): perceive $(pct "$TMP/stage-perceive" 0.5) (HTTP round $(pct "$TMP/stage-parallel" 0.5), schedules $(pct "$TMP/stage-schedules" 0.5), history $(pct "$TMP/stage-history" 0.5)), decide $(pct "$TMP/stage-decide" 0.5), store $(pct "$TMP/stage-store" 0.5) (POST round $(pct "$TMP/stage-posts" 0.5), transaction $(pct "$TMP/stage-transaction" 0.5)), total $(pct "$TMP/stage-total" 0.5)"
fi
echo "decision_p50_ms=$(pct "$TMP/client" 0.5) decision_p95_ms=$(pct "$TMP/client" 0.95)"
[ "$failed" -eq 0 ]
