#!/usr/bin/env bash
# tests/bench/bench_events.sh — TASK_UPDATED events applied per second by the Backlog service's
# consumer (issue 5 target: >= 5,000/s), against a RUNNING stack (it starts nothing).
#
# 1. Creates BENCH_EV_PROJECTS projects "bench-ev-NN" through the Project service (an existing
#    one is fine) and generates their backlogs (POST /backlogs/{id}: 10 tasks each).
# 2. Writes BENCH_EVENTS TASK_UPDATED messages (the Sprint service's document, api.md §8.1;
#    a unique event_id each, tasks in round-robin, progress = i % 101) in Redis protocol and
#    sends them with one `redis-cli --pipe` to task_update_events.
# 3. From just before the pipe until the consumer group "backlog-service" has read everything
#    (last-delivered-id = the stream's last-generated-id) and has nothing pending (XINFO
#    GROUPS) — polled every 20 ms — is the measured time: events/s = BENCH_EVENTS / time.
# 4. Checks the effect: every task holds the progress of the LAST event sent for it (the
#    consumer skips older messages handled out of order by the two instances).
# Prints progress on stderr and, on stdout, one result line:
#   events=50000 seconds=6.123 events_per_s=8166 pipe_seconds=0.412 consistent=yes
# Exit 1 when the stack is not there, the group is not drained within BENCH_EV_TIMEOUT seconds,
# or the final state is inconsistent.
#
# Settings (environment): BENCH_EVENTS (50000), BENCH_EV_PROJECTS (10), BENCH_EV_TIMEOUT (300),
# DSM_PORT / DSM_REDIS_PORT (the stack's, via core/tools/env.sh; the bench stack of
# tests/bench/bench.sh uses 28080 / 26380).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$BENCH_DIR/../.." && pwd -P)
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=core/tools/env.sh
. "$ROOT/core/tools/env.sh"

N=${BENCH_EVENTS:-50000}
NPROJ=${BENCH_EV_PROJECTS:-10}
TIMEOUT=${BENCH_EV_TIMEOUT:-300}
URL=http://127.0.0.1:$DSM_PORT
STREAM=task_update_events
GROUP=backlog-service
RUN=$$-$(date +%s)

say() { printf 'bench_events: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
rcli() { redis-cli -h 127.0.0.1 -p "$DSM_REDIS_PORT" "$@"; }

for v in N NPROJ TIMEOUT; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v='${!v}' must be a positive number"
done
command -v redis-cli >/dev/null 2>&1 || die "redis-cli is not installed"
command -v curl >/dev/null 2>&1 || die "curl is not installed"
[ "$(rcli PING 2>/dev/null)" = PONG ] || die "no Redis on 127.0.0.1:$DSM_REDIS_PORT"
code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$URL/backlog/health/ready" || true)
[ "$code" = 200 ] || die "$URL/backlog/health/ready answered ${code:-nothing}: start the stack"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-events.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ---------------------------------------------------------------- 1. projects and backlogs
PROJECTS=()
for ((p = 1; p <= NPROJ; p++)); do
    pid=$(printf 'bench-ev-%02d' "$p")
    code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        --data "{\"id\":\"$pid\",\"name\":\"bench events\",\"description\":\"bench\",\"status\":\"inactive\"}" \
        "$URL/projects" || true)
    [ "$code" = 201 ] || [ "$code" = 409 ] || die "POST /projects ($pid) answered ${code:-nothing}"
    code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' -X POST "$URL/backlogs/$pid" || true)
    [ "$code" = 201 ] || die "POST /backlogs/$pid answered ${code:-nothing}"
    PROJECTS+=("$pid")
done
NTASKS=$((NPROJ * 10))
say "$NPROJ projects, $NTASKS tasks; writing $N TASK_UPDATED messages"

# ---------------------------------------------------------------- 2. the messages (RESP)
# Task k (0..NTASKS-1) = project k/10, task number k%10+1; message i goes to task i % NTASKS.
LC_ALL=C awk -v n="$N" -v ntasks="$NTASKS" -v run="$RUN" -v projects="${PROJECTS[*]}" '
BEGIN {
    np = split(projects, proj, " ")
    for (i = 0; i < n; i++) {
        k = i % ntasks
        pid = proj[int(k / 10) + 1]
        tid = sprintf("%s-TASK%03d", pid, k % 10 + 1)
        prog = i % 101
        st = prog == 100 ? "completed" : "in_progress"
        doc = sprintf("{\"event_id\":\"bench-%s-%d\",\"event_type\":\"TASK_UPDATED\"," \
            "\"timestamp\":\"2025-09-18T14:00:04.918273\",\"aggregate_id\":\"%s\"," \
            "\"aggregate_type\":\"Task\",\"event_data\":{\"task_id\":\"%s\",\"project_id\":\"%s\"," \
            "\"sprint_id\":\"%s-S01\",\"status\":\"%s\",\"progress_percentage\":%d," \
            "\"updated_at\":\"2025-09-18T14:00:04.918301\",\"assigned_to\":\"E%03d\"}," \
            "\"metadata\":{\"source_service\":\"SprintService\",\"correlation_id\":\"bench-%s\"}}",
            run, i, tid, tid, pid, pid, st, prog, k % 100 + 1, run)
        printf "*5\r\n$4\r\nXADD\r\n$%d\r\n%s\r\n$1\r\n*\r\n$4\r\ndata\r\n$%d\r\n%s\r\n",
            length("task_update_events"), "task_update_events", length(doc), doc
    }
}' >"$TMP/events.resp"

# The progress each task must end with: that of the last message sent to it.
LC_ALL=C awk -v n="$N" -v ntasks="$NTASKS" -v projects="${PROJECTS[*]}" '
BEGIN {
    split(projects, proj, " ")
    for (k = 0; k < ntasks && k < n; k++) {
        last = k + int((n - 1 - k) / ntasks) * ntasks
        printf "%s-TASK%03d %d\n", proj[int(k / 10) + 1], k % 10 + 1, last % 101
    }
}' | sort >"$TMP/want.txt"

# ---------------------------------------------------------------- 3. send and wait
drained() {  # the group read everything and acknowledged everything
    local g s pending delivered last
    g=$(rcli XINFO GROUPS "$STREAM")
    s=$(rcli XINFO STREAM "$STREAM")
    pending=$(awk -v grp="$GROUP" 'prev == "name" { cur = $0 } cur == grp && prev == "pending" { print; exit } { prev = $0 }' <<<"$g")
    delivered=$(awk -v grp="$GROUP" 'prev == "name" { cur = $0 } cur == grp && prev == "last-delivered-id" { print; exit } { prev = $0 }' <<<"$g")
    last=$(awk 'prev == "last-generated-id" { print; exit } { prev = $0 }' <<<"$s")
    [ "$pending" = 0 ] && [ -n "$delivered" ] && [ "$delivered" = "$last" ]
}
now() { date +%s.%N; }

t0=$(now)
rcli --pipe <"$TMP/events.resp" >"$TMP/pipe.txt" 2>&1 || { cat "$TMP/pipe.txt" >&2; die "redis-cli --pipe failed"; }
t1=$(now)
say "sent in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') s; waiting for the consumer group"
deadline=$(awk -v a="$t0" -v t="$TIMEOUT" 'BEGIN { printf "%d", a + t }')
until drained; do
    [ "$(date +%s)" -lt "$deadline" ] || die "group $GROUP not drained after $TIMEOUT s: $(rcli XINFO GROUPS "$STREAM" | tr '\n' ' ')"
    sleep 0.02
done
t2=$(now)

# ---------------------------------------------------------------- 4. the effect
for pid in "${PROJECTS[@]}"; do
    curl -s -m 10 "$URL/backlogs/$pid" | grep -o '"task_id":"[^"]*"\|"progress_percentage":[0-9]*' |
        paste - - | sed 's/"task_id":"\([^"]*\)"\t"progress_percentage":\([0-9]*\)/\1 \2/'
done | sort >"$TMP/got.txt"
consistent=yes
if ! cmp -s "$TMP/want.txt" "$TMP/got.txt"; then
    consistent=no
    say "final task progress differs from the last event sent (want < > got):"
    diff "$TMP/want.txt" "$TMP/got.txt" | head -n 10 >&2 || true
fi

awk -v n="$N" -v a="$t0" -v b="$t1" -v c="$t2" -v ok="$consistent" 'BEGIN {
    s = c - a
    rate = s > 0 ? n / s : 0
    printf "events=%d seconds=%.3f events_per_s=%.0f pipe_seconds=%.3f consistent=%s\n", n, s, rate, b - a, ok
}'
[ "$consistent" = yes ]
