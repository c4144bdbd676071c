/* orc_util.c — service calls, dependency errors, JSON/SQL conversions, counters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orc_internal.h"

const char *const orc_modes[ORC_NMODES] = {"rule_based_only", "intelligence_enhanced", "hybrid",
                                           "learning_enhanced"};

static const char *const svc_titles[ORC_NSVC] = {"Project Service", "Backlog Service",
                                                 "Sprint Service", "Chronicle Service",
                                                 "Agent Memory Service"};
static const char *const svc_keys[ORC_NSVC] = {"project", "backlog", "sprint", "chronicle",
                                               "memory"};

double orc_ms_since(const orc_state_t *st, int64_t t0_ns)
{
    return (double)(st->api->now_ns() - t0_ns) / 1e6;
}

void orc_step_add(const orc_state_t *st, struct json_object *steps, const char *name, double ms,
                  int64_t *t)
{
    if (steps == NULL)
        return;
    if (t != NULL) {
        int64_t now = st->api->now_ns();

        ms = (double)(now - *t) / 1e6;
        *t = now;
    }
    json_object_object_add(steps, name, orc_jd(orc_round2(ms)));
}

const char *orc_svc_title(orc_svc_e s)
{
    return svc_titles[s];
}

const char *orc_svc_key(orc_svc_e s)
{
    return svc_keys[s];
}

int orc_mode_index(const char *mode)
{
    for (int i = 0; mode != NULL && i < ORC_NMODES; i++)
        if (strcmp(mode, orc_modes[i]) == 0)
            return i;
    return -1;
}

int orc_call(orc_state_t *st, dsm_req_t *req, orc_svc_e svc, const char *method,
             const char *path, const struct json_object *body, long timeout_ms,
             struct json_object **out, const char **err)
{
    dsm_http_opts_t o = {0};
    const char *e = NULL;
    int status;

    o.size = sizeof o;
    o.method = method;
    o.url = st->api->psprintf(req, "%s%s", st->url[svc], path);
    o.body = body;
    o.timeout_ms = timeout_ms > 0 ? timeout_ms : st->http_timeout_ms;
    o.retries = strcmp(method, "GET") == 0 ? 1 : 0;
    o.breaker = svc_keys[svc];
    if (out)
        *out = NULL;
    status = st->api->http_request(req, &o, out, &e);
    if (err)
        *err = e ? e : status < 0 ? "no answer" : NULL;
    return status;
}

int orc_reply_dependency(orc_state_t *st, dsm_req_t *req, orc_svc_e svc, int status,
                         const struct json_object *body, const char *err)
{
    const dsm_api_t *api = st->api;
    struct json_object *o;

    if (status < 0 || status >= 500) {
        o = json_object_new_object();
        json_object_object_add(
            o, "detail",
            json_object_new_string(api->psprintf(
                req, "%s unavailable: %s", svc_titles[svc],
                status < 0 ? (err ? err : "no answer")
                           : api->psprintf(req, "HTTP %d %s", status,
                                           body ? json_object_to_json_string_ext(
                                                      (struct json_object *)body, JSON_C_TO_STRING_PLAIN)
                                                : ""))));
        json_object_object_add(o, "dependency", json_object_new_string(svc_keys[svc]));
        json_object_object_add(o, "service_status", json_object_new_string("degraded"));
        json_object_object_add(o, "retry_after", json_object_new_string("30 seconds"));
        return api->reply_json(req, 503, o);
    }
    return api->reply_error(
        req, status, "%s error: %s", svc_titles[svc],
        body ? json_object_to_json_string_ext((struct json_object *)body, JSON_C_TO_STRING_PLAIN)
             : "");
}

int orc_db_fail(orc_state_t *st, dsm_req_t *req, int in_tx)
{
    if (in_tx)
        st->api->db_rollback(req, NULL);
    return st->api->reply_db_error(req);
}

struct json_object *orc_jstr_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

struct json_object *orc_jint_text(const char *s)
{
    return s ? json_object_new_int64(strtoll(s, NULL, 10)) : NULL;
}

struct json_object *orc_jd(double v)
{
    if (!isfinite(v))
        return NULL;
    v = orc_round_n(v, 4);
    if (v == trunc(v) && fabs(v) < 1e15)
        return json_object_new_int64((int64_t)v);
    return orc_jfloat(v);
}

struct json_object *orc_jfloat(double v)
{
    char buf[40];

    if (!isfinite(v))
        return NULL;
    snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, sizeof buf, "%.17g", v);
    if (strpbrk(buf, ".eEn") == NULL)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ".0");
    return json_object_new_double_s(v, buf);
}

struct json_object *orc_jnum_text(const char *s)
{
    return s ? orc_jd(strtod(s, NULL)) : NULL;
}

struct json_object *orc_jbool_text(const char *s)
{
    return s ? json_object_new_boolean(s[0] == 't') : NULL;
}

struct json_object *orc_jjson_text(const char *s)
{
    return s ? json_tokener_parse(s) : NULL;
}

const char *orc_json_text(dsm_req_t *req, const dsm_api_t *api, const struct json_object *o)
{
    if (o == NULL)
        return NULL;
    return api->pstrdup(req, json_object_to_json_string_ext((struct json_object *)o,
                                                            JSON_C_TO_STRING_PLAIN));
}

void orc_problem(struct json_object *list, const char *a, const char *b, const char *c,
                 const char *type, const char *msg, const struct json_object *input)
{
    struct json_object *p = json_object_new_object(), *loc = json_object_new_array();

    json_object_array_add(loc, json_object_new_string(a));
    if (b)
        json_object_array_add(loc, json_object_new_string(b));
    if (c)
        json_object_array_add(loc, json_object_new_string(c));
    json_object_object_add(p, "type", json_object_new_string(type));
    json_object_object_add(p, "loc", loc);
    json_object_object_add(p, "msg", json_object_new_string(msg));
    json_object_object_add(p, "input", input ? json_object_get((struct json_object *)input) : NULL);
    json_object_array_add(list, p);
}

int orc_list_has(const char *list, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = list; p != NULL && *p != '\0';) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e != '\0' && *e != ' ' && *e != ',')
            e++;
        if ((size_t)(e - p) == n && strncmp(p, name, n) == 0)
            return 1;
        p = e;
    }
    return 0;
}

double orc_conf_num(orc_state_t *st, const char *prefix, const char *name, double def)
{
    char key[160];
    const char *v;
    char *end;
    double d;

    snprintf(key, sizeof key, "%s.%s", prefix, name);
    v = st->api->conf_get(st->conf, key);
    if (v == NULL || *v == '\0')
        return def;
    d = strtod(v, &end);
    return end != v && isfinite(d) ? d : def;
}

static const char *const op_names[ORC_OP_COUNT] = {
    "enhanced_orchestration_v2", "perception", "rule_based_baseline", "intelligence_advise",
    "intelligence_confidence_gating", "ai_advisory_generation", "actions", "episode_storage",
    "episode_retrieval", "full_pattern_analysis", "strategy_analysis", "schedule_fire",
};

const char *orc_op_name(orc_op_e op)
{
    return op_names[op];
}

void orc_stat(orc_state_t *st, orc_op_e op, double ms, int ok)
{
    orc_opstat_t *s = &st->stats->op[op];

    pthread_mutex_lock(&st->stats->mu);
    if (s->calls == 0 || ms < s->min_ms)
        s->min_ms = ms;
    if (ms > s->max_ms)
        s->max_ms = ms;
    s->calls++;
    s->ok += ok != 0;
    s->sum_ms += ms;
    pthread_mutex_unlock(&st->stats->mu);
}

struct json_object *orc_stat_summary(orc_state_t *st, orc_op_e op)
{
    orc_opstat_t s;
    struct json_object *o = json_object_new_object();

    pthread_mutex_lock(&st->stats->mu);
    s = st->stats->op[op];
    pthread_mutex_unlock(&st->stats->mu);
    if (s.calls == 0) {
        json_object_object_add(o, "error", json_object_new_string("No metrics found"));
        return o;
    }
    json_object_object_add(o, "operation", json_object_new_string(op_names[op]));
    json_object_object_add(o, "total_calls", json_object_new_int64((int64_t)s.calls));
    json_object_object_add(o, "successful_calls", json_object_new_int64((int64_t)s.ok));
    json_object_object_add(o, "avg_duration_ms", orc_jd(orc_round2(s.sum_ms / (double)s.calls)));
    json_object_object_add(o, "max_duration_ms", orc_jd(orc_round2(s.max_ms)));
    json_object_object_add(o, "min_duration_ms", orc_jd(orc_round2(s.min_ms)));
    json_object_object_add(o, "success_rate",
                           orc_jd(orc_round2(100.0 * (double)s.ok / (double)s.calls)));
    return o;
}

int orc_project_check(orc_state_t *st, dsm_req_t *req, const char *pid)
{
    struct json_object *body = NULL;
    const char *err = NULL;
    int status = orc_call(st, req, ORC_PROJECT, "GET",
                          st->api->psprintf(req, "/projects/%s", orc_seg(st, req, pid)), NULL, 0,
                          &body, &err);

    if (status == 200) {
        json_object_put(body);
        return 1;
    }
    if (status == 404)
        st->api->reply_error(req, 404, "Project %s not found.", pid);
    else
        orc_reply_dependency(st, req, ORC_PROJECT, status, body, err);
    json_object_put(body);
    return 0;
}

int orc_publish(orc_state_t *st, dsm_req_t *req, const char *stream, const struct json_object *data)
{
    const char *keys[1] = {"data"};
    const char *vals[1] = {orc_json_text(req, st->api, data)};
    char id[64];

    return st->api->redis_xadd(req, stream, 1, keys, vals, id, sizeof id) == DSM_OK ? 0 : -1;
}

const char *orc_seg(orc_state_t *st, dsm_req_t *req, const char *s)
{
    const char *out = st->api->url_escape(req, s);

    return out != NULL ? out : "";
}
