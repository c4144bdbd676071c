-- chronicle_db: what kind of note a row is — its project, its event type and whether it is an
-- orchestrator decision filed as a daily report — indexed, and known to the planner.
--
-- WHY: the project analytics (C11 velocity, C13 patterns, C15 impediments; CHR_SQL_DAILY_TASKS in
-- plugins/service_chronicle/chr_internal.h) read a project's daily scrum reports without the
-- decision notes. The planner cannot estimate "NOT coalesce(additional_data ? …, false)" from
-- column statistics, so for a project whose notes are mostly decisions (the orchestrator files
-- one per decision) it expected hundreds of reports, chose a sequential scan of the whole table
-- and de-TOASTed every decision note: milliseconds per call, growing with the table. The
-- extended statistics give it the real counts of each (project, type, decision) combination,
-- and the index answers exactly that combination, so the scan reads only the wanted rows.
CREATE INDEX chronicle_notes_project_kind_idx ON chronicle_notes
    (project_id, event_type, (coalesce(additional_data ? 'orchestration_decision_details', false)));

CREATE STATISTICS chronicle_notes_kind_stx (mcv)
    ON project_id, event_type, (coalesce(additional_data ? 'orchestration_decision_details', false))
    FROM chronicle_notes;

ANALYZE chronicle_notes;
