/* prj_logic.c — pure text helpers of the Project service (see prj_logic.h). */
#include "prj_logic.h"

#include <string.h>

/* Length (2..4) of the well-formed multi-byte sequence at s, or 0 with *bad = the length of its
 * maximal ill-formed subpart (>= 1). ASCII is handled by the callers. */
static size_t utf8_seq(const unsigned char *s, size_t *bad)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;

    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c == 0xE0) {
        need = 2;
        lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
        need = 2;
    } else if (c == 0xED) {
        need = 2;
        hi = 0x9F;
    } else if (c == 0xF0) {
        need = 3;
        lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
        need = 3;
    } else if (c == 0xF4) {
        need = 3;
        hi = 0x8F;
    } else {
        *bad = 1;
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        if (s[i] < lo || s[i] > hi) { /* also stops at the terminating NUL */
            *bad = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

/* Decode one code point at s (not at the NUL); ill-formed input yields U+FFFD. */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
    size_t bad = 0, k;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    k = utf8_seq(s, &bad);
    if (k == 0) {
        *cp = 0xFFFD;
        return bad;
    }
    if (k == 2)
        *cp = ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    else if (k == 3)
        *cp = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    else
        *cp = ((unsigned)(s[0] & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) |
              ((unsigned)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return k;
}

size_t prj_utf8_chars(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    unsigned cp;

    while (*p != 0) {
        p += utf8_next(p, &cp);
        n++;
    }
    return n;
}

static int py_space(unsigned cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 ||
           cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

const char *prj_strip(const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s, *start = NULL, *end = p;
    unsigned cp;
    size_t k;

    while (*p != 0) {
        k = utf8_next(p, &cp);
        if (!py_space(cp)) {
            if (start == NULL)
                start = p;
            end = p + k;
        }
        p += k;
    }
    if (start == NULL) {
        *len = 0;
        return s + strlen(s);
    }
    *len = (size_t)(end - start);
    return (const char *)start;
}

const char *prj_pto_name(const char *name, const char *employee_id)
{
    return name != NULL && name[0] != '\0' ? name : employee_id;
}

/* snprintf-style writer: counts everything, stores what fits. */
typedef struct {
    char *out;
    size_t n;
    size_t len;
} prj_buf_t;

static void buf_put(prj_buf_t *b, const char *s, size_t k)
{
    for (size_t i = 0; i < k; i++, b->len++)
        if (b->len + 1 < b->n)
            b->out[b->len] = s[i];
}

static void buf_str(prj_buf_t *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

static size_t buf_end(prj_buf_t *b)
{
    if (b->n > 0)
        b->out[b->len < b->n ? b->len : b->n - 1] = '\0';
    return b->len;
}

static void buf_pydatetime(prj_buf_t *b, const char *ts)
{
    size_t k;

    if (ts == NULL) {
        buf_str(b, "None");
        return;
    }
    k = strlen(ts);
    if (k >= 7 && strcmp(ts + k - 7, ".000000") == 0)
        k -= 7;
    buf_put(b, ts, k);
}

size_t prj_pto_details(char *out, size_t n, const char *name, const char *start_us,
                       const char *end_us)
{
    prj_buf_t b = {out, n, 0};

    buf_str(&b, name != NULL ? name : "None");
    buf_str(&b, " on PTO from ");
    buf_pydatetime(&b, start_us);
    buf_str(&b, " to ");
    buf_pydatetime(&b, end_us);
    return buf_end(&b);
}

