#!/usr/bin/env bash
# tests/load/reload_under_load.sh — hot swap under load must not lose a single request.
#
# 20 s of `wrk -t2 -c16` on GET /projects/PHE001 of the test stack while 20 reloads are sent
# about 1 s apart, alternating `core/tools/stack.sh reload` (SIGHUP to every instance) and the
# admin endpoint POST /admin/project/<n>/plugins/project/reload (n alternating 2, 1). Checks:
# every reload accepted, 0 non-2xx responses, 0 socket errors, the same pids before and after,
# and each project instance's /admin/status generation grown by exactly its number of reloads
# (10 SIGHUPs + 5 admin reloads = 15). Prints `N passed, N failed` last.
# Defaults to the test stack of tests/run.sh; any DSM_* / DSM_TEST_* in the environment wins.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib/stack_env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/stack_env.sh"

url=${DSM_TEST_URL:-http://127.0.0.1:$DSM_PORT}
admin=${DSM_TEST_ADMIN_URL:-http://127.0.0.1:$DSM_ADMIN_PORT}
here=$DSM_ROOT/tests/load
duration=20
reloads=20
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
# check DESCRIPTION CMD… — one assertion
check() {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else bad "$desc"; fi
}
nonempty2() { [ -n "$1" ] && [ -n "$2" ]; }
same_nonempty() { [ -n "$1" ] && [ "$1" = "$2" ]; }
summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# status_field N FIELD — a top-level integer of instance N's /admin/status (empty if none).
status_field() {
    curl -s --max-time 5 "$admin/admin/project/$1/status" |
        grep -o "\"$2\":[0-9]*" | head -n 1 | cut -d: -f2 || true
}
# counter NAME — a dsm_NAME line printed by count.lua (empty if absent).
counter() {
    awk -v k="dsm_$1" '$1 == k { print $2 }' "$work/wrk.out" | tail -n 1
}

echo "reload under load: $url/projects/PHE001, admin $admin"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/projects/PHE001" || true)
if [ "$code" != 200 ]; then
    bad "GET /projects/PHE001 answers 200 before the load (got ${code:-nothing})"
    summary
    exit 1
fi
declare -A gen0 pid0 want
for n in 1 2; do
    gen0[$n]=$(status_field "$n" generation)
    pid0[$n]=$(status_field "$n" pid)
    want[$n]=0
    check "instance project-$n reports generation (${gen0[$n]:-none}) and pid (${pid0[$n]:-none})" \
        nonempty2 "${gen0[$n]}" "${pid0[$n]}"
done

wrk -t2 -c16 -d"${duration}s" -s "$here/count.lua" "$url/projects/PHE001" >"$work/wrk.out" 2>&1 &
wrk_pid=$!
sleep 0.5

sighup_ok=0
admin_ok=0
for i in $(seq 1 "$reloads"); do
    if [ $((i % 2)) -eq 1 ]; then
        if "$DSM_ROOT/core/tools/stack.sh" reload >"$work/reload.out" 2>&1; then
            sighup_ok=$((sighup_ok + 1))
        else
            echo "stack.sh reload failed: $(tail -n 3 "$work/reload.out")"
        fi
        want[1]=$((want[1] + 1))
        want[2]=$((want[2] + 1))
    else
        n=$(((i / 2) % 2 + 1))
        code=$(curl -s -o "$work/admin.out" -w '%{http_code}' --max-time 10 -X POST \
            "$admin/admin/project/$n/plugins/project/reload" || true)
        if [ "$code" = 200 ]; then
            admin_ok=$((admin_ok + 1))
        else
            echo "admin reload of project-$n: HTTP ${code:-none} $(head -c 300 "$work/admin.out")"
        fi
        want[$n]=$((want[$n] + 1))
    fi
    sleep 0.9
done
check "$((reloads / 2)) SIGHUP reloads sent ($sighup_ok succeeded)" test "$sighup_ok" -eq $((reloads / 2))
check "$((reloads / 2)) admin reloads answered 200 ($admin_ok)" test "$admin_ok" -eq $((reloads / 2))

wrk_rc=0
wait "$wrk_pid" || wrk_rc=$?
wrk_pid=
cat "$work/wrk.out"
check "wrk ran (exit $wrk_rc)" test "$wrk_rc" -eq 0
requests=$(counter requests)
non2xx=$(counter non2xx)
sockerr=$(counter socket_errors)
check "wrk completed requests (${requests:-none})" test "${requests:-0}" -gt 0
check "0 non-2xx responses (${non2xx:-unknown})" test "${non2xx:-1}" -eq 0
check "0 socket errors (${sockerr:-unknown})" test "${sockerr:-1}" -eq 0
check "wrk reports no non-2xx/3xx line" sh -c "! grep -q 'Non-2xx or 3xx responses' '$work/wrk.out'"

sleep 1 # a SIGHUP reload finishes asynchronously
for n in 1 2; do
    g=$(status_field "$n" generation)
    p=$(status_field "$n" pid)
    check "project-$n still the same process (pid ${pid0[$n]:-?} -> ${p:-?})" \
        same_nonempty "$p" "${pid0[$n]}"
    if [ -n "$g" ] && [ -n "${gen0[$n]}" ]; then
        check "project-$n generation ${gen0[$n]} -> $g (+$((g - gen0[$n])), want +${want[$n]})" \
            test $((g - gen0[$n])) -eq "${want[$n]}"
    else
        bad "project-$n generation readable before (${gen0[$n]:-none}) and after (${g:-none})"
    fi
done

summary
