/* spr_create.h — S5 sprint creation: the plan built by spr_create.c (checks) and carried out
 * by spr_plan.c (the transaction, the backlog assignment, what follows the commit). */
#ifndef SPR_CREATE_H
#define SPR_CREATE_H

#include "spr_internal.h"

typedef struct {
    const char *pid;
    const char *name;
    int64_t weeks;
    int64_t limit;  /* task_count, 0 = every unassigned task */
    char start[11], end[11];
    char sid[72];
    size_t n;       /* tasks taken from the backlog */
    const char **ids, **titles, **assignees;
} spr_plan_t;

/* Inside the open transaction: lock the project's sprints (advisory lock), re-check that none
 * is in progress (409), number the sprint (422 when its id would not fit), insert it and its
 * tasks. 1 ok; 0 replied (the transaction rolled back). */
int spr_plan_insert(const spr_state_t *st, dsm_req_t *req, spr_plan_t *p);
/* Backlog PUT /tasks/{id} for tasks [0, n): the sprint assignment, or (revert) back to
 * {"status":"unassigned","sprint_id":null}. Returns how many succeeded before the first
 * failure (*fail then describes it); revert continues past failures and returns n. */
size_t spr_plan_put(const spr_state_t *st, dsm_req_t *req, const spr_plan_t *p, size_t n,
                    int revert, spr_resp_t *fail);
/* After the commit: SprintStarted (with the real task list), one TASK_UPDATED per task
 * (correlation id = the request id), the Chronicle planning note; failures → *warnings. */
void spr_plan_after_commit(const spr_state_t *st, dsm_req_t *req, const spr_plan_t *p,
                           struct json_object **warnings);

#endif /* SPR_CREATE_H */
