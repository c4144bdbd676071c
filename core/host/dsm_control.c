/*
 * dsm_control.c — the control thread (the main thread after start-up). It owns SIGHUP,
 * SIGTERM and SIGINT (sigtimedwait; every other thread blocks them): SIGHUP reloads every plugin,
 * SIGTERM/SIGINT stop gracefully. Between signals it frees retired generations.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dsm_core.h"

#define DSM_STOP_NS 4500000000LL

static int stop_workers(dsm_host_t *h, bool own_socket)
{
    atomic_store(&h->stopping, true);
    if (own_socket)
        shutdown(h->listen_fd, SHUT_RDWR); /* accept() returns; the backlog is refused */
    int64_t deadline = dsm_now_ns() + DSM_STOP_NS;
    for (;;) {
        int alive = 0;
        for (int i = 0; i < h->nthreads; i++) {
            dsm_thread_t *t = &h->threads[i];
            if (atomic_load(&t->done))
                continue;
            alive++;
            if (!atomic_load(&t->busy)) /* idle: in accept or on a kept-alive connection */
                pthread_kill(t->tid, SIGUSR2);
        }
        for (size_t i = 0; i < h->nconsumers; i++)
            alive += !atomic_load(&h->consumers[i].thr.done); /* they poll every second */
        for (size_t i = 0; i < h->nticks; i++)
            alive += !atomic_load(&h->ticks[i].thr.done);
        if (!alive)
            return 0;
        if (dsm_now_ns() > deadline) {
            dsm_logf("warn", "shutdown", "%d worker(s) still busy after 4.5 s; exiting anyway",
                     alive);
            return -1;
        }
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
}

int dsm_control_run(dsm_host_t *h, bool own_socket)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    for (;;) {
        struct timespec ts = {0, 100000000};
        int sig = sigtimedwait(&set, NULL, &ts);
        if (sig == SIGHUP) {
            char msg[1024];
            int rc = dsm_reload(h, NULL, msg, sizeof(msg));
            dsm_logf(rc ? "error" : "info", "reload", "SIGHUP: %s", msg[0] ? msg : "no change");
        } else if (sig == SIGTERM || sig == SIGINT) {
            dsm_logf("info", "shutdown", "signal %d: stop accepting, finishing %d in-flight", sig,
                     atomic_load(&h->in_flight));
            break;
        }
        dsm_gen_sweep(h);
    }
    if (stop_workers(h, own_socket))
        return -1;
    for (int i = 0; i < h->nthreads; i++)
        pthread_join(h->threads[i].tid, NULL);
    for (size_t i = 0; i < h->nconsumers; i++)
        pthread_join(h->consumers[i].thr.tid, NULL);
    for (size_t i = 0; i < h->nticks; i++)
        pthread_join(h->ticks[i].thr.tid, NULL);
    dsm_gen_sweep(h);
    return 0;
}
