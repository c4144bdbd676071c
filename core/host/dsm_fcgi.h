/* dsm_fcgi.h — the host's only window on libfcgi (dsm_fcgi.c is the one file that includes
 * fcgiapp.h). One dsm_fcgi_t per worker thread. */
#ifndef DSM_FCGI_H
#define DSM_FCGI_H

#include <stddef.h>

typedef struct dsm_fcgi_s dsm_fcgi_t;

int dsm_fcgi_global_init(void);
dsm_fcgi_t *dsm_fcgi_new(int listen_fd);
/* 0 on a new request; a negative errno otherwise (-EINTR when woken by a signal). */
int dsm_fcgi_accept(dsm_fcgi_t *f);
char **dsm_fcgi_env(dsm_fcgi_t *f);
/* Reads up to n bytes of the body; returns the count read (short only at the end). */
size_t dsm_fcgi_read(dsm_fcgi_t *f, char *buf, size_t n);
/* Reads and discards the rest of stdin up to and including its end-of-stream record, at most
 * max bytes. 0 when the end was reached; -1 otherwise (error, or more than max bytes left),
 * and then the connection must not be kept. */
int dsm_fcgi_drain(dsm_fcgi_t *f, size_t max);
int dsm_fcgi_write(dsm_fcgi_t *f, const char *buf, size_t n);
void dsm_fcgi_no_keep(dsm_fcgi_t *f); /* close the connection after this request */
void dsm_fcgi_finish(dsm_fcgi_t *f);  /* flush, end the request (keeps a kept-alive conn) */
void dsm_fcgi_free(dsm_fcgi_t *f);    /* also closes a kept-alive connection */

#endif
