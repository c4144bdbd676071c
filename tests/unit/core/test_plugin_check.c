/* test_plugin_check.c — dsm_plugin_check (core/host/dsm_loader.c) on hand-made descriptors:
 * every refusal with its exact reason, and the descriptors it accepts. */
#include <stdio.h>
#include <string.h>

#include "dsm_test.h"
#include "ut_core.h"

static int pc_handler(void *state, dsm_req_t *req)
{
    return DSM_OK;
}

static int pc_consume(void *state, dsm_req_t *req, const dsm_msg_t *msg)
{
    return DSM_OK;
}

static int pc_analyze(void *state, dsm_req_t *req, const dsm_decision_t *dc, dsm_advice_t *out)
{
    return DSM_DECLINED;
}

static const dsm_route_t pc_routes[] = {{DSM_GET, "/x", pc_handler, 0}, {0, NULL, NULL, 0}};
static const dsm_consumer_t pc_consumers[] = {{"s", "g", pc_consume}, {NULL, NULL, NULL}};

/* A well-formed service descriptor named "svc". */
static dsm_plugin_t pc_service(void)
{
    return (dsm_plugin_t){.magic = DSM_PLUGIN_MAGIC,
                          .abi_major = DSM_ABI_MAJOR,
                          .abi_minor = DSM_ABI_MINOR,
                          .size = sizeof(dsm_plugin_t),
                          .build_sig = DSM_BUILD_SIG,
                          .name = "svc",
                          .version = "1.2.3",
                          .kind = DSM_KIND_SERVICE,
                          .routes = pc_routes};
}

/* A well-formed intelligence descriptor named "echo". */
static dsm_plugin_t pc_intel(void)
{
    dsm_plugin_t d = pc_service();
    d.name = "echo";
    d.kind = DSM_KIND_INTEL;
    d.routes = NULL;
    d.analyze = pc_analyze;
    return d;
}

static void refused(const dsm_plugin_t *d, const char *expect, const char *want)
{
    char err[512] = "";
    CU_ASSERT_EQUAL(dsm_plugin_check(d, expect, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, want);
}

static void accepted(const dsm_plugin_t *d, const char *expect)
{
    char err[512] = "";
    CU_ASSERT_EQUAL(dsm_plugin_check(d, expect, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(err, "");
}

static void test_happy_paths(void)
{
    dsm_plugin_t d = pc_service();
    accepted(&d, "svc");
    accepted(&d, NULL); /* no slot name to compare with */
    d.routes = NULL;
    d.consumers = pc_consumers; /* a consumer-only service */
    accepted(&d, "svc");
    d.routes = pc_routes; /* both */
    accepted(&d, "svc");
    d.name = "a_1_b2";
    accepted(&d, "a_1_b2");
    d = pc_intel();
    accepted(&d, "echo");
    d.name = "abcdefghijklmnopqrstuvwxyz0123456789_abcdefghijklmnopqrstuvwxyz"; /* 63 chars */
    accepted(&d, NULL);
}

static void test_null_descriptor(void)
{
    refused(NULL, "svc", "dsm_plugin_entry() returned NULL");
}

static void test_bad_magic(void)
{
    dsm_plugin_t d = pc_service();
    d.magic = 0x12345678u;
    refused(&d, "svc", "bad magic 0x12345678 (not a DSM plugin)");
    d.magic = 0;
    refused(&d, "svc", "bad magic 0x00000000 (not a DSM plugin)");
}

static void test_abi_major_differs(void)
{
    dsm_plugin_t d = pc_service();
    char want[256];
    d.abi_major = DSM_ABI_MAJOR + 1;
    snprintf(want, sizeof(want), "ABI major %u, host speaks %u: rebuild the plugin against this host",
             DSM_ABI_MAJOR + 1, DSM_ABI_MAJOR);
    refused(&d, "svc", want);
    d.abi_major = 0;
    snprintf(want, sizeof(want), "ABI major 0, host speaks %u: rebuild the plugin against this host",
             DSM_ABI_MAJOR);
    refused(&d, "svc", want);
}

static void test_abi_minor_newer(void)
{
    dsm_plugin_t d = pc_service();
    char want[256];
    d.abi_minor = DSM_ABI_MINOR + 1;
    snprintf(want, sizeof(want), "ABI %u.%u is newer than the host's %u.%u", DSM_ABI_MAJOR,
             DSM_ABI_MINOR + 1, DSM_ABI_MAJOR, DSM_ABI_MINOR);
    refused(&d, "svc", want);
}

static void test_size_differs(void)
{
    dsm_plugin_t d = pc_service();
    char want[256];
    d.size = (uint32_t)sizeof(dsm_plugin_t) - 8;
    snprintf(want, sizeof(want), "descriptor size %zu, host expects %zu", sizeof(dsm_plugin_t) - 8,
             sizeof(dsm_plugin_t));
    refused(&d, "svc", want);
    d.size = (uint32_t)sizeof(dsm_plugin_t) + 8;
    snprintf(want, sizeof(want), "descriptor size %zu, host expects %zu", sizeof(dsm_plugin_t) + 8,
             sizeof(dsm_plugin_t));
    refused(&d, "svc", want);
}

static void test_build_signature_differs(void)
{
    dsm_plugin_t d = pc_service();
    d.build_sig = "ptr4-long4-jsonc5";
    refused(&d, "svc", "build signature 'ptr4-long4-jsonc5', host has '" DSM_BUILD_SIG "'");
    d.build_sig = NULL;
    refused(&d, "svc", "build signature '(null)', host has '" DSM_BUILD_SIG "'");
}

static void test_bad_names(void)
{
    static const char *const bad[] = {
        NULL, "", "Svc", "svc-1", "svc.so", "svc name", "sv\xC3\xA9",
        "abcdefghijklmnopqrstuvwxyz0123456789_abcdefghijklmnopqrstuvwxyz0"}; /* 64 chars */
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        dsm_plugin_t d = pc_service();
        d.name = bad[i];
        refused(&d, NULL, "plugin name must match [a-z0-9_]{1,63}");
    }
}

static void test_name_differs_from_slot(void)
{
    dsm_plugin_t d = pc_intel();
    refused(&d, "project", "descriptor name 'echo' differs from the configured slot 'project'");
    refused(&d, "ech", "descriptor name 'echo' differs from the configured slot 'ech'");
}

static void test_missing_version(void)
{
    dsm_plugin_t d = pc_service();
    d.version = NULL;
    refused(&d, "svc", "plugin 'svc' has no version");
    d.version = "";
    refused(&d, "svc", "plugin 'svc' has no version");
}

static void test_service_without_routes_or_consumers(void)
{
    dsm_plugin_t d = pc_service();
    d.routes = NULL;
    refused(&d, "svc", "service plugin 'svc' has neither routes nor consumers");
}

static void test_intel_without_analyze(void)
{
    dsm_plugin_t d = pc_intel();
    d.analyze = NULL;
    refused(&d, "echo", "intelligence plugin 'echo' has no analyze()");
}

static void test_intel_with_routes(void)
{
    dsm_plugin_t d = pc_intel();
    d.routes = pc_routes;
    refused(&d, "echo", "intelligence plugin 'echo' must not declare routes");
}

static void test_unknown_kind(void)
{
    dsm_plugin_t d = pc_service();
    d.kind = (dsm_kind_e)0;
    refused(&d, "svc", "plugin 'svc' has unknown kind 0");
    d.kind = (dsm_kind_e)3;
    refused(&d, "svc", "plugin 'svc' has unknown kind 3");
}

/* The first failing check is the one reported. */
static void test_first_reason_wins(void)
{
    dsm_plugin_t d = pc_service();
    d.abi_major = 9;
    d.size = 1;
    d.name = "BAD";
    char want[256];
    snprintf(want, sizeof(want), "ABI major 9, host speaks %u: rebuild the plugin against this host",
             DSM_ABI_MAJOR);
    refused(&d, "svc", want);
}

/* A short error buffer is truncated, never overrun. */
static void test_error_buffer_is_bounded(void)
{
    dsm_plugin_t d = pc_service();
    char err[12];
    memset(err, 'Z', sizeof(err));
    d.magic = 1;
    CU_ASSERT_EQUAL(dsm_plugin_check(&d, "svc", err, 8), -1);
    CU_ASSERT_STRING_EQUAL(err, "bad mag");
    CU_ASSERT_EQUAL(err[8], 'Z');
}

DSM_SUITE("core/plugin_check", NULL, NULL, DSM_TEST(test_happy_paths), DSM_TEST(test_null_descriptor),
          DSM_TEST(test_bad_magic), DSM_TEST(test_abi_major_differs), DSM_TEST(test_abi_minor_newer),
          DSM_TEST(test_size_differs), DSM_TEST(test_build_signature_differs),
          DSM_TEST(test_bad_names), DSM_TEST(test_name_differs_from_slot),
          DSM_TEST(test_missing_version), DSM_TEST(test_service_without_routes_or_consumers),
          DSM_TEST(test_intel_without_analyze), DSM_TEST(test_intel_with_routes),
          DSM_TEST(test_unknown_kind), DSM_TEST(test_first_reason_wins),
          DSM_TEST(test_error_buffer_is_bounded));
