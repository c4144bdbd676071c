/*
 * dsm_util.c — clocks, ISO timestamps, UUIDs, the per-thread RNG and PostgreSQL array
 * literals.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "dsm_core.h"

int64_t dsm_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void dsm_utc_iso(char *buf, size_t len, bool zulu)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    long us = ts.tv_nsec / 1000;
    if (zulu)
        snprintf(buf + n, len - n, ".%06ldZ", us);
    else if (us != 0) /* Python isoformat omits a zero fraction */
        snprintf(buf + n, len - n, ".%06ld", us);
}

uint64_t dsm_rand64(dsm_thread_t *t)
{
    /* xorshift128+, seeded from getrandom() at thread setup */
    uint64_t s1 = t->rng[0];
    const uint64_t s0 = t->rng[1];
    t->rng[0] = s0;
    s1 ^= s1 << 23;
    t->rng[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return t->rng[1] + s0;
}

const char *dsm_uuid4(dsm_req_t *r)
{
    unsigned char b[16];
    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
        uint64_t x = dsm_rand64(r->thr), y = dsm_rand64(r->thr);
        memcpy(b, &x, 8);
        memcpy(b + 8, &y, 8);
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    char *s = dsm_arena_alloc(r->arena, 37);
    if (!s)
        return NULL;
    snprintf(s, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    return s;
}

const char *dsm_utcnow_iso(dsm_req_t *r)
{
    char buf[40];
    dsm_utc_iso(buf, sizeof(buf), false);
    return dsm_arena_strdup(r->arena, buf);
}

/* PostgreSQL timestamp text -> Python isoformat: "2025-09-18 14:00:04.95888+00" ->
 * "2025-09-18T14:00:04.958880+00:00" (the fraction padded to 6 digits, an hour-only offset
 * given minutes). */
const char *dsm_ts_iso(dsm_req_t *r, const char *pg)
{
    if (!pg)
        return NULL;
    size_t n = strlen(pg);
    char *s = dsm_arena_alloc(r->arena, n + 16);
    if (!s)
        return NULL;
    size_t w = 0, i = 0;
    for (; i < n && i < 19; i++)
        s[w++] = (i == 10 && pg[i] == ' ') ? 'T' : pg[i];
    if (i < n && pg[i] == '.') {
        s[w++] = pg[i++];
        size_t digits = 0;
        while (i < n && pg[i] >= '0' && pg[i] <= '9') {
            s[w++] = pg[i++];
            digits++;
        }
        while (digits++ < 6)
            s[w++] = '0';
    }
    size_t off = w;
    while (i < n)
        s[w++] = pg[i++];
    if (w - off == 3 && (s[off] == '+' || s[off] == '-')) { /* "+00" -> "+00:00" */
        s[w++] = ':';
        s[w++] = '0';
        s[w++] = '0';
    }
    s[w] = '\0';
    return s;
}

size_t dsm_pg_array_format(char *out, size_t cap, const char *const *items, size_t n)
{
    size_t len = 0;
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (len + 1 < cap)                                                                         \
            out[len] = (c);                                                                        \
        len++;                                                                                     \
    } while (0)
    PUT('{');
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            PUT(',');
        if (!items[i]) {
            PUT('N');
            PUT('U');
            PUT('L');
            PUT('L');
            continue;
        }
        PUT('"');
        for (const char *p = items[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                PUT('\\');
            PUT(*p);
        }
        PUT('"');
    }
    PUT('}');
#undef PUT
    if (cap)
        out[len < cap ? len : cap - 1] = '\0';
    return len;
}

const char *dsm_pg_array(dsm_req_t *r, const char *const *items, size_t n)
{
    size_t need = dsm_pg_array_format(NULL, 0, items, n) + 1;
    char *out = dsm_arena_alloc(r->arena, need);
    if (out)
        dsm_pg_array_format(out, need, items, n);
    return out;
}

size_t dsm_url_escape_format(char *out, size_t cap, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = 0, written = 0; /* needed, written */
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '~';
        char enc[3] = {(char)c, 0, 0};
        size_t k = 1;
        if (!keep) {
            enc[0] = '%';
            enc[1] = hex[c >> 4];
            enc[2] = hex[c & 15];
            k = 3;
        }
        if (len + k < cap && written == len) { /* never half an escape */
            memcpy(out + len, enc, k);
            written += k;
        }
        len += k;
    }
    if (cap)
        out[written] = '\0';
    return len;
}

const char *dsm_url_escape(dsm_req_t *r, const char *s)
{
    size_t need = dsm_url_escape_format(NULL, 0, s) + 1;
    char *out = dsm_arena_alloc(r->arena, need);
    if (out)
        dsm_url_escape_format(out, need, s);
    return out;
}
