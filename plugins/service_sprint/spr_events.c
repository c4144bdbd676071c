/*
 * spr_events.c — events the Sprint service publishes on Redis Streams (api.md §8): every entry
 * has one field, "data", holding the JSON document. Handlers publish only after their database
 * commit; a failed publish is logged and reported by the caller as a warning.
 */
#include "spr_internal.h"

#define SPR_STREAM_TASKS "task_update_events"
#define SPR_STREAM_SCRUM "daily_scrum_events"
#define SPR_STREAM_DSM "dsm:events"

int spr_publish(const spr_state_t *st, dsm_req_t *req, const char *stream,
                struct json_object *doc)
{
    const dsm_api_t *api = st->api;
    static const char *const keys[1] = {"data"};
    const char *values[1];
    int rc;

    if (doc == NULL)
        return DSM_ERR;
    values[0] = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
    rc = values[0] != NULL ? api->redis_xadd(req, stream, 1, keys, values, NULL, 0) : DSM_ERR;
    if (rc != DSM_OK) {
        struct json_object *f = json_object_new_object();

        json_object_object_add(f, "stream", json_object_new_string(stream));
        api->log(req, "error", "publish_failed", "XADD failed", f);
    }
    json_object_put(doc);
    return rc;
}

int spr_publish_task_updated(const spr_state_t *st, dsm_req_t *req, const spr_task_evt_t *e,
                             const char *correlation_id)
{
    const dsm_api_t *api = st->api;
    const char *cid = correlation_id != NULL ? correlation_id : api->uuid4(req);

    return spr_publish(st, req, SPR_STREAM_TASKS,
                       spr_evt_task_updated(api->uuid4(req), api->utcnow_iso(req), cid, e));
}

int spr_publish_progressed(const spr_state_t *st, dsm_req_t *req, const char *sprint_id,
                           const spr_entry_t *e)
{
    const dsm_api_t *api = st->api;

    return spr_publish(st, req, SPR_STREAM_SCRUM,
                       spr_evt_task_progressed(api->uuid4(req), api->utcnow_iso(req), sprint_id,
                                               e));
}

int spr_publish_sprint_started(const spr_state_t *st, dsm_req_t *req, const spr_sprint_t *s,
                               const char *const *task_ids, size_t n)
{
    const dsm_api_t *api = st->api;

    return spr_publish(st, req, SPR_STREAM_DSM,
                       spr_evt_sprint_started(api->uuid4(req), api->utcnow_iso(req),
                                              api->req_id(req), s, task_ids, n));
}

int spr_publish_sprint_closed(const spr_state_t *st, dsm_req_t *req, const spr_sprint_t *s,
                              const char *status, int total, int completed, int moved_back)
{
    const dsm_api_t *api = st->api;

    return spr_publish(st, req, SPR_STREAM_DSM,
                       spr_evt_sprint_closed(api->uuid4(req), api->utcnow_iso(req),
                                             api->req_id(req), s, status, total, completed,
                                             moved_back));
}
