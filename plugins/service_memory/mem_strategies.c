/*
 * mem_strategies.c — learned knowledge (agent_knowledge rows; "strategies" in the API):
 * create, list, get, update. success_rate is the table's generated column and is never
 * written (orchestrator.md Appendix A #24); counters are set or incremented.
 */
#include <string.h>

#include "mem_internal.h"

#define MEM_STRATEGY_COLS                                                                          \
    "knowledge_id, knowledge_type, content, description, confidence, "                             \
    "to_jsonb(supporting_episodes), to_jsonb(contradicting_episodes), times_applied, "             \
    "success_count, failure_count, success_rate, created_at, last_validated, last_applied, "       \
    "created_by, is_active"

#define MEM_COUNT_MAX 1000000000

static const char *const knowledge_types[] = {"strategy", "pattern", "constraint", "heuristic"};

static struct json_object *strategy_json(mem_state_t *st, dsm_req_t *req, const dsm_rows_t *r,
                                         int row)
{
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object();

#define V(i) api->rows_value(r, row, (i))
    json_object_object_add(o, "knowledge_id", mem_jstr(V(0)));
    json_object_object_add(o, "knowledge_type", mem_jstr(V(1)));
    json_object_object_add(o, "content", mem_jjson(V(2)));
    json_object_object_add(o, "description", mem_jstr(V(3)));
    json_object_object_add(o, "confidence", mem_jnum(V(4)));
    json_object_object_add(o, "supporting_episodes", mem_jjson(V(5)));
    json_object_object_add(o, "contradicting_episodes", mem_jjson(V(6)));
    json_object_object_add(o, "times_applied", mem_jint(V(7)));
    json_object_object_add(o, "success_count", mem_jint(V(8)));
    json_object_object_add(o, "failure_count", mem_jint(V(9)));
    json_object_object_add(o, "success_rate", mem_jnum(V(10)));
    json_object_object_add(o, "created_at", mem_jts(st, req, V(11)));
    json_object_object_add(o, "last_validated", mem_jts(st, req, V(12)));
    json_object_object_add(o, "last_applied", mem_jts(st, req, V(13)));
    json_object_object_add(o, "created_by", mem_jstr(V(14)));
    json_object_object_add(o, "is_active", mem_jbool(V(15)));
#undef V
    return o;
}

static void check_type(const mem_obj_t *o, const char *type)
{
    if (type == NULL)
        return;
    for (size_t i = 0; i < sizeof(knowledge_types) / sizeof(*knowledge_types); i++)
        if (strcmp(type, knowledge_types[i]) == 0)
            return;
    mem_f_problem(o, "knowledge_type", "literal_error",
                  "Input should be 'strategy', 'pattern', 'constraint' or 'heuristic'",
                  json_object_object_get(o->obj, "knowledge_type"));
}

static const char *num_param(mem_state_t *st, dsm_req_t *req, int present, double v)
{
    return present > 0 ? mem_num_text(st, req, v) : NULL;
}

static const char *int_param(mem_state_t *st, dsm_req_t *req, int present, int64_t v)
{
    return present > 0 ? st->api->psprintf(req, "%lld", (long long)v) : NULL;
}

static const char *bool_param(int present, int v)
{
    return present > 0 ? (v ? "true" : "false") : NULL;
}

/* POST /v1/memory/strategies — body {"description" (required), "content" {...} (required),
 * "knowledge_type" ("strategy"), "confidence" (0.5), "supporting_episodes" [uuid],
 * "contradicting_episodes" [uuid], "times_applied"/"success_count"/"failure_count" (0),
 * "created_by" ("system"), "is_active" (true)} → 201 with the row. */
int mem_strategy_create(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    mem_obj_t o = {st, req, api->req_body(req), ""};
    const char *p[11] = {0};
    struct json_object *content = NULL;
    double conf = 0;
    int64_t cnt[3] = {0, 0, 0};
    int has_conf, has_cnt[3], active = 1, has_active;
    static const char *const cnt_names[3] = {"times_applied", "success_count", "failure_count"};
    dsm_rows_t *r;

    mem_f_str(&o, "knowledge_type", 0, MEM_MAX_KNOWLEDGE_TYPE, &p[0]);
    check_type(&o, p[0]);
    mem_f_json(&o, "content", 1, 0, &content);
    mem_f_str(&o, "description", 1, 0, &p[2]);
    has_conf = mem_f_num(&o, "confidence", 0, 0.0, 1.0, &conf);
    mem_f_uuid_list(&o, "supporting_episodes", 0, &p[4]);
    mem_f_uuid_list(&o, "contradicting_episodes", 0, &p[5]);
    for (int i = 0; i < 3; i++)
        has_cnt[i] = mem_f_int(&o, cnt_names[i], 0, 0, MEM_COUNT_MAX, &cnt[i]);
    mem_f_str(&o, "created_by", 0, MEM_MAX_CREATED_BY, &p[9]);
    has_active = mem_f_bool(&o, "is_active", 0, &active);
    if (api->v_failed(req))
        return DSM_OK;
    p[0] = p[0] != NULL ? p[0] : "strategy";
    p[1] = mem_json_text(st, req, content);
    p[3] = num_param(st, req, has_conf, conf);
    for (int i = 0; i < 3; i++)
        p[6 + i] = int_param(st, req, has_cnt[i], cnt[i]);
    p[10] = bool_param(has_active, active);
    r = api->db_exec(req, MEM_DB,
                     "INSERT INTO agent_knowledge (knowledge_type, content, description, confidence, "
                     "supporting_episodes, contradicting_episodes, times_applied, success_count, "
                     "failure_count, created_by, is_active) VALUES ($1, $2::jsonb, $3, "
                     "COALESCE($4::float8, 0.5), COALESCE($5::uuid[], '{}'), "
                     "COALESCE($6::uuid[], '{}'), COALESCE($7::int, 0), COALESCE($8::int, 0), "
                     "COALESCE($9::int, 0), COALESCE($10, 'system'), COALESCE($11::boolean, true)) "
                     "RETURNING " MEM_STRATEGY_COLS,
                     11, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    return api->reply_json(req, 201, strategy_json(st, req, r, 0));
}

/* GET /v1/memory/strategies?knowledge_type=&min_confidence=&include_inactive=false&limit=50
 * &as_of= — best first: confidence DESC, success_rate DESC NULLS LAST, created_at DESC.
 * as_of (a timestamp; no zone = UTC): only strategies that existed then — created at or before
 * it, and (unless include_inactive) active then: active now, or last validated (deactivated)
 * after it. A replay asks for this so that it never learns from strategies made later;
 * confidence and counters are today's (their history is not kept). */
int mem_strategy_list(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *p[5] = {NULL, NULL, "false", "50", NULL};
    double minc = 0;
    int64_t limit = 50;
    int inactive = 0, n;
    struct json_object *arr, *o;
    dsm_rows_t *r;

    api->v_str(req, "query", "knowledge_type", 0, &p[0]);
    if (api->v_float(req, "query", "min_confidence", 0, &minc) > 0) {
        mem_check_range(st, req, "query", "min_confidence", minc, 0.0, 1.0);
        p[1] = mem_num_text(st, req, minc);
    }
    api->v_bool(req, "query", "include_inactive", 0, &inactive);
    api->v_str(req, "query", "as_of", 0, &p[4]);
    if (p[4] != NULL && (strlen(p[4]) < 10 || strlen(p[4]) > 40))
        api->v_problem(req, "query", "as_of", "datetime_parsing",
                       "Input should be a valid datetime", NULL);
    if (api->v_int(req, "query", "limit", 0, &limit) > 0)
        mem_check_range(st, req, "query", "limit", (double)limit, 1, 1000);
    if (api->v_failed(req))
        return DSM_OK;
    p[2] = inactive ? "true" : "false";
    p[3] = api->psprintf(req, "%lld", (long long)limit);
    r = api->db_exec(req, MEM_DB,
                     "SELECT " MEM_STRATEGY_COLS " FROM agent_knowledge "
                     "WHERE ($1::text IS NULL OR knowledge_type = $1) "
                     "AND ($2::float8 IS NULL OR confidence >= $2::float8) "
                     "AND ($3::boolean OR is_active OR ($5::timestamptz IS NOT NULL "
                     "AND last_validated > $5::timestamptz)) "
                     "AND ($5::timestamptz IS NULL OR created_at <= $5::timestamptz) "
                     "ORDER BY confidence DESC NULLS LAST, success_rate DESC NULLS LAST, "
                     "created_at DESC, knowledge_id LIMIT $4::int",
                     5, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, strategy_json(st, req, r, i));
    o = json_object_new_object();
    json_object_object_add(o, "strategies", arr);
    json_object_object_add(o, "count", json_object_new_int(n));
    return api->reply_json(req, 200, o);
}

/* GET /v1/memory/strategies/{strategy_id} — 404 when unknown. */
int mem_strategy_get(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *p[1] = {mem_path_uuid(st, req, "strategy_id")};
    dsm_rows_t *r;

    if (api->v_failed(req))
        return DSM_OK;
    r = api->db_exec(req, MEM_DB,
                     "SELECT " MEM_STRATEGY_COLS " FROM agent_knowledge WHERE knowledge_id = $1::uuid",
                     1, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Strategy %s not found", p[0]);
    return api->reply_json(req, 200, strategy_json(st, req, r, 0));
}

/* PATCH /v1/memory/strategies/{strategy_id} — every member optional: "description",
 * "content", "confidence", "is_active", "supporting_episodes", "contradicting_episodes",
 * "times_applied"/"success_count"/"failure_count" (set), "add_times_applied"/
 * "add_success_count"/"add_failure_count" (increment, applied after a set), "mark_applied"
 * (last_applied = now), "mark_validated" (last_validated = now). 200 with the row; 404. */
int mem_strategy_update(void *state, dsm_req_t *req)
{
    static const char *const cnt_names[6] = {"times_applied",     "success_count",
                                             "failure_count",     "add_times_applied",
                                             "add_success_count", "add_failure_count"};
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    mem_obj_t o = {st, req, api->req_body(req), ""};
    const char *p[15] = {0};
    struct json_object *content = NULL;
    double conf = 0;
    int64_t cnt[6];
    int has_conf, active = 0, has_active, applied = 0, validated = 0, has_cnt[6];
    dsm_rows_t *r;

    p[0] = mem_path_uuid(st, req, "strategy_id");
    mem_f_str(&o, "description", 0, 0, &p[1]);
    mem_f_json(&o, "content", 0, 0, &content);
    has_conf = mem_f_num(&o, "confidence", 0, 0.0, 1.0, &conf);
    has_active = mem_f_bool(&o, "is_active", 0, &active);
    mem_f_uuid_list(&o, "supporting_episodes", 0, &p[5]);
    mem_f_uuid_list(&o, "contradicting_episodes", 0, &p[6]);
    for (int i = 0; i < 6; i++)
        has_cnt[i] = mem_f_int(&o, cnt_names[i], 0, 0, MEM_COUNT_MAX, &cnt[i]);
    mem_f_bool(&o, "mark_applied", 0, &applied);
    mem_f_bool(&o, "mark_validated", 0, &validated);
    if (api->v_failed(req))
        return DSM_OK;
    p[2] = mem_json_text(st, req, content);
    p[3] = num_param(st, req, has_conf, conf);
    p[4] = bool_param(has_active, active);
    for (int i = 0; i < 6; i++)
        p[7 + i] = int_param(st, req, has_cnt[i], cnt[i]);
    p[13] = applied ? "true" : "false";
    p[14] = validated ? "true" : "false";
    r = api->db_exec(req, MEM_DB,
                     "UPDATE agent_knowledge SET description = COALESCE($2, description), "
                     "content = COALESCE($3::jsonb, content), "
                     "confidence = COALESCE($4::float8, confidence), "
                     "is_active = COALESCE($5::boolean, is_active), "
                     "supporting_episodes = COALESCE($6::uuid[], supporting_episodes), "
                     "contradicting_episodes = COALESCE($7::uuid[], contradicting_episodes), "
                     "times_applied = COALESCE($8::int, times_applied, 0) + COALESCE($11::int, 0), "
                     "success_count = COALESCE($9::int, success_count, 0) + COALESCE($12::int, 0), "
                     "failure_count = COALESCE($10::int, failure_count, 0) + COALESCE($13::int, 0), "
                     "last_applied = CASE WHEN $14::boolean THEN now() ELSE last_applied END, "
                     "last_validated = CASE WHEN $15::boolean OR (is_active AND NOT $5::boolean) "
                     "THEN now() ELSE last_validated END "
                     "WHERE knowledge_id = $1::uuid RETURNING " MEM_STRATEGY_COLS,
                     15, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Strategy %s not found", p[0]);
    return api->reply_json(req, 200, strategy_json(st, req, r, 0));
}
