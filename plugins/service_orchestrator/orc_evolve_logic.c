/* orc_evolve_logic.c — signatures, patterns, confidence and assessment (see the .h). */
#include "orc_evolve_logic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "orc_logic.h"

void orc_team_bucket(int team_size, int *lo, int *hi)
{
    if (team_size <= 3)
        *lo = 0, *hi = 3;
    else if (team_size <= 8)
        *lo = 4, *hi = 8;
    else
        *lo = 9, *hi = 1000;
}

void orc_backlog_bucket(int unassigned, int *lo, int *hi)
{
    if (unassigned <= 5)
        *lo = 0, *hi = 5;
    else if (unassigned <= 15)
        *lo = 6, *hi = 15;
    else
        *lo = 16, *hi = 100000;
}

void orc_signature(int team_size, int unassigned, int conflicts, const char *pid, char *buf,
                   size_t n)
{
    const char *team = team_size <= 3 ? "small_team" : team_size <= 8 ? "medium_team" : "large_team";
    const char *bl = unassigned <= 5 ? "small_backlog" : unassigned <= 15 ? "medium_backlog" : "large_backlog";
    const char *cal = conflicts > 0 ? "calendar_constrained" : "calendar_clear";

    if (pid != NULL)
        snprintf(buf, n, "%s_%s_%s_project_%s", team, bl, cal, pid);
    else
        snprintf(buf, n, "%s_%s_%s", team, bl, cal);
}

int orc_pattern_of(const orc_obs_t *obs, size_t n, orc_pattern_t *out)
{
    double sq = 0, sc = 0, var = 0, exp = 0, rec, sd;
    size_t hit = 0;

    memset(out, 0, sizeof(*out));
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        sq += obs[i].quality;
        sc += obs[i].completed;
    }
    out->frequency = n;
    out->avg_quality = sq / (double)n;
    out->mean_completed = sc / (double)n;
    for (size_t i = 0; i < n; i++)
        var += (obs[i].completed - out->mean_completed) * (obs[i].completed - out->mean_completed);
    sd = n > 1 ? sqrt(var / (double)(n - 1)) : 0;
    rec = orc_round_even(out->mean_completed);
    if (out->avg_quality >= 0.95)
        rec += 1;
    if (rec < 1)
        rec = 1;
    out->recommendation = rec;
    for (size_t i = 0; i < n; i++) {
        exp += fmin(1.0, obs[i].completed / rec);
        hit += obs[i].completed >= rec;
    }
    out->expected_completion = exp / (double)n;
    out->success_probability = (double)hit / (double)n;
    out->consistency = 1.0 - fmin(1.0, sd / fmax(out->mean_completed, 1.0));
    out->confidence = 0.2 * fmin((double)n / 10.0, 1.0) + 0.4 * out->expected_completion +
                      0.3 * out->consistency + 0.1 * fmin((double)n / 20.0, 1.0);
    out->confidence = orc_round_n(fmin(fmax(out->confidence, 0), 1), 4);
    {
        double r = ((double)n / 10.0 + out->expected_completion + out->confidence) / 3.0;

        out->risk_level = r >= 0.8 ? "low" : r >= 0.6 ? "medium" : "high";
    }
    return 0;
}

int orc_assess(const double *quality, const double *delta, size_t n, orc_assess_t *out)
{
    double sq = 0, sd = 0, older = 0, recent = 0, diff;
    size_t half = n / 2;

    memset(out, 0, sizeof(*out));
    if (n < 3)
        return -1;
    for (size_t i = 0; i < n; i++) {
        sq += quality[i];
        sd += delta ? delta[i] : 0;
        if (i < half)
            older += quality[i];
        else
            recent += quality[i];
    }
    out->avg_quality = sq / (double)n;
    out->avg_delta = sd / (double)n;
    diff = recent / (double)(n - half) - (half ? older / (double)half : 0);
    out->trend = fabs(diff) < 0.05 ? "stable" : diff > 0.05 ? "improving" : "declining";
    {
        int declining = strcmp(out->trend, "declining") == 0;
        double q = out->avg_quality;

        if (q >= 0.8 && !declining && out->avg_delta >= 0)
            out->assessment = "excellent";
        else if (q >= 0.7 && !declining)
            out->assessment = "good";
        else if (q >= 0.5 && strcmp(out->trend, "improving") == 0)
            out->assessment = "improving";
        else if (q >= 0.4 && !declining)
            out->assessment = "acceptable";
        else if (q >= 0.25)
            out->assessment = "underperforming";
        else
            out->assessment = "poor";
        if (strcmp(out->assessment, "poor") == 0 ||
            (strcmp(out->assessment, "underperforming") == 0 && declining) || q <= 0.25)
            out->action = ORC_ACT_DEACTIVATE;
        else if (strcmp(out->assessment, "excellent") == 0 || strcmp(out->assessment, "good") == 0)
            out->action = ORC_ACT_RAISE;
        else if (strcmp(out->assessment, "underperforming") == 0 ||
                 (strcmp(out->assessment, "acceptable") == 0 && out->avg_delta < 0))
            out->action = ORC_ACT_LOWER; /* the spec's "… and declining" is unreachable */
        else
            out->action = ORC_ACT_NONE;
    }
    return 0;
}
