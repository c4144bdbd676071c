#!/usr/bin/env bash
# backfill.sh — embeds every agent-memory episode flagged requires_embedding, in batches, by
# calling POST /v1/memory/embeddings/backfill?limit=N (plugins/service_memory/mem_backfill.c)
# through nginx until none remain, printing progress.
#
#   core/tools/backfill.sh [--batch N] [--url BASE] [--status]
#     --batch N   episodes per call, 1..1000 (default 100)
#     --url BASE  public base URL (default http://127.0.0.1:$DSM_PORT of the current stack)
#     --status    only print how many are waiting
#
# Exit status: 0 when nothing remains; 1 when a call fails (HTTP error, embedding service
# unavailable: the reason is printed) or a batch makes no progress (rows the embedder rejects).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
. "$(dirname "$0")/env.sh"

batch=100
url=http://127.0.0.1:$DSM_PORT
status_only=

usage() {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
        --batch) batch=${2:-}; shift 2 ;;
        --url) url=${2:-}; shift 2 ;;
        --status) status_only=1; shift ;;
        -h | --help) usage ;;
        *) usage ;;
    esac
done
if ! [[ $batch =~ ^[0-9]+$ ]] || [ "$batch" -lt 1 ] || [ "$batch" -gt 1000 ]; then
    usage
fi
[ -n "$status_only" ] && batch=0

# field NAME JSON — the integer member NAME of a flat JSON reply (no jq needed).
field() {
    sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" <<<"$2"
}

total=0
start=$SECONDS
while :; do
    out=$(curl -sS -m 600 -w '\n%{http_code}' -X POST "$url/v1/memory/embeddings/backfill?limit=$batch") || {
        echo "backfill: $url does not answer" >&2
        exit 1
    }
    code=${out##*$'\n'}
    body=${out%$'\n'*}
    if [ "$code" != 200 ]; then
        detail=$(sed -n 's/.*"detail":"\([^"]*\)".*/\1/p' <<<"$body")
        echo "backfill: HTTP $code: ${detail:-$body}" >&2
        exit 1
    fi
    embedded=$(field embedded "$body")
    remaining=$(field remaining "$body")
    failed=$(field failed "$body")
    if [ -n "$status_only" ]; then
        echo "backfill: $remaining episode(s) waiting for an embedding"
        exit 0
    fi
    total=$((total + ${embedded:-0}))
    echo "backfill: embedded ${embedded:-0} (total $total, failed ${failed:-0}), remaining ${remaining:-?}, $((SECONDS - start)) s"
    [ "${remaining:-1}" = 0 ] && exit 0
    if [ "${embedded:-0}" = 0 ]; then
        echo "backfill: no progress, ${remaining:-?} episode(s) left" >&2
        exit 1
    fi
done
