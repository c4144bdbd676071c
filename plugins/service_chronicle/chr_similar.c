/*
 * chr_similar.c — C16 similar projects. Every project with history (notes or retrospectives) is
 * compared with the reference on two key sets: the impediments reported in its daily scrums (read
 * from chronicle_impediment_texts, which triggers keep current: sql/chronicle_db/003) and the
 * descriptions of its retrospective action items, both reduced to chr_match_key() (case,
 * numbers and trailing dots do not matter). Score = chr_similarity() of the two Jaccard indexes.
 * The projects at or above the threshold are summarised from their retrospectives.
 */
#include <stdlib.h>
#include <string.h>

#include "chr_internal.h"

typedef struct {
    const char *id;
    const char **keys[2]; /* 0 impediments, 1 action items: sorted, unique */
    size_t nkeys[2];
    int retro_first, retro_end; /* rows of the retrospective query */
    int64_t team;
    double score;
} chr_proj_t;

typedef struct {
    chr_proj_t *v;
    size_t n;
} chr_projs_t;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static chr_proj_t *find_proj(const chr_projs_t *ps, const char *id)
{
    size_t lo = 0, hi = ps->n;

    while (id != NULL && lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(id, ps->v[mid].id);

        if (c == 0)
            return &ps->v[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Projects (byte order), then their key sets — one statement, so one snapshot:
 * chronicle_similar_keys() of sql/chronicle_db/006, rows (project_id, kind, text), kind -1 = a
 * project (first, in byte order), 0 = an impediment text of its daily scrums, 1 = an action
 * item of its retrospectives. */
static int load_projects(const chr_state_t *st, dsm_req_t *req, chr_projs_t *ps)
{
    const dsm_api_t *api = st->api;
    const char *p[1] = {chr_no_impediment_array()};
    dsm_rows_t *k;
    int n = 0, nk;

    k = api->db_exec(req, NULL, "SELECT * FROM chronicle_similar_keys($1::text[])", 1, p);
    if (k == NULL)
        return -1;
    nk = api->rows_count(k);
    while (n < nk && api->rows_value(k, n, 1)[0] == '-')
        n++;
    ps->n = (size_t)n;
    ps->v = api->palloc(req, (size_t)(n > 0 ? n : 1) * sizeof(chr_proj_t));
    if (ps->v == NULL)
        return -1;
    for (int i = 0; i < n; i++) {
        ps->v[i].id = api->rows_value(k, i, 0);
        ps->v[i].retro_first = ps->v[i].retro_end = -1;
    }
    for (int pass = 0; pass < 2; pass++) { /* count, then fill */
        for (int i = n; i < nk; i++) {
            chr_proj_t *pr = find_proj(ps, api->rows_value(k, i, 0));
            int kind = api->rows_value(k, i, 1)[0] == '1';
            const char *txt = api->rows_value(k, i, 2);
            size_t len;
            char *key;

            if (pr == NULL || txt == NULL)
                continue;
            if (pass == 0) {
                pr->nkeys[kind]++;
                continue;
            }
            len = chr_match_key(txt, NULL, 0);
            key = api->palloc(req, len + 1);
            if (key == NULL)
                return -1;
            chr_match_key(txt, key, len + 1);
            pr->keys[kind][pr->nkeys[kind]++] = key;
        }
        for (size_t j = 0; pass == 0 && j < ps->n; j++) {
            for (int kind = 0; kind < 2; kind++) {
                ps->v[j].keys[kind] =
                    api->palloc(req, (ps->v[j].nkeys[kind] + 1) * sizeof(const char *));
                if (ps->v[j].keys[kind] == NULL)
                    return -1;
                ps->v[j].nkeys[kind] = 0;
            }
        }
    }
    for (size_t j = 0; j < ps->n; j++) {
        for (int kind = 0; kind < 2; kind++) {
            const char **v = ps->v[j].keys[kind];
            size_t m = ps->v[j].nkeys[kind], u = 0;

            qsort(v, m, sizeof(*v), cmp_str);
            for (size_t i = 0; i < m; i++) {
                if (u == 0 || strcmp(v[u - 1], v[i]) != 0)
                    v[u++] = v[i];
            }
            ps->v[j].nkeys[kind] = u;
        }
    }
    return 0;
}

/* |a ∩ b| of two sorted unique sets. */
static size_t inter(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    size_t i = 0, j = 0, n = 0;

    while (i < na && j < nb) {
        int c = strcmp(a[i], b[j]);

        n += c == 0;
        i += c <= 0;
        j += c >= 0;
    }
    return n;
}

static double score_of(const chr_proj_t *a, const chr_proj_t *b)
{
    size_t in[2], un[2];

    for (int k = 0; k < 2; k++) {
        in[k] = inter(a->keys[k], a->nkeys[k], b->keys[k], b->nkeys[k]);
        un[k] = a->nkeys[k] + b->nkeys[k] - in[k];
    }
    return chr_similarity(in[0], un[0], in[1], un[1]);
}

static int cmp_score(const void *a, const void *b)
{
    const chr_proj_t *x = *(const chr_proj_t *const *)a, *y = *(const chr_proj_t *const *)b;
    double sx = chr_round(x->score, 2), sy = chr_round(y->score, 2);

    if (sx != sy)
        return sx > sy ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Per-retrospective rows (project_id, total, done, start day, end day) and team sizes, from
 * the columns sql/chronicle_db/008 keeps (no tasks_summary is expanded here). */
static dsm_rows_t *load_retros(const chr_state_t *st, dsm_req_t *req, chr_projs_t *ps)
{
    const dsm_api_t *api = st->api;
    dsm_rows_t *r, *t;

    r = api->db_exec(req, NULL,
                     "SELECT r.project_id, r.task_stats[1], r.task_stats[2], "
                     "r.start_date - DATE '1970-01-01', r.end_date - DATE '1970-01-01' "
                     "FROM sprint_retrospectives r WHERE r.project_id <> '' "
                     "ORDER BY r.project_id COLLATE \"C\", r.start_date NULLS LAST, r.created_at, r.id",
                     0, NULL);
    if (r == NULL)
        return NULL;
    for (int i = 0; i < api->rows_count(r); i++) {
        chr_proj_t *pr = find_proj(ps, api->rows_value(r, i, 0));

        if (pr == NULL)
            continue;
        if (pr->retro_first < 0)
            pr->retro_first = i;
        pr->retro_end = i + 1;
    }
    t = api->db_exec(req, NULL,
                     "SELECT r.project_id, count(DISTINCT e) FROM sprint_retrospectives r, "
                     "unnest(r.task_employees) e WHERE r.project_id <> '' GROUP BY r.project_id",
                     0, NULL);
    if (t == NULL)
        return NULL;
    for (int i = 0; i < api->rows_count(t); i++) {
        chr_proj_t *pr = find_proj(ps, api->rows_value(t, i, 0));

        if (pr != NULL)
            pr->team = strtoll(api->rows_value(t, i, 1), NULL, 10);
    }
    return r;
}

/* The summary of one similar project from its retrospectives (rows of load_retros). */
static struct json_object *summary_of(const chr_state_t *st, dsm_req_t *req, const dsm_rows_t *r,
                                      const chr_proj_t *pr)
{
    const dsm_api_t *api = st->api;
    int n = pr->retro_first < 0 ? 0 : pr->retro_end - pr->retro_first;
    int64_t *totals = api->palloc(req, (size_t)(n + 1) * sizeof(int64_t));
    double *rates = api->palloc(req, (size_t)(n + 1) * sizeof(double));
    int64_t tasks = 0, done = 0, opt = 0;
    double dur = 0, span = 0;
    long min_start = 0, max_end = 0;
    int ndur = 0, has_start = 0, has_end = 0;
    struct json_object *o, *factors;

    for (int i = 0; totals != NULL && rates != NULL && i < n; i++) {
        int row = pr->retro_first + i;
        int64_t t = strtoll(api->rows_value(r, row, 1), NULL, 10);
        int64_t d = strtoll(api->rows_value(r, row, 2), NULL, 10);
        const char *s = api->rows_value(r, row, 3), *e = api->rows_value(r, row, 4);

        totals[i] = t;
        rates[i] = t > 0 ? (double)d / (double)t : 0;
        tasks += t;
        done += d;
        if (s != NULL && (!has_start || atol(s) < min_start)) {
            min_start = atol(s);
            has_start = 1;
        }
        if (e != NULL && (!has_end || atol(e) > max_end)) {
            max_end = atol(e);
            has_end = 1;
        }
        if (s != NULL && e != NULL) {
            dur += (double)(atol(e) - atol(s));
            ndur++;
        }
    }
    if (totals != NULL && rates != NULL)
        opt = chr_optimal_task_count(totals, rates, (size_t)n);
    if (has_start && has_end && max_end > min_start)
        span = (double)(max_end - min_start);
    o = json_object_new_object();
    json_object_object_add(o, "project_id", json_object_new_string(pr->id));
    json_object_object_add(o, "team_size", json_object_new_int64(pr->team));
    json_object_object_add(o, "avg_task_complexity", chr_jfloat(0.0));
    json_object_object_add(o, "domain_category", json_object_new_string("unknown"));
    json_object_object_add(o, "project_duration", chr_jfloat(span));
    json_object_object_add(
        o, "completion_rate",
        chr_jfloat(tasks > 0 ? chr_round((double)done / (double)tasks, 2) : 0.0));
    json_object_object_add(o, "avg_sprint_duration",
                           chr_jfloat(ndur > 0 ? chr_round(dur / ndur, 2) : 0.0));
    json_object_object_add(o, "optimal_task_count", json_object_new_int64(opt));
    factors = json_object_new_array();
    json_object_array_add(factors, json_object_new_string("derived_from_retrospectives"));
    json_object_object_add(o, "key_success_factors", factors);
    json_object_object_add(o, "similarity_score", chr_jfloat(chr_round(pr->score, 2)));
    return o;
}

/* C16 GET /v1/analytics/projects/similar?reference_project_id=&similarity_threshold=0.7 */
int chr_similar(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *ref_id = NULL;
    double threshold = 0.7;
    chr_projs_t ps = {NULL, 0};
    chr_proj_t *ref, **hits;
    struct json_object *arr;
    dsm_rows_t *retros;
    size_t nhits = 0;

    api->v_str(req, "query", "reference_project_id", DSM_V_REQUIRED, &ref_id);
    if (api->v_float(req, "query", "similarity_threshold", 0, &threshold) == 1 &&
        (threshold < 0.0 || threshold > 1.0)) {
        struct json_object *in = chr_jstr(api->req_query(req, "similarity_threshold"));

        if (threshold < 0.0)
            api->v_problem(req, "query", "similarity_threshold", "greater_than_equal",
                           "Input should be greater than or equal to 0", in);
        else
            api->v_problem(req, "query", "similarity_threshold", "less_than_equal",
                           "Input should be less than or equal to 1", in);
        json_object_put(in);
    }
    if (api->v_failed(req))
        return DSM_OK;
    if (load_projects(st, req, &ps) != 0)
        return chr_db_fail(st, req, 0);
    ref = find_proj(&ps, ref_id);
    hits = api->palloc(req, (ps.n + 1) * sizeof(*hits));
    if (hits == NULL)
        return api->reply_error(req, 500, "Internal Server Error");
    for (size_t i = 0; ref != NULL && i < ps.n; i++) {
        if (&ps.v[i] == ref)
            continue;
        ps.v[i].score = score_of(ref, &ps.v[i]);
        if (ps.v[i].score >= threshold)
            hits[nhits++] = &ps.v[i];
    }
    if (nhits == 0)
        return api->reply_error(req, 404, "No similar projects found for %s.", ref_id);
    qsort(hits, nhits, sizeof(*hits), cmp_score);
    retros = load_retros(st, req, &ps);
    if (retros == NULL)
        return chr_db_fail(st, req, 0);
    arr = json_object_new_array_ext((int)nhits);
    for (size_t i = 0; i < nhits; i++)
        json_object_array_add(arr, summary_of(st, req, retros, hits[i]));
    return api->reply_json(req, 200, arr);
}
