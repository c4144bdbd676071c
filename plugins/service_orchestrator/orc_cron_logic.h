/*
 * orc_cron_logic.h — 5-field cron expressions and wall-clock date arithmetic (pure C, no host
 * API), for the orchestrator's schedules (docs/ORCHESTRATOR.md §12).
 *
 * Fields: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-7, 0 and 7
 * = Sunday). Each field is a comma list of "*", "N", "A-B", with an optional "/STEP" after "*"
 * or a range ("*\/15", "1-5/2"). Day-of-month and day-of-week: when both are restricted (not
 * "*"), a day matches if either matches (Vixie cron); otherwise the restricted one decides.
 * Names (MON, JAN) and the @hourly shorthands are not accepted.
 *
 * Times are "wall clock" values in the schedule's time zone; converting to and from absolute
 * time is PostgreSQL's job (AT TIME ZONE), so nothing here depends on TZ or the C library's
 * time-zone state.
 */
#ifndef ORC_CRON_LOGIC_H
#define ORC_CRON_LOGIC_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t minutes; /* bit m: minute m */
    uint32_t hours;   /* bit h */
    uint32_t mdays;   /* bit d (1..31) */
    uint16_t months;  /* bit m (1..12) */
    uint8_t wdays;    /* bit w (0..6, 0 = Sunday) */
    int mday_star;    /* day-of-month field was "*" (or "*\/1") */
    int wday_star;
} orc_cron_t;

typedef struct {
    int year, month, day; /* 1..12, 1..31 */
    int hour, minute, second;
} orc_wall_t;

/* Parse expr. 0 ok; -1 with a reason in err (e.g. "field 2 (hour): 24 out of range 0-23"). */
int orc_cron_parse(const char *expr, orc_cron_t *out, char *err, size_t errlen);

/* The first wall time strictly after `after` (whole minutes, seconds 0) that matches.
 * 0 ok; -1 when nothing matches within 8 years (e.g. "0 0 30 2 *"). */
int orc_cron_next(const orc_cron_t *c, const orc_wall_t *after, orc_wall_t *out);

/* Does the wall time (its minute) match? */
int orc_cron_matches(const orc_cron_t *c, const orc_wall_t *t);

/* Seconds of a wall time since 1970-01-01 00:00 (as if it were UTC). */
int64_t orc_wall_seconds(const orc_wall_t *t);

/* The catch-up/skip rule (docs/ORCHESTRATOR.md §12). `due` is the stored next due time and is
 * not after `now`. L = the latest due time <= now (L >= due). Returns 1 "fire for L" when
 * now - L <= catchup_s, 0 "skip" otherwise, -1 when the expression matches nothing. *last = L,
 * *next = the first due time after now, *missed = due times in [due, now] that are not fired
 * (all of them when skipping, all but L when firing). */
int orc_cron_catchup(const orc_cron_t *c, const orc_wall_t *due, const orc_wall_t *now,
                     long catchup_s, orc_wall_t *last, orc_wall_t *next, long *missed);

/* "YYYY-MM-DD HH:MM[:SS[.ffffff]]" (a 'T' separator too) → wall time. 0 ok, -1 invalid. */
int orc_wall_parse(const char *s, orc_wall_t *out);
/* "YYYY-MM-DD HH:MM:SS" into buf (at least 20 bytes). */
void orc_wall_format(const orc_wall_t *t, char *buf, size_t n);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t orc_days_from_civil(int y, int m, int d);
void orc_civil_from_days(int64_t z, int *y, int *m, int *d);
/* 0 = Sunday .. 6 = Saturday. */
int orc_weekday(int y, int m, int d);
int orc_days_in_month(int y, int m);

#endif /* ORC_CRON_LOGIC_H */
