#!/usr/bin/env bash
# tests/load/kill_one.sh — losing one pool instance must (almost) not show to clients.
#
# 15 s of `wrk -t2 -c16` on GET /projects/PHE001; after 5 s `kill -9` project-1 (pid from
# $DSM_VAR/run/project-1.pid). nginx retries idempotent requests on project-2, so the failed
# requests (non-2xx + socket errors) must stay under 0.1 % of all. Then the missing instance is
# started again with `core/tools/stack.sh start` (idempotent) and `stack.sh wait`, and must
# answer its admin status. Prints `N passed, N failed` last.
# Defaults to the test stack of tests/run.sh; any DSM_* / DSM_TEST_* in the environment wins.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib/stack_env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/stack_env.sh"

url=${DSM_TEST_URL:-http://127.0.0.1:$DSM_PORT}
admin=${DSM_TEST_ADMIN_URL:-http://127.0.0.1:$DSM_ADMIN_PORT}
here=$DSM_ROOT/tests/load
pidfile=$DSM_VAR/run/project-1.pid
work=$(mktemp -d)
wrk_pid=
passed=0
failed=0

cleanup() {
    if [ -n "$wrk_pid" ] && kill -0 "$wrk_pid" 2>/dev/null; then
        kill "$wrk_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

ok() {
    passed=$((passed + 1))
    echo "ok: $*"
}
bad() {
    failed=$((failed + 1))
    echo "FAIL: $*"
}
check() {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else bad "$desc"; fi
}
nonempty2() { [ -n "$1" ] && [ -n "$2" ]; }
summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
counter() {
    awk -v k="dsm_$1" '$1 == k { print $2 }' "$work/wrk.out" | tail -n 1
}

echo "kill one instance under load: $url/projects/PHE001, victim from $pidfile"
victim=$(cat "$pidfile" 2>/dev/null || true)
if [ -z "$victim" ] || ! kill -0 "$victim" 2>/dev/null; then
    bad "project-1 runs (pid file $pidfile: '${victim:-missing}')"
    summary
    exit 1
fi
ok "project-1 runs as pid $victim"

wrk -t2 -c16 -d15s -s "$here/count.lua" "$url/projects/PHE001" >"$work/wrk.out" 2>&1 &
wrk_pid=$!
sleep 5
kill -9 "$victim"
echo "killed project-1 (pid $victim) at 5 s"

wrk_rc=0
wait "$wrk_pid" || wrk_rc=$?
wrk_pid=
cat "$work/wrk.out"
check "wrk ran (exit $wrk_rc)" test "$wrk_rc" -eq 0
requests=$(counter requests)
non2xx=$(counter non2xx)
sockerr=$(counter socket_errors)
requests=${requests:-0}
lost=$((${non2xx:-0} + ${sockerr:-0}))
check "wrk completed requests ($requests)" test "$requests" -gt 0
check "counters printed (non2xx=${non2xx:-none}, socket errors=${sockerr:-none})" \
    nonempty2 "$non2xx" "$sockerr"
check "failed requests $lost of $requests < 0.1 %" test $((lost * 1000)) -lt "$requests"
check "the killed process is gone" sh -c "! kill -0 $victim 2>/dev/null"

# bring the stack back to full strength for whatever runs next
if timeout 120 "$DSM_ROOT/core/tools/stack.sh" start >"$work/start.out" 2>&1; then
    ok "stack.sh start restarted the missing instance"
else
    bad "stack.sh start: $(tail -n 5 "$work/start.out")"
fi
if timeout 75 "$DSM_ROOT/core/tools/stack.sh" wait >"$work/wait.out" 2>&1; then
    ok "stack.sh wait: every pool ready"
else
    bad "stack.sh wait: $(tail -n 5 "$work/wait.out")"
fi
new=$(cat "$pidfile" 2>/dev/null || true)
check "project-1 runs again with a new pid (${new:-none})" \
    sh -c "[ -n '$new' ] && [ '$new' != '$victim' ] && kill -0 '$new' 2>/dev/null"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$admin/admin/project/1/status" || true)
check "project-1 answers its admin status (HTTP ${code:-none})" test "$code" = 200
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/projects/PHE001" || true)
check "GET /projects/PHE001 answers 200 (HTTP ${code:-none})" test "$code" = 200

summary
