/*
 * chr_events.c — the audit trail of the learning loop, from Redis streams (consumer group
 * "chronicle-service"):
 *   orchestration_events   STRATEGY_APPLIED  (a learned strategy was used in a decision)
 *   agent_learning_events  STRATEGY_EVOLVED  (the nightly strategy evolution ran)
 *
 * Message: one field "data" holding a JSON object, the DSM event envelope
 *   {"event_id", "event_type", "timestamp", "correlation_id", "project_id"?, "sprint_id"?,
 *    "payload": {... "project_id"?, "sprint_id"? ...}}   ("event_data" accepted for "payload")
 * Each such message becomes ONE chronicle_notes row, event_type 'orchestration_decision_audit'
 * (so GET /v1/notes/decision_audit lists it), project_id / sprint_id from the envelope or its
 * payload, summary a one-line description, additional_data = every top-level member of the
 * event plus "source": "redis_stream", "stream" and "stream_id" (the message id).
 *
 * Exactly once in effect: the host acknowledges a message only after DSM_OK, so a message can
 * come again (crash before XACK, reclaim by the other instance after 30 s idle). The unique
 * index chronicle_notes_stream_msg_uidx on (stream, stream_id) (sql/chronicle_db/002) turns the
 * second insert into a no-op. An unreachable database → DSM_RETRY (stays pending, redelivered;
 * after 20 deliveries the host parks it on <stream>:dead). A message that can never be stored (no "data", not a
 * JSON object, ids too long) → DSM_ERR (logged, acknowledged). Other event types on these
 * streams (e.g. the orchestrator's daily-scrum payload on orchestration_events, already posted
 * to C4 over HTTP) are acknowledged without a note.
 */
#include <string.h>

#include "chr_internal.h"

/* The stream each event type is consumed from. */
static const struct {
    const char *stream;
    const char *event_type;
    const char *what;
} chr_event_kinds[2] = {
    {"orchestration_events", "STRATEGY_APPLIED", "Strategy applied"},
    {"agent_learning_events", "STRATEGY_EVOLVED", "Strategies evolved"},
};

/* A string member of the envelope, else of its payload; NULL when neither is a string. */
static const char *event_text(struct json_object *ev, struct json_object *payload, const char *key)
{
    struct json_object *v = chr_member(ev, key);

    if (v == NULL || !json_object_is_type(v, json_type_string))
        v = chr_member(payload, key);
    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static int transient(const char *sqlstate)
{
    return sqlstate != NULL && (strncmp(sqlstate, "08", 2) == 0 ||
                                strncmp(sqlstate, "57P", 3) == 0 || strcmp(sqlstate, "53300") == 0);
}

static void log_msg(const chr_state_t *st, dsm_req_t *req, const char *level, const char *event,
                    const dsm_msg_t *msg, const char *text)
{
    struct json_object *f = json_object_new_object();

    json_object_object_add(f, "stream", json_object_new_string(msg->stream));
    json_object_object_add(f, "id", json_object_new_string(msg->id));
    st->api->log(req, level, event, text, f);
}

/* Stores the event ev (a JSON object) of msg; DSM_OK / DSM_RETRY / DSM_ERR. */
static int store(const chr_state_t *st, dsm_req_t *req, const dsm_msg_t *msg, const char *what,
                 struct json_object *ev)
{
    const dsm_api_t *api = st->api;
    struct json_object *payload = chr_member(ev, "payload"), *ad;
    const char *p[4];
    dsm_rows_t *r;
    int rc;

    if (payload == NULL)
        payload = chr_member(ev, "event_data");
    p[0] = event_text(ev, payload, "project_id");
    p[1] = event_text(ev, payload, "sprint_id");
    if (chr_utf8_chars(p[0]) > CHR_MAX_ID || chr_utf8_chars(p[1]) > CHR_MAX_ID) {
        log_msg(st, req, "error", "event_rejected", msg, "project_id or sprint_id too long");
        return DSM_ERR;
    }
    p[2] = api->psprintf(req, "%s (%s %s)%s%s", what, msg->stream, msg->id,
                         p[0] != NULL ? " for project " : "", p[0] != NULL ? p[0] : "");
    ad = json_object_new_object();
    json_object_object_foreach(ev, k, v)
    {
        if (strcmp(k, "source") != 0 && strcmp(k, "stream") != 0 && strcmp(k, "stream_id") != 0)
            json_object_object_add(ad, k, json_object_get(v));
    }
    json_object_object_add(ad, "source", json_object_new_string("redis_stream"));
    json_object_object_add(ad, "stream", json_object_new_string(msg->stream));
    json_object_object_add(ad, "stream_id", json_object_new_string(msg->id));
    json_object_object_add(ad, "project_id", chr_jstr(p[0]));
    json_object_object_add(ad, "sprint_id", chr_jstr(p[1]));
    p[3] = chr_json_text(st, req, ad);
    json_object_put(ad);
    r = api->db_exec(req, NULL,
                     "INSERT INTO chronicle_notes (event_type, project_id, sprint_id, summary, "
                     "additional_data) VALUES ('orchestration_decision_audit', $1, $2, $3, "
                     "$4::jsonb) ON CONFLICT ((additional_data ->> 'stream'), "
                     "(additional_data ->> 'stream_id')) WHERE additional_data ? 'stream_id' "
                     "DO NOTHING",
                     4, p);
    if (r == NULL) {
        rc = transient(api->db_sqlstate(req)) ? DSM_RETRY : DSM_ERR;
        log_msg(st, req, rc == DSM_RETRY ? "warn" : "error", "event_store_failed", msg,
                api->db_errmsg(req));
        return rc;
    }
    if (api->rows_affected(r) == 0)
        log_msg(st, req, "info", "event_duplicate", msg, "already recorded");
    return DSM_OK;
}

int chr_event_strategy(void *state, dsm_req_t *req, const dsm_msg_t *msg)
{
    const chr_state_t *st = state;
    struct json_object *ev = NULL, *type;
    const char *data = NULL;
    int rc = DSM_OK;

    for (size_t i = 0; i < msg->nfields; i++) {
        if (strcmp(msg->keys[i], "data") == 0)
            data = msg->values[i];
    }
    if (data != NULL)
        ev = json_tokener_parse(data);
    if (ev == NULL || !json_object_is_type(ev, json_type_object)) {
        log_msg(st, req, "error", "event_rejected", msg, "no JSON object in field \"data\"");
        rc = DSM_ERR;
        goto done;
    }
    type = chr_member(ev, "event_type");
    for (int k = 0; k < 2; k++) {
        if (strcmp(msg->stream, chr_event_kinds[k].stream) == 0 && type != NULL &&
            json_object_is_type(type, json_type_string) &&
            strcmp(json_object_get_string(type), chr_event_kinds[k].event_type) == 0) {
            rc = store(st, req, msg, chr_event_kinds[k].what, ev);
            goto done;
        }
    }
done:
    if (ev != NULL)
        json_object_put(ev);
    return rc;
}
