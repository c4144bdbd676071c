/*
 * dsm_config.c — the instance's `key = value` file, command-line overrides and environment.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"

static char *cfg_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int cfg_replace(char **dst, const char *v)
{
    char *d = strdup(v);
    if (!d)
        return -1;
    free(*dst);
    *dst = d;
    return 0;
}

static int cfg_int(const char *v, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max)
        return -1;
    *out = n;
    return 0;
}

static int cfg_plugin(dsm_config_t *cfg, const char *v, char *err, size_t errlen)
{
    char name[128], path[4096];
    const char *sp = strpbrk(v, " \t=");
    if (!sp || (size_t)(sp - v) >= sizeof(name)) {
        snprintf(err, errlen, "plugin: expected 'NAME PATH', got '%s'", v);
        return -1;
    }
    memcpy(name, v, (size_t)(sp - v));
    name[sp - v] = '\0';
    while (*sp == ' ' || *sp == '\t' || *sp == '=')
        sp++;
    snprintf(path, sizeof(path), "%s", sp);
    for (const char *p = name; *p; p++) {
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_')) {
            snprintf(err, errlen, "plugin name '%s' must match [a-z0-9_]+", name);
            return -1;
        }
    }
    for (size_t i = 0; i < cfg->nplugins; i++) {
        if (!strcmp(cfg->plugins[i].name, name)) {
            snprintf(err, errlen, "plugin '%s' configured twice", name);
            return -1;
        }
    }
    if (!*path || !*name) {
        snprintf(err, errlen, "plugin: expected 'NAME PATH', got '%s'", v);
        return -1;
    }
    dsm_plugin_conf_t *np = realloc(cfg->plugins, (cfg->nplugins + 1) * sizeof(*np));
    if (!np)
        return -1;
    cfg->plugins = np;
    np[cfg->nplugins].name = strdup(name);
    np[cfg->nplugins].path = strdup(path);
    cfg->nplugins++;
    return 0;
}

int dsm_config_set(dsm_config_t *cfg, const char *key, const char *v, char *err, size_t errlen)
{
    long n;
    if (!strcmp(key, "plugin"))
        return cfg_plugin(cfg, v, err, errlen);
    if (!strcmp(key, "instance"))
        return cfg_replace(&cfg->instance, v);
    if (!strcmp(key, "listen"))
        return cfg_replace(&cfg->listen, v);
    if (!strcmp(key, "plugin_dir"))
        return cfg_replace(&cfg->plugin_dir, v);
    if (!strcmp(key, "health_base"))
        return cfg_replace(&cfg->health_base, v);
    if (!strcmp(key, "health_pools"))
        return cfg_replace(&cfg->health_pools, v);
    if (!strcmp(key, "consumer_threads")) {
        if (cfg_int(v, 1, 64, &n)) {
            snprintf(err, errlen, "consumer_threads: '%s' is not an integer in [1, 64]", v);
            return -1;
        }
        cfg->consumer_threads = (int)n;
        return 0;
    }
    if (!strcmp(key, "log_sample")) {
        if (cfg_int(v, 1, 1000000, &n)) {
            snprintf(err, errlen, "log_sample: '%s' is not an integer in [1, 1000000]", v);
            return -1;
        }
        cfg->log_sample = (int)n;
        return 0;
    }
    if (!strcmp(key, "consumer_idle_ms")) {
        if (cfg_int(v, 100, 3600000, &n)) {
            snprintf(err, errlen, "consumer_idle_ms: '%s' is not an integer in [100, 3600000]", v);
            return -1;
        }
        cfg->consumer_idle_ms = (int)n;
        return 0;
    }
    if (!strcmp(key, "threads") || !strcmp(key, "keepalive_conns") || !strcmp(key, "max_body")) {
        long max = !strcmp(key, "max_body") ? 1L << 30 : 1024;
        long min = !strcmp(key, "threads") ? 1 : 0;
        if (cfg_int(v, min, max, &n)) {
            snprintf(err, errlen, "%s: '%s' is not an integer in [%ld, %ld]", key, v, min, max);
            return -1;
        }
        if (!strcmp(key, "threads"))
            cfg->threads = (int)n;
        else if (!strcmp(key, "keepalive_conns"))
            cfg->keepalive_conns = (int)n;
        else
            cfg->max_body = (size_t)n;
        return 0;
    }
    if (!strcmp(key, "admin")) {
        cfg->admin = !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes");
        return 0;
    }
    if (!strcmp(key, "redis")) {
        const char *c = strrchr(v, ':');
        if (!c || cfg_int(c + 1, 1, 65535, &n)) {
            snprintf(err, errlen, "redis: expected host:port, got '%s'", v);
            return -1;
        }
        free(cfg->redis_host);
        cfg->redis_host = strndup(v, (size_t)(c - v));
        cfg->redis_port = (int)n;
        return 0;
    }
    if (!strncmp(key, "db.", 3) || !strncmp(key, "conf.", 5)) {
        for (size_t i = 0; i < cfg->nkv; i++) {
            if (!strcmp(cfg->kv[i].key, key))
                return cfg_replace(&cfg->kv[i].value, v);
        }
        dsm_kv_t *nk = realloc(cfg->kv, (cfg->nkv + 1) * sizeof(*nk));
        if (!nk)
            return -1;
        cfg->kv = nk;
        nk[cfg->nkv].key = strdup(key);
        nk[cfg->nkv].value = strdup(v);
        cfg->nkv++;
        return 0;
    }
    snprintf(err, errlen, "unknown configuration key '%s'", key);
    return -1;
}

int dsm_config_load(dsm_config_t *cfg, const char *file, char *err, size_t errlen)
{
    FILE *f = fopen(file, "r");
    char line[8192];
    int lineno = 0, rc = -1;
    if (!f) {
        snprintf(err, errlen, "%s: %s", file, strerror(errno));
        return -1;
    }
    cfg_replace(&cfg->file, file);
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash && (hash == line || isspace((unsigned char)hash[-1])))
            *hash = '\0';
        char *s = cfg_trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected 'key = value'", file, lineno);
            goto out;
        }
        *eq = '\0';
        char *key = cfg_trim(s), *val = cfg_trim(eq + 1);
        char sub[512];
        if (dsm_config_set(cfg, key, val, sub, sizeof(sub))) {
            snprintf(err, errlen, "%s:%d: %s", file, lineno, sub);
            goto out;
        }
    }
    rc = 0;
out:
    fclose(f);
    return rc;
}

int dsm_config_finish(dsm_config_t *cfg, char *err, size_t errlen)
{
    char sub[256];
    if (!cfg->instance)
        cfg_replace(&cfg->instance, "dsm-host");
    if (!cfg->threads)
        cfg->threads = 16;
    if (!cfg->max_body)
        cfg->max_body = 1048576;
    if (!cfg->consumer_threads)
        cfg->consumer_threads = 1;
    if (!cfg->log_sample)
        cfg->log_sample = 1;
    if (!cfg->consumer_idle_ms)
        cfg->consumer_idle_ms = 30000;
    if (!cfg->plugin_dir)
        cfg_replace(&cfg->plugin_dir, "var/run/plugins");
    const char *dburl = getenv("DATABASE_URL");
    if (dburl && *dburl && dsm_config_set(cfg, "db.main", dburl, sub, sizeof(sub)))
        return -1;
    const char *rh = getenv("REDIS_HOST"), *rp = getenv("REDIS_PORT");
    if (rh && *rh)
        cfg_replace(&cfg->redis_host, rh);
    if (rp && *rp)
        cfg->redis_port = atoi(rp);
    if (!cfg->redis_host)
        cfg_replace(&cfg->redis_host, "127.0.0.1");
    if (!cfg->redis_port)
        cfg->redis_port = 6379;
    if (cfg->keepalive_conns && cfg->threads <= cfg->keepalive_conns) {
        snprintf(err, errlen,
                 "threads (%d) must exceed keepalive_conns (%d): libfcgi pins a thread to each "
                 "kept-alive nginx connection, so fewer threads starve requests",
                 cfg->threads, cfg->keepalive_conns);
        return -1;
    }
    if (!cfg->nplugins) {
        snprintf(err, errlen, "no plugin configured (plugin = NAME PATH)");
        return -1;
    }
    return 0;
}

const char *dsm_config_get(const dsm_config_t *cfg, const char *key)
{
    for (size_t i = 0; i < cfg->nkv; i++) {
        if (!strcmp(cfg->kv[i].key, key))
            return cfg->kv[i].value;
    }
    return NULL;
}

void dsm_config_free(dsm_config_t *cfg)
{
    for (size_t i = 0; i < cfg->nplugins; i++) {
        free(cfg->plugins[i].name);
        free(cfg->plugins[i].path);
    }
    for (size_t i = 0; i < cfg->nkv; i++) {
        free(cfg->kv[i].key);
        free(cfg->kv[i].value);
    }
    free(cfg->plugins);
    free(cfg->kv);
    free(cfg->file);
    free(cfg->instance);
    free(cfg->listen);
    free(cfg->plugin_dir);
    free(cfg->redis_host);
    free(cfg->health_base);
    free(cfg->health_pools);
    memset(cfg, 0, sizeof(*cfg));
}
