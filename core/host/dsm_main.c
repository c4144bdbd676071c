/*
 * dsm_main.c — dsm-host: read the configuration, load the plugins (generation 1), open the
 * listening socket, start the workers, then become the control thread until SIGTERM.
 *
 *   dsm-host --config FILE [--listen ADDR] [--threads N] [--plugin NAME=PATH]... [--check]
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsm_core.h"
#include "dsm_fcgi.h"

static void on_usr2(int sig)
{
    (void)sig; /* only interrupts accept()/read() of an idle worker */
}

static void usage(FILE *f)
{
    fprintf(f, "usage: dsm-host --config FILE [--listen ADDR] [--threads N] "
               "[--plugin NAME=PATH]... [--check]\n"
               "  ADDR: host:port | unix:/path.sock | systemd | stdin\n"
               "  --check  load and initialise every plugin, then exit 0 (ok) or 1\n");
}

static int parse_args(dsm_config_t *cfg, int argc, char **argv, bool *check, char *err,
                      size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--check")) {
            *check = true;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        }
        if (!v) {
            snprintf(err, errlen, "%s needs a value", a);
            return -1;
        }
        i++;
        int rc;
        if (!strcmp(a, "--config"))
            rc = dsm_config_load(cfg, v, err, errlen);
        else if (!strcmp(a, "--listen"))
            rc = dsm_config_set(cfg, "listen", v, err, errlen);
        else if (!strcmp(a, "--threads"))
            rc = dsm_config_set(cfg, "threads", v, err, errlen);
        else if (!strcmp(a, "--plugin"))
            rc = dsm_config_set(cfg, "plugin", v, err, errlen);
        else {
            snprintf(err, errlen, "unknown option %s", a);
            rc = -1;
        }
        if (rc)
            return -1;
    }
    return 0;
}

static void host_free(dsm_host_t *h)
{
    pthread_mutex_lock(&h->gen_mu);
    dsm_gen_t *g = h->current;
    h->current = NULL;
    pthread_mutex_unlock(&h->gen_mu);
    dsm_gen_destroy(g);
    dsm_gen_sweep(h);
    free(h->threads);
    free(h->consumers);
    free(h->ticks);
    dsm_config_free(&h->cfg);
}

int main(int argc, char **argv)
{
    static dsm_host_t host;
    dsm_host_t *h = &host;
    char err[1024] = "";
    bool check = false;
    int rc = 1;

    if (parse_args(&h->cfg, argc, argv, &check, err, sizeof(err)) ||
        dsm_config_finish(&h->cfg, err, sizeof(err))) {
        fprintf(stderr, "dsm-host: %s\n", err);
        usage(stderr);
        return 2;
    }
    dsm_log_init(h->cfg.instance);
    dsm_utc_iso(h->started_at, sizeof(h->started_at), true);
    h->api = dsm_api_table();
    pthread_mutex_init(&h->gen_mu, NULL);
    pthread_mutex_init(&h->reload_mu, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* 0.78, not 0.78000000000000003: 15 significant digits, as people (and Python) read them */
    json_c_set_serialization_double_format("%.15g", JSON_C_OPTION_GLOBAL);

    /* Signals: HUP/TERM/INT are taken by the control thread only; SIGUSR2 wakes idle workers
     * (no SA_RESTART, so accept()/read() return EINTR). */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct sigaction sa = {.sa_handler = on_usr2};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR2, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (dsm_load_initial(h, err, sizeof(err))) {
        dsm_log_line("error", "startup", NULL, err, NULL);
        goto out;
    }
    if (check) {
        dsm_logf("info", "check", "%zu plugin(s) loaded and initialised", h->cfg.nplugins);
        rc = 0;
        goto out;
    }
    h->listen_fd = dsm_listen_open(h->cfg.listen, err, sizeof(err));
    if (h->listen_fd < 0) {
        dsm_log_line("error", "startup", NULL, err, NULL);
        goto out;
    }
    bool own = h->cfg.listen && strcmp(h->cfg.listen, "systemd") && strcmp(h->cfg.listen, "stdin");
    if (dsm_fcgi_global_init() || dsm_workers_start(h) || dsm_consumers_start(h) ||
        dsm_ticks_start(h)) {
        dsm_log_line("error", "startup", NULL, "cannot start the worker threads", NULL);
        atomic_store(&h->stopping, true);
        _exit(1);
    }
    dsm_logf("info", "started", "listening on %s with %d threads, generation 1",
             h->cfg.listen ? h->cfg.listen : "(inherited socket)", h->nthreads);
    dsm_notify_ready();
    if (dsm_control_run(h, own)) {
        dsm_log_line("warn", "stopped", NULL, "forced exit", NULL);
        _exit(1); /* busy workers still run: do not unload code under them */
    }
    dsm_log_line("info", "stopped", NULL, "clean exit", NULL);
    rc = 0;
out:
    host_free(h);
    curl_global_cleanup();
    return rc;
}
