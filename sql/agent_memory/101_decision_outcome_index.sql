-- agent_memory: the decisions of a project that have a recorded outcome, newest first.
-- Every decision's perception reads the project's history (plugins/service_orchestrator/
-- orc_perceive.c, history_json: how many outcomes, the latest one). Without this index both
-- reads scanned the whole orchestrator_decisions table (outcome_recorded_at is not in
-- orchestrator_decisions_project_idx), a cost that grew with every decision ever stored.
CREATE INDEX orchestrator_decisions_outcome_idx
    ON orchestrator_decisions (project_id, outcome_recorded_at DESC)
    WHERE outcome_recorded_at IS NOT NULL;
