/*
 * dsm_fcgi.c — libfcgi adapter: accept with FCGI_FAIL_ACCEPT_ON_INTR (so SIGUSR2 wakes a
 * worker), read the body, write the reply, finish (keeping nginx's kept-alive connection).
 */
#include <errno.h>
#include <fcgiapp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "dsm_fcgi.h"

struct dsm_fcgi_s {
    FCGX_Request req;
    int accepted;
};

/* A peer that stops sending in the middle of a request must not hold a worker forever: reads
 * on an accepted connection time out after this long (the request then fails and the
 * connection is closed). nginx sends a request's records at once (request buffering on). */
#define DSM_FCGI_READ_TIMEOUT_S 30

int dsm_fcgi_global_init(void)
{
    return FCGX_Init();
}

dsm_fcgi_t *dsm_fcgi_new(int listen_fd)
{
    dsm_fcgi_t *f = calloc(1, sizeof(*f));
    if (f && FCGX_InitRequest(&f->req, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR)) {
        free(f);
        return NULL;
    }
    return f;
}

int dsm_fcgi_accept(dsm_fcgi_t *f)
{
    errno = 0;
    int rc = FCGX_Accept_r(&f->req);
    if (rc < 0) {
        f->accepted = 0;
        return errno ? -errno : (rc ? rc : -EIO);
    }
    f->accepted = 1;
    if (f->req.ipcFd >= 0) { /* every time: a kept connection's fd number can be reused */
        struct timeval tv = {.tv_sec = DSM_FCGI_READ_TIMEOUT_S};
        setsockopt(f->req.ipcFd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    }
    return 0;
}

char **dsm_fcgi_env(dsm_fcgi_t *f)
{
    return f->req.envp;
}

size_t dsm_fcgi_read(dsm_fcgi_t *f, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        size_t chunk = n - got > (1u << 30) ? (1u << 30) : n - got;
        int r = FCGX_GetStr(buf + got, (int)chunk, f->req.in);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

/* libfcgi frees its read buffer at FCGX_Finish_r and a kept-alive connection's next accept
 * reads the socket afresh: whatever of this request's stdin was not read yet — the empty
 * end-of-stream record after a body read to its CONTENT_LENGTH, or part of it when a read
 * ended inside it — would be taken for the next request's records. Reading to EOF here keeps
 * the connection in step (else nginx sees "invalid FastCGI record type" or a closed upstream). */
int dsm_fcgi_drain(dsm_fcgi_t *f, size_t max)
{
    char sink[16384];
    size_t seen = 0;
    for (;;) {
        int r = FCGX_GetStr(sink, (int)sizeof(sink), f->req.in);
        if (r < 0 || FCGX_GetError(f->req.in) != 0)
            return -1;
        seen += (size_t)r;
        if (FCGX_HasSeenEOF(f->req.in))
            return 0;
        if (r == 0 || seen > max)
            return -1;
    }
}

int dsm_fcgi_write(dsm_fcgi_t *f, const char *buf, size_t n)
{
    size_t put = 0;
    while (put < n) {
        size_t chunk = n - put > (1u << 30) ? (1u << 30) : n - put;
        int w = FCGX_PutStr(buf + put, (int)chunk, f->req.out);
        if (w < 0)
            return -1;
        put += (size_t)w;
    }
    return 0;
}

void dsm_fcgi_no_keep(dsm_fcgi_t *f)
{
    f->req.keepConnection = 0;
}

void dsm_fcgi_finish(dsm_fcgi_t *f)
{
    if (f->accepted)
        FCGX_Finish_r(&f->req);
    f->accepted = 0;
}

void dsm_fcgi_free(dsm_fcgi_t *f)
{
    if (!f)
        return;
    dsm_fcgi_finish(f);
    FCGX_Free(&f->req, 1);
    free(f);
}
