#!/usr/bin/env bash
# replay.sh — re-runs recorded decisions through a chosen set of intelligence sources
# (POST /orchestrate/replay, docs/ORCHESTRATOR.md §9) and prints, per decision, the recorded
# and the replayed task count and — where the sprint's outcome is known — each one's absolute
# error against what the sprint completed; then the mean errors. Nothing is executed or stored.
# This is how a new decision plugin is evaluated before it goes live.
#
#   core/tools/replay.sh (--project PID [--limit N] | --episode ID…) [--sources "a b"]
#                        [--mode MODE] [--with-outcome] [--json] [--url BASE]
#     --project PID     the newest N (default 20, at most 500) decisions of a project
#     --episode ID      a recorded episode / decision id (repeatable)
#     --sources "a b"   the advise sources to replay with (default: each decision's recorded mode)
#     --mode MODE       rule_based_only | intelligence_enhanced | hybrid | learning_enhanced
#     --with-outcome    only decisions whose sprint has a recorded outcome
#     --json            print the endpoint's JSON instead of the table
#     --url BASE        public base URL (default http://127.0.0.1:$DSM_PORT of the current stack)
#
# Exit status: 0 ok, 1 the call failed, 2 usage. Needs jq for the table (--json does not).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
. "$(dirname "$0")/env.sh"

url=${DSM_REPLAY_URL:-http://127.0.0.1:$DSM_PORT}
project= limit= sources= mode= only= raw=
ids=()

usage() {
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

jstr() { # a JSON string literal
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

while [ $# -gt 0 ]; do
    case $1 in
        --project) project=${2:-}; [ -n "$project" ] || usage; shift 2 ;;
        --limit) [[ ${2:-} =~ ^[0-9]+$ ]] || usage; limit=$2; shift 2 ;;
        --episode) [ -n "${2:-}" ] || usage; ids+=("$2"); shift 2 ;;
        --sources) sources=${2:-}; shift 2 ;;
        --mode) mode=${2:-}; shift 2 ;;
        --with-outcome) only=1; shift ;;
        --json) raw=1; shift ;;
        --url) url=${2:-}; shift 2 ;;
        -h | --help) usage ;;
        *) usage ;;
    esac
done
[ -n "$project" ] || [ ${#ids[@]} -gt 0 ] || usage

body="{"
sep=
if [ ${#ids[@]} -gt 0 ]; then
    body+="\"episode_ids\":["
    for i in "${ids[@]}"; do body+="$sep$(jstr "$i")"; sep=,; done
    body+="]"
    sep=,
fi
[ -n "$project" ] && { body+="$sep\"project_id\":$(jstr "$project")"; sep=,; }
[ -n "$limit" ] && { body+="$sep\"limit\":$limit"; sep=,; }
[ -n "$mode" ] && { body+="$sep\"mode\":$(jstr "$mode")"; sep=,; }
[ -n "$only" ] && { body+="$sep\"only_with_outcome\":true"; sep=,; }
if [ -n "$sources" ]; then
    body+="$sep\"sources\":["
    s2=
    for s in $sources; do body+="$s2$(jstr "$s")"; s2=,; done
    body+="]"
fi
body+="}"

out=$(curl -sS -m 600 -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary "$body" "$url/orchestrate/replay") || {
    echo "replay: $url does not answer" >&2
    exit 1
}
code=${out##*$'\n'}
resp=${out%$'\n'*}
if [ "$code" != 200 ]; then
    echo "replay: HTTP $code: $resp" >&2
    exit 1
fi
if [ -n "$raw" ] || ! command -v jq >/dev/null 2>&1; then
    printf '%s\n' "$resp"
    exit 0
fi
printf 'replay: sources=%s mode=%s\n' "${sources:-the recorded modes}" "${mode:-<recorded>}"
jq -r '
  ["decision", "sprint", "recorded", "replayed", "completed", "err_rec", "err_rep", "err_rules"],
  (.results[] | [ .decision_id[0:8], (.sprint_id // "-"),
      (.recorded.tasks_to_assign | tostring), (.replayed.tasks_to_assign | tostring),
      ((.outcome.completed // "-") | tostring),
      ((.abs_error.recorded // "-") | tostring), ((.abs_error.replayed // "-") | tostring),
      ((.abs_error.rule_based // "-") | tostring) ])
  | @tsv' <<<"$resp" | column -t -s $'\t'
jq -r '.summary | "replay: \(.decisions) decision(s), \(.changed) changed, \(.with_outcome) with an outcome; mean |error| recorded \(.mean_abs_error_recorded // "-"), replayed \(.mean_abs_error_replayed // "-"), rules \(.mean_abs_error_rule_based // "-")"' <<<"$resp"
