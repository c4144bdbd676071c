#!/usr/bin/env bash
# tests/load/chronicle_fault.sh — no audit note is lost when PgBouncer or Redis goes away
# during the chronicle's event run. Events (STRATEGY_APPLIED on orchestration_events) are
# published while PgBouncer is stopped (the chronicle's handler answers DSM_RETRY, the entries
# stay pending and are claimed again) and just before Redis is shut down and restarted (the
# streams survive through the append-only file; the consumers reconnect). Every event must end
# up as exactly one note. Prints `N passed, N failed` last.
set -euo pipefail

# shellcheck source=lib/stack_env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/stack_env.sh"

url=http://127.0.0.1:$DSM_PORT
project=FLT-$$-$(date +%s)
per_phase=40
# shellcheck source=lib/tally.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/tally.sh"
rcli() { redis-cli -h 127.0.0.1 -p "$DSM_REDIS_PORT" "$@"; }

if [ ! -f "$DSM_VAR/run/chronicle-1.pid" ]; then
    bad "no chronicle pool in this stack"
    exit 1
fi
publish() { # phase count
    local i
    for ((i = 1; i <= $2; i++)); do
        rcli XADD orchestration_events '*' data "{\"event_id\":\"$project-$1-$i\",\"event_type\":\"STRATEGY_APPLIED\",\"timestamp\":\"2026-01-01T00:00:00\",\"correlation_id\":\"$project\",\"project_id\":\"$project\",\"payload\":{\"strategy_id\":\"s-$i\",\"phase\":\"$1\"}}" >/dev/null
    done
}
notes() {
    curl -s -m 10 "$url/v1/notes/decision_audit?project_id=$project" | grep -o "\"event_id\":\"$project-[a-z]*-[0-9]*\"" | sort -u | wc -l
}
rows() {
    curl -s -m 10 "$url/v1/notes/decision_audit?project_id=$project" | grep -o "\"event_id\":\"$project-" | wc -l
}

# --- PgBouncer away while events arrive
pgb_pidfile=$DSM_PG_HOME/pgbouncer/pgbouncer.pid
pgb=$(cat "$pgb_pidfile" 2>/dev/null || true)
if [ -n "$pgb" ] && kill "$pgb" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pgb" 2>/dev/null || break; sleep 0.1; done
    ok "PgBouncer stopped (pid $pgb)"
else
    bad "could not stop PgBouncer (pid file $pgb_pidfile)"
fi
publish pgb "$per_phase"
sleep 4
"$DSM_ROOT/core/tools/stack.sh" start >/dev/null 2>&1 || true
ok "PgBouncer started again"

# --- Redis shut down (append-only file) and started again right after publishing
publish redis "$per_phase"
rcli SHUTDOWN >/dev/null 2>&1 || true
sleep 1
"$DSM_ROOT/core/tools/stack.sh" start >/dev/null 2>&1 || true
[ "$(rcli PING 2>/dev/null)" = PONG ] && ok "Redis back" || bad "Redis did not come back"

want=$((2 * per_phase))
got=0
for _ in $(seq 1 120); do
    got=$(notes)
    [ "$got" -ge "$want" ] && break
    sleep 0.5
done
if [ "$got" -eq "$want" ]; then ok "all $want events stored as notes"; else bad "$got of $want events stored"; fi
n=$(rows)
if [ "$n" -eq "$want" ]; then ok "each exactly once ($n rows)"; else bad "$n note rows for $want events"; fi
