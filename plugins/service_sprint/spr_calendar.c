/*
 * spr_calendar.c — what the Project service says about one day of a project, for the daily
 * scrum: the holiday (P12 availability check for [date, date]), the members on PTO (P9), and
 * the team size (P7).
 */
#include <string.h>

#include "spr_calendar.h"

static const char *member_str(const dsm_api_t *api, dsm_req_t *req, struct json_object *o,
                              const char *key)
{
    struct json_object *v = NULL;

    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return api->pstrdup(req, json_object_get_string(v));
}

/* P12: the name of a holiday conflict dated `date`, into d->holiday. */
static int day_holiday(const spr_state_t *st, dsm_req_t *req, const char *pid, spr_day_t *d)
{
    const dsm_api_t *api = st->api;
    struct json_object *list = NULL;
    spr_resp_t r;

    if (!spr_call(st, req, SPR_PROJECT, "GET",
                  api->psprintf(req, "/projects/%s/availability/check?start_date=%s&end_date=%s",
                                spr_seg(st, req, pid), d->date, d->date),
                  NULL, &r) ||
        !json_object_object_get_ex(r.body, "conflicts", &list) ||
        !json_object_is_type(list, json_type_array)) {
        spr_unavailable(st, req, 0, SPR_PROJECT, &r, ": cannot check holidays for the daily scrum.");
        spr_resp_free(&r);
        return 0;
    }
    for (size_t i = 0; i < json_object_array_length(list) && d->holiday == NULL; i++) {
        struct json_object *c = json_object_array_get_idx(list, i);
        const char *type = member_str(api, req, c, "type"), *date = member_str(api, req, c, "date");

        if (type != NULL && strcmp(type, "holiday") == 0 && date != NULL &&
            strncmp(date, d->date, 10) == 0) {
            const char *name = member_str(api, req, c, "name");

            d->holiday = name != NULL ? name : "Holiday";
        }
    }
    spr_resp_free(&r);
    return 1;
}

/* P9: distinct employee ids whose PTO covers `date`, into d->pto. */
static int day_pto(const spr_state_t *st, dsm_req_t *req, const char *pid, spr_day_t *d)
{
    const dsm_api_t *api = st->api;
    spr_resp_t r;
    size_t len;

    if (!spr_call(st, req, SPR_PROJECT, "GET",
                  api->psprintf(req, "/projects/%s/calendar/pto", spr_seg(st, req, pid)), NULL,
                  &r) ||
        !json_object_is_type(r.body, json_type_array)) {
        spr_unavailable(st, req, 0, SPR_PROJECT, &r, ": cannot check PTO for the daily scrum.");
        spr_resp_free(&r);
        return 0;
    }
    len = json_object_array_length(r.body);
    d->pto = api->palloc(req, (len + 1) * sizeof(char *));
    for (size_t i = 0; i < len && d->pto != NULL; i++) {
        struct json_object *p = json_object_array_get_idx(r.body, i);
        const char *who = member_str(api, req, p, "employee_id");

        if (who == NULL || spr_day_on_pto(d, who) ||
            !spr_date_within(d->date, member_str(api, req, p, "start_date"),
                             member_str(api, req, p, "end_date")))
            continue;
        d->pto[d->npto++] = who;
    }
    spr_resp_free(&r);
    return 1;
}

/* P7: the number of team members. */
static int day_team(const spr_state_t *st, dsm_req_t *req, const char *pid, spr_day_t *d)
{
    const dsm_api_t *api = st->api;
    struct json_object *members = NULL;
    spr_resp_t r;

    if (!spr_call(st, req, SPR_PROJECT, "GET",
                  api->psprintf(req, "/projects/%s/team-members", spr_seg(st, req, pid)), NULL,
                  &r) ||
        !json_object_object_get_ex(r.body, "team_members", &members) ||
        !json_object_is_type(members, json_type_array)) {
        spr_unavailable(st, req, 0, SPR_PROJECT, &r, ": cannot read the team for the daily scrum.");
        spr_resp_free(&r);
        return 0;
    }
    d->team_size = (int)json_object_array_length(members);
    spr_resp_free(&r);
    return 1;
}

int spr_calendar_day(const spr_state_t *st, dsm_req_t *req, const char *pid, spr_day_t *d)
{
    d->holiday = NULL;
    d->pto = NULL;
    d->npto = 0;
    d->team_size = 0;
    return day_holiday(st, req, pid, d) && day_pto(st, req, pid, d) && day_team(st, req, pid, d);
}

int spr_day_on_pto(const spr_day_t *d, const char *employee_id)
{
    if (employee_id == NULL)
        return 0;
    for (size_t i = 0; i < d->npto; i++)
        if (strcmp(d->pto[i], employee_id) == 0)
            return 1;
    return 0;
}
