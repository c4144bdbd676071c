# tests/load/lib/stack_env.sh — sourced first by every tests/load/*.sh: the test stack of
# tests/run.sh by default (any DSM_* in the environment wins), then core/tools/env.sh.
# (A folder of its own: tests/run.sh runs every tests/load/*.sh, not this.)
DSM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)
export DSM_ROOT
: "${DSM_VAR:=$DSM_ROOT/var/test}" "${DSM_PORT:=18080}" "${DSM_PG_PORT:=15544}"
: "${DSM_PGB_PORT:=16544}" "${DSM_REDIS_PORT:=16380}" "${DSM_POOL_PORT:=19100}"
export DSM_VAR DSM_PORT DSM_PG_PORT DSM_PGB_PORT DSM_REDIS_PORT DSM_POOL_PORT
# shellcheck source=../../../core/tools/env.sh
. "$DSM_ROOT/core/tools/env.sh"
