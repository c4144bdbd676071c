/* intel_advisor_v2.c — plugins/intel_advisor built as version 2.0.0, for the hot-swap test
 * tests/load/intel_swap.sh. The Makefile builds one .c per test plugin, so this includes
 * every .c of the plugin: keep the list in step with that directory. */
#define ADVISOR_VERSION "2.0.0"
#include "../../plugins/intel_advisor/plugin.c"
#include "../../plugins/intel_advisor/advisor_logic.c"
