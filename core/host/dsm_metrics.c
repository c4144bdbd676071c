/*
 * dsm_metrics.c — GET /metrics when no plugin serves it: the instance's own counters in the
 * Prometheus text format (nginx exposes them per pool as /<svc>/metrics).
 */
#include <stdio.h>
#include <string.h>

#include "dsm_core.h"

void dsm_metrics_reply(dsm_req_t *r)
{
    dsm_host_t *h = dsm_host_of(r);
    const char *inst = h->cfg.instance;
    char buf[4096];
    size_t off = 0;
#define M(...) off += (size_t)snprintf(buf + off, off < sizeof(buf) ? sizeof(buf) - off : 0, __VA_ARGS__)
    M("# HELP dsm_requests_total Requests answered by this instance, by status class.\n"
      "# TYPE dsm_requests_total counter\n");
    for (int c = 2; c <= 5; c++)
        M("dsm_requests_total{instance=\"%s\",class=\"%dxx\"} %llu\n", inst, c,
          (unsigned long long)atomic_load(&h->by_class[c]));
    M("# HELP dsm_in_flight Requests being handled now.\n# TYPE dsm_in_flight gauge\n"
      "dsm_in_flight{instance=\"%s\"} %d\n", inst, atomic_load(&h->in_flight));
    M("# HELP dsm_generation Current plugin generation.\n# TYPE dsm_generation gauge\n"
      "dsm_generation{instance=\"%s\"} %llu\n", inst, (unsigned long long)r->gen->number);
    M("# HELP dsm_reloads_total Plugin reloads by result.\n# TYPE dsm_reloads_total counter\n"
      "dsm_reloads_total{instance=\"%s\",result=\"ok\"} %llu\n"
      "dsm_reloads_total{instance=\"%s\",result=\"refused\"} %llu\n", inst,
      (unsigned long long)atomic_load(&h->reloads_ok), inst,
      (unsigned long long)atomic_load(&h->reloads_failed));
    M("# HELP dsm_threads Worker threads.\n# TYPE dsm_threads gauge\n"
      "dsm_threads{instance=\"%s\"} %d\n", inst, h->nthreads);
    for (size_t i = 0; i < h->nconsumers; i++) {
        dsm_consumer_run_t *c = &h->consumers[i];
        M("dsm_stream_messages_total{instance=\"%s\",stream=\"%s\",result=\"handled\"} %llu\n"
          "dsm_stream_messages_total{instance=\"%s\",stream=\"%s\",result=\"failed\"} %llu\n",
          inst, c->ref.stream, (unsigned long long)atomic_load(&c->handled), inst, c->ref.stream,
          (unsigned long long)atomic_load(&c->failed));
    }
#undef M
    if (off >= sizeof(buf))
        off = sizeof(buf) - 1;
    dsm_reply_text(r, 200, "text/plain; version=0.0.4", buf, off);
}
