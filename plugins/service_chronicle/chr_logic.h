/*
 * chr_logic.h — pure helpers of the Chronicle service: no host API, no json-c, no state.
 * Linked into the plugin and, directly, into the unit tests (tests/unit/plugins/).
 */
#ifndef CHR_LOGIC_H
#define CHR_LOGIC_H

#include <stddef.h>
#include <stdint.h>

/* Code points in a UTF-8 string (what PostgreSQL's VARCHAR(n) counts; the host has already
 * rejected ill-formed UTF-8, so every lead byte starts one code point). */
size_t chr_utf8_chars(const char *s);

/* ---- datetimes (Pydantic v2 lax parsing, Python isoformat output) ---- */

typedef struct {
    int y, mo, d, h, mi, s;
    int us;      /* microseconds 0..999999 */
    int has_tz;  /* 1 when an offset (or Z) was given */
    int off_min; /* offset east of UTC in minutes (has_tz only) */
} chr_dt_t;

/* Parses "YYYY-MM-DD" (midnight, naive) or "YYYY-MM-DD{T,t, }HH:MM[:SS[.f{1,6}]]" optionally
 * followed by "Z"/"z" or "±HH[:MM]"/"±HHMM". Returns 0, or -1 with *why (a speedate-like
 * reason, e.g. "input is too short") when the text is not such a datetime. */
int chr_dt_parse(const char *s, chr_dt_t *out, const char **why);

/* A Unix timestamp in seconds (or milliseconds when |v| > 2e10, as Pydantic does) → an aware
 * UTC datetime. Returns -1 when out of the year 1..9999 range. */
int chr_dt_from_epoch(double v, chr_dt_t *out);

/* Python datetime.isoformat(): "YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]" (the fraction only when
 * non-zero). With zulu set, an offset of zero prints "Z" (Pydantic's JSON serialisation).
 * snprintf contract: writes at most n bytes, returns the length the text needs. */
size_t chr_dt_iso(const chr_dt_t *dt, int zulu, char *out, size_t n);

/* The same instant as a naive UTC datetime (a naive input is taken as UTC). */
void chr_dt_to_utc(const chr_dt_t *in, chr_dt_t *out);

/* in shifted by days (may be negative); time of day and offset unchanged. */
void chr_dt_add_days(const chr_dt_t *in, long days, chr_dt_t *out);

/* -1, 0, 1 as a is before, equal to, after b (both naive, or both in the same offset). */
int chr_dt_cmp(const chr_dt_t *a, const chr_dt_t *b);

/* Days since 1970-01-01 of a calendar date (proleptic Gregorian). */
long chr_days_from_civil(int y, int m, int d);

/* ---- numbers the way Python prints and rounds them ---- */

/* Python round(x, ndigits) for a float: the exact binary value rounded half-to-even. */
double chr_round(double x, int ndigits);

/* Python repr(float): the shortest text that reads back as x; fixed notation with at least
 * one fractional digit ("7.0") for 1e-4 <= |x| < 1e16, else "1e+16" / "1.5e-05" style;
 * "inf", "-inf", "nan" for the non-finite ones. snprintf contract. */
size_t chr_py_float(double x, char *out, size_t n);

/* ---- analytics rules ---- */

/* Normalised form used to compare impediment texts: surrounding whitespace and trailing dots
 * removed, ASCII lower-cased. The SQL twin is CHR_SQL_IMP_NORM (chr_internal.h). Writes at
 * most n bytes (NUL included); returns the full length. */
size_t chr_imp_norm(const char *s, char *out, size_t n);

/* 1 when an impediment text means "no impediment": NULL, empty, or (after chr_imp_norm) one of
 * CHR_NO_IMPEDIMENT ("none", "none reported", "n/a", ...). */
int chr_no_impediment(const char *s);

/* The markers of chr_no_impediment as one PostgreSQL text[] literal ({"none","n/a",...}),
 * to be bound as a parameter ($n::text[]). */
const char *chr_no_impediment_array(void);

/* Key used to compare action items / impediments between projects: ASCII lower-cased, every
 * run of digits replaced by "#", whitespace runs collapsed to one space, surrounding
 * whitespace and trailing dots removed ("Review 7 tasks that were completed." and "review 10
 * tasks that were completed" both give "review # tasks that were completed").
 * Writes at most n bytes (NUL included); returns the full length. */
size_t chr_match_key(const char *s, char *out, size_t n);

/* Weighted Jaccard similarity of two projects: 0.4 x impediment sets + 0.6 x action-item sets,
 * the weights renormalised over the components where at least one project has data (a
 * component whose union is empty says nothing either way). 0 when both unions are empty. */
double chr_similarity(size_t imp_inter, size_t imp_union, size_t act_inter, size_t act_union);

/* The sprint task count with the best mean completion rate: totals[i] tasks with rates[i]
 * (0..1) for n sprints; sprints with 0 tasks are ignored; ties go to the larger count.
 * 0 when no sprint has tasks. */
int64_t chr_optimal_task_count(const int64_t *totals, const double *rates, size_t n);

/* C12 health: "Good" when open < 20 % of all action items, or there are none; else
 * "Needs Attention". */
const char *chr_health(int64_t open_items, int64_t total_items);

/* C17: 1 when a decision_source names an intelligence-enhanced decision
 * ("intelligence_enhanced", "learning_enhanced", "strategy_enhanced", "hybrid...");
 * 0 for "rule_based_only", "unknown", NULL and anything else. */
int chr_intel_source(const char *decision_source);

/* C17: relative improvement in percent of intel over rule, rounded to 2 decimals; 0.0 unless
 * both groups have data (n > 0) and rule is positive. */
double chr_improvement_pct(double intel, size_t n_intel, double rule, size_t n_rule);

#endif /* CHR_LOGIC_H */
