#!/usr/bin/env bash
# tests/load/consumer_kill.sh — a stream consumer killed mid-stream loses nothing and applies
# nothing twice. 20,000 TASK_UPDATED events go to task_update_events (tests/bench/
# bench_events.sh, which waits until the backlog's consumer group has read and acknowledged
# everything and then checks that every task holds the progress of the last event sent to it);
# one second in, backlog-1 is killed with SIGKILL and started again. Its unacknowledged entries
# are taken over by backlog-2 (XAUTOCLAIM after consumer_idle_ms) or re-read by the restarted
# instance (its own pending list). Afterwards the backlog's event inbox must have grown by
# exactly the number of events: none lost, none applied twice. Prints `N passed, N failed`.
set -euo pipefail

# shellcheck source=lib/stack_env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/stack_env.sh"

N=20000
# shellcheck source=lib/tally.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/tally.sh"

if [ ! -f "$DSM_VAR/run/backlog-1.pid" ]; then
    bad "no backlog pool in this stack"
    exit 1
fi
inbox() { dsm_psql backlog_db -Atc 'SELECT count(*) FROM event_inbox'; }
before=$(inbox)
out=$(mktemp)
BENCH_EVENTS=$N BENCH_EV_TIMEOUT=180 "$DSM_ROOT/tests/bench/bench_events.sh" >"$out" 2>"$out.err" &
bench=$!
sleep 1
victim=$(cat "$DSM_VAR/run/backlog-1.pid")
kill -9 "$victim" 2>/dev/null && echo "killed backlog-1 (pid $victim) mid-stream"
sleep 0.5
"$DSM_ROOT/core/tools/stack.sh" start >/dev/null 2>&1 || true
if [ "$(cat "$DSM_VAR/run/backlog-1.pid" 2>/dev/null)" != "$victim" ]; then
    ok "backlog-1 restarted"
else
    bad "backlog-1 was not restarted"
fi
if wait "$bench"; then
    ok "all $N events consumed, final task state consistent: $(cat "$out")"
else
    bad "bench_events failed: $(tail -3 "$out.err" | tr '\n' ' ')"
fi
after=$(inbox)
if [ $((after - before)) -eq "$N" ]; then
    ok "event inbox grew by exactly $N (no loss, no double application)"
else
    bad "event inbox grew by $((after - before)), want $N"
fi
rm -f "$out" "$out.err"
