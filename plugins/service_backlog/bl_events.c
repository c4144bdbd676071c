/*
 * bl_events.c — the consumer of task_update_events (TASK_UPDATED, api.md §8.1): applies the
 * sprint side's view of a task (status, progress, sprint, assignee) to backlog_db.tasks.
 *
 * Exactly once in effect, although the host delivers at least once (a message is acknowledged
 * only after DSM_OK / DSM_ERR; a crash before XACK, or a reclaim by the other instance, hands it
 * out again). One call of backlog_apply_task_event() — one statement, so one transaction —
 * does all of this (sql/backlog_db/002_event_inbox.sql, 003_apply_task_event.sql):
 *   1. records the event in event_inbox (key: the document's event_id, or "<stream>/<message
 *      id>" when it has none); already there → a duplicate, nothing else happens;
 *   2. advances the task's watermark in task_event_marks to this message's stream position;
 *      the task already saw a LATER message → stale (the two instances of the pool consume in
 *      parallel, so messages about one task can be handled out of order), nothing applied;
 *   3. updates the task.
 * The row locks of steps 1–3 serialise concurrent messages about the same task. DSM_OK is
 * returned only after that statement committed; a database that cannot be reached (SQLSTATE
 * 08…, 57P…, 53300) or a serialization failure/deadlock (40…) → DSM_RETRY (stays pending and
 * is delivered again); a malformed document → DSM_ERR (logged, acknowledged). Another event
 * type, or a task the backlog does not know, is acknowledged without effect.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bl_internal.h"

/* sql/backlog_db/003_apply_task_event.sql: 'applied' | 'duplicate' | 'stale' | 'unknown_task' */
#define BL_APPLY_SQL                                                                               \
    "SELECT backlog_apply_task_event($1, $2, $3, $4::bigint, $5::bigint, $6, $7::integer, $8, "    \
    "$9, $10)"

static const char *msg_field(const dsm_msg_t *msg, const char *key)
{
    for (size_t i = 0; i < msg->nfields; i++) {
        if (strcmp(msg->keys[i], key) == 0)
            return msg->values[i];
    }
    return NULL;
}

static void log_event(const bl_state_t *st, dsm_req_t *req, const dsm_msg_t *msg,
                      const char *level, const char *event, const char *text, const char *task)
{
    struct json_object *f = json_object_new_object();

    json_object_object_add(f, "stream_id", json_object_new_string(msg->id));
    json_object_object_add(f, "task_id", bl_jstr(task));
    json_object_object_add(f, "deliveries", json_object_new_int((int)msg->deliveries));
    st->api->log(req, level, event, text, f);
}

/* Run BL_APPLY_SQL for a parsed event. */
static int apply(const bl_state_t *st, dsm_req_t *req, const dsm_msg_t *msg,
                 const bl_event_t *ev, int64_t ms, int64_t seq)
{
    static const char *const sprint_mode[] = {"keep", "set", "clear"};
    const dsm_api_t *api = st->api;
    char ms_txt[24], seq_txt[24], progress_txt[16];
    const char *params[10];
    dsm_rows_t *r;
    const char *outcome;

    snprintf(ms_txt, sizeof(ms_txt), "%" PRId64, ms);
    snprintf(seq_txt, sizeof(seq_txt), "%" PRId64, seq);
    snprintf(progress_txt, sizeof(progress_txt), "%d", ev->progress);
    params[0] = ev->task_id;
    params[1] = ev->event_id != NULL ? ev->event_id
                                     : api->psprintf(req, "%s/%s", msg->stream, msg->id);
    params[2] = msg->id;
    params[3] = ms_txt;
    params[4] = seq_txt;
    params[5] = ev->status;
    params[6] = ev->has_progress ? progress_txt : NULL;
    params[7] = sprint_mode[ev->sprint];
    params[8] = ev->sprint_id;
    params[9] = ev->assigned_to;
    if (params[1] == NULL)
        return DSM_RETRY; /* out of memory */

    r = api->db_exec(req, NULL, BL_APPLY_SQL, 10, params);
    if (r == NULL) {
        const char *state = api->db_sqlstate(req);
        int retry = bl_sqlstate_retryable(state);
        log_event(st, req, msg, retry ? "warn" : "error", "task_update_db_error",
                  api->db_errmsg(req), ev->task_id);
        return retry ? DSM_RETRY : DSM_ERR;
    }
    outcome = api->rows_value(r, 0, 0);
    if (outcome == NULL || strcmp(outcome, "applied") == 0)
        return DSM_OK;
    if (strcmp(outcome, "unknown_task") == 0)
        log_event(st, req, msg, "warn", "task_update_unknown_task", "no such task; ignored",
                  ev->task_id);
    else if (strcmp(outcome, "duplicate") == 0)
        log_event(st, req, msg, "info", "task_update_duplicate", "event already applied",
                  ev->task_id);
    else
        log_event(st, req, msg, "info", "task_update_stale",
                  "a later message about this task was applied first; ignored", ev->task_id);
    return DSM_OK;
}

/* Consumer of task_update_events, group backlog-service (routes.c). */
int bl_consume_task_update(void *state, dsm_req_t *req, const dsm_msg_t *msg)
{
    const bl_state_t *st = state;
    bl_event_t ev;
    char err[128];
    int64_t ms = 0, seq = 0;
    int rc;

    switch (bl_event_parse(msg_field(msg, "data"), &ev, err, sizeof(err))) {
    case BL_EV_IGNORE:
        bl_event_free(&ev);
        return DSM_OK;
    case BL_EV_MALFORMED:
        log_event(st, req, msg, "error", "task_update_malformed", err, ev.task_id);
        bl_event_free(&ev);
        return DSM_ERR;
    case BL_EV_APPLY:
        break;
    }
    if (bl_stream_id_parse(msg->id, &ms, &seq) != 0) {
        log_event(st, req, msg, "error", "task_update_malformed", "not a stream id", ev.task_id);
        bl_event_free(&ev);
        return DSM_ERR;
    }
    rc = apply(st, req, msg, &ev, ms, seq);
    bl_event_free(&ev);
    return rc;
}
