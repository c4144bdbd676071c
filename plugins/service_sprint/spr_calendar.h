/* spr_calendar.h — one day of a project's calendar, from the Project service (spr_calendar.c). */
#ifndef SPR_CALENDAR_H
#define SPR_CALENDAR_H

#include "spr_internal.h"

typedef struct {
    char date[11];       /* the day asked about, "YYYY-MM-DD" (set by the caller) */
    const char *holiday; /* its holiday name, or NULL */
    const char **pto;    /* distinct employee ids on PTO that day (project members) */
    size_t npto;
    int team_size;       /* project members (P7) */
} spr_day_t;

/* Fill d (d->date set) from three Project calls. 1 ok; 0 replied 503 (nothing was changed). */
int spr_calendar_day(const spr_state_t *st, dsm_req_t *req, const char *pid, spr_day_t *d);
/* 1 when employee_id is among d->pto. */
int spr_day_on_pto(const spr_day_t *d, const char *employee_id);

#endif /* SPR_CALENDAR_H */
