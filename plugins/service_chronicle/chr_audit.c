/* chr_audit.c — orchestration decision audits: C7 record one, C11 list them. */
#include "chr_internal.h"

/* {"tasks_to_assign", "sprint_duration_weeks", "reasoning"} (RuleBasedDecisionPayload), or with
 * final set {"create_new_sprint", ..., "decision_source"} (EnhancedDecisionPayload; extra keys
 * dropped). */
static struct json_object *norm_decision(chr_vc_t *vc, const char *field, struct json_object *d,
                                         int final)
{
    chr_path_t at = {NULL, field, 0};
    struct json_object *o = json_object_new_object();
    const char *s = NULL;
    int64_t n = 0;
    int b = 0;

    if (final) {
        chr_vc_bool(vc, &at, d, "create_new_sprint", CHR_V_REQ, &b);
        json_object_object_add(o, "create_new_sprint", json_object_new_boolean(b));
    }
    chr_vc_int(vc, &at, d, "tasks_to_assign", CHR_V_REQ, &n);
    json_object_object_add(o, "tasks_to_assign", json_object_new_int64(n));
    n = 0;
    chr_vc_int(vc, &at, d, "sprint_duration_weeks", CHR_V_REQ, &n);
    json_object_object_add(o, "sprint_duration_weeks", json_object_new_int64(n));
    chr_vc_str(vc, &at, d, "reasoning", CHR_V_REQ, CHR_MAX_TEXT, &s);
    json_object_object_add(o, "reasoning", chr_jstr(s));
    if (final) {
        s = NULL;
        chr_vc_str(vc, &at, d, "decision_source", CHR_V_REQ, CHR_MAX_ID, &s);
        json_object_object_add(o, "decision_source", chr_jstr(s));
    }
    return o;
}

/* intelligence_recommendations: a list of objects, kept as sent. */
static struct json_object *norm_recommendations(chr_vc_t *vc, struct json_object *list)
{
    chr_path_t lp = {NULL, "intelligence_recommendations", 0};
    struct json_object *arr = json_object_new_array();

    for (size_t i = 0; list != NULL && i < json_object_array_length(list); i++) {
        struct json_object *it = json_object_array_get_idx(list, i);

        if (chr_vc_item_object(vc, &lp, it, i, NULL) == 1)
            json_object_array_add(arr, json_object_get(it));
    }
    return arr;
}

/* applied_adjustments: name → IntelligenceAdjustmentDetailPayload with all eight keys. */
static struct json_object *norm_adjustments(chr_vc_t *vc, struct json_object *map)
{
    static const char *const anys[3] = {"original_recommendation", "intelligence_recommendation",
                                        "applied_value"};
    static const char *const opt_texts[2] = {"rationale", "expected_improvement"};
    chr_path_t mp = {NULL, "applied_adjustments", 0};
    struct json_object *out = json_object_new_object();

    if (map == NULL)
        return out;
    json_object_object_foreach(map, name, adj)
    {
        chr_path_t ap = {&mp, name, 0};
        struct json_object *o, *v = NULL, *details = NULL;
        const char *s = NULL;
        double conf = 0;

        if (adj == NULL || !json_object_is_type(adj, json_type_object)) {
            chr_vc_object(vc, &mp, map, name, CHR_V_REQ, "IntelligenceAdjustmentDetailPayload", &v);
            continue;
        }
        o = json_object_new_object();
        for (int i = 0; i < 3; i++) {
            v = NULL;
            chr_vc_any(vc, &ap, adj, anys[i], CHR_V_REQ, &v);
            json_object_object_add(o, anys[i], json_object_get(v));
        }
        chr_vc_float(vc, &ap, adj, "confidence", CHR_V_REQ, &conf);
        json_object_object_add(o, "confidence", chr_jfloat(conf));
        chr_vc_str(vc, &ap, adj, "evidence_source", CHR_V_REQ, CHR_MAX_TEXT, &s);
        json_object_object_add(o, "evidence_source", chr_jstr(s));
        chr_vc_object(vc, &ap, adj, "evidence_details", CHR_V_NULL, NULL, &details);
        json_object_object_add(o, "evidence_details", json_object_get(details));
        for (int i = 0; i < 2; i++) {
            s = NULL;
            chr_vc_str(vc, &ap, adj, opt_texts[i], CHR_V_NULL, CHR_MAX_TEXT, &s);
            json_object_object_add(o, opt_texts[i], chr_jstr(s));
        }
        json_object_object_add(out, name, o);
    }
    return out;
}

/* C7 POST /v1/notes/decision_audit — stored as an 'orchestration_decision_audit' note:
 * summary = combined_reasoning, additional_data = the normalised body. 201 {"message",
 * "note_id"}. */
int chr_audit_create(void *state, dsm_req_t *req)
{
    static const char *const req_texts[5] = {"audit_id", "project_id", "timestamp",
                                             "combined_reasoning", "correlation_id"};
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    struct json_object *body = api->req_body(req);
    struct json_object *base = NULL, *recs = NULL, *adjs = NULL, *final = NULL, *ad = NULL;
    const char *t[5] = {NULL}, *sprint_id = NULL;
    const char *p[4];
    chr_vc_t vc;
    dsm_rows_t *r;
    int rc = DSM_OK;

    chr_vc_init(&vc, st, req);
    for (int i = 0; i < 5; i++) {
        api->v_str(req, "body", req_texts[i], DSM_V_REQUIRED, &t[i]);
        chr_check_len(st, req, req_texts[i], t[i], i == 1 ? CHR_MAX_ID : CHR_MAX_TEXT);
    }
    api->v_str(req, "body", "sprint_id", 0, &sprint_id);
    chr_check_len(st, req, "sprint_id", sprint_id, CHR_MAX_ID);
    chr_vc_object(&vc, NULL, body, "base_decision", CHR_V_REQ, "RuleBasedDecisionPayload", &base);
    chr_vc_list(&vc, NULL, body, "intelligence_recommendations", 0, &recs);
    chr_vc_object(&vc, NULL, body, "applied_adjustments", 0, NULL, &adjs);
    chr_vc_object(&vc, NULL, body, "final_decision", CHR_V_REQ, "EnhancedDecisionPayload", &final);
    if (api->v_failed(req))
        goto done;

    ad = json_object_new_object();
    json_object_object_add(ad, "audit_id", json_object_new_string(t[0]));
    json_object_object_add(ad, "project_id", json_object_new_string(t[1]));
    json_object_object_add(ad, "timestamp", json_object_new_string(t[2]));
    json_object_object_add(ad, "base_decision", norm_decision(&vc, "base_decision", base, 0));
    json_object_object_add(ad, "intelligence_recommendations", norm_recommendations(&vc, recs));
    json_object_object_add(ad, "applied_adjustments", norm_adjustments(&vc, adjs));
    json_object_object_add(ad, "final_decision", norm_decision(&vc, "final_decision", final, 1));
    json_object_object_add(ad, "combined_reasoning", json_object_new_string(t[3]));
    json_object_object_add(ad, "correlation_id", json_object_new_string(t[4]));
    json_object_object_add(ad, "sprint_id", chr_jstr(sprint_id));
    if (chr_vc_reply(&vc))
        goto done;

    p[0] = t[1];
    p[1] = sprint_id;
    p[2] = t[3];
    p[3] = chr_json_text(st, req, ad);
    r = api->db_exec(req, NULL,
                     "INSERT INTO chronicle_notes (event_type, project_id, sprint_id, summary, "
                     "additional_data) VALUES ('orchestration_decision_audit', $1, $2, $3, "
                     "$4::jsonb) RETURNING id::text",
                     4, p);
    if (r == NULL)
        rc = chr_db_fail(st, req, 0);
    else
        rc = chr_reply_created(st, req, "Decision audit note recorded successfully", "note_id",
                               api->rows_value(r, 0, 0));
done:
    chr_vc_free(&vc);
    if (ad != NULL)
        json_object_put(ad);
    return rc;
}

/* C11 GET /v1/notes/decision_audit?project_id= — the stored additional_data objects (jsonb key
 * order), newest first; [] when none. Also lists the audit notes written by the stream
 * consumer (chr_events.c). */
int chr_audit_list(void *state, dsm_req_t *req)
{
    const chr_state_t *st = state;
    const dsm_api_t *api = st->api;
    const char *p[1] = {chr_filter(st, req, "project_id")};
    struct json_object *arr;
    dsm_rows_t *r;
    int n;

    r = api->db_exec(req, NULL,
                     "SELECT additional_data::text FROM chronicle_notes "
                     "WHERE event_type = 'orchestration_decision_audit' "
                     "AND ($1::text IS NULL OR project_id = $1) ORDER BY created_at DESC, id",
                     1, p);
    if (r == NULL)
        return chr_db_fail(st, req, 0);
    n = api->rows_count(r);
    arr = json_object_new_array_ext(n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, chr_jparse(api->rows_value(r, i, 0)));
    return api->reply_json(req, 200, arr);
}
