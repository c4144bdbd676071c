/* chi_fetch.c — the Chronicle analytics calls of §3.1 (similar projects, velocity, patterns),
 * made only for answers the perception does not carry. */
#include <json-c/json.h>

#include "chi_internal.h"

static const char *const chi_what[CHI_NBODIES] = {"similar_projects", "velocity", "patterns"};

static const char *chi_url(const chi_state_t *st, dsm_req_t *req, const char *base, int which,
                           const char *pid, double threshold)
{
    const dsm_api_t *api = st->api;

    switch (which) {
    case CHI_SIMILAR:
        return api->psprintf(req,
                             "%s/v1/analytics/projects/similar?reference_project_id=%s"
                             "&similarity_threshold=%g",
                             base, pid, threshold);
    case CHI_VELOCITY:
        return api->psprintf(req, "%s/v1/analytics/project/%s/velocity", base, pid);
    default:
        return api->psprintf(req, "%s/v1/analytics/project/%s/patterns", base, pid);
    }
}

void chi_fetch(const chi_state_t *st, dsm_req_t *req, const char *base, const char *project_id,
               int64_t deadline_ns, chi_data_t *d)
{
    const dsm_api_t *api = st->api;
    dsm_http_opts_t o[CHI_NBODIES];
    dsm_http_result_t res[CHI_NBODIES];
    int which[CHI_NBODIES];
    size_t n = 0;
    int64_t t0 = api->now_ns();
    long left_ms = (long)((deadline_ns - t0) / 1000000);
    const char *pid;

    pid = api->url_escape(req, project_id);
    if (pid == NULL || left_ms <= 0)
        return;
    for (int i = 0; i < CHI_NBODIES; i++) {
        if (d->from_perception[i] || d->body[i] != NULL)
            continue;
        o[n] = (dsm_http_opts_t){.size = sizeof(dsm_http_opts_t),
                                 .method = "GET",
                                 .url = chi_url(st, req, base, i, pid,
                                                st->cfg.similarity_threshold),
                                 .timeout_ms = st->timeout_ms < left_ms ? st->timeout_ms : left_ms,
                                 .retries = 0,
                                 .breaker = CHI_BREAKER};
        which[n++] = i;
    }
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        res[i] = (dsm_http_result_t){.status = -1};
    api->http_parallel(req, n, o, res);
    for (size_t i = 0; i < n; i++) {
        int w = which[i];

        if (res[i].status == 200 && res[i].body != NULL) {
            d->body[w] = res[i].body;
            d->owned[w] = 1;
            continue;
        }
        json_object_put(res[i].body);
        if (res[i].status == 404)
            continue; /* Chronicle has no data for it */
        json_object_array_add(
            d->warnings,
            json_object_new_string(res[i].status < 0
                                       ? api->psprintf(req, "Chronicle %s unavailable: %s",
                                                       chi_what[w],
                                                       res[i].err ? res[i].err : "no answer")
                                       : api->psprintf(req, "Chronicle %s unavailable: HTTP %d",
                                                       chi_what[w], res[i].status)));
    }
    d->fetched = (int)n;
    d->fetch_ms = (double)(api->now_ns() - t0) / 1e6;
}
