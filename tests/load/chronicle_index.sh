#!/usr/bin/env bash
# tests/load/chronicle_index.sh — chronicle_impediment_texts (sql/chronicle_db/003), the
# derived index C16 reads, equals its recomputation from chronicle_notes: after everything the
# earlier tests wrote (inserts through the API), after a statement that deletes reports, and
# after one that updates them; and C16 sees a new project's impediments at once. Runs on the
# test stack of tests/run.sh (any DSM_* / DSM_TEST_* in the environment wins). Prints
# `N passed, N failed` last.
set -euo pipefail

# shellcheck source=lib/stack_env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/stack_env.sh"

url=${DSM_TEST_URL:-http://127.0.0.1:$DSM_PORT}
# shellcheck source=lib/tally.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/tally.sh"

# rows of the index that its recomputation lacks, plus rows the recomputation has and it lacks
drift() {
    dsm_psql chronicle_db -Atc "
        WITH want AS (SELECT DISTINCT n.project_id, x AS txt FROM chronicle_notes n,
                      LATERAL chronicle_note_impediments(n.event_type, n.additional_data,
                                                         n.impediments) x
                      WHERE n.project_id IS NOT NULL)
        SELECT (SELECT count(*) FROM (SELECT project_id, txt FROM chronicle_impediment_texts
                                      EXCEPT SELECT project_id, txt FROM want) a)
             + (SELECT count(*) FROM (SELECT project_id, txt FROM want
                                      EXCEPT SELECT project_id, txt FROM chronicle_impediment_texts) b)"
}

report() { # PROJECT DATE IMPEDIMENT — one daily scrum report through the API (C4)
    curl -s -o /dev/null -w '%{http_code}' -m 10 -X POST -H 'Content-Type: application/json' \
        --data "{\"project_id\":\"$1\",\"sprint_id\":\"$1-S01\",\"report_date\":\"$2\",\
\"summary\":\"s\",\"reports\":{\"$2\":[{\"employee_id\":\"E1\",\"tasks\":[{\"id\":\"T1\",\
\"yesterday_work\":\"y\",\"today_work\":\"t\",\"impediments\":\"$3\",\
\"created_at\":\"$2T14:00:00\"}]}]}}" \
        "$url/v1/notes/daily_scrum_report"
}

n=$(dsm_psql chronicle_db -Atc "SELECT count(*) FROM chronicle_impediment_texts")
check "the index holds what the earlier tests wrote ($n rows) and nothing else (drift $(drift))" \
    test "$(drift)" = 0

tag=CIX$$
codes=
for d in 01 02 03; do codes+=$(report "$tag-A" "2025-03-$d" "Waiting for the $d API keys")" "; done
for d in 01 02; do codes+=$(report "$tag-B" "2025-03-$d" "Waiting for the $d API keys")" "; done
check "five reports stored (HTTP $codes)" test "$codes" = "201 201 201 201 201 "
check "inserts keep the index exact (drift $(drift))" test "$(drift)" = 0
texts=$(dsm_psql chronicle_db -Atc "SELECT count(*) FROM chronicle_impediment_texts WHERE project_id = '$tag-A'")
check "project A has its 3 distinct texts ($texts)" test "$texts" = 3

# C16 compares A with B at once: B's texts are a subset of A's (2 of 3)
code=$(curl -s -o "$DSM_VAR/cix.json" -w '%{http_code}' -m 10 \
    "$url/v1/analytics/projects/similar?reference_project_id=$tag-A&similarity_threshold=0.1")
check "C16 finds project B similar to A (HTTP $code: $(head -c 200 "$DSM_VAR/cix.json"))" \
    grep -q "\"$tag-B\"" "$DSM_VAR/cix.json"

dsm_psql chronicle_db -c "DELETE FROM chronicle_notes WHERE project_id = '$tag-A' AND report_date = '2025-03-03'"
check "a DELETE statement rebuilds the project's texts (drift $(drift))" test "$(drift)" = 0
texts=$(dsm_psql chronicle_db -Atc "SELECT count(*) FROM chronicle_impediment_texts WHERE project_id = '$tag-A'")
check "project A has 2 texts left ($texts)" test "$texts" = 2

dsm_psql chronicle_db -c "UPDATE chronicle_notes SET project_id = '$tag-C' WHERE project_id = '$tag-B'"
check "an UPDATE moving reports to another project rebuilds both (drift $(drift))" test "$(drift)" = 0
texts=$(dsm_psql chronicle_db -Atc "SELECT count(*) FROM chronicle_impediment_texts WHERE project_id IN ('$tag-B', '$tag-C')")
check "B's texts moved to C ($texts rows, B none)" test "$texts" = 2

dsm_psql chronicle_db -c "DELETE FROM chronicle_notes WHERE project_id IN ('$tag-A', '$tag-C')"
texts=$(dsm_psql chronicle_db -Atc "SELECT count(*) FROM chronicle_impediment_texts WHERE project_id LIKE '$tag-%'")
check "deleting every report of a project empties its texts ($texts)" test "$texts" = 0
rm -f "$DSM_VAR/cix.json"
