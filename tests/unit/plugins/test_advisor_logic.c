/* test_advisor_logic.c — the pure part of the AI advisor (plugins/intel_advisor/advisor_logic.c):
 * the prompt, the request body, the parsing rules of the original's test_ollama_advisor.py
 * (spec/workflows.md §6) and the ai_agent_advisory shapes (spec/orchestrator.md §7.5). */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor_logic.h"
#include "dsm_test.h"

static json_object *parse(const char *s)
{
    json_object *o = json_tokener_parse(s);
    CU_ASSERT_PTR_NOT_NULL(o);
    return o;
}

static const char *str_of(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, key, &v);
    return v;
}

static void expect_in(const char *hay, const char *needle)
{
    int ok = hay && strstr(hay, needle) != NULL;
    CU_ASSERT_TRUE(ok);
    if (!ok)
        fprintf(stderr, "\n  missing \"%s\"\n", needle);
}

static adv_input_t sample_input(json_object *scores, json_object *adj)
{
    adv_input_t in = {
        .project_id = "TEST-001",
        .team_size = 5,
        .unassigned_tasks = 8,
        .create_new_sprint = 1,
        .tasks_to_assign = 6,
        .sprint_duration_weeks = 2,
        .decision_source = "intelligence_enhanced",
        .reasoning = "No active sprint found and unassigned tasks exist.",
        .confidence_scores = scores,
        .adjustments = adj,
    };
    return in;
}

static void test_prompt_contents(void)
{
    json_object *scores = parse("{\"overall_decision_confidence\": 0.75, \"intelligence_threshold_met\": true}");
    json_object *adj = parse("{\"task_count_modification\": {\"original_recommendation\": 8, \"applied_value\": 6}}");
    adv_input_t in = sample_input(scores, adj);
    char *p = adv_prompt(&in);

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    expect_in(p, "TEST-001");
    expect_in(p, "Team Size: 5");
    expect_in(p, "Available Tasks: 8");
    expect_in(p, "Create New Sprint: True");
    expect_in(p, "Tasks to Assign: 6");
    expect_in(p, "Sprint Duration: 2 weeks");
    expect_in(p, "intelligence_enhanced");
    expect_in(p, "Reasoning: No active sprint found and unassigned tasks exist.");
    expect_in(p, "Confidence Scores");
    expect_in(p, "Intelligence Adjustments");
    expect_in(p, "valid JSON");
    expect_in(p, "\"summary\"");
    expect_in(p, "\"recommendations\"");
    expect_in(p, "\"risk_assessment\"");
    expect_in(p, "Low|Medium|High");
    /* 2-space-indented JSON, like json.dumps(indent=2) */
    expect_in(p, "- Confidence Scores: {\n  \"overall_decision_confidence\": 0.75,\n  \"intelligence_threshold_met\": true\n}");
    expect_in(p, "\"applied_value\": 6");
    /* order: CONTEXT, DECISION MADE, INTELLIGENCE DATA, TASK */
    CU_ASSERT_TRUE(strstr(p, "CONTEXT:") < strstr(p, "DECISION MADE:"));
    CU_ASSERT_TRUE(strstr(p, "DECISION MADE:") < strstr(p, "INTELLIGENCE DATA:"));
    CU_ASSERT_TRUE(strstr(p, "INTELLIGENCE DATA:") < strstr(p, "TASK:"));
    free(p);
    json_object_put(scores);
    json_object_put(adj);
}

static void test_prompt_empty_data(void)
{
    json_object *empty = parse("{}");
    adv_input_t in = sample_input(empty, NULL);
    in.create_new_sprint = 0;
    in.team_size = -1;
    in.reasoning = NULL;
    char *p = adv_prompt(&in);

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    expect_in(p, "- Confidence Scores: None\n");
    expect_in(p, "- Intelligence Adjustments: None\n");
    expect_in(p, "Create New Sprint: False");
    expect_in(p, "Team Size: unknown");
    expect_in(p, "Reasoning: None");
    free(p);
    json_object_put(empty);
}

static void test_input_from_contract(void)
{
    /* perception and final decision shaped as docs/ORCHESTRATOR.md §2 and spec §1.4 */
    json_object *perc = parse("{\"team\": {\"size\": 4, \"members\": [{}, {}, {}, {}]},"
                              " \"backlog\": {\"total_tasks\": 12, \"unassigned\": 9}}");
    json_object *dec = parse("{\"create_new_sprint\": true, \"tasks_to_assign\": 7,"
                             " \"sprint_duration_weeks\": 3, \"decision_source\": \"hybrid\","
                             " \"reasoning\": \"because\", \"confidence_scores\": {\"x\": 1},"
                             " \"intelligence_adjustments\": {}}");
    adv_input_t in;

    adv_input_from_json(&in, "P9", perc, dec);
    CU_ASSERT_STRING_EQUAL(in.project_id, "P9");
    CU_ASSERT_EQUAL(in.team_size, 4);
    CU_ASSERT_EQUAL(in.unassigned_tasks, 9);
    CU_ASSERT_EQUAL(in.create_new_sprint, 1);
    CU_ASSERT_EQUAL(in.tasks_to_assign, 7);
    CU_ASSERT_EQUAL(in.sprint_duration_weeks, 3);
    CU_ASSERT_STRING_EQUAL(in.decision_source, "hybrid");
    CU_ASSERT_STRING_EQUAL(in.reasoning, "because");
    CU_ASSERT_PTR_NOT_NULL(in.confidence_scores);
    CU_ASSERT_PTR_NOT_NULL(in.adjustments);
    json_object_put(perc);
    json_object_put(dec);

    /* team as a list of members only; nothing else known */
    perc = parse("{\"team_members\": [1, 2, 3]}");
    adv_input_from_json(&in, NULL, perc, NULL);
    CU_ASSERT_EQUAL(in.team_size, 3);
    CU_ASSERT_EQUAL(in.unassigned_tasks, -1);
    CU_ASSERT_EQUAL(in.create_new_sprint, -1);
    CU_ASSERT_EQUAL(in.tasks_to_assign, -1);
    CU_ASSERT_PTR_NULL(in.decision_source);
    json_object_put(perc);
}

static void test_request_body(void)
{
    json_object *b = adv_request_body("llama3.2:latest", "hello"), *opt;

    CU_ASSERT_STRING_EQUAL(str_of(b, "model"), "llama3.2:latest");
    CU_ASSERT_STRING_EQUAL(str_of(b, "prompt"), "hello");
    CU_ASSERT_TRUE(json_object_is_type(member(b, "stream"), json_type_boolean));
    CU_ASSERT_FALSE(json_object_get_boolean(member(b, "stream")));
    CU_ASSERT_STRING_EQUAL(str_of(b, "format"), "json");
    opt = member(b, "options");
    CU_ASSERT_DOUBLE_EQUAL(json_object_get_double(member(opt, "temperature")), 0.3, 1e-12);
    CU_ASSERT_EQUAL(json_object_get_int(member(opt, "num_predict")), 500);
    CU_ASSERT_PTR_NULL(member(opt, "stop")); /* Appendix A #35 */
    json_object_put(b);
}

static void test_parse_valid(void)
{
    adv_parse_e how;
    json_object *r = adv_parse_text("{\"summary\": \"Sprint created with 6 tasks.\", "
                                    "\"recommendations\": [\"Watch velocity\", \"Groom backlog\"], "
                                    "\"risk_assessment\": \"Medium\"}",
                                    &how);

    CU_ASSERT_EQUAL(how, ADV_PARSE_OK);
    CU_ASSERT_STRING_EQUAL(str_of(r, "summary"), "Sprint created with 6 tasks.");
    CU_ASSERT_EQUAL(json_object_array_length(member(r, "recommendations")), 2);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(member(r, "recommendations"), 1)),
                           "Groom backlog");
    CU_ASSERT_STRING_EQUAL(str_of(r, "risk_assessment"), "Medium");
    json_object_put(r);

    /* JSON inside prose: from the first { to the last } */
    r = adv_parse_text("Sure! Here it is: {\"summary\": \"ok\", \"risk_assessment\": \"High\"} Hope it helps.", &how);
    CU_ASSERT_EQUAL(how, ADV_PARSE_OK);
    CU_ASSERT_STRING_EQUAL(str_of(r, "summary"), "ok");
    CU_ASSERT_STRING_EQUAL(str_of(r, "risk_assessment"), "High");
    CU_ASSERT_EQUAL(json_object_array_length(member(r, "recommendations")), 0); /* missing → [] */
    json_object_put(r);
}

static void test_parse_risk(void)
{
    adv_parse_e how;
    json_object *r = adv_parse_text("{\"summary\": \"s\", \"recommendations\": [], \"risk_assessment\": \"Extreme\"}", &how);
    CU_ASSERT_EQUAL(how, ADV_PARSE_OK);
    CU_ASSERT_STRING_EQUAL(str_of(r, "risk_assessment"), "Low");
    json_object_put(r);
    r = adv_parse_text("{\"summary\": \"s\", \"risk_assessment\": \"high\"}", &how);
    CU_ASSERT_STRING_EQUAL(str_of(r, "risk_assessment"), "High");
    json_object_put(r);
    r = adv_parse_text("{\"summary\": \"s\", \"risk_assessment\": 3}", &how);
    CU_ASSERT_STRING_EQUAL(str_of(r, "risk_assessment"), "Low");
    json_object_put(r);
    r = adv_parse_text("{\"summary\": \"s\"}", &how); /* missing → Low */
    CU_ASSERT_STRING_EQUAL(str_of(r, "risk_assessment"), "Low");
    json_object_put(r);
}

static void test_parse_no_json(void)
{
    static const char *const texts[] = {"This is not JSON at all", "", "{\"summary\": \"cut off in the mi",
                                        "} backwards {", NULL};
    for (size_t i = 0; texts[i]; i++) {
        adv_parse_e how;
        json_object *r = adv_parse_text(texts[i], &how);
        CU_ASSERT_EQUAL(how, ADV_PARSE_NO_JSON);
        expect_in(str_of(r, "summary"), "successfully");
        CU_ASSERT_STRING_EQUAL(str_of(r, "summary"), ADV_NO_JSON_SUMMARY);
        CU_ASSERT_STRING_EQUAL(str_of(r, "risk_assessment"), "Low");
        CU_ASSERT_EQUAL(json_object_array_length(member(r, "recommendations")), 1);
        CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(member(r, "recommendations"), 0)),
                               "Monitor project progress closely");
        json_object_put(r);
    }
    json_object *r = adv_parse_text(NULL, NULL);
    CU_ASSERT_STRING_EQUAL(str_of(r, "summary"), ADV_NO_JSON_SUMMARY);
    json_object_put(r);
}

static void test_parse_bad_json(void)
{
    static const char *const texts[] = {"{summary: not json}", "{\"a\": 1} and {\"b\": 2}",
                                        "{\"summary\": \"x\",}", "{[1, 2]}", NULL};
    for (size_t i = 0; texts[i]; i++) {
        adv_parse_e how;
        json_object *r = adv_parse_text(texts[i], &how);
        CU_ASSERT_EQUAL(how, ADV_PARSE_BAD_JSON);
        CU_ASSERT_STRING_EQUAL(str_of(r, "summary"), ADV_BAD_JSON_SUMMARY);
        CU_ASSERT_STRING_EQUAL(str_of(r, "risk_assessment"), "Low");
        CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(member(r, "recommendations"), 0)),
                               "Continue monitoring project metrics");
        json_object_put(r);
    }
}

static void test_parse_limits(void)
{
    char *text = malloc(8192), big[801], rec[301];
    adv_parse_e how;

    memset(big, 'S', 800);
    big[800] = '\0';
    memset(rec, 'r', 300);
    rec[300] = '\0';
    snprintf(text, 8192,
             "{\"summary\": \"%s\", \"recommendations\": [\"%s\", 42, \"b\", null, \"c\", \"d\", \"e\"],"
             " \"risk_assessment\": \"Low\"}",
             big, rec);
    json_object *r = adv_parse_text(text, &how), *recs = member(r, "recommendations");
    CU_ASSERT_EQUAL(how, ADV_PARSE_OK);
    CU_ASSERT_EQUAL(strlen(str_of(r, "summary")), 500);
    CU_ASSERT_EQUAL(json_object_array_length(recs), 3); /* non-strings skipped, first 3 kept */
    CU_ASSERT_EQUAL(strlen(json_object_get_string(json_object_array_get_idx(recs, 0))), 200);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(recs, 1)), "b");
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(recs, 2)), "c");
    json_object_put(r);

    /* missing summary; recommendations not a list */
    r = adv_parse_text("{\"recommendations\": \"do it\"}", &how);
    CU_ASSERT_STRING_EQUAL(str_of(r, "summary"), ADV_NO_SUMMARY);
    CU_ASSERT_EQUAL(json_object_array_length(member(r, "recommendations")), 0);
    json_object_put(r);

    /* characters, not bytes: 600 × "é" (2 bytes each) → 500 characters */
    size_t off = 0;
    off += (size_t)snprintf(text + off, 8192 - off, "{\"summary\": \"");
    for (int i = 0; i < 600; i++)
        off += (size_t)snprintf(text + off, 8192 - off, "\xc3\xa9");
    snprintf(text + off, 8192 - off, "\"}");
    r = adv_parse_text(text, &how);
    CU_ASSERT_EQUAL(strlen(str_of(r, "summary")), 1000);
    json_object_put(r);
    free(text);

    char *p = adv_utf8_prefix("ab\xe2\x82\xac" "cd", 3);
    CU_ASSERT_STRING_EQUAL(p, "ab\xe2\x82\xac");
    free(p);
}

static void test_advisory_shapes(void)
{
    adv_parse_e how;
    json_object *ok = adv_advisory_ok("llama3.2:latest", 123,
                                      adv_parse_text("{\"summary\":\"s\",\"recommendations\":[\"r\"],\"risk_assessment\":\"High\"}", &how));
    CU_ASSERT_TRUE(json_object_get_boolean(member(ok, "enabled")));
    CU_ASSERT_EQUAL(json_object_get_int64(member(ok, "generation_time_ms")), 123);
    CU_ASSERT_STRING_EQUAL(str_of(ok, "model"), "llama3.2:latest");
    CU_ASSERT_STRING_EQUAL(str_of(ok, "summary"), "s");
    CU_ASSERT_STRING_EQUAL(str_of(ok, "risk_assessment"), "High");
    CU_ASSERT_EQUAL(json_object_array_length(member(ok, "recommendations")), 1);
    CU_ASSERT_EQUAL(json_object_object_length(ok), 6);
    json_object_put(ok);

    /* timeout: generation_time_ms == timeout · 1000 (5 s → 5000) */
    json_object *t = adv_advisory_timeout(5000);
    CU_ASSERT_FALSE(json_object_get_boolean(member(t, "enabled")));
    CU_ASSERT_EQUAL(json_object_get_int64(member(t, "generation_time_ms")), 5000);
    expect_in(str_of(t, "error"), "timeout");
    CU_ASSERT_STRING_EQUAL(str_of(t, "error"), "Advisory timeout - proceeding with standard decision");
    expect_in(str_of(t, "fallback"), "AI advisor unavailable");
    json_object_put(t);

    char err[301];
    memset(err, 'e', 300);
    err[300] = '\0';
    json_object *f = adv_advisory_failed(17, err);
    CU_ASSERT_FALSE(json_object_get_boolean(member(f, "enabled")));
    CU_ASSERT_EQUAL(json_object_get_int64(member(f, "generation_time_ms")), 17);
    CU_ASSERT_EQUAL(strlen(str_of(f, "error")), strlen("Advisory generation failed: ") + 100);
    CU_ASSERT_EQUAL(strncmp(str_of(f, "error"), "Advisory generation failed: eee", 31), 0);
    CU_ASSERT_STRING_EQUAL(str_of(f, "fallback"), "AI advisor unavailable - using standard decision process");
    json_object_put(f);

    json_object *d = adv_advisory_disabled();
    CU_ASSERT_FALSE(json_object_get_boolean(member(d, "enabled")));
    expect_in(str_of(d, "message"), "advisor not configured");
    json_object_put(d);
}

static void test_timeout_detection(void)
{
    CU_ASSERT_TRUE(adv_is_timeout("Timeout was reached"));
    CU_ASSERT_TRUE(adv_is_timeout("Operation timed out after 500 milliseconds with 0 bytes received"));
    CU_ASSERT_TRUE(adv_is_timeout("deadline exceeded"));
    CU_ASSERT_FALSE(adv_is_timeout("Couldn't connect to server"));
    CU_ASSERT_FALSE(adv_is_timeout("Circuit breaker is OPEN"));
    CU_ASSERT_FALSE(adv_is_timeout(NULL));
}

DSM_SUITE("plugins/advisor_logic", NULL, NULL, DSM_TEST(test_prompt_contents),
          DSM_TEST(test_prompt_empty_data), DSM_TEST(test_input_from_contract),
          DSM_TEST(test_request_body), DSM_TEST(test_parse_valid), DSM_TEST(test_parse_risk),
          DSM_TEST(test_parse_no_json), DSM_TEST(test_parse_bad_json), DSM_TEST(test_parse_limits),
          DSM_TEST(test_advisory_shapes), DSM_TEST(test_timeout_detection));
