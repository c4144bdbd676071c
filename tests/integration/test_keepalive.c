/*
 * test_keepalive.c — nginx keeps FastCGI connections to the pools open; a request the host
 * refuses before routing (an undecodable path) must still consume its body, or the next
 * request on that connection is read out of step (seen as "invalid FastCGI record" / 503).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsm_test.h"
#include "it_http.h"

static void test_refused_body_is_consumed(void)
{
    char body[4096];
    memset(body, 'x', sizeof(body) - 1);
    body[0] = '{';
    body[sizeof(body) - 2] = '}';
    body[sizeof(body) - 1] = '\0';
    int bad_ok = 0, good_ok = 0;
    for (int i = 0; i < 40; i++) {
        it_resp_t bad = it_req("POST", "/projects/%ff%fe/status", body, IT_JSON);
        bad_ok += bad.status == 400 && it_is_json_error(&bad);
        it_free(&bad);
        char *json = it_fmt("{\"id\":\"KA%d-%d\",\"name\":\"n\",\"description\":\"d\",\"status\":\"s\"}",
                            (int)getpid(), i);
        it_resp_t good = it_json("POST", "/projects", json);
        good_ok += good.status == 201;
        if (good.status != 201)
            IT_CHECK(0, "POST after a refused request: %s", it_describe(&good));
        it_free(&good);
        free(json);
    }
    IT_CHECK(bad_ok == 40, "undecodable paths answered 400 JSON: %d of 40", bad_ok);
    IT_CHECK(good_ok == 40, "following POSTs succeeded: %d of 40", good_ok);
}

DSM_SUITE("integration/keepalive", NULL, NULL, DSM_TEST(test_refused_body_is_consumed));
