/*
 * dsm_router.c — `{param}` path patterns, FastAPI-compatible outcomes:
 * a full match runs the handler; a path known under another method → 405; a known path with a
 * trailing slash → 307 to the slash-less URL; anything else → 404. Literal segments beat
 * parameters (`/sprints/active` wins over `/sprints/{sprint_id}`), whatever the table order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"

#define DSM_MAX_SEGS 16

typedef struct {
    dsm_route_ref_t ref;
    size_t nsegs;
    char *segs[DSM_MAX_SEGS]; /* literal text, or the parameter name */
    bool is_param[DSM_MAX_SEGS];
    unsigned score; /* literal positions, earlier ones weigh more */
    char *owner;
} dsm_rentry_t;

struct dsm_router_s {
    dsm_rentry_t *e;
    size_t n, cap;
};

static const char *const method_names[] = {NULL, "GET", "POST", "PUT", "DELETE", "PATCH"};

int dsm_method_parse(const char *s, dsm_method_e *out)
{
    for (int i = DSM_GET; i <= DSM_PATCH; i++) {
        if (s && !strcmp(s, method_names[i])) {
            *out = (dsm_method_e)i;
            return 0;
        }
    }
    return -1;
}

const char *dsm_method_name(dsm_method_e m)
{
    return (m >= DSM_GET && m <= DSM_PATCH) ? method_names[m] : "?";
}

dsm_router_t *dsm_router_new(void)
{
    return calloc(1, sizeof(dsm_router_t));
}

static void entry_free(dsm_rentry_t *e)
{
    for (size_t i = 0; i < e->nsegs; i++)
        free(e->segs[i]);
    free(e->owner);
}

static int parse_pattern(const char *pat, dsm_rentry_t *e, char *err, size_t errlen)
{
    if (!pat || pat[0] != '/') {
        snprintf(err, errlen, "route pattern '%s' must start with '/'", pat ? pat : "(null)");
        return -1;
    }
    const char *p = pat + 1;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0 || e->nsegs == DSM_MAX_SEGS) {
            snprintf(err, errlen, "route pattern '%s': empty segment or too many segments", pat);
            return -1;
        }
        size_t i = e->nsegs;
        if (p[0] == '{') {
            if (len < 3 || p[len - 1] != '}') {
                snprintf(err, errlen, "route pattern '%s': bad parameter segment", pat);
                return -1;
            }
            e->segs[i] = strndup(p + 1, len - 2);
            e->is_param[i] = true;
        } else {
            if (memchr(p, '{', len) || memchr(p, '}', len)) {
                snprintf(err, errlen, "route pattern '%s': braces inside a literal", pat);
                return -1;
            }
            e->segs[i] = strndup(p, len);
            e->score |= 1u << (DSM_MAX_SEGS - 1 - i);
        }
        e->nsegs++;
        p += len;
        if (*p == '/') {
            p++;
            if (!*p) {
                snprintf(err, errlen, "route pattern '%s' must not end with '/'", pat);
                return -1;
            }
        }
    }
    return 0;
}

static bool same_shape(const dsm_rentry_t *a, const dsm_rentry_t *b)
{
    if (a->nsegs != b->nsegs)
        return false;
    for (size_t i = 0; i < a->nsegs; i++) {
        if (a->is_param[i] != b->is_param[i])
            return false;
        if (!a->is_param[i] && strcmp(a->segs[i], b->segs[i]))
            return false;
    }
    return true;
}

int dsm_router_add(dsm_router_t *r, const dsm_route_t *route, size_t slot, const char *owner,
                   char *err, size_t errlen)
{
    dsm_rentry_t e = {.ref = {.route = route, .slot = slot}};
    if (!route->handler || route->method < DSM_GET || route->method > DSM_PATCH) {
        snprintf(err, errlen, "route '%s': no handler or bad method", route->pattern);
        return -1;
    }
    if (parse_pattern(route->pattern, &e, err, errlen))
        goto fail;
    for (size_t i = 0; i < r->n; i++) {
        if (r->e[i].ref.route->method == route->method && same_shape(&r->e[i], &e)) {
            snprintf(err, errlen, "route %s %s of '%s' collides with %s of '%s'",
                     dsm_method_name(route->method), route->pattern, owner,
                     r->e[i].ref.route->pattern, r->e[i].owner);
            goto fail;
        }
    }
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 32;
        dsm_rentry_t *ne = realloc(r->e, ncap * sizeof(*ne));
        if (!ne)
            goto fail;
        r->e = ne;
        r->cap = ncap;
    }
    e.owner = strdup(owner);
    r->e[r->n++] = e;
    return 0;
fail:
    entry_free(&e);
    return -1;
}

static bool entry_matches(const dsm_rentry_t *e, char *const *segs, size_t n)
{
    if (e->nsegs != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!e->is_param[i] && strcmp(e->segs[i], segs[i]))
            return false;
        if (e->is_param[i] && !segs[i][0])
            return false;
    }
    return true;
}

void dsm_router_match(const dsm_router_t *r, dsm_arena_t *a, dsm_method_e m, char *const *segs,
                      size_t nsegs, bool trailing_slash, dsm_match_t *out)
{
    const dsm_rentry_t *best = NULL;
    bool path_known = false;
    memset(out, 0, sizeof(*out));
    out->result = DSM_MATCH_404;
    for (size_t i = 0; r && i < r->n; i++) {
        const dsm_rentry_t *e = &r->e[i];
        if (!entry_matches(e, segs, nsegs))
            continue;
        path_known = true;
        if (e->ref.route->method == m && (!best || e->score > best->score))
            best = e;
    }
    if (trailing_slash) {
        out->result = path_known ? DSM_MATCH_307 : DSM_MATCH_404;
        return;
    }
    if (!best) {
        out->result = path_known ? DSM_MATCH_405 : DSM_MATCH_404;
        return;
    }
    out->result = DSM_MATCH_OK;
    out->ref = &best->ref;
    for (size_t i = 0; i < best->nsegs; i++) {
        if (!best->is_param[i])
            continue;
        out->names[out->nparams] = best->segs[i];
        out->values[out->nparams] = dsm_arena_strdup(a, segs[i]);
        out->nparams++;
    }
}

void dsm_router_free(dsm_router_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        entry_free(&r->e[i]);
    free(r->e);
    free(r);
}
