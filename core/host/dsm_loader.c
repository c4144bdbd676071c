/*
 * dsm_loader.c — load one plugin file into a slot: copy it to a private path (never dlopen a
 * file a build may overwrite, never the same path twice), dlopen RTLD_NOW|RTLD_LOCAL, check the
 * descriptor (the ABI check), run init. Any refusal gives one precise reason.
 */
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dsm_core.h"

int dsm_plugin_check(const dsm_plugin_t *d, const char *expect, char *err, size_t errlen)
{
    if (!d) {
        snprintf(err, errlen, "dsm_plugin_entry() returned NULL");
        return -1;
    }
    if (d->magic != DSM_PLUGIN_MAGIC) {
        snprintf(err, errlen, "bad magic 0x%08x (not a DSM plugin)", d->magic);
        return -1;
    }
    if (d->abi_major != DSM_ABI_MAJOR) {
        snprintf(err, errlen, "ABI major %u, host speaks %u: rebuild the plugin against this host",
                 d->abi_major, DSM_ABI_MAJOR);
        return -1;
    }
    if (d->abi_minor > DSM_ABI_MINOR) {
        snprintf(err, errlen, "ABI %u.%u is newer than the host's %u.%u", d->abi_major,
                 d->abi_minor, DSM_ABI_MAJOR, DSM_ABI_MINOR);
        return -1;
    }
    if (d->size != sizeof(dsm_plugin_t)) {
        snprintf(err, errlen, "descriptor size %u, host expects %zu", d->size,
                 sizeof(dsm_plugin_t));
        return -1;
    }
    if (!d->build_sig || strcmp(d->build_sig, DSM_BUILD_SIG)) {
        snprintf(err, errlen, "build signature '%s', host has '%s'",
                 d->build_sig ? d->build_sig : "(null)", DSM_BUILD_SIG);
        return -1;
    }
    bool name_ok = d->name && *d->name && strlen(d->name) < 64;
    for (const char *p = d->name; name_ok && *p; p++)
        name_ok = islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_';
    if (!name_ok) {
        snprintf(err, errlen, "plugin name must match [a-z0-9_]{1,63}");
        return -1;
    }
    if (expect && strcmp(d->name, expect)) {
        snprintf(err, errlen, "descriptor name '%s' differs from the configured slot '%s'",
                 d->name, expect);
        return -1;
    }
    if (!d->version || !*d->version) {
        snprintf(err, errlen, "plugin '%s' has no version", d->name);
        return -1;
    }
    if (d->tick && d->tick_ms == 0) {
        snprintf(err, errlen, "plugin '%s' has tick() but tick_ms = 0", d->name);
        return -1;
    }
    if (d->kind == DSM_KIND_SERVICE) {
        if (!d->routes && !d->consumers && !d->tick) {
            snprintf(err, errlen, "service plugin '%s' has neither routes nor consumers", d->name);
            return -1;
        }
    } else if (d->kind == DSM_KIND_INTEL) {
        if (!d->analyze) {
            snprintf(err, errlen, "intelligence plugin '%s' has no analyze()", d->name);
            return -1;
        }
        if (d->routes) {
            snprintf(err, errlen, "intelligence plugin '%s' must not declare routes", d->name);
            return -1;
        }
    } else {
        snprintf(err, errlen, "plugin '%s' has unknown kind %d", d->name, (int)d->kind);
        return -1;
    }
    return 0;
}

static int copy_file(const char *src, const char *dst, char *err, size_t errlen)
{
    int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
    char buf[65536];
    if (in < 0) {
        snprintf(err, errlen, "cannot open %s: %s", src, strerror(errno));
        return -1;
    }
    out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
    if (out < 0) {
        snprintf(err, errlen, "cannot create %s: %s", dst, strerror(errno));
        goto out;
    }
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));
        if (n == 0)
            break;
        if (n < 0 || write(out, buf, (size_t)n) != n) {
            snprintf(err, errlen, "copying %s: %s", src, strerror(errno));
            goto out;
        }
    }
    rc = 0;
out:
    if (out >= 0)
        close(out);
    close(in);
    if (rc)
        unlink(dst);
    return rc;
}

static void slot_free(dsm_slot_t *s)
{
    if (s->dl)
        dlclose(s->dl);
    if (s->copy_path)
        unlink(s->copy_path);
    free(s->name);
    free(s->src_path);
    free(s->copy_path);
    free(s->conf);
    free(s);
}

dsm_slot_t *dsm_slot_load(dsm_host_t *h, const char *name, const char *path, char *err,
                          size_t errlen)
{
    dsm_slot_t *s = calloc(1, sizeof(*s));
    char copy[4096];
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->name = strdup(name);
    s->src_path = strdup(path);
    s->conf = calloc(1, sizeof(*s->conf));
    if (!s->conf)
        goto fail;
    s->conf->cfg = &h->cfg;
    s->conf->plugin = s->name;
    mkdir(h->cfg.plugin_dir, 0700);
    snprintf(copy, sizeof(copy), "%s/%s.%llu.%ld.so", h->cfg.plugin_dir, name,
             (unsigned long long)atomic_fetch_add(&h->copy_counter, 1) + 1, (long)getpid());
    if (copy_file(path, copy, err, errlen))
        goto fail;
    s->copy_path = strdup(copy);
    s->dl = dlopen(copy, RTLD_NOW | RTLD_LOCAL);
    if (!s->dl) {
        snprintf(err, errlen, "dlopen: %s", dlerror());
        goto fail;
    }
    unlink(copy); /* the mapping stays; nothing is left behind even after kill -9 */
    const dsm_plugin_t *(*entry)(void);
    *(void **)&entry = dlsym(s->dl, "dsm_plugin_entry");
    if (!entry) {
        snprintf(err, errlen, "no symbol dsm_plugin_entry (not a DSM plugin)");
        goto fail;
    }
    s->desc = entry();
    if (dsm_plugin_check(s->desc, name, err, errlen))
        goto fail;
    if (s->desc->init && s->desc->init(h->api, s->conf, &s->state) != DSM_OK) {
        snprintf(err, errlen, "init() of '%s' %s failed", name, s->desc->version);
        goto fail;
    }
    s->serial = atomic_fetch_add(&h->slot_serial, 1) + 1;
    dsm_utc_iso(s->loaded_at, sizeof(s->loaded_at), true);
    atomic_store(&s->refs, 0);
    return s;
fail:
    slot_free(s);
    return NULL;
}

void dsm_slot_release(dsm_slot_t *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    if (s->desc && s->desc->fini)
        s->desc->fini(s->state);
    dsm_logf("info", "plugin_unloaded", "%s %s (serial %llu) released", s->name,
             s->desc ? s->desc->version : "?", (unsigned long long)s->serial);
    slot_free(s);
}
