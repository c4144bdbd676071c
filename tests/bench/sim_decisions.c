/*
 * sim_decisions.c — the decision simulation of `make bench-decisions` (issue 6 item 8), driven
 * through the real services over HTTP (nginx). Built and run by tests/bench/bench_decisions.sh.
 *
 *   sim_decisions run --url URL --mode MODE --seed N [--projects 50] [--sprints 10]
 *                     [--start 2025-09-01] [--pto-percent 30] [--variation 15]
 *                     [--prefix SIM] [--out FILE.tsv]
 *   sim_decisions report A.tsv B.tsv      (markdown tables comparing two runs)
 *
 * run: for each of the projects (ids <prefix>01…), drawn from the seed alone (so both runs see
 * the same world): a team of 2..6 new employees (P13, P3, P19), a HIDDEN nominal capacity of
 * 3..9 tasks per full-team week, stored in the Sprint service as points per member and day
 * (PUT /sprints/simulation/capacity/{pid}: round(100·capacity / (5·team)), ±variation % per day)
 * — nothing else knows it — and PTO (P10: in each simulated week, with pto-percent probability,
 * one member is away 1..3 weekdays). The decision mode is set for every project (O22). Then,
 * sprint after sprint, for every project in turn:
 *   B4 (the ten template tasks back to the backlog, progress 0) → POST /orchestrate/project/{pid}
 *   (timed; options: 1-week sprints, no schedule) — the orchestrator decides the task count and
 *   creates the sprint → one daily scrum (S13 ?date=&seed=, no force: a holiday does no work)
 *   per weekday of the sprint (5 per week, dates from --start, per project) → S11 close.
 * After every sprint round: POST /strategy/evolve (the daily job), as a timer would.
 * Every sprint is one TSV row (columns below). The orchestrator learns outcomes from the
 * Sprint service's SprintClosed event and its reconciliation; the driver tells it nothing.
 *
 * Columns: mode project sprint team capacity weeks committed completed realised work_points
 *          decision_source baseline client_ms server_ms holidays pto_member_days
 *          (realised = floor(Σ work points of the sprint's scrums / 100): what the team could
 *          have finished had it been given enough tasks; -1 = unknown).
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PROJECTS 200
#define MAX_TEAM 6
#define MAX_WEEKS 64
#define MAX_SPRINTS 50

typedef struct {
    char id[16];
    int team, capacity, points;
    long cursor; /* next simulated working day (days since 1970-01-01) */
} sim_project_t;

typedef struct {
    CURL *curl;
    struct curl_slist *hdr;
    const char *url;
    char *buf;
    size_t len, cap;
    long errors;
} sim_http_t;

/* ---------------------------------------------------------------- small helpers */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int rng_range(uint64_t *s, int lo, int hi)
{
    return lo + (int)(rng_next(s) % (uint64_t)(hi - lo + 1));
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Days since 1970-01-01 of y-m-d and back (proleptic Gregorian). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, char out[16])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);

    snprintf(out, 16, "%04d-%02d-%02d", (int)((y + (m <= 2)) % 10000), (int)(m % 100), (int)(d % 100));
}

static int weekday(long days) /* 0 = Monday */
{
    return (int)(((days % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
}

static long next_workday(long days)
{
    while (weekday(days) >= 5)
        days++;
    return days;
}

static json_object *jget(json_object *o, const char *k)
{
    json_object *v = NULL;

    return o != NULL && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static double jnum(json_object *o, const char *k, double def)
{
    json_object *v = jget(o, k);

    return v != NULL && (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
               ? json_object_get_double(v)
               : def;
}

static const char *jstr(json_object *o, const char *k)
{
    json_object *v = jget(o, k);

    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    char *s = NULL;

    va_start(ap, f);
    if (vasprintf(&s, f, ap) < 0)
        s = NULL;
    va_end(ap);
    if (s == NULL) {
        fprintf(stderr, "sim: out of memory\n");
        exit(2);
    }
    return s;
}

/* ---------------------------------------------------------------- HTTP */

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
    sim_http_t *h = ud;
    size_t add = sz * n;

    if (h->len + add + 1 > h->cap) {
        size_t cap = (h->len + add + 1) * 2;
        char *b = realloc(h->buf, cap);

        if (b == NULL)
            return 0;
        h->buf = b;
        h->cap = cap;
    }
    memcpy(h->buf + h->len, p, add);
    h->len += add;
    h->buf[h->len] = '\0';
    return add;
}

/* One request; the status (-1: no answer). *out (may be NULL) gets the parsed body; *ms the
 * wall time. A status other than want (when want > 0) is counted and reported. */
static long http(sim_http_t *h, const char *method, const char *path, const char *body,
                 long want, json_object **out, double *ms)
{
    char *url = fmt("%s%s", h->url, path);
    long status = -1;
    double t0 = now_ms();
    CURLcode rc;

    h->len = 0;
    if (h->buf)
        h->buf[0] = '\0';
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
    if (body != NULL || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0) {
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body != NULL ? body : "");
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE, (long)(body != NULL ? strlen(body) : 0));
    } else {
        curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
    }
    rc = curl_easy_perform(h->curl);
    if (ms != NULL)
        *ms = now_ms() - t0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
    if (out != NULL)
        *out = h->len > 0 ? json_tokener_parse(h->buf) : NULL;
    if (want > 0 && status != want) {
        h->errors++;
        fprintf(stderr, "sim: %s %s -> %ld (want %ld)%s%.300s\n", method, path, status, want,
                rc != CURLE_OK ? curl_easy_strerror(rc) : " ", h->buf ? h->buf : "");
    }
    free(url);
    return status;
}

/* ---------------------------------------------------------------- the simulation */

typedef struct {
    const char *url, *mode, *prefix, *out, *start;
    uint64_t seed;
    int projects, sprints, pto_percent, variation;
} sim_opts_t;

/* The world: drawn from the seed alone, identical for every mode. */
static void draw_world(const sim_opts_t *o, sim_project_t *p, unsigned char pto[][MAX_WEEKS][5])
{
    uint64_t r = o->seed * 0x2545F4914F6CDD1DULL + 1;

    memset(pto, 0, sizeof(unsigned char) * (size_t)o->projects * MAX_WEEKS * 5);
    for (int i = 0; i < o->projects; i++) {
        snprintf(p[i].id, sizeof p[i].id, "%s%02d", o->prefix, i + 1);
        p[i].team = rng_range(&r, 2, MAX_TEAM);
        p[i].capacity = rng_range(&r, 3, 9);
        p[i].points = (int)lround(100.0 * p[i].capacity / (5.0 * p[i].team));
        for (int w = 0; w < MAX_WEEKS; w++) {
            if (rng_range(&r, 1, 100) > o->pto_percent)
                continue;
            int m = rng_range(&r, 1, p[i].team), d0 = rng_range(&r, 0, 4), len = rng_range(&r, 1, 3);

            for (int d = d0; d < d0 + len && d < 5; d++)
                pto[i][w][d] = (unsigned char)m; /* member m (1-based) away that weekday */
        }
    }
}

static int setup(sim_http_t *h, const sim_opts_t *o, sim_project_t *p,
                 unsigned char pto[][MAX_WEEKS][5], long start)
{
    for (int i = 0; i < o->projects; i++) {
        char *path, *body, *ids = fmt("%s", "");

        body = fmt("{\"id\":\"%s\",\"name\":\"Decision simulation %s\",\"description\":\"sim\","
                   "\"status\":\"active\"}", p[i].id, p[i].id);
        http(h, "POST", "/projects", body, 201, NULL, NULL);
        free(body);
        for (int m = 1; m <= p[i].team; m++) {
            body = fmt("{\"employee_id\":\"%s-E%d\",\"name\":\"%s member %d\"}", p[i].id, m, p[i].id, m);
            http(h, "POST", "/employees", body, 201, NULL, NULL);
            free(body);
            body = fmt("%s%s\"%s-E%d\"", ids, m > 1 ? "," : "", p[i].id, m);
            free(ids);
            ids = body;
        }
        path = fmt("/projects/%s/team-members-assign", p[i].id);
        body = fmt("{\"employee_ids\":[%s]}", ids);
        http(h, "POST", path, body, 200, NULL, NULL);
        free(path);
        free(body);
        free(ids);
        path = fmt("/sprints/simulation/capacity/%s", p[i].id);
        body = fmt("{\"points_per_member_day\":%d,\"variation_percent\":%d}", p[i].points, o->variation);
        http(h, "PUT", path, body, 200, NULL, NULL);
        free(path);
        free(body);
        path = fmt("/orchestrate/intelligence/project/%s/decision-mode", p[i].id);
        body = fmt("{\"mode\":\"%s\"}", o->mode);
        http(h, "POST", path, body, 200, NULL, NULL);
        free(path);
        free(body);
        for (int w = 0; w < MAX_WEEKS && w < 4 * o->sprints; w++) /* sprints of ≤ 4 weeks */
            for (int d = 0; d < 5; d++) {
                int m = pto[i][w][d], len = 1;
                char a[16], b[16];

                if (m == 0 || (d > 0 && pto[i][w][d - 1] == m))
                    continue;
                while (d + len < 5 && pto[i][w][d + len] == m)
                    len++;
                civil_from_days(start + 7L * w + d, a);
                civil_from_days(start + 7L * w + d + len - 1, b);
                path = fmt("/projects/%s/calendar/pto?employee_id=%s-E%d", p[i].id, p[i].id, m);
                body = fmt("{\"start_date\":\"%s\",\"end_date\":\"%s\",\"reason\":\"Simulated PTO\"}", a, b);
                http(h, "POST", path, body, 201, NULL, NULL);
                free(path);
                free(body);
            }
        p[i].cursor = start;
    }
    return h->errors == 0 ? 0 : -1;
}

/* One sprint of one project: one TSV row. */
static void sprint_once(sim_http_t *h, const sim_opts_t *o, sim_project_t *p,
                        unsigned char pto[][MAX_WEEKS][5], int pi, int k, long start, FILE *out)
{
    char *path = fmt("/backlogs/%s", p->id), *body;
    json_object *resp = NULL, *dec;
    const char *sid, *source;
    double client_ms = -1, server_ms = -1;
    int committed = -1, completed = -1, weeks = 1, baseline = -1, holidays = 0, pto_days = 0;
    long points = 0;
    int known_points = 1;

    http(h, "POST", path, NULL, 201, NULL, NULL);
    free(path);
    path = fmt("/orchestrate/project/%s", p->id);
    body = fmt("{\"options\":{\"create_sprint_if_needed\":true,\"create_cronjob\":false,"
               "\"sprint_duration_weeks\":1,\"max_tasks_per_sprint\":10}}");
    http(h, "POST", path, body, 200, &resp, &client_ms);
    free(path);
    free(body);
    dec = jget(resp, "decisions");
    sid = jstr(resp, "sprint_id");
    source = jstr(dec, "decision_source");
    server_ms = jnum(jget(resp, "performance_metrics"), "decision_ms", -1);
    weeks = (int)jnum(dec, "sprint_duration_weeks", 1);
    baseline = (int)jnum(jget(dec, "rule_based_decision"), "tasks_to_assign", -1);
    if (sid == NULL || !json_object_get_boolean(jget(dec, "create_new_sprint"))) {
        h->errors++;
        fprintf(stderr, "sim: %s sprint %d: no sprint created\n", p->id, k);
        fprintf(out, "%s\t%s\t%d\t%d\t%d\t%d\t-1\t-1\t-1\t-1\t%s\t%d\t%.3f\t%.3f\t0\t0\n", o->mode,
                p->id, k, p->team, p->capacity, weeks, source ? source : "none", baseline,
                client_ms, server_ms);
        json_object_put(resp);
        return;
    }
    sid = fmt("%s", sid); /* copies: resp goes */
    source = fmt("%s", source ? source : "none");
    json_object_put(resp);
    resp = NULL;
    /* the scrums: 5 per week, Monday..Friday, from the project's calendar cursor */
    for (int d = 0; d < 5 * weeks; d++) {
        long day = next_workday(p->cursor);
        long w = (day - start) / 7;
        int wd = weekday(day);
        char date[16];
        json_object *r = NULL;

        civil_from_days(day, date);
        p->cursor = day + 1;
        if (w >= 0 && w < MAX_WEEKS && pto[pi][w][wd] != 0)
            pto_days++;
        path = fmt("/sprints/%s/run-daily-scrum?date=%s&seed=bench%llu", sid, date,
                   (unsigned long long)o->seed);
        http(h, "POST", path, NULL, 200, &r, NULL);
        free(path);
        if (json_object_get_boolean(jget(r, "skipped")))
            holidays++;
        else if (jget(r, "simulated_work_points") != NULL)
            points += (long)jnum(r, "simulated_work_points", 0);
        else
            known_points = 0;
        json_object_put(r);
    }
    p->cursor = next_workday(p->cursor);
    path = fmt("/sprints/%s/close", sid);
    if (http(h, "POST", path, NULL, 200, &resp, NULL) == 200) {
        completed = (int)jnum(resp, "completed_tasks_count", -1);
        committed = completed + (int)jnum(resp, "uncompleted_tasks_moved_to_backlog_count", -1);
    }
    free(path);
    json_object_put(resp);
    fprintf(out, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%ld\t%ld\t%s\t%d\t%.3f\t%.3f\t%d\t%d\n", o->mode,
            p->id, k, p->team, p->capacity, weeks, committed, completed,
            known_points ? points / 100 : -1L, known_points ? points : -1L,
            source, baseline, client_ms, server_ms, holidays, pto_days);
    free((char *)sid);
    free((char *)source);
}

static int run(const sim_opts_t *o)
{
    static sim_project_t p[MAX_PROJECTS];
    static unsigned char pto[MAX_PROJECTS][MAX_WEEKS][5];
    sim_http_t h = {0};
    int y, m, d;
    long start;
    FILE *out = stdout;
    double t0 = now_ms();

    if (sscanf(o->start, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return fprintf(stderr, "sim: --start must be YYYY-MM-DD\n"), 2;
    start = days_from_civil(y, m, d);
    start -= weekday(start); /* the Monday of that week */
    if (o->out != NULL && (out = fopen(o->out, "w")) == NULL)
        return perror(o->out), 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    h.curl = curl_easy_init();
    h.url = o->url;
    h.hdr = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(h.curl, CURLOPT_HTTPHEADER, h.hdr);
    curl_easy_setopt(h.curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h.curl, CURLOPT_WRITEDATA, &h);
    curl_easy_setopt(h.curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h.curl, CURLOPT_NOSIGNAL, 1L);
    draw_world(o, p, pto);
    fprintf(stderr, "sim: %s: setting up %d projects\n", o->mode, o->projects);
    if (setup(&h, o, p, pto, start) < 0)
        fprintf(stderr, "sim: %s: %ld set-up request(s) failed\n", o->mode, h.errors);
    fprintf(out, "mode\tproject\tsprint\tteam\tcapacity\tweeks\tcommitted\tcompleted\trealised\t"
                 "work_points\tdecision_source\tbaseline\tclient_ms\tserver_ms\tholidays\tpto_member_days\n");
    for (int k = 1; k <= o->sprints; k++) {
        json_object *ev = NULL;
        double ems = 0;

        for (int i = 0; i < o->projects; i++)
            sprint_once(&h, o, &p[i], pto, i, k, start, out);
        fflush(out);
        http(&h, "POST", "/strategy/evolve", NULL, 200, &ev, &ems);
        fprintf(stderr, "sim: %s: sprint %d/%d done (%.0f s); evolve %s in %.0f ms: %d pattern(s), "
                        "%d new, %d updated strategies\n",
                o->mode, k, o->sprints, (now_ms() - t0) / 1e3, jstr(ev, "status") ? jstr(ev, "status") : "?",
                ems, (int)jnum(jget(ev, "summary"), "patterns_extracted", 0),
                (int)jnum(jget(ev, "summary"), "strategies_generated", 0),
                (int)jnum(jget(ev, "summary"), "strategies_updated", 0));
        json_object_put(ev);
    }
    if (out != stdout)
        fclose(out);
    curl_slist_free_all(h.hdr);
    curl_easy_cleanup(h.curl);
    curl_global_cleanup();
    free(h.buf);
    fprintf(stderr, "sim: %s: %ld failed request(s), %.0f s\n", o->mode, h.errors, (now_ms() - t0) / 1e3);
    return h.errors == 0 ? 0 : 1;
}

/* ---------------------------------------------------------------- report */

typedef struct {
    char mode[40];
    int n, sprints;
    /* per sprint number k (index k), and [0] = all */
    double err[MAX_SPRINTS + 1], rate[MAX_SPRINTS + 1], done[MAX_SPRINTS + 1], comm[MAX_SPRINTS + 1];
    double cap_err[MAX_SPRINTS + 1], adj[MAX_SPRINTS + 1];
    int cnt[MAX_SPRINTS + 1], cap_cnt[MAX_SPRINTS + 1];
    double *client, *server;
    int nlat;
    /* per sprint and nominal capacity (0..9): committed, completed, realised sums, count */
    double cap_comm[MAX_SPRINTS + 1][10], cap_done[MAX_SPRINTS + 1][10], cap_real[MAX_SPRINTS + 1][10];
    int cap_n[MAX_SPRINTS + 1][10];
} sim_run_t;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double q)
{
    if (n == 0)
        return NAN;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[(int)ceil(q * n) - 1 < 0 ? 0 : (int)ceil(q * n) - 1];
}

static int load(const char *file, sim_run_t *r)
{
    FILE *f = fopen(file, "r");
    char line[1024];
    int cap = 0;

    memset(r, 0, sizeof *r);
    if (f == NULL)
        return perror(file), -1;
    while (fgets(line, sizeof line, f) != NULL) {
        char mode[40], pid[32], src[64];
        int k, team, capy, weeks, committed, completed, base, hol, ptod;
        long realised, points;
        double cms, sms;

        if (sscanf(line, "%39s %31s %d %d %d %d %d %d %ld %ld %63s %d %lf %lf %d %d", mode, pid, &k,
                   &team, &capy, &weeks, &committed, &completed, &realised, &points, src, &base,
                   &cms, &sms, &hol, &ptod) != 16 ||
            k < 1 || k > MAX_SPRINTS)
            continue;
        snprintf(r->mode, sizeof r->mode, "%s", mode);
        if (r->nlat == cap) {
            cap = cap ? cap * 2 : 1024;
            r->client = realloc(r->client, sizeof(double) * (size_t)cap);
            r->server = realloc(r->server, sizeof(double) * (size_t)cap);
            if (r->client == NULL || r->server == NULL)
                return fclose(f), -1;
        }
        r->client[r->nlat] = cms;
        r->server[r->nlat++] = sms;
        r->sprints = k > r->sprints ? k : r->sprints;
        if (committed <= 0 || completed < 0)
            continue;
        for (int i = 0; i < 2; i++) {
            int b = i == 0 ? 0 : k;

            r->err[b] += abs(committed - completed);
            r->rate[b] += (double)completed / committed;
            r->done[b] += completed;
            r->comm[b] += committed;
            r->adj[b] += base >= 0 && committed != base;
            r->cnt[b]++;
            if (realised >= 0) {
                r->cap_err[b] += labs(committed - realised);
                r->cap_cnt[b]++;
            }
        }
        r->n++;
        if (capy >= 0 && capy <= 9) {
            r->cap_comm[k][capy] += committed;
            r->cap_done[k][capy] += completed;
            r->cap_real[k][capy] += realised;
            r->cap_n[k][capy]++;
        }
    }
    fclose(f);
    return r->n > 0 ? 0 : -1;
}

/* Sums over sprints lo..hi. */
typedef struct {
    double err, rate, done, comm, cap_err, adj;
    int cnt, cap_cnt;
} sim_agg_t;

static sim_agg_t agg(const sim_run_t *r, int lo, int hi)
{
    sim_agg_t a = {0};

    for (int k = lo; k <= hi; k++) {
        a.err += r->err[k];
        a.rate += r->rate[k];
        a.done += r->done[k];
        a.comm += r->comm[k];
        a.cap_err += r->cap_err[k];
        a.adj += r->adj[k];
        a.cnt += r->cnt[k];
        a.cap_cnt += r->cap_cnt[k];
    }
    return a;
}

static void row(const char *label, sim_agg_t a, sim_agg_t b)
{
    double ea = a.err / a.cnt, eb = b.err / b.cnt, ra = a.rate / a.cnt, rb = b.rate / b.cnt;

    printf("| %s | %.2f | %.2f | %+.1f %% | %.1f %% | %.1f %% | %+.1f %% | %.2f | %.2f | %.2f | %.2f | %d / %d |\n",
           label, ea, eb, ea > 0 ? 100.0 * (eb - ea) / ea : 0.0, 100 * ra, 100 * rb,
           ra > 0 ? 100.0 * (rb - ra) / ra : 0.0, a.done / a.cnt, b.done / b.cnt,
           a.cap_cnt ? a.cap_err / a.cap_cnt : NAN, b.cap_cnt ? b.cap_err / b.cap_cnt : NAN, a.cnt, b.cnt);
}

static int report(const char *fa, const char *fb)
{
    static sim_run_t a, b;
    int last;

    if (load(fa, &a) < 0 || load(fb, &b) < 0)
        return fprintf(stderr, "sim: cannot read %s / %s\n", fa, fb), 2;
    last = a.sprints < b.sprints ? a.sprints : b.sprints;
    printf("| sprints | mean \\|committed − completed\\| A | B | B vs A | completion A | B | B vs A |"
           " completed/sprint A | B | mean \\|committed − realised capacity\\| A | B | sprints A / B |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    row(last > 3 ? "last 3" : "all", agg(&a, last > 3 ? last - 2 : 1, last), agg(&b, last > 3 ? last - 2 : 1, last));
    row("all", agg(&a, 1, last), agg(&b, 1, last));
    printf("\nPer sprint (A = %s, B = %s): mean \\|committed − completed\\|, completion rate, mean committed,"
           " decisions that moved the rules' count.\n\n", a.mode, b.mode);
    printf("| sprint | err A | err B | completion A | completion B | committed A | committed B | moved A | moved B |\n");
    printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int k = 1; k <= last; k++)
        if (a.cnt[k] > 0 && b.cnt[k] > 0)
            printf("| %d | %.2f | %.2f | %.1f %% | %.1f %% | %.2f | %.2f | %.0f | %.0f |\n", k,
                   a.err[k] / a.cnt[k], b.err[k] / b.cnt[k], 100 * a.rate[k] / a.cnt[k],
                   100 * b.rate[k] / b.cnt[k], a.comm[k] / a.cnt[k], b.comm[k] / b.cnt[k], a.adj[k], b.adj[k]);
    printf("\nBy hidden nominal capacity, %s: mean committed, completed and realised capacity per sprint"
           " (A = %s, B = %s).\n\n", last > 3 ? "last 3 sprints" : "all sprints", a.mode, b.mode);
    printf("| capacity | sprints | committed A | committed B | completed A | completed B | realised |\n"
           "|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int c = 0; c <= 9; c++) {
        double ca = 0, cb = 0, da = 0, db = 0, re = 0;
        int na = 0, nb = 0;

        for (int k = last > 3 ? last - 2 : 1; k <= last; k++) {
            ca += a.cap_comm[k][c];
            da += a.cap_done[k][c];
            re += b.cap_real[k][c];
            na += a.cap_n[k][c];
            cb += b.cap_comm[k][c];
            db += b.cap_done[k][c];
            nb += b.cap_n[k][c];
        }
        if (na > 0 && nb > 0)
            printf("| %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f |\n", c, nb, ca / na, cb / nb, da / na,
                   db / nb, re / nb);
    }
    printf("\nDecision latency (POST /orchestrate/project/{id}, one at a time, sprint-creating decisions):\n\n");
    printf("| run | decisions | client p50 | client p95 | server decision_ms p50 | p95 |\n|---|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < 2; i++) {
        sim_run_t *r = i == 0 ? &a : &b;
        int n = r->nlat;

        printf("| %s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms |\n", r->mode, n, pct(r->client, n, 0.5),
               pct(r->client, n, 0.95), pct(r->server, n, 0.5), pct(r->server, n, 0.95));
    }
    {
        sim_agg_t la = agg(&a, last > 3 ? last - 2 : 1, last), lb = agg(&b, last > 3 ? last - 2 : 1, last);
        double ea = la.err / la.cnt, eb = lb.err / lb.cnt, ra = la.rate / la.cnt, rb = lb.rate / lb.cnt;

        printf("\nsummary: err_reduction_percent=%.1f completion_gain_percent=%.1f target_err=%s target_completion=%s\n",
               ea > 0 ? 100.0 * (ea - eb) / ea : 0.0, ra > 0 ? 100.0 * (rb - ra) / ra : 0.0,
               ea > 0 && (ea - eb) / ea >= 0.20 ? "met" : "not_met",
               ra > 0 && (rb - ra) / ra >= 0.10 ? "met" : "not_met");
    }
    free(a.client);
    free(a.server);
    free(b.client);
    free(b.server);
    return 0;
}

/* ---------------------------------------------------------------- main */

static void usage(void)
{
    fprintf(stderr, "usage: sim_decisions run --url URL --mode MODE --seed N [--projects N] [--sprints N]\n"
                    "                     [--start YYYY-MM-DD] [--pto-percent P] [--variation P] [--prefix X] [--out F]\n"
                    "       sim_decisions report A.tsv B.tsv\n");
    exit(2);
}

int main(int argc, char **argv)
{
    sim_opts_t o = {.url = "http://127.0.0.1:13080", .mode = "rule_based_only", .prefix = "SIM",
                    .start = "2025-09-01", .seed = 42, .projects = 50, .sprints = 10,
                    .pto_percent = 30, .variation = 15};

    if (argc >= 4 && strcmp(argv[1], "report") == 0)
        return report(argv[2], argv[3]);
    if (argc < 2 || strcmp(argv[1], "run") != 0)
        usage();
    for (int i = 2; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];

        if (!strcmp(k, "--url"))
            o.url = v;
        else if (!strcmp(k, "--mode"))
            o.mode = v;
        else if (!strcmp(k, "--seed"))
            o.seed = strtoull(v, NULL, 10);
        else if (!strcmp(k, "--projects"))
            o.projects = atoi(v);
        else if (!strcmp(k, "--sprints"))
            o.sprints = atoi(v);
        else if (!strcmp(k, "--start"))
            o.start = v;
        else if (!strcmp(k, "--pto-percent"))
            o.pto_percent = atoi(v);
        else if (!strcmp(k, "--variation"))
            o.variation = atoi(v);
        else if (!strcmp(k, "--prefix"))
            o.prefix = v;
        else if (!strcmp(k, "--out"))
            o.out = v;
        else
            usage();
    }
    if (o.projects < 1 || o.projects > MAX_PROJECTS || o.sprints < 1 || o.sprints > MAX_SPRINTS ||
        o.pto_percent < 0 || o.pto_percent > 100 || o.variation < 0 || o.variation > 90 ||
        strlen(o.prefix) < 1 || strlen(o.prefix) > 8)
        usage();
    return run(&o);
}
