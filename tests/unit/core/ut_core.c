/* ut_core.c — see ut_core.h. */
#include "ut_core.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ut_env_open(ut_env_t *e)
{
    memset(e, 0, sizeof(*e));
    e->host.cfg.max_body = 1048576;
    pthread_mutex_init(&e->host.gen_mu, NULL);
    pthread_mutex_init(&e->host.reload_mu, NULL);
    return dsm_thread_setup(&e->thr, &e->host, 0);
}

int ut_env_open_pg(ut_env_t *e)
{
    const char *port = getenv("DSM_PG_PORT"), *user = getenv("DSM_DB_USER");
    const char *pw = getenv("DSM_DB_PASSWORD");
    char conn[512], err[256];

    if (!port || !user || !pw)
        return -1;
    if (ut_env_open(e) != 0)
        return -1;
    snprintf(conn, sizeof conn, "host=127.0.0.1 port=%s dbname=project_db user=%s password=%s",
             port, user, pw);
    return dsm_config_set(&e->host.cfg, "db.main", conn, err, sizeof err) == 0 ? 0 : -1;
}

void ut_env_close(ut_env_t *e)
{
    if (e->thr.arena)
        dsm_arena_reset(e->thr.arena);
    dsm_thread_teardown(&e->thr);
    pthread_mutex_destroy(&e->host.gen_mu);
    pthread_mutex_destroy(&e->host.reload_mu);
}

int ut_req(ut_env_t *e, dsm_req_t *r, const char *method, const char *uri, char **env)
{
    return dsm_req_init(r, &e->thr, method, uri, env);
}

void ut_req_body(dsm_req_t *r, const char *body)
{
    r->body = body;
    r->body_len = body ? strlen(body) : 0;
}

const char *ut_out(const dsm_req_t *r)
{
    return r->out ? r->out : "";
}

int ut_dir_count(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    if (!d)
        return -1;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    }
    closedir(d);
    return n;
}

int ut_install(const char *src, const char *dst)
{
    char tmp[4096], buf[65536];
    int in = -1, out = -1, rc = -1;
    ssize_t n;
    snprintf(tmp, sizeof(tmp), "%s.tmp", dst);
    in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        goto out;
    out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (out < 0)
        goto out;
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        if (write(out, buf, (size_t)n) != n)
            goto out;
    }
    if (n < 0)
        goto out;
    rc = 0;
out:
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out))
        rc = -1;
    if (rc == 0 && rename(tmp, dst))
        rc = -1;
    if (rc)
        unlink(tmp);
    return rc;
}

void ut_rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char p[4096];
    struct stat st;
    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            ut_rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

const char *ut_test_plugins(void)
{
    const char *d = getenv("DSM_TEST_PLUGINS");
    return d && *d ? d : "build/test-plugins";
}
