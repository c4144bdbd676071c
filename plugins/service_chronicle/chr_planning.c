/* chr_planning.c — sprint planning notes: C5 record one, C10 list them as raw rows. */
#include <stdio.h>
#include <string.h>

#include "chr_internal.h"

/* C5 POST /v1/notes/sprint_planning — body project_id, sprint_id, sprint_goal, planned_tasks
 * (other keys ignored); note_content = "Goal: {goal}\nPlanned Tasks: {ids joined by ", "}". */
int chr_planning_create(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *tasks = NULL;
    const char *p[3] = {NULL, NULL, NULL}, *goal = NULL;
    const char **ids = NULL;
    size_t n = 0, len, off;
    chr_path_t tp = {NULL, "planned_tasks", 0};
    chr_vc_t vc;
    dsm_rows_t *r;
    char *content;

    chr_vc_init(&vc, st, req);
    api->v_str(req, "body", "project_id", DSM_V_REQUIRED, &p[0]);
    api->v_str(req, "body", "sprint_id", DSM_V_REQUIRED, &p[1]);
    api->v_str(req, "body", "sprint_goal", DSM_V_REQUIRED, &goal);
    chr_vc_list(&vc, NULL, api->req_body(req), "planned_tasks", CHR_V_REQ, &tasks);
    chr_check_len(st, req, "project_id", p[0], CHR_MAX_ID);
    chr_check_len(st, req, "sprint_id", p[1], CHR_MAX_ID);
    chr_check_len(st, req, "sprint_goal", goal, CHR_MAX_TEXT);
    if (api->v_failed(req))
        return DSM_OK;
    n = json_object_array_length(tasks);
    ids = api->palloc(req, (n + 1) * sizeof(*ids));
    if (ids == NULL)
        return api->reply_error(req, 500, "Internal Server Error");
    len = strlen("Goal: \nPlanned Tasks: ") + strlen(goal) + 1;
    for (size_t i = 0; i < n; i++) {
        chr_vc_item_str(&vc, &tp, json_object_array_get_idx(tasks, i), i, CHR_MAX_ID, &ids[i]);
        len += (ids[i] != NULL ? strlen(ids[i]) : 0) + 2;
    }
    if (chr_vc_reply(&vc))
        return DSM_OK;

    content = api->palloc(req, len);
    if (content == NULL)
        return api->reply_error(req, 500, "Internal Server Error");
    off = (size_t)snprintf(content, len, "Goal: %s\nPlanned Tasks: ", goal);
    for (size_t i = 0; i < n && off < len; i++)
        off += (size_t)snprintf(content + off, len - off, "%s%s", i > 0 ? ", " : "", ids[i]);
    p[2] = content;
    r = api->db_exec(req, NULL,
                     "INSERT INTO chronicle_notes (event_type, project_id, sprint_id, "
                     "note_content) VALUES ('sprint_planning', $1, $2, $3) RETURNING id::text",
                     3, p);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    return chr_reply_created(st, req, "Sprint planning note recorded successfully", "note_id",
                             api->rows_value(r, 0, 0));
}

/* How a chronicle_notes column is rendered in a raw row. */
typedef enum { CHR_COL_TEXT, CHR_COL_TS, CHR_COL_JSON } chr_col_kind_t;

static const struct {
    const char *name;
    chr_col_kind_t kind;
} chr_note_cols[14] = {
    {"id", CHR_COL_TEXT},
    {"event_type", CHR_COL_TEXT},
    {"project_id", CHR_COL_TEXT},
    {"sprint_id", CHR_COL_TEXT},
    {"note_content", CHR_COL_TEXT},
    {"report_date", CHR_COL_TEXT}, /* to_char(..., 'YYYY-MM-DD') */
    {"employee_id", CHR_COL_TEXT},
    {"yesterday_work", CHR_COL_TEXT},
    {"today_work", CHR_COL_TEXT},
    {"impediments", CHR_COL_TEXT},
    {"created_at", CHR_COL_TS},
    {"summary_metrics", CHR_COL_JSON},
    {"additional_data", CHR_COL_JSON},
    {"summary", CHR_COL_TEXT},
};

/* C10 GET /v1/notes/sprint_planning?sprint_id=&project_id= — every column of the matching
 * notes, newest first; [] when none. */
int chr_planning_list(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *p[2] = {chr_filter(st, req, "sprint_id"), chr_filter(st, req, "project_id")};
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL,
                     "SELECT id::text, event_type, project_id, sprint_id, note_content, "
                     "to_char(report_date, 'YYYY-MM-DD'), employee_id, yesterday_work, today_work, "
                     "impediments, created_at::text, summary_metrics::text, additional_data::text, "
                     "summary FROM chronicle_notes WHERE event_type = 'sprint_planning' "
                     "AND ($1::text IS NULL OR sprint_id = $1) "
                     "AND ($2::text IS NULL OR project_id = $2) ORDER BY created_at DESC, id",
                     2, p);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        struct json_object *o = json_object_new_object();

        for (int c = 0; c < 14; c++) {
            const char *v = api->rows_value(r, i, c);
            struct json_object *jv = chr_note_cols[c].kind == CHR_COL_TS     ? chr_jts(st, req, v)
                                     : chr_note_cols[c].kind == CHR_COL_JSON ? chr_jparse(v)
                                                                             : chr_jstr(v);

            json_object_object_add(o, chr_note_cols[c].name, jv);
        }
        json_object_array_add(arr, o);
    }
    return api->reply_json(req, 200, arr);
}
