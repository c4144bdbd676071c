-- chronicle_db: the daily scrum reports without the orchestrator's decision notes, indexed by
-- project and sprint. The analytics that expand daily tasks (CHR_SQL_DAILY_TASKS in
-- plugins/service_chronicle/chr_internal.h: C13 patterns, C15 impediments, C8) filter on exactly
-- this predicate, so the planner reads only those rows and never de-TOASTs the decision notes'
-- large additional_data (the orchestrator files one per decision on the project).
CREATE INDEX chronicle_notes_daily_scrums_idx ON chronicle_notes (project_id, sprint_id)
    WHERE event_type = 'daily_scrum_report'
      AND NOT coalesce(additional_data ? 'orchestration_decision_details', false);
