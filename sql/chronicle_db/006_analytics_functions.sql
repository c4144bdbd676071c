-- chronicle_db: the statements of the analytics the orchestrator reads on every decision
-- (C13 patterns, C16 similar projects), as PL/pgSQL functions.
--
-- WHY: chronicle_db is reached through PgBouncer in transaction mode, so the chronicle plugin
-- cannot keep named prepared statements (the next statement may run on another server
-- connection). PostgreSQL then parses and plans these statements on every call, and that costs
-- several times what running them does (C13's daily-task expansion: ~0.36 ms per call through
-- PgBouncer, ~0.10 ms as this function). A PL/pgSQL function keeps the plans of its statements
-- in each server connection that runs it — a cache, not session state the caller relies on.
-- Generic plans (plan_cache_mode): each parameter is a project to match on an indexed key, so
-- the plan does not depend on which project is asked for; left to choose, PostgreSQL kept
-- re-planning per call (custom plans) and saved only the parsing (0.52 ms → 0.13 ms per call).
--
-- KEEP IN STEP: the daily-task expansion below is CHR_SQL_DAILY_TASKS and the "no impediment"
-- test is CHR_SQL_NO_IMP of plugins/service_chronicle/chr_internal.h (used there by C8 and C15);
-- a change to one is a change to both. tests/integration/test_chronicle_api.c checks C13 and
-- C16 answers by value, tests/load/chronicle_index.sh checks C16 against its recomputation.

-- C13: one row of counts (kind 0: daily scrums, retrospectives, tasks completed in daily
-- scrums), then the impediments reported (kind 1) and the retrospective action items (kind 2)
-- with how often each occurs; each kind by count, then text. One statement: one snapshot.
CREATE FUNCTION chronicle_project_patterns(p_project TEXT, p_no_imp TEXT[])
RETURNS TABLE (r_kind INT, r_txt TEXT, r_n1 BIGINT, r_n2 BIGINT, r_n3 BIGINT)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH dn AS (
        SELECT project_id, sprint_id, coalesce(report_date, created_at::date) AS day,
               additional_data AS ad, impediments, summary_metrics
        FROM chronicle_notes
        WHERE event_type = 'daily_scrum_report' AND project_id = p_project
          AND NOT coalesce(additional_data ? 'orchestration_decision_details', false)),
    dd AS (
        SELECT dn.project_id, dn.sprint_id, dn.day, d.value AS emps
        FROM dn, LATERAL jsonb_each(CASE WHEN jsonb_typeof(dn.ad -> 'reports') = 'object'
                                         THEN dn.ad -> 'reports'
                                         WHEN jsonb_typeof(dn.ad) = 'object' AND NOT dn.ad ? 'reports'
                                         THEN dn.ad ELSE '{}'::jsonb END) d),
    dt AS (
        SELECT dd.project_id, dd.sprint_id, dd.day, t ->> 'id' AS task_id, t ->> 'impediments' AS imp
        FROM dd,
             LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(dd.emps) = 'array' THEN dd.emps
                                               ELSE '[]'::jsonb END) e,
             LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e) = 'object'
                                               THEN (CASE WHEN jsonb_typeof(e -> 'tasks') = 'array'
                                                          THEN e -> 'tasks' ELSE '[]'::jsonb END)
                                               ELSE '[]'::jsonb END) t
        WHERE jsonb_typeof(t) = 'object'
        UNION ALL
        SELECT project_id, sprint_id, day, NULL, impediments FROM dn WHERE impediments IS NOT NULL)
    SELECT u.kind, u.txt, u.n1, u.n2, u.n3 FROM (
        SELECT 0 AS kind, NULL::text AS txt,
               (SELECT count(DISTINCT (coalesce(dn.sprint_id, ''), dn.day)) FROM dn) AS n1,
               (SELECT count(*) FROM sprint_retrospectives sr WHERE sr.project_id = p_project) AS n2,
               (SELECT coalesce(sum(m), 0) FROM (
                    SELECT max((dn.summary_metrics ->> 'completed_tasks')::numeric) AS m
                    FROM dn WHERE jsonb_typeof(dn.summary_metrics -> 'completed_tasks') = 'number'
                    GROUP BY dn.sprint_id) s)::bigint AS n3
        UNION ALL
        SELECT 1, dt.imp, count(*), NULL, NULL FROM dt
        WHERE NOT (lower(regexp_replace(coalesce(dt.imp, ''), '^\s+|[\s.]+$', '', 'g')) = ANY(p_no_imp))
        GROUP BY dt.imp
        UNION ALL
        SELECT 2, ai.description, count(*), NULL, NULL
        FROM retrospective_action_items ai JOIN sprint_retrospectives sr ON sr.id = ai.retrospective_id
        WHERE sr.project_id = p_project GROUP BY ai.description) u
    ORDER BY u.kind, u.n1 DESC, u.txt;
END
$fn$;

-- C16: every project with history, then its key texts: rows (project, kind, text), kind -1 = a
-- project (first, in byte order; text NULL), 0 = an impediment text of its daily scrums (from
-- chronicle_impediment_texts, 003), 1 = an action item of its retrospectives. The projects with
-- notes come from a skip scan of chronicle_notes_project_idx: one index probe per project.
CREATE FUNCTION chronicle_similar_keys(p_no_imp TEXT[])
RETURNS TABLE (r_project TEXT, r_kind INT, r_txt TEXT)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH RECURSIVE np AS (
        (SELECT n.project_id FROM chronicle_notes n WHERE n.project_id > ''
         ORDER BY n.project_id LIMIT 1)
        UNION ALL
        SELECT (SELECT n.project_id FROM chronicle_notes n WHERE n.project_id > np.project_id
                ORDER BY n.project_id LIMIT 1)
        FROM np WHERE np.project_id IS NOT NULL)
    SELECT a.project_id::text, a.kind, a.txt FROM (
        SELECT u.project_id, -1 AS kind, NULL::text AS txt FROM (
            SELECT np.project_id FROM np WHERE np.project_id IS NOT NULL
            UNION
            SELECT sr.project_id FROM sprint_retrospectives sr WHERE sr.project_id <> '') u
        UNION ALL (
            SELECT it.project_id, 0 AS kind, it.txt FROM chronicle_impediment_texts it
            WHERE it.project_id <> ''
              AND NOT (lower(regexp_replace(coalesce(it.txt, ''), '^\s+|[\s.]+$', '', 'g')) = ANY(p_no_imp))
            UNION
            SELECT DISTINCT sr.project_id, 1, ai.description
            FROM retrospective_action_items ai JOIN sprint_retrospectives sr ON sr.id = ai.retrospective_id
            WHERE sr.project_id <> '')) a
    ORDER BY a.kind, a.project_id COLLATE "C";
END
$fn$;
