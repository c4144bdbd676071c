/*
 * orc_rules_logic.h — the rule-based baseline (orchestrator.md §2 with the Appendix A fixes)
 * computed from a perception object (docs/ORCHESTRATOR.md §2/§3). Pure json-c.
 *
 * The orchestrator uses it only when the "rules" intelligence source is not loaded or gives
 * no usable answer, so a decision never fails because of a source. The rules plugin
 * implements the same rules; this is the core's safety net and the reference for its tests.
 */
#ifndef ORC_RULES_LOGIC_H
#define ORC_RULES_LOGIC_H

#include <stddef.h>

struct json_object;

/* The schedule name of a sprint: "run-dailyscrum-{lower(pid)}-{lower(sid)}" into buf. */
void orc_schedule_name(const char *project_id, const char *sprint_id, char *buf, size_t n);

/* The Baseline object of docs/ORCHESTRATOR.md §3 (new reference, caller owns). */
struct json_object *orc_rules_baseline(const struct json_object *perception);

/* JSON helpers shared by the pure files: member lookups that tolerate absence and wrong types. */
struct json_object *orc_jget(const struct json_object *o, const char *key);
struct json_object *orc_jpath(const struct json_object *o, const char *a, const char *b);
const char *orc_jstr(const struct json_object *o, const char *key);
/* Number (int or double, or a numeric string) → value; def when absent/invalid. */
double orc_jnum(const struct json_object *o, const char *key, double def);
int orc_jbool(const struct json_object *o, const char *key, int def);

#endif /* ORC_RULES_LOGIC_H */
