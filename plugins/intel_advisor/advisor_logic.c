/*
 * advisor_logic.c — prompt, request body, answer parsing and advisory objects of the AI
 * advisor (orchestrator.md §7). Pure: json-c and libc, no host API.
 *
 * Differences from the original, on purpose:
 *   - the request asks for format "json" and has no "\n\n" stop sequence, which cut
 *     pretty-printed answers short (Appendix A #35);
 *   - recommendations that are not strings are skipped instead of failing the whole advisory
 *     (Appendix A #35); a summary that is not a string counts as missing;
 *   - the risk level is matched without regard to case ("high" → "High");
 *   - "{…}" followed or preceded by more JSON ("{..} and {..}") is a decode error, as Python's
 *     json.loads would say (json-c alone would read the first object and ignore the rest).
 */
#include "advisor_logic.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------------- reading the context */

/* The member at a dotted path ("project_data.team_size"), or NULL. */
static json_object *adv_at(const json_object *o, const char *path)
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

/* A whole number at the first of the paths that holds one (a list counts its elements when
 * count_lists), or -1. */
static long adv_long_at(const json_object *o, const char *const *paths, int count_lists)
{
    for (size_t i = 0; paths[i]; i++) {
        json_object *v = adv_at(o, paths[i]);
        if (json_object_is_type(v, json_type_int))
            return (long)json_object_get_int64(v);
        if (json_object_is_type(v, json_type_double)) {
            double d = json_object_get_double(v);
            if (d >= 0 && d < 1e9)
                return (long)d;
        }
        if (count_lists && json_object_is_type(v, json_type_array))
            return (long)json_object_array_length(v);
    }
    return -1;
}

void adv_input_from_json(adv_input_t *in, const char *project_id, const json_object *perception,
                         const json_object *decision)
{
    static const char *const team[] = {"team_size", "project_data.team_size",
                                       "team_availability.team_size", "team.size",
                                       "team_members", "team.members", "team", NULL};
    static const char *const unassigned[] = {"unassigned_tasks",
                                             "backlog_summary.unassigned_tasks",
                                             "backlog.unassigned_tasks", "backlog.unassigned",
                                             "backlog_summary.unassigned", NULL};
    static const char *const tasks[] = {"tasks_to_assign", "decisions.tasks_to_assign", NULL};
    static const char *const weeks[] = {"sprint_duration_weeks",
                                        "decisions.sprint_duration_weeks", NULL};
    json_object *v;

    memset(in, 0, sizeof(*in));
    in->project_id = project_id;
    in->team_size = adv_long_at(perception, team, 1);
    in->unassigned_tasks = adv_long_at(perception, unassigned, 0);
    in->tasks_to_assign = adv_long_at(decision, tasks, 0);
    in->sprint_duration_weeks = adv_long_at(decision, weeks, 0);
    in->create_new_sprint = -1;
    if ((v = adv_at(decision, "create_new_sprint")) || (v = adv_at(decision, "decisions.create_new_sprint")))
        if (json_object_is_type(v, json_type_boolean))
            in->create_new_sprint = json_object_get_boolean(v);
    if ((v = adv_at(decision, "decision_source")) && json_object_is_type(v, json_type_string))
        in->decision_source = json_object_get_string(v);
    if (((v = adv_at(decision, "reasoning")) || (v = adv_at(decision, "decisions.reasoning"))) &&
        json_object_is_type(v, json_type_string))
        in->reasoning = json_object_get_string(v);
    if ((v = adv_at(decision, "confidence_scores")) && json_object_is_type(v, json_type_object))
        in->confidence_scores = v;
    if ((v = adv_at(decision, "intelligence_adjustments")) &&
        (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array)))
        in->adjustments = v;
}

/* ---------------------------------------------------------------------- text helpers */

/* Length in bytes of the UTF-8 sequence starting at p (1 for an invalid byte). */
static size_t adv_utf8_len(const unsigned char *p)
{
    size_t n = *p < 0x80 ? 1 : (*p >> 5) == 0x6 ? 2 : (*p >> 4) == 0xe ? 3 : (*p >> 3) == 0x1e ? 4 : 1;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 1;
    return n;
}

char *adv_utf8_prefix(const char *s, size_t max)
{
    size_t off = 0, chars = 0;

    if (!s)
        s = "";
    while (s[off] && chars < max) {
        off += adv_utf8_len((const unsigned char *)s + off);
        chars++;
    }
    char *out = malloc(off + 1);
    if (out) {
        memcpy(out, s, off);
        out[off] = '\0';
    }
    return out;
}

/* A growing text buffer; on out-of-memory it stays failed and adv_buf_take returns NULL. */
typedef struct {
    char *p;
    size_t len, cap;
    int failed;
} adv_buf_t;

static void adv_put(adv_buf_t *b, const char *s)
{
    size_t n = strlen(s);

    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 1024;
        while (b->len + n + 1 > ncap)
            ncap *= 2;
        char *np = realloc(b->p, ncap);
        if (!np) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static void adv_putf(adv_buf_t *b, const char *fmt, long v)
{
    char tmp[64];
    snprintf(tmp, sizeof(tmp), fmt, v);
    adv_put(b, tmp);
}

static char *adv_buf_take(adv_buf_t *b)
{
    if (b->failed) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

/* Empty / missing JSON → "None", else 2-space-indented JSON (like json.dumps(indent=2)). */
static void adv_put_json(adv_buf_t *b, const json_object *o)
{
    int empty = !o || json_object_is_type(o, json_type_null) ||
                (json_object_is_type(o, json_type_object) && json_object_object_length(o) == 0) ||
                (json_object_is_type(o, json_type_array) && json_object_array_length(o) == 0);
    if (empty) {
        adv_put(b, "None");
        return;
    }
    adv_put(b, json_object_to_json_string_ext((json_object *)o,
                                              JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* ---------------------------------------------------------------------- prompt and body */

char *adv_prompt(const adv_input_t *in)
{
    adv_buf_t b = {0};
    char *reasoning = adv_utf8_prefix(in->reasoning ? in->reasoning : "", ADV_REASONING_MAX);

    adv_put(&b, "You are an AI assistant that explains project management decisions to "
                "stakeholders.\n\n");
    adv_put(&b, "CONTEXT:\n- Project ID: ");
    adv_put(&b, in->project_id && *in->project_id ? in->project_id : "unknown");
    adv_put(&b, "\n- Team Size: ");
    if (in->team_size >= 0)
        adv_putf(&b, "%ld", in->team_size);
    else
        adv_put(&b, "unknown");
    adv_put(&b, "\n- Available Tasks: ");
    if (in->unassigned_tasks >= 0)
        adv_putf(&b, "%ld", in->unassigned_tasks);
    else
        adv_put(&b, "unknown");
    adv_put(&b, "\n\nDECISION MADE:\n- Create New Sprint: ");
    adv_put(&b, in->create_new_sprint < 0 ? "None" : in->create_new_sprint ? "True" : "False");
    adv_put(&b, "\n- Tasks to Assign: ");
    if (in->tasks_to_assign >= 0)
        adv_putf(&b, "%ld", in->tasks_to_assign);
    else
        adv_put(&b, "None");
    adv_put(&b, "\n- Sprint Duration: ");
    if (in->sprint_duration_weeks >= 0)
        adv_putf(&b, "%ld weeks", in->sprint_duration_weeks);
    else
        adv_put(&b, "None");
    adv_put(&b, "\n- Decision Mode: ");
    adv_put(&b, in->decision_source && *in->decision_source ? in->decision_source : "unknown");
    adv_put(&b, "\n- Reasoning: ");
    adv_put(&b, reasoning && *reasoning ? reasoning : "None");
    adv_put(&b, "\n\nINTELLIGENCE DATA:\n- Confidence Scores: ");
    adv_put_json(&b, in->confidence_scores);
    adv_put(&b, "\n- Intelligence Adjustments: ");
    adv_put_json(&b, in->adjustments);
    adv_put(&b, "\n\nTASK:\nExplain this decision briefly for non-technical stakeholders "
                "(product managers, scrum masters).\n\n"
                "Respond with ONLY valid JSON in exactly this format:\n"
                "{\"summary\": \"2-3 sentences explaining the decision\", "
                "\"recommendations\": [\"action item 1\", \"action item 2\"], "
                "\"risk_assessment\": \"Low|Medium|High\"}\n\n"
                "Keep it practical and actionable, professional but accessible.\n");
    free(reasoning);
    if (!reasoning)
        b.failed = 1;
    return adv_buf_take(&b);
}

json_object *adv_request_body(const char *model, const char *prompt)
{
    json_object *o = json_object_new_object(), *opt = json_object_new_object();

    json_object_object_add(o, "model", json_object_new_string(model ? model : ""));
    json_object_object_add(o, "prompt", json_object_new_string(prompt ? prompt : ""));
    json_object_object_add(o, "stream", json_object_new_boolean(0));
    json_object_object_add(o, "format", json_object_new_string("json"));
    json_object_object_add(opt, "temperature", json_object_new_double(ADV_TEMPERATURE));
    json_object_object_add(opt, "num_predict", json_object_new_int(ADV_NUM_PREDICT));
    json_object_object_add(o, "options", opt);
    return o;
}

/* ---------------------------------------------------------------------- parsing */

static json_object *adv_result(const char *summary, json_object *recs, const char *risk)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "summary", json_object_new_string(summary));
    json_object_object_add(o, "recommendations", recs ? recs : json_object_new_array());
    json_object_object_add(o, "risk_assessment", json_object_new_string(risk));
    return o;
}

static json_object *adv_fallback(const char *summary, const char *rec)
{
    json_object *recs = json_object_new_array();

    json_object_array_add(recs, json_object_new_string(rec));
    return adv_result(summary, recs, "Low");
}

/* Exactly one JSON value in s[0..len) (whitespace around it allowed), or NULL. */
static json_object *adv_parse_exact(const char *s, size_t len)
{
    json_tokener *tok = json_tokener_new();
    json_object *o = NULL;

    if (!tok || len > 0x7fffffff)
        goto out;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT); /* as Python's json.loads: no trailing commas, … */
    o = json_tokener_parse_ex(tok, s, (int)len);
    if (!o || json_tokener_get_error(tok) != json_tokener_success) {
        json_object_put(o);
        o = NULL;
        goto out;
    }
    for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
        if (!isspace((unsigned char)s[i])) {
            json_object_put(o);
            o = NULL;
            break;
        }
out:
    if (tok)
        json_tokener_free(tok);
    return o;
}

static const char *adv_risk(const json_object *v)
{
    static const char *const levels[] = {"Low", "Medium", "High"};
    const char *s;

    if (!json_object_is_type(v, json_type_string))
        return "Low";
    s = json_object_get_string((json_object *)v);
    for (size_t i = 0; i < 3; i++)
        if (!strcasecmp(s, levels[i]))
            return levels[i];
    return "Low";
}

json_object *adv_parse_text(const char *text, adv_parse_e *how)
{
    const char *first, *last;
    json_object *o, *v, *recs;
    adv_parse_e dummy;

    if (!how)
        how = &dummy;
    if (!text)
        text = "";
    first = strchr(text, '{');
    last = strrchr(text, '}');
    if (!first || !last || last < first) {
        *how = ADV_PARSE_NO_JSON;
        return adv_fallback(ADV_NO_JSON_SUMMARY, ADV_NO_JSON_REC);
    }
    o = adv_parse_exact(first, (size_t)(last - first) + 1);
    if (!o || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        *how = ADV_PARSE_BAD_JSON;
        return adv_fallback(ADV_BAD_JSON_SUMMARY, ADV_BAD_JSON_REC);
    }
    *how = ADV_PARSE_OK;
    char *summary = NULL;
    if (json_object_object_get_ex(o, "summary", &v) && json_object_is_type(v, json_type_string))
        summary = adv_utf8_prefix(json_object_get_string(v), ADV_SUMMARY_MAX);
    recs = json_object_new_array();
    if (json_object_object_get_ex(o, "recommendations", &v) && json_object_is_type(v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(v) && json_object_array_length(recs) < ADV_RECS_MAX; i++) {
            json_object *e = json_object_array_get_idx(v, i);
            if (!json_object_is_type(e, json_type_string))
                continue;
            char *r = adv_utf8_prefix(json_object_get_string(e), ADV_REC_MAX);
            if (r)
                json_object_array_add(recs, json_object_new_string(r));
            free(r);
        }
    v = NULL;
    json_object_object_get_ex(o, "risk_assessment", &v);
    json_object *res = adv_result(summary ? summary : ADV_NO_SUMMARY, recs, adv_risk(v));
    free(summary);
    json_object_put(o);
    return res;
}

/* ---------------------------------------------------------------------- advisory objects */

json_object *adv_advisory_ok(const char *model, long generation_ms, json_object *parsed)
{
    json_object *o = json_object_new_object(), *v;

    json_object_object_add(o, "enabled", json_object_new_boolean(1));
    json_object_object_add(o, "generation_time_ms", json_object_new_int64(generation_ms));
    json_object_object_add(o, "model", json_object_new_string(model ? model : ""));
    static const char *const keys[] = {"summary", "recommendations", "risk_assessment"};
    for (size_t i = 0; i < 3; i++)
        if (parsed && json_object_object_get_ex(parsed, keys[i], &v))
            json_object_object_add(o, keys[i], json_object_get(v));
    json_object_put(parsed);
    return o;
}

json_object *adv_advisory_timeout(long timeout_ms)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "enabled", json_object_new_boolean(0));
    json_object_object_add(o, "generation_time_ms", json_object_new_int64(timeout_ms));
    json_object_object_add(o, "error", json_object_new_string(ADV_TIMEOUT_TEXT));
    json_object_object_add(o, "fallback", json_object_new_string(ADV_FALLBACK_TEXT));
    return o;
}

json_object *adv_advisory_failed(long elapsed_ms, const char *error)
{
    json_object *o = json_object_new_object();
    char *cut = adv_utf8_prefix(error ? error : "unknown error", ADV_ERROR_MAX);
    char *msg = NULL;

    if (cut) {
        size_t n = strlen(cut) + 40;
        msg = malloc(n);
        if (msg)
            snprintf(msg, n, "Advisory generation failed: %s", cut);
    }
    json_object_object_add(o, "enabled", json_object_new_boolean(0));
    json_object_object_add(o, "generation_time_ms", json_object_new_int64(elapsed_ms));
    json_object_object_add(o, "error",
                           json_object_new_string(msg ? msg : "Advisory generation failed"));
    json_object_object_add(o, "fallback", json_object_new_string(ADV_FALLBACK_TEXT));
    free(cut);
    free(msg);
    return o;
}

json_object *adv_advisory_disabled(void)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "enabled", json_object_new_boolean(0));
    json_object_object_add(o, "status", json_object_new_string("disabled"));
    json_object_object_add(o, "message",
                           json_object_new_string("advisor not configured (set "
                                                  "conf.advisor.ollama_url to enable it)"));
    return o;
}

int adv_is_timeout(const char *err)
{
    if (!err)
        return 0;
    for (const char *p = err; *p; p++)
        if (!strncasecmp(p, "timeout", 7) || !strncasecmp(p, "timed out", 9) ||
            !strncasecmp(p, "deadline", 8))
            return 1;
    return 0;
}
