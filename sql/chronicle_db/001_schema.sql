-- chronicle_db: the Chronicle service's tables, exactly as spec/data-architecture.md §4.2 defines
-- them (same names, types, defaults, keys; chronicle_notes.summary included, which the
-- original's migrations forgot), plus the indexes the service's queries need. Applied by
-- core/tools/migrate.sh inside one transaction, as the database owner (dsm_user).
-- gen_random_uuid() is built into PostgreSQL 13+ (no extension needed).

-- The general ledger of notes: daily scrum reports, sprint planning notes, orchestration
-- decision audits. For 'daily_scrum_report' the report lives in additional_data (JSONB)
-- and the four counters in summary_metrics (JSONB); employee_id, yesterday_work, today_work and
-- impediments are legacy columns, no longer written, kept for old data.
CREATE TABLE chronicle_notes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_type VARCHAR(255) NOT NULL,
    project_id VARCHAR(255),
    sprint_id VARCHAR(255),
    note_content TEXT,
    report_date DATE,
    employee_id VARCHAR(255),
    yesterday_work TEXT,
    today_work TEXT,
    impediments TEXT,
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    summary_metrics JSONB,
    additional_data JSONB,
    summary TEXT
);

-- One retrospective per sprint (sprint_id UNIQUE: a second one is a 409 in the API).
CREATE TABLE sprint_retrospectives (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    sprint_id VARCHAR(255) NOT NULL UNIQUE,
    project_id VARCHAR(255) NOT NULL,
    what_went_well TEXT,
    what_could_be_improved TEXT,
    facilitator_id VARCHAR(255),
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    sprint_name TEXT,
    start_date DATE,
    end_date DATE,
    duration_weeks INTEGER,
    tasks_summary JSONB
);

CREATE TABLE retrospective_action_items (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    retrospective_id uuid NOT NULL REFERENCES sprint_retrospectives(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    status VARCHAR(50) NOT NULL DEFAULT 'open'
);

CREATE TABLE retrospective_attendees (
    retrospective_id uuid NOT NULL REFERENCES sprint_retrospectives(id) ON DELETE CASCADE,
    employee_id VARCHAR(255) NOT NULL,
    PRIMARY KEY (retrospective_id, employee_id)
);

-- Lookups of the service: notes by kind + project (C8-C11, C13, C15-C17: project_id = $1 AND
-- event_type = ..., ordered by created_at or report_date), by kind + sprint (C8-C10 sprint
-- filter), by kind + report date (C8 daily_scrum_date filter); retrospectives by project
-- (C9, C13-C17) ordered by start_date; action items by retrospective (C9, C13, C15; the FK has
-- no index of its own). sprint_retrospectives.sprint_id is indexed by its UNIQUE constraint,
-- retrospective_attendees by its primary key.
CREATE INDEX chronicle_notes_type_project_idx ON chronicle_notes (event_type, project_id, created_at);
CREATE INDEX chronicle_notes_type_sprint_idx ON chronicle_notes (event_type, sprint_id);
CREATE INDEX chronicle_notes_type_date_idx ON chronicle_notes (event_type, report_date);
CREATE INDEX chronicle_notes_project_idx ON chronicle_notes (project_id);
CREATE INDEX sprint_retrospectives_project_idx ON sprint_retrospectives (project_id, start_date);
CREATE INDEX retrospective_action_items_retro_idx ON retrospective_action_items (retrospective_id);

-- The analytics expand JSONB reports with set-returning functions, which the planner estimates
-- at 100 rows each; nested three deep the estimated cost passes jit_above_cost and every such
-- query spent ~200 ms compiling (measured: 243 ms → 20 ms for 2,000 notes without JIT). The
-- service runs short queries only: no JIT for this database (new sessions).
DO $chr$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$chr$;
