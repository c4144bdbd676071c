/*
 * test_http.c — http_request / http_parallel (core/host/dsm_http.c, dsm_http_multi.c) against
 * a tiny HTTP server on a loopback port run by the test itself:
 *   /ok → 200 {"ok":1}   /fail → 500 {"detail":"boom"}   /slow → 200 after 300 ms
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dsm_test.h"
#include "ut_core.h"

typedef struct {
    int fd;
    int port;
    pthread_t tid;
} srv_t;

static srv_t srv;

static void *serve_one(void *arg)
{
    int c = (int)(intptr_t)arg;
    char buf[4096];
    ssize_t n = recv(c, buf, sizeof(buf) - 1, 0);
    const char *body = "{\"ok\":1}", *status = "200 OK";
    if (n > 0) {
        buf[n] = '\0';
        if (strstr(buf, "GET /fail")) {
            body = "{\"detail\":\"boom\"}";
            status = "500 Internal Server Error";
        } else if (strstr(buf, "GET /slow")) {
            usleep(300000);
        }
        char out[512];
        int len = snprintf(out, sizeof(out),
                           "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: "
                           "%zu\r\nConnection: close\r\n\r\n%s",
                           status, strlen(body), body);
        ssize_t w = send(c, out, (size_t)len, 0);
        (void)w;
    }
    close(c);
    return NULL;
}

static void *srv_main(void *arg)
{
    for (;;) {
        int c = accept(srv.fd, NULL, NULL);
        if (c < 0)
            return NULL;
        pthread_t t;
        pthread_create(&t, NULL, serve_one, (void *)(intptr_t)c);
        pthread_detach(t);
    }
}

static int srv_start(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    srv.fd = socket(AF_INET, SOCK_STREAM, 0);
    if (srv.fd < 0 || bind(srv.fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(srv.fd, 64) ||
        getsockname(srv.fd, (struct sockaddr *)&sa, &len))
        return -1;
    srv.port = ntohs(sa.sin_port);
    return pthread_create(&srv.tid, NULL, srv_main, NULL);
}

static int srv_stop(void)
{
    shutdown(srv.fd, SHUT_RDWR);
    close(srv.fd);
    pthread_join(srv.tid, NULL);
    return 0;
}

static char *url(dsm_req_t *r, const char *path)
{
    return dsm_arena_printf(r->arena, "http://127.0.0.1:%d%s", srv.port, path);
}

static void test_parallel_results(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    ut_req(&e, &r, "GET", "/x", NULL);
    dsm_breaker_reset_all();
    dsm_http_opts_t o[4] = {
        {.size = sizeof(dsm_http_opts_t), .url = url(&r, "/ok"), .timeout_ms = 2000},
        {.size = sizeof(dsm_http_opts_t), .url = url(&r, "/slow"), .timeout_ms = 2000},
        {.size = sizeof(dsm_http_opts_t), .url = url(&r, "/fail"), .timeout_ms = 2000},
        {.size = sizeof(dsm_http_opts_t), .url = url(&r, "/slow"), .timeout_ms = 50},
    };
    dsm_http_result_t res[4];
    CU_ASSERT_EQUAL(dsm_http_parallel(&r, 4, o, res), DSM_OK);
    CU_ASSERT_EQUAL(res[0].status, 200);
    CU_ASSERT_EQUAL(res[1].status, 200);
    CU_ASSERT_EQUAL(res[2].status, 500);
    CU_ASSERT_EQUAL(res[3].status, -1); /* its own 50 ms timeout */
    CU_ASSERT_PTR_NOT_NULL(res[3].err);
    CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(res[0].body, "ok")), 1);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(res[2].body, "detail")),
                           "boom");
    for (int i = 0; i < 4; i++)
        json_object_put(res[i].body);
    dsm_arena_reset(e.thr.arena);
    ut_env_close(&e);
}

static void test_breaker_opens_and_fails_fast(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    ut_req(&e, &r, "GET", "/x", NULL);
    dsm_breaker_reset_all();
    dsm_http_opts_t o = {.size = sizeof(o), .url = url(&r, "/fail"), .timeout_ms = 2000,
                         .breaker = "unit"};
    const char *err = NULL;
    json_object *body = NULL;
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(dsm_http_request(&r, &o, &body, &err), 500);
        json_object_put(body);
    }
    CU_ASSERT_EQUAL(dsm_http_request(&r, &o, &body, &err), -1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    CU_ASSERT_STRING_EQUAL(err, "Circuit breaker is OPEN");
    dsm_http_opts_t ok = {.size = sizeof(ok), .url = url(&r, "/ok"), .timeout_ms = 2000,
                          .breaker = "other"};
    CU_ASSERT_EQUAL(dsm_http_request(&r, &ok, &body, &err), 200);
    json_object_put(body);
    dsm_breaker_reset_all();
    ut_env_close(&e);
}

static void test_retries_are_bounded(void)
{
    ut_env_t e;
    dsm_req_t r;
    CU_ASSERT_EQUAL_FATAL(ut_env_open(&e), 0);
    ut_req(&e, &r, "GET", "/x", NULL);
    dsm_http_opts_t o = {.size = sizeof(o), .url = "http://127.0.0.1:1/none", .timeout_ms = 500,
                         .retries = 2};
    const char *err = NULL;
    json_object *body = NULL;
    CU_ASSERT_EQUAL(dsm_http_request(&r, &o, &body, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(err);
    CU_ASSERT_PTR_NULL(body);
    o.size = 4; /* an options struct from the future/past that lacks fields is refused */
    CU_ASSERT_EQUAL(dsm_http_request(&r, &o, &body, &err), -1);
    ut_env_close(&e);
}

DSM_SUITE("core/http", srv_start, srv_stop, DSM_TEST(test_parallel_results),
          DSM_TEST(test_breaker_opens_and_fails_fast), DSM_TEST(test_retries_are_bounded));
