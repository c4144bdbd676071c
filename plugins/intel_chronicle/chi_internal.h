/*
 * chi_internal.h — what the files of the "chronicle" intelligence source share: the state made
 * by init (read-only afterwards) and the Chronicle fetch. The plugin sees the host only through
 * dsm/plugin.h; the computations are in chronicle_logic.c.
 */
#ifndef CHI_INTERNAL_H
#define CHI_INTERNAL_H

#include <stdint.h>

#include "chronicle_logic.h"
#include "dsm/plugin.h"

#define CHI_DEFAULT_URL "http://127.0.0.1:8080"
#define CHI_BREAKER "chronicle"

/* The three analytics answers the source reads (docs/ORCHESTRATOR.md §2 perception.chronicle). */
enum { CHI_SIMILAR = 0, CHI_VELOCITY = 1, CHI_PATTERNS = 2, CHI_NBODIES = 3 };

typedef struct {
    const dsm_api_t *api;
    char *url;          /* conf chronicle_url; NULL: params.urls.chronicle, else CHI_DEFAULT_URL */
    long timeout_ms;    /* conf timeout_ms (10000, §3.1), clamped by the source's budget */
    long budget_ms;     /* conf deadline_ms: budget when params.source.chronicle has none */
    chi_config_t cfg;   /* thresholds (conf overrides, §9.2 names) */
} chi_state_t;

/* What analyze() works from: each answer is borrowed from the perception or owned (fetched). */
typedef struct {
    struct json_object *body[CHI_NBODIES];
    int owned[CHI_NBODIES];
    int from_perception[CHI_NBODIES];
    int fetched;                 /* calls made */
    double fetch_ms;
    struct json_object *warnings; /* array, owned */
} chi_data_t;

/* Fetch the answers marked missing (body NULL, not from_perception) from Chronicle in parallel
 * (http_parallel, breaker "chronicle"), within deadline_ns. A 404 is "no data"; a failure adds a
 * warning. Never fails the source. */
void chi_fetch(const chi_state_t *st, dsm_req_t *req, const char *base, const char *project_id,
               int64_t deadline_ns, chi_data_t *d);


#endif /* CHI_INTERNAL_H */
