-- agent_memory: the orchestrator's own tables (plugins/service_orchestrator, docs/ORCHESTRATOR.md).
-- Numbered from 100 so they never collide with the memory plugin's migrations (001..).
--
--   orchestrator_decisions     one row per decision: the full perception (replays), baseline,
--                              final decision, every source's answer, the episode it was stored
--                              as, and — once the sprint it created is closed — the outcome
--                              (outcome_recorded_at is the once-per-sprint claim).
--   orchestrator_project_modes the decision mode and gate settings per project (O22).
--   orchestrator_schedules     the daily-scrum schedules that replace the original's CronJobs:
--                              cron expression + time zone, next due time, the last due time
--                              claimed (exactly once across pool instances), last result.
--   orchestrator_evolution_runs the daily / project evolution runs (O7 shows the last one).

CREATE TABLE orchestrator_decisions (
    decision_id UUID PRIMARY KEY,
    project_id VARCHAR(50) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    mode VARCHAR(50) NOT NULL,
    decision_source VARCHAR(50) NOT NULL,
    action VARCHAR(30) NOT NULL
        CHECK (action IN ('create_sprint', 'close_sprint', 'recreate_schedule', 'none')),
    sprint_id VARCHAR(50),               -- the sprint created (or whose schedule was recreated)
    closed_sprint_id VARCHAR(50),        -- the sprint closed by this decision
    tasks_to_assign INTEGER,
    sprint_duration_weeks INTEGER,
    baseline_tasks INTEGER,
    baseline_weeks INTEGER,
    committed_tasks INTEGER,             -- tasks the Sprint service actually put in the sprint
    episode_id UUID,                     -- agent_episodes id (= decision_id) once stored
    episode_status VARCHAR(20) NOT NULL DEFAULT 'pending'
        CHECK (episode_status IN ('pending', 'stored', 'failed')),
    perception JSONB NOT NULL,
    baseline JSONB NOT NULL,
    decision JSONB NOT NULL,
    sources JSONB NOT NULL DEFAULT '[]',
    applied_sources JSONB NOT NULL DEFAULT '{}',
    applied_strategy_ids UUID[] NOT NULL DEFAULT '{}',
    duration_ms DOUBLE PRECISION,
    outcome JSONB,
    outcome_quality DOUBLE PRECISION CHECK (outcome_quality BETWEEN 0 AND 1),
    outcome_recorded_at TIMESTAMPTZ
);
CREATE INDEX orchestrator_decisions_project_idx ON orchestrator_decisions (project_id, created_at DESC);
CREATE INDEX orchestrator_decisions_sprint_idx ON orchestrator_decisions (sprint_id, created_at DESC)
    WHERE action = 'create_sprint';
CREATE INDEX orchestrator_decisions_episode_idx ON orchestrator_decisions (episode_id);

CREATE TABLE orchestrator_project_modes (
    project_id VARCHAR(50) PRIMARY KEY,
    mode VARCHAR(50) NOT NULL
        CHECK (mode IN ('rule_based_only', 'intelligence_enhanced', 'hybrid', 'learning_enhanced')),
    confidence_threshold DOUBLE PRECISION NOT NULL CHECK (confidence_threshold BETWEEN 0 AND 1),
    enable_task_count_adjustment BOOLEAN NOT NULL DEFAULT true,
    enable_sprint_duration_adjustment BOOLEAN NOT NULL DEFAULT true,
    enable_resource_allocation_adjustment BOOLEAN NOT NULL DEFAULT false,
    min_similar_projects INTEGER NOT NULL CHECK (min_similar_projects >= 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE TABLE orchestrator_schedules (
    name VARCHAR(255) PRIMARY KEY,       -- run-dailyscrum-{lower(pid)}-{lower(sid)}
    project_id VARCHAR(50) NOT NULL,
    sprint_id VARCHAR(50) NOT NULL,
    kind VARCHAR(30) NOT NULL DEFAULT 'daily_scrum',
    cron_expr VARCHAR(100) NOT NULL,
    tz VARCHAR(64) NOT NULL DEFAULT 'UTC',
    suspended BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    next_due_at TIMESTAMPTZ NOT NULL,
    last_due_at TIMESTAMPTZ,             -- the last due time claimed (fired or skipped)
    last_run_at TIMESTAMPTZ,
    last_status VARCHAR(20),             -- firing | ok | failed | skipped
    last_detail TEXT,
    run_count INTEGER NOT NULL DEFAULT 0,
    skipped_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX orchestrator_schedules_due_idx ON orchestrator_schedules (next_due_at) WHERE NOT suspended;
CREATE INDEX orchestrator_schedules_project_idx ON orchestrator_schedules (project_id);

CREATE TABLE orchestrator_evolution_runs (
    run_id UUID PRIMARY KEY,
    scope VARCHAR(60) NOT NULL,          -- 'all' or a project id
    started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    finished_at TIMESTAMPTZ,
    status VARCHAR(20) NOT NULL,
    result JSONB
);
CREATE INDEX orchestrator_evolution_runs_time_idx ON orchestrator_evolution_runs (started_at DESC);
