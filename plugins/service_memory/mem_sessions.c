/*
 * mem_sessions.c — working memory (agent_working_memory): sessions with an expiry. A session
 * is live while is_active and expires_at > now(); reading or changing one that is not live is
 * 410 Gone, an unknown id 404. Creating with "reuse": true returns the newest live session of
 * the same project and user instead of a new one (the original facade's get_or_create).
 */
#include "mem_internal.h"

#define MEM_TTL_MAX 604800 /* one week */

#define MEM_SESSION_COLS                                                                           \
    "session_id, project_id, user_id, current_goal, active_context, to_jsonb(thought_history), "  \
    "created_at, last_updated, expires_at, is_active, to_jsonb(related_episodes), "               \
    "(is_active AND expires_at > now()) AS live"

static struct json_object *session_json(mem_state_t *st, dsm_req_t *req, const dsm_rows_t *r,
                                        int row)
{
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object();
    const char *live;

#define V(i) api->rows_value(r, row, (i))
    json_object_object_add(o, "session_id", mem_jstr(V(0)));
    json_object_object_add(o, "project_id", mem_jstr(V(1)));
    json_object_object_add(o, "user_id", mem_jstr(V(2)));
    json_object_object_add(o, "current_goal", mem_jstr(V(3)));
    json_object_object_add(o, "active_context", mem_jjson(V(4)));
    json_object_object_add(o, "thought_history", mem_jjson(V(5)));
    json_object_object_add(o, "created_at", mem_jts(st, req, V(6)));
    json_object_object_add(o, "last_updated", mem_jts(st, req, V(7)));
    json_object_object_add(o, "expires_at", mem_jts(st, req, V(8)));
    json_object_object_add(o, "is_active", mem_jbool(V(9)));
    json_object_object_add(o, "related_episodes", mem_jjson(V(10)));
    live = V(11);
#undef V
    json_object_object_add(o, "expired", json_object_new_boolean(live == NULL || live[0] != 't'));
    return o;
}

/* 404 / 410 for a session id that matched no live session. */
static int not_live(mem_state_t *st, dsm_req_t *req, const char *id)
{
    const dsm_api_t *api = st->api;
    const char *p[1] = {id};
    dsm_rows_t *r = api->db_exec(req, MEM_DB,
                                 "SELECT is_active FROM agent_working_memory "
                                 "WHERE session_id = $1::uuid",
                                 1, p);

    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Session %s not found", id);
    if (api->rows_value(r, 0, 0) != NULL && api->rows_value(r, 0, 0)[0] == 'f')
        return api->reply_error(req, 410, "Session %s has ended", id);
    return api->reply_error(req, 410, "Session %s has expired", id);
}

/* POST /v1/memory/sessions — body {"project_id" (required), "user_id", "current_goal",
 * "active_context" {...}, "related_episodes" [uuid], "ttl_seconds" 1..604800 (3600),
 * "reuse" false} → 201 (new) or 200 (reused), with "reused". */
int mem_session_create(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    mem_obj_t o = {st, req, api->req_body(req), ""};
    const char *p[6] = {0};
    struct json_object *ctx = NULL, *res;
    int64_t ttl = 3600;
    int reuse = 0;
    dsm_rows_t *r;

    mem_f_str(&o, "project_id", 1, MEM_MAX_PROJECT, &p[0]);
    mem_f_str(&o, "user_id", 0, MEM_MAX_USER, &p[1]);
    mem_f_str(&o, "current_goal", 0, 0, &p[2]);
    mem_f_json(&o, "active_context", 0, 0, &ctx);
    mem_f_uuid_list(&o, "related_episodes", 0, &p[4]);
    mem_f_int(&o, "ttl_seconds", 0, 1, MEM_TTL_MAX, &ttl);
    mem_f_bool(&o, "reuse", 0, &reuse);
    if (api->v_failed(req))
        return DSM_OK;
    if (reuse) {
        r = api->db_exec(req, MEM_DB,
                         "SELECT " MEM_SESSION_COLS " FROM agent_working_memory "
                         "WHERE project_id = $1 AND user_id IS NOT DISTINCT FROM $2 "
                         "AND is_active AND expires_at > now() "
                         "ORDER BY last_updated DESC, created_at DESC LIMIT 1",
                         2, p);
        if (r == NULL)
            return mem_db_fail(st, req, 0);
        if (api->rows_count(r) == 1) {
            res = session_json(st, req, r, 0);
            json_object_object_add(res, "reused", json_object_new_boolean(1));
            return api->reply_json(req, 200, res);
        }
    }
    p[3] = mem_json_text(st, req, ctx);
    p[5] = api->psprintf(req, "%lld", (long long)ttl);
    r = api->db_exec(req, MEM_DB,
                     "INSERT INTO agent_working_memory (project_id, user_id, current_goal, "
                     "active_context, related_episodes, expires_at) VALUES ($1, $2, $3, $4::jsonb, "
                     "COALESCE($5::uuid[], '{}'), now() + make_interval(secs => $6::int)) "
                     "RETURNING " MEM_SESSION_COLS,
                     6, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    res = session_json(st, req, r, 0);
    json_object_object_add(res, "reused", json_object_new_boolean(0));
    return api->reply_json(req, 201, res);
}

/* GET /v1/memory/sessions?project_id=&user_id=&include_expired=false&limit=50 — newest
 * activity first. */
int mem_session_list(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *p[4] = {NULL, NULL, "false", "50"};
    int all = 0, n;
    int64_t limit = 50;
    struct json_object *arr, *o;
    dsm_rows_t *r;

    api->v_str(req, "query", "project_id", 0, &p[0]);
    api->v_str(req, "query", "user_id", 0, &p[1]);
    api->v_bool(req, "query", "include_expired", 0, &all);
    if (api->v_int(req, "query", "limit", 0, &limit) > 0)
        mem_check_range(st, req, "query", "limit", (double)limit, 1, 1000);
    if (api->v_failed(req))
        return DSM_OK;
    p[2] = all ? "true" : "false";
    p[3] = api->psprintf(req, "%lld", (long long)limit);
    r = api->db_exec(req, MEM_DB,
                     "SELECT " MEM_SESSION_COLS " FROM agent_working_memory "
                     "WHERE ($1::text IS NULL OR project_id = $1) "
                     "AND ($2::text IS NULL OR user_id = $2) "
                     "AND ($3::boolean OR (is_active AND expires_at > now())) "
                     "ORDER BY last_updated DESC, session_id LIMIT $4::int",
                     4, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, session_json(st, req, r, i));
    o = json_object_new_object();
    json_object_object_add(o, "sessions", arr);
    json_object_object_add(o, "count", json_object_new_int(n));
    return api->reply_json(req, 200, o);
}

/* GET /v1/memory/sessions/{session_id} — 200 live, 410 expired/ended, 404 unknown. */
int mem_session_get(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *p[1] = {mem_path_uuid(st, req, "session_id")};
    const char *live;
    dsm_rows_t *r;

    if (api->v_failed(req))
        return DSM_OK;
    r = api->db_exec(req, MEM_DB,
                     "SELECT " MEM_SESSION_COLS " FROM agent_working_memory "
                     "WHERE session_id = $1::uuid",
                     1, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Session %s not found", p[0]);
    live = api->rows_value(r, 0, 11);
    if (live == NULL || live[0] != 't')
        return not_live(st, req, p[0]);
    return api->reply_json(req, 200, session_json(st, req, r, 0));
}

/* PATCH /v1/memory/sessions/{session_id} — optional "current_goal", "active_context" (replaces),
 * "append_thought" {...} (appended to thought_history), "add_related_episodes" [uuid] (added
 * once each), "extend_seconds" 1..604800 (expires_at = now() + it), "is_active" (false ends the
 * session). Only a live session changes: 200 with it; 410 / 404 otherwise. */
int mem_session_update(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    mem_obj_t o = {st, req, api->req_body(req), ""};
    const char *p[7] = {0};
    struct json_object *ctx = NULL, *thought = NULL;
    int64_t ext = 0;
    int active = 1, has_ext, has_active;
    dsm_rows_t *r;

    p[0] = mem_path_uuid(st, req, "session_id");
    mem_f_str(&o, "current_goal", 0, 0, &p[1]);
    mem_f_json(&o, "active_context", 0, 0, &ctx);
    mem_f_json(&o, "append_thought", 0, 0, &thought);
    mem_f_uuid_list(&o, "add_related_episodes", 0, &p[4]);
    has_ext = mem_f_int(&o, "extend_seconds", 0, 1, MEM_TTL_MAX, &ext);
    has_active = mem_f_bool(&o, "is_active", 0, &active);
    if (api->v_failed(req))
        return DSM_OK;
    p[2] = mem_json_text(st, req, ctx);
    p[3] = mem_json_text(st, req, thought);
    p[5] = has_ext > 0 ? api->psprintf(req, "%lld", (long long)ext) : NULL;
    p[6] = has_active > 0 ? (active ? "true" : "false") : NULL;
    r = api->db_exec(req, MEM_DB,
                     "UPDATE agent_working_memory SET current_goal = COALESCE($2, current_goal), "
                     "active_context = COALESCE($3::jsonb, active_context), "
                     "thought_history = CASE WHEN $4::jsonb IS NULL THEN thought_history "
                     "ELSE array_append(COALESCE(thought_history, '{}'), $4::jsonb) END, "
                     "related_episodes = CASE WHEN $5::uuid[] IS NULL THEN related_episodes "
                     "ELSE ARRAY(SELECT x FROM unnest(COALESCE(related_episodes, '{}') || $5::uuid[]) "
                     "WITH ORDINALITY AS u(x, i) GROUP BY x ORDER BY min(i)) END, "
                     "expires_at = CASE WHEN $6::int IS NULL THEN expires_at "
                     "ELSE now() + make_interval(secs => $6::int) END, "
                     "is_active = COALESCE($7::boolean, is_active), last_updated = now() "
                     "WHERE session_id = $1::uuid AND is_active AND expires_at > now() "
                     "RETURNING " MEM_SESSION_COLS,
                     7, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return not_live(st, req, p[0]);
    return api->reply_json(req, 200, session_json(st, req, r, 0));
}

/* DELETE /v1/memory/sessions/{session_id} — ends it (is_active = false); 200 with the
 * session, also when it had expired; 404 when unknown. */
int mem_session_end(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *p[1] = {mem_path_uuid(st, req, "session_id")};
    dsm_rows_t *r;

    if (api->v_failed(req))
        return DSM_OK;
    r = api->db_exec(req, MEM_DB,
                     "UPDATE agent_working_memory SET is_active = false, last_updated = now() "
                     "WHERE session_id = $1::uuid RETURNING " MEM_SESSION_COLS,
                     1, p);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    if (api->rows_count(r) == 0)
        return api->reply_error(req, 404, "Session %s not found", p[0]);
    return api->reply_json(req, 200, session_json(st, req, r, 0));
}

/* POST /v1/memory/sessions/cleanup — ends every expired session still marked active.
 * 200 {"deactivated": n}. */
int mem_session_cleanup(void *state, dsm_req_t *req)
{
    mem_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *o;
    dsm_rows_t *r;

    r = api->db_exec(req, MEM_DB,
                     "UPDATE agent_working_memory SET is_active = false, last_updated = now() "
                     "WHERE is_active AND expires_at <= now()",
                     0, NULL);
    if (r == NULL)
        return mem_db_fail(st, req, 0);
    o = json_object_new_object();
    json_object_object_add(o, "deactivated", json_object_new_int(api->rows_affected(r)));
    return api->reply_json(req, 200, o);
}
