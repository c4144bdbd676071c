/*
 * dsm_consumer.c — Redis Streams consumer threads for service plugins' consumer tables.
 *
 * One thread per (plugin, stream, group) declared by the initial generation. Each reads its
 * stream with XREADGROUP (consumer name = the instance name, group created with MKSTREAM when
 * absent), pins the current generation for every message and calls the handler of the slot
 * with the same plugin name, stream and group — so a hot-swapped plugin's new code handles the
 * next message. DSM_OK / DSM_ERR → XACK (DSM_ERR is logged); DSM_RETRY → left pending. Pending
 * messages idle for 30 s are claimed again (XPENDING + XCLAIM); after 5 deliveries a message
 * is acknowledged and logged as dropped.
 */
#include <hiredis/hiredis.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsm_core.h"

#define DSM_CONSUMER_MAX_DELIVERIES 5
#define DSM_CONSUMER_IDLE_MS "30000"

static redisReply *cmd(dsm_thread_t *t, int argc, const char **argv)
{
    redisContext *c = t->redis;
    if (!c || c->err) {
        if (c)
            redisFree(c);
        struct timeval tv = {1, 0};
        c = redisConnectWithTimeout(t->host->cfg.redis_host, t->host->cfg.redis_port, tv);
        if (!c || c->err) {
            if (c)
                redisFree(c);
            t->redis = NULL;
            return NULL;
        }
        struct timeval to = {3, 0};
        redisSetTimeout(c, to);
        t->redis = c;
    }
    return redisCommandArgv(c, argc, argv, NULL);
}

static const dsm_consumer_t *find_consumer(dsm_gen_t *g, const dsm_consumer_ref_t *ref,
                                           dsm_slot_t **slot)
{
    for (size_t i = 0; g && i < g->nslots; i++) {
        if (strcmp(g->slots[i]->name, ref->plugin))
            continue;
        for (const dsm_consumer_t *c = g->slots[i]->desc->consumers; c && c->stream; c++) {
            if (!strcmp(c->stream, ref->stream) && !strcmp(c->group, ref->group)) {
                *slot = g->slots[i];
                return c;
            }
        }
    }
    return NULL;
}

static void ack(dsm_thread_t *t, const dsm_consumer_ref_t *ref, const char *id)
{
    const char *argv[] = {"XACK", ref->stream, ref->group, id};
    redisReply *r = cmd(t, 4, argv);
    if (r)
        freeReplyObject(r);
}

/* entry: [id, [k1, v1, ...]] */
static void deliver(dsm_consumer_run_t *run, redisReply *entry, uint32_t deliveries)
{
    dsm_thread_t *t = &run->thr;
    const dsm_consumer_ref_t *ref = &run->ref;
    dsm_host_t *h = t->host;
    if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2 ||
        entry->element[0]->type != REDIS_REPLY_STRING)
        return;
    const char *id = entry->element[0]->str;
    redisReply *kv = entry->element[1];
    if (kv->type != REDIS_REPLY_ARRAY) { /* deleted from the stream meanwhile */
        ack(t, ref, id);
        return;
    }
    dsm_req_t r;
    char uri[256];
    snprintf(uri, sizeof(uri), "/_stream/%s", ref->stream);
    dsm_req_init(&r, t, "POST", uri, NULL);
    size_t n = kv->elements / 2;
    const char **keys = dsm_arena_alloc(r.arena, (n + 1) * sizeof(char *));
    const char **vals = dsm_arena_alloc(r.arena, (n + 1) * sizeof(char *));
    for (size_t i = 0; keys && vals && i < n; i++) {
        keys[i] = kv->element[2 * i]->str ? kv->element[2 * i]->str : "";
        vals[i] = kv->element[2 * i + 1]->str ? kv->element[2 * i + 1]->str : "";
    }
    dsm_msg_t msg = {.stream = ref->stream, .id = id, .nfields = n, .keys = keys,
                     .values = vals, .deliveries = deliveries};
    r.gen = dsm_gen_pin(h);
    dsm_slot_t *slot = NULL;
    const dsm_consumer_t *c = find_consumer(r.gen, ref, &slot);
    int rc = DSM_RETRY;
    if (c && keys && vals) {
        rc = c->handler(slot->state, &r, &msg);
        dsm_db_request_end(&r);
    }
    json_object *f = json_object_new_object();
    json_object_object_add(f, "stream", json_object_new_string(ref->stream));
    json_object_object_add(f, "id", json_object_new_string(id));
    json_object_object_add(f, "deliveries", json_object_new_int((int)deliveries));
    json_object_object_add(f, "us", json_object_new_int64((dsm_now_ns() - r.start_ns) / 1000));
    if (rc == DSM_RETRY && deliveries >= DSM_CONSUMER_MAX_DELIVERIES) {
        atomic_fetch_add(&run->dropped, 1);
        dsm_log_line("error", "message_dropped", r.id, "too many deliveries", f);
        ack(t, ref, id);
    } else if (rc == DSM_RETRY) {
        atomic_fetch_add(&run->retried, 1);
        dsm_log_line("warn", "message_retry", r.id, c ? "handler asked to retry"
                                                      : "no consumer in this generation", f);
    } else {
        atomic_fetch_add(rc == DSM_OK ? &run->handled : &run->failed, 1);
        dsm_log_line(rc == DSM_OK ? "info" : "error", "message", r.id,
                     rc == DSM_OK ? NULL : "handler failed; acknowledged", f);
        ack(t, ref, id);
    }
    dsm_gen_unpin(h, r.gen);
    dsm_arena_reset(t->arena);
}

static void ensure_group(dsm_thread_t *t, const dsm_consumer_ref_t *ref)
{
    const char *argv[] = {"XGROUP", "CREATE", ref->stream, ref->group, "0", "MKSTREAM"};
    redisReply *r = cmd(t, 6, argv);
    if (r)
        freeReplyObject(r); /* BUSYGROUP when it exists: fine */
}

static void reclaim(dsm_consumer_run_t *run)
{
    dsm_thread_t *t = &run->thr;
    const dsm_consumer_ref_t *ref = &run->ref;
    const char *instance = t->host->cfg.instance;
    const char *pargv[] = {"XPENDING", ref->stream, ref->group, "IDLE", DSM_CONSUMER_IDLE_MS,
                           "-", "+", "16"};
    redisReply *p = cmd(t, 8, pargv);
    if (!p || p->type != REDIS_REPLY_ARRAY) {
        if (p)
            freeReplyObject(p);
        return;
    }
    for (size_t i = 0; i < p->elements; i++) {
        redisReply *e = p->element[i];
        if (e->type != REDIS_REPLY_ARRAY || e->elements < 4)
            continue;
        const char *cargv[] = {"XCLAIM", ref->stream, ref->group, instance, DSM_CONSUMER_IDLE_MS,
                               e->element[0]->str};
        redisReply *c = cmd(t, 6, cargv);
        uint32_t count = (uint32_t)e->element[3]->integer + 1;
        if (c && c->type == REDIS_REPLY_ARRAY) {
            for (size_t j = 0; j < c->elements; j++)
                deliver(run, c->element[j], count);
        }
        if (c)
            freeReplyObject(c);
    }
    freeReplyObject(p);
}

static void *consumer_main(void *arg)
{
    dsm_consumer_run_t *run = arg;
    dsm_thread_t *t = &run->thr;
    dsm_host_t *h = t->host;
    const dsm_consumer_ref_t *ref = &run->ref;
    int64_t next_reclaim = 0;
    bool grouped = false;
    while (!atomic_load(&h->stopping)) {
        if (!grouped) {
            ensure_group(t, ref);
            grouped = t->redis != NULL;
            if (!grouped) {
                sleep(1);
                continue;
            }
        }
        if (dsm_now_ns() > next_reclaim) {
            reclaim(run);
            next_reclaim = dsm_now_ns() + 10000000000LL;
        }
        const char *argv[] = {"XREADGROUP", "GROUP", ref->group, h->cfg.instance, "COUNT", "16",
                              "BLOCK", "1000", "STREAMS", ref->stream, ">"};
        redisReply *r = cmd(t, 11, argv);
        if (!r) {
            grouped = false;
            sleep(1);
            continue;
        }
        if (r->type == REDIS_REPLY_ERROR && strstr(r->str, "NOGROUP"))
            grouped = false;
        if (r->type == REDIS_REPLY_ARRAY) {
            for (size_t i = 0; i < r->elements; i++) {
                redisReply *s = r->element[i];
                if (s->type != REDIS_REPLY_ARRAY || s->elements != 2)
                    continue;
                for (size_t j = 0; j < s->element[1]->elements; j++)
                    deliver(run, s->element[1]->element[j], 1);
            }
        }
        freeReplyObject(r);
    }
    dsm_thread_teardown(t);
    atomic_store(&t->done, true);
    return NULL;
}

int dsm_consumers_start(dsm_host_t *h)
{
    dsm_gen_t *g = dsm_gen_pin(h);
    size_t n = 0;
    for (size_t i = 0; i < g->nslots; i++) {
        for (const dsm_consumer_t *c = g->slots[i]->desc->consumers; c && c->stream; c++)
            n++;
    }
    h->consumers = calloc(n ? n : 1, sizeof(dsm_consumer_run_t));
    if (!h->consumers) {
        dsm_gen_unpin(h, g);
        return -1;
    }
    for (size_t i = 0; i < g->nslots; i++) {
        for (const dsm_consumer_t *c = g->slots[i]->desc->consumers; c && c->stream; c++) {
            dsm_consumer_run_t *run = &h->consumers[h->nconsumers];
            snprintf(run->ref.plugin, sizeof(run->ref.plugin), "%s", g->slots[i]->name);
            snprintf(run->ref.stream, sizeof(run->ref.stream), "%s", c->stream);
            snprintf(run->ref.group, sizeof(run->ref.group), "%s", c->group);
            if (dsm_thread_setup(&run->thr, h, -1 - (int)h->nconsumers) ||
                pthread_create(&run->thr.tid, NULL, consumer_main, run)) {
                dsm_gen_unpin(h, g);
                return -1;
            }
            h->nconsumers++;
            dsm_logf("info", "consumer_started", "%s: stream %s, group %s", run->ref.plugin,
                     run->ref.stream, run->ref.group);
        }
    }
    dsm_gen_unpin(h, g);
    return 0;
}
