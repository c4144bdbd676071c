/*
 * prj_logic.h — pure text helpers of the Project service: no host API, no json-c, no state.
 * Linked into the plugin and, directly, into the unit tests (tests/unit/plugins/).
 */
#ifndef PRJ_LOGIC_H
#define PRJ_LOGIC_H

#include <stddef.h>



/* Code points in s (an ill-formed subpart counts as one, like its U+FFFD would). This is what
 * PostgreSQL's VARCHAR(n) limit counts in a UTF-8 database. */
size_t prj_utf8_chars(const char *s);

/* Python str.strip(): the start of s without leading whitespace; *len gets the length without
 * trailing whitespace. Whitespace is Python's str.isspace() set (ASCII \t\n\v\f\r, space,
 * \x1c-\x1f, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000). */
const char *prj_strip(const char *s, size_t *len);

/* The name shown for a PTO conflict: the employee's name, or the id when the name is empty
 * (Python `name or employee_id`). */
const char *prj_pto_name(const char *name, const char *employee_id);

/* P12 details text "Alice on PTO from 2025-12-24 00:00:00 to 2025-12-26 00:00:00": start_us and
 * end_us are "YYYY-MM-DD HH:MM:SS.ffffff" (to_char ... 'YYYY-MM-DD HH24:MI:SS.US'); the
 * fraction is dropped when it is zero, as Python's str(datetime) does. NULL prints "None".
 * snprintf contract: writes at most n bytes, returns the length the full text needs. */
size_t prj_pto_details(char *out, size_t n, const char *name, const char *start_us,
                       const char *end_us);


#endif /* PRJ_LOGIC_H */
