#!/usr/bin/env bash
# seed.sh — loads the demo data (idempotent; run after core/tools/migrate.sh).
#
# For every database in DSM_DBS that has sql/seed/<db>.sql, loads that file as dsm_user
# (dsm_psql) in ONE transaction. For project_db the same transaction then loads the US federal
# holidays of (current year - 1) .. (current year + 4), computed by $DSM_BUILD/bin/dsm-holidays
# (make build/bin/dsm-holidays), through a temporary table and an upsert on holiday_date.
# Rerunning gives the same rows. Prints one summary line per database.
set -eo pipefail

seed_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# DSM_ENV_SH: another env.sh (tests); default the one beside this script.
# shellcheck source=/dev/null
. "${DSM_ENV_SH:-$seed_here/env.sh}"
set -u

seed_die()
{
    printf 'seed: %s\n' "$*" >&2
    exit 1
}

# Runs after sql/seed/project_db.sql in the same session and transaction; the holidays arrive on
# psql's standard input (pstdin) in COPY text format.
SEED_HOLIDAYS_SQL=$(
    cat <<'SQL'
CREATE TEMP TABLE seed_holidays (
    holiday_date date NOT NULL,
    holiday_name text NOT NULL,
    type text NOT NULL
);
\copy seed_holidays (holiday_date, holiday_name, type) FROM pstdin
INSERT INTO us_holidays (holiday_date, holiday_name, type)
SELECT holiday_date, holiday_name, type FROM seed_holidays
ON CONFLICT (holiday_date) DO UPDATE
    SET holiday_name = EXCLUDED.holiday_name, type = EXCLUDED.type
    WHERE (us_holidays.holiday_name, us_holidays.type)
          IS DISTINCT FROM (EXCLUDED.holiday_name, EXCLUDED.type);
SQL
)

seed_summary_project_db()
{
    dsm_psql project_db -At -c "
        SELECT format('seed: project_db projects=%s employees=%s assigned=%s designations=%s '
                      'roles=%s team_mappings=%s pto=%s holidays=%s (%s..%s)',
                      (SELECT count(*) FROM projects),
                      (SELECT count(*) FROM teams),
                      (SELECT count(*) FROM teams WHERE project_assign),
                      (SELECT count(*) FROM designations),
                      (SELECT count(*) FROM roles),
                      (SELECT count(*) FROM project_team_mapping),
                      (SELECT count(*) FROM pto_calendar),
                      (SELECT count(*) FROM us_holidays),
                      (SELECT min(holiday_date) FROM us_holidays),
                      (SELECT max(holiday_date) FROM us_holidays))"
}

seed_project_db()
{
    local file=$1 tmp year rc=0
    local bin=$DSM_BUILD/bin/dsm-holidays

    [[ -x $bin ]] || seed_die "$bin not found (build it: make build/bin/dsm-holidays)"
    year=$(date +%Y)
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/dsm-seed.XXXXXX")
    printf '%s\n' "$SEED_HOLIDAYS_SQL" >"$tmp/holidays.sql"
    if ! "$bin" "$((year - 1))" "$((year + 4))" >"$tmp/holidays.tsv"; then
        rm -rf "$tmp"
        seed_die "$bin failed"
    fi
    dsm_psql project_db -1 -f "$file" -f "$tmp/holidays.sql" <"$tmp/holidays.tsv" || rc=$?
    rm -rf "$tmp"
    [[ $rc -eq 0 ]] || seed_die "project_db: loading failed; rolled back"
    seed_summary_project_db
}

seed_db()
{
    local db=$1 file=$DSM_ROOT/sql/seed/$1.sql

    [[ -f $file ]] || return 0
    if declare -F "seed_$db" >/dev/null; then
        "seed_$db" "$file"
        return
    fi
    dsm_psql "$db" -1 -f "$file" || seed_die "$db: loading failed; rolled back"
    printf 'seed: %s loaded\n' "$db"
}

for seed_name in $DSM_DBS; do
    seed_db "$seed_name"
done
