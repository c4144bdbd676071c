/*
 * routes.c — every endpoint of the Sprint service (shared/spec/api.md §4, S1–S13): method,
 * URL pattern, handler, body flags. The handler lives in the file named beside it.
 *
 * DELIBERATE DIFFERENCES from the original Python service (for docs/API.md)
 *
 *  1. Intended status codes instead of the original's wrapped 500s (api.md §0.2):
 *       S11  404 "Sprint X not found." and 409 "Sprint X is not in 'in_progress' status.
 *            Current status: completed" (original: 500 "Database error during sprint
 *            validation: 404: …" / "…: 409: …").
 *       S5   404 "Project X not found." for an unknown project (original: 503 "Project Service
 *            is currently unavailable or project not found." after committing an empty sprint).
 *  2. Validation the original lacked (422, FastAPI list shape unless noted):
 *       S5   duration_weeks within 1..8 ("greater_than_equal"/"less_than_equal"), sprint_name
 *            at most 255 characters ("string_too_long"); a project id so long that the sprint
 *            id would not fit tasks.sprint_id VARCHAR(20) → 422 {"detail": "<text>"}.
 *       S10  progress_percentage within 0..100 ("value_error", "Value error, Progress
 *            percentage must be between 0 and 100", as the spec's model validator);
 *            status one of assigned_to_sprint, in_progress, completed ("literal_error");
 *            completed must go with 100 and 100 with completed when both are given, and a
 *            status-only change of a 100 % task to another status → 422 {"detail": "<text>"}.
 *  3. S5 body takes an optional "task_count" (integer ≥ 1; alias "tasks_to_assign", both
 *     given must be equal): at most that many unassigned backlog tasks (in backlog order) go
 *     into the sprint (original: always all of them). The duration is the one sent.
 *  4. S5 numbering: one more than both the count and the highest "<pid>-S<n>" number of the
 *     project's sprints, under a per-project advisory lock and a partial unique index (one
 *     in-progress sprint per project), so ids are never reused and concurrent creations give
 *     one 201 and one 409 (original: count + 1, duplicates → 500).
 *  5. S5 atomicity (workflows.md Appendix A 6, 7): every check (active sprint, project, backlog,
 *     team) runs before anything is written; the sprint, its tasks and the backlog assignment
 *     (PUT /tasks/{id}, made while the transaction is open) succeed together or not at all —
 *     a failed PUT rolls back and reverts the PUTs made, answer 503. A Project team-members
 *     failure is a 503 (original: tasks created without assignees).
 *  6. Events are published after the commit, never before (original S13 published first).
 *     SprintStarted carries the real task list (original: always []). TASK_UPDATED always
 *     carries the row's progress (S10 status-only updates: original null, dropped by the
 *     Backlog consumer) and the project id of the sprint row (original: text before the first
 *     "-" of the sprint id). S10, S11 and S13 need Redis for their events: when it does not
 *     answer PING they change nothing and answer 503 "Redis is currently unavailable: …"
 *     (original: S10 500 after its commit, S13 silently dropped events).
 *  7. S10 status rules: progress only → status completed at 100, else in_progress (the
 *     original left the stored status, e.g. assigned_to_sprint, while its event said
 *     in_progress); status "completed" alone sets progress 100. The task must belong to an
 *     existing sprint (join on sprints).
 *  8. S11 never strands a task: if a task cannot be returned to the backlog, the PUTs made are
 *     reverted, nothing is changed and the answer is 503 (original: logged, skipped, sprint
 *     closed anyway). Each returned task also gets TASK_UPDATED {"status":"unassigned",
 *     "sprint_id":null, progress kept}. A Chronicle failure adds "warnings" (still 200).
 *  9. S13 (documented parameters, all optional): `force=true` runs the scrum on a holiday;
 *     otherwise a holiday of the Project calendar → 200 with "skipped": true, nothing changed,
 *     no report. `date=YYYY-MM-DD` simulates that day (default: server-local today; also the
 *     report_date). `seed=TEXT` makes the increments reproducible. Tasks of an assignee on PTO
 *     that day (Project P9) do not progress; the report lists them ("On PTO: …") and the
 *     summary names who is on PTO. The Project service must answer (holidays, PTO, team) or
 *     the scrum answers 503 and changes nothing (original: ran blind, team size 0).
 *     TASK_PROGRESSED is published to daily_scrum_events for each advanced task (the original
 *     only consumed that stream; nothing consumes it here — workflows.md §1.5 recommends not
 *     implementing the consumer, which would double the TASK_UPDATED events).
 * 10. S13 response: "report_id" is the Chronicle note_id (original: always null, "N/A" on
 *     failure), followed by "report_date", "report_stored" (false when the Chronicle did not
 *     store it), "skipped", "holiday" (name or null), "employees_on_pto" and, when something
 *     failed after the commit, "warnings". Tasks are processed in task-id order with the row
 *     lock of the sprint held, so a concurrent close waits.
 * 11. Stable order where the original had none: S3/S4 the lowest sprint id, S6/S9 start_date
 *     DESC then sprint_id DESC, S7/S8 tasks by task id. S9 treats an empty status as no filter.
 * 12. Warnings instead of silence: S5/S11 add "warnings": [...] (still 201/200) when an event
 *     or the Chronicle note/retrospective could not be stored after the commit.
 * 13. Calls between services (conf project_url, backlog_url, chronicle_url; default
 *     http://127.0.0.1:8080) use api->http_request: 2 s per attempt, one retry for GET/PUT,
 *     circuit breakers "project", "backlog", "chronicle". A dependency that does not answer,
 *     answers 5xx or has an open breaker gives 503 "<Service> is currently unavailable
 *     (<reason>): <what could not be done>." — never a hang or a 500.
 * 14. S2 checks the database with SELECT 1 and Redis with PING (original: a pool checkout and
 *     a PING), the three services at <url>/<svc>/health/ready through nginx (original:
 *     hard-coded cluster URLs, 5 s); "service" comes from conf.sprint.service_name.
 * 15. sprint_db follows data-architecture.md §3.2 exactly (TIMESTAMP dates shown as their DATE
 *     part); the service no longer runs DDL on every S5.
 * 16. Added for simulations (make bench-decisions), no original: a project's simulated team
 *     capacity, table sim_capacity (sql/sprint_db/002_sim_capacity.sql), set/read/removed by
 *     PUT/GET/DELETE /sprints/simulation/capacity/{project_id} (spr_simcap.c; PUT body
 *     {"points_per_member_day": 1..1000, "variation_percent": 0..90, default 0}; 422 list
 *     entries outside the ranges; GET/DELETE 404 "No simulated capacity for project X.").
 *     While a row exists, S13 does not advance every unfinished task by 5..30 points: the day's
 *     work budget = points × members present (team size − members on PTO), ± a seeded uniform
 *     variation, is spent on the unfinished tasks in task-id order (each takes what it still
 *     needs); the others are not worked on that day (not updated, no event, not in the
 *     report), and the answer adds "simulated_work_points". So a sprint completes about
 *     Σ budget / 100 tasks, a capacity only the Sprint service knows. Without a row S13 is
 *     unchanged.
 */
#include "spr_internal.h"

const dsm_route_t spr_routes[] = {
    /* spr_health.c */
    {DSM_GET, "/health", spr_health_live, 0},                                      /* S1 */
    {DSM_GET, "/health/ready", spr_health_ready, 0},                               /* S2 */
    /* spr_sprints.c */
    {DSM_GET, "/sprints/active", spr_active_any, 0},                               /* S3 */
    {DSM_GET, "/sprints/active/{project_id}", spr_active_project, 0},              /* S4 */
    /* spr_create.c */
    {DSM_POST, "/sprints/{project_id}", spr_sprint_create, DSM_RF_BODY_MODEL},     /* S5 */
    /* spr_sprints.c */
    {DSM_GET, "/sprints/list_projects", spr_list_projects, 0},                     /* S6 */
    {DSM_GET, "/sprints/{sprint_id}", spr_sprint_get, 0},                          /* S7 */
    /* spr_tasks.c */
    {DSM_GET, "/sprints/{sprint_id}/tasks", spr_sprint_tasks, 0},                  /* S8 */
    /* spr_sprints.c */
    {DSM_GET, "/sprints/by-project/{project_id}", spr_by_project, 0},              /* S9 */
    /* spr_progress.c */
    {DSM_POST, "/tasks/{task_id}/progress", spr_task_progress, DSM_RF_BODY_MODEL}, /* S10 */
    /* spr_close.c */
    {DSM_POST, "/sprints/{sprint_id}/close", spr_sprint_close, 0},                 /* S11 */
    /* spr_tasks.c */
    {DSM_GET, "/sprints/{sprint_id}/task-summary", spr_task_summary, 0},           /* S12 */
    /* spr_scrum.c */
    {DSM_POST, "/sprints/{sprint_id}/run-daily-scrum", spr_daily_scrum, 0},        /* S13 */
    /* spr_simcap.c (item 16) */
    {DSM_PUT, "/sprints/simulation/capacity/{project_id}", spr_simcap_put, DSM_RF_BODY_MODEL},
    {DSM_GET, "/sprints/simulation/capacity/{project_id}", spr_simcap_get, 0},
    {DSM_DELETE, "/sprints/simulation/capacity/{project_id}", spr_simcap_delete, 0},
    {0, NULL, NULL, 0},
};
