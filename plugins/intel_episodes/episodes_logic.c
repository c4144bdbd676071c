/*
 * episodes_logic.c — reading episodes, the memory bridge and the insight of the "episodes"
 * source. The algorithm and its differences from the original are in episodes_logic.h.
 */
#include "episodes_logic.h"

#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- JSON helpers */

static json_object *ep_at(const json_object *o, const char *path)
{
    char key[64];
    json_object *cur = (json_object *)o;

    while (cur && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof(key) || !json_object_is_type(cur, json_type_object))
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        if (!json_object_object_get_ex(cur, key, &cur))
            return NULL;
        path += n + (path[n] == '.');
    }
    return cur;
}

/* A finite number ≥ 0 at path, or -1. */
static double ep_num(const json_object *o, const char *path)
{
    json_object *v = ep_at(o, path);

    if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
        double d = json_object_get_double(v);
        if (isfinite(d) && d >= 0)
            return d;
    }
    return -1;
}

/* The first known number of the paths (a whole count: rounded half to even), or -1. */
static long ep_count(const json_object *o, const char *const *paths)
{
    for (size_t i = 0; paths[i]; i++) {
        json_object *v = ep_at(o, paths[i]);
        double d;
        if (json_object_is_type(v, json_type_object)) /* {"count": n} (the original's tasks_assigned) */
            v = ep_at(v, "count");
        if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
            continue;
        d = json_object_get_double(v);
        if (isfinite(d) && d >= 0 && d < 1e9)
            return ep_round_half_even(d);
    }
    return -1;
}

static double ep_first_num(const json_object *o, const char *const *paths)
{
    for (size_t i = 0; paths[i]; i++) {
        double d = ep_num(o, paths[i]);
        if (d >= 0)
            return d;
    }
    return -1;
}

static void ep_copy_str(char *dst, size_t cap, const json_object *o, const char *key)
{
    json_object *v = ep_at(o, key);

    dst[0] = '\0';
    if (json_object_is_type(v, json_type_string))
        snprintf(dst, cap, "%s", json_object_get_string(v));
}

static double ep_r4(double x)
{
    return round(x * 10000.0) / 10000.0;
}

long ep_round_half_even(double x)
{
    double f = floor(x), d = x - f;

    if (d > 0.5)
        return (long)f + 1;
    if (d < 0.5)
        return (long)f;
    return fmod(f, 2.0) == 0.0 ? (long)f : (long)f + 1;
}

/* days since 1970-01-01 of a civil date (H. Hinnant's algorithm) */
static long ep_days(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int ep_digits(const char *s, int n, long *out)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

double ep_iso_seconds(const char *s)
{
    long y, mo, d, h, mi, se, oh = 0, om = 0;
    double frac = 0;

    if (!s || strlen(s) < 19 || ep_digits(s, 4, &y) || s[4] != '-' || ep_digits(s + 5, 2, &mo) ||
        s[7] != '-' || ep_digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
        ep_digits(s + 11, 2, &h) || s[13] != ':' || ep_digits(s + 14, 2, &mi) || s[16] != ':' ||
        ep_digits(s + 17, 2, &se) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        se > 60)
        return -1;
    s += 19;
    if (*s == '.') {
        double scale = 0.1;
        for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
            frac += (*s - '0') * scale;
    }
    if (*s == 'Z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s == '-' ? -1 : 1;
        if (ep_digits(s + 1, 2, &oh))
            return -1;
        s += 3;
        if (*s == ':')
            s++;
        if (*s && ep_digits(s, 2, &om))
            return -1;
        if (*s)
            s += 2;
        oh *= sign;
        om *= sign;
    }
    if (*s)
        return -1;
    return (double)ep_days(y, mo, d) * 86400.0 + (double)(h * 3600 + mi * 60 + se) + frac -
           (double)(oh * 3600 + om * 60);
}

/* ---------------------------------------------------------------------- reading */

void ep_episode_from_json(const json_object *e, ep_episode_t *out)
{
    static const char *const committed[] = {"outcome.committed", "outcome.metrics.total_tasks",
                                            "outcome.planned.tasks_to_assign",
                                            "decision.tasks_to_assign", "actions.tasks_assigned",
                                            "actions.tasks_to_assign", NULL};
    static const char *const completed[] = {"outcome.completed", "outcome.metrics.completed_tasks",
                                            NULL};
    static const char *const quality[] = {"outcome_quality", "outcome.quality_score",
                                          "outcome.completion_rate",
                                          "outcome.metrics.completion_rate", NULL};
    static const char *const weeks[] = {"outcome.planned.sprint_duration_weeks",
                                        "decision.sprint_duration_weeks",
                                        "context.options.sprint_duration_weeks", NULL};
    static const char *const team[] = {"context.team.size", "outcome.team_size",
                                       "context.project_data.team_size", NULL};
    json_object *outcome = ep_at(e, "outcome");

    memset(out, 0, sizeof(*out));
    ep_copy_str(out->episode_id, sizeof(out->episode_id), e, "episode_id");
    ep_copy_str(out->project_id, sizeof(out->project_id), e, "project_id");
    json_object *ts = ep_at(e, "timestamp");
    out->ts = json_object_is_type(ts, json_type_string) ? ep_iso_seconds(json_object_get_string(ts)) : -1;
    json_object *s = ep_at(e, "similarity");
    out->similarity = (json_object_is_type(s, json_type_double) || json_object_is_type(s, json_type_int))
                          ? json_object_get_double(s)
                          : -1;
    if (!isfinite(out->similarity))
        out->similarity = -1;
    out->capacity = ep_first_num(e, (const char *const[]){"outcome.capacity_estimate", NULL});
    out->committed = ep_count(e, committed);
    out->completed = ep_count(e, completed);
    out->quality = ep_first_num(e, quality);
    out->weeks = ep_count(e, weeks);
    out->team_size = ep_count(e, team);
    out->has_outcome = json_object_is_type(outcome, json_type_object) || out->quality >= 0;
    if (!out->has_outcome) {
        out->quality = -1;
        out->completed = -1;
        return;
    }
    if (out->quality > 1)
        out->quality = 1;
    if (out->completed < 0 && out->quality >= 0 && out->committed > 0)
        out->completed = ep_round_half_even(out->quality * (double)out->committed);
    if (out->quality < 0 && out->completed >= 0 && out->committed > 0) {
        out->quality = (double)out->completed / (double)out->committed;
        if (out->quality > 1)
            out->quality = 1;
    }
}

void ep_params_from_json(ep_params_t *p, const json_object *perception, const json_object *baseline)
{
    static const char *const team[] = {"team.size", "project_data.team_size", "team_size", NULL};
    static const char *const weeks[] = {"options.sprint_duration_weeks", NULL};
    static const char *const bweeks[] = {"sprint_duration_weeks", NULL};
    static const char *const unassigned[] = {"backlog.unassigned", "backlog_summary.unassigned_tasks",
                                             "unassigned_tasks", NULL};

    memset(p, 0, sizeof(*p));
    p->min_similarity = EP_MIN_SIMILARITY;
    p->min_support = EP_MIN_SUPPORT;
    p->scale = 1;
    p->team_size = ep_count(perception, team);
    p->weeks = ep_count(baseline, bweeks);
    if (p->weeks < 0)
        p->weeks = ep_count(perception, weeks);
    p->max_tasks = ep_count(perception, unassigned);
    json_object *gen = ep_at(perception, "generated_at");
    p->cutoff = json_object_is_type(gen, json_type_string) ? ep_iso_seconds(json_object_get_string(gen)) : -1;
}

/* ---------------------------------------------------------------------- the bridge */

static int ep_after_cutoff(const ep_episode_t *e, const ep_params_t *p)
{
    return p->cutoff > 0 && e->ts > 0 && e->ts >= p->cutoff;
}

size_t ep_count_after_cutoff(const ep_episode_t *eps, size_t n, const ep_params_t *p)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += (size_t)ep_after_cutoff(&eps[i], p);
    return k;
}

static int ep_usable(const ep_episode_t *e, const ep_params_t *p)
{
    return e->has_outcome && e->similarity >= p->min_similarity && e->committed > 0 &&
           e->completed >= 0 && e->quality >= 0 && e->team_size > 0 && !ep_after_cutoff(e, p);
}

double ep_capacity(const ep_episode_t *e, const ep_params_t *p)
{
    double f = 1.0;

    if (p->scale && p->team_size > 0 && e->team_size > 0)
        f *= (double)p->team_size / (double)e->team_size;
    if (p->scale && p->weeks > 0 && e->weeks > 0)
        f *= (double)p->weeks / (double)e->weeks;
    if (f < EP_SCALE_MIN)
        f = EP_SCALE_MIN;
    if (f > EP_SCALE_MAX)
        f = EP_SCALE_MAX;
    /* A sprint that completed everything it held shows only a lower bound of the capacity (the
     * team might have done more). When its daily reports showed it done before its last day,
     * the outcome carries the capacity that pace implies (capacity_estimate, ORCHESTRATOR.md
     * §8). Otherwise it counts one task more, as the evolution does for groups completed
     * ≥ 95 % (§11). Without either a cautious count is self-confirming: 5 of 5 done → propose
     * 5 → 5 of 5 done … and the count can never grow back. */
    if (e->capacity > e->completed && e->committed > 0 && e->completed >= e->committed)
        return e->capacity * f;
    return ((double)e->completed + (e->committed > 0 && e->completed >= e->committed ? 1.0 : 0.0)) * f;
}

static void ep_task_pattern(const ep_episode_t *eps, size_t n, const unsigned char *used,
                            const ep_params_t *p, ep_pattern_t *t, unsigned char *support)
{
    double sw = 0, swc = 0, s_sup = 0, succ = 0;
    int n_sup = 0;

    for (size_t i = 0; i < n; i++)
        if (used[i]) {
            sw += eps[i].similarity;
            swc += eps[i].similarity * ep_capacity(&eps[i], p);
        }
    if (sw <= 0)
        return;
    t->raw = swc / sw;
    t->value = ep_round_half_even(t->raw);
    if (p->max_tasks >= 1 && t->value > p->max_tasks)
        t->value = p->max_tasks;
    if (t->value < 1)
        t->value = 1;
    for (size_t i = 0; i < n; i++) {
        if (!used[i])
            continue;
        double c = ep_capacity(&eps[i], p), r = c / (double)t->value;
        succ += eps[i].similarity * (r < 1 ? r : 1);
        if (fabs(c - (double)t->value) <= 1.0 + 1e-9) {
            n_sup++;
            s_sup += eps[i].similarity;
            if (support)
                support[i] = 1;
        }
    }
    t->has = 1;
    t->evidence = n_sup;
    t->success_rate = succ / sw;
    t->confidence = n_sup ? (s_sup / sw) * (s_sup / n_sup) * t->success_rate : 0;
}

static void ep_week_pattern(const ep_episode_t *eps, size_t n, const unsigned char *used,
                            const ep_params_t *p, ep_pattern_t *w)
{
    long best = -1;
    double best_q = -1, best_s = 0;
    int best_n = 0, n_w = 0;

    for (size_t i = 0; i < n; i++)
        if (used[i] && eps[i].weeks >= 1 && eps[i].weeks <= 8)
            n_w++;
    for (long wk = 1; wk <= 8; wk++) {
        double q = 0, s = 0;
        int cnt = 0;
        for (size_t i = 0; i < n; i++)
            if (used[i] && eps[i].weeks == wk) {
                q += eps[i].quality;
                s += eps[i].similarity;
                cnt++;
            }
        if (cnt < p->min_support || cnt == 0)
            continue;
        q /= cnt;
        s /= cnt;
        if (q < EP_SUCCESS_QUALITY - 1e-12)
            continue;
        /* strictly better, or as good and the baseline's duration (weeks ascend: shorter wins) */
        if (q > best_q + 1e-12 || (fabs(q - best_q) <= 1e-12 && wk == p->weeks)) {
            best = wk;
            best_q = q;
            best_s = s;
            best_n = cnt;
        }
    }
    if (best < 0)
        return;
    w->has = 1;
    w->value = best;
    w->raw = (double)best;
    w->success_rate = best_q;
    w->evidence = best_n;
    w->confidence = ((double)best_n / (double)n_w) * best_q * best_s;
}

void ep_bridge(const ep_episode_t *eps, size_t n, const ep_params_t *p, ep_context_t *out,
               unsigned char *used_out, unsigned char *support_out)
{
    unsigned char *used = calloc(n ? n : 1, 1), *support = calloc(n ? n : 1, 1);
    double sq = 0, sq2 = 0, ss = 0, pc = 0;
    size_t nu = 0;
    int npat = 0;

    memset(out, 0, sizeof(*out));
    out->retrieved = n;
    if (!used || !support)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (!ep_usable(&eps[i], p))
            continue;
        int dup = 0;
        for (size_t j = 0; j < i && eps[i].episode_id[0]; j++)
            if (used[j] && !strcmp(eps[j].episode_id, eps[i].episode_id))
                dup = 1;
        if (dup)
            continue;
        used[i] = 1;
        nu++;
        ss += eps[i].similarity;
        sq += eps[i].quality;
        sq2 += eps[i].quality * eps[i].quality;
    }
    out->used = nu;
    if (nu == 0)
        goto out;
    out->avg_similarity = ss / (double)nu;
    out->avg_quality = sq / (double)nu;
    double sd = 0;
    if (nu >= 2) {
        double var = (sq2 - (double)nu * out->avg_quality * out->avg_quality) / (double)(nu - 1);
        sd = var > 0 ? sqrt(var) : 0;
    }
    /* (#with quality / n) = 1: every used episode has a quality */
    out->success_confidence = 1 - sd > 0.5 ? 1 - sd : 0.5;
    ep_task_pattern(eps, n, used, p, &out->tasks, support);
    ep_week_pattern(eps, n, used, p, &out->weeks);
    if (out->tasks.has) {
        pc += out->tasks.confidence;
        npat++;
    }
    if (out->weeks.has) {
        pc += out->weeks.confidence;
        npat++;
    }
    double cover = (double)nu / 5.0 > 1 ? 1 : (double)nu / 5.0;
    out->overall_confidence = (cover + out->avg_quality + out->success_confidence +
                               (npat ? pc / npat : 0)) /
                              (npat ? 4.0 : 3.0);
    out->context_quality = 0.7 * ((double)nu / (double)n) + 0.3 * out->avg_similarity;
    out->pattern_weight = 0.6 * cover + 0.4 * out->avg_quality;
    if (out->pattern_weight > 0.8)
        out->pattern_weight = 0.8;
out:
    for (size_t i = 0; i < n; i++) {
        if (used_out)
            used_out[i] = used ? used[i] : 0;
        if (support_out)
            support_out[i] = support ? support[i] : 0;
    }
    free(used);
    free(support);
}

/* ---------------------------------------------------------------------- texts */

void ep_reason_tasks(const ep_context_t *c, char *buf, size_t cap)
{
    snprintf(buf, cap,
             "%d of %zu similar past sprints (avg similarity %.2f) completed about %ld tasks "
             "(weighted mean %.1f); expected completion %.0f%%",
             c->tasks.evidence, c->used, c->avg_similarity, c->tasks.value, c->tasks.raw,
             c->tasks.success_rate * 100.0);
}

void ep_reason_weeks(const ep_context_t *c, char *buf, size_t cap)
{
    snprintf(buf, cap, "%d similar past sprints of %ld weeks reached %.0f%% average completion",
             c->weeks.evidence, c->weeks.value, c->weeks.success_rate * 100.0);
}

static void ep_line(json_object *arr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ep_line(json_object *arr, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    json_object_array_add(arr, json_object_new_string(buf));
}

static json_object *ep_pattern_json(const char *type, const ep_pattern_t *pt)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "pattern_type", json_object_new_string(type));
    json_object_object_add(o, "pattern_value", json_object_new_int64(pt->value));
    json_object_object_add(o, "success_rate", json_object_new_double(ep_r4(pt->success_rate)));
    json_object_object_add(o, "episode_count", json_object_new_int(pt->evidence));
    json_object_object_add(o, "confidence", json_object_new_double(ep_r4(pt->confidence)));
    return o;
}

static json_object *ep_long_or_null(long v)
{
    return v >= 0 ? json_object_new_int64(v) : NULL;
}

json_object *ep_insight(const ep_episode_t *eps, size_t n, const unsigned char *used,
                        const ep_context_t *c, const ep_params_t *p)
{
    json_object *o = json_object_new_object(), *pats = json_object_new_array();
    json_object *contrib = json_object_new_array(), *lines = json_object_new_array();
    json_object *risks = json_object_new_array();
    int memory_lines = 0;

    json_object_object_add(o, "episodes_retrieved", json_object_new_int64((int64_t)c->retrieved));
    json_object_object_add(o, "episodes_used", json_object_new_int64((int64_t)c->used));
    json_object_object_add(o, "average_similarity", json_object_new_double(ep_r4(c->avg_similarity)));
    json_object_object_add(o, "average_success_rate", json_object_new_double(ep_r4(c->avg_quality)));
    json_object_object_add(o, "success_rate_confidence",
                           json_object_new_double(ep_r4(c->success_confidence)));
    if (c->tasks.has)
        json_object_array_add(pats, ep_pattern_json("task_count", &c->tasks));
    if (c->weeks.has)
        json_object_array_add(pats, ep_pattern_json("sprint_duration", &c->weeks));
    json_object_object_add(o, "patterns", pats);
    json_object_object_add(o, "recommended_task_count", c->tasks.has ? json_object_new_int64(c->tasks.value) : NULL);
    json_object_object_add(o, "recommended_sprint_duration_weeks",
                           c->weeks.has ? json_object_new_int64(c->weeks.value) : NULL);
    json_object_object_add(o, "overall_recommendation_confidence",
                           json_object_new_double(ep_r4(c->overall_confidence)));
    json_object_object_add(o, "context_quality_score", json_object_new_double(ep_r4(c->context_quality)));
    json_object_object_add(o, "pattern_confidence_weight", json_object_new_double(ep_r4(c->pattern_weight)));
    json_object_object_add(o, "confidence", json_object_new_double(ep_r4(c->overall_confidence)));
    for (size_t i = 0; used && i < n; i++) {
        const ep_episode_t *e = &eps[i];
        if (!used[i])
            continue;
        json_object *x = json_object_new_object();
        double cap = ep_capacity(e, p);
        json_object_object_add(x, "episode_id", json_object_new_string(e->episode_id));
        json_object_object_add(x, "project_id", json_object_new_string(e->project_id));
        json_object_object_add(x, "similarity", json_object_new_double(ep_r4(e->similarity)));
        json_object_object_add(x, "outcome_quality", json_object_new_double(ep_r4(e->quality)));
        json_object_object_add(x, "tasks_committed", ep_long_or_null(e->committed));
        json_object_object_add(x, "tasks_completed", ep_long_or_null(e->completed));
        json_object_object_add(x, "sprint_duration_weeks", ep_long_or_null(e->weeks));
        json_object_object_add(x, "team_size", ep_long_or_null(e->team_size));
        json_object_object_add(x, "capacity", json_object_new_double(ep_r4(cap)));
        json_object_object_add(x, "supports_task_count",
                               json_object_new_boolean(c->tasks.has && fabs(cap - (double)c->tasks.value) <= 1.0 + 1e-9));
        json_object_array_add(contrib, x);
        if (e->quality < 0.6 && json_object_array_length(risks) < 3) {
            char buf[256];
            snprintf(buf, sizeof(buf), "Episode %.8s (%s) completed only %.0f%% of its sprint (%ld of %ld tasks)",
                     e->episode_id, e->project_id, e->quality * 100.0, e->completed, e->committed);
            json_object_array_add(risks, json_object_new_string(buf));
        }
    }
    json_object_object_add(o, "contributing_episodes", contrib);
    json_object_object_add(o, "risk_factors", risks);
    json_object_object_add(o, "episodes_after_decision",
                           json_object_new_int64((int64_t)ep_count_after_cutoff(eps, n, p)));

    if (c->retrieved == 0) {
        ep_line(lines, "Episode memory: no similar past decisions found.");
    } else if (c->used == 0) {
        ep_line(lines, "Episode memory: %zu similar past decisions found, none with a recorded outcome yet.",
                c->retrieved);
    } else {
        ep_line(lines, "Episode memory: %zu similar past decisions analyzed with %.1f%% average similarity.",
                c->used, c->avg_similarity * 100.0);
        ep_line(lines, "Similar projects achieved %.0f%% success rate across %zu episodes.",
                c->avg_quality * 100.0, c->used);
        if (c->tasks.has && c->tasks.confidence > 0.6) {
            ep_line(lines, "Memory insight: similar sprints completed about %ld tasks (%.0f%% confidence, %d episodes).",
                    c->tasks.value, c->tasks.confidence * 100.0, c->tasks.evidence);
            memory_lines++;
        }
        if (c->weeks.has && c->weeks.confidence > 0.6 && memory_lines < 2)
            ep_line(lines, "Memory insight: %ld-week sprints worked best (%.0f%% success over %d episodes).",
                    c->weeks.value, c->weeks.success_rate * 100.0, c->weeks.evidence);
    }
    json_object_object_add(o, "summary_lines", lines);
    json_object *sc = json_object_new_object();
    json_object_object_add(sc, "team_size", ep_long_or_null(p->team_size));
    json_object_object_add(sc, "sprint_duration_weeks", ep_long_or_null(p->weeks));
    json_object_object_add(sc, "applied", json_object_new_boolean(p->scale));
    json_object_object_add(o, "scaled_to", sc);
    return o;
}

/* ---------------------------------------------------------------------- requests */

json_object *ep_query_context(const json_object *perception)
{
    static const char *const drop[] = {"project", "chronicle", "schedules", "history", NULL};
    json_object *ctx;

    if (!json_object_is_type(perception, json_type_object))
        return NULL;
    ctx = json_object_new_object();
    json_object_object_foreach((json_object *)perception, key, val)
    {
        int skip = 0;
        for (size_t i = 0; drop[i]; i++)
            if (!strcmp(key, drop[i]))
                skip = 1;
        if (skip)
            continue;
        json_object *copy = NULL;
        if (val && json_object_deep_copy(val, &copy, NULL) != 0) {
            json_object_put(ctx);
            return NULL;
        }
        json_object_object_add(ctx, key, copy);
    }
    return ctx;
}

json_object *ep_search_body(json_object *context, int k, double min_similarity, const char *project_id)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "context", context);
    json_object_object_add(o, "k", json_object_new_int(k));
    json_object_object_add(o, "min_similarity", json_object_new_double(min_similarity));
    if (project_id && *project_id)
        json_object_object_add(o, "project_id", json_object_new_string(project_id));
    return o;
}

