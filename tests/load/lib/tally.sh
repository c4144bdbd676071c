# tests/load/lib/tally.sh — the counters a tests/load/*.sh script reports with: ok / bad /
# check WHAT CMD…, and `N passed, N failed` as its last line when it exits (tests/run.sh reads
# it). A script that needs its own exit trap calls tally_finish from it.
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAILED: $*"; }
check() {
    local what=$1
    shift
    if "$@"; then ok "$what"; else bad "$what"; fi
}
tally_finish() { echo "$passed passed, $failed failed"; }
trap tally_finish EXIT
