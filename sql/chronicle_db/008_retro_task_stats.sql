-- chronicle_db: what C16 (similar projects) needs from each retrospective's tasks_summary,
-- computed once when the row is written instead of on every call.
--
-- WHY: C16 summarises every similar project from all its retrospectives (tasks, tasks done,
-- team members). It expanded the tasks_summary JSON of every retrospective of every project on
-- each call — and the orchestrator calls C16 on every decision. At 50 projects x 10 sprints that
-- was ~4 ms of PostgreSQL per call (two jsonb_array_elements scans over 500 rows), growing with
-- the history (measured: C16 5.6 → 3.2 ms per call through nginx, same answers for all 50
-- projects of the simulation). Stored generated columns hold the same numbers, kept by PostgreSQL itself on every
-- INSERT and UPDATE of tasks_summary; nothing else writes them.
--
-- The one definition of a retrospective's task counts: C14 velocity and C17 decision impact read
-- them too. "done" = status close/closed/completed/complete/done in any case, or
-- progress_percentage >= 100; only the object items of an array tasks_summary count.

-- {tasks, tasks done}
CREATE FUNCTION chronicle_retro_task_stats(p_tasks JSONB) RETURNS INT[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT ARRAY[count(*)::int,
                 (count(*) FILTER (
                     WHERE lower(coalesce(t ->> 'status', '')) IN ('close', 'closed', 'completed',
                                                                   'complete', 'done')
                        OR (jsonb_typeof(t -> 'progress_percentage') = 'number'
                            AND (t ->> 'progress_percentage')::numeric >= 100)))::int]
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_tasks) = 'array' THEN p_tasks
                                   ELSE '[]'::jsonb END) t
    WHERE jsonb_typeof(t) = 'object'
$fn$;

-- the distinct employee ids the tasks name ('' and 'unassigned' are nobody), sorted
CREATE FUNCTION chronicle_retro_task_employees(p_tasks JSONB) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT coalesce(array_agg(DISTINCT t ->> 'employee_id' ORDER BY t ->> 'employee_id'), '{}')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_tasks) = 'array' THEN p_tasks
                                   ELSE '[]'::jsonb END) t
    WHERE jsonb_typeof(t) = 'object' AND coalesce(t ->> 'employee_id', '') NOT IN ('', 'unassigned')
$fn$;

ALTER TABLE sprint_retrospectives
    ADD COLUMN task_stats INT[] GENERATED ALWAYS AS (chronicle_retro_task_stats(tasks_summary)) STORED,
    ADD COLUMN task_employees TEXT[]
        GENERATED ALWAYS AS (chronicle_retro_task_employees(tasks_summary)) STORED;
