/*
 * routes.c — every endpoint of the Project Orchestrator (shared/spec/api.md §6, O1–O26, plus
 * the replay endpoint of issue 6 item 7) and its stream consumer. The decision contract the
 * intelligence plugins code against is docs/ORCHESTRATOR.md.
 *
 * DELIBERATE DIFFERENCES from the original Python service (for docs/API.md)
 *
 *  1. O4 perception: team size = number of team members (#1), backlog total read correctly
 *     (#2), no GET /sprints/active (#3, so no system-wide 404); Project/Backlog/Sprint calls run
 *     in parallel; an unknown project is 404 "Project X not found."; a service that does not
 *     answer, answers 5xx, or whose circuit breaker is open gives 503 {"detail": "<Service>
 *     unavailable: …", "dependency", "service_status": "degraded", "retry_after"} (#8).
 *     Chronicle analytics are optional (a warning, never a failure).
 *  2. O4 options are validated (422 list, loc ["body","options",field]): booleans, cron
 *     `schedule` (5 fields), sprint_duration_weeks 1..8, max_tasks_per_sprint 1..1000; plus the
 *     new optional `schedule_timezone` (IANA name, default UTC).
 *  3. O4 decisions change execution: the sprint is created with the final task count (body
 *     member conf sprint_task_count_field, default "task_count") and the final duration; the
 *     sprint name follows the Sprint service numbering (#4); closing a sprint deletes its
 *     schedule (#5); no orchestrator retrospective is posted (#7, the Sprint service writes it).
 *     A Sprint service refusal (409) or a Chronicle note failure is a warning, not an abort.
 *  4. O4 response additions: decisions.baseline_source, decisions.intelligence_sources (every
 *     source of every pass with status, time, proposals and gate verdicts), episode_id,
 *     decision_id; intelligence_adjustments carry evidence_count and per-source contributions.
 *  5. CronJobs are rows of orchestrator_schedules fired by the pool (docs/ORCHESTRATOR.md §12):
 *     O5 lists them with real last_schedule_time (#32), O6 deletes one of the project's and
 *     answers 404 for an unknown name (original: 200, no ownership check).
 *  6. O5 backlog_status.total_tasks is the backlog total (#32).
 *  7. O16 works (200 with Chronicle's similar projects, 404 when none) (#33).
 *  8. O22 works and persists per project; the next decision of that project uses it (#33);
 *     "learning_enhanced" is accepted; unknown project 404; nothing stored on a 4xx.
 *  9. O24/O25 read the stored episodes (#13, #33).
 * 10. O20/O26 report the operations this implementation times (#33: no v1 metric name).
 * 11. O8–O13: intended status codes (400/404/422) instead of the wrapped 500s; O12 answers the
 *     JSONB columns as JSON (not JSON-encoded strings); O13 answers 404 for an unknown id.
 * 12. O2 readiness = database + Redis (the Kubernetes client does not exist); services,
 *     the memory API and the intelligence sources are reported, never blocking.
 * 13. O3 /metrics is the host's Prometheus exposition.
 */
#include "orc_internal.h"

const dsm_route_t orc_routes[] = {
    /* orc_health.c */
    {DSM_GET, "/health", orc_health_live, 0},                                          /* O1 */
    {DSM_GET, "/health/ready", orc_health_ready, 0},                                   /* O2 */
    /* orc_orchestrate.c */
    {DSM_POST, "/orchestrate/project/{project_id}", orc_orchestrate, DSM_RF_BODY_MODEL}, /* O4 */
    /* orc_status.c */
    {DSM_GET, "/orchestrate/project/{project_id}/status", orc_status, 0},              /* O5 */
    {DSM_DELETE, "/orchestrate/project/{project_id}/cronjob/{cronjob_name}", orc_cronjob_delete,
     0},                                                                                /* O6 */
    /* orc_strategy.c */
    {DSM_GET, "/strategy/status", orc_strategy_status, 0},                             /* O7 */
    {DSM_GET, "/strategy/analytics", orc_strategy_analytics, 0},                       /* O10 */
    {DSM_GET, "/strategy/list", orc_strategy_list, 0},                                 /* O11 */
    {DSM_GET, "/strategy/health", orc_strategy_health, 0},                             /* O14 */
    {DSM_GET, "/strategy/{strategy_id}/performance", orc_strategy_performance, 0},     /* O12 */
    {DSM_POST, "/strategy/{strategy_id}/deactivate", orc_strategy_deactivate, 0},      /* O13 */
    /* orc_evolve_routes.c */
    {DSM_POST, "/strategy/evolve", orc_strategy_evolve, DSM_RF_BODY_RAW},              /* O8 */
    {DSM_POST, "/strategy/evolve/project/{project_id}", orc_strategy_evolve_project,
     DSM_RF_BODY_RAW},                                                                  /* O9 */
    /* orc_intel.c */
    {DSM_GET, "/orchestrate/intelligence/project/{project_id}/insights", orc_intel_insights, 0},
    {DSM_GET, "/orchestrate/intelligence/patterns/similar-projects/{project_id}",
     orc_intel_similar, 0},                                                             /* O16 */
    {DSM_GET, "/orchestrate/intelligence/patterns/velocity-trends/{project_id}",
     orc_intel_velocity, 0},                                                            /* O17 */
    {DSM_GET, "/orchestrate/intelligence/models/health", orc_intel_models_health, 0},  /* O18 */
    {DSM_GET, "/orchestrate/intelligence/data-quality/{project_id}", orc_intel_data_quality,
     0},                                                                                /* O19 */
    {DSM_GET, "/orchestrate/intelligence/performance/metrics/{project_id}",
     orc_intel_perf_metrics, 0},                                                        /* O20 */
    {DSM_GET, "/orchestrate/intelligence/decision-impact/{project_id}",
     orc_intel_decision_impact, 0},                                                     /* O21 */
    {DSM_POST, "/orchestrate/intelligence/project/{project_id}/decision-mode",
     orc_intel_decision_mode, DSM_RF_BODY_MODEL},                                       /* O22 */
    {DSM_GET, "/orchestrate/intelligence/decision-audit/{project_id}",
     orc_intel_decision_audit, 0},                                                      /* O23 */
    {DSM_GET, "/orchestrate/intelligence/hybrid-patterns/{project_id}",
     orc_intel_hybrid_patterns, 0},                                                     /* O24 */
    {DSM_GET, "/orchestrate/intelligence/episode-insights/{project_id}",
     orc_intel_episode_insights, 0},                                                    /* O25 */
    {DSM_GET, "/orchestrate/intelligence/performance/hybrid-metrics/{project_id}",
     orc_intel_hybrid_metrics, 0},                                                      /* O26 */
    /* orc_replay.c */
    {DSM_POST, "/orchestrate/replay", orc_replay, DSM_RF_BODY_MODEL},
    {0, NULL, NULL, 0},
};

/* Sprint closes made by anyone (docs/ORCHESTRATOR.md §8): orc_outcome.c. */
const dsm_consumer_t orc_consumers[] = {
    {"dsm:events", "orchestrator-service-group", orc_consume_sprint_event},
    {NULL, NULL, NULL},
};
