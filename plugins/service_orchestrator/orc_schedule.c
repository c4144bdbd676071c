/*
 * orc_schedule.c — the daily-scrum schedules that replace the original's Kubernetes CronJobs
 * (docs/ORCHESTRATOR.md §12): create / delete / list rows of orchestrator_schedules, and
 * tick(), which fires due schedules exactly once across the pool's instances.
 *
 * Exactly once: one transaction takes pg_try_advisory_xact_lock(ORC_SCHED_LOCK) (transaction
 * scoped, so it works through PgBouncer's transaction pooling), selects the due rows FOR UPDATE,
 * moves each next_due_at past now and records the claimed due time in last_due_at, and commits;
 * the HTTP call to the Sprint service happens after the commit. A second instance either does
 * not get the lock or, after the first committed, finds nothing due.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orc_internal.h"

#define ORC_SCHED_LOCK "7242004006" /* any fixed bigint: "the orchestrator's schedules" */
#define ORC_SCHED_BATCH 20
#define ORC_FIRE_TIMEOUT_MS 4000

/* Next due time after now in tz, as "YYYY-MM-DD HH:MM:SS" wall text. NULL on error (*err). */
static const char *next_wall(orc_state_t *st, dsm_req_t *req, const char *cron, const char *tz,
                             const char **err)
{
    const dsm_api_t *api = st->api;
    const char *params[1] = {tz};
    orc_cron_t c;
    orc_wall_t now, next;
    char ebuf[160], buf[32];
    dsm_rows_t *r;

    if (orc_cron_parse(cron, &c, ebuf, sizeof ebuf) < 0) {
        *err = api->psprintf(req, "invalid cron expression: %s", ebuf);
        return NULL;
    }
    r = api->db_exec(req, NULL, "SELECT (now() AT TIME ZONE $1)::text", 1, params);
    if (r == NULL) {
        *err = api->psprintf(req, "database: %s", api->db_errmsg(req));
        return NULL;
    }
    if (orc_wall_parse(api->rows_value(r, 0, 0), &now) < 0 || orc_cron_next(&c, &now, &next) < 0) {
        *err = "the cron expression never matches";
        return NULL;
    }
    orc_wall_format(&next, buf, sizeof buf);
    return api->pstrdup(req, buf);
}

int orc_schedule_create(orc_state_t *st, dsm_req_t *req, const char *name, const char *pid,
                        const char *sid, const char *cron, const char *tz, const char **err)
{
    const dsm_api_t *api = st->api;
    const char *wall = next_wall(st, req, cron, tz, err);
    const char *params[6] = {name, pid, sid, cron, tz, wall};
    dsm_rows_t *r;

    if (wall == NULL)
        return -1;
    r = api->db_exec(req, NULL,
                     "INSERT INTO orchestrator_schedules (name, project_id, sprint_id, cron_expr, tz, "
                     "next_due_at) VALUES ($1, $2, $3, $4, $5::text, $6::timestamp AT TIME ZONE $5::text) "
                     "ON CONFLICT (name) DO NOTHING RETURNING name",
                     6, params);
    if (r == NULL) {
        *err = api->psprintf(req, "database: %s", api->db_errmsg(req));
        return -1;
    }
    return api->rows_count(r) == 1 ? 0 : 1;
}

int orc_schedule_delete_sprint(orc_state_t *st, dsm_req_t *req, const char *pid, const char *sid)
{
    const char *params[2] = {pid, sid};
    dsm_rows_t *r = st->api->db_exec(req, NULL,
                                     "DELETE FROM orchestrator_schedules WHERE project_id = $1 "
                                     "AND sprint_id = $2",
                                     2, params);

    return r == NULL ? -1 : st->api->rows_affected(r);
}

struct json_object *orc_schedule_list(orc_state_t *st, dsm_req_t *req, const char *pid, int full)
{
    const dsm_api_t *api = st->api;
    const char *params[1] = {pid};
    struct json_object *arr;
    dsm_rows_t *r = api->db_exec(
        req, NULL,
        "SELECT name, sprint_id, cron_expr, tz, suspended, last_due_at, next_due_at, last_status, "
        "last_detail, run_count, skipped_count, created_at FROM orchestrator_schedules "
        "WHERE project_id = $1 ORDER BY created_at, name",
        1, params);
    int n;

    if (r == NULL)
        return NULL;
    n = api->rows_count(r);
    arr = json_object_new_array();
    for (int i = 0; i < n; i++) {
        struct json_object *o = json_object_new_object();
        const char *suspended = api->rows_value(r, i, 4);

        json_object_object_add(o, "name", orc_jstr_or_null(api->rows_value(r, i, 0)));
        if (full) {
            json_object_object_add(o, "schedule", orc_jstr_or_null(api->rows_value(r, i, 2)));
            json_object_object_add(o, "status", json_object_new_string(
                                                    suspended[0] == 't' ? "suspended" : "active"));
            json_object_object_add(o, "last_schedule_time",
                                   orc_jstr_or_null(api->ts_iso(req, api->rows_value(r, i, 5))));
            json_object_object_add(o, "next_schedule_time",
                                   orc_jstr_or_null(api->ts_iso(req, api->rows_value(r, i, 6))));
            json_object_object_add(o, "time_zone", orc_jstr_or_null(api->rows_value(r, i, 3)));
            json_object_object_add(o, "sprint_id", orc_jstr_or_null(api->rows_value(r, i, 1)));
            json_object_object_add(o, "last_status", orc_jstr_or_null(api->rows_value(r, i, 7)));
            json_object_object_add(o, "last_detail", orc_jstr_or_null(api->rows_value(r, i, 8)));
            json_object_object_add(o, "run_count", orc_jint_text(api->rows_value(r, i, 9)));
            json_object_object_add(o, "skipped_count", orc_jint_text(api->rows_value(r, i, 10)));
        } else {
            json_object_object_add(o, "sprint_id", orc_jstr_or_null(api->rows_value(r, i, 1)));
            json_object_object_add(o, "cron_expr", orc_jstr_or_null(api->rows_value(r, i, 2)));
            json_object_object_add(o, "tz", orc_jstr_or_null(api->rows_value(r, i, 3)));
            json_object_object_add(o, "suspended", json_object_new_boolean(suspended[0] == 't'));
        }
        json_object_array_add(arr, o);
    }
    return arr;
}

typedef struct {
    const char *name, *project_id, *sprint_id;
} orc_fire_t;

/* Claim the due schedules (one transaction). Returns how many to fire, -1 on error. */
static int claim_due(orc_state_t *st, dsm_req_t *req, orc_fire_t *out)
{
    const dsm_api_t *api = st->api;
    dsm_rows_t *r;
    int n, nf = 0;

    if (api->db_begin(req, NULL) != DSM_OK)
        return -1;
    r = api->db_exec(req, NULL, "SELECT pg_try_advisory_xact_lock(" ORC_SCHED_LOCK ")", 0, NULL);
    if (r == NULL || api->rows_value(r, 0, 0)[0] != 't')
        goto none; /* the other instance is at it */
    r = api->db_exec(req, NULL,
                     "SELECT name, project_id, sprint_id, cron_expr, tz, "
                     "(next_due_at AT TIME ZONE tz)::text, (now() AT TIME ZONE tz)::text "
                     "FROM orchestrator_schedules WHERE NOT suspended AND next_due_at <= now() "
                     "ORDER BY next_due_at LIMIT " DSM__STR(ORC_SCHED_BATCH) " FOR UPDATE",
                     0, NULL);
    if (r == NULL)
        goto fail;
    n = api->rows_count(r);
    for (int i = 0; i < n; i++) {
        const char *name = api->rows_value(r, i, 0);
        orc_cron_t c;
        orc_wall_t due, now, last, next;
        char ebuf[160], lbuf[32], nbuf[32];
        long missed = 0;
        int fire = -1;

        if (orc_cron_parse(api->rows_value(r, i, 3), &c, ebuf, sizeof ebuf) == 0 &&
            orc_wall_parse(api->rows_value(r, i, 5), &due) == 0 &&
            orc_wall_parse(api->rows_value(r, i, 6), &now) == 0)
            fire = orc_cron_catchup(&c, &due, &now, st->catchup_s, &last, &next, &missed);
        if (fire < 0) {
            const char *p[1] = {name};

            if (api->db_exec(req, NULL,
                             "UPDATE orchestrator_schedules SET suspended = true, last_status = 'failed', "
                             "last_detail = 'invalid or never-matching cron expression' WHERE name = $1",
                             1, p) == NULL)
                goto fail;
            continue;
        }
        orc_wall_format(&last, lbuf, sizeof lbuf);
        orc_wall_format(&next, nbuf, sizeof nbuf);
        {
            const char *p[5] = {name, lbuf, nbuf, fire ? "true" : "false",
                                api->psprintf(req, "%ld", missed)};

            if (api->db_exec(req, NULL,
                             "UPDATE orchestrator_schedules SET "
                             "last_due_at = $2::timestamp AT TIME ZONE tz, "
                             "next_due_at = $3::timestamp AT TIME ZONE tz, "
                             "last_status = CASE WHEN $4::boolean THEN 'firing' ELSE 'skipped' END, "
                             "last_detail = CASE WHEN $5::int > 0 THEN $5 || ' missed due time(s) skipped' END, "
                             "last_run_at = CASE WHEN $4::boolean THEN now() ELSE last_run_at END, "
                             "run_count = run_count + $4::boolean::int, "
                             "skipped_count = skipped_count + $5::int WHERE name = $1",
                             5, p) == NULL)
                goto fail;
        }
        if (fire)
            out[nf++] = (orc_fire_t){api->pstrdup(req, name), api->pstrdup(req, api->rows_value(r, i, 1)),
                                     api->pstrdup(req, api->rows_value(r, i, 2))};
    }
    if (api->db_commit(req, NULL) != DSM_OK)
        return -1;
    return nf;
none:
    api->db_rollback(req, NULL);
    return 0;
fail:
    api->db_rollback(req, NULL);
    return -1;
}

/* Fire one claimed schedule: the Sprint service's daily scrum for the sprint. */
static void fire_one(orc_state_t *st, dsm_req_t *req, const orc_fire_t *f)
{
    const dsm_api_t *api = st->api;
    struct json_object *body = NULL;
    const char *err = NULL, *status, *detail;
    int64_t t0 = st->api->now_ns();
    int s = orc_call(st, req, ORC_SPRINT, "POST",
                     api->psprintf(req, "/sprints/%s/run-daily-scrum", orc_seg(st, req, f->sprint_id)),
                     NULL, ORC_FIRE_TIMEOUT_MS, &body, &err);
    const char *params[3];

    if (s >= 200 && s < 300) {
        status = "ok";
        detail = api->psprintf(req, "HTTP %d", s);
    } else if (s == 404) {
        /* the sprint is no longer in progress: its schedule has no purpose any more */
        params[0] = f->name;
        api->db_exec(req, NULL, "DELETE FROM orchestrator_schedules WHERE name = $1", 1, params);
        api->log(req, "info", "schedule_removed", f->name, NULL);
        json_object_put(body);
        orc_stat(st, ORC_OP_SCHEDULE_FIRE, orc_ms_since(st, t0), 1);
        return;
    } else {
        status = "failed";
        detail = s < 0 ? api->psprintf(req, "no answer: %s", err ? err : "?")
                       : api->psprintf(req, "HTTP %d %s", s,
                                       body ? json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN) : "");
    }
    params[0] = f->name;
    params[1] = status;
    params[2] = detail;
    api->db_exec(req, NULL,
                 "UPDATE orchestrator_schedules SET last_status = $2, last_detail = left($3, 500) "
                 "WHERE name = $1",
                 3, params);
    {
        struct json_object *fields = json_object_new_object();

        json_object_object_add(fields, "schedule", json_object_new_string(f->name));
        json_object_object_add(fields, "status", json_object_new_string(status));
        api->log(req, strcmp(status, "ok") == 0 ? "info" : "warn", "schedule_fired", detail, fields);
    }
    json_object_put(body);
    orc_stat(st, ORC_OP_SCHEDULE_FIRE, orc_ms_since(st, t0), strcmp(status, "ok") == 0);
}

int orc_tick(void *state, dsm_req_t *req)
{
    orc_state_t *st = state;
    orc_fire_t fire[ORC_SCHED_BATCH];
    int n = claim_due(st, req, fire);

    if (n < 0) {
        const char *state_code = st->api->db_sqlstate(req);

        /* 42P01: not migrated yet — nothing to do, not an error worth a log line each tick */
        return state_code != NULL && strcmp(state_code, "42P01") == 0 ? DSM_OK : DSM_ERR;
    }
    for (int i = 0; i < n; i++)
        fire_one(st, req, &fire[i]);
    return DSM_OK;
}
