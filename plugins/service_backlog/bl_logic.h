/*
 * bl_logic.h — pure helpers of the Backlog service: no host API, no state. Linked into the
 * plugin and, directly, into the unit tests (tests/unit/plugins/test_backlog_logic.c).
 * json-c is the only library used (TASK_UPDATED documents).
 */
#ifndef BL_LOGIC_H
#define BL_LOGIC_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

/* ---- the backlog template (shared/spec/workflows.md §2.4) ---- */
#define BL_TEMPLATE_COUNT 10
typedef struct {
    const char *title;
    const char *description;
} bl_template_task_t;

/* Task n (1..BL_TEMPLATE_COUNT) of the template, or NULL. */
const bl_template_task_t *bl_template(int n);

/* "{project}-TASK{nnn}" (3 digits). snprintf contract: writes at most n bytes, returns the
 * length the full text needs. */
size_t bl_task_id(char *out, size_t n, const char *project_id, int number);

/* VARCHAR(255) of tasks.task_id: the longest project id whose task ids still fit
 * ("-TASK001" adds 8 characters). */
#define BL_MAX_TASK_ID 255
#define BL_MAX_PROJECT_ID (BL_MAX_TASK_ID - 8)

/* ---- task vocabulary ---- */
/* The statuses a backlog task can have (workflows.md §2.2). */
#define BL_STATUS_LITERAL_MSG                                                                      \
    "Input should be 'unassigned', 'assigned_to_sprint', 'in_progress' or 'completed'"
int bl_status_known(const char *status); /* 1 for one of the four, else 0 */
int bl_progress_valid(int64_t progress); /* 1 for 0..100 */

/* ---- text ---- */
/* Code points of UTF-8 text (what PostgreSQL's VARCHAR(n) counts). */
size_t bl_utf8_chars(const char *s);
/* A service base URL without its trailing slashes, into out (n bytes). */
void bl_base_url(char *out, size_t n, const char *url);

/* ---- SQLSTATE classes ---- */
/* 1 when the database could not be reached (class 08, 57P, 53300): HTTP 503, consumer retry. */
int bl_sqlstate_unreachable(const char *sqlstate);
/* 1 when the same statement may succeed later: unreachable, or a serialization failure /
 * deadlock (class 40). The consumer leaves such a message pending. */
int bl_sqlstate_retryable(const char *sqlstate);

/* ---- Redis stream ids ---- */
/* "1700000000000-5" → ms 1700000000000, seq 5. Returns 0, or -1 when not a stream id. */
int bl_stream_id_parse(const char *id, int64_t *ms, int64_t *seq);

/* ---- TASK_UPDATED (api.md §8.1, workflows.md §1.3) ---- */
typedef enum {
    BL_EV_APPLY = 0,      /* a TASK_UPDATED with something to apply */
    BL_EV_IGNORE = 1,     /* another event type, or nothing to apply: acknowledge */
    BL_EV_MALFORMED = -1, /* not a valid TASK_UPDATED document: acknowledge and log */
} bl_ev_result_e;

typedef enum { BL_SPRINT_KEEP = 0, BL_SPRINT_SET = 1, BL_SPRINT_CLEAR = 2 } bl_sprint_e;

typedef struct {
    struct json_object *doc; /* owns every string below; bl_event_free() puts it */
    const char *event_id;    /* the document's event_id, NULL when absent */
    const char *task_id;
    const char *status;      /* NULL: keep */
    int has_progress;
    int progress;            /* 0..100 when has_progress */
    bl_sprint_e sprint;      /* what to do with sprint_id */
    const char *sprint_id;   /* BL_SPRINT_SET */
    const char *assigned_to; /* NULL: keep */
} bl_event_t;

/* Parse the stream field "data" of a task_update_events message. Rules:
 *  - data must be a JSON object; event_type other than "TASK_UPDATED" → BL_EV_IGNORE;
 *  - event_data must be an object whose task_id is a non-empty string;
 *  - status: null/absent keeps the task's; otherwise one of the four known statuses;
 *  - progress_percentage: null/absent keeps; otherwise an integer 0..100 (JSON integer, an
 *    integral number such as 35.0, or a decimal string "35");
 *  - sprint_id: a non-empty string sets it; null/absent keeps it; status "unassigned" clears it
 *    (the task went back to the backlog);
 *  - assigned_to: a non-empty string other than "unassigned" sets it; otherwise kept;
 *  - strings are at most 255 characters (the columns' width);
 *  - nothing to apply → BL_EV_IGNORE.
 * On BL_EV_MALFORMED err (errlen bytes) says why. ev->doc is set (or NULL) in every case. */
bl_ev_result_e bl_event_parse(const char *data, bl_event_t *ev, char *err, size_t errlen);
void bl_event_free(bl_event_t *ev);

#endif /* BL_LOGIC_H */
