/*
 * routes.c — every endpoint of the Chronicle service (shared/spec/api.md §5, C1–C17) and its
 * stream consumers: method, URL pattern, handler, body flags. The handler lives in the file
 * named beside it.
 *
 * DELIBERATE DIFFERENCES from the original Python service (for docs/API.md)
 *
 *  1. Intended status codes (api.md §0.2) instead of the original's 500s:
 *       C6   a second retrospective for a sprint_id → 409 {"detail":"Sprint retrospective for
 *            sprint APO009-S01 already exists."} (original 500 "Database error: duplicate key…")
 *       C16  no similar project → 404 {"detail":"No similar projects found for APO009."}
 *            (original 500 "Internal Server Error: 404: …"); an unknown reference project is
 *            404 even with similarity_threshold=0.
 *       all  database failures through api->reply_db_error: 503 unreachable, 409 constraint,
 *            422 invalid value, else 500 — never the PostgreSQL message (original 500
 *            "Database error: <message>" / "Internal Server Error: <error>").
 *  2. Validation beyond the original (every problem a FastAPI 422 entry, never a 500):
 *       - lengths: values stored in VARCHAR(255) columns and ids inside JSON (project_id,
 *         sprint_id, facilitator_id, attendees, assigned_to/employee_id, task ids,
 *         tasks_summary status/task_id/employee_id, planned task ids) at most 255 characters,
 *         an action item's status at most 50 (VARCHAR(50)), every other text field (summary,
 *         what_went_well, sprint_goal, descriptions, reasoning, report texts, audit strings)
 *         at most 65536 characters → "string_too_long". Free-form JSON
 *         (orchestration_decision_details, intelligence_recommendations, the Any fields,
 *         evidence_details) is bounded by the 1 MiB body limit only.
 *       - C6: duration_weeks outside INTEGER → value_error (original 500); end_date before
 *         start_date → value_error "end_date must not be before start_date" (original: stored).
 *       - C17: a start_date after end_date → value_error at ["query","start_date"]; an empty or
 *         malformed datetime → datetime_from_date_parsing.
 *       - nested problems carry their full loc (["body","reports","2025-09-18",0,"tasks",0,
 *         "created_at"]) but are reported after the body's direct members: a body with both
 *         kinds gets the direct members' 422 first.
 *  3. C2 readiness runs SELECT 1 through PgBouncer (original: a pool checkout, which passed
 *     with the database gone).
 *  4. C6: a repeated attendee is stored once (original 500 duplicate key). The retrospective,
 *     its action items and attendees are one INSERT statement (atomic).
 *  5. C8 reads the shape C4 writes (additional_data.reports) and the legacy {date: [...]}
 *     shape (original: 500 text/plain on any current report); a NULL sprint_id or report_date
 *     is no error. Task created_at values are printed as the response model prints them
 *     (aware UTC → "Z"). Ties in the row order are broken by id.
 *  6. C9: action items are the distinct (description, status) pairs ordered by description,
 *     status (original split "description::status" strings: a "::" in a description → 500);
 *     created_at is printed in UTC ("+00:00") whatever the session time zone. C9, C10, C11:
 *     ties broken by id. Timestamps always print 6 fraction digits when not zero (Python
 *     isoformat), e.g. "…:00.958880".
 *  7. Analytics (C12–C17) are computed from the database on every call: no in-process cache
 *     (original: cached forever, stale until a restart).
 *  8. One completion rule everywhere (C14, C16, C17): a tasks_summary item is done when its
 *     status is close/closed/completed/complete/done (any case) or progress_percentage >= 100
 *     (original velocity: status == "close" or progress == 100; the Sprint Service writes
 *     "completed").
 *  9. C12: total_projects / total_sprints count the ids of notes AND retrospectives (original:
 *     projects from notes only, sprints from retrospectives only); total_daily_scrum_reports
 *     leaves out the orchestrator's decision notes (daily_scrum_report rows carrying
 *     orchestration_decision_details); total_action_items counts every status (original: open
 *     + closed only); overall_system_health is "Good" also when there are no action items.
 * 10. C13: daily scrum data is read from the current shape, the legacy shape and the legacy
 *     impediments column (original: legacy shape only, so nothing for current data); the
 *     "no impediment" texts "None.", "None reported.", "N/A", … (chr_no_impediment) are not
 *     impediments (original: only "none."); decision notes are not daily scrums;
 *     daily_scrum_count = distinct (sprint, report date) days (original: note rows, 2+ per day);
 *     total_tasks_completed_in_daily_scrums = Σ over sprints of the highest
 *     summary_metrics.completed_tasks reported (original: fields the current shape lacks → 0).
 *     Maps ordered by count descending, then text.
 * 11. C14: sprints ordered by start_date, undated last, then created_at; average_velocity is
 *     always a float (0.0 with no sprint; original the integer 0).
 * 12. C15: the impediments are those reported in daily scrums only (original also counted every
 *     retrospective action item as an impediment); impediment_status_counts splits each text's
 *     reports into "open" and "resolved" — resolved when the same task of the same sprint was
 *     reported without impediment on a later day (original: all "open"). Ordered by frequency.
 * 13. C16: candidates are the projects with notes or retrospectives (original: notes only);
 *     impediments and action items are compared after chr_match_key (case, numbers, trailing
 *     dots ignored: "Review 7 tasks…" = "review 5 tasks…"; original exact strings); the weights
 *     0.4/0.6 are renormalised over the components where either project has data (original: two
 *     projects without impediments scored at most 0.6 and never passed the default 0.7);
 *     team_size = distinct assignees of tasks_summary (original 0); project_duration = days
 *     from the first start_date to the last end_date (original 0.0); avg_sprint_duration
 *     (days) averages only retrospectives with both dates (original: undated ones counted as 0
 *     days); optimal_task_count ties go to the larger count, in start_date order (original:
 *     first in arbitrary order); completion_rate is 0.0 (float) without tasks; equal scores are
 *     ordered by project_id; a threshold outside 0..1 is "greater_than_equal" /
 *     "less_than_equal" with the value as given.
 * 14. C17: decisions are the decision notes (daily_scrum_report + orchestration_decision_details)
 *     and the C7 audits that name a sprint (original: notes only); decision_source is the
 *     decision's real source (details.decision_source / final_decision.decision_source,
 *     "unknown" when absent; original used decision_type, so no decision was ever
 *     intelligence-enhanced); *_enhanced and hybrid sources are intelligence-enhanced, all
 *     others rule-based; per sprint the decision that created it (CREATE_NEW_SPRINT) is used,
 *     else its earliest (original: the last, usually the closing decision);
 *     intelligence_adjustments come from the decision (original: a missing key → always {});
 *     averages are over exact rates (original: over rates rounded to 2 decimals);
 *     completion_rate_improvement_percent is 0.0 unless both groups have outcomes (original:
 *     -100 when no intelligence decision had one); task_efficiency_improvement_percent compares
 *     completed tasks per sprint week (original constant 0.0); resource_utilization stays 0.0
 *     (no capacity data). The window is normalised to naive UTC (an offset is converted),
 *     compared with created_at in the database session's time zone, and retrospectives'
 *     start_date by UTC calendar date (original compared a date with a datetime).
 * 15. C11 also lists the audit notes the stream consumers write (chr_events.c): their object
 *     is the event's envelope plus "source":"redis_stream", "stream", "stream_id".
 * 16. Events: STRATEGY_APPLIED (orchestration_events) and STRATEGY_EVOLVED
 *     (agent_learning_events) are consumed, at least once with an idempotent insert (exactly
 *     once in effect); the original's broken dsm:events SprintStarted consumer (a no-op) is
 *     not ported.
 */
#include "chr_internal.h"

/* clang-format off */
const dsm_route_t chr_routes[] = {
    /* chr_health.c */
    {DSM_GET, "/health", chr_health_live, 0},                                        /* C1 */
    {DSM_GET, "/health/ready", chr_health_ready, 0},                                 /* C2 */
    {DSM_GET, "/v1/health", chr_health_live, 0},                                     /* C3 */
    /* chr_daily.c */
    {DSM_POST, "/v1/notes/daily_scrum_report", chr_daily_create, DSM_RF_BODY_MODEL}, /* C4 */
    /* chr_planning.c */
    {DSM_POST, "/v1/notes/sprint_planning", chr_planning_create, DSM_RF_BODY_MODEL}, /* C5 */
    /* chr_retro.c */
    {DSM_POST, "/v1/notes/sprint_retrospective", chr_retro_create, DSM_RF_BODY_MODEL}, /* C6 */
    /* chr_audit.c */
    {DSM_POST, "/v1/notes/decision_audit", chr_audit_create, DSM_RF_BODY_MODEL},     /* C7 */
    /* chr_daily.c, chr_retro.c, chr_planning.c, chr_audit.c */
    {DSM_GET, "/v1/notes/daily_scrum_report", chr_daily_get, 0},                     /* C8 */
    {DSM_GET, "/v1/notes/sprint_retrospective", chr_retro_list, 0},                  /* C9 */
    {DSM_GET, "/v1/notes/sprint_planning", chr_planning_list, 0},                    /* C10 */
    {DSM_GET, "/v1/notes/decision_audit", chr_audit_list, 0},                        /* C11 */
    /* chr_stats.c */
    {DSM_GET, "/v1/analytics/metrics/summary", chr_metrics_summary, 0},              /* C12 */
    {DSM_GET, "/v1/analytics/project/{project_id}/patterns", chr_patterns, 0},       /* C13 */
    /* chr_velocity.c */
    {DSM_GET, "/v1/analytics/project/{project_id}/velocity", chr_velocity, 0},       /* C14 */
    /* chr_stats.c */
    {DSM_GET, "/v1/analytics/project/{project_id}/impediments", chr_impediments, 0}, /* C15 */
    /* chr_similar.c */
    {DSM_GET, "/v1/analytics/projects/similar", chr_similar, 0},                     /* C16 */
    /* chr_impact.c */
    {DSM_GET, "/v1/analytics/decisions/impact/{project_id}", chr_impact, 0},         /* C17 */
    /* chr_progress.c */
    {DSM_GET, "/v1/analytics/sprint/{sprint_id}/progress", chr_sprint_progress, 0},  /* C18 */
    {0, NULL, NULL, 0},
};

/* chr_events.c — the learning loop's audit trail (consumer group "chronicle-service"). */
const dsm_consumer_t chr_consumers[] = {
    {"orchestration_events", "chronicle-service", chr_event_strategy},  /* STRATEGY_APPLIED */
    {"agent_learning_events", "chronicle-service", chr_event_strategy}, /* STRATEGY_EVOLVED */
    {NULL, NULL, NULL},
};
/* clang-format on */
