/* test_intel_params.c — conf_num and the decision-parameter readers of the API table
 * (api->intel_wanted / intel_budget_ms, docs/ORCHESTRATOR.md §4) shared by every
 * intelligence plugin. */
#include <json-c/json.h>

#include "dsm_core.h"
#include "dsm_test.h"

static dsm_decision_t dc_with(json_object *params)
{
    dsm_decision_t dc = {.size = sizeof(dc), .project_id = "P1", .params = params};
    return dc;
}

static void test_wanted(void)
{
    json_object *p = json_tokener_parse("{\"phase\":\"advise\",\"sources\":[\"chronicle\","
                                        "\"strategy\"]}");
    dsm_decision_t dc = dc_with(p);
    CU_ASSERT_TRUE(dsm_intel_wanted(&dc, "chronicle"));
    CU_ASSERT_TRUE(dsm_intel_wanted(&dc, "strategy"));
    CU_ASSERT_FALSE(dsm_intel_wanted(&dc, "rules"));
    CU_ASSERT_FALSE(dsm_intel_wanted(&dc, NULL));
    json_object_put(p);
    p = json_tokener_parse("{\"sources\":[]}");
    dc = dc_with(p);
    CU_ASSERT_FALSE(dsm_intel_wanted(&dc, "advisor"));
    json_object_put(p);
    p = json_tokener_parse("{\"sources\":\"rules\"}"); /* not a list: everyone */
    dc = dc_with(p);
    CU_ASSERT_TRUE(dsm_intel_wanted(&dc, "advisor"));
    json_object_put(p);
    dc = dc_with(NULL); /* the admin intel/run endpoint: no params */
    CU_ASSERT_TRUE(dsm_intel_wanted(&dc, "rules"));
    CU_ASSERT_TRUE(dsm_intel_wanted(NULL, "rules"));
    dsm_decision_t old = {.size = offsetof(dsm_decision_t, params)}; /* an older, smaller dc */
    CU_ASSERT_TRUE(dsm_intel_wanted(&old, "rules"));
}

static void test_budget(void)
{
    json_object *p = json_tokener_parse(
        "{\"source\":{\"chronicle\":{\"deadline_ms\":250},\"episodes\":{\"deadline_ms\":1500.7},"
        "\"bad\":{\"deadline_ms\":\"9\"},\"zero\":{\"deadline_ms\":0}}}");
    dsm_decision_t dc = dc_with(p);
    CU_ASSERT_EQUAL(dsm_intel_budget_ms(&dc, "chronicle", 1000), 250);
    CU_ASSERT_EQUAL(dsm_intel_budget_ms(&dc, "episodes", 1000), 1500);
    CU_ASSERT_EQUAL(dsm_intel_budget_ms(&dc, "strategy", 500), 500);
    CU_ASSERT_EQUAL(dsm_intel_budget_ms(&dc, "bad", 7), 7);
    CU_ASSERT_EQUAL(dsm_intel_budget_ms(&dc, "zero", 7), 7);
    json_object_put(p);
    dc = dc_with(NULL);
    CU_ASSERT_EQUAL(dsm_intel_budget_ms(&dc, "chronicle", 1000), 1000);
}

static void test_conf_num(void)
{
    dsm_config_t cfg = {0};
    char err[256];
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "conf.x.t", "250", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "conf.x.f", "0.75 ", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "conf.x.bad", "12ms", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dsm_config_set(&cfg, "conf.x.big", "1e9", err, sizeof(err)), 0);
    struct dsm_conf_s conf = {.cfg = &cfg, .plugin = "x"};
    const dsm_api_t *api = dsm_api_table();
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num(&conf, "t", 1, 0, 1000), 250, 0);
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num(&conf, "f", 1, 0, 1), 0.75, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num(&conf, "bad", 5, 0, 100), 5, 0);
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num(&conf, "big", 5, 0, 100), 5, 0); /* out of range */
    CU_ASSERT_DOUBLE_EQUAL(api->conf_num(&conf, "unset", 3, 0, 100), 3, 0);
    dsm_config_free(&cfg);
}

DSM_SUITE("core/intel_params", NULL, NULL, DSM_TEST(test_wanted), DSM_TEST(test_budget),
          DSM_TEST(test_conf_num));
