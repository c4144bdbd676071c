/*
 * dsm_gen.c — generations: an immutable set of slots plus the router built from their routes.
 * Requests pin the current generation; a reload builds a new one and publishes it with one
 * pointer store; a retired generation is destroyed (slots released) after its last unpin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsm_core.h"

dsm_gen_t *dsm_gen_build(dsm_host_t *h, dsm_slot_t **slots, size_t n, char *err, size_t errlen)
{
    dsm_gen_t *g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->slots = calloc(n ? n : 1, sizeof(*g->slots));
    g->router = dsm_router_new();
    if (!g->slots || !g->router)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const dsm_plugin_t *d = slots[i]->desc;
        for (const dsm_route_t *rt = d->routes; rt && rt->pattern; rt++) {
            if (dsm_router_add(g->router, rt, i, slots[i]->name, err, errlen))
                goto fail;
        }
    }
    for (size_t i = 0; i < n; i++) {
        g->slots[i] = slots[i];
        atomic_fetch_add(&slots[i]->refs, 1);
    }
    g->nslots = n;
    (void)h;
    return g;
fail:
    dsm_router_free(g->router);
    free(g->slots);
    free(g);
    return NULL;
}

void dsm_gen_destroy(dsm_gen_t *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nslots; i++)
        dsm_slot_release(g->slots[i]);
    dsm_router_free(g->router);
    free(g->slots);
    free(g);
}

dsm_gen_t *dsm_gen_pin(dsm_host_t *h)
{
    pthread_mutex_lock(&h->gen_mu);
    dsm_gen_t *g = h->current;
    if (g)
        g->pins++;
    pthread_mutex_unlock(&h->gen_mu);
    return g;
}

void dsm_gen_unpin(dsm_host_t *h, dsm_gen_t *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&h->gen_mu);
    g->pins--;
    pthread_mutex_unlock(&h->gen_mu);
}

void dsm_gen_publish(dsm_host_t *h, dsm_gen_t *g)
{
    pthread_mutex_lock(&h->gen_mu);
    g->number = ++h->next_gen;
    dsm_gen_t *old = h->current;
    h->current = g;
    if (old) {
        old->retired = true;
        old->next = h->retired;
        h->retired = old;
    }
    pthread_mutex_unlock(&h->gen_mu);
}

int dsm_gen_sweep(dsm_host_t *h)
{
    dsm_gen_t *dead = NULL;
    int left = 0;
    pthread_mutex_lock(&h->gen_mu);
    for (dsm_gen_t **pp = &h->retired; *pp;) {
        dsm_gen_t *g = *pp;
        if (g->pins == 0) {
            *pp = g->next;
            g->next = dead;
            dead = g;
        } else {
            pp = &g->next;
            left++;
        }
    }
    pthread_mutex_unlock(&h->gen_mu);
    while (dead) { /* fini + dlclose outside the lock */
        dsm_gen_t *g = dead;
        dead = g->next;
        dsm_logf("info", "generation_retired", "generation %llu released",
                 (unsigned long long)g->number);
        dsm_gen_destroy(g);
    }
    return left;
}

static void record_reload(dsm_host_t *h, bool ok, const char *msg)
{
    atomic_fetch_add(ok ? &h->reloads_ok : &h->reloads_failed, 1);
    dsm_utc_iso(h->last_reload.at, sizeof(h->last_reload.at), true);
    h->last_reload.ok = ok;
    snprintf(h->last_reload.message, sizeof(h->last_reload.message), "%s", msg);
}

int dsm_load_initial(dsm_host_t *h, char *err, size_t errlen)
{
    size_t n = h->cfg.nplugins;
    dsm_slot_t **slots = calloc(n, sizeof(*slots));
    dsm_gen_t *g = NULL;
    char sub[512];
    if (!slots)
        return -1;
    for (size_t i = 0; i < n; i++) {
        slots[i] = dsm_slot_load(h, h->cfg.plugins[i].name, h->cfg.plugins[i].path, sub,
                                 sizeof(sub));
        if (!slots[i]) {
            snprintf(err, errlen, "plugin '%s' (%s) refused: %s", h->cfg.plugins[i].name,
                     h->cfg.plugins[i].path, sub);
            goto fail;
        }
        atomic_store(&slots[i]->refs, 1); /* held by this function until the gen takes it */
        dsm_logf("info", "plugin_loaded", "%s %s from %s", slots[i]->name,
                 slots[i]->desc->version, slots[i]->src_path);
    }
    g = dsm_gen_build(h, slots, n, err, errlen);
    if (!g)
        goto fail;
    for (size_t i = 0; i < n; i++)
        dsm_slot_release(slots[i]);
    free(slots);
    dsm_gen_publish(h, g);
    record_reload(h, true, "initial load");
    return 0;
fail:
    for (size_t i = 0; i < n; i++)
        dsm_slot_release(slots[i]);
    free(slots);
    return -1;
}

int dsm_reload(dsm_host_t *h, const char *name, char *msg, size_t msglen)
{
    pthread_mutex_lock(&h->reload_mu);
    dsm_gen_t *cur = dsm_gen_pin(h);
    size_t n = cur->nslots, off = 0;
    dsm_slot_t **slots = calloc(n, sizeof(*slots));
    bool refused = false, found = !name, changed = false;
    char sub[512];
    int rc = -1;
    msg[0] = '\0';
    if (!slots)
        goto out;
    for (size_t i = 0; i < n; i++) {
        dsm_slot_t *old = cur->slots[i];
        slots[i] = old;
        if (name && strcmp(old->name, name))
            continue;
        found = true;
        dsm_slot_t *s = dsm_slot_load(h, old->name, old->src_path, sub, sizeof(sub));
        if (!s || s->desc->kind != old->desc->kind) {
            if (s) {
                snprintf(sub, sizeof(sub), "kind changed from %d to %d", old->desc->kind,
                         s->desc->kind);
                atomic_store(&s->refs, 1);
                dsm_slot_release(s);
            }
            refused = true;
            dsm_logf("error", "plugin_refused", "%s: %s (old version keeps serving)", old->name,
                     sub);
            off += (size_t)snprintf(msg + off, off < msglen ? msglen - off : 0, "%s%s refused: %s",
                                    off ? "; " : "", old->name, sub);
            continue;
        }
        slots[i] = s;
        changed = true;
        dsm_logf("info", "plugin_loaded", "%s %s (serial %llu) replaces serial %llu", s->name,
                 s->desc->version, (unsigned long long)s->serial, (unsigned long long)old->serial);
    }
    if (!found) {
        snprintf(msg, msglen, "no plugin named '%s' is loaded", name);
        goto out;
    }
    if (changed) {
        dsm_gen_t *g = dsm_gen_build(h, slots, n, sub, sizeof(sub));
        if (!g) {
            for (size_t i = 0; i < n; i++) {
                if (slots[i] != cur->slots[i]) {
                    atomic_store(&slots[i]->refs, 1);
                    dsm_slot_release(slots[i]);
                }
            }
            snprintf(msg, msglen, "new routes refused: %s", sub);
            refused = true;
            goto out;
        }
        dsm_gen_publish(h, g);
        if (!refused)
            snprintf(msg, msglen, "generation %llu published", (unsigned long long)g->number);
    }
    rc = refused ? -1 : 0;
out:
    if (!found)
        rc = -2;
    else
        record_reload(h, rc == 0, msg);
    free(slots);
    dsm_gen_unpin(h, cur);
    pthread_mutex_unlock(&h->reload_mu);
    return rc;
}
