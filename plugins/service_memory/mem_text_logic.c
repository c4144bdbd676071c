/* mem_text_logic.c — the canonical episode-context text (rules in mem_text_logic.h). */
#include "mem_text_logic.h"

#include <json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *buf;
    size_t len, cap;
    int full; /* a part did not fit: nothing more is added */
    int oom;
} mem_tbuf_t;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

size_t mem_text_clean(const char *s, size_t len, char *out, size_t max)
{
    size_t n = 0, i = 0;
    int pending_space = 0;

    while (i < len && is_space((unsigned char)s[i]))
        i++;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t seq = 1;

        if (is_space(c)) {
            pending_space = 1;
            i++;
            continue;
        }
        if (c >= 0xF0)
            seq = 4;
        else if (c >= 0xE0)
            seq = 3;
        else if (c >= 0xC0)
            seq = 2;
        if (i + seq > len)
            seq = len - i;
        if (n + (size_t)pending_space + seq > max)
            break;
        if (pending_space)
            out[n++] = ' ';
        pending_space = 0;
        memcpy(out + n, s + i, seq);
        n += seq;
        i += seq;
    }
    out[n] = '\0';
    return n;
}

static void tbuf_add(mem_tbuf_t *b, const char *path, const char *value)
{
    size_t plen = strlen(path), vlen = strlen(value);
    size_t need = (b->len > 0 ? 3 : 0) + plen + (plen > 0 ? 2 : 0) + vlen;

    if (b->full || b->oom)
        return;
    if (b->len + need > MEM_TEXT_MAX) {
        b->full = 1;
        return;
    }
    if (b->len + need + 1 > b->cap) {
        size_t cap = b->cap * 2;
        char *nb;

        while (cap < b->len + need + 1)
            cap *= 2;
        nb = realloc(b->buf, cap);
        if (nb == NULL) {
            b->oom = 1;
            return;
        }
        b->buf = nb;
        b->cap = cap;
    }
    if (b->len > 0) {
        memcpy(b->buf + b->len, " | ", 3);
        b->len += 3;
    }
    if (plen > 0) {
        memcpy(b->buf + b->len, path, plen);
        memcpy(b->buf + b->len + plen, ": ", 2);
        b->len += plen + 2;
    }
    memcpy(b->buf + b->len, value, vlen);
    b->len += vlen;
    b->buf[b->len] = '\0';
}

static void scalar_text(struct json_object *v, char *out, size_t n)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        snprintf(out, n, "null");
        break;
    case json_type_boolean:
        snprintf(out, n, "%s", json_object_get_boolean(v) ? "true" : "false");
        break;
    case json_type_int:
        if (json_object_get_int64(v) == INT64_MAX && json_object_get_uint64(v) > INT64_MAX)
            snprintf(out, n, "%llu", (unsigned long long)json_object_get_uint64(v));
        else
            snprintf(out, n, "%lld", (long long)json_object_get_int64(v));
        break;
    case json_type_double: {
        double d = json_object_get_double(v);

        if (d == 0.0)
            snprintf(out, n, "0");
        else if (isfinite(d) && d == floor(d) && fabs(d) < 1e15)
            snprintf(out, n, "%.0f", d);
        else
            snprintf(out, n, "%.6g", d);
        break;
    }
    default: { /* string */
        const char *s = json_object_get_string(v);

        mem_text_clean(s, (size_t)json_object_get_string_len(v), out,
                       n - 1 < MEM_TEXT_VALUE_MAX ? n - 1 : MEM_TEXT_VALUE_MAX);
        break;
    }
    }
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void walk(mem_tbuf_t *b, struct json_object *v, char *path, size_t plen, int depth)
{
    char value[MEM_TEXT_VALUE_MAX + 1];
    json_type t = json_object_get_type(v);

    if (b->full || b->oom)
        return;
    if (t == json_type_object) {
        size_t n = (size_t)json_object_object_length(v), k = 0;
        const char **keys;

        if (n == 0 || depth >= 64) {
            if (plen > 0)
                tbuf_add(b, path, "{}");
            return;
        }
        keys = malloc(n * sizeof(*keys));
        if (keys == NULL) {
            b->oom = 1;
            return;
        }
        json_object_object_foreach(v, key, child)
        {
            (void)child;
            keys[k++] = key;
        }
        qsort(keys, k, sizeof(*keys), key_cmp);
        for (size_t i = 0; i < k && !b->full && !b->oom; i++) {
            char kc[MEM_TEXT_KEY_MAX + 1];
            size_t kl = mem_text_clean(keys[i], strlen(keys[i]), kc, MEM_TEXT_KEY_MAX);
            size_t np = plen;

            if (plen > 0 && np + 1 < MEM_TEXT_PATH_MAX)
                path[np++] = '.';
            if (np + kl >= MEM_TEXT_PATH_MAX)
                kl = MEM_TEXT_PATH_MAX - 1 - np;
            memcpy(path + np, kc, kl);
            path[np + kl] = '\0';
            walk(b, json_object_object_get(v, keys[i]), path, np + kl, depth + 1);
            path[plen] = '\0';
        }
        free(keys);
        return;
    }
    if (t == json_type_array) {
        size_t n = json_object_array_length(v);

        if (n == 0 || depth >= 64) {
            if (plen > 0)
                tbuf_add(b, path, "[]");
            return;
        }
        for (size_t i = 0; i < n && !b->full && !b->oom; i++)
            walk(b, json_object_array_get_idx(v, i), path, plen, depth + 1);
        return;
    }
    scalar_text(v, value, sizeof value);
    tbuf_add(b, path, value);
}

char *mem_text_context(struct json_object *ctx)
{
    mem_tbuf_t b = {.buf = malloc(1024), .cap = 1024};
    char path[MEM_TEXT_PATH_MAX];

    if (b.buf == NULL)
        return NULL;
    b.buf[0] = '\0';
    path[0] = '\0';
    walk(&b, ctx, path, 0, 0);
    if (b.oom) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}
