/*
 * dsm_api.c — the versioned function table handed to every plugin's init(). Each entry is a
 * thin adapter over the host module that implements it.
 */
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"

dsm_host_t *dsm_host_of(const dsm_req_t *r)
{
    return r->thr->host;
}

static dsm_method_e api_method(const dsm_req_t *r)
{
    return r->method;
}

static const char *api_path(const dsm_req_t *r)
{
    return r->path;
}

static const char *api_param(const dsm_req_t *r, const char *name)
{
    for (size_t i = 0; i < r->match.nparams; i++) {
        if (!strcmp(r->match.names[i], name))
            return r->match.values[i];
    }
    return NULL;
}

static const char *api_query(const dsm_req_t *r, const char *name)
{
    for (size_t i = 0; i < r->nquery; i++) {
        if (!strcmp(r->query[i].key, name))
            return r->query[i].value;
    }
    return NULL;
}

static const char *api_header(const dsm_req_t *r, const char *name)
{
    char key[128] = "HTTP_";
    size_t n = strlen(name);
    if (n > sizeof(key) - 6)
        return NULL;
    if (!strcasecmp(name, "content-type"))
        return dsm_req_env(r, "CONTENT_TYPE");
    if (!strcasecmp(name, "content-length"))
        return dsm_req_env(r, "CONTENT_LENGTH");
    for (size_t i = 0; i < n; i++)
        key[5 + i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
    key[5 + n] = '\0';
    return dsm_req_env(r, key);
}

static json_object *api_body(const dsm_req_t *r)
{
    return r->json;
}

static size_t api_body_len(const dsm_req_t *r)
{
    return r->body_len;
}

static const char *api_id(const dsm_req_t *r)
{
    return r->id;
}

static int64_t api_deadline(const dsm_req_t *r)
{
    return r->deadline_ns;
}

static void *api_palloc(dsm_req_t *r, size_t n)
{
    return dsm_arena_alloc(r->arena, n);
}

static char *api_pstrdup(dsm_req_t *r, const char *s)
{
    return dsm_arena_strdup(r->arena, s);
}

static char *api_psprintf(dsm_req_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = dsm_arena_vprintf(r->arena, fmt, ap);
    va_end(ap);
    return s;
}

static int api_reply_error(dsm_req_t *r, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return dsm_reply_error(r, status, "%s", msg);
}

static const char *api_sqlstate(const dsm_req_t *r)
{
    return r->sqlstate;
}

static const char *api_errmsg(const dsm_req_t *r)
{
    return r->errmsg;
}

static void api_log(dsm_req_t *r, const char *level, const char *event, const char *msg,
                    json_object *fields)
{
    dsm_log_line(level, event, r ? r->id : NULL, msg, fields);
}

static const char *api_conf_get(const dsm_conf_t *c, const char *key)
{
    char full[256];
    if (!c || !key)
        return NULL;
    snprintf(full, sizeof(full), "conf.%s.%s", c->plugin, key);
    return dsm_config_get(c->cfg, full);
}

static const char *api_conf_env(const char *name)
{
    return getenv(name);
}

/* conf.<plugin>.<key> as a number in [lo, hi]: 1 with *out set, 0 when unset or empty,
 * -1 when set to anything else (*text gets the value). */
static int conf_number(const dsm_conf_t *c, const char *key, double lo, double hi, double *out,
                       const char **text)
{
    const char *v = api_conf_get(c, key);
    char *end;
    *text = v;
    if (!v || !*v)
        return 0;
    errno = 0;
    double d = strtod(v, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (errno || end == v || *end || !(d >= lo && d <= hi))
        return -1;
    *out = d;
    return 1;
}

static double api_conf_num(const dsm_conf_t *c, const char *key, double dflt, double lo,
                           double hi)
{
    const char *v;
    double d;
    return conf_number(c, key, lo, hi, &d, &v) > 0 ? d : dflt;
}

static double api_conf_num_checked(const dsm_conf_t *c, const char *key, double dflt, double lo,
                                   double hi, int *bad)
{
    const char *v;
    char msg[256];
    double d;
    int rc = conf_number(c, key, lo, hi, &d, &v);
    if (rc >= 0)
        return rc > 0 ? d : dflt;
    snprintf(msg, sizeof(msg), "conf.%s.%s = '%.60s' is not a number in [%g, %g]",
             c && c->plugin ? c->plugin : "?", key, v, lo, hi);
    dsm_log_line("error", "plugin_config", NULL, msg, NULL);
    if (bad)
        *bad = 1;
    return dflt;
}

static int api_v_failed(dsm_req_t *r)
{
    return dsm_problems_reply(r);
}

static const dsm_api_t dsm_api = {
    .abi_major = DSM_ABI_MAJOR,
    .abi_minor = DSM_ABI_MINOR,
    .size = sizeof(dsm_api_t),
    .req_method = api_method,
    .req_path = api_path,
    .req_param = api_param,
    .req_query = api_query,
    .req_header = api_header,
    .req_body = api_body,
    .req_body_len = api_body_len,
    .req_id = api_id,
    .req_deadline_ns = api_deadline,
    .palloc = api_palloc,
    .pstrdup = api_pstrdup,
    .psprintf = api_psprintf,
    .reply_json = dsm_reply_json,
    .reply_error = api_reply_error,
    .reply_detail = dsm_reply_detail,
    .reply_invalid = dsm_reply_invalid,
    .db_exec = dsm_db_exec,
    .db_begin = dsm_db_begin,
    .db_commit = dsm_db_commit,
    .db_rollback = dsm_db_rollback,
    .db_sqlstate = api_sqlstate,
    .db_errmsg = api_errmsg,
    .reply_db_error = dsm_reply_db_error,
    .rows_count = dsm_rows_count,
    .rows_affected = dsm_rows_affected,
    .rows_value = dsm_rows_value,
    .rows_col = dsm_rows_col,
    .redis_xadd = dsm_redis_xadd,
    .redis_ping = dsm_redis_ping,
    .http_call = dsm_http_call,
    .log = api_log,
    .conf_get = api_conf_get,
    .conf_env = api_conf_env,
    .v_str = dsm_v_str,
    .v_int = dsm_v_int,
    .v_float = dsm_v_float,
    .v_bool = dsm_v_bool,
    .v_date = dsm_v_date,
    .v_failed = api_v_failed,
    .v_problem = dsm_problem_add,
    .uuid4 = dsm_uuid4,
    .utcnow_iso = dsm_utcnow_iso,
    .ts_iso = dsm_ts_iso,
    .date_valid = dsm_date_valid,
    .advise = dsm_advise,
    .advice_insight = dsm_advice_insight,
    .intel_run = dsm_intel_run,
    .intel_record = dsm_intel_record,
    .http_request = dsm_http_request,
    .http_parallel = dsm_http_parallel,
    .reply_live = dsm_reply_live,
    .reply_ready = dsm_reply_ready,
    .conf_num = api_conf_num,
    .intel_wanted = dsm_intel_wanted,
    .intel_budget_ms = dsm_intel_budget_ms,
    .pg_array = dsm_pg_array,
    .url_escape = dsm_url_escape,
    .now_ns = dsm_now_ns,
    .conf_num_checked = api_conf_num_checked,
};

const dsm_api_t *dsm_api_table(void)
{
    return &dsm_api;
}
