/*
 * routes.c — every endpoint of the Project service (shared/spec/api.md §2, P1–P20):
 * method, URL pattern, handler, body flags. The handler lives in the file named beside it.
 *
 * DELIBERATE DIFFERENCES from the original Python service (for docs/API.md)
 *
 *  1. Intended status codes instead of the accidental 500 {"detail":"Database operation
 *     failed."} (api.md §0.2: the original's catch-all swallowed its own HTTPExceptions):
 *       P5, P6  404 "Project APO009 not found."
 *       P10     404 "Employee E001 not assigned to project APO009"
 *       P11     404 "PTO entry {pto_id} not found for project {project_id}"
 *       P13     400 "Invalid JSON format" (empty body; malformed JSON is answered by the host),
 *               422 "Employee ID and name are required."
 *       P15     404 "Employee not found"
 *       P17     404 "Team not found"
 *       P18     404 "Team (employee) not found"
 *       P19     400 "Invalid JSON format" (as P13), 422 "'employee_ids' must be a list.",
 *               422 "All 'employee_ids' must be strings."
 *       P20     404 "Employee E001 not assigned to any projects."
 *  2. Database failures go through api->reply_db_error: 503 when the database is unreachable,
 *     409 on a unique violation, 500 otherwise (original: always 500 "Database operation
 *     failed.").
 *  3. P3: a duplicate id is 409 {"detail":"Project APO009 already exists."} (original: 500).
 *  4. P3, P6: a string longer than the VARCHAR(255) column is a 422 list entry
 *     {"type":"string_too_long","loc":["body",field],"msg":"String should have at most 255
 *     characters",...} (original: database error → 500).
 *  5. Stable order where the original had none: P4 by project id, P7 by employee id, P12
 *     holidays by date and PTO by start date then pto_id (P9 too, as tie-break), P15
 *     assigned_projects by project id, P16 by employee id, P20 by project id.
 *  6. SQL NULL is JSON null instead of a 500 from model validation: P4/P5 a NULL status (P5
 *     trims only non-null values), P8 a NULL holiday type.
 *  7. P9, P12: a PTO stored with a time of day other than midnight shows the DATE part of its
 *     timestamps in start_date/end_date/date (original: 500 from date validation). P12's
 *     details text still prints the full timestamps, Python style.
 *  8. P10: end_date before start_date is a 422 list entry {"type":"value_error","loc":["body",
 *     "end_date"],"msg":"Value error, end_date must not be before start_date","input":...}
 *     (original: accepted). The mapping check and the insert are one statement.
 *  9. P13: a body that is not a JSON object (array, string, number, null) → 422 "Request body
 *     must be a JSON object." (original: 500); employee_id and name must be non-empty JSON
 *     strings (original: any truthy value, e.g. a number, was inserted); gender, state,
 *     employee_id, name must be strings (or null/absent for gender/state) of at most
 *     10/50/255/255 characters → 422 "<field> must be a string of at most N characters.";
 *     age must be a JSON integer (or an integral number such as 31.0) within INTEGER → 422
 *     "age must be an integer." (original: passed anything to PostgreSQL → 500).
 * 10. P14 echoes only the host and content-type headers (original: every request header).
 * 11. P19: an unknown project is 404 "Project APO009 not found." (original: created mappings
 *     to a project that does not exist); a non-object body → 422 "Request body must be a JSON
 *     object." (original: 500); an id containing a NUL character is skipped like an unknown
 *     id. The project check and one set-based statement run in one transaction.
 * 12. Text from the request (path, query, body, headers) that is not valid UTF-8 has each
 *     ill-formed part replaced by U+FFFD (as Starlette decodes paths) so it never reaches
 *     PostgreSQL as an encoding error (500); such ids simply match nothing (404 / empty).
 * 13. P2's "service" value comes from conf.project.service_name (default "project-service").
 */
#include "prj_internal.h"

const dsm_route_t prj_routes[] = {
    /* prj_health.c */
    {DSM_GET, "/health", prj_health_live, 0},                                   /* P1 */
    {DSM_GET, "/health/ready", prj_health_ready, 0},                            /* P2 */
    /* prj_projects.c */
    {DSM_POST, "/projects", prj_project_create, DSM_RF_BODY_MODEL},             /* P3 */
    {DSM_GET, "/projects", prj_project_list, 0},                                /* P4 */
    {DSM_GET, "/projects/{project_id}", prj_project_get, 0},                    /* P5 */
    {DSM_PUT, "/projects/{project_id}/status", prj_project_status, DSM_RF_BODY_MODEL}, /* P6 */
    /* prj_members.c */
    {DSM_GET, "/projects/{project_id}/team-members", prj_members_list, 0},      /* P7 */
    /* prj_calendar.c */
    {DSM_GET, "/calendar/holidays", prj_holidays_list, 0},                      /* P8 */
    {DSM_GET, "/projects/{project_id}/calendar/pto", prj_pto_list, 0},          /* P9 */
    {DSM_POST, "/projects/{project_id}/calendar/pto", prj_pto_add, DSM_RF_BODY_MODEL}, /* P10 */
    {DSM_DELETE, "/projects/{project_id}/calendar/pto/{pto_id}", prj_pto_delete, 0}, /* P11 */
    {DSM_GET, "/projects/{project_id}/availability/check", prj_availability, 0}, /* P12 */
    /* prj_employees.c */
    {DSM_POST, "/employees", prj_employee_create, DSM_RF_BODY_RAW},             /* P13 */
    {DSM_POST, "/debug-employees", prj_employee_debug, 0},                      /* P14 */
    {DSM_GET, "/employees/{employee_id}", prj_employee_get, 0},                 /* P15 */
    {DSM_GET, "/teams", prj_team_list, 0},                                      /* P16 */
    {DSM_GET, "/teams/{team_id}", prj_team_get, 0},                             /* P17 */
    {DSM_GET, "/teams/{team_id}/members", prj_team_members, 0},                 /* P18 */
    /* prj_members.c */
    {DSM_POST, "/projects/{project_id}/team-members-assign", prj_members_assign,
     DSM_RF_BODY_RAW},                                                          /* P19 */
    {DSM_GET, "/employees/{employee_id}/teams", prj_employee_projects, 0},      /* P20 */
    {0, NULL, NULL, 0},
};
