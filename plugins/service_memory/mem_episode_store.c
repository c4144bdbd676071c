/*
 * mem_episode_store.c — storing episodes: POST /v1/memory/episodes (one) and
 * POST /v1/memory/episodes/bulk (up to MEM_BULK_MAX). Both take the same episode object, are
 * one INSERT ... SELECT FROM jsonb_array_elements($1) statement (the metrics row written in
 * the same statement), and compute the embedding on write from the canonical context text
 * unless the client sends a precomputed "embedding" or asks for "requires_embedding": true.
 */
#include <string.h>

#include "mem_internal.h"

#define MEM_DEFAULT_EPISODE_TYPE "orchestration_decision"
#define MEM_DEFAULT_AGENT_VERSION "2.0.0"
#define MEM_DEFAULT_CONTROL_MODE "rule_based_only"

/* One INSERT for one or many episodes; the embedding literal's cast is the only difference
 * between the two storage backends. $1 jsonb array of items, $2 operation, $3 latency ms,
 * $4 project id of the metrics row. */
#define MEM_INSERT_SQL(CAST)                                                                       \
    "WITH ins AS (INSERT INTO agent_episodes (episode_id, project_id, episode_type, "              \
    "\"timestamp\", context, decision, actions, patterns, outcome, outcome_quality, "              \
    "outcome_recorded_at, embedding, requires_embedding, agent_version, control_mode, "            \
    "decision_source, sprint_id, chronicle_note_id) "                                              \
    "SELECT (e->>'episode_id')::uuid, e->>'project_id', e->>'episode_type', "                      \
    "COALESCE((e->>'timestamp')::timestamptz, now()), e->'context', e->'decision', e->'actions', " \
    "NULLIF(e->'patterns', 'null'::jsonb), NULLIF(e->'outcome', 'null'::jsonb), "                  \
    "(e->>'outcome_quality')::float8, "                                                            \
    "CASE WHEN NULLIF(e->'outcome', 'null'::jsonb) IS NOT NULL "                                   \
    "OR e->>'outcome_quality' IS NOT NULL THEN now() END, "                                        \
    "(e->>'embedding')::" CAST ", (e->>'requires_embedding')::boolean, e->>'agent_version', "      \
    "e->>'control_mode', e->>'decision_source', e->>'sprint_id', "                                 \
    "(e->>'chronicle_note_id')::uuid "                                                             \
    "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, i) ORDER BY i "                  \
    "RETURNING " MEM_EPISODE_COLS "), "                                                            \
    "m AS (INSERT INTO agent_memory_metrics (operation_type, latency_ms, results_count, "          \
    "project_id) SELECT $2, $3::int, count(*)::int, $4 FROM ins) "                                 \
    "SELECT * FROM ins"

static const char *const insert_sql[3] = {
    [MEM_BACKEND_ARRAY] = MEM_INSERT_SQL("real[]"),
    [MEM_BACKEND_PGVECTOR] = MEM_INSERT_SQL("vector"),
};

typedef struct {
    const char *episode_id;
    const char *project_id;
    float *vec;            /* NULL: stored without embedding */
    const char *source;    /* provided | local | ollama | deferred */
    struct json_object *j; /* the item as sent to PostgreSQL */
} mem_item_t;

static void add_str(struct json_object *j, const char *key, const char *v)
{
    if (v != NULL)
        json_object_object_add(j, key, json_object_new_string(v));
}

static void add_ref(struct json_object *j, const char *key, struct json_object *v)
{
    if (v != NULL)
        json_object_object_add(j, key, json_object_get(v));
}

/* Validate one episode object into it (its JSON for the INSERT; no embedding yet).
 * Returns 0, or -1 when problems were recorded. */
static int parse_item(mem_state_t *st, dsm_req_t *req, struct json_object *obj,
                      const char *prefix, mem_item_t *it)
{
    const dsm_api_t *api = st->api;
    mem_obj_t o = {st, req, obj, prefix};
    const char *id = NULL, *project = NULL, *type = NULL, *version = NULL, *mode = NULL;
    const char *source = NULL, *sprint = NULL, *note = NULL, *ts = NULL;
    struct json_object *ctx = NULL, *decision = NULL, *actions = NULL, *patterns = NULL;
    struct json_object *outcome = NULL;
    double quality = 0;
    int has_q, defer = 0, bad = 0, has_vec;
    float *vec = api->palloc(req, sizeof(float) * MEM_DIM);

    if (!json_object_is_type(obj, json_type_object)) { /* a bulk item ("episodes.3.") */
        size_t pl = strlen(prefix);

        api->v_problem(req, "body", pl > 0 ? api->psprintf(req, "%.*s", (int)(pl - 1), prefix) : NULL,
                       "dict_type", "Input should be a valid dictionary", obj);
        return -1;
    }
    bad |= mem_f_uuid(&o, "episode_id", 0, &id) < 0;
    bad |= mem_f_str(&o, "project_id", 1, MEM_MAX_PROJECT, &project) < 0;
    bad |= mem_f_str(&o, "episode_type", 0, MEM_MAX_EPISODE_TYPE, &type) < 0;
    bad |= mem_f_json(&o, "context", 1, 0, &ctx) < 0;
    bad |= mem_f_json(&o, "decision", 1, 0, &decision) < 0;
    bad |= mem_f_json(&o, "actions", 1, 1, &actions) < 0;
    bad |= mem_f_json(&o, "patterns", 0, 1, &patterns) < 0;
    bad |= mem_f_json(&o, "outcome", 0, 0, &outcome) < 0;
    has_q = mem_f_num(&o, "outcome_quality", 0, 0.0, 1.0, &quality);
    bad |= has_q < 0;
    bad |= mem_f_str(&o, "agent_version", 0, MEM_MAX_AGENT_VERSION, &version) < 0;
    bad |= mem_f_str(&o, "control_mode", 0, MEM_MAX_MODE, &mode) < 0;
    bad |= mem_f_str(&o, "decision_source", 0, MEM_MAX_MODE, &source) < 0;
    bad |= mem_f_str(&o, "sprint_id", 0, MEM_MAX_PROJECT, &sprint) < 0;
    bad |= mem_f_uuid(&o, "chronicle_note_id", 0, &note) < 0;
    bad |= mem_f_str(&o, "timestamp", 0, 64, &ts) < 0;
    bad |= mem_f_bool(&o, "requires_embedding", 0, &defer) < 0;
    has_vec = vec != NULL ? mem_f_embedding(&o, "embedding", vec) : -1;
    bad |= has_vec < 0;
    if (has_vec > 0 && defer) {
        mem_f_problem(&o, "requires_embedding", "value_error",
                      "Value error, requires_embedding cannot be true when an embedding is given",
                      NULL);
        bad = 1;
    }
    if (bad)
        return -1;

    it->episode_id = id != NULL ? id : api->uuid4(req);
    it->project_id = project;
    it->vec = has_vec > 0 ? vec : NULL;
    it->source = has_vec > 0 ? "provided" : defer ? "deferred" : NULL;
    it->j = json_object_new_object();
    add_str(it->j, "episode_id", it->episode_id);
    add_str(it->j, "project_id", project);
    add_str(it->j, "episode_type", type != NULL ? type : MEM_DEFAULT_EPISODE_TYPE);
    add_str(it->j, "timestamp", ts);
    add_ref(it->j, "context", ctx);
    add_ref(it->j, "decision", decision);
    add_ref(it->j, "actions", actions);
    add_ref(it->j, "patterns", patterns);
    add_ref(it->j, "outcome", outcome);
    if (has_q > 0)
        json_object_object_add(it->j, "outcome_quality", json_object_new_double(quality));
    add_str(it->j, "agent_version", version != NULL ? version : MEM_DEFAULT_AGENT_VERSION);
    add_str(it->j, "control_mode", mode != NULL ? mode : MEM_DEFAULT_CONTROL_MODE);
    add_str(it->j, "decision_source", source);
    add_str(it->j, "sprint_id", sprint);
    add_str(it->j, "chronicle_note_id", note);
    return 0;
}

/* Compute the embeddings still missing and finish each item's JSON. Returns 0, or -1 after
 * replying 503 (embedding server down, no defer fallback) or 500 (out of memory). */
static int embed_items(mem_state_t *st, dsm_req_t *req, mem_backend_e be, mem_item_t *items,
                       size_t n)
{
    const dsm_api_t *api = st->api;

    for (size_t i = 0; i < n; i++) {
        mem_item_t *it = &items[i];
        struct json_object *ctx = json_object_object_get(it->j, "context");
        const char *err = NULL;
        char *lit;

        if (it->vec == NULL && it->source == NULL) {
            it->vec = api->palloc(req, sizeof(float) * MEM_DIM);
            if (it->vec == NULL) {
                api->reply_error(req, 500, "Internal Server Error");
                return -1;
            }
            if (mem_embed_context(st, req, ctx, it->vec, &err) == 0) {
                it->source = mem_embed_provider(st);
            } else if (st->embed_defer) {
                api->log(req, "warn", "embedding_deferred", err, NULL);
                it->vec = NULL;
                it->source = "deferred";
            } else {
                mem_embed_fail(st, req, err);
                return -1;
            }
        }
        json_object_object_add(it->j, "requires_embedding", json_object_new_boolean(it->vec == NULL));
        if (it->vec != NULL) {
            lit = mem_vec_literal(st, req, be, it->vec);
            if (lit == NULL) {
                api->reply_error(req, 500, "Internal Server Error");
                return -1;
            }
            json_object_object_add(it->j, "embedding", json_object_new_string(lit));
        }
    }
    return 0;
}

/* Run the INSERT for items; NULL after replying (409 duplicate id, 422 bad value, 503...). */
static dsm_rows_t *insert_items(mem_state_t *st, dsm_req_t *req, mem_backend_e be,
                                mem_item_t *items, size_t n, const char *op,
                                const char *metric_project, int64_t t0)
{
    const dsm_api_t *api = st->api;
    struct json_object *arr = json_object_new_array_ext((int)n);
    const char *params[4];
    dsm_rows_t *r;

    for (size_t i = 0; i < n; i++)
        json_object_array_add(arr, json_object_get(items[i].j));
    params[0] = api->pstrdup(req, json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
    json_object_put(arr);
    params[1] = op;
    params[2] = api->psprintf(req, "%d", mem_ms_since(st, t0));
    params[3] = metric_project;
    if (params[0] == NULL) {
        api->reply_error(req, 500, "Internal Server Error");
        return NULL;
    }
    r = api->db_exec(req, MEM_DB, insert_sql[be], 4, params);
    if (r != NULL)
        return r;
    if (strcmp(api->db_sqlstate(req), "23505") == 0) {
        if (n == 1)
            api->reply_error(req, 409, "Episode %s already exists", items[0].episode_id);
        else
            api->reply_error(req, 409, "An episode id of the request already exists");
    } else if (strncmp(api->db_sqlstate(req), "22", 2) == 0) {
        const char *msg = api->db_errmsg(req), *nl;

        if (strncmp(msg, "ERROR:  ", 8) == 0)
            msg += 8;
        nl = strchr(msg, '\n');
        api->reply_error(req, 422, "Invalid value: %.*s", nl != NULL ? (int)(nl - msg) : (int)strlen(msg), msg);
    } else {
        mem_db_fail(st, req, 0);
    }
    return NULL;
}

static void release_items(mem_item_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_object_put(items[i].j);
}

/* Write-through of stored vectors into this instance's search cache (real[] backend). */
static void cache_items(mem_state_t *st, mem_backend_e be, const dsm_rows_t *r,
                        mem_item_t *items, size_t n)
{
    const dsm_api_t *api = st->api;
    int rows = api->rows_count(r);

    if (be != MEM_BACKEND_ARRAY)
        return;
    for (int i = 0; i < rows; i++) {
        const char *id = api->rows_value(r, i, 0), *xid = api->rows_value(r, i, 18);

        for (size_t j = 0; j < n; j++) {
            size_t k = (j + (size_t)i) % n; /* rows usually come back in item order */

            if (items[k].vec != NULL && id != NULL && xid != NULL &&
                strcmp(items[k].episode_id, id) == 0) {
                mem_cache_add(st, id, items[k].project_id, xid,
                              api->rows_value(r, i, 8) != NULL || api->rows_value(r, i, 9) != NULL,
                              items[k].vec);
                break;
            }
        }
    }
}

/* POST /v1/memory/episodes — 201 with the stored episode (+ "embedding_source"). */
int mem_episode_store(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    int64_t t0 = st->api->now_ns();
    mem_item_t it = {0};
    mem_backend_e be;
    struct json_object *o;
    dsm_rows_t *r;

    if (parse_item(st, req, api->req_body(req), "", &it) != 0) {
        api->v_failed(req);
        return DSM_OK;
    }
    be = mem_backend(st, req);
    if (be == MEM_BACKEND_UNKNOWN) {
        release_items(&it, 1);
        return mem_db_fail(st, req, 0);
    }
    if (embed_items(st, req, be, &it, 1) != 0) {
        release_items(&it, 1);
        return DSM_OK;
    }
    r = insert_items(st, req, be, &it, 1, "store_episode", it.project_id, t0);
    if (r == NULL) {
        release_items(&it, 1);
        return DSM_OK;
    }
    cache_items(st, be, r, &it, 1);
    release_items(&it, 1);
    o = mem_episode_json(st, req, r, 0, 0);
    json_object_object_add(o, "embedding_source", json_object_new_string(it.source));
    return api->reply_json(req, 201, o);
}

/* POST /v1/memory/episodes/bulk — body {"episodes": [episode, ...]} (1..1000, and the 1 MiB
 * body limit: about 80 episodes when each carries a 1024-number embedding). All or nothing.
 * 201 {"inserted": n, "episode_ids": [...] (request order), "embedding_sources": {...}}. */
int mem_episode_bulk(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    int64_t t0 = st->api->now_ns();
    struct json_object *body = api->req_body(req), *list = NULL, *o, *ids, *sources;
    mem_obj_t ob = {st, req, body, ""};
    mem_item_t *items;
    mem_backend_e be;
    size_t n, nok = 0;
    dsm_rows_t *r;
    int bad = 0;

    if (!json_object_object_get_ex(body, "episodes", &list))
        mem_f_problem(&ob, "episodes", "missing", "Field required", body);
    else if (!json_object_is_type(list, json_type_array))
        mem_f_problem(&ob, "episodes", "list_type", "Input should be a valid list", list);
    if (api->v_failed(req))
        return DSM_OK;
    n = json_object_array_length(list);
    if (n == 0 || n > MEM_BULK_MAX) {
        mem_f_problem(&ob, "episodes", n == 0 ? "too_short" : "too_long",
                      n == 0 ? "List should have at least 1 item after validation, not 0"
                             : api->psprintf(req, "List should have at most %d items after "
                                                  "validation, not %zu", MEM_BULK_MAX, n),
                      NULL);
        api->v_failed(req);
        return DSM_OK;
    }
    items = api->palloc(req, n * sizeof(*items));
    if (items == NULL)
        return api->reply_error(req, 500, "Internal Server Error");
    for (size_t i = 0; i < n; i++) {
        if (parse_item(st, req, json_object_array_get_idx(list, i),
                       api->psprintf(req, "episodes.%zu.", i), &items[nok]) != 0)
            bad = 1;
        else
            nok++;
    }
    if (bad) {
        release_items(items, nok);
        api->v_failed(req);
        return DSM_OK;
    }
    be = mem_backend(st, req);
    if (be == MEM_BACKEND_UNKNOWN) {
        release_items(items, n);
        return mem_db_fail(st, req, 0);
    }
    if (embed_items(st, req, be, items, n) != 0 ||
        (r = insert_items(st, req, be, items, n, "store_episodes_bulk", NULL, t0)) == NULL) {
        release_items(items, n);
        return DSM_OK;
    }
    cache_items(st, be, r, items, n);
    o = json_object_new_object();
    ids = json_object_new_array_ext((int)n);
    sources = json_object_new_object();
    for (size_t i = 0; i < n; i++) {
        struct json_object *cnt;

        json_object_array_add(ids, json_object_new_string(items[i].episode_id));
        if (json_object_object_get_ex(sources, items[i].source, &cnt))
            json_object_set_int(cnt, json_object_get_int(cnt) + 1);
        else
            json_object_object_add(sources, items[i].source, json_object_new_int(1));
    }
    release_items(items, n);
    json_object_object_add(o, "inserted", json_object_new_int(api->rows_count(r)));
    json_object_object_add(o, "episode_ids", ids);
    json_object_object_add(o, "embedding_sources", sources);
    return api->reply_json(req, 201, o);
}
