/*
 * routes.c — the agent-memory API (issue 4; no original to be compatible with, so intended
 * status codes throughout): method, URL pattern, handler, body flags. The handler lives in
 * the file named beside it. Served by the chronicle pool (the "memory" companion plugin);
 * nginx routes ^/v1/memory(/|$) there (nginx/locations/chronicle.conf).
 *
 * Conventions: JSON bodies are FastAPI models (malformed or non-object → 422 from the host);
 * every validation problem is one 422 list ({"type","loc","msg","input"}; members of bulk items
 * are located as "episodes.<i>.<field>"); ids are UUIDs (any case, with or without dashes;
 * answered lower-case); unknown ids 404 {"detail": "... not found"}; duplicate ids 409;
 * database unreachable 503; embedding server unreachable 503 {"detail": "Embedding service
 * unavailable: <reason>"}. Timestamps are ISO 8601 with offset (timestamptz).
 */
#include "mem_internal.h"

const dsm_route_t mem_routes[] = {
    /* mem_health.c */
    {DSM_GET, "/v1/memory/health", mem_health, 0},
    /* mem_episode_store.c */
    {DSM_POST, "/v1/memory/episodes", mem_episode_store, DSM_RF_BODY_MODEL},
    {DSM_POST, "/v1/memory/episodes/bulk", mem_episode_bulk, DSM_RF_BODY_MODEL},
    /* mem_search.c */
    {DSM_POST, "/v1/memory/episodes/search", mem_episode_search, DSM_RF_BODY_MODEL},
    /* mem_episodes.c */
    {DSM_GET, "/v1/memory/episodes", mem_episode_list, 0},
    {DSM_DELETE, "/v1/memory/episodes", mem_episode_delete_project, 0},
    {DSM_GET, "/v1/memory/episodes/{episode_id}", mem_episode_get, 0},
    {DSM_DELETE, "/v1/memory/episodes/{episode_id}", mem_episode_delete, 0},
    {DSM_PUT, "/v1/memory/episodes/{episode_id}/outcome", mem_episode_outcome, DSM_RF_BODY_MODEL},
    /* mem_backfill.c */
    {DSM_POST, "/v1/memory/embeddings/backfill", mem_backfill, 0},
    /* mem_strategies.c */
    {DSM_POST, "/v1/memory/strategies", mem_strategy_create, DSM_RF_BODY_MODEL},
    {DSM_GET, "/v1/memory/strategies", mem_strategy_list, 0},
    {DSM_GET, "/v1/memory/strategies/{strategy_id}", mem_strategy_get, 0},
    {DSM_PATCH, "/v1/memory/strategies/{strategy_id}", mem_strategy_update, DSM_RF_BODY_MODEL},
    /* mem_performance.c */
    {DSM_POST, "/v1/memory/strategies/{strategy_id}/performance", mem_perf_create,
     DSM_RF_BODY_MODEL},
    {DSM_GET, "/v1/memory/strategies/{strategy_id}/performance", mem_perf_list, 0},
    {DSM_PATCH, "/v1/memory/performance/{log_id}", mem_perf_update, DSM_RF_BODY_MODEL},
    /* mem_sessions.c */
    {DSM_POST, "/v1/memory/sessions", mem_session_create, DSM_RF_BODY_MODEL},
    {DSM_GET, "/v1/memory/sessions", mem_session_list, 0},
    {DSM_POST, "/v1/memory/sessions/cleanup", mem_session_cleanup, 0},
    {DSM_GET, "/v1/memory/sessions/{session_id}", mem_session_get, 0},
    {DSM_PATCH, "/v1/memory/sessions/{session_id}", mem_session_update, DSM_RF_BODY_MODEL},
    {DSM_DELETE, "/v1/memory/sessions/{session_id}", mem_session_end, 0},
    /* mem_metrics.c */
    {DSM_GET, "/v1/memory/metrics", mem_metrics_list, 0},
    {DSM_GET, "/v1/memory/metrics/summary", mem_metrics_summary, 0},
    {0, NULL, NULL, 0},
};
