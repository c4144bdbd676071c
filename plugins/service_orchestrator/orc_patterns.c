/*
 * orc_patterns.c — the Chronicle-side PatternAnalysis and DataQualityReport (orchestrator.md
 * §3.3, fixes #9/#10) computed by the core from the Chronicle analytics bodies of the
 * perception. The intelligence endpoints (O15–O19) show them, and O4 shows them when the
 * chronicle source gave no pattern_analysis of its own.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "orc_internal.h"

#define ORC_MAX_SIM 256

struct json_object *orc_similar_list(const struct json_object *chronicle)
{
    struct json_object *sim = orc_jget(chronicle, "similar_projects");

    if (sim != NULL && json_object_is_type(sim, json_type_object))
        sim = orc_jget(sim, "similar_projects");
    return sim != NULL && json_object_is_type(sim, json_type_array) ? sim : NULL;
}

struct json_object *orc_velocity_json(const struct json_object *velocity)
{
    struct json_object *data = orc_jget(velocity, "velocity_trend_data"), *o, *range;
    double y[512];
    size_t n = 0;
    orc_velocity_t v;

    for (size_t i = 0; data != NULL && json_object_is_type(data, json_type_array) &&
                       i < json_object_array_length(data) && n < 512;
         i++)
        y[n++] = orc_jnum(json_object_array_get_idx(data, i), "completed_tasks", 0);
    if (orc_velocity_trend(y, n, &v) < 0)
        return NULL;
    o = json_object_new_object();
    range = json_object_new_array();
    json_object_object_add(o, "current_team_velocity", orc_jfloat(v.current));
    json_object_array_add(range, orc_jfloat(v.min));
    json_object_array_add(range, orc_jfloat(v.max));
    json_object_object_add(o, "historical_range", range);
    json_object_object_add(o, "trend_direction", json_object_new_string(v.direction));
    json_object_object_add(o, "confidence", orc_jd(v.confidence));
    json_object_object_add(o, "slope", orc_jd(v.slope));
    json_object_object_add(o, "sprints_analyzed", json_object_new_int((int)n));
    json_object_object_add(o, "pattern_note",
                           json_object_new_string(strcmp(v.direction, "increasing") == 0 ? "Velocity trend is increasing."
                                                  : strcmp(v.direction, "decreasing") == 0 ? "Velocity trend is decreasing."
                                                                                          : "Velocity trend is stable."));
    return o;
}

struct json_object *orc_pattern_analysis(const struct json_object *chronicle, double *confidence)
{
    struct json_object *pa = json_object_new_object(), *out = json_object_new_array();
    struct json_object *sim = orc_similar_list(chronicle), *vt, *si = NULL;
    double opt[ORC_MAX_SIM], days[ORC_MAX_SIM], comp[ORC_MAX_SIM], sum_sim = 0;
    size_t n = 0;
    orc_success_t s;

    for (size_t i = 0; sim != NULL && i < json_object_array_length(sim) && n < ORC_MAX_SIM; i++) {
        struct json_object *p = json_object_array_get_idx(sim, i), *q = json_object_new_object();
        struct json_object *ksf = orc_jget(p, "key_success_factors");

        opt[n] = orc_jnum(p, "optimal_task_count", -1);
        days[n] = orc_jnum(p, "avg_sprint_duration", 0);
        comp[n] = orc_jnum(p, "completion_rate", 0);
        sum_sim += orc_jnum(p, "similarity_score", 0);
        json_object_object_add(q, "project_id", json_object_get(orc_jget(p, "project_id")));
        json_object_object_add(q, "similarity_score", orc_jd(orc_jnum(p, "similarity_score", 0)));
        json_object_object_add(q, "team_size", orc_jd(orc_jnum(p, "team_size", 0)));
        json_object_object_add(q, "completion_rate", orc_jd(comp[n]));
        json_object_object_add(q, "avg_sprint_duration", orc_jd(days[n]));
        json_object_object_add(q, "optimal_task_count", opt[n] >= 0 ? orc_jd(opt[n]) : NULL);
        json_object_object_add(q, "key_success_factors", ksf ? json_object_get(ksf) : json_object_new_array());
        json_object_array_add(out, q);
        n++;
    }
    json_object_object_add(pa, "similar_projects", out);
    vt = orc_velocity_json(orc_jget(chronicle, "velocity"));
    json_object_object_add(pa, "velocity_trends", vt);
    if (orc_success_indicators(opt, days, comp, n, &s) == 0) {
        si = json_object_new_object();
        json_object_object_add(si, "optimal_tasks_per_sprint", s.has_optimal ? orc_jd(s.optimal_tasks) : NULL);
        json_object_object_add(si, "recommended_sprint_duration", orc_jd(s.recommended_weeks));
        json_object_object_add(si, "success_probability", orc_jd(s.success_probability));
        json_object_object_add(si, "risk_factors", json_object_new_array());
    }
    json_object_object_add(pa, "success_indicators", si);
    json_object_object_add(pa, "performance_metrics", json_object_new_object());
    if (confidence != NULL)
        *confidence = orc_chronicle_confidence(n, n ? sum_sim / (double)n : 0, vt != NULL,
                                               orc_jnum(vt, "confidence", 0), si != NULL,
                                               s.success_probability);
    return pa;
}

/* §3.3.6 with velocity from the perception's velocity body. */
struct json_object *orc_data_quality(const struct json_object *chronicle)
{
    struct json_object *r = json_object_new_object(), *pat = orc_jget(chronicle, "patterns");
    struct json_object *vel = orc_jget(chronicle, "velocity"), *recs = NULL;
    int any = pat != NULL || vel != NULL;
    double avg = orc_jnum(vel, "average_velocity", 0);
    char note[160] = "";

    json_object_object_add(r, "data_available", json_object_new_boolean(any));
    if (pat != NULL) {
        struct json_object *m = orc_jget(pat, "metrics");

        json_object_object_add(r, "historical_sprints", orc_jd(orc_jnum(m, "retrospective_count",
                                                                          orc_jnum(m, "daily_scrum_count", 0))));
        json_object_object_add(r, "avg_completion_rate",
                               orc_jd(orc_jnum(m, "total_tasks_completed_in_daily_scrums", 0)));
        snprintf(note, sizeof note, "Basic historical patterns retrieved.");
    } else {
        json_object_object_add(r, "historical_sprints", NULL);
        json_object_object_add(r, "avg_completion_rate", NULL);
    }
    if (vel != NULL && avg > 0) {
        json_object_object_add(r, "common_team_velocity", orc_jd(avg));
        snprintf(note + strlen(note), sizeof note - strlen(note), "%s",
                 note[0] ? " Velocity data also available." : "Velocity data available.");
    } else {
        json_object_object_add(r, "common_team_velocity", NULL);
    }
    if (!any) {
        recs = json_object_new_array();
        json_object_array_add(recs, json_object_new_string("Ensure Chronicle Service has historical data for this project."));
        json_object_array_add(recs, json_object_new_string("Run more sprints to generate data."));
        snprintf(note, sizeof note, "No significant historical data found for this project.");
    }
    json_object_object_add(r, "data_quality_score", orc_jd(any ? 0.78 : 0.0));
    json_object_object_add(r, "observation_note", json_object_new_string(note));
    json_object_object_add(r, "recommendations", recs);
    return r;
}
