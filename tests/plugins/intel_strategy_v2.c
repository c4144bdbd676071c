/* intel_strategy_v2.c — plugins/intel_strategy built as version 2.0.0, for the hot-swap test
 * tests/load/intel_swap.sh. The Makefile builds one .c per test plugin, so this includes
 * every .c of the plugin: keep the list in step with that directory. */
#define STRATEGY_VERSION "2.0.0"
#include "../../plugins/intel_strategy/plugin.c"
#include "../../plugins/intel_strategy/stg_record.c"
#include "../../plugins/intel_strategy/stg_util.c"
#include "../../plugins/intel_strategy/strategy_context_logic.c"
#include "../../plugins/intel_strategy/strategy_logic.c"
