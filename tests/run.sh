#!/usr/bin/env bash
# tests/run.sh — the test runner behind `make test` (which builds first).
#
# Starts a separate test stack (own DSM_VAR and ports, never the dev stack), loads the schema and
# the demo data, then runs build/tests/unit, build/tests/integration and every tests/load/*.sh.
# Each component prints `N passed, N failed` as its last line; its output is shown and kept in
# $DSM_VAR/log/test-<name>.log. A component that crashes, times out or prints no summary counts
# as 1 failed. The test stack is always stopped (trap). The very last line is the total
# `N passed, N failed`; the exit status is 1 when anything failed.
#
# Bounded: every step has a timeout and the whole run a budget (DSM_TEST_BUDGET seconds, 720 by
# default), so it ends well under 15 minutes even when something hangs.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

DSM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
export DSM_ROOT
export DSM_VAR=$DSM_ROOT/var/test
export DSM_CONSUMER_IDLE_MS=3000   # reclaim a killed instance's pending stream entries quickly
export DSM_PORT=18080 DSM_ADMIN_PORT=18081
export DSM_PG_PORT=15544 DSM_PGB_PORT=16544 DSM_REDIS_PORT=16380 DSM_POOL_PORT=19100
export DSM_PG_FAST=1
export DSM_TEST_URL=http://127.0.0.1:$DSM_PORT DSM_TEST_ADMIN_URL=http://127.0.0.1:$DSM_ADMIN_PORT
# values derived from another stack's DSM_VAR must be derived again for this one
unset _DSM_DERIVED_FROM DSM_PG_HOME DSM_PG_SOCK
# shellcheck source=../core/tools/env.sh
. "$DSM_ROOT/core/tools/env.sh"

budget=${DSM_TEST_BUDGET:-720}
tools=$DSM_ROOT/core/tools
logdir=$DSM_VAR/log
stack_log=$logdir/test-stack.log
total_pass=0
total_fail=0
failures=()
stack_tried=0
finished=0

mkdir -p "$logdir"
: >"$stack_log"

# Test-only plugins loaded into both project instances (tests/integration/test_swap.c and
# test_consumer.c): the intelligence plugin "echo" from a private copy the swap test replaces,
# and the stream-consumer plugin "probe".
export DSM_TEST_PLUGINS=$DSM_BUILD/test-plugins
export DSM_TEST_REDIS_PORT=$DSM_REDIS_PORT
DSM_EXTRA_PLUGINS=
if [ -f "$DSM_TEST_PLUGINS/intel_echo.so" ]; then
    mkdir -p "$DSM_VAR/test-plugins"
    cp -f "$DSM_TEST_PLUGINS/intel_echo.so" "$DSM_VAR/test-plugins/intel_echo.so.tmp"
    mv -f "$DSM_VAR/test-plugins/intel_echo.so.tmp" "$DSM_VAR/test-plugins/intel_echo.so"
    export DSM_TEST_ECHO_SO=$DSM_VAR/test-plugins/intel_echo.so
    DSM_EXTRA_PLUGINS="echo=$DSM_TEST_ECHO_SO"
fi
if [ -f "$DSM_TEST_PLUGINS/svc_probe.so" ]; then
    DSM_EXTRA_PLUGINS="${DSM_EXTRA_PLUGINS:+$DSM_EXTRA_PLUGINS }probe=$DSM_TEST_PLUGINS/svc_probe.so"
fi
export DSM_EXTRA_PLUGINS

say() { printf '\n=== %s\n' "$*"; }

# Seconds left in the budget, at least 0.
remaining() {
    local left=$((budget - SECONDS))
    [ "$left" -gt 0 ] || left=0
    echo "$left"
}

# limit WANTED — the timeout for the next step: WANTED, cut to what is left of the budget.
limit() {
    local left
    left=$(remaining)
    if [ "$1" -lt "$left" ]; then echo "$1"; else echo "$left"; fi
}

# stack_step NAME SECONDS CMD… — one set-up step of the test stack, output into test-stack.log.
stack_step() {
    local name=$1 secs rc
    secs=$(limit "$2")
    shift 2
    say "stack: $name"
    if [ "$secs" -lt 5 ]; then
        echo "out of time budget before: $name" | tee -a "$stack_log"
        return 1
    fi
    set +e
    timeout --kill-after=10 "$secs" "$@" 2>&1 | tee -a "$stack_log"
    rc=${PIPESTATUS[0]}
    set -e
    [ "$rc" -eq 0 ] || echo "stack step '$name' failed (exit $rc)" | tee -a "$stack_log"
    return "$rc"
}

# component NAME SECONDS CMD… — run one test component and add its summary to the totals.
component() {
    local name=$1 secs rc line p f
    local log=$logdir/test-$name.log
    secs=$(limit "$2")
    shift 2
    say "$name: $*"
    if [ "$secs" -lt 5 ]; then
        echo "out of time budget: $name not run" | tee "$log"
        failures+=("$name: not run, out of time budget")
        total_fail=$((total_fail + 1))
        return 0
    fi
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "missing: $* — counted as 1 failed" | tee "$log"
        total_fail=$((total_fail + 1))
        return 0
    fi
    set +e
    timeout --kill-after=10 "$secs" "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
    if [ -z "$line" ]; then
        echo "$name: no summary line (exit $rc) — counted as 1 failed" | tee -a "$log"
        failures+=("$name: no summary line (exit $rc)" "  $(tail -n 1 "$log")")
        total_fail=$((total_fail + 1))
        return 0
    fi
    p=${line%% passed*}
    f=${line#*passed, }
    f=${f%% failed}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "$name: exit $rc with 0 failed — counted as 1 failed" | tee -a "$log"
        f=1
    fi
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "$name: timed out after ${secs}s" | tee -a "$log"
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    if [ "$f" -gt 0 ]; then
        failures+=("$name: $f failed")
        while IFS= read -r line; do
            failures+=("  $line")
        done < <(grep -aE '^(FAIL|FAILED)[: ]' "$log" | head -n 20 || true)
    fi
}

finish() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [ -n "${standin_pid:-}" ]; then
        kill "$standin_pid" 2>/dev/null
        wait "$standin_pid" 2>/dev/null
    fi
    if [ "$stack_tried" -eq 1 ]; then
        say "stack: stop"
        timeout --kill-after=10 60 "$tools/stack.sh" stop 2>&1 | tee -a "$stack_log"
        if [ "${PIPESTATUS[0]}" -ne 0 ]; then
            echo "stack stop failed"
            total_fail=$((total_fail + 1))
        fi
    fi
    if [ "$finished" -ne 1 ]; then
        echo "test run aborted (exit $rc) — counted as 1 failed"
        total_fail=$((total_fail + 1))
    fi
    if [ "${#failures[@]}" -gt 0 ]; then
        echo
        echo "failures (full logs in $logdir):"
        printf '%s\n' "${failures[@]}"
    fi
    echo "$total_pass passed, $total_fail failed"
    [ "$total_fail" -eq 0 ] && exit 0
    exit 1
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The Ollama stand-in (tests/standin/ollama_standin.c): the advisor and the memory plugin's
# embedding client talk real HTTP to it; stack.sh passes DSM_OLLAMA_URL to the pools.
standin=$DSM_BUILD/tests/standin/ollama_standin
standin_pid=
if [ -x "$standin" ]; then
    mkdir -p "$DSM_VAR/run"
    rm -f "$DSM_VAR/run/ollama.port"
    "$standin" --port 0 --port-file "$DSM_VAR/run/ollama.port" --quiet \
        >"$logdir/ollama-standin.log" 2>&1 &
    standin_pid=$!
    for _ in $(seq 50); do
        [ -s "$DSM_VAR/run/ollama.port" ] && break
        sleep 0.1
    done
    if [ -s "$DSM_VAR/run/ollama.port" ]; then
        DSM_OLLAMA_URL=http://127.0.0.1:$(head -1 "$DSM_VAR/run/ollama.port")
        export DSM_OLLAMA_URL
    fi
fi

say "test stack: DSM_VAR=$DSM_VAR port $DSM_PORT (admin $DSM_ADMIN_PORT), logs in $logdir"
stack_tried=1
stack_ok=1
# a clean slate: a test stack left over by an interrupted run would keep old plugins loaded
stack_step "stop leftovers" 60 "$tools/stack.sh" stop || true
# fresh databases every run, so results never depend on what an earlier run left behind
# (DSM_TEST_KEEP_DATA=1 keeps them, for debugging)
if [ "${DSM_TEST_KEEP_DATA:-0}" != 1 ] && [ -n "${DSM_PG_HOME:-}" ]; then
    rm -rf "${DSM_PG_HOME:?}/pg"
fi
if ! stack_step start 180 "$tools/stack.sh" start ||
    ! stack_step migrate 60 "$tools/migrate.sh" ||
    ! stack_step seed 60 "$tools/seed.sh" ||
    ! stack_step wait 75 "$tools/stack.sh" wait; then
    stack_ok=0
fi

component unit 120 "$DSM_BUILD/tests/unit"

if [ "$stack_ok" -eq 1 ]; then
    component integration 180 "$DSM_BUILD/tests/integration"
    for t in "$DSM_ROOT"/tests/load/*.sh; do
        [ -e "$t" ] || continue
        component "load-$(basename "$t" .sh)" 90 bash "$t"
    done
else
    echo "the test stack did not come up (see $stack_log): integration and load tests not run"
    total_fail=$((total_fail + 1))
fi

finished=1
