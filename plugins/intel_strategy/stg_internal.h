/*
 * stg_internal.h — what the files of the "strategy" intelligence source share: the state made by
 * init (read-only afterwards) and the calls to the agent-memory API (served by the chronicle
 * pool under /v1/memory/, see plugins/service_memory/routes.c). The scoring is in
 * strategy_logic.c.
 */
#ifndef STG_INTERNAL_H
#define STG_INTERNAL_H

#include <stdint.h>

#include "dsm/plugin.h"
#include "strategy_logic.h"

#define STG_DEFAULT_URL "http://127.0.0.1:8080"
#define STG_BREAKER "memory"
#define STG_MAX_CANDIDATES 1000 /* the memory API's list limit */
#define STG_MAX_RECORD 16       /* applied strategies handled per outcome */

typedef struct {
    const dsm_api_t *api;
    char *url;       /* conf memory_url; NULL: params.urls.memory, else STG_DEFAULT_URL */
    long timeout_ms; /* conf timeout_ms (2000), clamped to the source's budget */
    long budget_ms;  /* conf deadline_ms (500): budget when params.source.strategy has none */
    int candidates;  /* conf candidates (200): rows fetched, then scored and cut to cfg.limit */
    int record;      /* conf record_feedback (0): record() writes the feedback itself */
    stg_config_t cfg;
} stg_state_t;


/* Base URL of the memory API: conf, then params.urls.memory (params may be NULL), then default. */
const char *stg_base(const stg_state_t *st, const struct json_object *params);

/* One call through api->http_request with the "memory" breaker, no retries. Returns the HTTP
 * status or -1; *body (caller owns) and *err as http_request sets them. */
int stg_call(const stg_state_t *st, dsm_req_t *req, const char *method, const char *url,
             const struct json_object *body, long timeout_ms, struct json_object **out,
             const char **err);

/* record(): the outcome feedback of docs/ORCHESTRATOR.md §8 (only with conf record_feedback). */
int stg_record(void *state, dsm_req_t *req, const dsm_outcome_t *oc);

#endif /* STG_INTERNAL_H */
