/*
 * dsm_request.c — the request object: URI split and percent-decoding, query, headers, body.
 */
#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

int dsm_percent_decode(char *s, bool plus_is_space)
{
    char *w = s;
    for (const char *p = s; *p; p++) {
        if (*p == '%') {
            int hi = hexval((unsigned char)p[1]), lo = hi < 0 ? -1 : hexval((unsigned char)p[2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            *w++ = (char)(hi * 16 + lo);
            p += 2;
        } else if (*p == '+' && plus_is_space) {
            *w++ = ' ';
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return 0;
}

bool dsm_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        unsigned c = *p++;
        int more;
        unsigned min;
        if (c < 0x80)
            continue;
        if ((c & 0xe0) == 0xc0) {
            more = 1;
            min = 0x80;
            c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            more = 2;
            min = 0x800;
            c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            more = 3;
            min = 0x10000;
            c &= 0x07;
        } else {
            return false;
        }
        if (e - p < more)
            return false;
        while (more--) {
            if ((*p & 0xc0) != 0x80)
                return false;
            c = (c << 6) | (*p++ & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
    }
    return true;
}

const char *dsm_req_env(const dsm_req_t *r, const char *name)
{
    size_t n = strlen(name);
    for (char **e = r->env; e && *e; e++) {
        if (!strncmp(*e, name, n) && (*e)[n] == '=')
            return *e + n + 1;
    }
    return NULL;
}

static int parse_query(dsm_req_t *r, const char *q)
{
    size_t cap = 1;
    for (const char *p = q; *p; p++)
        cap += *p == '&';
    r->query = dsm_arena_alloc(r->arena, cap * sizeof(dsm_pair_t));
    if (!r->query)
        return -1;
    char *copy = dsm_arena_strdup(r->arena, q), *save = NULL;
    for (char *tok = strtok_r(copy, "&", &save); tok; tok = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(tok, '=');
        char *v = eq ? eq + 1 : tok + strlen(tok);
        if (eq)
            *eq = '\0';
        if (dsm_percent_decode(tok, true) || dsm_percent_decode(v, true) ||
            !dsm_utf8_valid(tok, strlen(tok)) || !dsm_utf8_valid(v, strlen(v)))
            return -1;
        r->query[r->nquery].key = tok;
        r->query[r->nquery].value = v;
        r->nquery++;
    }
    return 0;
}

static void make_id(dsm_req_t *r)
{
    const char *given = dsm_req_env(r, "HTTP_X_REQUEST_ID");
    if (given) {
        size_t n = strlen(given);
        bool ok = n > 0 && n < sizeof(r->id);
        for (size_t i = 0; ok && i < n; i++)
            ok = isalnum((unsigned char)given[i]) || strchr("-_.:", given[i]);
        if (ok) {
            memcpy(r->id, given, n + 1);
            return;
        }
    }
    snprintf(r->id, sizeof(r->id), "%016llx", (unsigned long long)dsm_rand64(r->thr));
}

int dsm_req_init(dsm_req_t *r, dsm_thread_t *t, const char *method, const char *uri, char **env)
{
    memset(r, 0, sizeof(*r));
    r->thr = t;
    r->arena = t->arena;
    r->env = env;
    r->start_ns = dsm_now_ns();
    r->deadline_ns = r->start_ns + 30LL * 1000000000LL;
    /* copies: libfcgi frees its params at FCGX_Finish_r, before the request is logged */
    r->method_str = dsm_arena_strdup(r->arena, method ? method : "");
    r->uri = dsm_arena_strdup(r->arena, uri ? uri : "/");
    if (!r->method_str || !r->uri) {
        r->method_str = "";
        r->uri = "/";
    }
    make_id(r);
    if (dsm_method_parse(r->method_str, &r->method))
        r->method = 0; /* unknown method: the router answers 405 for a known path */
    const char *q = strchr(r->uri, '?');
    size_t plen = q ? (size_t)(q - r->uri) : strlen(r->uri);
    char *raw = dsm_arena_strndup(r->arena, r->uri, plen);
    if (!raw)
        return dsm_reply_error(r, 500, "Out of memory"), 500;
    if (raw[0] != '/') {
        r->path = "/";
        dsm_reply_error(r, 400, "Invalid request path");
        return 400;
    }
    r->path = dsm_arena_strdup(r->arena, raw);
    if (dsm_percent_decode(r->path, false) || !dsm_utf8_valid(r->path, strlen(r->path))) {
        r->path = raw;
        dsm_reply_error(r, 400, "Invalid percent-encoding or UTF-8 in the request path");
        return 400;
    }
    if (q && parse_query(r, q + 1)) {
        dsm_reply_error(r, 400, "Invalid percent-encoding or UTF-8 in the query string");
        return 400;
    }
    return 0;
}

static bool content_type_json(const char *ct)
{
    if (!ct || !*ct)
        return true;
    size_t n = strcspn(ct, ";");
    while (n && isspace((unsigned char)ct[n - 1]))
        n--;
    if (n == 16 && !strncasecmp(ct, "application/json", 16))
        return true;
    return n > 5 && !strncasecmp(ct + n - 5, "+json", 5) && memchr(ct, '/', n);
}

static void put_json(void *p)
{
    json_object_put(p);
}

static const char *tokener_reason(enum json_tokener_error e)
{
    switch (e) {
    case json_tokener_error_depth:
        return "Nesting too deep";
    case json_tokener_error_parse_eof:
        return "Expecting value";
    case json_tokener_error_parse_string:
    case json_tokener_error_parse_utf8_string:
        return "Invalid string";
    default:
        return "Expecting value";
    }
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval((unsigned char)p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* What json-c lets through even in strict mode, found by one lexical pass: a quote character
 * other than '"' outside strings, raw control characters inside strings, \u0000 (no C string or
 * PostgreSQL text can hold it) and unpaired UTF-16 surrogate escapes. Returns the offset of
 * the first problem, or -1. */
static long lexical_problem(const char *b, size_t n, const char **why)
{
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b[i];
        if (!in_str) {
            if (c == '"')
                in_str = true;
            else if (c == '\'') {
                *why = "Expecting property name enclosed in double quotes";
                return (long)i;
            }
            continue;
        }
        if (c == '"') {
            in_str = false;
        } else if (c < 0x20) {
            *why = "Invalid control character";
            return (long)i;
        } else if (c == '\\' && i + 1 < n) {
            if (b[i + 1] != 'u') {
                i++;
                continue;
            }
            int u = i + 6 <= n ? hex4(b + i + 2) : -1;
            if (u == 0) {
                *why = "NUL character in string";
                return (long)i;
            }
            if (u >= 0xdc00 && u <= 0xdfff) {
                *why = "Unpaired surrogate";
                return (long)i;
            }
            if (u >= 0xd800 && u <= 0xdbff) {
                int lo = i + 12 <= n && b[i + 6] == '\\' && b[i + 7] == 'u' ? hex4(b + i + 8) : -1;
                if (lo < 0xdc00 || lo > 0xdfff) {
                    *why = "Unpaired surrogate";
                    return (long)i;
                }
                i += 6;
            }
            i += 5;
        }
    }
    return -1;
}

static int reply_json_invalid(dsm_req_t *r, size_t pos, const char *why)
{
    json_object *d = json_object_new_array();
    json_object *p = json_object_new_object();
    json_object *loc = json_object_new_array();
    json_object *ctx = json_object_new_object();
    json_object_array_add(loc, json_object_new_string("body"));
    json_object_array_add(loc, json_object_new_int64((int64_t)pos));
    json_object_object_add(p, "type", json_object_new_string("json_invalid"));
    json_object_object_add(p, "loc", loc);
    json_object_object_add(p, "msg", json_object_new_string("JSON decode error"));
    json_object_object_add(p, "input", json_object_new_object());
    json_object_object_add(ctx, "error", json_object_new_string(why));
    json_object_object_add(p, "ctx", ctx);
    json_object_array_add(d, p);
    dsm_reply_detail(r, 422, d);
    return -1;
}

/* Parse the whole body as one JSON value. Returns 0 with *out set (NULL for JSON null), or -1
 * with *pos / *why describing the first problem. */
static int parse_json(const char *body, size_t len, json_object **out, size_t *pos,
                      const char **why)
{
    json_tokener *tok = json_tokener_new_ex(33); /* 32 nested containers + the innermost value */
    *out = NULL;
    *pos = 0;
    *why = "Expecting value";
    if (!tok)
        return -1;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    json_object *o = json_tokener_parse_ex(tok, body, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (e == json_tokener_continue) { /* a bare number/literal needs the end of input */
        o = json_tokener_parse_ex(tok, "", 1);
        e = json_tokener_get_error(tok);
        end = len;
    }
    json_tokener_free(tok);
    if (e != json_tokener_success) {
        *pos = end;
        *why = e == json_tokener_error_depth ? "Nesting too deep" : tokener_reason(e);
        /* Strict json-c stops at trailing data; when what precedes it is a complete value,
         * say so the way Python does ("Extra data" at the first extra character). */
        json_object *prefix = NULL;
        if (e == json_tokener_error_parse_unexpected && end > 0 && end < len &&
            parse_json(body, end, &prefix, pos, why) == 0) {
            json_object_put(prefix);
            while (end < len && isspace((unsigned char)body[end]))
                end++;
            *pos = end;
            *why = "Extra data";
        } else if (e == json_tokener_error_parse_unexpected) {
            *pos = end;
            *why = tokener_reason(e);
        }
        return -1;
    }
    size_t rest = end;
    while (rest < len && isspace((unsigned char)body[rest]))
        rest++;
    if (rest < len) {
        json_object_put(o);
        *pos = rest;
        *why = "Extra data";
        return -1;
    }
    long q = lexical_problem(body, len, why);
    if (q >= 0) {
        json_object_put(o);
        *pos = (size_t)q;
        return -1;
    }
    *out = o;
    return 0;
}

int dsm_req_parse_body(dsm_req_t *r, uint32_t flags)
{
    bool model = flags & DSM_RF_BODY_MODEL;
    bool optional = flags & DSM_RF_BODY_OPTIONAL;
    if (!(flags & (DSM_RF_BODY_MODEL | DSM_RF_BODY_RAW)))
        return 0;
    if (r->body_len == 0) {
        if (!model || optional)
            return 0;
        dsm_problem_add(r, "body", NULL, "missing", "Field required", NULL);
        dsm_problems_reply(r);
        return -1;
    }
    if (model && !content_type_json(dsm_req_env(r, "CONTENT_TYPE"))) {
        json_object *in = json_object_new_string_len(r->body, (int)r->body_len);
        dsm_problem_add(r, "body", NULL, "model_attributes_type",
                        "Input should be a valid dictionary or object to extract fields from", in);
        json_object_put(in);
        dsm_problems_reply(r);
        return -1;
    }
    if (!dsm_utf8_valid(r->body, r->body_len))
        return dsm_reply_error(r, 400, model ? "There was an error parsing the body"
                                             : "Invalid JSON format"),
               -1;
    json_object *o;
    size_t pos;
    const char *why;
    if (parse_json(r->body, r->body_len, &o, &pos, &why)) {
        if (!model)
            return dsm_reply_error(r, 400, "Invalid JSON format"), -1;
        return reply_json_invalid(r, pos, why);
    }
    dsm_arena_defer(r->arena, put_json, o);
    r->json = o;
    if (model && !o) { /* JSON null is "no body" */
        if (optional)
            return 0;
        dsm_problem_add(r, "body", NULL, "missing", "Field required", NULL);
        dsm_problems_reply(r);
        return -1;
    }
    if (model && !json_object_is_type(o, json_type_object)) {
        dsm_problem_add(r, "body", NULL, "model_attributes_type",
                        "Input should be a valid dictionary or object to extract fields from", o);
        dsm_problems_reply(r);
        return -1;
    }
    return 0;
}
