#!/usr/bin/env bash
# core/tools/deps.sh — install the Debian packages the build, the stack and the tests need.
# A fast no-op when everything is there. As root: `apt-get install -y` only what is missing
# (`apt-get update` first, only then), without starting the distribution's own services.
# Not root and something missing: print the command to run and exit 1.
set -euo pipefail

# One entry per need; "a|b|c" = any of them will do, the first one is installed.
NEEDS=(build-essential pkg-config libfcgi-dev libpq-dev libhiredis-dev libjson-c-dev
    libcurl4-openssl-dev libcunit1-dev "postgresql-15|postgresql" postgresql-contrib
    redis-server pgbouncer "nginx-light|nginx|nginx-core|nginx-full|nginx-extras" wrk curl clang)
# Packages whose postinst would start a service of their own (on ports we do not use).
SERVICES=(postgresql redis-server pgbouncer nginx)

die() { printf 'deps: %s\n' "$*" >&2; exit 1; }

if ! command -v dpkg-query >/dev/null 2>&1; then
    printf 'deps: no dpkg-query (not Debian?): cannot check packages, make sure these are installed:\n  %s\n' \
        "${NEEDS[*]}" >&2
    exit 0
fi

declare -A installed=()
all=()
for need in "${NEEDS[@]}"; do IFS='|' read -r -a alts <<<"$need"; all+=("${alts[@]}"); done
while read -r pkg status; do
    [ "$status" = ii ] && installed[$pkg]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${all[@]}" 2>/dev/null || true)

missing=()
for need in "${NEEDS[@]}"; do
    IFS='|' read -r -a alts <<<"$need"
    found=
    for p in "${alts[@]}"; do [ -n "${installed[$p]:-}" ] && found=1; done
    [ -n "$found" ] || missing+=("${alts[0]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    printf 'deps: missing packages: %s\n  install them with: sudo apt-get install -y %s\n' \
        "${missing[*]}" "${missing[*]}" >&2
    exit 1
fi

printf 'deps: installing %s\n' "${missing[*]}" >&2
# policy-rc.d exit 101 = "do not start services" for invoke-rc.d and deb-systemd-invoke.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
fi
cleanup() { [ -z "$own_policy" ] || rm -f "$policy"; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    die "apt-get failed (output above)"
fi
rm -f "$log"

# Keep newly installed services from starting at boot (they are not ours; ours use own ports).
if [ -d /run/systemd/system ]; then
    for svc in "${SERVICES[@]}"; do
        for p in "${missing[@]}"; do
            case $p in "$svc"*)
                systemctl disable --now "$svc" >/dev/null 2>&1 || true ;;
            esac
        done
    done
fi
printf 'deps: installed %s\n' "${missing[*]}" >&2
