/*
 * dsm_health.c — api->reply_live and api->reply_ready: the liveness and readiness answers
 * every service gives, in the original's shape, with each dependency checked.
 */
#include <json-c/json.h>
#include <string.h>

#include "dsm_core.h"

#define DSM_READY_MAX 16

int dsm_reply_live(dsm_req_t *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "status", json_object_new_string("ok"));
    return dsm_reply_json(r, 200, o);
}

int dsm_reply_ready(dsm_req_t *r, const char *service, const dsm_ready_check_t *c, size_t n)
{
    bool ok[DSM_READY_MAX], all = true;
    dsm_http_opts_t opts[DSM_READY_MAX];
    dsm_http_result_t res[DSM_READY_MAX];
    size_t nurl = 0, url_of[DSM_READY_MAX];
    if (n > DSM_READY_MAX)
        n = DSM_READY_MAX;
    for (size_t i = 0; i < n; i++) {
        ok[i] = false;
        if (c[i].db) {
            ok[i] = dsm_db_exec(r, c[i].db, "SELECT 1", 0, NULL) != NULL;
            if (!ok[i])
                dsm_log_line("warn", "not_ready", r->id, r->errmsg, NULL);
        } else if (c[i].redis) {
            ok[i] = dsm_redis_ping(r) == DSM_OK;
        } else if (c[i].url) {
            memset(&opts[nurl], 0, sizeof(opts[nurl]));
            opts[nurl].size = sizeof(opts[nurl]);
            opts[nurl].url = c[i].url;
            opts[nurl].timeout_ms = 2000;
            url_of[nurl++] = i;
        }
    }
    if (nurl) {
        dsm_http_parallel(r, nurl, opts, res);
        for (size_t k = 0; k < nurl; k++) {
            ok[url_of[k]] = res[k].status == 200;
            json_object_put(res[k].body);
        }
    }
    for (size_t i = 0; i < n; i++)
        all &= ok[i] || c[i].informational;
    json_object *o = json_object_new_object(), *ext = NULL;
    json_object_object_add(o, "service", json_object_new_string(service ? service : ""));
    json_object_object_add(o, "status", json_object_new_string(all ? "ready" : "not_ready"));
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_new_string(ok[i] ? "ok" : "error");
        const char *name = c[i].name ? c[i].name : "check";
        if (c[i].url) {
            if (!ext)
                ext = json_object_new_object();
            json_object_object_add(ext, name, v);
        } else {
            json_object_object_add(o, name, v);
        }
    }
    if (ext)
        json_object_object_add(o, "external_apis", ext);
    json_object_object_add(o, "timestamp", json_object_new_string(dsm_utcnow_iso(r)));
    return dsm_reply_json(r, all ? 200 : 503, o);
}
