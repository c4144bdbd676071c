#!/usr/bin/env bash
# tests/bench/bench_memory.sh — agent memory (issue 4): bulk episode store rate and top-5
# search latency at 10,000 and 100,000 episodes, against a RUNNING stack (it starts nothing).
#
# 1. Deletes the episodes of its load project (DELETE /v1/memory/episodes?project_id=
#    BENCH_MEM_PROJECT, default bench-mem-load) and compiles tests/bench/bench_vectors.c.
# 2. For each size of BENCH_MEM_SIZES ("10000 100000"), in increasing order: tops the store up
#    to that many embedded episodes (all projects count: the search below scans them all) with
#    POST /v1/memory/episodes/bulk, BENCH_MEM_BATCH (100) episodes per call, each with a
#    precomputed random 1024-number embedding (bench_vectors; 100 make ~790 KB, under the
#    1 MiB body limit), BENCH_MEM_PAR (4) calls at a time, one curl each;
#    then warms the search up (sequential searches until BENCH_MEM_WARM_OK (6) in a row answer
#    in < 1 s: the first search on each instance loads what the other instance stored) and
#    measures POST /v1/memory/episodes/search with a random query embedding, k = 5,
#    min_similarity = -1, no project filter (so every episode is scanned), with wrk
#    (tests/bench/search.lua), once per connection count of BENCH_SEARCH_CONNS ("1 4"; 1 =
#    sequential requests = the latency of one search), BENCH_SEARCH_DURATION (8) s each.
# Its episodes stay (the next run deletes them first; so does tests/bench/bench.sh).
#
# Raw outputs go to BENCH_RAW (default: a temporary directory, removed at the end):
# search-<size>-c<conns>.txt (wrk), load-<size>.txt (one "status seconds" line per call),
# commands.txt. On stdout, one line per step:
#   load size=10000 total=10000 added=10000 calls=100 failed=0 seconds=3.912
#   search size=10000 total=10000 conns=1 raw=search-10000-c1.txt backend=cache exact=true count=5
#   bulk episodes=100000 calls=1000 failed=0 seconds=38.123 episodes_per_s=2623 call_p50_ms=140.2 call_p99_ms=310.9
# Exit 1 when the stack is not there or a step fails outright (a load call failing is counted,
# not fatal).
#
# Settings (environment): BENCH_URL (http://127.0.0.1:$DSM_PORT), BENCH_MEM_SIZES,
# BENCH_MEM_PROJECT, BENCH_MEM_BATCH, BENCH_MEM_PAR, BENCH_MEM_WARM_OK, BENCH_SEARCH_CONNS,
# BENCH_SEARCH_DURATION, BENCH_RAW; the stack's ports via core/tools/env.sh (the bench stack of
# tests/bench/bench.sh uses 28080 / PostgreSQL 25544).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$BENCH_DIR/../.." && pwd -P)
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=core/tools/env.sh
. "$ROOT/core/tools/env.sh"

URL=${BENCH_URL:-http://127.0.0.1:$DSM_PORT}
SIZES=${BENCH_MEM_SIZES:-10000 100000}
PROJECT=${BENCH_MEM_PROJECT:-bench-mem-load}
BATCH=${BENCH_MEM_BATCH:-100}
PAR=${BENCH_MEM_PAR:-4}
WARM_OK=${BENCH_MEM_WARM_OK:-6}
CONNS_LIST=${BENCH_SEARCH_CONNS:-1 4}
SDUR=${BENCH_SEARCH_DURATION:-8}
CALL_TIMEOUT=60        # one bulk call (s)
WARM_LIMIT=180         # the whole warm-up of one size (s)

say() { printf 'bench_memory: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

for v in BATCH PAR WARM_OK SDUR; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v='${!v}' must be a positive number"
done
[ "$BATCH" -le 1000 ] || die "BENCH_MEM_BATCH=$BATCH: at most 1000 (and ~120 fit in 1 MiB)"
for s in $SIZES $CONNS_LIST; do
    [[ $s =~ ^[1-9][0-9]*$ ]] || die "'$s' in BENCH_MEM_SIZES / BENCH_SEARCH_CONNS must be a positive number"
done
[[ $PROJECT =~ ^[A-Za-z0-9._-]+$ ]] || die "BENCH_MEM_PROJECT='$PROJECT': letters, digits, . _ - only"
for c in curl wrk "${CC:-cc}"; do
    command -v "$c" >/dev/null 2>&1 || die "$c is not installed"
done
code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$URL/v1/memory/health" || true)
[ "$code" = 200 ] || die "$URL/v1/memory/health answered ${code:-nothing}: start the stack (chronicle pool with service_memory.so)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-memory.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
RAW=${BENCH_RAW:-$TMP}
mkdir -p "$RAW"
CMDS=$RAW/commands.txt
: >"$CMDS"
note_cmd() { printf '%s\n' "$*" >>"$CMDS"; }

GEN=$TMP/bench_vectors
"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -o "$GEN" "$BENCH_DIR/bench_vectors.c" ||
    die "cannot compile tests/bench/bench_vectors.c"
note_cmd "cc -std=c17 -O2 -o bench_vectors tests/bench/bench_vectors.c"

now() { date +%s.%N; }
embedded() { dsm_psql agent_memory -At -c 'SELECT count(*) FROM agent_episodes WHERE embedding IS NOT NULL'; }

# ---------------------------------------------------------------- 1. the load project's old episodes
code=$(curl -s -o "$TMP/del.json" -m 300 -w '%{http_code}' -X DELETE "$URL/v1/memory/episodes?project_id=$PROJECT" || true)
[ "$code" = 200 ] || die "DELETE /v1/memory/episodes?project_id=$PROJECT answered ${code:-nothing}: $(head -c 200 "$TMP/del.json" 2>/dev/null)"
say "episodes of $PROJECT from earlier runs: $(grep -o '"deleted":[0-9]*' "$TMP/del.json" | cut -d: -f2) deleted"
note_cmd "curl -X DELETE '$URL/v1/memory/episodes?project_id=$PROJECT'"

# ---------------------------------------------------------------- 2. load, warm up, search
# load SIZE — top the store up to SIZE embedded episodes; one "load ..." line on stdout.
SEED0=$(( ($$ * 7919 + $(date +%s)) % 20000 * 100000 ))   # < 2^31: awk prints it as an integer
BATCH_NO=0
ALL_CALLS=$TMP/all-calls.txt
: >"$ALL_CALLS"
LOAD_SECONDS=0
LOAD_ADDED=0
load() {
    local size=$1 have add total f t0 t1 calls failed
    have=$(embedded)
    add=$((size > have ? size - have : 0))
    f=$RAW/load-$size.txt
    : >"$f"
    say "size $size: $have embedded episodes, storing $add more ($BATCH per call, $PAR calls at a time)"
    t0=$(now)
    if [ "$add" -gt 0 ]; then
        [ "$BATCH_NO" -gt 0 ] || note_cmd "bench_vectors bulk SEED $BATCH $PROJECT | curl -H 'Content-Type: application/json' --data-binary @- $URL/v1/memory/episodes/bulk   # one per batch, $PAR at a time (xargs -P $PAR)"
        # one line per call: SEED COUNT; the sh of each call expands its own variables
        # shellcheck disable=SC2016
        awk -v n="$add" -v b="$BATCH" -v s="$((SEED0 + BATCH_NO))" \
            'BEGIN { for (i = 0; i * b < n; i++) { c = n - i * b; if (c > b) c = b; printf "%d %d\n", s + i, c } }' |
            GEN=$GEN PROJECT=$PROJECT URL=$URL TMO=$CALL_TIMEOUT xargs -P "$PAR" -L 1 sh -c '
                "$GEN" bulk "$1" "$2" "$PROJECT" |
                    curl -s -o /dev/null -m "$TMO" -w "%{http_code} %{time_total}\n" \
                        -H "Content-Type: application/json" --data-binary @- "$URL/v1/memory/episodes/bulk" ||
                    echo "000 0"' sh >>"$f" || true
        BATCH_NO=$((BATCH_NO + (add + BATCH - 1) / BATCH))
    fi
    t1=$(now)
    total=$(embedded)
    add=$((total - have))     # what was stored (a failed call stored nothing)
    calls=$(wc -l <"$f")
    failed=$(awk '$1 != 201' "$f" | wc -l)
    cat "$f" >>"$ALL_CALLS"
    LOAD_ADDED=$((LOAD_ADDED + add))
    LOAD_SECONDS=$(awk -v a="$LOAD_SECONDS" -v b="$t0" -v c="$t1" 'BEGIN { printf "%.3f", a + c - b }')
    printf 'load size=%s total=%s added=%s calls=%s failed=%s seconds=%s\n' "$size" "$total" "$add" \
        "$calls" "$failed" "$(awk -v b="$t0" -v c="$t1" 'BEGIN { printf "%.3f", c - b }')"
    [ "$failed" -eq 0 ] || say "size $size: $failed of $calls bulk calls failed (statuses: $(cut -d' ' -f1 "$f" | sort | uniq -c | tr '\n' ' '))"
    [ "$calls" -eq 0 ] || [ "$failed" -lt "$calls" ] || die "size $size: every bulk call failed"
}

# warm SIZE — sequential searches until WARM_OK in a row answer in < 1 s; keeps the last reply.
warm() {
    local size=$1 ok=0 i=0 deadline=$((SECONDS + WARM_LIMIT)) out t
    while [ "$ok" -lt "$WARM_OK" ]; do
        [ $SECONDS -lt $deadline ] || die "size $size: searches still slow after $WARM_LIMIT s"
        i=$((i + 1))
        out=$("$GEN" query "$((SEED0 + 90000 + i))" 5 |
            curl -s -o "$TMP/search.json" -m 120 -w '%{http_code} %{time_total}' \
                -H 'Content-Type: application/json' --data-binary @- "$URL/v1/memory/episodes/search" || true)
        [ "${out%% *}" = 200 ] || die "size $size: search answered ${out:-nothing}: $(head -c 300 "$TMP/search.json" 2>/dev/null)"
        t=${out#* }
        if awk -v t="$t" 'BEGIN { exit !(t < 1.0) }'; then ok=$((ok + 1)); else
            ok=0
            say "size $size: warm-up search $i took ${t} s (the instance loads its cache)"
        fi
    done
    say "size $size: warm after $i searches"
}

read -r -a size_list <<<"$SIZES"
for size in $(printf '%s\n' "${size_list[@]}" | sort -n -u); do
    load "$size"
    warm "$size"
    total=$(embedded)
    j=$(tr -d ' \n' <"$TMP/search.json")
    backend=$(sed -n 's/.*"backend":"\([^"]*\)".*/\1/p' <<<"$j")
    exact=$(sed -n 's/.*"exact":\([a-z]*\).*/\1/p' <<<"$j")
    count=$(sed -n 's/.*"count":\([0-9]*\),"k".*/\1/p' <<<"$j")
    for c in $CONNS_LIST; do
        t=$((c < 2 ? c : 2))
        name=search-$size-c$c.txt
        cmd=(wrk -t"$t" -c"$c" -d"${SDUR}s" --latency --timeout 30s -s "$BENCH_DIR/search.lua"
            "$URL/v1/memory/episodes/search" 5)
        say "size $size: search with $c connection(s), $SDUR s"
        "${cmd[@]}" >"$RAW/$name" 2>&1 || say "size $size: wrk exited $? (see $name)"
        note_cmd "${cmd[*]}   # at $total episodes"
        printf 'search size=%s total=%s conns=%s raw=%s backend=%s exact=%s count=%s\n' "$size" "$total" \
            "$c" "$name" "${backend:-?}" "${exact:-?}" "${count:-?}"
        [ -n "${BENCH_RAW:-}" ] || sed -n '/Latency Distribution/,/Requests\/sec/p' "$RAW/$name" >&2
    done
done

# ---------------------------------------------------------------- 3. the store rate, all loads together
calls=$(wc -l <"$ALL_CALLS")
failed=$(awk '$1 != 201' "$ALL_CALLS" | wc -l)
read -r p50 p99 < <(awk '$1 == 201 { print $2 * 1000 }' "$ALL_CALLS" | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "? ?"; exit }
    i = int(NR * 0.5 + 0.5); if (i < 1) i = 1; j = int(NR * 0.99 + 0.5); if (j < 1) j = 1; if (j > NR) j = NR
    printf "%.1f %.1f\n", v[i], v[j] }')
awk -v n="$LOAD_ADDED" -v s="$LOAD_SECONDS" -v c="$calls" -v f="$failed" -v a="$p50" -v b="$p99" 'BEGIN {
    printf "bulk episodes=%d calls=%d failed=%d seconds=%.3f episodes_per_s=%.0f call_p50_ms=%s call_p99_ms=%s\n",
        n, c, f, s, (s > 0 ? n / s : 0), a, b }'
