/* orc_logic.c — gate, combiner and pattern arithmetic of the orchestrator (see orc_logic.h). */
#include "orc_logic.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

double orc_round_even(double x)
{
    double r = round(x);

    if (fabs(x - trunc(x)) == 0.5)
        r = 2.0 * round(x / 2.0);
    return r == 0 ? 0 : r; /* no -0 */
}

double orc_round_n(double x, int decimals)
{
    double f = pow(10.0, decimals);
    double v = orc_round_even(x * f) / f;

    return v == 0 ? 0 : v;
}

double orc_round2(double x)
{
    return orc_round_n(x, 2);
}

orc_field_e orc_field_kind(const char *field)
{
    if (field != NULL && strcmp(field, "tasks_to_assign") == 0)
        return ORC_F_TASKS;
    if (field != NULL && strcmp(field, "sprint_duration_weeks") == 0)
        return ORC_F_WEEKS;
    return ORC_F_OTHER;
}

void orc_gate_defaults(orc_gate_t *g)
{
    *g = (orc_gate_t){.confidence_threshold = 0.5,
                      .min_similar_projects = 3,
                      .min_duration_evidence = 1,
                      .max_task_adjustment_percent = 0.5,
                      .task_difference_threshold = 1,
                      .min_weeks = 1,
                      .max_weeks = 4,
                      .max_week_change = 2,
                      .enable_tasks = 1,
                      .enable_weeks = 1};
}

const char *orc_gate_check(const orc_gate_t *g, orc_field_e f, double base, double value,
                           double confidence, int evidence, int unassigned, int creates_sprint,
                           char *buf, size_t n)
{
    double v = orc_round_even(value);

    if (f == ORC_F_OTHER)
        return snprintf(buf, n, "not a decision field"), buf;
    if (!isfinite(value) || !isfinite(confidence))
        return snprintf(buf, n, "not a number"), buf;
    if ((f == ORC_F_TASKS && !g->enable_tasks) || (f == ORC_F_WEEKS && !g->enable_weeks))
        return snprintf(buf, n, "adjustment disabled"), buf;
    if (!creates_sprint)
        return snprintf(buf, n, "no sprint is created"), buf;
    /* compare on 4 decimals so 0.5 passes a 0.50 threshold whatever the binary noise */
    if (orc_round_n(confidence, 4) < orc_round_n(g->confidence_threshold, 4))
        return snprintf(buf, n, "confidence %.2f < %.2f", confidence, g->confidence_threshold),
               buf;
    if (f == ORC_F_TASKS && evidence < g->min_similar_projects)
        return snprintf(buf, n, "evidence %d < %d", evidence, g->min_similar_projects), buf;
    if (f == ORC_F_WEEKS && evidence < g->min_duration_evidence)
        return snprintf(buf, n, "evidence %d < %d", evidence, g->min_duration_evidence), buf;
    if (f == ORC_F_TASKS) {
        if (v < 0)
            return snprintf(buf, n, "out of range 0..%d", unassigned), buf;
        if (v > unassigned)
            return snprintf(buf, n, "above %d unassigned tasks", unassigned), buf;
        if (base <= 0) {
            if (v != 0)
                return snprintf(buf, n, "change from 0"), buf;
        } else {
            double pct = fabs(v - base) / base;

            if (orc_round_n(pct, 6) > orc_round_n(g->max_task_adjustment_percent, 6))
                return snprintf(buf, n, "change %.0f%% > %.0f%%", pct * 100,
                                g->max_task_adjustment_percent * 100),
                       buf;
        }
    } else {
        if (v < g->min_weeks || v > g->max_weeks)
            return snprintf(buf, n, "out of range %d..%d", g->min_weeks, g->max_weeks), buf;
        if (fabs(v - base) > g->max_week_change)
            return snprintf(buf, n, "change %.0f weeks > %d", fabs(v - base), g->max_week_change),
                   buf;
    }
    return NULL;
}

double orc_gate_limit(const orc_gate_t *g, orc_field_e f, double base, double value,
                      int unassigned)
{
    double v = orc_round_even(value), lo, hi;

    if (!isfinite(value))
        return value;
    if (f == ORC_F_TASKS) {
        if (base <= 0)
            return 0;
        /* the allowed band, rounded inwards so the limited value always passes the gate */
        lo = ceil(base * (1.0 - g->max_task_adjustment_percent) - 1e-9);
        hi = floor(base * (1.0 + g->max_task_adjustment_percent) + 1e-9);
        if (lo < 0)
            lo = 0;
        if (hi > unassigned)
            hi = unassigned;
    } else if (f == ORC_F_WEEKS) {
        lo = fmax(base - g->max_week_change, g->min_weeks);
        hi = fmin(base + g->max_week_change, g->max_weeks);
    } else {
        return v;
    }
    if (hi < lo)
        return v; /* nothing allowed: let the gate say why */
    return v < lo ? lo : v > hi ? hi : v;
}

size_t orc_combine(const orc_gate_t *g, orc_field_e f, double base, const orc_prop_t *p,
                   size_t n, double *share, double *moved, orc_comb_t *out)
{
    double sw = 0, swv = 0, swc = 0;

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < n; i++) {
        double w = p[i].weight * p[i].confidence;

        if (share)
            share[i] = 0;
        if (moved)
            moved[i] = 0;
        if (!(w > 0))
            continue;
        sw += w;
        swv += w * orc_round_even(p[i].value);
        swc += w * p[i].confidence;
        out->evidence += p[i].evidence;
        out->used++;
    }
    if (out->used == 0) {
        out->raw = out->applied = base;
        return 0;
    }
    out->raw = swv / sw;
    out->applied = orc_round_even(out->raw);
    out->confidence = swc / sw;
    for (size_t i = 0; i < n; i++) {
        double w = p[i].weight * p[i].confidence;

        if (!(w > 0))
            continue;
        if (share)
            share[i] = orc_round_n(w / sw, 4);
        if (moved)
            moved[i] = orc_round2(w / sw * (orc_round_even(p[i].value) - base));
    }
    if (f == ORC_F_TASKS)
        out->changes = fabs(out->applied - base) > g->task_difference_threshold;
    else
        out->changes = out->applied != base;
    return out->used;
}

int orc_velocity_trend(const double *y, size_t n, orc_velocity_t *out)
{
    double mx, my, sxy = 0, sxx = 0, slope = 0;

    if (n == 0)
        return -1;
    out->current = y[n - 1];
    out->min = out->max = y[0];
    for (size_t i = 1; i < n; i++) {
        out->min = y[i] < out->min ? y[i] : out->min;
        out->max = y[i] > out->max ? y[i] : out->max;
    }
    if (n >= 2) {
        mx = (double)(n - 1) / 2.0;
        my = 0;
        for (size_t i = 0; i < n; i++)
            my += y[i];
        my /= (double)n;
        for (size_t i = 0; i < n; i++) {
            sxy += ((double)i - mx) * (y[i] - my);
            sxx += ((double)i - mx) * ((double)i - mx);
        }
        slope = sxx > 0 ? sxy / sxx : 0;
    }
    slope = orc_round_n(slope, 4);
    out->slope = slope;
    out->direction = slope > 0.1 ? "increasing" : slope < -0.1 ? "decreasing" : "stable";
    out->confidence = orc_round2(fmin((double)n / 10.0, 1.0) * (1.0 - fabs(slope)));
    if (out->confidence < 0) /* fix #10 */
        out->confidence = 0;
    if (out->confidence > 1)
        out->confidence = 1;
    return 0;
}

int orc_success_indicators(const double *opt, const double *days, const double *completion,
                           size_t n, orc_success_t *out)
{
    double so = 0, sd = 0;
    size_t no = 0, good = 0;

    memset(out, 0, sizeof(*out));
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (opt[i] > 0) {
            so += opt[i];
            no++;
        }
        sd += days[i];
        good += completion[i] > 0.8;
    }
    out->has_optimal = no > 0;
    out->optimal_tasks = no > 0 ? orc_round_even(so / (double)no) : 0;
    out->recommended_weeks = orc_round_even(sd / (double)n / 7.0);
    if (out->recommended_weeks < 1)
        out->recommended_weeks = 1;
    out->success_probability = orc_round2((double)good / (double)n);
    return 0;
}

double orc_chronicle_confidence(size_t nsim, double mean_similarity, int have_v, double vconf,
                                int have_sp, double sp)
{
    double score = 0;

    if (nsim > 0)
        score += 0.3 + 0.2 * mean_similarity;
    if (have_v && vconf > 0.3)
        score += 0.3 * vconf;
    if (have_sp && sp > 0.6)
        score += 0.2 * sp;
    score = orc_round2(score);
    return score > 1.0 ? 1.0 : score;
}

int orc_uuid_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n != 36)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

double orc_capacity_estimate(int committed, int completed, const int *done, const int *total,
                             size_t ndays, int *days_done)
{
    double est;

    *days_done = 0;
    for (size_t i = 0; i < ndays; i++)
        if (total[i] > 0 && done[i] >= total[i]) {
            *days_done = (int)i + 1;
            break;
        }
    /* done clearly early only: in at most 3/4 of the days (a day's pace varies; a finish one
     * day before the end is within that noise and says little about spare capacity) */
    if (committed <= 0 || completed < committed || *days_done == 0 ||
        4 * (size_t)*days_done > 3 * ndays)
        return completed;
    est = (double)committed * (double)ndays / (double)*days_done;
    return est > 2.0 * committed ? 2.0 * committed : est;
}
