#!/usr/bin/env bash
# evolve.sh — runs the strategy evolution of the orchestrator (docs/ORCHESTRATOR.md §11:
# pattern extraction from episodes with outcomes → new / updated strategies → learning
# optimizer → clean-up) through nginx, printing its progress phase by phase.
#
#   core/tools/evolve.sh [--project PID] [--force] [--min-episodes N] [--days N]
#                        [--max-strategies N] [--url BASE]
#     (none)            the daily run: POST /strategy/evolve (needs 10 episodes with outcomes)
#     --project PID     one project: POST /strategy/evolve/project/PID (needs 3; no optimizer)
#     --force           run even when conf.orchestrator.evolution.enabled = 0; --min-episodes
#                       (default 1 when forced), --days (30), --max-strategies (20) apply
#     --url BASE        public base URL (default http://127.0.0.1:$DSM_PORT of the current stack)
#
# Exit status (as the original CLI): 0 completed or disabled, 1 failed or unreachable, 2 usage.
# The systemd timer systemd/dsm-evolve.timer runs it daily at 02:00 UTC.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
. "$(dirname "$0")/env.sh"

url=${DSM_EVOLVE_URL:-http://127.0.0.1:$DSM_PORT}
project= force= min= days= maxs=

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

num() { [[ ${1:-} =~ ^[0-9]+$ ]] || usage; }

while [ $# -gt 0 ]; do
    case $1 in
        --project) project=${2:-}; [ -n "$project" ] || usage; shift 2 ;;
        --force) force=1; shift ;;
        --min-episodes) num "${2:-}"; min=$2; force=1; shift 2 ;;
        --days) num "${2:-}"; days=$2; force=1; shift 2 ;;
        --max-strategies) num "${2:-}"; maxs=$2; force=1; shift 2 ;;
        --url) url=${2:-}; shift 2 ;;
        -h | --help) usage ;;
        *) usage ;;
    esac
done

say() { printf 'evolve: %s\n' "$*"; }

# post PATH BODY — sets code and body; exits 1 when nothing answers.
post() {
    local out
    if [ -n "$2" ]; then
        out=$(curl -sS -m 900 -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' \
            --data-binary "$2" "$url$1") || { say "$url does not answer"; exit 1; }
    else
        out=$(curl -sS -m 900 -w '\n%{http_code}' -X "${3:-POST}" "$url$1") || {
            say "$url does not answer"
            exit 1
        }
    fi
    code=${out##*$'\n'}
    body=${out%$'\n'*}
}

# field NAME — the first scalar member NAME of $body (no jq needed).
field() {
    sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[-0-9.a-z]*\).*/\1/p" <<<"$body" | head -n 1 | tr -d '"'
}

started=$SECONDS
post /strategy/status "" GET
if [ "$code" != 200 ]; then
    say "strategy status: HTTP $code: $body"
    exit 1
fi
say "strategy layer $(field system_status): $(field total_episodes) episode(s), $(field successful_episodes) with quality >= 0.85, $(field active_strategies) active strateg(ies)"

if [ -n "$project" ]; then
    path=/strategy/evolve/project/$(printf '%s' "$project" | sed 's/[^A-Za-z0-9._~-]/%&/g')
    say "evolving strategies of project $project …"
    post "$path" ""
else
    payload=
    if [ -n "$force" ]; then
        payload="{\"enabled\":true,\"min_episodes\":${min:-1}"
        [ -n "$days" ] && payload+=",\"days\":$days"
        [ -n "$maxs" ] && payload+=",\"max_strategies\":$maxs"
        payload+="}"
    fi
    say "running the ${force:+forced }daily evolution …"
    post /strategy/evolve "$payload"
fi
if [ "$code" != 200 ]; then
    say "HTTP $code: $(field detail)"
    exit 1
fi

# the phase lines the orchestrator reports, in order
grep -o '"progress":\[[^]]*\]' <<<"$body" | sed 's/^"progress":\[//; s/\]$//' |
    sed 's/","/\n/g; s/^"//; s/"$//' | while IFS= read -r line; do
    [ -n "$line" ] && printf '  %s\n' "$line"
done

status=$(field status)
case $status in
    completed)
        say "completed in $((SECONDS - started)) s: $(field patterns_extracted) pattern(s), $(field strategies_generated) new, $(field strategies_updated) updated, $(field strategies_optimized) confidence change(s), $(field strategies_deactivated) deactivated"
        exit 0 ;;
    disabled)
        say "disabled ($(field reason))"
        exit 0 ;;
    failed)
        say "failed: $(field failure_reason)$(field error)"
        exit 1 ;;
    *)
        say "unexpected answer: $body"
        exit 2 ;;
esac
