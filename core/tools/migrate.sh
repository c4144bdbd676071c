#!/usr/bin/env bash
# migrate.sh — applies the schema migrations sql/<db>/NNN_name.sql of every database in
# DSM_DBS, in file-name order, each once.
#
# * Each database gets schema_migrations(version text PK, applied_at timestamptz) — version is
#   the file name without ".sql" (e.g. 001_schema).
# * A file runs in ONE transaction together with its schema_migrations row: it is applied
#   entirely and recorded, or not at all. Files therefore contain no BEGIN/COMMIT.
# * Runs as the superuser (a migration may CREATE EXTENSION) but every file starts under
#   `SET ROLE <DSM_DB_USER>`, so what it creates belongs to dsm_user. A file that needs
#   superuser rights for a statement writes `RESET ROLE; CREATE EXTENSION …; SET ROLE dsm_user;`;
#   anything still owned by another role when the file ends (extension members excepted) is
#   handed to dsm_user before the commit.
# * Rerunning changes nothing: recorded files are skipped.
#
# Output: one line per applied file, or "migrate: <db> up to date". Exit 1 on the first failure
# (that file rolled back, earlier ones kept).
set -eo pipefail

mig_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# DSM_ENV_SH: another env.sh (tests); default the one beside this script.
# shellcheck source=/dev/null
. "${DSM_ENV_SH:-$mig_here/env.sh}"
set -u
export LC_ALL=C # file-name order is byte order

MIG_OWNER=${DSM_DB_USER:-dsm_user}
MIG_NAME_RE='^[a-z_][a-z0-9_]*$'
MIG_FILE_RE='^([0-9]{3})_[A-Za-z0-9_]+\.sql$'

mig_die()
{
    printf 'migrate: %s\n' "$*" >&2
    exit 1
}

# Hands every object of the database not owned by @OWNER@ (and not an extension member) to it.
# Sequences owned by a column follow their table.
MIG_FIXUP_SQL=$(
    cat <<'SQL'
DO $mig$
DECLARE
    owner_name constant name := '@OWNER@';
    cmd text;
BEGIN
    FOR cmd IN
        SELECT format('ALTER SCHEMA %I OWNER TO %I', n.nspname, owner_name)
          FROM pg_namespace n
         WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
           AND n.nspowner <> owner_name::regrole
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
                              AND d.deptype = 'e')
        UNION ALL
        SELECT format('ALTER %s %s OWNER TO %I',
                      CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                     WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                                     WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END,
                      c.oid::regclass, owner_name)
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
           AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
           AND c.relowner <> owner_name::regrole
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND (d.deptype = 'e'
                                   OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
        UNION ALL
        SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, owner_name)
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE p.prokind IN ('f', 'p')
           AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
           AND p.proowner <> owner_name::regrole
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                              AND d.deptype = 'e')
        UNION ALL
        SELECT format('ALTER %s %s OWNER TO %I',
                      CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
                      t.oid::regtype, owner_name)
          FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE t.typtype IN ('e', 'd')
           AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
           AND t.typowner <> owner_name::regrole
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                              AND d.deptype = 'e')
    LOOP
        EXECUTE cmd;
    END LOOP;
END
$mig$
SQL
)
MIG_FIXUP_SQL=${MIG_FIXUP_SQL//@OWNER@/$MIG_OWNER}

# The database must exist (core/tools/stack.sh creates it); it must belong to the owner so that
# the owner may create objects in its public schema.
mig_check_db()
{
    local db=$1 owner

    owner=$(dsm_psql_admin postgres -At \
        -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$db'")
    [[ -n $owner ]] || mig_die "database $db does not exist (start the stack: core/tools/stack.sh start)"
    if [[ $owner != "$MIG_OWNER" ]]; then
        dsm_psql_admin postgres -c "ALTER DATABASE \"$db\" OWNER TO \"$MIG_OWNER\""
        printf 'migrate: %s owner changed from %s to %s\n' "$db" "$owner" "$MIG_OWNER"
    fi
}

mig_ensure_table()
{
    dsm_psql_admin "$1" -1 -c 'SET client_min_messages = warning' \
        -c "SET ROLE \"$MIG_OWNER\"" \
        -c 'CREATE TABLE IF NOT EXISTS schema_migrations (
                version text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())'
}

# Lists sql/<db>/NNN_*.sql in order; refuses stray *.sql names and duplicate numbers.
mig_list_files()
{
    local dir=$1 f base prev=''
    local -a files

    shopt -s nullglob
    files=("$dir"/*.sql)
    shopt -u nullglob
    for f in "${files[@]}"; do
        base=${f##*/}
        [[ $base =~ $MIG_FILE_RE ]] ||
            mig_die "$f: migration files are named NNN_name.sql (3 digits, [A-Za-z0-9_])"
        [[ ${BASH_REMATCH[1]} != "$prev" ]] || mig_die "$dir: two files numbered ${BASH_REMATCH[1]}"
        prev=${BASH_REMATCH[1]}
        printf '%s\n' "$f"
    done
}

mig_apply_file()
{
    local db=$1 file=$2 version

    version=${file##*/}
    version=${version%.sql}
    if grep -Eiq '^[[:space:]]*(BEGIN|COMMIT|ROLLBACK|START[[:space:]]+TRANSACTION)[[:space:]]*;' "$file"; then
        mig_die "$file: contains transaction control (BEGIN/COMMIT/ROLLBACK); the runner wraps each file"
    fi
    if ! dsm_psql_admin "$db" -1 \
        -c "SET ROLE \"$MIG_OWNER\"" \
        -f "$file" \
        -c 'RESET ROLE' \
        -c "$MIG_FIXUP_SQL" \
        -c "INSERT INTO schema_migrations (version) VALUES ('$version')"; then
        mig_die "$db: ${file##*/} failed; rolled back, not recorded"
    fi
    printf 'migrate: %s %s applied\n' "$db" "${file##*/}"
}

mig_database()
{
    local db=$1 dir=$DSM_ROOT/sql/$1 listing applied file version n=0
    local -A done_versions=()
    local -a files=()

    [[ -d $dir ]] || return 0
    [[ $db =~ $MIG_NAME_RE ]] || mig_die "unexpected database name '$db'"
    listing=$(mig_list_files "$dir")
    [[ -z $listing ]] || mapfile -t files <<<"$listing"
    mig_check_db "$db"
    mig_ensure_table "$db"
    applied=$(dsm_psql_admin "$db" -At -c 'SELECT version FROM schema_migrations')
    while IFS= read -r version; do
        [[ -z $version ]] || done_versions[$version]=1
    done <<<"$applied"
    for file in "${files[@]}"; do
        version=${file##*/}
        version=${version%.sql}
        [[ -z ${done_versions[$version]:-} ]] || continue
        mig_apply_file "$db" "$file"
        n=$((n + 1))
    done
    [[ $n -gt 0 ]] || printf 'migrate: %s up to date\n' "$db"
}

[[ $MIG_OWNER =~ $MIG_NAME_RE ]] || mig_die "unexpected DSM_DB_USER '$MIG_OWNER'"
for mig_db in $DSM_DBS; do
    mig_database "$mig_db"
done
