/* mem_episode_io.c — an episode row (MEM_EPISODE_COLS) as the API shows it. */
#include "mem_internal.h"

struct json_object *mem_episode_json(mem_state_t *st, dsm_req_t *req, const dsm_rows_t *r,
                                     int row, int c)
{
    const dsm_api_t *api = st->api;
    struct json_object *o = json_object_new_object();

#define V(i) api->rows_value(r, row, c + (i))
    json_object_object_add(o, "episode_id", mem_jstr(V(0)));
    json_object_object_add(o, "project_id", mem_jstr(V(1)));
    json_object_object_add(o, "episode_type", mem_jstr(V(2)));
    json_object_object_add(o, "timestamp", mem_jts(st, req, V(3)));
    json_object_object_add(o, "context", mem_jjson(V(4)));
    json_object_object_add(o, "decision", mem_jjson(V(5)));
    json_object_object_add(o, "actions", mem_jjson(V(6)));
    json_object_object_add(o, "patterns", mem_jjson(V(7)));
    json_object_object_add(o, "outcome", mem_jjson(V(8)));
    json_object_object_add(o, "outcome_quality", mem_jnum(V(9)));
    json_object_object_add(o, "outcome_recorded_at", mem_jts(st, req, V(10)));
    json_object_object_add(o, "requires_embedding", mem_jbool(V(11)));
    json_object_object_add(o, "agent_version", mem_jstr(V(12)));
    json_object_object_add(o, "control_mode", mem_jstr(V(13)));
    json_object_object_add(o, "decision_source", mem_jstr(V(14)));
    json_object_object_add(o, "sprint_id", mem_jstr(V(15)));
    json_object_object_add(o, "chronicle_note_id", mem_jstr(V(16)));
    json_object_object_add(o, "has_embedding", mem_jbool(V(17)));
#undef V
    return o;
}
