/*
 * dsm_holidays.c — `dsm-holidays FROM_YEAR TO_YEAR`: prints the US federal holidays of the
 * years FROM_YEAR … TO_YEAR (observed dates, see prj_holidays.h) sorted by date, one per line
 * in PostgreSQL COPY text format: `YYYY-MM-DD<TAB>name<TAB>type`.
 * Used by core/tools/seed.sh to fill project_db.us_holidays.
 */
#include "prj_holidays.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hol_usage(FILE *f)
{
    fprintf(f,
            "usage: dsm-holidays FROM_YEAR TO_YEAR\n"
            "  Prints the US federal holidays (observed dates) of FROM_YEAR..TO_YEAR\n"
            "  as tab-separated 'YYYY-MM-DD name type' lines (COPY text format), by date.\n"
            "  Years: %d..%d, FROM_YEAR <= TO_YEAR.\n",
            PRJ_HOL_YEAR_MIN, PRJ_HOL_YEAR_MAX);
}

/* Parses a whole decimal year in range; returns 0 on success. */
static int hol_parse_year(const char *s, int *year)
{
    char *end = NULL;
    long v;

    if (s == NULL || *s == '\0')
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < PRJ_HOL_YEAR_MIN || v > PRJ_HOL_YEAR_MAX)
        return -1;
    *year = (int)v;
    return 0;
}

/* Writes s in COPY text format (backslash, tab, newline, carriage return escaped). */
static void hol_put_copy_text(const char *s, FILE *f)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '\\':
            fputs("\\\\", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        default:
            fputc(*s, f);
            break;
        }
    }
}

int main(int argc, char **argv)
{
    int from, to, rc = 1;
    size_t n = 0, cap;
    prj_holiday_t *hols = NULL;

    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        hol_usage(stdout);
        return 0;
    }
    if (argc != 3 || hol_parse_year(argv[1], &from) != 0 || hol_parse_year(argv[2], &to) != 0 ||
        from > to) {
        hol_usage(stderr);
        return 2;
    }
    cap = (size_t)(to - from + 1) * PRJ_HOL_PER_YEAR;
    hols = calloc(cap, sizeof(*hols));
    if (hols == NULL) {
        fprintf(stderr, "dsm-holidays: out of memory\n");
        goto out;
    }
    for (int y = from; y <= to; y++)
        n += prj_hol_year(y, hols + n, cap - n);
    qsort(hols, n, sizeof(*hols), prj_hol_cmp);
    for (size_t i = 0; i < n; i++) {
        printf("%04d-%02d-%02d\t", hols[i].y, hols[i].m, hols[i].d);
        hol_put_copy_text(hols[i].name, stdout);
        fputc('\t', stdout);
        hol_put_copy_text(hols[i].type, stdout);
        fputc('\n', stdout);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "dsm-holidays: write error: %s\n", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    free(hols);
    return rc;
}
