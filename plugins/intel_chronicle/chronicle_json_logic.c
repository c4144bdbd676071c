/* chronicle_json_logic.c — the JSON side of the "chronicle" source: Chronicle's answers in,
 * PatternAnalysis / DataQualityReport out, dc->params, URL escaping (see chronicle_logic.h). */
#include "chronicle_logic.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Chronicle answers ---- */

static double num_of(const json_object *o, const char *key, double dflt)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(o, key, &v))
        return dflt;
    switch (json_object_get_type(v)) {
    case json_type_int:
    case json_type_double:
        return json_object_get_double(v);
    case json_type_string: {
        char *end;
        double d = strtod(json_object_get_string(v), &end);
        return end != json_object_get_string(v) && *end == '\0' && isfinite(d) ? d : dflt;
    }
    default:
        return dflt;
    }
}

static int by_similarity(const void *a, const void *b)
{
    const chi_similar_t *x = a, *y = b;

    return (x->similarity < y->similarity) - (x->similarity > y->similarity);
}

size_t chi_parse_similar(const json_object *body, chi_similar_t *out, size_t max)
{
    size_t len, n = 0;

    if (body == NULL || !json_object_is_type(body, json_type_array) || max == 0)
        return 0;
    len = json_object_array_length(body);
    for (size_t i = 0; i < len; i++) {
        json_object *p = json_object_array_get_idx(body, i), *id = NULL;
        chi_similar_t s;

        if (!json_object_is_type(p, json_type_object))
            continue;
        memset(&s, 0, sizeof(s));
        if (json_object_object_get_ex(p, "project_id", &id) && id != NULL)
            snprintf(s.project_id, sizeof(s.project_id), "%s", json_object_get_string(id));
        s.similarity = num_of(p, "similarity_score", 0);
        s.completion_rate = num_of(p, "completion_rate", 0);
        s.avg_sprint_duration_days = num_of(p, "avg_sprint_duration", 0);
        s.optimal_task_count = (int64_t)num_of(p, "optimal_task_count", 0);
        s.team_size = (int64_t)num_of(p, "team_size", 0);
        if (!isfinite(s.similarity) || !isfinite(s.completion_rate) ||
            !isfinite(s.avg_sprint_duration_days))
            continue;
        if (n < max) {
            out[n++] = s;
        } else { /* keep the best max: replace the weakest kept one */
            size_t w = 0;
            for (size_t j = 1; j < n; j++)
                if (out[j].similarity < out[w].similarity)
                    w = j;
            if (s.similarity > out[w].similarity)
                out[w] = s;
        }
    }
    qsort(out, n, sizeof(*out), by_similarity);
    return n;
}

size_t chi_parse_velocity(const json_object *body, double *out, size_t max)
{
    json_object *arr = NULL;
    size_t len, first, n = 0;

    if (body == NULL || !json_object_is_type(body, json_type_object) ||
        !json_object_object_get_ex(body, "velocity_trend_data", &arr) ||
        !json_object_is_type(arr, json_type_array))
        return 0;
    len = json_object_array_length(arr);
    first = len > max ? len - max : 0;
    for (size_t i = first; i < len; i++) {
        json_object *p = json_object_array_get_idx(arr, i);
        double c;

        if (!json_object_is_type(p, json_type_object))
            continue;
        c = num_of(p, "completed_tasks", NAN);
        if (isfinite(c))
            out[n++] = c;
    }
    return n;
}

void chi_quality(const json_object *patterns, const json_object *velocity,
                 const json_object *impediments, chi_quality_t *q)
{
    json_object *metrics = NULL, *trend = NULL;

    memset(q, 0, sizeof(*q));
    q->has_patterns = patterns != NULL && json_object_is_type(patterns, json_type_object);
    if (q->has_patterns) {
        if (json_object_object_get_ex(patterns, "metrics", &metrics) &&
            json_object_is_type(metrics, json_type_object)) {
            q->daily_scrum_count = (int64_t)num_of(metrics, "daily_scrum_count", 0);
            q->tasks_completed_in_daily_scrums =
                (int64_t)num_of(metrics, "total_tasks_completed_in_daily_scrums", 0);
        }
        q->data_quality_score = 0.78;
    }
    if (velocity != NULL && json_object_is_type(velocity, json_type_object)) {
        double avg = num_of(velocity, "average_velocity", 0);

        q->data_available = 1;
        if (json_object_object_get_ex(velocity, "velocity_trend_data", &trend) &&
            json_object_is_type(trend, json_type_array))
            q->velocity_sprints = (int64_t)json_object_array_length(trend);
        if (avg != 0 && isfinite(avg)) {
            q->has_velocity = 1;
            q->common_team_velocity = avg;
        }
    }
    q->has_impediments = impediments != NULL && json_object_is_type(impediments,
                                                                    json_type_object);
    if (impediments == NULL && q->has_patterns &&
        json_object_object_get_ex(patterns, "common_impediments_reported", &trend) &&
        json_object_is_type(trend, json_type_object) && json_object_object_length(trend) > 0)
        q->has_impediments = 1;
    q->data_available = q->data_available || q->has_patterns || q->has_impediments;
}

/* ---- JSON out ---- */

static json_object *jnum(double x)
{
    return json_object_new_double(x);
}

json_object *chi_pattern_analysis_json(const chi_similar_t *s, size_t n, const chi_velocity_t *v,
                                       const chi_success_t *si)
{
    json_object *o = json_object_new_object(), *arr = json_object_new_array();
    char note[64];

    for (size_t i = 0; i < n; i++) {
        json_object *p = json_object_new_object(), *f = json_object_new_array();

        json_object_object_add(p, "project_id", json_object_new_string(s[i].project_id));
        json_object_object_add(p, "similarity_score", jnum(s[i].similarity));
        json_object_object_add(p, "team_size", json_object_new_int64(s[i].team_size));
        json_object_object_add(p, "completion_rate", jnum(s[i].completion_rate));
        json_object_object_add(p, "avg_sprint_duration", jnum(s[i].avg_sprint_duration_days));
        json_object_object_add(p, "avg_sprint_duration_weeks",
                               jnum(chi_round(s[i].avg_sprint_duration_days / 7.0, 2)));
        json_object_object_add(p, "optimal_task_count",
                               s[i].optimal_task_count > 0
                                   ? json_object_new_int64(s[i].optimal_task_count)
                                   : NULL);
        json_object_array_add(f, json_object_new_string("derived_from_retrospectives"));
        json_object_object_add(p, "key_success_factors", f);
        json_object_array_add(arr, p);
    }
    json_object_object_add(o, "similar_projects", arr);
    if (v != NULL && v->present) {
        json_object *t = json_object_new_object(), *r = json_object_new_array();

        json_object_object_add(t, "current_team_velocity", jnum(v->current));
        json_object_array_add(r, jnum(v->min));
        json_object_array_add(r, jnum(v->max));
        json_object_object_add(t, "historical_range", r);
        json_object_object_add(t, "trend_direction", json_object_new_string(v->direction));
        json_object_object_add(t, "confidence", jnum(v->confidence));
        snprintf(note, sizeof(note), "Velocity trend is %s.", v->direction);
        json_object_object_add(t, "pattern_note", json_object_new_string(note));
        json_object_object_add(t, "slope", jnum(v->slope));
        json_object_object_add(t, "sprints_analyzed", json_object_new_int64((int64_t)v->n));
        json_object_object_add(o, "velocity_trends", t);
    } else {
        json_object_object_add(o, "velocity_trends", NULL);
    }
    if (si != NULL && si->present) {
        json_object *t = json_object_new_object();

        json_object_object_add(t, "optimal_tasks_per_sprint",
                               si->has_optimal ? json_object_new_int64(si->optimal_tasks_per_sprint)
                                               : NULL);
        json_object_object_add(t, "recommended_sprint_duration",
                               si->has_duration
                                   ? json_object_new_int64(si->recommended_sprint_duration)
                                   : NULL);
        json_object_object_add(t, "success_probability", jnum(si->success_probability));
        json_object_object_add(t, "risk_factors", json_object_new_array());
        json_object_object_add(o, "success_indicators", t);
    } else {
        json_object_object_add(o, "success_indicators", NULL);
    }
    return o;
}

json_object *chi_quality_json(const chi_quality_t *q)
{
    json_object *o = json_object_new_object(), *rec;
    char note[160] = "";

    json_object_object_add(o, "data_available", json_object_new_boolean(q->data_available));
    json_object_object_add(o, "historical_sprints", json_object_new_int64(q->daily_scrum_count));
    json_object_object_add(o, "avg_completion_rate",
                           json_object_new_int64(q->tasks_completed_in_daily_scrums));
    json_object_object_add(o, "common_team_velocity",
                           q->has_velocity ? jnum(q->common_team_velocity) : NULL);
    json_object_object_add(o, "data_quality_score", jnum(q->data_quality_score));
    if (!q->data_available) {
        snprintf(note, sizeof(note), "No significant historical data found for this project.");
    } else {
        snprintf(note, sizeof(note), "%s%s%s",
                 q->has_patterns ? "Basic historical patterns retrieved." : "",
                 q->has_velocity ? (q->has_patterns ? " Velocity data also available."
                                                    : "Velocity data also available.")
                                 : "",
                 q->has_impediments ? (q->has_patterns || q->has_velocity
                                           ? " Impediment data also available."
                                           : "Impediment data also available.")
                                    : "");
    }
    json_object_object_add(o, "observation_note", json_object_new_string(note));
    if (q->data_available) {
        json_object_object_add(o, "recommendations", NULL);
    } else {
        rec = json_object_new_array();
        json_object_array_add(rec, json_object_new_string(
                                       "Ensure Chronicle Service has historical data for this "
                                       "project."));
        json_object_array_add(rec, json_object_new_string("Run more sprints to generate data."));
        json_object_object_add(o, "recommendations", rec);
    }
    return o;
}

/* ---- dc->params ---- */

static json_object *pget(const json_object *o, const char *key)
{
    json_object *v = NULL;

    if (o == NULL || !json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

double chi_param_num(const json_object *params, const char *obj, const char *key, double dflt)
{
    json_object *o = pget(params, obj);

    return o != NULL ? num_of(o, key, dflt) : dflt;
}

int chi_replay(const json_object *params)
{
    json_object *v = pget(params, "replay");

    return v != NULL && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

