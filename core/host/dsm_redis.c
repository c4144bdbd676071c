/*
 * dsm_redis.c — Redis for plugins: one connection per worker thread, re-opened on failure.
 */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <string.h>

#include "dsm_core.h"

static redisContext *redis_get(dsm_req_t *r)
{
    dsm_thread_t *t = r->thr;
    redisContext *c = t->redis;
    if (c && !c->err)
        return c;
    if (c)
        redisFree(c);
    t->redis = NULL;
    struct timeval tv = {1, 0};
    c = redisConnectWithTimeout(t->host->cfg.redis_host, t->host->cfg.redis_port, tv);
    if (!c || c->err) {
        dsm_log_line("error", "redis_connect", r->id, c ? c->errstr : "out of memory", NULL);
        if (c)
            redisFree(c);
        return NULL;
    }
    struct timeval cmd = {2, 0};
    redisSetTimeout(c, cmd);
    t->redis = c;
    return c;
}

static redisReply *redis_cmd(dsm_req_t *r, int argc, const char **argv, const size_t *lens)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        redisContext *c = redis_get(r);
        if (!c)
            return NULL;
        redisReply *rep = redisCommandArgv(c, argc, argv, lens);
        if (rep)
            return rep;
        dsm_log_line("warn", "redis_error", r->id, c->errstr, NULL); /* c->err set: reconnect */
    }
    return NULL;
}

int dsm_redis_xadd(dsm_req_t *r, const char *stream, size_t n, const char *const *k,
                   const char *const *v, char *id_out, size_t id_len)
{
    size_t argc = 3 + 2 * n;
    const char **argv = dsm_arena_alloc(r->arena, argc * sizeof(*argv));
    size_t *lens = dsm_arena_alloc(r->arena, argc * sizeof(*lens));
    if (!argv || !lens || n > 512)
        return DSM_ERR;
    argv[0] = "XADD";
    argv[1] = stream;
    argv[2] = "*";
    for (size_t i = 0; i < n; i++) {
        argv[3 + 2 * i] = k[i];
        argv[4 + 2 * i] = v[i] ? v[i] : "";
    }
    for (size_t i = 0; i < argc; i++)
        lens[i] = strlen(argv[i]);
    redisReply *rep = redis_cmd(r, (int)argc, argv, lens);
    int rc = DSM_ERR;
    if (rep && rep->type == REDIS_REPLY_STRING) {
        if (id_out && id_len)
            snprintf(id_out, id_len, "%s", rep->str);
        rc = DSM_OK;
    } else if (rep && rep->type == REDIS_REPLY_ERROR) {
        dsm_log_line("error", "redis_xadd", r->id, rep->str, NULL);
    }
    if (rep)
        freeReplyObject(rep);
    return rc;
}

int dsm_redis_ping(dsm_req_t *r)
{
    const char *argv[] = {"PING"};
    size_t lens[] = {4};
    redisReply *rep = redis_cmd(r, 1, argv, lens);
    int ok = rep && rep->type == REDIS_REPLY_STATUS && !strcmp(rep->str, "PONG");
    if (rep)
        freeReplyObject(rep);
    return ok ? DSM_OK : DSM_ERR;
}

void dsm_redis_thread_close(dsm_thread_t *t)
{
    if (t->redis)
        redisFree(t->redis);
    t->redis = NULL;
}
