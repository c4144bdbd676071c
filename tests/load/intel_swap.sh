#!/usr/bin/env bash
# tests/load/intel_swap.sh — every intelligence plugin hot-swapped under a load of decisions.
#
# 20 s of `wrk -t2 -c8` POSTing /orchestrate/project/ISWAP01 (a project of its own, created if
# absent, decision mode learning_enhanced so that all five sources answer; options create no
# sprint, assign nothing, schedule nothing — the decision executes nothing). During the run each
# of rules, strategy, chronicle, episodes, advisor in turn is swapped for its 2.0.0 build
# (build/test-plugins/intel_<x>_v2.so copied to a temporary name next to
# $DSM_BUILD/plugins/intel_<x>.so, then renamed over it) and reloaded with
# POST /admin/orchestrator/<n>/plugins/<x>/reload on both instances. Checks: every reload 200,
# 0 non-2xx responses, 0 socket errors, both instances' /admin/status list every source at
# 2.0.0, and decisions made after the swaps name every source at 2.0.0. Then the original
# builds are put back (temporary name + rename) and reloaded, so later tests and `make run`
# use them; a trap does the same on any failure or signal, and the originals are kept in
# $DSM_VAR/intel-swap/ until restored, so a run killed outright is repaired by the next one.
# Skips (`0 passed, 0 failed`) when the orchestrator pool is not running.
# Prints `N passed, N failed` last.
# Defaults to the test stack of tests/run.sh; any DSM_* / DSM_TEST_* in the environment wins.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib/stack_env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/stack_env.sh"

url=${DSM_TEST_URL:-http://127.0.0.1:$DSM_PORT}
admin=${DSM_TEST_ADMIN_URL:-http://127.0.0.1:$DSM_ADMIN_PORT}
here=$DSM_ROOT/tests/load
project=ISWAP01
sources=(rules strategy chronicle episodes advisor)
plugdir=$DSM_BUILD/plugins
v2dir=$DSM_BUILD/test-plugins
keep=$DSM_VAR/intel-swap # originals while swapped
duration=20
first_swap=2             # seconds into the load
swap_gap=3               # seconds between two swaps
body='{"options":{"create_sprint_if_needed":false,"assign_tasks":false,"create_cronjob":false}}'
work=$(mktemp -d)
wrk_pid=
passed=0
failed=0

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
summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
counter() {
    awk -v k="dsm_$1" '$1 == k { print $2 }' "$work/wrk.out" | tail -n 1
}

# put_so SRC DST — copy SRC next to DST under a temporary name, then rename it over DST
# (a running host dlopens private copies; a file is never rewritten in place).
put_so() {
    local tmp
    tmp="$2.swap-$$"
    cp -p "$1" "$tmp" && mv -f "$tmp" "$2"
}
# reload N X — POST the reload of plugin X to orchestrator-N; 0 when answered 200.
reload() {
    local code
    code=$(curl -s -o "$work/reload.out" -w '%{http_code}' --max-time 10 -X POST \
        "$admin/admin/orchestrator/$1/plugins/$2/reload" || true)
    [ "$code" = 200 ] && return 0
    echo "reload of $2 on orchestrator-$1: HTTP ${code:-none} $(head -c 300 "$work/reload.out")"
    return 1
}
# version_of N X — the version orchestrator-N's /admin/status gives plugin X (empty if none).
version_of() {
    curl -s --max-time 5 "$admin/admin/orchestrator/$1/status" |
        grep -o "\"name\":\"$2\",\"version\":\"[^\"]*\"" | head -n 1 |
        sed 's/.*"version":"//; s/"$//' || true
}
# decide FILE — one decision into FILE; prints the HTTP status.
decide() {
    curl -s -o "$1" -w '%{http_code}' --max-time 15 -X POST -H 'Content-Type: application/json' \
        -d "$body" "$url/orchestrate/project/$project" || true
}
# source_versions FILE — "name=version" per entry of the decision's intelligence_sources
# (and contributions) that carries a version.
source_versions() {
    grep -o '"source":"[a-z0-9_]*","version":"[^"]*"' "$1" |
        sed 's/"source":"\([^"]*\)","version":"\([^"]*\)"/\1=\2/' || true
}
# names_as FILE WANT — every source answered, each at its version in WANT ("2.0.0", or "v1":
# the version it had before the swap), and no entry names any other version.
names_as() {
    local x want got
    got=$(source_versions "$1" | sort -u)
    [ -n "$got" ] || return 1
    for x in "${sources[@]}"; do
        want=$2
        [ "$want" = v1 ] && want=${v1[$x]}
        grep -qx "$x=$want" <<<"$got" || return 1
        got=$(grep -vx "$x=$want" <<<"$got" || true)
    done
    [ -z "$got" ]
}

# swap X — keep the original intel_X.so and a copy of the 2.0.0 build in $keep, then put the
# 2.0.0 build in place.
swap() {
    local x=$1
    cp -p "$plugdir/intel_$x.so" "$keep/intel_$x.so.tmp" &&
        mv -f "$keep/intel_$x.so.tmp" "$keep/intel_$x.so" &&
        cp -p "$v2dir/intel_${x}_v2.so" "$keep/intel_$x.v2.so" &&
        put_so "$keep/intel_$x.v2.so" "$plugdir/intel_$x.so"
}
# restore X — if intel_X.so is still the 2.0.0 copy that swap put there, put the kept original
# back; reload it on both instances. 0 when restored and reloaded (or nothing to do).
restore() {
    local x=$1 rc=0 n
    [ -f "$keep/intel_$x.so" ] || return 0
    if cmp -s "$plugdir/intel_$x.so" "$keep/intel_$x.v2.so"; then
        put_so "$keep/intel_$x.so" "$plugdir/intel_$x.so" || return 1
    else
        echo "note: $plugdir/intel_$x.so is not the 2.0.0 copy (never swapped, or rebuilt meanwhile); left as it is"
    fi
    rm -f "$keep/intel_$x.so" "$keep/intel_$x.v2.so"
    for n in 1 2; do reload "$n" "$x" || rc=1; done
    return "$rc"
}

cleanup() {
    local x
    trap - EXIT
    set +e
    if [ -n "$wrk_pid" ] && kill -0 "$wrk_pid" 2>/dev/null; then
        kill "$wrk_pid" 2>/dev/null
        wait "$wrk_pid" 2>/dev/null
    fi
    for x in "${sources[@]}"; do
        if [ -f "$keep/intel_$x.so" ]; then
            echo "cleanup: restoring intel_$x.so" >&2
            restore "$x" >&2
        fi
    done
    rmdir "$keep" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "intelligence hot swap under load: $url/orchestrate/project/$project, admin $admin"

# ---- is the orchestrator pool there? ------------------------------------------------------
running=1
for n in 1 2; do
    pid=$(cat "$DSM_VAR/run/orchestrator-$n.pid" 2>/dev/null || true)
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then running=0; fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$admin/admin/orchestrator/$n/status" || true)
    [ "$code" = 200 ] || running=0
done
if [ "$running" -ne 1 ]; then
    echo "note: the orchestrator pool ($DSM_VAR/run/orchestrator-{1,2}.pid, $admin) is not running — skipped"
    echo "0 passed, 0 failed"
    exit 0
fi

# ---- a run killed before its restore left the 2.0.0 builds in place: repair that first -----
mkdir -p "$keep"
for x in "${sources[@]}"; do
    if [ -f "$keep/intel_$x.so" ]; then
        echo "note: restoring intel_$x.so left swapped by an interrupted run"
        restore "$x" || true
    fi
done

# ---- preconditions ----------------------------------------------------------------------
declare -A v1
ready=1
for x in "${sources[@]}"; do
    if [ ! -f "$plugdir/intel_$x.so" ] || [ ! -f "$v2dir/intel_${x}_v2.so" ]; then
        bad "$plugdir/intel_$x.so and $v2dir/intel_${x}_v2.so exist (build them with make)"
        ready=0
        continue
    fi
    a=$(version_of 1 "$x")
    b=$(version_of 2 "$x")
    if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" != 2.0.0 ]; then
        v1[$x]=$a
    else
        bad "both orchestrator instances load $x at one version other than 2.0.0 (${a:-none}, ${b:-none})"
        ready=0
    fi
done
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/projects/$project" || true)
if [ "$code" = 404 ]; then
    code=$(curl -s -o "$work/p.out" -w '%{http_code}' --max-time 5 -X POST \
        -H 'Content-Type: application/json' "$url/projects" \
        -d "{\"id\":\"$project\",\"name\":\"Intelligence hot swap\",\"description\":\"tests/load/intel_swap.sh\",\"status\":\"inactive\"}" ||
        true)
    if [ "$code" = 409 ]; then code=201; fi # created meanwhile
fi
if [ "$code" != 200 ] && [ "$code" != 201 ]; then
    bad "project $project exists or is created (HTTP ${code:-none})"
    ready=0
fi
code=$(curl -s -o "$work/mode.out" -w '%{http_code}' --max-time 5 -X POST \
    -H 'Content-Type: application/json' -d '{"mode":"learning_enhanced"}' \
    "$url/orchestrate/intelligence/project/$project/decision-mode" || true)
check "decision mode learning_enhanced for $project (HTTP ${code:-none})" test "$code" = 200
[ "$code" = 200 ] || ready=0
if [ "$ready" -eq 1 ]; then
    code=$(decide "$work/d0.json")
    got=$(source_versions "$work/d0.json" | sort -u | tr '\n' ' ')
    if [ "$code" = 200 ] && names_as "$work/d0.json" v1; then
        ok "a decision before the swap answers 200 naming every source: $got"
    else
        bad "a decision before the swap answers 200 (${code:-none}) naming every source: $got"
    fi
    grep -q '"actions_taken":\[\]' "$work/d0.json" || echo "note: actions_taken: $(grep -o '"actions_taken":[^]]*]' "$work/d0.json")"
    check "that decision executes nothing (actions_taken empty)" grep -q '"actions_taken":\[\]' "$work/d0.json"
fi
if [ "$ready" -ne 1 ] || [ "$failed" -ne 0 ]; then
    summary
    exit 1
fi

# ---- the load, and the swaps during it ----------------------------------------------------
wrk -t2 -c8 -d"${duration}s" --timeout 10s -s "$here/intel_swap.lua" \
    "$url/orchestrate/project/$project" >"$work/wrk.out" 2>&1 &
wrk_pid=$!
sleep "$first_swap"
reloads_ok=0
for x in "${sources[@]}"; do
    swap "$x"
    for n in 1 2; do
        if reload "$n" "$x"; then reloads_ok=$((reloads_ok + 1)); fi
        v=$(version_of "$n" "$x")
        check "$x swapped on orchestrator-$n at $((SECONDS))s: ${v1[$x]} -> ${v:-none}" test "$v" = 2.0.0
    done
    sleep "$swap_gap"
done
check "${#sources[@]} x 2 admin reloads answered 200 ($reloads_ok)" test "$reloads_ok" -eq $((2 * ${#sources[@]}))

wrk_rc=0
wait "$wrk_pid" || wrk_rc=$?
wrk_pid=
cat "$work/wrk.out"
check "wrk ran (exit $wrk_rc)" test "$wrk_rc" -eq 0
requests=$(counter requests)
non2xx=$(counter non2xx)
sockerr=$(counter socket_errors)
v2seen=$(counter v2)
check "wrk completed decisions (${requests:-none})" test "${requests:-0}" -gt 0
check "0 non-2xx responses (${non2xx:-unknown})" test "${non2xx:-1}" -eq 0
check "0 socket errors (${sockerr:-unknown})" test "${sockerr:-1}" -eq 0
check "wrk reports no non-2xx/3xx line" sh -c "! grep -q 'Non-2xx or 3xx responses' '$work/wrk.out'"
check "responses under load named 2.0.0 after the first swap (${v2seen:-none})" test "${v2seen:-0}" -gt 0

# ---- after the swaps: both instances and their decisions are 2.0.0 --------------------------
for n in 1 2; do
    got=
    for x in "${sources[@]}"; do got="$got $x=$(version_of "$n" "$x")"; done
    check "orchestrator-$n status lists every source at 2.0.0:$got" \
        test "$got" = "$(printf ' %s=2.0.0' "${sources[@]}")"
done
for i in 1 2 3 4; do # through nginx: both instances answer some of them
    code=$(decide "$work/d$i.json")
    got=$(source_versions "$work/d$i.json" | sort -u | tr '\n' ' ')
    if [ "$code" = 200 ] && names_as "$work/d$i.json" 2.0.0; then
        ok "decision $i after the swaps names every source at 2.0.0: $got"
    else
        bad "decision $i after the swaps (HTTP ${code:-none}) names every source at 2.0.0: $got"
    fi
done

# ---- restore the original builds ----------------------------------------------------------
for x in "${sources[@]}"; do
    check "intel_$x.so restored and reloaded on both instances" restore "$x"
    for n in 1 2; do
        v=$(version_of "$n" "$x")
        check "orchestrator-$n back to $x ${v1[$x]} (${v:-none})" test "$v" = "${v1[$x]}"
    done
done
code=$(decide "$work/d9.json")
got=$(source_versions "$work/d9.json" | sort -u | tr '\n' ' ')
if [ "$code" = 200 ] && names_as "$work/d9.json" v1; then
    ok "a decision after the restore names every source at its original version: $got"
else
    bad "a decision after the restore (HTTP ${code:-none}) names every source at its original version: $got"
fi

summary
