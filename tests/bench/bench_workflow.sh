#!/usr/bin/env bash
# tests/bench/bench_workflow.sh — time the end-to-end workflow WITHOUT the daily scrum loop
# against a RUNNING stack (issue 5 target: <= 100 ms), through nginx:
#
#   POST /projects → POST /projects/{p}/team-members-assign → POST /backlogs/{p}
#   → POST /sprints/{p} → POST /sprints/{p}-S01/close
#
# N times (default 50), each with a new project. One curl process per workflow runs the five
# requests on one kept-alive connection; the time of a workflow is the sum of curl's
# time_total of its five requests (process start-up excluded); the wall time of the curl
# process is shown for reference. Prints the median (and p90/min/max) in ms; exits 1 when a
# step answers an unexpected status. Creates 3 employees (BENCHWF-E1..3, idempotent) and N
# projects BW<run><i> with their sprints (nothing is deleted: there is no delete endpoint).
#
#   tests/bench/bench_workflow.sh                 # http://127.0.0.1:$DSM_PORT (8080)
#   BENCH_URL=http://127.0.0.1:27080 BENCH_N=50 tests/bench/bench_workflow.sh
set -euo pipefail

URL=${BENCH_URL:-http://127.0.0.1:${DSM_PORT:-8080}}
N=${BENCH_N:-50}
RUN=$(( ($$ * 7919 + $(date +%s)) % 100000 ))
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

say() { printf 'bench_workflow: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[[ $N =~ ^[1-9][0-9]*$ ]] || die "BENCH_N='$N' must be a positive number"
command -v curl >/dev/null 2>&1 || die "curl is not installed"
curl -fsS -o /dev/null "$URL/sprint/health/ready" || die "$URL: the sprint pool is not ready"

for e in 1 2 3; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/employees" \
        -H 'Content-Type: application/json' \
        -d "{\"employee_id\":\"BENCHWF-E$e\",\"name\":\"Bench workflow $e\"}")
    [ "$code" = 201 ] || die "POST /employees answered $code"
done

J='Content-Type: application/json'
W='%{http_code} %{time_total}\n'
for i in $(seq 1 "$N"); do
    p=$(printf 'BW%05d%03d' "$RUN" "$i")
    t0=$(date +%s%N)
    curl -s -o /dev/null -w "$W" -X POST "$URL/projects" -H "$J" \
        -d "{\"id\":\"$p\",\"name\":\"Bench $p\",\"description\":\"bench\",\"status\":\"inactive\"}" \
        --next -s -o /dev/null -w "$W" -X POST "$URL/projects/$p/team-members-assign" -H "$J" \
        -d '{"employee_ids":["BENCHWF-E1","BENCHWF-E2","BENCHWF-E3"]}' \
        --next -s -o /dev/null -w "$W" -X POST "$URL/backlogs/$p" \
        --next -s -o /dev/null -w "$W" -X POST "$URL/sprints/$p" -H "$J" \
        -d '{"sprint_name":"bench","duration_weeks":2}' \
        --next -s -o /dev/null -w "$W" -X POST "$URL/sprints/$p-S01/close" >"$TMP/steps"
    t1=$(date +%s%N)
    codes=$(cut -d' ' -f1 "$TMP/steps" | tr '\n' ' ')
    [ "$codes" = "201 200 201 201 200 " ] || die "workflow $p: statuses $codes (want 201 200 201 201 200)"
    awk '{ s += $2 } END { printf "%.3f\n", s * 1000 }' "$TMP/steps" >>"$TMP/sum"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e6 }' >>"$TMP/wall"
done

stats() { # file → "median p90 min max"
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
        p = v[int(NR * 0.9 + 0.999)]; if (p == "") p = v[NR];
        printf "%.1f %.1f %.1f %.1f\n", m, p, v[1], v[NR] }'
}
read -r med p90 min max < <(stats "$TMP/sum")
read -r wmed _ _ _ < <(stats "$TMP/wall")
printf 'workflow without daily scrum (project, team, backlog, sprint, close), N=%s, %s:\n' "$N" "$URL"
printf '  median %s ms  (p90 %s, min %s, max %s; sum of the 5 requests)\n' "$med" "$p90" "$min" "$max"
printf '  median %s ms wall per workflow, including the curl process\n' "$wmed"
printf '%s\n' "$med"
