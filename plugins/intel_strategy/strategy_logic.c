/* strategy_logic.c — strategy scoring, boost, proposal and feedback (spec/orchestrator.md
 * §5.2–§5.4, §5.7); see strategy_logic.h. */
#include "strategy_logic.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void stg_config_defaults(stg_config_t *c)
{
    c->min_confidence = 0.3;
    c->limit = 5;
    c->base_score = 0.5;
    c->step = 0.1;
    c->boost_threshold = 0.5;
    c->boost_factor = 0.1;
    c->propose_confidence = 0.75;
    c->propose_applicability = 0.5;
    c->success_quality = 0.8;
    c->feedback_rate = 0.1;
    c->min_weeks = 1;
    c->max_weeks = 4;
}

double stg_round(double x, int nd)
{
    double m = pow(10.0, nd);

    return nearbyint(x * m) / m;
}

static int is_num(const json_object *v)
{
    return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

static json_object *member(const json_object *o, const char *key)
{
    json_object *v = NULL;

    if (o == NULL || !json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

int stg_from_json(const json_object *row, stg_strategy_t *s)
{
    json_object *id = member(row, "knowledge_id"), *v;

    memset(s, 0, sizeof(*s));
    if (id == NULL)
        id = member(row, "strategy_id");
    if (id == NULL || !json_object_is_type(id, json_type_string))
        return -1;
    snprintf(s->id, sizeof(s->id), "%s", json_object_get_string(id));
    v = member(row, "description");
    s->description = v != NULL && json_object_is_type(v, json_type_string)
                         ? json_object_get_string(v)
                         : "";
    v = member(row, "confidence");
    s->confidence = v != NULL && is_num(v) ? json_object_get_double(v) : 0.5;
    v = member(row, "success_rate");
    if (v != NULL && is_num(v)) {
        s->has_success_rate = 1;
        s->success_rate = json_object_get_double(v);
    }
    v = member(row, "times_applied");
    s->times_applied = v != NULL && is_num(v) ? json_object_get_int64(v) : 0;
    v = member(row, "success_count");
    s->success_count = v != NULL && is_num(v) ? json_object_get_int64(v) : 0;
    v = member(row, "failure_count");
    s->failure_count = v != NULL && is_num(v) ? json_object_get_int64(v) : 0;
    v = member(row, "supporting_episodes");
    s->supporting = v != NULL && json_object_is_type(v, json_type_array)
                        ? (int64_t)json_object_array_length(v)
                        : 0;
    s->content = member(row, "content");
    return isfinite(s->confidence) ? 0 : -1;
}

int stg_evidence(const stg_strategy_t *s)
{
    int64_t e = s->success_count + s->failure_count;

    e = e > s->supporting ? e : s->supporting;
    return e > 1000000 ? 1000000 : (int)e;
}

const json_object *stg_conditions(const json_object *content)
{
    json_object *c = member(content, "applicability_conditions");

    if (c == NULL || !json_object_is_type(c, json_type_object))
        c = member(member(content, "content"), "applicability_conditions");
    return c != NULL && json_object_is_type(c, json_type_object) ? c : NULL;
}

static int json_equal(const json_object *a, const json_object *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    if (is_num(a) && is_num(b))
        return json_object_get_double(a) == json_object_get_double(b);
    if (json_object_is_type(a, json_type_string) && json_object_is_type(b, json_type_string))
        return strcmp(json_object_get_string((json_object *)a),
                      json_object_get_string((json_object *)b)) == 0;
    if (json_object_is_type(a, json_type_boolean) && json_object_is_type(b, json_type_boolean))
        return json_object_get_boolean(a) == json_object_get_boolean(b);
    return 0;
}

int stg_cond_match(const json_object *cond, const json_object *value)
{
    json_object *lo = member(cond, "min"), *hi = member(cond, "max");

    if (cond != NULL && json_object_is_type(cond, json_type_object) &&
        (lo != NULL || hi != NULL)) {
        double v;

        if (value == NULL || !is_num(value))
            return 0;
        v = json_object_get_double(value);
        if (lo != NULL && (!is_num(lo) || v < json_object_get_double(lo)))
            return 0;
        if (hi != NULL && (!is_num(hi) || v > json_object_get_double(hi)))
            return 0;
        return 1;
    }
    if (cond != NULL && json_object_is_type(cond, json_type_array)) {
        size_t n = json_object_array_length(cond);

        for (size_t i = 0; i < n; i++)
            if (json_equal(json_object_array_get_idx(cond, i), value))
                return 1;
        return 0;
    }
    return json_equal(cond, value);
}

double stg_score(const stg_config_t *c, stg_strategy_t *s, const json_object *context)
{
    const json_object *conds = stg_conditions(s->content);
    double score = c->base_score;

    s->matched = s->mismatched = 0;
    if (conds != NULL) {
        json_object_object_foreach((json_object *)conds, key, cond) {
            json_object *v = member(context, key);

            if (v == NULL)
                continue; /* the context says nothing about it */
            if (stg_cond_match(cond, v)) {
                score += c->step;
                s->matched++;
            } else {
                s->mismatched++;
            }
        }
    }
    if (s->has_success_rate && s->success_rate > 0.7)
        score += c->step;
    if (s->times_applied > 5)
        score += c->step;
    s->applicability = score > 1.0 ? 1.0 : score;
    return s->applicability;
}

double stg_recommendation_confidence(const stg_strategy_t *s, size_t n)
{
    double sum = 0;

    for (size_t i = 0; i < n; i++)
        sum += s[i].applicability * s[i].confidence;
    return n > 0 ? sum / (double)n : 0.0;
}

double stg_boost(const stg_config_t *c, double sp, double rc)
{
    if (rc > c->boost_threshold)
        sp += c->boost_factor * rc;
    return sp > 1.0 ? 1.0 : sp;
}

static int mentions_small_team(const stg_strategy_t *s)
{
    const char *text;

    if (s->content == NULL)
        return 0;
    text = json_object_to_json_string_ext((json_object *)s->content, JSON_C_TO_STRING_PLAIN);
    return text != NULL && strstr(text, "small_team") != NULL;
}

size_t stg_insights(const stg_strategy_t *s, size_t n, int64_t team_size, char out[][256],
                    size_t max)
{
    size_t k = 0, high = 0, small = 0;
    double high_sum = 0, sr_sum = 0;
    int64_t applied = 0;

    if (max == 0)
        return 0;
    if (n == 0) {
        snprintf(out[k++], 256, "No applicable strategies found for current context");
        return k;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i].confidence > 0.8) {
            high++;
            high_sum += s[i].confidence;
        }
        sr_sum += s[i].has_success_rate ? s[i].success_rate : 0.0;
        applied += s[i].times_applied;
        small += mentions_small_team(&s[i]) ? 1 : 0;
    }
    if (high > 0 && k < max)
        snprintf(out[k++], 256, "%zu high-confidence strategies available with average %.1f%% "
                                "confidence",
                 high, high_sum / (double)high * 100.0);
    if (sr_sum / (double)n > 0.7 && k < max)
        snprintf(out[k++], 256, "Applicable strategies show %.1f%% average success rate",
                 sr_sum / (double)n * 100.0);
    if (applied > 20 && k < max)
        snprintf(out[k++], 256, "Strategies have been successfully applied %lld times",
                 (long long)applied);
    if (team_size >= 0 && team_size <= 3 && small > 0 && k < max)
        snprintf(out[k++], 256, "%zu strategies optimized for small teams", small);
    return k;
}

int stg_best(const stg_strategy_t *s, size_t n)
{
    int best = -1;

    for (size_t i = 0; i < n; i++)
        if (best < 0 || s[i].applicability * s[i].confidence >
                            s[best].applicability * s[best].confidence)
            best = (int)i;
    return best;
}

static const json_object *recommendation(const json_object *content)
{
    json_object *r = member(content, "recommendation");

    if (r == NULL || !json_object_is_type(r, json_type_object))
        r = member(member(content, "content"), "recommendation");
    return r != NULL && json_object_is_type(r, json_type_object) ? r : NULL;
}

/* Task count recommended by rec for baseline b; -1 when it recommends none. */
static int64_t rec_tasks(const json_object *rec, int64_t b, double *pct_out)
{
    json_object *n = member(rec, "tasks_to_assign"), *a = member(rec, "action"),
                *p = member(rec, "adjustment_percent");
    const char *action = a != NULL && json_object_is_type(a, json_type_string)
                             ? json_object_get_string(a)
                             : "";
    double pct = p != NULL && is_num(p) ? json_object_get_double(p) : -1;

    *pct_out = pct;
    if (n != NULL && is_num(n) && json_object_get_double(n) >= 0)
        return (int64_t)nearbyint(json_object_get_double(n));
    if (pct < 0 || pct > 1 || !isfinite(pct))
        return -1;
    if (strcmp(action, "reduce_task_count") == 0)
        return (int64_t)nearbyint((double)b * (1.0 - pct));
    if (strcmp(action, "increase_task_count") == 0)
        return (int64_t)nearbyint((double)b * (1.0 + pct));
    return -1;
}

int stg_propose(const stg_config_t *c, const stg_strategy_t *s, size_t n, int64_t base_tasks,
                int64_t base_weeks, stg_proposal_t *task, stg_proposal_t *weeks)
{
    const stg_strategy_t *best = NULL;
    const json_object *rec;
    json_object *w;
    int made = 0;
    int64_t t;
    double pct;

    memset(task, 0, sizeof(*task));
    memset(weeks, 0, sizeof(*weeks));
    task->strategy_index = weeks->strategy_index = -1;
    /* Of the strategies confident and applicable enough to propose, the most specific one
     * (most matched conditions: a project's own strategy before one shared by a context
     * group), then the highest applicability × confidence. */
    for (size_t i = 0; i < n; i++) {
        if (s[i].mismatched != 0 || s[i].confidence < c->propose_confidence ||
            s[i].applicability < c->propose_applicability || recommendation(s[i].content) == NULL)
            continue;
        if (best == NULL || s[i].matched > best->matched ||
            (s[i].matched == best->matched &&
             s[i].applicability * s[i].confidence > best->applicability * best->confidence))
            best = &s[i];
    }
    if (best == NULL || (rec = recommendation(best->content)) == NULL)
        return 0;
    t = base_tasks > 0 ? rec_tasks(rec, base_tasks, &pct) : -1;
    if (t >= 0 && t != base_tasks) {
        task->proposed = 1;
        task->original = base_tasks;
        task->recommended = t;
        task->confidence = best->confidence;
        task->evidence_count = stg_evidence(best);
        task->strategy_index = (int)(best - s);
        snprintf(task->rationale, sizeof(task->rationale),
                 "Strategy '%s' (confidence %.2f, applicability %.2f, applied %lld times) "
                 "recommends %lld tasks instead of %lld.",
                 best->description, best->confidence, best->applicability,
                 (long long)best->times_applied, (long long)t, (long long)base_tasks);
        made++;
    }
    w = member(rec, "sprint_duration_weeks");
    if (w != NULL && is_num(w) && base_weeks > 0) {
        int64_t d = (int64_t)nearbyint(json_object_get_double(w));

        d = d < c->min_weeks ? c->min_weeks : d > c->max_weeks ? c->max_weeks : d;
        if (d != base_weeks) {
            weeks->proposed = 1;
            weeks->original = base_weeks;
            weeks->recommended = d;
            weeks->confidence = best->confidence;
            weeks->evidence_count = stg_evidence(best);
            weeks->strategy_index = (int)(best - s);
            snprintf(weeks->rationale, sizeof(weeks->rationale),
                     "Strategy '%s' (confidence %.2f, applicability %.2f) recommends a %lld-week "
                     "sprint instead of %lld.",
                     best->description, best->confidence, best->applicability, (long long)d,
                     (long long)base_weeks);
            made++;
        }
    }
    return made;
}

double stg_outcome_quality(double quality_score, double completion_rate, double committed,
                           double completed)
{
    double q = -1;

    if (quality_score >= 0 && isfinite(quality_score))
        q = quality_score;
    else if (completion_rate >= 0 && isfinite(completion_rate))
        q = completion_rate;
    else if (committed > 0 && completed >= 0 && isfinite(completed))
        q = completed / committed;
    if (q < 0)
        return -1;
    return q > 1.0 ? 1.0 : q;
}

double stg_feedback_confidence(const stg_config_t *c, double conf, double q)
{
    double n = conf + c->feedback_rate * (q - conf);

    return n < 0.1 ? 0.1 : n > 1 ? 1 : n;
}

size_t stg_select(const stg_config_t *c, stg_strategy_t *s, size_t n, const json_object *context)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        stg_score(c, &s[i], context);
        if (s[i].mismatched == 0)
            s[k++] = s[i];
    }
    /* insertion sort: stable, n is small */
    for (size_t i = 1; i < k; i++) {
        stg_strategy_t t = s[i];
        double key = t.applicability * t.confidence;
        size_t j = i;

        for (; j > 0 && s[j - 1].applicability * s[j - 1].confidence < key; j--)
            s[j] = s[j - 1];
        s[j] = t;
    }
    return k < (size_t)(c->limit > 0 ? c->limit : 0) ? k : (size_t)(c->limit > 0 ? c->limit : 0);
}
