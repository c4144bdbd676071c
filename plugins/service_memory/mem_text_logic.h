/*
 * mem_text_logic.h — THE canonical text of an episode context (pure C + json-c, no host API).
 *
 * One builder for everything that is embedded: a stored episode's context (on store, bulk and
 * backfill) and a search query's context go through mem_text_context(), so a query that equals
 * a stored context yields the same text and therefore the same embedding (orchestrator.md
 * §4.2.3 / Appendix A #20: the original had three different builders).
 *
 * Rules (stable across releases — changing them changes every embedding):
 *   - the value is walked depth first; object members in byte order of their keys (so the
 *     order a client wrote them in, or jsonb's storage order, does not matter); array elements
 *     in order;
 *   - every scalar leaf is one part "path: value", path = the keys from the root joined by "."
 *     (array positions are not part of the path); an empty object / array is "path: {}" /
 *     "path: []" (nothing at the top level); a top-level scalar is just its value;
 *   - values: strings with every run of whitespace collapsed to one space, trimmed and cut to
 *     MEM_TEXT_VALUE_MAX bytes on a UTF-8 boundary; integral numbers below 1e15 as integers
 *     (so 5, 5.0 and 5e0 are all "5"); other numbers with %.6g; true / false / null;
 *   - keys are cleaned like string values and cut to MEM_TEXT_KEY_MAX bytes;
 *   - parts are joined with " | "; a part that would make the text longer than MEM_TEXT_MAX
 *     bytes ends the text (the parts before it are kept).
 */
#ifndef MEM_TEXT_LOGIC_H
#define MEM_TEXT_LOGIC_H

#include <stddef.h>

struct json_object;

#define MEM_TEXT_MAX 16384
#define MEM_TEXT_VALUE_MAX 200
#define MEM_TEXT_KEY_MAX 100
#define MEM_TEXT_PATH_MAX 512

/* The canonical text of ctx (any JSON value; NULL is JSON null): malloc'd, NUL-terminated,
 * "" for an empty object. NULL only when out of memory. */
char *mem_text_context(struct json_object *ctx);

/* Copy at most max bytes of s (len bytes) into out with whitespace runs collapsed to one
 * space, leading/trailing whitespace removed, never cutting a UTF-8 sequence. out must hold
 * max + 1 bytes. Returns the bytes written (without the NUL). */
size_t mem_text_clean(const char *s, size_t len, char *out, size_t max);

#endif /* MEM_TEXT_LOGIC_H */
