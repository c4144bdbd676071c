/*
 * dsm_admin.c — the host's built-in endpoints.
 *   /admin/... (only with `admin = 1` and nginx's fastcgi_param DSM_ADMIN 1, i.e. the loopback
 *   admin server; on the public server they do not exist → 404):
 *     GET  /admin/status                   generations, plugins, last reload, load
 *     POST /admin/plugins/{name}/reload    hot swap one plugin (200, or 409 with the reason)
 *     POST /admin/intel/run                run every intelligence source on a given context
 *   GET /_dsm/pools-health (only where `health_pools` is set): nginx's public `/health`.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dsm_core.h"

static const char *kind_name(dsm_kind_e k)
{
    return k == DSM_KIND_SERVICE ? "service" : k == DSM_KIND_INTEL ? "intelligence" : "?";
}

static void admin_status(dsm_req_t *r)
{
    dsm_host_t *h = dsm_host_of(r);
    json_object *o = json_object_new_object(), *pl = json_object_new_array();
    int live = 0;
    pthread_mutex_lock(&h->gen_mu);
    for (dsm_gen_t *g = h->retired; g; g = g->next)
        live++;
    pthread_mutex_unlock(&h->gen_mu);
    for (size_t i = 0; i < r->gen->nslots; i++) {
        dsm_slot_t *s = r->gen->slots[i];
        json_object *p = json_object_new_object();
        json_object_object_add(p, "name", json_object_new_string(s->name));
        json_object_object_add(p, "version", json_object_new_string(s->desc->version));
        json_object_object_add(p, "kind", json_object_new_string(kind_name(s->desc->kind)));
        char abi[16];
        snprintf(abi, sizeof(abi), "%u.%u", s->desc->abi_major, s->desc->abi_minor);
        json_object_object_add(p, "abi", json_object_new_string(abi));
        json_object_object_add(p, "path", json_object_new_string(s->src_path));
        json_object_object_add(p, "serial", json_object_new_int64((int64_t)s->serial));
        json_object_object_add(p, "loaded_at", json_object_new_string(s->loaded_at));
        json_object_array_add(pl, p);
    }
    json_object *lr = json_object_new_object();
    pthread_mutex_lock(&h->reload_mu);
    json_object_object_add(lr, "at", json_object_new_string(h->last_reload.at));
    json_object_object_add(lr, "ok", json_object_new_boolean(h->last_reload.ok));
    json_object_object_add(lr, "message", json_object_new_string(h->last_reload.message));
    pthread_mutex_unlock(&h->reload_mu);
    json_object_object_add(o, "instance", json_object_new_string(h->cfg.instance));
    json_object_object_add(o, "pid", json_object_new_int((int)getpid()));
    json_object_object_add(o, "started_at", json_object_new_string(h->started_at));
    json_object_object_add(o, "abi", json_object_new_string(DSM__STR(DSM_ABI_MAJOR) "." DSM__STR(
                                          DSM_ABI_MINOR)));
    json_object_object_add(o, "generation", json_object_new_int64((int64_t)r->gen->number));
    json_object_object_add(o, "retired_generations_alive", json_object_new_int(live));
    json_object_object_add(o, "threads", json_object_new_int(h->nthreads));
    json_object_object_add(o, "in_flight", json_object_new_int(atomic_load(&h->in_flight)));
    json_object_object_add(o, "served", json_object_new_int64((int64_t)atomic_load(&h->served)));
    json_object_object_add(o, "plugins", pl);
    json_object *cons = json_object_new_array();
    for (size_t i = 0; i < h->nconsumers; i++) {
        dsm_consumer_run_t *c = &h->consumers[i];
        json_object *co = json_object_new_object();
        json_object_object_add(co, "plugin", json_object_new_string(c->ref.plugin));
        json_object_object_add(co, "stream", json_object_new_string(c->ref.stream));
        json_object_object_add(co, "group", json_object_new_string(c->ref.group));
        json_object_object_add(co, "handled", json_object_new_int64((int64_t)c->handled));
        json_object_object_add(co, "failed", json_object_new_int64((int64_t)c->failed));
        json_object_object_add(co, "retried", json_object_new_int64((int64_t)c->retried));
        json_object_object_add(co, "dropped", json_object_new_int64((int64_t)c->dropped));
        json_object_array_add(cons, co);
    }
    json_object_object_add(o, "consumers", cons);
    json_object_object_add(o, "breakers", dsm_breaker_status());
    json_object *ticks = json_object_new_array();
    for (size_t i = 0; i < h->nticks; i++) {
        json_object *to = json_object_new_object();
        json_object_object_add(to, "plugin", json_object_new_string(h->ticks[i].plugin));
        json_object_object_add(to, "every_ms", json_object_new_int((int)h->ticks[i].period_ms));
        json_object_object_add(to, "ok", json_object_new_int64((int64_t)h->ticks[i].ok));
        json_object_object_add(to, "failed", json_object_new_int64((int64_t)h->ticks[i].failed));
        json_object_array_add(ticks, to);
    }
    json_object_object_add(o, "ticks", ticks);
    json_object_object_add(o, "last_reload", lr);
    dsm_reply_json(r, 200, o);
}

static void admin_reload(dsm_req_t *r, const char *name)
{
    dsm_host_t *h = dsm_host_of(r);
    char msg[1024];
    int rc = dsm_reload(h, name, msg, sizeof(msg));
    if (rc == -2) {
        dsm_reply_error(r, 404, "%s", msg);
        return;
    }
    json_object *o = json_object_new_object();
    dsm_gen_t *g = dsm_gen_pin(h);
    json_object_object_add(o, "plugin", json_object_new_string(name));
    json_object_object_add(o, "status", json_object_new_string(rc == 0 ? "reloaded" : "refused"));
    json_object_object_add(o, "generation", json_object_new_int64((int64_t)g->number));
    json_object_object_add(o, "message", json_object_new_string(msg));
    dsm_gen_unpin(h, g);
    dsm_reply_json(r, rc == 0 ? 200 : 409, o);
}

static void admin_intel_run(dsm_req_t *r)
{
    const char *project = NULL;
    if (dsm_req_parse_body(r, DSM_RF_BODY_MODEL))
        return;
    dsm_v_str(r, "body", "project_id", DSM_V_REQUIRED | DSM_V_NONEMPTY, &project);
    if (dsm_problems_reply(r))
        return;
    json_object *perception = NULL, *baseline = NULL;
    json_object_object_get_ex(r->json, "perception", &perception);
    json_object_object_get_ex(r->json, "baseline", &baseline);
    dsm_decision_t dc = {
        .size = sizeof(dc),
        .project_id = project,
        .perception = perception,
        .baseline = baseline,
        .deadline_ns = dsm_now_ns() + 2000000000LL,
        .decision_id = dsm_uuid4(r),
    };
    json_object *o = json_object_new_object();
    json_object_object_add(o, "decision_id", json_object_new_string(dc.decision_id));
    json_object_object_add(o, "generation", json_object_new_int64((int64_t)r->gen->number));
    json_object_object_add(o, "sources", dsm_intel_run(r, &dc));
    dsm_reply_json(r, 200, o);
}

static void pools_health(dsm_req_t *r)
{
    dsm_host_t *h = dsm_host_of(r);
    json_object *pools = json_object_new_object();
    bool ok = true;
    char list[512];
    snprintf(list, sizeof(list), "%s", h->cfg.health_pools);
    char *save = NULL;
    for (char *svc = strtok_r(list, " \t,", &save); svc; svc = strtok_r(NULL, " \t,", &save)) {
        char *url = dsm_arena_printf(r->arena, "%s/%s/health",
                                     h->cfg.health_base ? h->cfg.health_base : "", svc);
        json_object *body = NULL;
        int st = dsm_http_call(r, "GET", url, NULL, 500, &body, NULL);
        json_object_put(body);
        json_object_object_add(pools, svc, json_object_new_string(st == 200 ? "ok" : "unavailable"));
        ok &= st == 200;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "status", json_object_new_string(ok ? "ok" : "degraded"));
    json_object_object_add(o, "nginx", json_object_new_string("ok"));
    json_object_object_add(o, "pools", pools);
    dsm_reply_json(r, ok ? 200 : 503, o);
}

int dsm_admin_dispatch(dsm_req_t *r)
{
    dsm_host_t *h = dsm_host_of(r);
    const char *p = r->path;
    if (!strcmp(p, "/_dsm/pools-health") && h->cfg.health_pools) {
        if (r->method != DSM_GET)
            return dsm_reply_error(r, 405, "Method Not Allowed"), 1;
        pools_health(r);
        return 1;
    }
    if (strncmp(p, "/admin/", 7) || !h->cfg.admin)
        return 0;
    const char *flag = dsm_req_env(r, "DSM_ADMIN");
    if (!flag || strcmp(flag, "1"))
        return 0;
    if (!strcmp(p, "/admin/status")) {
        if (r->method != DSM_GET)
            return dsm_reply_error(r, 405, "Method Not Allowed"), 1;
        admin_status(r);
        return 1;
    }
    if (!strcmp(p, "/admin/intel/run")) {
        if (r->method != DSM_POST)
            return dsm_reply_error(r, 405, "Method Not Allowed"), 1;
        admin_intel_run(r);
        return 1;
    }
    const char *pre = "/admin/plugins/", *suf = "/reload";
    size_t pl = strlen(pre), sl = strlen(suf), n = strlen(p);
    if (n > pl + sl && !strncmp(p, pre, pl) && !strcmp(p + n - sl, suf)) {
        char name[64];
        size_t nl = n - pl - sl;
        if (nl >= sizeof(name) || memchr(p + pl, '/', nl))
            return dsm_reply_error(r, 404, "Not Found"), 1;
        memcpy(name, p + pl, nl);
        name[nl] = '\0';
        if (r->method != DSM_POST)
            return dsm_reply_error(r, 405, "Method Not Allowed"), 1;
        admin_reload(r, name);
        return 1;
    }
    dsm_reply_error(r, 404, "Not Found");
    return 1;
}
