/* test_swap.c — hot swap for real: dsm_slot_load / dsm_load_initial / dsm_reload and the
 * generation pins (core/host/dsm_loader.c, dsm_gen.c) with the test plugins of
 * tests/plugins/ (all named "echo"), and dsm_intel_run (dsm_intel.c) on a pinned generation.
 * The plugins are found in $DSM_TEST_PLUGINS (default build/test-plugins, from the repo root). */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsm_test.h"
#include "ut_core.h"

typedef struct {
    char root[64];  /* mkdtemp */
    char run[128];  /* root/run = cfg.plugin_dir (private copies) */
    char so[128];   /* root/echo.so = the configured path, replaced like `make` does */
    dsm_host_t h;
} sw_t;

/* Path of a built test plugin. */
static const char *sw_plugin(const char *name)
{
    static char path[4][512];
    static int turn;
    char *p = path[turn++ % 4];
    snprintf(p, 512, "%s/%s.so", ut_test_plugins(), name);
    return p;
}

static int sw_install(sw_t *s, const char *plugin)
{
    return ut_install(sw_plugin(plugin), s->so);
}

/* A host configured with plugin "echo" = <tmp>/echo.so, holding a copy of `first`. */
static int sw_open(sw_t *s, const char *first)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->root, sizeof(s->root), "/tmp/dsm-ut-swap-XXXXXX");
    if (!mkdtemp(s->root))
        return -1;
    snprintf(s->run, sizeof(s->run), "%s/run", s->root);
    snprintf(s->so, sizeof(s->so), "%s/echo.so", s->root);
    s->h.cfg.plugin_dir = strdup(s->run);
    s->h.cfg.plugins = calloc(1, sizeof(dsm_plugin_conf_t));
    if (!s->h.cfg.plugin_dir || !s->h.cfg.plugins)
        return -1;
    s->h.cfg.plugins[0].name = strdup("echo");
    s->h.cfg.plugins[0].path = strdup(s->so);
    s->h.cfg.nplugins = 1;
    s->h.cfg.max_body = 1048576;
    s->h.api = dsm_api_table();
    pthread_mutex_init(&s->h.gen_mu, NULL);
    pthread_mutex_init(&s->h.reload_mu, NULL);
    return first ? sw_install(s, first) : 0;
}

static void sw_close(sw_t *s)
{
    dsm_gen_destroy(s->h.current);
    s->h.current = NULL;
    for (dsm_gen_t *g = s->h.retired; g; g = g->next)
        g->pins = 0; /* a failed test may have left a pin: free everything anyway */
    dsm_gen_sweep(&s->h);
    dsm_config_free(&s->h.cfg);
    pthread_mutex_destroy(&s->h.gen_mu);
    pthread_mutex_destroy(&s->h.reload_mu);
    ut_rm_tree(s->root);
}

static const char *sw_version(const dsm_gen_t *g)
{
    return g && g->nslots == 1 && g->slots[0]->desc ? g->slots[0]->desc->version : "(none)";
}

static bool sw_plugins_built(void)
{
    static const char *const names[] = {"intel_echo", "intel_echo_v2", "bad_major", "bad_magic",
                                        "failing_init"};
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
        if (access(sw_plugin(names[i]), R_OK)) {
            fprintf(stderr, "\ncore/swap: %s missing (build the test plugins, or set "
                            "DSM_TEST_PLUGINS)\n",
                    sw_plugin(names[i]));
            return false;
        }
    }
    return true;
}

static int sw_suite_init(void)
{
    return sw_plugins_built() ? 0 : -1;
}

static void test_initial_load(void)
{
    sw_t s;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(sw_open(&s, "intel_echo"), 0);
    CU_ASSERT_EQUAL(dsm_load_initial(&s.h, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(err, "");
    dsm_gen_t *g = s.h.current;
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    CU_ASSERT_EQUAL(g->number, 1);
    CU_ASSERT_EQUAL(g->pins, 0);
    CU_ASSERT_FALSE(g->retired);
    CU_ASSERT_EQUAL_FATAL(g->nslots, 1);
    dsm_slot_t *sl = g->slots[0];
    CU_ASSERT_STRING_EQUAL(sl->name, "echo");
    CU_ASSERT_STRING_EQUAL(sl->src_path, s.so);
    CU_ASSERT_STRING_EQUAL(sw_version(g), "1.0.0");
    CU_ASSERT_EQUAL(sl->desc->kind, DSM_KIND_INTEL);
    CU_ASSERT_EQUAL(sl->serial, 1);
    CU_ASSERT_EQUAL(atomic_load(&sl->refs), 1);
    CU_ASSERT_PTR_NOT_NULL(sl->state); /* init() ran */
    CU_ASSERT_EQUAL(strlen(sl->loaded_at), 27); /* 2026-01-02T03:04:05.123456Z */
    CU_ASSERT_EQUAL(sl->loaded_at[26], 'Z');
    CU_ASSERT_PTR_NULL(s.h.retired);
    CU_ASSERT_TRUE(s.h.last_reload.ok);
    CU_ASSERT_STRING_EQUAL(s.h.last_reload.message, "initial load");
    CU_ASSERT_EQUAL(ut_dir_count(s.run), 0); /* the private copy was unlinked after dlopen */
    sw_close(&s);
}

static void initial_refused(const char *plugin, const char *reason)
{
    sw_t s;
    char err[512] = "", want[1024];
    CU_ASSERT_EQUAL_FATAL(sw_open(&s, plugin), 0);
    CU_ASSERT_EQUAL(dsm_load_initial(&s.h, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "plugin 'echo' (%s) refused: %s", s.so, reason);
    CU_ASSERT_STRING_EQUAL(err, want);
    CU_ASSERT_PTR_NULL(s.h.current);
    CU_ASSERT_EQUAL(ut_dir_count(s.run), 0);
    sw_close(&s);
}

static void test_initial_load_refusals(void)
{
    char want[512];
    snprintf(want, sizeof(want),
             "ABI major %u, host speaks %u: rebuild the plugin against this host",
             DSM_ABI_MAJOR + 1, DSM_ABI_MAJOR);
    initial_refused("bad_major", want);
    initial_refused("bad_magic", "bad magic 0x12345678 (not a DSM plugin)");
    initial_refused("failing_init", "init() of 'echo' 3.0.0 failed");
    /* nothing installed at the configured path */
    sw_t s;
    char err[512] = "", w2[1024];
    CU_ASSERT_EQUAL_FATAL(sw_open(&s, NULL), 0);
    CU_ASSERT_EQUAL(dsm_load_initial(&s.h, err, sizeof(err)), -1);
    snprintf(w2, sizeof(w2), "plugin 'echo' (%s) refused: cannot open %s: No such file or directory",
             s.so, s.so);
    CU_ASSERT_STRING_EQUAL(err, w2);
    sw_close(&s);
}

/* Runs every intelligence source of g on project `pid`; returns the one result object's
 * member `key` (borrowed from *all, which the caller puts). */
static json_object *sw_run(sw_t *s, dsm_gen_t *g, const char *pid, int64_t deadline,
                           json_object **all)
{
    dsm_thread_t t;
    dsm_req_t r;
    json_object *perception = json_object_new_object(), *backlog = json_object_new_array();
    for (int i = 0; i < 4; i++)
        json_object_array_add(backlog, json_object_new_int(i));
    json_object_object_add(perception, "backlog", backlog);
    dsm_decision_t dc = {.size = sizeof(dc), .project_id = pid, .perception = perception,
                         .deadline_ns = deadline, .decision_id = "d-1"};
    *all = NULL;
    if (dsm_thread_setup(&t, &s->h, 0))
        return NULL;
    dsm_req_init(&r, &t, "POST", "/admin/intel/run", NULL);
    r.gen = g;
    *all = dsm_intel_run(&r, &dc);
    dsm_arena_reset(t.arena);
    dsm_thread_teardown(&t);
    json_object_put(perception);
    return *all && json_object_array_length(*all) == 1 ? json_object_array_get_idx(*all, 0) : NULL;
}

static const char *sw_str(json_object *o, const char *key)
{
    json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : "(null)";
}

static void test_hot_swap_keeps_pinned_generation(void)
{
    sw_t s;
    char err[512] = "", msg[512] = "";
    json_object *all;
    CU_ASSERT_EQUAL_FATAL(sw_open(&s, "intel_echo"), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_load_initial(&s.h, err, sizeof(err)), 0);
    dsm_gen_t *g1 = dsm_gen_pin(&s.h);
    CU_ASSERT_PTR_EQUAL_FATAL(g1, s.h.current);
    CU_ASSERT_EQUAL(g1->pins, 1);

    CU_ASSERT_EQUAL_FATAL(sw_install(&s, "intel_echo_v2"), 0);
    CU_ASSERT_EQUAL(dsm_reload(&s.h, "echo", msg, sizeof(msg)), 0);
    CU_ASSERT_STRING_EQUAL(msg, "generation 2 published");
    dsm_gen_t *g2 = s.h.current;
    CU_ASSERT_PTR_NOT_NULL_FATAL(g2);
    CU_ASSERT_PTR_NOT_EQUAL(g2, g1);
    CU_ASSERT_EQUAL(g2->number, 2);
    CU_ASSERT_STRING_EQUAL(sw_version(g2), "2.0.0");
    CU_ASSERT_EQUAL(g2->slots[0]->serial, 2);
    CU_ASSERT_STRING_EQUAL(sw_version(g1), "1.0.0"); /* the old code is still mapped */
    CU_ASSERT_TRUE(g1->retired);
    CU_ASSERT_PTR_EQUAL(s.h.retired, g1);
    CU_ASSERT_EQUAL(g1->pins, 1);
    CU_ASSERT_TRUE(s.h.last_reload.ok);
    CU_ASSERT_STRING_EQUAL(s.h.last_reload.message, "generation 2 published");
    CU_ASSERT_EQUAL(ut_dir_count(s.run), 0);

    /* the pinned old generation still answers, with the old code */
    json_object *res = sw_run(&s, g1, "P1", 0, &all);
    CU_ASSERT_PTR_NOT_NULL(res);
    CU_ASSERT_STRING_EQUAL(sw_str(res, "version"), "1.0.0");
    CU_ASSERT_STRING_EQUAL(sw_str(res, "insight"), "{ \"version\": \"1.0.0\", \"recorded\": 0 }");
    json_object_put(all);
    res = sw_run(&s, g2, "P1", 0, &all);
    CU_ASSERT_STRING_EQUAL(sw_str(res, "version"), "2.0.0");
    json_object_put(all);

    /* a sweep while the pin is held keeps the old generation */
    CU_ASSERT_EQUAL(dsm_gen_sweep(&s.h), 1);
    CU_ASSERT_PTR_EQUAL(s.h.retired, g1);
    CU_ASSERT_STRING_EQUAL(sw_version(g1), "1.0.0");
    /* the last unpin lets the next sweep free it */
    dsm_gen_unpin(&s.h, g1);
    CU_ASSERT_EQUAL(dsm_gen_sweep(&s.h), 0);
    CU_ASSERT_PTR_NULL(s.h.retired);
    CU_ASSERT_PTR_EQUAL(s.h.current, g2);
    CU_ASSERT_STRING_EQUAL(sw_version(s.h.current), "2.0.0");
    CU_ASSERT_EQUAL(ut_dir_count(s.run), 0);
    sw_close(&s);
}

static void refused_reload(sw_t *s, const char *plugin, const char *reason)
{
    char msg[512] = "", want[640];
    dsm_gen_t *before = s->h.current;
    uint64_t number = before ? before->number : 0;
    CU_ASSERT_EQUAL_FATAL(sw_install(s, plugin), 0);
    CU_ASSERT_EQUAL(dsm_reload(&s->h, "echo", msg, sizeof(msg)), -1);
    snprintf(want, sizeof(want), "echo refused: %s", reason);
    CU_ASSERT_STRING_EQUAL(msg, want);
    CU_ASSERT_PTR_EQUAL(s->h.current, before); /* nothing published */
    CU_ASSERT_EQUAL(s->h.current->number, number);
    CU_ASSERT_STRING_EQUAL(sw_version(s->h.current), "2.0.0");
    CU_ASSERT_PTR_NULL(s->h.retired);
    CU_ASSERT_FALSE(s->h.last_reload.ok);
    CU_ASSERT_STRING_EQUAL(s->h.last_reload.message, want);
    CU_ASSERT_EQUAL(ut_dir_count(s->run), 0);
}

static void test_refused_reload_keeps_serving(void)
{
    sw_t s;
    char err[512] = "", msg[512] = "", major[256];
    CU_ASSERT_EQUAL_FATAL(sw_open(&s, "intel_echo_v2"), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_load_initial(&s.h, err, sizeof(err)), 0);
    snprintf(major, sizeof(major),
             "ABI major %u, host speaks %u: rebuild the plugin against this host",
             DSM_ABI_MAJOR + 1, DSM_ABI_MAJOR);
    refused_reload(&s, "bad_major", major);
    refused_reload(&s, "bad_magic", "bad magic 0x12345678 (not a DSM plugin)");
    refused_reload(&s, "failing_init", "init() of 'echo' 3.0.0 failed");
    /* the current generation still runs */
    json_object *all, *res = sw_run(&s, s.h.current, "P1", 0, &all);
    CU_ASSERT_STRING_EQUAL(sw_str(res, "status"), "ok");
    CU_ASSERT_STRING_EQUAL(sw_str(res, "version"), "2.0.0");
    json_object_put(all);
    /* and a good file afterwards swaps again */
    CU_ASSERT_EQUAL_FATAL(sw_install(&s, "intel_echo"), 0);
    CU_ASSERT_EQUAL(dsm_reload(&s.h, "echo", msg, sizeof(msg)), 0);
    CU_ASSERT_STRING_EQUAL(msg, "generation 2 published");
    CU_ASSERT_STRING_EQUAL(sw_version(s.h.current), "1.0.0");
    CU_ASSERT_EQUAL(dsm_gen_sweep(&s.h), 0);
    CU_ASSERT_EQUAL(ut_dir_count(s.run), 0);
    sw_close(&s);
}

static void test_reload_unknown_name(void)
{
    sw_t s;
    char err[512] = "", msg[512] = "";
    CU_ASSERT_EQUAL_FATAL(sw_open(&s, "intel_echo"), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_load_initial(&s.h, err, sizeof(err)), 0);
    dsm_gen_t *g = s.h.current;
    CU_ASSERT_EQUAL(dsm_reload(&s.h, "nope", msg, sizeof(msg)), -2);
    CU_ASSERT_STRING_EQUAL(msg, "no plugin named 'nope' is loaded");
    CU_ASSERT_PTR_EQUAL(s.h.current, g);
    CU_ASSERT_EQUAL(g->pins, 0); /* reload's own pin was dropped */
    CU_ASSERT_PTR_NULL(s.h.retired);
    CU_ASSERT_TRUE(s.h.last_reload.ok); /* an unknown name is not a reload attempt */
    CU_ASSERT_STRING_EQUAL(s.h.last_reload.message, "initial load");
    sw_close(&s);
}

static void test_reload_all_and_unchanged_file(void)
{
    sw_t s;
    char err[512] = "", msg[512] = "";
    CU_ASSERT_EQUAL_FATAL(sw_open(&s, "intel_echo"), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_load_initial(&s.h, err, sizeof(err)), 0);
    /* same file again: still a fresh private copy and a new generation */
    CU_ASSERT_EQUAL(dsm_reload(&s.h, NULL, msg, sizeof(msg)), 0);
    CU_ASSERT_STRING_EQUAL(msg, "generation 2 published");
    CU_ASSERT_STRING_EQUAL(sw_version(s.h.current), "1.0.0");
    CU_ASSERT_EQUAL(s.h.current->slots[0]->serial, 2);
    CU_ASSERT_EQUAL_FATAL(sw_install(&s, "intel_echo_v2"), 0);
    CU_ASSERT_EQUAL(dsm_reload(&s.h, NULL, msg, sizeof(msg)), 0);
    CU_ASSERT_STRING_EQUAL(msg, "generation 3 published");
    CU_ASSERT_STRING_EQUAL(sw_version(s.h.current), "2.0.0");
    CU_ASSERT_EQUAL(atomic_load(&s.h.copy_counter), 3); /* one private path per load */
    CU_ASSERT_EQUAL(dsm_gen_sweep(&s.h), 0);
    CU_ASSERT_EQUAL(ut_dir_count(s.run), 0);
    sw_close(&s);
}

static void test_slot_load_direct(void)
{
    sw_t s;
    char err[512] = "", want[1024], junk[256];
    CU_ASSERT_EQUAL_FATAL(sw_open(&s, NULL), 0);
    dsm_slot_t *sl = dsm_slot_load(&s.h, "echo", sw_plugin("intel_echo"), err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(sl);
    CU_ASSERT_STRING_EQUAL(sl->desc->version, "1.0.0");
    CU_ASSERT_STRING_EQUAL(sl->src_path, sw_plugin("intel_echo"));
    CU_ASSERT_PTR_NOT_NULL(sl->conf);
    CU_ASSERT_STRING_EQUAL(sl->conf->plugin, "echo");
    CU_ASSERT_PTR_EQUAL(sl->conf->cfg, &s.h.cfg);
    CU_ASSERT_EQUAL(atomic_load(&sl->refs), 0);
    atomic_store(&sl->refs, 1);
    dsm_slot_release(sl); /* fini + dlclose (valgrind: the plugin's state is freed) */

    CU_ASSERT_PTR_NULL(dsm_slot_load(&s.h, "other", sw_plugin("intel_echo"), err, sizeof(err)));
    CU_ASSERT_STRING_EQUAL(err, "descriptor name 'echo' differs from the configured slot 'other'");

    snprintf(junk, sizeof(junk), "%s/junk.so", s.root);
    FILE *f = fopen(junk, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("this is not an ELF object\n", f);
    fclose(f);
    CU_ASSERT_PTR_NULL(dsm_slot_load(&s.h, "echo", junk, err, sizeof(err)));
    CU_ASSERT_EQUAL(strncmp(err, "dlopen: ", 8), 0);

    if (access("/lib/x86_64-linux-gnu/libdl.so.2", R_OK) == 0) { /* an ELF without the entry */
        CU_ASSERT_PTR_NULL(
            dsm_slot_load(&s.h, "echo", "/lib/x86_64-linux-gnu/libdl.so.2", err, sizeof(err)));
        CU_ASSERT_STRING_EQUAL(err, "no symbol dsm_plugin_entry (not a DSM plugin)");
    }

    snprintf(want, sizeof(want), "cannot open %s/none.so: No such file or directory", s.root);
    snprintf(junk, sizeof(junk), "%s/none.so", s.root);
    CU_ASSERT_PTR_NULL(dsm_slot_load(&s.h, "echo", junk, err, sizeof(err)));
    CU_ASSERT_STRING_EQUAL(err, want);
    CU_ASSERT_EQUAL(ut_dir_count(s.run), 0); /* refused copies are removed too */
    sw_close(&s);
}

static void test_intel_run_statuses(void)
{
    sw_t s;
    char err[512] = "";
    json_object *all, *res;
    CU_ASSERT_EQUAL_FATAL(sw_open(&s, "intel_echo"), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_load_initial(&s.h, err, sizeof(err)), 0);
    dsm_gen_t *g = dsm_gen_pin(&s.h);

    res = sw_run(&s, g, "P1", 0, &all);
    CU_ASSERT_PTR_NOT_NULL_FATAL(res);
    CU_ASSERT_STRING_EQUAL(sw_str(res, "source"), "echo");
    CU_ASSERT_STRING_EQUAL(sw_str(res, "version"), "1.0.0");
    CU_ASSERT_STRING_EQUAL(sw_str(res, "status"), "ok");
    CU_ASSERT_STRING_EQUAL(sw_str(res, "error"), "(null)");
    json_object *ms = json_object_object_get(res, "ms");
    CU_ASSERT_TRUE(json_object_is_type(ms, json_type_double) && json_object_get_double(ms) >= 0);
    json_object *props = json_object_object_get(res, "proposals");
    CU_ASSERT_EQUAL_FATAL(json_object_array_length(props), 1);
    CU_ASSERT_STRING_EQUAL(
        json_object_to_json_string_ext(json_object_array_get_idx(props, 0), JSON_C_TO_STRING_PLAIN),
        "{\"field\":\"tasks_to_assign\",\"value\":4.0,\"confidence\":0.5,\"evidence_count\":4,"
        "\"reasoning\":\"echo of the backlog size\"}");
    json_object *ins = json_object_object_get(res, "insight");
    CU_ASSERT_STRING_EQUAL(sw_str(ins, "version"), "1.0.0");
    json_object_put(all);

    res = sw_run(&s, g, "DECLINE", 0, &all);
    CU_ASSERT_STRING_EQUAL(sw_str(res, "status"), "declined");
    CU_ASSERT_STRING_EQUAL(sw_str(res, "error"), "(null)");
    CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(res, "proposals")), 0);
    json_object_put(all);

    res = sw_run(&s, g, "FAIL", 0, &all);
    CU_ASSERT_STRING_EQUAL(sw_str(res, "status"), "failed");
    CU_ASSERT_STRING_EQUAL(sw_str(res, "error"), "analyze() failed");
    CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(res, "proposals")), 0);
    json_object_put(all);

    res = sw_run(&s, g, "P1", 1, &all); /* a deadline long past */
    CU_ASSERT_STRING_EQUAL(sw_str(res, "status"), "skipped");
    CU_ASSERT_STRING_EQUAL(sw_str(res, "error"), "deadline exceeded");
    CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(json_object_object_get(res, "ms")), 0, 1e-9);
    CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(res, "proposals")), 0);
    CU_ASSERT_STRING_EQUAL(sw_str(res, "version"), "1.0.0");
    json_object_put(all);

    res = sw_run(&s, g, "SLOW", dsm_now_ns() + 100 * 1000000LL, &all); /* sleeps 300 ms */
    CU_ASSERT_STRING_EQUAL(sw_str(res, "status"), "late");
    CU_ASSERT_STRING_EQUAL(sw_str(res, "error"), "answered after the deadline; proposals ignored");
    CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(res, "proposals")), 0);
    CU_ASSERT_TRUE(json_object_get_double(json_object_object_get(res, "ms")) >= 250);
    json_object_put(all);
    dsm_gen_unpin(&s.h, g);
    sw_close(&s);
}

/* The deadline comes from dc only when dc is big enough to hold it and sets it; else from the
 * request. And record() reaches the plugin's own state. */
static void test_intel_deadline_source_and_record(void)
{
    sw_t s;
    char err[512] = "";
    dsm_thread_t t;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(sw_open(&s, "intel_echo"), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_load_initial(&s.h, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL_FATAL(dsm_thread_setup(&t, &s.h, 0), 0);
    dsm_req_init(&r, &t, "POST", "/x", NULL);
    r.gen = dsm_gen_pin(&s.h);

    /* an old, smaller dsm_decision_t: its deadline member is not read */
    dsm_decision_t small = {.size = (uint32_t)offsetof(dsm_decision_t, deadline_ns),
                            .project_id = "P1", .deadline_ns = 1};
    json_object *all = dsm_intel_run(&r, &small);
    CU_ASSERT_STRING_EQUAL(sw_str(json_object_array_get_idx(all, 0), "status"), "ok");
    CU_ASSERT_STRING_EQUAL(
        json_object_to_json_string_ext(json_object_object_get(json_object_array_get_idx(all, 0),
                                                              "proposals"),
                                       JSON_C_TO_STRING_PLAIN),
        "[{\"field\":\"tasks_to_assign\",\"value\":3.0,\"confidence\":0.5,\"evidence_count\":3,"
        "\"reasoning\":\"echo of the backlog size\"}]"); /* no perception: 3 */
    json_object_put(all);

    /* no deadline in dc: the request's deadline counts */
    dsm_decision_t dc = {.size = sizeof(dc), .project_id = "P1"};
    int64_t saved = r.deadline_ns;
    r.deadline_ns = 1;
    all = dsm_intel_run(&r, &dc);
    CU_ASSERT_STRING_EQUAL(sw_str(json_object_array_get_idx(all, 0), "status"), "skipped");
    json_object_put(all);
    r.deadline_ns = saved;

    dsm_outcome_t oc = {.size = sizeof(oc), .project_id = "P1", .decision_id = "d-1"};
    CU_ASSERT_EQUAL(dsm_intel_record(&r, &oc), DSM_OK);
    CU_ASSERT_EQUAL(dsm_intel_record(&r, &oc), DSM_OK);
    all = dsm_intel_run(&r, &dc);
    json_object *ins = json_object_object_get(json_object_array_get_idx(all, 0), "insight");
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(ins, "recorded")), 2);
    json_object_put(all);

    dsm_gen_unpin(&s.h, r.gen);
    dsm_arena_reset(t.arena);
    dsm_thread_teardown(&t);
    sw_close(&s);
}

DSM_SUITE("core/swap", sw_suite_init, NULL, DSM_TEST(test_initial_load),
          DSM_TEST(test_initial_load_refusals), DSM_TEST(test_hot_swap_keeps_pinned_generation),
          DSM_TEST(test_refused_reload_keeps_serving), DSM_TEST(test_reload_unknown_name),
          DSM_TEST(test_reload_all_and_unchanged_file), DSM_TEST(test_slot_load_direct),
          DSM_TEST(test_intel_run_statuses), DSM_TEST(test_intel_deadline_source_and_record));
