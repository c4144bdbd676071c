/* intel_chronicle_v2.c — plugins/intel_chronicle built as version 2.0.0, for the hot-swap test
 * tests/load/intel_swap.sh. The Makefile builds one .c per test plugin, so this includes
 * every .c of the plugin: keep the list in step with that directory. */
#define CHRONICLE_VERSION "2.0.0"
#include "../../plugins/intel_chronicle/plugin.c"
#include "../../plugins/intel_chronicle/chi_fetch.c"
#include "../../plugins/intel_chronicle/chronicle_json_logic.c"
#include "../../plugins/intel_chronicle/chronicle_logic.c"
