/*
 * dsm_breaker.c — process-wide circuit breakers for calls between services, named by the
 * caller ("project", "chronicle", ...). The original's rules (shared/spec/api.md §0.4): a
 * closed breaker opens when, over the last 10 s, at least 3 calls were recorded and half or
 * more failed; 30 s after the last failure it lets one trial call through (half-open); that
 * call's success closes it, its failure opens it again.
 */
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "dsm_core.h"

#define BRK_MAX 32
#define BRK_HIST 64
#define BRK_WINDOW_NS 10000000000LL
#define BRK_OPEN_NS 30000000000LL

typedef enum { BRK_CLOSED, BRK_OPEN, BRK_HALF_OPEN } brk_state_e;

typedef struct {
    char name[64];
    brk_state_e state;
    int64_t t[BRK_HIST];
    bool ok[BRK_HIST];
    size_t head, n;
    int64_t last_failure;
    bool trial_in_flight;
    uint64_t opened;
} dsm_breaker_t;

static pthread_mutex_t brk_mu = PTHREAD_MUTEX_INITIALIZER;
static dsm_breaker_t brk[BRK_MAX];
static size_t nbrk;

static dsm_breaker_t *brk_find(const char *name)
{
    for (size_t i = 0; i < nbrk; i++) {
        if (!strcmp(brk[i].name, name))
            return &brk[i];
    }
    if (nbrk == BRK_MAX)
        return NULL;
    dsm_breaker_t *b = &brk[nbrk++];
    memset(b, 0, sizeof(*b));
    snprintf(b->name, sizeof(b->name), "%s", name);
    return b;
}

int dsm_breaker_allow(const char *name, int64_t now)
{
    int ok = 1;
    if (!name)
        return 1;
    pthread_mutex_lock(&brk_mu);
    dsm_breaker_t *b = brk_find(name);
    if (b && b->state == BRK_OPEN && now - b->last_failure >= BRK_OPEN_NS)
        b->state = BRK_HALF_OPEN;
    if (b && b->state == BRK_OPEN)
        ok = 0;
    else if (b && b->state == BRK_HALF_OPEN) {
        ok = !b->trial_in_flight;
        b->trial_in_flight = true;
    }
    pthread_mutex_unlock(&brk_mu);
    return ok;
}

void dsm_breaker_record(const char *name, bool success, int64_t now)
{
    if (!name)
        return;
    pthread_mutex_lock(&brk_mu);
    dsm_breaker_t *b = brk_find(name);
    if (!b)
        goto out;
    if (b->state == BRK_HALF_OPEN) {
        b->trial_in_flight = false;
        if (success) {
            b->state = BRK_CLOSED;
            b->n = 0;
        } else {
            b->state = BRK_OPEN;
            b->last_failure = now;
            b->opened++;
        }
        goto out;
    }
    b->t[b->head] = now;
    b->ok[b->head] = success;
    b->head = (b->head + 1) % BRK_HIST;
    if (b->n < BRK_HIST)
        b->n++;
    if (success || b->state != BRK_CLOSED)
        goto out;
    b->last_failure = now;
    size_t calls = 0, fails = 0;
    for (size_t i = 0; i < b->n; i++) {
        size_t k = (b->head + BRK_HIST - 1 - i) % BRK_HIST;
        if (now - b->t[k] > BRK_WINDOW_NS)
            break;
        calls++;
        fails += !b->ok[k];
    }
    if (calls >= 3 && 2 * fails >= calls) {
        b->state = BRK_OPEN;
        b->opened++;
        dsm_logf("warn", "breaker_open", "circuit breaker '%s' opened (%zu of %zu calls failed)",
                 name, fails, calls);
    }
out:
    pthread_mutex_unlock(&brk_mu);
}

json_object *dsm_breaker_status(void)
{
    static const char *const names[] = {"closed", "open", "half_open"};
    json_object *a = json_object_new_array();
    pthread_mutex_lock(&brk_mu);
    for (size_t i = 0; i < nbrk; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(brk[i].name));
        json_object_object_add(o, "state", json_object_new_string(names[brk[i].state]));
        json_object_object_add(o, "times_opened", json_object_new_int64((int64_t)brk[i].opened));
        json_object_array_add(a, o);
    }
    pthread_mutex_unlock(&brk_mu);
    return a;
}

void dsm_breaker_reset_all(void)
{
    pthread_mutex_lock(&brk_mu);
    nbrk = 0;
    pthread_mutex_unlock(&brk_mu);
}
