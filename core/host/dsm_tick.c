/*
 * dsm_tick.c — periodic calls of plugins' tick() (schedules, housekeeping). One thread per
 * plugin that declares tick in the initial generation; each call pins the current generation
 * and uses the slot of the same name there, so a hot-swapped plugin's new code ticks next.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsm_core.h"

static void tick_once(dsm_tick_run_t *run)
{
    dsm_thread_t *t = &run->thr;
    dsm_host_t *h = t->host;
    dsm_req_t r;
    char uri[96];
    snprintf(uri, sizeof(uri), "/_tick/%s", run->plugin);
    dsm_req_init(&r, t, "POST", uri, NULL);
    r.gen = dsm_gen_pin(h);
    for (size_t i = 0; r.gen && i < r.gen->nslots; i++) {
        dsm_slot_t *s = r.gen->slots[i];
        if (strcmp(s->name, run->plugin) || !s->desc->tick)
            continue;
        int64_t period = (int64_t)(s->desc->tick_ms < 1000 ? 1000 : s->desc->tick_ms) * 1000000LL;
        r.deadline_ns = r.start_ns + period;
        int rc = s->desc->tick(s->state, &r);
        dsm_db_request_end(&r);
        atomic_fetch_add(rc == DSM_OK ? &run->ok : &run->failed, 1);
        if (rc != DSM_OK)
            dsm_log_line("warn", "tick_failed", r.id, run->plugin, NULL);
        break;
    }
    dsm_gen_unpin(h, r.gen);
    dsm_arena_reset(t->arena);
}

static void *tick_main(void *arg)
{
    dsm_tick_run_t *run = arg;
    dsm_host_t *h = run->thr.host;
    int64_t next = dsm_now_ns() + (int64_t)run->period_ms * 1000000LL;
    while (!atomic_load(&h->stopping)) {
        if (dsm_now_ns() >= next) {
            tick_once(run);
            next = dsm_now_ns() + (int64_t)run->period_ms * 1000000LL;
        }
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
    }
    dsm_thread_teardown(&run->thr);
    atomic_store(&run->thr.done, true);
    return NULL;
}

int dsm_ticks_start(dsm_host_t *h)
{
    dsm_gen_t *g = dsm_gen_pin(h);
    h->ticks = calloc(g->nslots ? g->nslots : 1, sizeof(dsm_tick_run_t));
    if (!h->ticks) {
        dsm_gen_unpin(h, g);
        return -1;
    }
    for (size_t i = 0; i < g->nslots; i++) {
        const dsm_plugin_t *d = g->slots[i]->desc;
        if (!d->tick)
            continue;
        dsm_tick_run_t *run = &h->ticks[h->nticks];
        snprintf(run->plugin, sizeof(run->plugin), "%s", g->slots[i]->name);
        run->period_ms = d->tick_ms < 1000 ? 1000 : d->tick_ms;
        if (dsm_thread_setup(&run->thr, h, -100 - (int)h->nticks) ||
            pthread_create(&run->thr.tid, NULL, tick_main, run)) {
            dsm_gen_unpin(h, g);
            return -1;
        }
        h->nticks++;
        dsm_logf("info", "tick_started", "%s every %u ms", run->plugin, run->period_ms);
    }
    dsm_gen_unpin(h, g);
    return 0;
}
