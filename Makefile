# DSM in C — build, run, test.
#   make            build the host, every plugin and the tools into build/
#   make run        install missing packages (as root), build, start the dev stack, load demo data
#   make stop       stop exactly what `make run` started      make status   show it
#   make reload     SIGHUP every pool instance (hot swap of every plugin)
#   make test       build, start a separate test stack on its own ports, run every test
#   make bench      benchmarks into docs/BENCHMARKS.md
#   make bench-decisions  the orchestrator's learning simulation into docs/BENCHMARKS.md
#   make asan       build with AddressSanitizer/UBSan into build-asan/

CC      ?= cc
V       ?= 0
Q        = $(if $(filter 1,$(V)),,@)
BUILD   ?= build
OPT     ?= -O2 -g
CSTD     = -std=c17 -D_GNU_SOURCE
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
INCS     = -Icore/include -Icore/host -I/usr/include/postgresql -I/usr/include/json-c
CFLAGS  += $(CSTD) $(OPT) $(WARN) $(INCS) -pthread $(EXTRA_CFLAGS)
LDFLAGS += $(EXTRA_LDFLAGS)

HOST_LIBS   = -lfcgi -lpq -lhiredis -ljson-c -lcurl -ldl -lm -pthread
PLUGIN_CFLAGS = -fPIC -fvisibility=hidden
PLUGIN_LDFLAGS = -shared -Wl,-z,now -Wl,-z,defs
PLUGIN_LIBS = -ljson-c -lm

HOST_SRCS := $(wildcard core/host/*.c)
HOST_OBJS := $(HOST_SRCS:%.c=$(BUILD)/obj/%.o)
HOST_LIB_OBJS := $(filter-out $(BUILD)/obj/core/host/dsm_main.o,$(HOST_OBJS))

PLUGIN_DIRS := $(patsubst %/,%,$(wildcard plugins/*/))
PLUGIN_SOS  := $(foreach d,$(PLUGIN_DIRS),$(BUILD)/plugins/$(notdir $(d)).so)

TEST_PLUGIN_SRCS := $(wildcard tests/plugins/*.c)
TEST_PLUGIN_SOS  := $(TEST_PLUGIN_SRCS:tests/plugins/%.c=$(BUILD)/test-plugins/%.so)

# Pure plugin logic that unit tests link directly (no host API needed).
UNIT_PLUGIN_SRCS := $(wildcard plugins/*/*_logic.c) $(wildcard plugins/*/prj_holidays.c)
UNIT_SRCS := tests/dsm_test_main.c $(wildcard tests/unit/*.c tests/unit/*/*.c tests/unit/*/*/*.c)
INTEG_SRCS := tests/dsm_test_main.c $(wildcard tests/integration/*.c)
# Stand-in servers the tests talk to over real HTTP (e.g. an Ollama-compatible API).
STANDIN_SRCS := $(wildcard tests/standin/*.c)
STANDINS := $(STANDIN_SRCS:tests/standin/%.c=$(BUILD)/tests/standin/%)

TOOLS := $(BUILD)/bin/dsm-holidays

.PHONY: all run stop status reload test unit bench bench-decisions asan clean distclean deps
all: $(BUILD)/bin/dsm-host $(PLUGIN_SOS) $(TOOLS) $(TEST_PLUGIN_SOS) \
     $(BUILD)/tests/unit $(BUILD)/tests/integration $(STANDINS)

$(BUILD)/obj/%.o: %.c core/include/dsm/plugin.h $(wildcard core/host/*.h)
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/bin/dsm-host: $(HOST_OBJS)
	@mkdir -p $(dir $@)
	@echo '  LD      $@'
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(HOST_LIBS)

# One .so per plugins/<name>/ directory, from every .c in it.
.SECONDEXPANSION:
$(BUILD)/plugins/%.so: $$(wildcard plugins/%/*.c) $$(wildcard plugins/%/*.h) core/include/dsm/plugin.h
	@mkdir -p $(dir $@)
	@echo '  PLUGIN  $@'
	$(Q)$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -Iplugins/$* $(LDFLAGS) $(PLUGIN_LDFLAGS) -o $@.tmp \
	    $(filter %.c,$^) $(PLUGIN_LIBS)
	$(Q)mv -f $@.tmp $@   # rename: a running host keeps its private copy; never overwrite in place

$(BUILD)/test-plugins/%.so: tests/plugins/%.c core/include/dsm/plugin.h
	@mkdir -p $(dir $@)
	@echo '  PLUGIN  $@'
	$(Q)$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) $(LDFLAGS) $(PLUGIN_LDFLAGS) -o $@.tmp $< $(PLUGIN_LIBS)
	$(Q)mv -f $@.tmp $@

$(BUILD)/bin/dsm-holidays: core/tools/dsm_holidays.c plugins/service_project/prj_holidays.c
	@mkdir -p $(dir $@)
	@echo '  LD      $@'
	$(Q)$(CC) $(CFLAGS) -Iplugins/service_project -o $@ $^

$(BUILD)/tests/unit: $(UNIT_SRCS) $(UNIT_PLUGIN_SRCS) $(HOST_LIB_OBJS) tests/dsm_test.h
	@mkdir -p $(dir $@)
	@echo '  LD      $@'
	$(Q)$(CC) $(CFLAGS) -Itests $(foreach d,$(PLUGIN_DIRS),-I$(d)) -o $@ \
	    $(UNIT_SRCS) $(UNIT_PLUGIN_SRCS) $(HOST_LIB_OBJS) -lcunit $(HOST_LIBS)

$(BUILD)/tests/integration: $(INTEG_SRCS) tests/dsm_test.h
	@mkdir -p $(dir $@)
	@echo '  LD      $@'
	$(Q)$(CC) $(CFLAGS) -Itests -o $@ $(INTEG_SRCS) -lcunit -lcurl -ljson-c -lm -pthread

$(BUILD)/tests/standin/%: tests/standin/%.c
	@mkdir -p $(dir $@)
	@echo '  LD      $@'
	$(Q)$(CC) $(CFLAGS) -o $@ $< -ljson-c -lm -pthread

deps:
	@core/tools/deps.sh

run: deps all
	@core/tools/stack.sh start
	@core/tools/migrate.sh
	@core/tools/seed.sh
	@core/tools/stack.sh wait
	@core/tools/stack.sh url

stop:
	@core/tools/stack.sh stop

status:
	@core/tools/stack.sh status

reload:
	@core/tools/stack.sh reload

test: deps all
	@tests/run.sh

unit: $(BUILD)/tests/unit $(TEST_PLUGIN_SOS)
	@$(BUILD)/tests/unit

bench: deps all
	@tests/bench/bench.sh

# Seeded simulation (50 projects x 10 sprints) through the real services: rules alone vs the
# full set of intelligence sources → docs/BENCHMARKS.md.
bench-decisions: deps all
	@tests/bench/bench_decisions.sh

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined" all

clean:
	rm -rf build build-asan

distclean: clean
	rm -rf var

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
$(BUILD)/test-plugins/intel_echo_v2.so: tests/plugins/intel_echo.c
# Test-only v2 builds #include every file of their plugin: rebuild them when it changes.
$(BUILD)/test-plugins/intel_rules_v2.so: $(wildcard plugins/intel_rules/*.c plugins/intel_rules/*.h)
$(BUILD)/test-plugins/intel_chronicle_v2.so: $(wildcard plugins/intel_chronicle/*.c plugins/intel_chronicle/*.h)
$(BUILD)/test-plugins/intel_strategy_v2.so: $(wildcard plugins/intel_strategy/*.c plugins/intel_strategy/*.h)
$(BUILD)/test-plugins/intel_episodes_v2.so: $(wildcard plugins/intel_episodes/*.c plugins/intel_episodes/*.h)
$(BUILD)/test-plugins/intel_advisor_v2.so: $(wildcard plugins/intel_advisor/*.c plugins/intel_advisor/*.h)
