/*
 * test_hostile.c — hundreds of malformed or hostile requests against the Project service,
 * generated from tables. Every one must get a 4xx whose body is JSON with a "detail" member
 * (307 for a trailing slash) and never a 5xx; where the contract fixes the code it is checked
 * exactly (422 + FastAPI list for model bodies, 400 "Invalid JSON format" for the raw-JSON
 * endpoints P13/P19, 413 oversize, 404 unknown id/path, 405 wrong method). None may change
 * data: four listings are snapshotted before and after the run and must be byte-identical.
 */
#include "dsm_test.h"
#include "it_http.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define H_MIN_CASES 200
#define H_ANY 0L      /* any 4xx */
#define H_LIST 1u     /* detail must be a FastAPI 422 list */
#define H_NONE SIZE_MAX

static const char *const snap_paths[] = {"/projects", "/teams", "/calendar/holidays",
                                         "/projects/PHE001/calendar/pto"};
#define N_SNAP (sizeof snap_paths / sizeof snap_paths[0])

static char *snap_before[N_SNAP];
static size_t snap_len[N_SNAP];
static int snap_ok;
static char run_id[48];
static char member[64] = "E001";  /* an employee mapped to PHE001 */
static char *phe_status;          /* PHE001's current status as a JSON string literal */
static char *pto_path;            /* POST PTO for PHE001/member */
static unsigned h_total, h_failed, h_seq;

/* ---- running one case ------------------------------------------------------------------- */

static void h_check(const char *label, const it_resp_t *r, long want, unsigned flags,
                    const char *detail)
{
    const char *d = it_get_str(r, "detail");
    int ok = r->status >= 400 && r->status < 500 && (want == H_ANY || r->status == want) &&
             it_is_json_error(r) && ((flags & H_LIST) == 0 || it_is_detail_list(r)) &&
             (detail == NULL || (d != NULL && strcmp(d, detail) == 0));

    h_total++;
    if (!ok)
        h_failed++;
    char code[16];

    snprintf(code, sizeof code, want == H_ANY ? "4xx" : "%ld", want);
    IT_CHECK(ok, "hostile [%s]: want %s%s%s%s, got %s", label, code,
             (flags & H_LIST) ? " list" : "", detail != NULL ? " detail=" : "",
             detail != NULL ? detail : "", it_describe(r));
}

static void h_raw(const char *label, const char *method, const char *path, const void *body,
                  size_t len, const char *ctype, long want, unsigned flags, const char *detail)
{
    it_raw_t raw = {.method = method, .path = path, .body = body, .body_len = len,
                    .content_type = ctype};
    it_resp_t r = it_send(&raw);
    h_check(label, &r, want, flags, detail);
    it_free(&r);
}

static void h_json(const char *label, const char *method, const char *path, const char *body,
                   long want, unsigned flags, const char *detail)
{
    h_raw(label, method, path, body, body != NULL ? strlen(body) : 0, IT_JSON, want, flags, detail);
}

/* 422 + list for model bodies, 400 "Invalid JSON format" for raw bodies. */
static void h_body_error(const char *label, const char *path_method, const char *path,
                         const void *body, size_t len, const char *ctype, int model, int exact)
{
    if (!exact)
        h_raw(label, path_method, path, body, len, ctype, H_ANY, 0, NULL);
    else if (model)
        h_raw(label, path_method, path, body, len, ctype, 422, H_LIST, NULL);
    else
        h_raw(label, path_method, path, body, len, ctype, 400, 0, "Invalid JSON format");
}

static void h_redirect(const char *method, const char *path, const char *want_loc)
{
    it_resp_t r = it_req(method, path, NULL, NULL);
    size_t ll = r.location != NULL ? strlen(r.location) : 0, wl = strlen(want_loc);
    int ok = r.status == 307 && ll >= wl && strcmp(r.location + ll - wl, want_loc) == 0 &&
             (ll == wl || r.location[ll - wl - 1] != '/');

    h_total++;
    if (!ok)
        h_failed++;
    IT_CHECK(ok, "hostile [%s %s]: want 307 Location ...%s, got Location=%s %s", method, path,
             want_loc, r.location != NULL ? r.location : "-", it_describe(&r));
    it_free(&r);
}

static char *fresh_id(void)
{
    return it_fmt("%s-H%u", run_id, ++h_seq);
}

/* ---- JSON object bodies from key/value tables ------------------------------------------- */

/* {"k0":v0,...} with value i replaced by repl (when i != H_NONE) and key o omitted. */
static char *obj_build(const char *const *keys, const char *const *vals, size_t n, size_t i,
                       const char *repl, size_t o)
{
    size_t cap = 64;
    char *out, *p;

    for (size_t k = 0; k < n; k++)
        cap += strlen(keys[k]) + strlen(k == i ? repl : vals[k]) + 8;
    out = malloc(cap);
    if (out == NULL)
        abort();
    p = out;
    *p++ = '{';
    for (size_t k = 0; k < n; k++) {
        if (k == o)
            continue;
        p += sprintf(p, "%s\"%s\":%s", p == out + 1 ? "" : ",", keys[k], k == i ? repl : vals[k]);
    }
    *p++ = '}';
    *p = '\0';
    return out;
}

typedef struct {
    const char *name;
    const char *method;
    const char *path;      /* NULL: pto_path */
    int model;             /* 1: model body (422), 0: raw body (400/422 string) */
    size_t n;
    const char *keys[5];
    const char *vals[5];   /* "@fresh" = a new unique id each time; "@status" = PHE001's */
} ep_t;

static const ep_t ep_p3 = {"P3", "POST", "/projects", 1, 4,
                           {"id", "name", "description", "status"},
                           {"@fresh", "\"IT hostile\"", "\"d\"", "\"inactive\""}};
static const ep_t ep_p6 = {"P6", "PUT", "/projects/PHE001/status", 1, 1, {"status"},
                           {"@status"}};
static const ep_t ep_p10 = {"P10", "POST", NULL, 1, 3, {"start_date", "end_date", "reason"},
                            {"\"2031-03-03\"", "\"2031-03-04\"", "\"IT hostile\""}};
static const ep_t ep_p13 = {"P13", "POST", "/employees", 0, 5,
                            {"employee_id", "name", "gender", "state", "age"},
                            {"@fresh", "\"IT hostile\"", "\"F\"", "\"CA\"", "31"}};
static const ep_t ep_p19 = {"P19", "POST", "/projects/PHE001/team-members-assign", 0, 1,
                            {"employee_ids"}, {"@member"}};

/* A valid body of ep with field i replaced by repl and field o omitted; malloc'd. */
static char *ep_body(const ep_t *ep, size_t i, const char *repl, size_t o)
{
    const char *vals[5];
    char *fresh = NULL, *fq = NULL, *mem = NULL, *out;

    for (size_t k = 0; k < ep->n; k++) {
        vals[k] = ep->vals[k];
        if (strcmp(vals[k], "@fresh") == 0) {
            fresh = fresh_id();
            fq = it_jstr(fresh);
            vals[k] = fq;
        } else if (strcmp(vals[k], "@status") == 0) {
            vals[k] = phe_status;
        } else if (strcmp(vals[k], "@member") == 0) {
            mem = it_fmt("[\"%s\"]", member);
            vals[k] = mem;
        }
    }
    out = obj_build(ep->keys, vals, ep->n, i, repl, o);
    free(fresh);
    free(fq);
    free(mem);
    return out;
}

static const char *ep_path(const ep_t *ep)
{
    return ep->path != NULL ? ep->path : pto_path;
}

/* ---- snapshots -------------------------------------------------------------------------- */

static void test_snapshot_before(void)
{
    it_resp_t r;
    json_object *tm;

    snprintf(run_id, sizeof run_id, "ITH%ld-%ld", (long)getpid(), (long)time(NULL));
    r = it_req("GET", "/projects/PHE001/team-members", NULL, NULL);
    tm = it_get(&r, "team_members");
    if (tm != NULL && json_object_is_type(tm, json_type_array) &&
        json_object_array_length(tm) > 0) {
        json_object *id = NULL;
        if (json_object_object_get_ex(json_object_array_get_idx(tm, 0), "id", &id))
            snprintf(member, sizeof member, "%s", json_object_get_string(id));
    }
    IT_CHECK(r.status == 200, "PHE001 team members readable: %s", it_describe(&r));
    it_free(&r);
    pto_path = it_fmt("/projects/PHE001/calendar/pto?employee_id=%s", member);

    r = it_req("GET", "/projects/PHE001", NULL, NULL);
    IT_CHECK(r.status == 200 && it_get_str(&r, "status") != NULL, "PHE001 readable: %s",
             it_describe(&r));
    phe_status = it_jstr(it_get_str(&r, "status") != NULL ? it_get_str(&r, "status") : "inactive");
    it_free(&r);

    snap_ok = 1;
    for (size_t i = 0; i < N_SNAP; i++) {
        r = it_req("GET", snap_paths[i], NULL, NULL);
        IT_CHECK(r.status == 200, "snapshot %s: %s", snap_paths[i], it_describe(&r));
        snap_ok &= r.status == 200;
        snap_before[i] = r.body;
        snap_len[i] = r.body_len;
        r.body = NULL;
        it_free(&r);
    }
}

/* ---- model bodies: wrong types, missing fields, wrong shapes ---------------------------- */

static const char *const wrong_str[] = {"1",  "-7", "1.5", "true", "false", "null",
                                        "[]", "[\"a\"]", "{}", "{\"a\":\"b\"}"};
static const char *const wrong_date[] = {"1",  "1.5", "true", "false", "null", "[]",
                                         "[\"2031-03-03\"]", "{}", "{\"a\":\"b\"}", "20251224"};
#define N_WRONG (sizeof wrong_str / sizeof wrong_str[0])

static void test_model_wrong_types(void)
{
    const ep_t *eps[] = {&ep_p3, &ep_p6, &ep_p10};

    for (size_t e = 0; e < 3; e++) {
        const ep_t *ep = eps[e];
        for (size_t f = 0; f < ep->n; f++) {
            int is_date = strstr(ep->keys[f], "date") != NULL;
            int optional = strcmp(ep->keys[f], "reason") == 0;
            for (size_t w = 0; w < N_WRONG; w++) {
                const char *v = is_date ? wrong_date[w] : wrong_str[w];
                char *body, *label;
                if (optional && strcmp(v, "null") == 0)
                    continue; /* null is a valid optional value */
                body = ep_body(ep, f, v, H_NONE);
                label = it_fmt("%s %s=%s", ep->name, ep->keys[f], v);
                h_json(label, ep->method, ep_path(ep), body, 422, H_LIST, NULL);
                free(label);
                free(body);
            }
        }
    }
}

static void test_model_missing_and_shape(void)
{
    const ep_t *eps[] = {&ep_p3, &ep_p6, &ep_p10};
    static const char *const shapes[] = {"[]",   "[1]",  "\"str\"", "42",
                                         "null", "true", "[{\"status\":\"x\"}]"};
    char *body;

    for (size_t e = 0; e < 3; e++) {
        const ep_t *ep = eps[e];
        for (size_t f = 0; f < ep->n; f++) {
            char *label;
            if (strcmp(ep->keys[f], "reason") == 0)
                continue;
            body = ep_body(ep, H_NONE, NULL, f);
            label = it_fmt("%s missing %s", ep->name, ep->keys[f]);
            h_json(label, ep->method, ep_path(ep), body, 422, H_LIST, NULL);
            free(label);
            free(body);
        }
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            char *label = it_fmt("%s body %s", ep->name, shapes[s]);
            h_json(label, ep->method, ep_path(ep), shapes[s], 422, H_LIST, NULL);
            free(label);
        }
        h_raw("model empty body, JSON type", ep->method, ep_path(ep), NULL, 0, IT_JSON, 422,
              H_LIST, NULL);
        h_raw("model empty body, no type", ep->method, ep_path(ep), NULL, 0, NULL, 422, H_LIST,
              NULL);
        h_raw("model zero-length body", ep->method, ep_path(ep), "", 0, IT_JSON, 422, H_LIST,
              NULL);
    }
    body = ep_body(&ep_p10, H_NONE, NULL, H_NONE);
    h_json("P10 without employee_id", "POST", "/projects/PHE001/calendar/pto", body, 422, H_LIST,
           NULL);
    h_json("P10 employee_id empty", "POST", "/projects/PHE001/calendar/pto?employee_id=", body,
           404, 0, NULL);
    free(body);
}

/* ---- raw bodies (P13, P19) -------------------------------------------------------------- */

static void test_raw_wrong_types(void)
{
    static const char *const falsy[] = {"false", "null", "[]", "{}", "\"\""};
    static const char *const truthy_wrong[] = {"1", "-7", "1.5", "true", "[\"a\"]", "{\"a\":\"b\"}"};
    static const char *const wrong_opt_str[] = {"1", "1.5", "true", "[]", "[\"a\"]", "{}",
                                                "{\"a\":\"b\"}"};
    static const char *const wrong_age[] = {"\"abc\"", "\"\"", "1.5", "true", "false", "[]",
                                            "[\"1\"]", "{}", "1099511627776", "\"31; DROP\""};
    static const char *const shapes[] = {"[]", "\"s\"", "1", "null", "true",
                                         "[{\"employee_id\":\"x\",\"name\":\"y\"}]"};
    static const char *const not_list[] = {"1", "\"E001\"", "true", "null", "{}", "{\"a\":1}",
                                           "1.5"};
    static const char *const not_strings[] = {"[1]", "[true]", "[null]", "[[\"a\"]]", "[{}]",
                                              "[1.5]", "@member2"};
    const char *req = "Employee ID and name are required.";
    char *body, *label, *big;

    for (size_t f = 0; f < 2; f++) { /* employee_id, name */
        for (size_t w = 0; w < sizeof falsy / sizeof falsy[0]; w++) {
            body = ep_body(&ep_p13, f, falsy[w], H_NONE);
            label = it_fmt("P13 %s=%s", ep_p13.keys[f], falsy[w]);
            h_json(label, "POST", "/employees", body, 422, 0, req);
            free(label);
            free(body);
        }
        for (size_t w = 0; w < sizeof truthy_wrong / sizeof truthy_wrong[0]; w++) {
            body = ep_body(&ep_p13, f, truthy_wrong[w], H_NONE);
            label = it_fmt("P13 %s=%s", ep_p13.keys[f], truthy_wrong[w]);
            h_json(label, "POST", "/employees", body, H_ANY, 0, NULL);
            free(label);
            free(body);
        }
    }
    for (size_t f = 2; f < 4; f++) /* gender, state */
        for (size_t w = 0; w < sizeof wrong_opt_str / sizeof wrong_opt_str[0]; w++) {
            body = ep_body(&ep_p13, f, wrong_opt_str[w], H_NONE);
            label = it_fmt("P13 %s=%s", ep_p13.keys[f], wrong_opt_str[w]);
            h_json(label, "POST", "/employees", body, H_ANY, 0, NULL);
            free(label);
            free(body);
        }
    for (size_t w = 0; w < sizeof wrong_age / sizeof wrong_age[0]; w++) {
        body = ep_body(&ep_p13, 4, wrong_age[w], H_NONE);
        label = it_fmt("P13 age=%s", wrong_age[w]);
        h_json(label, "POST", "/employees", body, H_ANY, 0, NULL);
        free(label);
        free(body);
    }
    /* values longer than their columns (gender 10, state 50, id/name 255) */
    {
        static const size_t field[] = {2, 3, 0, 1};
        static const size_t size[] = {11, 51, 256, 300};
        for (size_t k = 0; k < 4; k++) {
            big = malloc(size[k] + 3);
            if (big == NULL)
                abort();
            big[0] = '"';
            memset(big + 1, 'X', size[k]);
            big[size[k] + 1] = '"';
            big[size[k] + 2] = '\0';
            body = ep_body(&ep_p13, field[k], big, H_NONE);
            label = it_fmt("P13 %s of %zu chars", ep_p13.keys[field[k]], size[k]);
            h_json(label, "POST", "/employees", body, H_ANY, 0, NULL);
            free(label);
            free(body);
            free(big);
        }
    }
    h_json("P13 {}", "POST", "/employees", "{}", 422, 0, req);
    body = it_fmt("{\"employee_id\":\"%s-nameless\"}", run_id);
    h_json("P13 no name", "POST", "/employees", body, 422, 0, req);
    free(body);
    h_json("P13 no id", "POST", "/employees", "{\"name\":\"IT nobody\"}", 422, 0, req);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        label = it_fmt("P13 body %s", shapes[s]);
        h_json(label, "POST", "/employees", shapes[s], H_ANY, 0, NULL);
        free(label);
    }

    for (size_t w = 0; w < sizeof not_list / sizeof not_list[0]; w++) {
        body = it_fmt("{\"employee_ids\":%s}", not_list[w]);
        label = it_fmt("P19 employee_ids=%s", not_list[w]);
        h_json(label, "POST", ep_p19.path, body, 422, 0, "'employee_ids' must be a list.");
        free(label);
        free(body);
    }
    for (size_t w = 0; w < sizeof not_strings / sizeof not_strings[0]; w++) {
        body = strcmp(not_strings[w], "@member2") == 0
                   ? it_fmt("{\"employee_ids\":[\"%s\",2]}", member)
                   : it_fmt("{\"employee_ids\":%s}", not_strings[w]);
        label = it_fmt("P19 %s", body);
        h_json(label, "POST", ep_p19.path, body, 422, 0, "All 'employee_ids' must be strings.");
        free(label);
        free(body);
    }
    h_json("P19 {}", "POST", ep_p19.path, "{}", H_ANY, 0, NULL);
    body = it_fmt("{\"employee_id\":[\"%s\"]}", member);
    h_json("P19 wrong key", "POST", ep_p19.path, body, H_ANY, 0, NULL);
    free(body);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        label = it_fmt("P19 body %s", shapes[s]);
        h_json(label, "POST", ep_p19.path, shapes[s], H_ANY, 0, NULL);
        free(label);
    }
    h_raw("P19 empty body", "POST", ep_p19.path, NULL, 0, IT_JSON, 400, 0, "Invalid JSON format");
    h_raw("P13 empty body", "POST", "/employees", NULL, 0, IT_JSON, 400, 0, "Invalid JSON format");
}

/* ---- malformed JSON --------------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len;
    int exact; /* 1: the contract's exact code (422 list / 400), 0: any 4xx */
    const char *name;
} mvar_t;

static char *mem_splice(const char *v, size_t vlen, size_t pos, size_t del, const void *ins,
                        size_t inslen, size_t *outlen)
{
    char *out = malloc(vlen - del + inslen + 1);

    if (out == NULL)
        abort();
    memcpy(out, v, pos);
    memcpy(out + pos, ins, inslen);
    memcpy(out + pos + inslen, v + pos + del, vlen - pos - del);
    *outlen = vlen - del + inslen;
    out[*outlen] = '\0';
    return out;
}

static char *deep(const char *open, const char *mid, const char *close, size_t levels,
                  size_t *outlen)
{
    size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
    char *out = malloc(levels * (lo + lc) + lm + 1), *p;

    if (out == NULL)
        abort();
    p = out;
    for (size_t i = 0; i < levels; i++, p += lo)
        memcpy(p, open, lo);
    memcpy(p, mid, lm);
    p += lm;
    for (size_t i = 0; i < levels; i++, p += lc)
        memcpy(p, close, lc);
    *p = '\0';
    *outlen = (size_t)(p - out);
    return out;
}

/* Variant i of valid body v; returns 0 past the last variant. */
static int mvariant(int i, const char *v, mvar_t *m)
{
    size_t len = strlen(v), last = len - 1;
    const char *q = strstr(v, ":\"") != NULL ? strstr(v, ":\"") : strstr(v, "[\"");
    size_t sp = q != NULL ? (size_t)(q - v) + 2 : 1; /* inside the first string value */
    size_t vs = q != NULL ? (size_t)(q - v) + 1 : 1; /* start of the first value literal */
    const char *qe = q != NULL ? strchr(v + sp, '"') : NULL;
    size_t vl = qe != NULL ? (size_t)(qe - v) + 1 - vs : 0;

    m->exact = 1;
    m->buf = NULL;
    switch (i) {
    case 0: m->name = "truncated"; m->buf = mem_splice(v, len, last, 1, "", 0, &m->len); break;
    case 1: m->name = "truncated-half"; m->buf = mem_splice(v, len, len / 2, len - len / 2, "", 0, &m->len); break;
    case 2: m->name = "lone-brace"; m->buf = mem_splice("{", 1, 0, 0, "", 0, &m->len); break;
    case 3: m->name = "trailing-garbage"; m->buf = mem_splice(v, len, len, 0, " xyz", 4, &m->len); break;
    case 4: m->name = "extra-brace"; m->buf = mem_splice(v, len, len, 0, "}", 1, &m->len); break;
    case 5: m->name = "two-objects"; m->buf = mem_splice(v, len, len, 0, v, len, &m->len); break;
    case 6: m->name = "trailing-comma"; m->buf = mem_splice(v, len, last, 0, ",", 1, &m->len); break;
    case 7:
        m->name = "single-quotes";
        m->buf = mem_splice(v, len, 0, 0, "", 0, &m->len);
        for (char *p = m->buf; *p != '\0'; p++)
            if (*p == '"')
                *p = '\'';
        break;
    case 8: m->name = "comment"; m->buf = mem_splice(v, len, 0, 0, "/*c*/", 5, &m->len); break;
    case 9: m->name = "raw-NUL-in-string"; m->buf = mem_splice(v, len, sp, 0, "\0", 1, &m->len); break;
    case 10: m->name = "NUL-after-object"; m->buf = mem_splice(v, len, len, 0, "\0", 1, &m->len); break;
    case 11: m->name = "raw-newline-in-string"; m->buf = mem_splice(v, len, sp, 0, "\n", 1, &m->len); break;
    case 12: m->name = "whitespace-only"; m->buf = mem_splice("   ", 3, 0, 0, "", 0, &m->len); break;
    case 13: m->name = "missing-colon"; m->buf = mem_splice("{\"status\" \"x\"}", 14, 0, 0, "", 0, &m->len); break;
    case 14: m->name = "mismatched-bracket"; m->buf = mem_splice(v, len, last, 1, "]", 1, &m->len); break;
    case 15: m->name = "hex-number"; m->buf = mem_splice(v, len, vs, vl, "0x1F", 4, &m->len); break;
    case 16: m->name = "empty-value"; m->buf = mem_splice("{\"\":}", 5, 0, 0, "", 0, &m->len); break;
    case 17: m->name = "NaN"; m->exact = 0; m->buf = mem_splice(v, len, vs, vl, "NaN", 3, &m->len); break;
    case 18: m->name = "-Infinity"; m->exact = 0; m->buf = mem_splice(v, len, vs, vl, "-Infinity", 9, &m->len); break;
    case 19: m->name = "deep-array-10000"; m->exact = 0; m->buf = deep("[", "", "]", 10000, &m->len); break;
    case 20: m->name = "deep-object-10000"; m->exact = 0; m->buf = deep("{\"a\":", "1", "}", 10000, &m->len); break;
    case 21: m->name = "invalid-UTF-8"; m->exact = 0; m->buf = mem_splice(v, len, sp, 0, "\xff\xfe", 2, &m->len); break;
    case 22: m->name = "overlong-UTF-8"; m->exact = 0; m->buf = mem_splice(v, len, sp, 0, "\xc0\xaf", 2, &m->len); break;
    case 23: m->name = "lone-surrogate"; m->exact = 0; m->buf = mem_splice(v, len, sp, 0, "\\ud800", 6, &m->len); break;
    case 24: m->name = "escaped-NUL"; m->exact = 0; m->buf = mem_splice(v, len, sp, 0, "\\u0000", 6, &m->len); break;
    case 25: m->name = "truncated-UTF-8"; m->exact = 0; m->buf = mem_splice(v, len, sp, 0, "\xe2\x82", 2, &m->len); break;
    default: return 0;
    }
    return 1;
}

static void test_malformed_json(void)
{
    const ep_t *eps[] = {&ep_p3, &ep_p6, &ep_p10, &ep_p13, &ep_p19};

    for (size_t e = 0; e < 5; e++) {
        const ep_t *ep = eps[e];
        mvar_t m;
        for (int i = 0;; i++) {
            char *v = ep_body(ep, H_NONE, NULL, H_NONE), *label;
            int more = mvariant(i, v, &m);
            free(v);
            if (!more)
                break;
            label = it_fmt("%s malformed %s", ep->name, m.name);
            h_body_error(label, ep->method, ep_path(ep), m.buf, m.len, IT_JSON, ep->model,
                         m.exact);
            free(label);
            free(m.buf);
        }
    }
}

/* ---- content types, oversize ------------------------------------------------------------ */

static void test_content_type(void)
{
    static const char *const cts[] = {"text/plain",
                                      "application/x-www-form-urlencoded",
                                      "multipart/form-data; boundary=xyz",
                                      "text/html",
                                      "application/xml",
                                      "application/octet-stream",
                                      "application/jsonx",
                                      "text/json"};
    const ep_t *eps[] = {&ep_p3, &ep_p6, &ep_p10};

    for (size_t e = 0; e < 3; e++)
        for (size_t c = 0; c < sizeof cts / sizeof cts[0]; c++) {
            char *body = ep_body(eps[e], H_NONE, NULL, H_NONE);
            char *label = it_fmt("%s Content-Type %s", eps[e]->name, cts[c]);
            h_raw(label, eps[e]->method, ep_path(eps[e]), body, strlen(body), cts[c], 422, H_LIST,
                  NULL);
            free(label);
            free(body);
        }
}

static void test_oversize(void)
{
    const size_t big = 2u << 20;
    char *body = malloc(big + 1);
    struct {
        const char *method, *path;
        size_t len;
    } cases[] = {{"POST", "/projects", big},
                 {"POST", "/projects", (1u << 20) + 1},
                 {"PUT", "/projects/PHE001/status", big},
                 {"POST", NULL, big},
                 {"POST", "/employees", big},
                 {"POST", "/projects/PHE001/team-members-assign", big},
                 {"POST", "/debug-employees", big},
                 {"GET", "/projects", big}};

    if (body == NULL)
        abort();
    memset(body, 'a', big);
    memcpy(body, "{\"id\":\"", 7);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *label = it_fmt("%s %s %zu bytes", cases[i].method,
                             cases[i].path != NULL ? cases[i].path : "PTO", cases[i].len);
        h_raw(label, cases[i].method, cases[i].path != NULL ? cases[i].path : pto_path, body,
              cases[i].len, IT_JSON, 413, 0, NULL);
        free(label);
    }
    {
        it_raw_t raw = {.method = "POST", .path = "/projects", .body = body, .body_len = big,
                        .content_type = IT_JSON, .chunked = 1};
        it_resp_t r = it_send(&raw);
        h_check("POST /projects 2 MiB chunked", &r, 413, 0, NULL);
        it_free(&r);
    }
    free(body);
}

/* ---- injection strings in path, query and body ------------------------------------------ */

static void injection_case(const char *s, int exact)
{
    char *e = it_urlenc(s), *j = it_jstr(s), *p, *b, *label;
    long nf = exact ? 404 : H_ANY, bad = exact ? 422 : H_ANY;
    const char *valid_pto = "{\"start_date\":\"2031-03-03\",\"end_date\":\"2031-03-04\"}";
    struct {
        const char *method, *fmt, *body;
        long want;
    } cases[] = {
        {"GET", "/projects/%s", NULL, nf},
        {"PUT", "/projects/%s/status", "{\"status\":\"x\"}", nf},
        {"GET", "/employees/%s", NULL, nf},
        {"GET", "/employees/%s/teams", NULL, nf},
        {"GET", "/teams/%s", NULL, nf},
        {"GET", "/teams/%s/members", NULL, nf},
        {"DELETE", "/projects/PHE001/calendar/pto/%s", NULL, nf},
        {"DELETE", "/projects/%s/calendar/pto/00000000-0000-4000-8000-000000000000", NULL, nf},
        {"POST", "/projects/PHE001/calendar/pto?employee_id=%s", valid_pto, nf},
        {"GET", "/projects/PHE001/availability/check?start_date=%s&end_date=2031-01-01", NULL,
         bad},
        {"GET", "/projects/PHE001/availability/check?start_date=2031-01-01&end_date=%s", NULL,
         bad},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        p = it_fmt(cases[i].fmt, e);
        label = it_fmt("inject %s %.60s", cases[i].method, p);
        h_json(label, cases[i].method, p, cases[i].body, cases[i].want,
               cases[i].want == 422 ? H_LIST : 0, NULL);
        free(label);
        free(p);
    }
    p = it_fmt("/projects/%s/team-members-assign", e);
    b = it_fmt("{\"employee_ids\":[%s]}", j);
    h_json("inject P19 unknown project", "POST", p, b, nf, 0, NULL);
    free(p);
    free(b);
    b = it_fmt("{\"id\":%s,\"name\":%s,\"description\":%s,\"status\":7}", j, j, j);
    h_json("inject P3 body", "POST", "/projects", b, bad, exact ? H_LIST : 0, NULL);
    free(b);
    b = it_fmt("{\"employee_id\":%s}", j);
    h_json("inject P13 body", "POST", "/employees", b, bad, 0,
           exact ? "Employee ID and name are required." : NULL);
    free(b);
    b = it_fmt("{\"start_date\":%s,\"end_date\":\"2031-03-04\",\"reason\":%s}", j, j);
    h_json("inject P10 body", "POST", pto_path, b, bad, exact ? H_LIST : 0, NULL);
    free(b);

    /* reads that answer 200 for unknown projects must stay empty (a '/' in the id makes more
     * path segments once decoded: no route, as in FastAPI) */
    if (exact && strchr(s, '/') == NULL) {
        it_resp_t r;
        p = it_fmt("/projects/%s/team-members", e);
        r = it_req("GET", p, NULL, NULL);
        IT_CHECK(r.status == 200 && it_get_str(&r, "project_id") != NULL &&
                     strcmp(it_get_str(&r, "project_id"), s) == 0 &&
                     it_get(&r, "team_members") != NULL &&
                     json_object_array_length(it_get(&r, "team_members")) == 0,
                 "inject P7 %s: want 200 empty, got %s", p, it_describe(&r));
        it_free(&r);
        free(p);
        p = it_fmt("/projects/%s/calendar/pto", e);
        r = it_req("GET", p, NULL, NULL);
        IT_CHECK(r.status == 200 && r.body_len == 2 && memcmp(r.body, "[]", 2) == 0,
                 "inject P9 %s: want 200 [], got %s", p, it_describe(&r));
        it_free(&r);
        free(p);
    }
    free(e);
    free(j);
}

static void test_injection(void)
{
    static const char *const exact[] = {
        "' OR 1=1 --", "\"; DROP TABLE projects; --", "1; SELECT pg_sleep(5)",
        "E001' --", "\xce\xa9mega-\xf0\x9f\x98\x80-\xe9\xa1\xb9\xe7\x9b\xae",
        "a\r\nX-Injected: 1", "<script>alert(1)</script>", "%n%n%s%s%x",
        "${jndi:ldap://x/a}", "PHE001\\", "PHE001 ", "*",
    };
    static const char *const any[] = {"../../etc/passwd", "..", "a\xff\xfe\x62"};
    char *long_id = malloc(10241), *mid_id = malloc(301);

    if (long_id == NULL || mid_id == NULL)
        abort();
    memset(long_id, 'A', 10240);
    long_id[10240] = '\0';
    memset(mid_id, 'x', 300);
    mid_id[300] = '\0';
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        injection_case(exact[i], 1);
    injection_case(mid_id, 1);
    for (size_t i = 0; i < sizeof any / sizeof any[0]; i++)
        injection_case(any[i], 0);
    injection_case(long_id, 0);
    free(long_id);
    free(mid_id);
}

/* Raw paths: nginx or the host may refuse them; either way a 4xx JSON error. */
static void test_raw_paths(void)
{
    static const char *const gets[] = {
        "/projects/../../etc/passwd", "/projects/..%2F..%2Fetc%2Fpasswd", "/projects/a%00b",
        "/projects/%00", "/employees/%00/teams", "/projects/%zz", "/projects/%",
        "/projects/%E2%82", "/projects/%C0%AF", "/projects/%FF", "/projects/\xff\xfe",
        "/teams/%2e%2e%2f%2e%2e%2f", "/projects//PHE001/x", "/teams/E001%2Fmembers/x",
        "/projects/PHE001/availability/check?start_date=%zz&end_date=%",
        "/projects/PHE001/availability/check?start_date=2031-01-01%00&end_date=2031-01-02",
        "/projects/PHE001/availability/check?start_date=2031-01-01&end_date=2031-01-02%0A",
        "/projects/PHE001/availability/check?start_date=%&end_date=%%",
        "/projects/PHE001/availability/check?start_date&end_date",
    };
    const char *valid_pto = "{\"start_date\":\"2031-03-03\",\"end_date\":\"2031-03-04\"}";
    char *p;

    for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++)
        h_json(gets[i], "GET", gets[i], NULL, H_ANY, 0, NULL);
    p = it_fmt("/projects/PHE001/calendar/pto?employee_id=%s%%00", member);
    h_json(p, "POST", p, valid_pto, H_ANY, 0, NULL);
    free(p);
    p = it_fmt("/projects/PHE001/calendar/pto?employee_id=%s%%0A", member);
    h_json(p, "POST", p, valid_pto, H_ANY, 0, NULL);
    free(p);
    p = it_fmt("/projects/PHE001/calendar/pto?employee_id=%%zz");
    h_json(p, "POST", p, valid_pto, H_ANY, 0, NULL);
    free(p);
    h_json("lower-case method", "get", "/projects", NULL, H_ANY, 0, NULL);
    {
        char method[129];
        memset(method, 'A', 128);
        method[128] = '\0';
        h_json("128-char method", method, "/projects", NULL, H_ANY, 0, NULL);
    }
}

/* ---- invalid dates ---------------------------------------------------------------------- */

static void test_dates(void)
{
    static const char *const bad[] = {"2025-02-30", "2025-13-01", "tomorrow", "20251224",
                                      "2025-1-5",   "",           "2025-12-24T10:00:00",
                                      "9999-99-99", "2025/12/24", "24.12.2025",
                                      "2025-12-24 junk", "-1", "2025-02-29", "2025-00-10",
                                      "2025-12-32"};
    char *p, *label, *q, *body;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        q = it_urlenc(bad[i]);
        for (int which = 0; which < 2; which++) {
            p = which == 0 ? it_fmt("/projects/PHE001/availability/check?start_date=%s"
                                    "&end_date=2031-01-01", q)
                           : it_fmt("/projects/PHE001/availability/check?start_date=2031-01-01"
                                    "&end_date=%s", q);
            label = it_fmt("P12 %s=%s", which == 0 ? "start_date" : "end_date", bad[i]);
            h_json(label, "GET", p, NULL, 422, H_LIST, NULL);
            free(label);
            free(p);

            body = which == 0 ? it_fmt("{\"start_date\":\"%s\",\"end_date\":\"2031-03-04\"}",
                                       bad[i])
                              : it_fmt("{\"start_date\":\"2031-03-03\",\"end_date\":\"%s\"}",
                                       bad[i]);
            label = it_fmt("P10 body %s", body);
            h_json(label, "POST", pto_path, body, 422, H_LIST, NULL);
            free(label);
            free(body);
        }
        free(q);
    }
    h_json("P12 no dates", "GET", "/projects/PHE001/availability/check", NULL, 422, H_LIST, NULL);
    h_json("P12 no end", "GET", "/projects/PHE001/availability/check?start_date=2031-01-01", NULL,
           422, H_LIST, NULL);
    h_json("P12 no start", "GET", "/projects/PHE001/availability/check?end_date=2031-01-01", NULL,
           422, H_LIST, NULL);
}

/* ---- unknown ids and paths, wrong methods, trailing slashes ----------------------------- */

static void test_unknown(void)
{
    char *id = it_fmt("%s-NOPE", run_id), *p, *d;
    static const char *const paths[] = {
        "/nope", "/projects/PHE001/nope", "/projects/PHE001/calendar", "/calendar",
        "/calendar/holidays/2025", "/api/projects", "/employees/E001/teams/x",
        "/teams/E001/members/x", "/index.html", "/.env", "/.git/config", "/wp-login.php",
        "/cgi-bin/test.cgi", "/project/nope", "/projects/PHE001/calendar/pto/x/y",
        "/favicon.ico", "/PROJECTS", "/projects.json", "/v1/projects",
    };

    p = it_fmt("/projects/%s", id);
    d = it_fmt("Project %s not found.", id);
    h_json("unknown project", "GET", p, NULL, 404, 0, d);
    free(p);
    p = it_fmt("/projects/%s/status", id);
    h_json("unknown project status", "PUT", p, "{\"status\":\"x\"}", 404, 0, d);
    free(p);
    free(d);
    p = it_fmt("/employees/%s", id);
    h_json("unknown employee", "GET", p, NULL, 404, 0, "Employee not found");
    free(p);
    p = it_fmt("/employees/%s/teams", id);
    d = it_fmt("Employee %s not assigned to any projects.", id);
    h_json("unknown employee teams", "GET", p, NULL, 404, 0, d);
    free(p);
    free(d);
    p = it_fmt("/teams/%s", id);
    h_json("unknown team", "GET", p, NULL, 404, 0, "Team not found");
    free(p);
    p = it_fmt("/teams/%s/members", id);
    h_json("unknown team members", "GET", p, NULL, 404, 0, "Team (employee) not found");
    free(p);
    p = it_fmt("/projects/PHE001/calendar/pto/%s", "00000000-0000-4000-8000-000000000000");
    h_json("unknown PTO", "DELETE", p, NULL, 404, 0,
           "PTO entry 00000000-0000-4000-8000-000000000000 not found for project PHE001");
    free(p);
    p = it_fmt("/projects/PHE001/calendar/pto?employee_id=%s", id);
    d = it_fmt("Employee %s not assigned to project PHE001", id);
    h_json("PTO for unknown employee", "POST", p,
           "{\"start_date\":\"2031-03-03\",\"end_date\":\"2031-03-04\"}", 404, 0, d);
    free(p);
    free(d);
    free(id);

    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        h_json(paths[i], "GET", paths[i], NULL, 404, 0, NULL);
    h_json("POST unknown path", "POST", "/nope", "{}", 404, 0, NULL);
}

static void test_wrong_methods(void)
{
    static const char *const cases[][2] = {
        {"DELETE", "/projects"},
        {"PUT", "/projects"},
        {"PATCH", "/projects"},
        {"PATCH", "/teams"},
        {"POST", "/teams"},
        {"DELETE", "/teams"},
        {"POST", "/projects/PHE001"},
        {"PATCH", "/projects/PHE001"},
        {"DELETE", "/projects/PHE001"},
        {"GET", "/projects/PHE001/status"},
        {"POST", "/projects/PHE001/status"},
        {"GET", "/projects/PHE001/team-members-assign"},
        {"POST", "/projects/PHE001/team-members"},
        {"DELETE", "/calendar/holidays"},
        {"POST", "/calendar/holidays"},
        {"PUT", "/projects/PHE001/calendar/pto"},
        {"DELETE", "/projects/PHE001/calendar/pto"},
        {"GET", "/projects/PHE001/calendar/pto/x"},
        {"POST", "/projects/PHE001/availability/check"},
        {"GET", "/employees"},
        {"DELETE", "/employees/E001"},
        {"PUT", "/teams/E001"},
        {"POST", "/teams/E001/members"},
        {"GET", "/debug-employees"},
        {"POST", "/employees/E001/teams"},
        {"BREW", "/projects"},
        {"OPTIONS", "/projects"},
        {"POST", "/project/health"},
        {"DELETE", "/project/health/ready"},
        {"TRACE", "/projects"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *label = it_fmt("%s %s", cases[i][0], cases[i][1]);
        h_raw(label, cases[i][0], cases[i][1], NULL, 0, NULL, 405, 0, NULL);
        free(label);
    }
}

static void test_trailing_slash(void)
{
    h_redirect("GET", "/projects/", "/projects");
    h_redirect("GET", "/teams/", "/teams");
    h_redirect("GET", "/calendar/holidays/", "/calendar/holidays");
    h_redirect("GET", "/projects/PHE001/", "/projects/PHE001");
    h_redirect("GET", "/employees/E001/", "/employees/E001");
    h_redirect("GET", "/teams/E001/members/", "/teams/E001/members");
    h_redirect("GET", "/projects/?limit=1", "/projects?limit=1");
    h_redirect("POST", "/projects/", "/projects");
    h_redirect("GET", "/projects/PHE001/calendar/pto/", "/projects/PHE001/calendar/pto");
}

/* ---- the verdict ------------------------------------------------------------------------ */

static void test_snapshot_after(void)
{
    printf("\n  hostile requests sent: %u (%u failed)\n", h_total, h_failed);
    IT_CHECK(h_total >= H_MIN_CASES, "only %u hostile requests (want >= %d)", h_total,
             H_MIN_CASES);
    IT_CHECK(snap_ok, "snapshots were taken");
    for (size_t i = 0; i < N_SNAP; i++) {
        it_resp_t r = it_req("GET", snap_paths[i], NULL, NULL);
        int same = snap_before[i] != NULL && r.status == 200 && r.body_len == snap_len[i] &&
                   memcmp(r.body, snap_before[i], r.body_len) == 0;
        IT_CHECK(same, "GET %s changed by the hostile run (%zu -> %zu bytes): now %s",
                 snap_paths[i], snap_len[i], r.body_len, it_describe(&r));
        it_free(&r);
        free(snap_before[i]);
        snap_before[i] = NULL;
    }
    free(phe_status);
    free(pto_path);
    phe_status = pto_path = NULL;
}

DSM_SUITE("integration/hostile", NULL, NULL,
          DSM_TEST(test_snapshot_before), DSM_TEST(test_model_wrong_types),
          DSM_TEST(test_model_missing_and_shape), DSM_TEST(test_raw_wrong_types),
          DSM_TEST(test_malformed_json), DSM_TEST(test_content_type), DSM_TEST(test_oversize),
          DSM_TEST(test_injection), DSM_TEST(test_raw_paths), DSM_TEST(test_dates),
          DSM_TEST(test_unknown), DSM_TEST(test_wrong_methods), DSM_TEST(test_trailing_slash),
          DSM_TEST(test_snapshot_after));
