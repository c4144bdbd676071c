/*
 * advisor_logic.h — the pure part of the AI advisor (orchestrator.md §7): the decision facts it
 * explains, the prompt, the /api/generate request body, the parsing of the model's answer and
 * the ai_agent_advisory objects. json-c and libc only (unit-tested without a host).
 */
#ifndef ADVISOR_LOGIC_H
#define ADVISOR_LOGIC_H

#include <stddef.h>

struct json_object;

#define ADV_SUMMARY_MAX 500       /* characters (code points) */
#define ADV_RECS_MAX 3
#define ADV_REC_MAX 200           /* characters per recommendation */
#define ADV_REASONING_MAX 2000    /* characters of reasoning put into the prompt */
#define ADV_ERROR_MAX 100         /* characters of an error kept in "Advisory generation failed: …" */
#define ADV_TEMPERATURE 0.3
#define ADV_NUM_PREDICT 500

#define ADV_FALLBACK_TEXT "AI advisor unavailable - using standard decision process"
#define ADV_TIMEOUT_TEXT "Advisory timeout - proceeding with standard decision"
#define ADV_NO_JSON_SUMMARY "Decision processed successfully with available data."
#define ADV_NO_JSON_REC "Monitor project progress closely"
#define ADV_BAD_JSON_SUMMARY "Decision completed based on available project data and rules."
#define ADV_BAD_JSON_REC "Continue monitoring project metrics"
#define ADV_NO_SUMMARY "Decision processed successfully."

/* What the advisor explains: the decision and two facts of the project (§7.2). Strings and
 * JSON are borrowed. Unknown numbers are -1, an unknown flag is -1. */
typedef struct {
    const char *project_id;
    long team_size;
    long unassigned_tasks;
    int create_new_sprint;
    long tasks_to_assign;
    long sprint_duration_weeks;
    const char *decision_source;            /* "rule_based_only", ... (NULL: unknown) */
    const char *reasoning;                  /* NULL: none */
    const struct json_object *confidence_scores; /* NULL / {} → "None" in the prompt */
    const struct json_object *adjustments;       /* intelligence_adjustments */
} adv_input_t;

/* Fill in from the decision context: perception (team, backlog) and the decision object
 * (dc->baseline). Both may be NULL. Every member is looked up under the names the orchestrator
 * contract uses, with the original's names as a fallback (see advisor_logic.c). */
void adv_input_from_json(adv_input_t *in, const char *project_id,
                         const struct json_object *perception, const struct json_object *decision);

/* The prompt (§7.3): malloc'd text, NULL when out of memory. */
char *adv_prompt(const adv_input_t *in);

/* The /api/generate body: {"model","prompt","stream":false,"format":"json","options":
 * {"temperature":0.3,"num_predict":500}} — no "\n\n" stop sequence (Appendix A #35). */
struct json_object *adv_request_body(const char *model, const char *prompt);

/* Outcome of parsing the model's text. */
typedef enum {
    ADV_PARSE_OK = 0,      /* a JSON object was found and read */
    ADV_PARSE_NO_JSON = 1, /* no "{ … }" in the text: the first fallback */
    ADV_PARSE_BAD_JSON = 2 /* "{ … }" that is not one JSON object: the second fallback */
} adv_parse_e;

/* Parse the "response" text (§7.4): returns a new object {"summary","recommendations",
 * "risk_assessment"} (never NULL unless out of memory) and, in *how, which rule applied.
 * text NULL is treated as "". */
struct json_object *adv_parse_text(const char *text, adv_parse_e *how);

/* ai_agent_advisory objects (§7.5). adv_advisory_ok takes parsed (from adv_parse_text). */
struct json_object *adv_advisory_ok(const char *model, long generation_ms, struct json_object *parsed);
struct json_object *adv_advisory_timeout(long timeout_ms);
struct json_object *adv_advisory_failed(long elapsed_ms, const char *error);
/* Not configured: {"enabled":false,"status":"disabled","message":…}. */
struct json_object *adv_advisory_disabled(void);

/* 1 when an HTTP client error text means the time ran out (curl's "Timeout was reached" /
 * "Operation timed out…", the host's "deadline exceeded"). */
int adv_is_timeout(const char *err);


/* The first max code points of UTF-8 text s (a malloc'd copy; invalid bytes count as one). */
char *adv_utf8_prefix(const char *s, size_t max);

#endif /* ADVISOR_LOGIC_H */
