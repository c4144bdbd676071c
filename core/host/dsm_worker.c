/*
 * dsm_worker.c — worker threads: accept a FastCGI request, pin the current generation, read the
 * body (413 past max_body), dispatch, write the reply, unpin, log, reset the arena.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "dsm_core.h"
#include "dsm_fcgi.h"

#define DSM_DRAIN_MAX (8u << 20)

int dsm_thread_setup(dsm_thread_t *t, dsm_host_t *h, int index)
{
    memset(t, 0, sizeof(*t));
    t->host = h;
    t->index = index;
    t->arena = dsm_arena_new();
    if (getrandom(t->rng, sizeof(t->rng), 0) != (ssize_t)sizeof(t->rng)) {
        t->rng[0] = (uint64_t)dsm_now_ns() ^ ((uint64_t)getpid() << 32);
        t->rng[1] = (uint64_t)index * 0x9e3779b97f4a7c15ULL + 1;
    }
    return t->arena ? 0 : -1;
}

void dsm_thread_teardown(dsm_thread_t *t)
{
    dsm_db_thread_close(t);
    dsm_redis_thread_close(t);
    dsm_http_thread_close(t);
    dsm_arena_free(t->arena);
    t->arena = NULL;
}

/* Reads the whole body into the arena — unless the request already has its answer (a URI
 * that did not decode) or the body is over max_body (413). Either way the rest of stdin is
 * then drained to its end-of-stream record (at most DSM_DRAIN_MAX bytes, else the connection
 * is closed after the reply), so that a kept-alive connection stays in step. */
static void read_body(dsm_req_t *r, dsm_fcgi_t *f)
{
    const char *cl = dsm_req_env(r, "CONTENT_LENGTH");
    size_t max = r->thr->host->cfg.max_body;
    char *end = NULL;
    unsigned long long want = cl && *cl ? strtoull(cl, &end, 10) : 0;
    if (cl && *cl && (!end || *end)) {
        if (!r->replied)
            dsm_reply_error(r, 400, "Invalid Content-Length");
        dsm_fcgi_no_keep(f);
        return;
    }
    if (r->replied || want > max) {
        if (!r->replied)
            dsm_reply_error(r, 413, "Request body too large (limit %zu bytes)", max);
    } else if (want) {
        char *buf = dsm_arena_alloc(r->arena, (size_t)want + 1);
        if (!buf) {
            dsm_reply_error(r, 500, "Out of memory");
        } else {
            r->body_len = dsm_fcgi_read(f, buf, (size_t)want);
            buf[r->body_len] = '\0';
            r->body = buf;
        }
    }
    if (dsm_fcgi_drain(f, DSM_DRAIN_MAX) != 0)
        dsm_fcgi_no_keep(f);
}

static void handle_one(dsm_thread_t *t, dsm_fcgi_t *f)
{
    dsm_host_t *h = t->host;
    dsm_req_t r;
    char **env = dsm_fcgi_env(f);
    dsm_req_t probe = {.env = env};
    const char *uri = dsm_req_env(&probe, "REQUEST_URI");
    dsm_req_init(&r, t, dsm_req_env(&probe, "REQUEST_METHOD"), uri, env);
    read_body(&r, f); /* always: the connection must stay in step */
    if (!r.replied) {
        r.gen = dsm_gen_pin(h);
        dsm_dispatch(&r);
    }
    size_t len = 0;
    const char *out = dsm_render(&r, &len);
    if (!out || dsm_fcgi_write(f, out, len))
        dsm_fcgi_no_keep(f);
    dsm_fcgi_finish(f);
    t->counter++;
    if (r.status >= 400 || h->cfg.log_sample <= 1 || t->counter % (uint64_t)h->cfg.log_sample == 0)
        dsm_log_request(&r);
    dsm_gen_unpin(h, r.gen);
    dsm_arena_reset(t->arena);
    atomic_fetch_add(&h->served, 1);
    if (r.status >= 200 && r.status < 600)
        atomic_fetch_add(&h->by_class[r.status / 100], 1);
}

static void *worker_main(void *arg)
{
    dsm_thread_t *t = arg;
    dsm_host_t *h = t->host;
    dsm_fcgi_t *f = dsm_fcgi_new(h->listen_fd);
    int errors = 0;
    if (!f) {
        dsm_logf("error", "worker", "thread %d: cannot initialise a FastCGI request", t->index);
        goto out;
    }
    while (!atomic_load(&h->stopping)) {
        int rc = dsm_fcgi_accept(f);
        if (rc < 0) {
            if (atomic_load(&h->stopping))
                break;
            if (rc != -EINTR && ++errors % 100 == 1)
                dsm_logf("warn", "accept", "thread %d: accept failed: %s", t->index,
                         strerror(-rc));
            if (rc != -EINTR)
                usleep(10000);
            continue;
        }
        atomic_store(&t->busy, 1);
        atomic_fetch_add(&h->in_flight, 1);
        handle_one(t, f);
        atomic_fetch_sub(&h->in_flight, 1);
        atomic_store(&t->busy, 0);
    }
out:
    dsm_fcgi_free(f); /* closes a kept-alive connection: nginx retries elsewhere */
    dsm_thread_teardown(t);
    atomic_store(&t->done, true);
    return NULL;
}

int dsm_workers_start(dsm_host_t *h)
{
    h->threads = calloc((size_t)h->cfg.threads, sizeof(dsm_thread_t));
    if (!h->threads)
        return -1;
    for (int i = 0; i < h->cfg.threads; i++) {
        if (dsm_thread_setup(&h->threads[i], h, i) ||
            pthread_create(&h->threads[i].tid, NULL, worker_main, &h->threads[i])) {
            dsm_logf("error", "startup", "cannot start worker thread %d", i);
            h->nthreads = i;
            return -1;
        }
        h->nthreads = i + 1;
    }
    return 0;
}
