/*
 * dsm_consumer.c — Redis Streams consumer threads for service plugins' consumer tables.
 *
 * One thread per (plugin, stream, group) declared by the initial generation. Each reads its
 * stream with XREADGROUP (consumer name = the instance name, group created with MKSTREAM when
 * absent), pins the current generation for every message and calls the handler of the slot
 * with the same plugin name, stream and group — so a hot-swapped plugin's new code handles the
 * next message. DSM_OK / DSM_ERR → XACK (DSM_ERR is logged); DSM_RETRY → left pending. On
 * (re)connection a consumer first re-reads its own pending entries (a restart under the same
 * name); entries of any consumer idle for `consumer_idle_ms` (30 s) are taken over with
 * XAUTOCLAIM (a dead instance). After 20 deliveries a message is moved to the stream
 * "<stream>:dead" (with its original id and group) and acknowledged, never silently dropped.
 * A DSM_RETRY pauses the consumer for a second. Handlers must be idempotent: a message can
 * arrive twice.
 */
#include <hiredis/hiredis.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsm_core.h"

#define DSM_CONSUMER_MAX_DELIVERIES 20

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

static int dead_letter(dsm_thread_t *t, const dsm_consumer_ref_t *ref, const char *id, size_t n,
                       const char **keys, const char **vals)
{
    char stream[160];
    size_t argc = 7 + 2 * n;
    const char **argv = dsm_arena_alloc(t->arena, argc * sizeof(char *));
    if (!argv || !keys || !vals)
        return -1;
    snprintf(stream, sizeof(stream), "%s:dead", ref->stream);
    argv[0] = "XADD";
    argv[1] = stream;
    argv[2] = "*";
    argv[3] = "dsm_original_id";
    argv[4] = id;
    argv[5] = "dsm_group";
    argv[6] = ref->group;
    for (size_t i = 0; i < n; i++) {
        argv[7 + 2 * i] = keys[i];
        argv[8 + 2 * i] = vals[i];
    }
    redisReply *r = cmd(t, (int)argc, argv);
    int rc = r && r->type == REDIS_REPLY_STRING ? 0 : -1;
    if (r)
        freeReplyObject(r);
    return rc;
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
        /* Never lost: parked on <stream>:dead with its fields for an operator to replay. */
        atomic_fetch_add(&run->dropped, 1);
        if (dead_letter(t, ref, id, n, keys, vals) == 0) {
            dsm_log_line("error", "message_dead_lettered", r.id, "too many deliveries", f);
            ack(t, ref, id);
        } else {
            dsm_log_line("error", "dead_letter_failed", r.id, "left pending", f);
        }
    } else if (rc == DSM_RETRY) {
        atomic_fetch_add(&run->retried, 1);
        run->backoff = true; /* the consumer pauses before reading more */
        dsm_log_line("warn", "message_retry", r.id, c ? "handler asked to retry"
                                                      : "no consumer in this generation", f);
    } else {
        unsigned long long nth = atomic_fetch_add(rc == DSM_OK ? &run->handled : &run->failed, 1);
        if (rc != DSM_OK || h->cfg.log_sample <= 1 || (nth + 1) % (unsigned)h->cfg.log_sample == 0)
            dsm_log_line(rc == DSM_OK ? "info" : "error", "message", r.id,
                         rc == DSM_OK ? NULL : "handler failed; acknowledged", f);
        else
            json_object_put(f);
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

/* Delivery count of one pending entry (XPENDING stream group - + 1 consumer is not enough:
 * ask for exactly this id). */
static uint32_t delivery_count(dsm_thread_t *t, const dsm_consumer_ref_t *ref, const char *id)
{
    const char *argv[] = {"XPENDING", ref->stream, ref->group, id, id, "1"};
    redisReply *p = cmd(t, 6, argv);
    uint32_t n = 1;
    if (p && p->type == REDIS_REPLY_ARRAY && p->elements == 1 &&
        p->element[0]->type == REDIS_REPLY_ARRAY && p->element[0]->elements >= 4)
        n = (uint32_t)p->element[0]->element[3]->integer;
    if (p)
        freeReplyObject(p);
    return n;
}

/* Entries another consumer (a dead instance) left pending longer than consumer_idle_ms are
 * taken over with XAUTOCLAIM and handled here. */
static void reclaim(dsm_consumer_run_t *run)
{
    dsm_thread_t *t = &run->thr;
    const dsm_consumer_ref_t *ref = &run->ref;
    char idle[24], start[64] = "0-0";
    snprintf(idle, sizeof(idle), "%d", t->host->cfg.consumer_idle_ms);
    for (int rounds = 0; rounds < 64 && !atomic_load(&t->host->stopping); rounds++) {
        const char *argv[] = {"XAUTOCLAIM", ref->stream, ref->group, ref->consumer, idle,
                              start, "COUNT", "32"};
        redisReply *r = cmd(t, 8, argv);
        if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 2 ||
            r->element[0]->type != REDIS_REPLY_STRING) {
            if (r)
                freeReplyObject(r);
            return;
        }
        redisReply *entries = r->element[1];
        for (size_t j = 0; entries->type == REDIS_REPLY_ARRAY && j < entries->elements; j++) {
            redisReply *e = entries->element[j];
            const char *id = e->type == REDIS_REPLY_ARRAY && e->elements == 2 &&
                                     e->element[0]->type == REDIS_REPLY_STRING
                                 ? e->element[0]->str
                                 : NULL;
            if (id)
                deliver(run, e, delivery_count(t, ref, id));
        }
        snprintf(start, sizeof(start), "%s", r->element[0]->str);
        freeReplyObject(r);
        if (!strcmp(start, "0-0"))
            return; /* scanned the whole pending list */
    }
}

/* After a restart under the same consumer name: what this consumer had read but not
 * acknowledged is handed out again (XREADGROUP with id 0 reads the consumer's own PEL). */
static void recover_own(dsm_consumer_run_t *run)
{
    dsm_thread_t *t = &run->thr;
    const dsm_consumer_ref_t *ref = &run->ref;
    char last[64] = "0";
    for (int rounds = 0; rounds < 1024 && !atomic_load(&t->host->stopping); rounds++) {
        const char *argv[] = {"XREADGROUP", "GROUP", ref->group, ref->consumer, "COUNT",
                              "64", "STREAMS", ref->stream, last};
        redisReply *r = cmd(t, 9, argv);
        size_t got = 0;
        if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
            r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements == 2) {
            redisReply *list = r->element[0]->element[1];
            for (size_t j = 0; list->type == REDIS_REPLY_ARRAY && j < list->elements; j++) {
                redisReply *e = list->element[j];
                if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
                    e->element[0]->type != REDIS_REPLY_STRING)
                    continue;
                snprintf(last, sizeof(last), "%s", e->element[0]->str);
                deliver(run, e, delivery_count(t, ref, last));
                got++;
            }
        }
        if (r)
            freeReplyObject(r);
        if (!got)
            return;
    }
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
            recover_own(run);
        }
        if (dsm_now_ns() > next_reclaim) {
            reclaim(run);
            next_reclaim = dsm_now_ns() + (int64_t)h->cfg.consumer_idle_ms * 1000000LL / 3;
        }
        const char *argv[] = {"XREADGROUP", "GROUP", ref->group, ref->consumer, "COUNT", "16",
                              "BLOCK", "1000", "STREAMS", ref->stream, ">"};
        if (run->backoff) { /* a handler asked to retry (e.g. its database is down) */
            run->backoff = false;
            sleep(1);
        }
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
    size_t n = 0, per = (size_t)h->cfg.consumer_threads;
    for (size_t i = 0; i < g->nslots; i++) {
        for (const dsm_consumer_t *c = g->slots[i]->desc->consumers; c && c->stream; c++)
            n += per;
    }
    h->consumers = calloc(n ? n : 1, sizeof(dsm_consumer_run_t));
    if (!h->consumers) {
        dsm_gen_unpin(h, g);
        return -1;
    }
    for (size_t i = 0; i < g->nslots; i++) {
        for (const dsm_consumer_t *c = g->slots[i]->desc->consumers; c && c->stream; c++) {
            for (size_t k = 0; k < per; k++) {
                dsm_consumer_run_t *run = &h->consumers[h->nconsumers];
                snprintf(run->ref.plugin, sizeof(run->ref.plugin), "%s", g->slots[i]->name);
                snprintf(run->ref.stream, sizeof(run->ref.stream), "%s", c->stream);
                snprintf(run->ref.group, sizeof(run->ref.group), "%s", c->group);
                /* one consumer name per thread: "<instance>" or "<instance>.<k>" */
                if (k == 0)
                    snprintf(run->ref.consumer, sizeof(run->ref.consumer), "%s", h->cfg.instance);
                else
                    snprintf(run->ref.consumer, sizeof(run->ref.consumer), "%s.%zu",
                             h->cfg.instance, k);
                if (dsm_thread_setup(&run->thr, h, -1 - (int)h->nconsumers) ||
                    pthread_create(&run->thr.tid, NULL, consumer_main, run)) {
                    dsm_gen_unpin(h, g);
                    return -1;
                }
                h->nconsumers++;
            }
            dsm_logf("info", "consumer_started", "%s: stream %s, group %s, %zu thread(s)",
                     g->slots[i]->name, c->stream, c->group, per);
        }
    }
    dsm_gen_unpin(h, g);
    return 0;
}
