/*
 * routes.c — every endpoint of the Backlog service (shared/spec/api.md §3, B1–B7) and its
 * stream consumer (api.md §8.1): method, URL pattern, handler, body flags. The handler lives in
 * the file named beside it.
 *
 * DELIBERATE DIFFERENCES from the original Python service (for docs/API.md)
 *
 *  1. Intended status codes instead of the accidental ones (api.md §0.2, §3):
 *       B4  404 "Project APO009 not found." (original: 500 text/plain for every failure);
 *           503 when the Project service cannot answer (below); 500 JSON "Database operation
 *           failed during backlog generation." for a database error.
 *       B3  503 when the Project service cannot answer (original: 500 "Database operation
 *           failed during summary retrieval." for everything).
 *  2. The Project service is called with api->http_request: 2 s per attempt, one retry (GETs),
 *     the process-wide circuit breaker "project" (opens at >= 50 % failures of >= 3 calls in
 *     10 s; counts no-answer and 5xx only — a 404 is an answer, not a failure; original: every
 *     exception, 404 included, and httpx's 5 s). When it cannot answer (B3, B4):
 *       503 "Project Service is temporarily unavailable. Circuit breaker is open."  (open)
 *       503 "Project Service is temporarily unavailable (<transport error>)."    (no answer)
 *       503 "Project Service is temporarily unavailable (HTTP 5xx)."             (5xx)
 *       503 "Project Service gave an unexpected answer (HTTP n)."                (other)
 *     The Project service URL is conf.backlog.project_url (default http://127.0.0.1:8080, the
 *     public nginx; original: env PROJECT_SERVICE_URL).
 *  3. B2 readiness runs SELECT 1 (original: a pool checkout, no query), PING, and GET
 *     <project_url>/project/health/ready (1 s, no retry, no breaker; original: a hard-coded
 *     cluster URL, 5 s) and answers 503 "not_ready" when ANY of the three fails — the
 *     Project service is part of readiness (original: informational only; the docs said it
 *     was part of it). The "service" value comes from conf.backlog.service_name.
 *  4. Database failures: unreachable → 503 {"detail":"Database unavailable"} (original: 500
 *     with the endpoint's message); any other database error keeps the endpoint's 500 message.
 *  5. B7 validates (422, FastAPI list shape, after the body's type checks, in field order):
 *       status not one of unassigned | assigned_to_sprint | in_progress | completed →
 *         {"type":"literal_error","loc":["body","status"],"msg":"Input should be 'unassigned',
 *          'assigned_to_sprint', 'in_progress' or 'completed'","input":...}
 *       progress_percentage < 0 → {"type":"greater_than_equal",...,"msg":"Input should be
 *         greater than or equal to 0"}; > 100 → {"type":"less_than_equal",...,"msg":"Input
 *         should be less than or equal to 100"}
 *       title, assigned_to, sprint_id longer than the VARCHAR(255) column → "string_too_long"
 *     (original: any status, any integer; too long → database error 500). The update is one
 *     statement; nothing changes on any error.
 *  6. B4 generating again: kept as the original's upsert — the ten template tasks are reset to
 *     unassigned / progress 0 / no sprint / no assignee, 201 again (the orchestration cycle
 *     recycles the template this way, workflows.md §2.9; no 409). Only the ten template ids are
 *     touched. A project id longer than 247 characters (its task ids would not fit
 *     VARCHAR(255)) → 422 "Project id X is too long for task ids (at most 247 characters)."
 *     (original: database error). tasks_count is the number of rows written (10).
 *  7. Stable order where the original had none: B6 by task_id (byte order); B3/B5
 *     status_counts by status (byte order, a NULL status last under the key "null", as
 *     json.dumps writes a None key); B3 lists the projects that have tasks first, then the
 *     others, each group in the Project service's order (GET /projects: by id), each project
 *     once.
 *  8. SQL NULL is JSON null in a Task (B6) instead of a 500 from model validation (a NULL
 *     description or status; the service itself never writes them).
 *  9. TASK_UPDATED consumer (bl_events.c): group "backlog-service" (original
 *     backlog_service_group), consumer = the instance name; at-least-once delivery with
 *     exactly-once effect (event_inbox + a per-task watermark, backlog_apply_task_event() in
 *     sql/backlog_db/002_event_inbox.sql and 003_apply_task_event.sql), acknowledged only after
 *     the commit, retried while the database is unreachable, reclaimed from a dead instance by
 *     the host (XAUTOCLAIM). It applies status, progress_percentage, sprint_id and
 *     assigned_to, each when present (original: status + progress only, and only when
 *     progress was not null — status-only updates were lost):
 *     sprint_id null/absent keeps the task's, status "unassigned" clears it; assigned_to null,
 *     "" or "unassigned" keeps the task's. A message older (stream order) than one already
 *     applied to the same task is skipped; a document that is not a valid TASK_UPDATED
 *     (unknown status, progress outside 0..100, missing task_id, bad JSON) is logged and
 *     acknowledged without effect (original: any status, any progress). Only the stream field
 *     "data" is read (as every producer writes); an event_id or a task_id longer than 255
 *     characters is malformed.
 * 10. No dsm:events (SprintStarted) consumer: the original's had no effect (empty task list).
 */
#include "bl_internal.h"

const dsm_route_t bl_routes[] = {
    /* bl_health.c */
    {DSM_GET, "/health", bl_health_live, 0},                                    /* B1 */
    {DSM_GET, "/health/ready", bl_health_ready, 0},                             /* B2 */
    /* bl_backlogs.c */
    {DSM_GET, "/backlogs/summary", bl_summary_all, 0},                          /* B3 */
    {DSM_POST, "/backlogs/{project_id}", bl_generate, 0},                       /* B4 */
    {DSM_GET, "/backlogs/{project_id}/summary", bl_summary_project, 0},         /* B5 */
    {DSM_GET, "/backlogs/{project_id}", bl_task_list, 0},                       /* B6 */
    /* bl_tasks.c */
    {DSM_PUT, "/tasks/{task_id}", bl_task_update, DSM_RF_BODY_MODEL},           /* B7 */
    {0, NULL, NULL, 0},
};

const dsm_consumer_t bl_consumers[] = {
    /* bl_events.c — TASK_UPDATED from the Sprint service */
    {"task_update_events", "backlog-service", bl_consume_task_update},
    {NULL, NULL, NULL},
};
