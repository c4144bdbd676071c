/*
 * test_fcgi_framing.c — the FastCGI records of a kept-alive connection, spoken directly to a
 * pool instance (project-1, port DSM_POOL_PORT + 1, as core/tools/env.sh numbers them).
 *
 * nginx keeps its connections to the pools open. libfcgi drops its read buffer when a request
 * finishes, so the host must read each request's stdin to its end-of-stream record: when the
 * body was read to CONTENT_LENGTH and the empty FCGI_STDIN record had not fully arrived (a read
 * that ended inside its 8-byte header — seen under load with large bodies), the rest of that
 * header was taken for the next request's first record, and nginx got FCGI_UNKNOWN_TYPE (11)
 * instead of an answer ("upstream sent invalid FastCGI record type: 11", a 503 to the client).
 * Here the end-of-stream header is sent in two parts with a pause between them, then a second
 * request follows on the same connection and must get a complete, well-framed answer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "dsm_test.h"
#include "it_http.h"

enum { FT_BEGIN = 1, FT_END = 3, FT_PARAMS = 4, FT_STDIN = 5, FT_STDOUT = 6, FT_STDERR = 7 };

typedef struct {
    unsigned char *p;
    size_t len, cap;
} ft_buf_t;

static void ft_put(ft_buf_t *b, const void *d, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void ft_header(ft_buf_t *b, int type, size_t clen, int pad)
{
    unsigned char h[8] = {1, (unsigned char)type, 0, 1, (unsigned char)(clen >> 8),
                          (unsigned char)(clen & 255), (unsigned char)pad, 0};
    ft_put(b, h, 8);
}

static void ft_record(ft_buf_t *b, int type, const void *d, size_t n)
{
    static const unsigned char zero[8];
    int pad = (int)((8 - n % 8) % 8);

    ft_header(b, type, n, pad);
    ft_put(b, d, n);
    ft_put(b, zero, (size_t)pad);
}

static void ft_param(ft_buf_t *p, const char *k, const char *v)
{
    size_t kl = strlen(k), vl = strlen(v);
    unsigned char l[8];
    size_t n = 0;

    l[n++] = (unsigned char)kl; /* every name and value here is < 128 bytes */
    l[n++] = (unsigned char)vl;
    ft_put(p, l, n);
    ft_put(p, k, kl);
    ft_put(p, v, vl);
}

/* One request (keep-conn) up to, not including, the end-of-stream FCGI_STDIN record. */
static void ft_request(ft_buf_t *b, const char *method, const char *uri, const char *body)
{
    unsigned char begin[8] = {0, 1, 1 /* FCGI_KEEP_CONN */, 0, 0, 0, 0, 0};
    ft_buf_t pr = {0};
    char cl[32];
    size_t blen = body ? strlen(body) : 0;

    snprintf(cl, sizeof cl, "%zu", blen);
    ft_record(b, FT_BEGIN, begin, 8);
    ft_param(&pr, "REQUEST_METHOD", method);
    ft_param(&pr, "REQUEST_URI", uri);
    ft_param(&pr, "SCRIPT_NAME", "");
    ft_param(&pr, "QUERY_STRING", "");
    ft_param(&pr, "CONTENT_TYPE", "application/json");
    ft_param(&pr, "CONTENT_LENGTH", cl);
    ft_param(&pr, "REMOTE_ADDR", "127.0.0.1");
    ft_record(b, FT_PARAMS, pr.p, pr.len);
    ft_record(b, FT_PARAMS, NULL, 0);
    for (size_t off = 0; off < blen; off += 4096) /* several records, as nginx sends them */
        ft_record(b, FT_STDIN, body + off, blen - off < 4096 ? blen - off : 4096);
    free(pr.p);
}

static int ft_send(int fd, const void *d, size_t n)
{
    const char *p = d;

    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int ft_recv_all(int fd, void *d, size_t n)
{
    char *p = d;

    while (n > 0) {
        ssize_t r = recv(fd, p, n, 0);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Reads one answer: its stdout (malloc'd, NUL-terminated) into *out. Returns 0 when it ended
 * with FCGI_END_REQUEST, else the first unexpected record type, or -1 when the connection
 * closed or stalled. */
static int ft_answer(int fd, char **out)
{
    ft_buf_t o = {0};
    unsigned char h[8], skip[65536 + 256];

    *out = NULL;
    for (;;) {
        size_t clen;

        if (ft_recv_all(fd, h, 8) != 0)
            break;
        clen = ((size_t)h[4] << 8 | h[5]) + h[6];
        if (ft_recv_all(fd, skip, clen) != 0)
            break;
        if (h[1] == FT_STDOUT) {
            ft_put(&o, skip, clen - h[6]);
        } else if (h[1] == FT_END) {
            ft_put(&o, "", 1);
            *out = (char *)o.p;
            return 0;
        } else if (h[1] != FT_STDERR) {
            free(o.p);
            return h[1];
        }
    }
    free(o.p);
    return -1;
}

static int ft_connect(void)
{
    const char *base = getenv("DSM_POOL_PORT");
    struct sockaddr_in a = {.sin_family = AF_INET};
    struct timeval tv = {.tv_sec = 10};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    a.sin_port = htons((uint16_t)(atoi(base ? base : "9100") + 1)); /* project-1 */
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void test_split_end_of_stdin_keeps_step(void)
{
    static const unsigned char eos[8] = {1, FT_STDIN, 0, 1, 0, 0, 0, 0};
    int fd = ft_connect(), rc;
    char *body = malloc(20001), *ans = NULL;
    ft_buf_t b = {0};

    IT_CHECK(fd >= 0, "connect to project-1 (DSM_POOL_PORT + 1): %s", strerror(errno));
    if (fd < 0 || body == NULL) {
        free(body);
        return;
    }
    /* a body the handler rejects after reading it all (422): {"x": "aaaa…"} */
    memset(body, 'a', 20000);
    memcpy(body, "{\"x\":\"", 6);
    memcpy(body + 19998, "\"}", 2);
    body[20000] = '\0';
    ft_request(&b, "POST", "/projects", body);
    ft_put(&b, eos, 3); /* the end-of-stream header, first 3 of its 8 bytes */
    IT_CHECK(ft_send(fd, b.p, b.len) == 0, "request 1 sent");
    usleep(300 * 1000); /* the host has read the whole body; 5 bytes of the record are late */
    IT_CHECK(ft_send(fd, eos + 3, 5) == 0, "request 1: rest of the end-of-stream record");
    rc = ft_answer(fd, &ans);
    IT_CHECK(rc == 0 && ans && strstr(ans, "Status: 422") != NULL,
             "request 1 answered 422 (rc %d): %.200s", rc, ans ? ans : "");
    free(ans);
    ans = NULL;
    /* the next request on the same connection is read in step */
    b.len = 0;
    ft_request(&b, "GET", "/projects/PHE001", NULL);
    ft_put(&b, eos, 8);
    IT_CHECK(ft_send(fd, b.p, b.len) == 0, "request 2 sent");
    rc = ft_answer(fd, &ans);
    IT_CHECK(rc == 0 && ans && strstr(ans, "Status: 200") != NULL && strstr(ans, "PHE001") != NULL,
             "request 2 on the kept connection answered 200 (rc %d: 0 = well framed, 11 = "
             "FCGI_UNKNOWN_TYPE, -1 = closed): %.200s",
             rc, ans ? ans : "");
    free(ans);
    free(b.p);
    free(body);
    close(fd);
}

DSM_SUITE("integration/fcgi_framing", NULL, NULL, DSM_TEST(test_split_end_of_stdin_keeps_step));
