/* chronicle_logic.c — Chronicle analytics → trend, indicators, confidence, proposals
 * (spec/orchestrator.md §3.3–§3.4); see chronicle_logic.h. */
#include "chronicle_logic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void chi_config_defaults(chi_config_t *c)
{
    c->similarity_threshold = 0.7;
    c->min_similarity_for_proposal = 0.5;
    c->min_confidence_for_task = 0.5;
    c->task_difference_threshold = 1;
    c->min_velocity_conf_scoring = 0.3;
    c->min_velocity_conf_duration = 0.5;
    c->success_rate_cut = 0.8;
    c->success_probability_scoring = 0.6;
    c->min_weeks = 1;
    c->max_weeks = 4;
}

double chi_round(double x, int nd)
{
    double m = pow(10.0, nd);

    return nearbyint(x * m) / m; /* FE_TONEAREST: half to even, as Python's round() */
}

void chi_velocity(const double *y, size_t n, chi_velocity_t *v)
{
    double xm, ym = 0, sxy = 0, sxx = 0, conf;

    memset(v, 0, sizeof(*v));
    v->direction = "stable";
    if (n == 0)
        return;
    v->present = 1;
    v->n = n;
    v->current = y[n - 1];
    v->min = v->max = y[0];
    for (size_t i = 0; i < n; i++) {
        ym += y[i];
        v->min = y[i] < v->min ? y[i] : v->min;
        v->max = y[i] > v->max ? y[i] : v->max;
    }
    ym /= (double)n;
    v->average = ym;
    xm = (double)(n - 1) / 2.0;
    for (size_t i = 0; n >= 2 && i < n; i++) {
        sxy += ((double)i - xm) * (y[i] - ym);
        sxx += ((double)i - xm) * ((double)i - xm);
    }
    v->slope = sxx > 0 ? chi_round(sxy / sxx, 4) : 0.0;
    if (v->slope > 0.1)
        v->direction = "increasing";
    else if (v->slope < -0.1)
        v->direction = "decreasing";
    conf = chi_round(fmin((double)n / 10.0, 1.0) * (1.0 - fabs(v->slope)), 2);
    v->confidence = conf < 0 ? 0 : conf > 1 ? 1 : conf; /* #10 */
}

void chi_success(const chi_config_t *c, const chi_similar_t *s, size_t n, chi_success_t *out)
{
    double opt_sum = 0, days_sum = 0;
    size_t nopt = 0, ndays = 0, good = 0;

    memset(out, 0, sizeof(*out));
    if (n == 0)
        return;
    out->present = 1;
    for (size_t i = 0; i < n; i++) {
        if (s[i].optimal_task_count > 0) {
            opt_sum += (double)s[i].optimal_task_count;
            nopt++;
        }
        if (s[i].avg_sprint_duration_days > 0) {
            days_sum += s[i].avg_sprint_duration_days;
            ndays++;
        }
        if (s[i].completion_rate > c->success_rate_cut)
            good++;
    }
    if (nopt > 0) { /* #9: Chronicle's own optimal task counts, not the placeholder 6 */
        out->has_optimal = 1;
        out->optimal_tasks_per_sprint = (int64_t)nearbyint(opt_sum / (double)nopt);
    }
    if (ndays > 0) { /* #9: Chronicle reports days; a sprint duration is in weeks */
        int64_t w = (int64_t)nearbyint(days_sum / (double)ndays / 7.0);

        out->has_duration = 1;
        out->recommended_sprint_duration = w < c->min_weeks ? c->min_weeks
                                           : w > c->max_weeks ? c->max_weeks
                                                              : w;
    }
    out->success_probability = chi_round((double)good / (double)n, 2);
}

double chi_confidence(const chi_config_t *c, const chi_similar_t *s, size_t n,
                      const chi_velocity_t *v, const chi_success_t *si)
{
    double score = 0, sim = 0;

    if (n > 0) {
        for (size_t i = 0; i < n; i++)
            sim += s[i].similarity;
        score += 0.3 + 0.2 * (sim / (double)n);
    }
    if (v != NULL && v->present && v->confidence > c->min_velocity_conf_scoring)
        score += 0.3 * v->confidence;
    if (si != NULL && si->present && si->success_probability > c->success_probability_scoring)
        score += 0.2 * si->success_probability;
    score = chi_round(score, 2);
    return score > 1.0 ? 1.0 : score;
}

int chi_task_proposal(const chi_config_t *c, int64_t baseline, const chi_similar_t *s, size_t n,
                      chi_proposal_t *out)
{
    double opt_sum = 0, rate_sum = 0, sim_sum = 0, conf;
    size_t k = 0;
    int64_t opt;

    memset(out, 0, sizeof(*out));
    if (baseline <= 0) /* nothing is being assigned: a count to adjust does not exist */
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i].similarity <= c->min_similarity_for_proposal || s[i].optimal_task_count <= 0)
            continue;
        opt_sum += (double)s[i].optimal_task_count;
        rate_sum += s[i].completion_rate;
        sim_sum += s[i].similarity;
        k++;
    }
    if (k == 0)
        return 0;
    opt = (int64_t)nearbyint(opt_sum / (double)k);
    conf = rate_sum / (double)k;
    if (!(fabs((double)(baseline - opt)) > c->task_difference_threshold &&
          conf > c->min_confidence_for_task))
        return 0;
    out->proposed = 1;
    out->original = baseline;
    out->recommended = opt;
    out->confidence = chi_round(conf, 4);
    out->evidence_count = (int)k;
    snprintf(out->evidence_source, sizeof(out->evidence_source), "%zu similar projects analysis",
             k);
    snprintf(out->rationale, sizeof(out->rationale),
             "Historical analysis of %zu similar projects (avg similarity %.2f, avg confidence "
             "%.2f) suggests an optimal task count of %lld compared to the rule-based %lld.",
             k, sim_sum / (double)k, conf, (long long)opt, (long long)baseline);
    snprintf(out->expected_improvement, sizeof(out->expected_improvement),
             "Potentially higher completion rate based on historical data.");
    return 1;
}

int chi_duration_proposal(const chi_config_t *c, int64_t baseline, const chi_velocity_t *v,
                          chi_proposal_t *out)
{
    const char *how;
    int64_t d = baseline;

    memset(out, 0, sizeof(*out));
    if (v == NULL || !v->present || v->confidence < c->min_velocity_conf_duration)
        return 0;
    if (strcmp(v->direction, "increasing") == 0 && baseline > c->min_weeks) {
        d = baseline - 1 < c->min_weeks ? c->min_weeks : baseline - 1;
        how = "shorter";
    } else if (strcmp(v->direction, "decreasing") == 0 && baseline < c->max_weeks) {
        d = baseline + 1 > c->max_weeks ? c->max_weeks : baseline + 1;
        how = "longer";
    } else {
        return 0;
    }
    out->proposed = 1;
    out->original = baseline;
    out->recommended = d;
    out->confidence = v->confidence;
    out->evidence_count = (int)v->n;
    snprintf(out->evidence_source, sizeof(out->evidence_source), "velocity trend analysis");
    snprintf(out->rationale, sizeof(out->rationale),
             "Current team velocity is %s with %.2f confidence. Suggesting a %s duration of "
             "%lld weeks.",
             v->direction, v->confidence, how, (long long)d);
    return 1;
}

/* A number as Python prints an int, or a float with its repr-like shortest text. */
static void num_text(double x, char *buf, size_t n)
{
    if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, n, "%.0f", x);
    else
        snprintf(buf, n, "%.15g", x);
}

size_t chi_summary_lines(size_t nsimilar, const chi_velocity_t *v, const chi_success_t *si,
                         char lines[][256])
{
    char num[64], t[32], d[32];
    size_t np = 0;

    if (nsimilar > 0)
        snprintf(lines[np++], 256, "Found %zu similar projects.", nsimilar);
    if (v != NULL && v->present) {
        num_text(v->current, num, sizeof(num));
        snprintf(lines[np++], 256, "Team velocity trend is %s (current: %s).", v->direction, num);
    }
    if (si != NULL && si->present) {
        snprintf(t, sizeof(t), si->has_optimal ? "%lld" : "None",
                 (long long)si->optimal_tasks_per_sprint);
        snprintf(d, sizeof(d), si->has_duration ? "%lld" : "None",
                 (long long)si->recommended_sprint_duration);
        snprintf(lines[np++], 256,
                 "Based on similar projects, success probability is %.0f%% with optimal %s tasks "
                 "per sprint and %s-week duration.",
                 si->success_probability * 100.0, t, d);
    }
    if (np == 0)
        snprintf(lines[np++], 256,
                 "No significant patterns or insights identified from historical data.");
    return np;
}

size_t chi_insights_summary(size_t nsimilar, const chi_velocity_t *v, const chi_success_t *si,
                            char *buf, size_t n)
{
    char lines[3][256];
    size_t np = chi_summary_lines(nsimilar, v, si, lines), len = 0;

    if (n > 0)
        buf[0] = '\0';
    for (size_t i = 0; i < np; i++) {
        int l = snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, "%s%s",
                         i > 0 ? " " : "", lines[i]);
        len += l < 0 ? 0 : (size_t)l;
    }
    return len;
}
