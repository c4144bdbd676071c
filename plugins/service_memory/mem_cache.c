/*
 * mem_cache.c — the exact vector index used when embeddings are stored as real[] (no
 * pgvector): every embedded episode's (episode_id, project_id, normalised embedding) in one
 * contiguous float array, searched by brute-force dot products with a bounded heap
 * (mem_vec_logic.c). Recall is 1.0 by construction; 1024 floats = 4 KiB per episode.
 *
 * WHY a cache in the plugin (and not a C function inside PostgreSQL, or SQL over real[]):
 * SQL over real[] recomputes every dot product from a de-TOASTed array (hundreds of ms at
 * 10k rows), and a server-side C extension is a second artefact to build and install into
 * PostgreSQL, which the dev stack and the tests cannot assume. The plugin already holds the
 * vectors it computes, scans 10k vectors in a few ms, and needs only a cheap, exact way to
 * learn what changed — migration 002 gives it that.
 *
 * STAYING CORRECT (sql/agent_memory/002_search_cache.sql):
 *   Each row carries mem_xid, the id of the transaction that last set its embedding/project.
 *   The cache keeps a watermark W = xmin of the snapshot of its last refresh: every
 *   transaction that committed after that snapshot has an id >= W. Every search starts with a
 *   refresh — one statement (one snapshot) returning that snapshot's xmin, the tombstones with
 *   deleted_xid >= W and (id, mem_xid, has embedding) of the rows with mem_xid >= W:
 *     - tombstones remove entries (a NULL tombstone = TRUNCATE → full reload);
 *     - a row whose (id, xid) is cached as is: kept; new or changed: fetched (phase 2, by id,
 *       in chunks); without embedding: removed;
 *     - a cached entry with xid >= W that the statement did not return no longer exists:
 *       removed (covers an episode stored by this instance and deleted before the refresh).
 *   A search that began after a store committed therefore always sees it, whichever instance
 *   stored it. Concurrent searches share refreshes: a refresh that started after a search
 *   began and has finished makes that search's own refresh unnecessary. A cache that has not
 *   refreshed for 12 h reloads in full (tombstones are kept for a day).
 *   Stores on this instance add their vectors at once (write-through) when no refresh is
 *   running and the row's xid >= W, so its own writes are never downloaded again.
 *
 * LOCKING: state owned by init (st->cache), no file-scope state. refresh_mu serialises
 * refreshes (and guards the refresh bookkeeping); rw guards the entries: searches scan under
 * the read lock, refreshes and write-through change entries under the write lock, never
 * holding it across a database round trip or while parsing vectors.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem_internal.h"

#define MEM_ID_STRIDE (MEM_UUID_LEN + 1)
#define MEM_FETCH_CHUNK 500
#define MEM_STALE_NS (12LL * 3600 * 1000000000LL)

struct mem_cache_s {
    pthread_rwlock_t rw;
    pthread_mutex_t refresh_mu;
    /* entries (rw) */
    float *vecs;   /* cap * MEM_DIM, 64-byte aligned */
    char *ids;     /* cap * MEM_ID_STRIDE */
    uint32_t *proj;
    uint8_t *outcome; /* 1: the episode has a recorded outcome (outcome or outcome_quality) */
    uint64_t *xid;
    uint32_t *seen;
    size_t n, cap;
    mem_idmap_t idmap;
    char **pnames; /* project names, never removed */
    size_t np, pcap;
    mem_idmap_t pmap;
    /* written under refresh_mu + rw (write), read under either */
    uint64_t watermark;
    int loaded;
    uint32_t gen;
    double last_refresh_ms;
    /* refresh bookkeeping (refresh_mu) */
    int64_t last_refresh_ns; /* end of the last successful refresh */
    int64_t done_start_ns;   /* start of the last successful refresh */
};

static const char *entry_key(const void *ctx, uint32_t v)
{
    return ((const mem_cache_t *)ctx)->ids + (size_t)v * MEM_ID_STRIDE;
}

static const char *proj_key(const void *ctx, uint32_t v)
{
    return ((const mem_cache_t *)ctx)->pnames[v];
}

mem_cache_t *mem_cache_new(void)
{
    mem_cache_t *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return NULL;
    if (pthread_rwlock_init(&c->rw, NULL) != 0) {
        free(c);
        return NULL;
    }
    if (pthread_mutex_init(&c->refresh_mu, NULL) != 0) {
        pthread_rwlock_destroy(&c->rw);
        free(c);
        return NULL;
    }
    return c;
}

void mem_cache_free(mem_cache_t *c)
{
    if (c == NULL)
        return;
    free(c->vecs);
    free(c->ids);
    free(c->proj);
    free(c->outcome);
    free(c->xid);
    free(c->seen);
    mem_idmap_free(&c->idmap);
    for (size_t i = 0; i < c->np; i++)
        free(c->pnames[i]);
    free(c->pnames);
    mem_idmap_free(&c->pmap);
    pthread_mutex_destroy(&c->refresh_mu);
    pthread_rwlock_destroy(&c->rw);
    free(c);
}

/* ---- entries (caller holds the write lock) ---- */

static int reserve(mem_cache_t *c, size_t need)
{
    size_t cap = c->cap ? c->cap : 1024;
    float *vecs;
    void *p;

    if (need <= c->cap)
        return 0;
    while (cap < need)
        cap *= 2;
    vecs = aligned_alloc(64, cap * MEM_DIM * sizeof(float));
    if (vecs == NULL)
        return -1;
    if (c->n > 0)
        memcpy(vecs, c->vecs, c->n * MEM_DIM * sizeof(float));
    free(c->vecs);
    c->vecs = vecs;
    if ((p = realloc(c->ids, cap * MEM_ID_STRIDE)) == NULL)
        return -1;
    c->ids = p;
    if ((p = realloc(c->proj, cap * sizeof(*c->proj))) == NULL)
        return -1;
    c->proj = p;
    if ((p = realloc(c->xid, cap * sizeof(*c->xid))) == NULL)
        return -1;
    c->xid = p;
    if ((p = realloc(c->outcome, cap * sizeof(*c->outcome))) == NULL)
        return -1;
    c->outcome = p;
    if ((p = realloc(c->seen, cap * sizeof(*c->seen))) == NULL)
        return -1;
    c->seen = p;
    c->cap = cap;
    return 0;
}

static uint32_t project_index(mem_cache_t *c, const char *name)
{
    uint32_t p = mem_idmap_get(&c->pmap, name, proj_key, c);
    char *copy;

    if (p != MEM_IDMAP_NONE)
        return p;
    if (c->np == c->pcap) {
        size_t cap = c->pcap ? c->pcap * 2 : 64;
        char **names = realloc(c->pnames, cap * sizeof(*names));

        if (names == NULL)
            return MEM_IDMAP_NONE;
        c->pnames = names;
        c->pcap = cap;
    }
    copy = strdup(name);
    if (copy == NULL)
        return MEM_IDMAP_NONE;
    c->pnames[c->np] = copy;
    if (mem_idmap_put(&c->pmap, copy, (uint32_t)c->np, proj_key, c) != 0) {
        free(copy);
        return MEM_IDMAP_NONE;
    }
    return (uint32_t)c->np++;
}

static void entry_remove(mem_cache_t *c, uint32_t idx)
{
    size_t last = c->n - 1;

    mem_idmap_del(&c->idmap, entry_key(c, idx), entry_key, c);
    if (idx != last) {
        memcpy(c->vecs + (size_t)idx * MEM_DIM, c->vecs + last * MEM_DIM, MEM_DIM * sizeof(float));
        memcpy(c->ids + (size_t)idx * MEM_ID_STRIDE, c->ids + last * MEM_ID_STRIDE, MEM_ID_STRIDE);
        c->proj[idx] = c->proj[last];
        c->outcome[idx] = c->outcome[last];
        c->xid[idx] = c->xid[last];
        c->seen[idx] = c->seen[last];
        mem_idmap_put(&c->idmap, entry_key(c, idx), idx, entry_key, c); /* moved: new index */
    }
    c->n--;
}

static void remove_id(mem_cache_t *c, const char *id)
{
    uint32_t idx = mem_idmap_get(&c->idmap, id, entry_key, c);

    if (idx != MEM_IDMAP_NONE)
        entry_remove(c, idx);
}

/* Insert or replace. -1 when out of memory (the cache is then left without that entry). */
static int entry_upsert(mem_cache_t *c, const char *id, const char *project, uint64_t xid,
                        int has_outcome, const float *vec, uint32_t mark)
{
    uint32_t idx = mem_idmap_get(&c->idmap, id, entry_key, c);
    uint32_t p = project_index(c, project);

    if (p == MEM_IDMAP_NONE || strlen(id) != MEM_UUID_LEN)
        return -1;
    if (idx == MEM_IDMAP_NONE) {
        if (reserve(c, c->n + 1) != 0)
            return -1;
        idx = (uint32_t)c->n;
        memcpy(c->ids + (size_t)idx * MEM_ID_STRIDE, id, MEM_ID_STRIDE);
        if (mem_idmap_put(&c->idmap, id, idx, entry_key, c) != 0)
            return -1;
        c->n++;
    }
    memcpy(c->vecs + (size_t)idx * MEM_DIM, vec, MEM_DIM * sizeof(float));
    c->proj[idx] = p;
    c->outcome[idx] = has_outcome != 0;
    c->xid[idx] = xid;
    c->seen[idx] = mark;
    return 0;
}

static void clear_entries(mem_cache_t *c)
{
    c->n = 0;
    mem_idmap_clear(&c->idmap);
}

/* ---- refresh ---- */

/* Phase 1: one statement, one snapshot. k: x = the snapshot's xmin, d = tombstone (NULL id:
 * TRUNCATE), u = a row changed since W (v = its mem_xid, e = has an embedding). $2 = a full
 * reload: it clears the cache anyway, so no tombstone is read (a day of them can be millions). */
static const char *const phase1_sql =
    "SELECT 'x' AS k, NULL::text AS id, pg_snapshot_xmin(pg_current_snapshot())::text AS v, "
    "NULL::bool AS e "
    "UNION ALL SELECT 'd', episode_id::text, NULL, NULL FROM agent_episode_tombstones "
    "WHERE NOT $2::bool AND deleted_xid >= $1::xid8 "
    "UNION ALL SELECT 'u', episode_id::text, mem_xid::text, embedding IS NOT NULL "
    "FROM agent_episodes WHERE mem_xid >= $1::xid8";

/* Phase 2: the vectors of new or changed rows, by id, and whether each has an outcome. */
static const char *const phase2_sql =
    "SELECT episode_id::text, project_id, mem_xid::text, embedding::text, "
    "(outcome IS NOT NULL OR outcome_quality IS NOT NULL) FROM agent_episodes "
    "WHERE episode_id = ANY($1::uuid[]) AND embedding IS NOT NULL";

/* Fetch the vectors of ids[0..n) and upsert them (marked mark). 0, -1 db error, -2 OOM. */
static int fetch_chunk(mem_state_t *st, dsm_req_t *req, const char *const *ids, size_t n,
                       uint32_t mark)
{
    const dsm_api_t *api = st->api;
    mem_cache_t *c = st->cache;
    char *lit = api->palloc(req, n * MEM_ID_STRIDE + 3);
    const char *params[1] = {lit};
    float *vecs = NULL;
    size_t len = 0;
    dsm_rows_t *r;
    int rows, rc = 0;

    if (lit == NULL)
        return -2;
    lit[len++] = '{';
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            lit[len++] = ',';
        memcpy(lit + len, ids[i], MEM_UUID_LEN);
        len += MEM_UUID_LEN;
    }
    lit[len++] = '}';
    lit[len] = '\0';
    r = api->db_exec(req, MEM_DB, phase2_sql, 1, params);
    if (r == NULL)
        return -1;
    rows = api->rows_count(r);
    if (rows == 0)
        return 0;
    vecs = malloc((size_t)rows * MEM_DIM * sizeof(float));
    if (vecs == NULL)
        return -2;
    for (int i = 0; i < rows; i++) /* parse outside the lock */
        if (mem_vec_parse(api->rows_value(r, i, 3), vecs + (size_t)i * MEM_DIM, MEM_DIM) != MEM_DIM)
            vecs[(size_t)i * MEM_DIM] = NAN;
    pthread_rwlock_wrlock(&c->rw);
    for (int i = 0; i < rows && rc == 0; i++) {
        const float *v = vecs + (size_t)i * MEM_DIM;
        const char *id = api->rows_value(r, i, 0), *proj = api->rows_value(r, i, 1);

        if (v[0] != v[0]) { /* unparsable: leave it out, as a row without embedding */
            remove_id(c, id);
            continue;
        }
        if (entry_upsert(c, id, proj, strtoull(api->rows_value(r, i, 2), NULL, 10),
                         api->rows_value(r, i, 4)[0] == 't', v, mark) != 0)
            rc = -2;
    }
    pthread_rwlock_unlock(&c->rw);
    free(vecs);
    return rc;
}

typedef struct {
    const char **fetch;
    size_t nfetch;
    uint64_t xmin;
} mem_plan_t;

/* Apply phase 1 under the write lock; fills plan with the ids to fetch. 0, or -2 OOM. */
static int apply_phase1(mem_state_t *st, dsm_req_t *req, const dsm_rows_t *r, int full,
                        uint64_t w, mem_plan_t *plan)
{
    const dsm_api_t *api = st->api;
    mem_cache_t *c = st->cache;
    int rows = api->rows_count(r), truncated = 0, rc = 0;

    plan->fetch = api->palloc(req, (size_t)(rows > 0 ? rows : 1) * sizeof(*plan->fetch));
    if (plan->fetch == NULL)
        return -2;
    plan->nfetch = 0;
    for (int i = 0; i < rows; i++) {
        const char *k = api->rows_value(r, i, 0);

        if (k[0] == 'x')
            plan->xmin = strtoull(api->rows_value(r, i, 2), NULL, 10);
        else if (k[0] == 'd' && api->rows_value(r, i, 1) == NULL)
            truncated = 1;
    }
    pthread_rwlock_wrlock(&c->rw);
    if (full || truncated)
        clear_entries(c);
    c->gen++;
    for (int i = 0; i < rows; i++) { /* tombstones first: a re-inserted id comes back below */
        const char *id = api->rows_value(r, i, 1);

        if (api->rows_value(r, i, 0)[0] == 'd' && id != NULL)
            remove_id(c, id);
    }
    for (int i = 0; i < rows; i++) {
        const char *id = api->rows_value(r, i, 1);
        uint32_t idx;
        uint64_t xid;

        if (api->rows_value(r, i, 0)[0] != 'u')
            continue;
        idx = mem_idmap_get(&c->idmap, id, entry_key, c);
        if (api->rows_value(r, i, 3)[0] != 't') {
            if (idx != MEM_IDMAP_NONE)
                entry_remove(c, idx);
            continue;
        }
        xid = strtoull(api->rows_value(r, i, 2), NULL, 10);
        if (idx != MEM_IDMAP_NONE)
            c->seen[idx] = c->gen;
        if (idx == MEM_IDMAP_NONE || c->xid[idx] != xid)
            plan->fetch[plan->nfetch++] = id;
    }
    if (!full && !truncated) {
        for (size_t i = 0; i < c->n;) { /* cached, changed since W, not returned: gone */
            if (c->xid[i] >= w && c->seen[i] != c->gen)
                entry_remove(c, (uint32_t)i);
            else
                i++;
        }
    }
    if (reserve(c, c->n + plan->nfetch) != 0)
        rc = -2;
    pthread_rwlock_unlock(&c->rw);
    return rc;
}

/* Entries scheduled for a fetch that did not come back (deleted meanwhile): remove. */
static void drop_unfetched(mem_cache_t *c, const mem_plan_t *plan, uint32_t mark)
{
    pthread_rwlock_wrlock(&c->rw);
    for (size_t i = 0; i < plan->nfetch; i++) {
        uint32_t idx = mem_idmap_get(&c->idmap, plan->fetch[i], entry_key, c);

        if (idx != MEM_IDMAP_NONE && c->seen[idx] != mark)
            entry_remove(c, idx);
    }
    pthread_rwlock_unlock(&c->rw);
}

int mem_cache_refresh(mem_state_t *st, dsm_req_t *req, int64_t t0_ns, int force)
{
    const dsm_api_t *api = st->api;
    mem_cache_t *c = st->cache;
    mem_plan_t plan = {0};
    int64_t start;
    const char *params[2];
    dsm_rows_t *r;
    uint64_t w;
    uint32_t mark;
    int full, rc = 0;

    pthread_mutex_lock(&c->refresh_mu);
    if (!force && c->loaded && c->done_start_ns >= t0_ns)
        goto out; /* a refresh that began after this request did has finished */
    start = st->api->now_ns();
    full = !c->loaded || start - c->last_refresh_ns > MEM_STALE_NS;
    w = full ? 0 : c->watermark;
    params[0] = api->psprintf(req, "%" PRIu64, w);
    params[1] = full ? "true" : "false";
    r = api->db_exec(req, MEM_DB, phase1_sql, 2, params);
    if (r == NULL) {
        rc = -1;
        goto out;
    }
    plan.xmin = w;
    rc = apply_phase1(st, req, r, full, w, &plan);
    if (rc != 0)
        goto out;
    mark = c->gen + 1;
    for (size_t i = 0; i < plan.nfetch && rc == 0; i += MEM_FETCH_CHUNK) {
        size_t n = plan.nfetch - i < MEM_FETCH_CHUNK ? plan.nfetch - i : MEM_FETCH_CHUNK;

        rc = fetch_chunk(st, req, plan.fetch + i, n, mark);
    }
    if (rc != 0)
        goto out; /* the watermark stays: the next refresh looks at the same rows again */
    drop_unfetched(c, &plan, mark);
    c->last_refresh_ns = st->api->now_ns();
    c->done_start_ns = start;
    pthread_rwlock_wrlock(&c->rw);
    c->gen = mark;
    c->watermark = plan.xmin;
    c->loaded = 1;
    c->last_refresh_ms = (double)(c->last_refresh_ns - start) / 1e6;
    pthread_rwlock_unlock(&c->rw);
    if (full || plan.nfetch > 1000) {
        struct json_object *f = json_object_new_object();

        json_object_object_add(f, "fetched", json_object_new_int64((int64_t)plan.nfetch));
        json_object_object_add(f, "entries", json_object_new_int64((int64_t)c->n));
        json_object_object_add(f, "ms", json_object_new_double(c->last_refresh_ms));
        api->log(req, "info", "memory_cache_load", full ? "full load" : "incremental", f);
    }
out:
    pthread_mutex_unlock(&c->refresh_mu);
    return rc;
}

/* ---- search, write-through, stats ---- */

size_t mem_cache_search(mem_state_t *st, dsm_req_t *req, const float *q, const char *project,
                        int with_outcome, float min_sim, size_t k, mem_found_t *out,
                        size_t *scanned)
{
    const dsm_api_t *api = st->api;
    mem_cache_t *c = st->cache;
    mem_hit_t *hits = api->palloc(req, (k > 0 ? k : 1) * sizeof(*hits));
    uint32_t want = UINT32_MAX;
    size_t got = 0;

    if (hits == NULL)
        return 0;
    pthread_rwlock_rdlock(&c->rw);
    *scanned = c->n;
    if (project != NULL) {
        want = mem_idmap_get(&c->pmap, project, proj_key, c);
        if (want == MEM_IDMAP_NONE)
            goto out; /* no episode of that project has an embedding */
    }
    got = mem_topk_scan(c->vecs, c->n, MEM_DIM, q, c->proj, want,
                        with_outcome ? c->outcome : NULL, min_sim, k, c->ids, MEM_ID_STRIDE, hits);
    for (size_t i = 0; i < got; i++) {
        out[i].episode_id = api->pstrdup(req, entry_key(c, hits[i].idx));
        out[i].similarity = hits[i].score;
    }
out:
    pthread_rwlock_unlock(&c->rw);
    return got;
}

void mem_cache_add(mem_state_t *st, const char *episode_id, const char *project_id,
                   const char *xid, int has_outcome, const float *vec)
{
    mem_cache_t *c = st->cache;
    uint64_t x = strtoull(xid, NULL, 10);

    if (pthread_mutex_trylock(&c->refresh_mu) != 0)
        return; /* a refresh is running: the next one fetches the row */
    if (c->loaded) {
        pthread_rwlock_wrlock(&c->rw);
        if (x >= c->watermark)
            entry_upsert(c, episode_id, project_id, x, has_outcome, vec, c->gen);
        pthread_rwlock_unlock(&c->rw);
    }
    pthread_mutex_unlock(&c->refresh_mu);
}

void mem_cache_stats(mem_state_t *st, mem_cache_stats_t *out)
{
    mem_cache_t *c = st->cache;

    pthread_rwlock_rdlock(&c->rw);
    out->entries = c->n;
    out->projects = c->np;
    out->mb = (double)c->cap * (MEM_DIM * sizeof(float) + MEM_ID_STRIDE + 20) / (1024.0 * 1024.0);
    out->watermark = c->watermark;
    out->loaded = c->loaded;
    out->last_refresh_ms = c->last_refresh_ms;
    pthread_rwlock_unlock(&c->rw);
}
