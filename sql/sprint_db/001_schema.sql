-- sprint_db: the Sprint service's tables, exactly as spec/data-architecture.md §3.2 defines them
-- (same names, types, NULL-ness, defaults and the one foreign key tasks.sprint_id → sprints),
-- plus indexes for the lookups the service makes. Applied by core/tools/migrate.sh inside one
-- transaction, as the database owner (dsm_user).
--
-- Notes on the shape (kept as specified, handled by the service):
-- * start_date/end_date are TIMESTAMP; the service stores midnight of the sprint's dates and
--   shows their DATE part ("2025-09-18").
-- * tasks.sprint_id is VARCHAR(20) while sprints.sprint_id is VARCHAR(50): a sprint whose id is
--   longer than 20 characters could not hold tasks, so the service refuses to create one
--   (422) instead of failing half-way.

-- Sprints. status: in_progress → completed | closed_with_pending_tasks (terminal).
CREATE TABLE sprints (
    sprint_id VARCHAR(50) PRIMARY KEY,
    project_id VARCHAR(50) NOT NULL,
    sprint_name VARCHAR(255),
    start_date TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    end_date TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    duration_weeks INTEGER,
    status VARCHAR(50) NOT NULL
);

-- Sprint tasks: the sprint-local copy of backlog tasks while the sprint is open (rows are
-- deleted when the sprint is closed; task_id is the key, so a task is in one sprint at a time).
CREATE TABLE tasks (
    task_id VARCHAR(50) PRIMARY KEY,
    sprint_id VARCHAR(20) NOT NULL REFERENCES sprints(sprint_id),
    title VARCHAR(255) NOT NULL,
    status VARCHAR(50) NOT NULL,
    progress_percentage INTEGER DEFAULT 0,
    assigned_to VARCHAR(255)
);

-- Stories (listed by the spec; no endpoint reads or writes them).
CREATE TABLE stories (
    id VARCHAR(255) PRIMARY KEY,
    description TEXT NOT NULL
);

-- Story-task relationships (no foreign keys, as specified).
CREATE TABLE story_tasks (
    story_id VARCHAR(255) NOT NULL,
    task_id VARCHAR(255) NOT NULL,
    PRIMARY KEY (story_id, task_id)
);

-- At most one in-progress sprint per project, even under concurrent creations (S5 answers
-- 409 "A sprint is already in progress for project X." when this index refuses a row).
CREATE UNIQUE INDEX sprints_one_in_progress_per_project ON sprints (project_id)
    WHERE status = 'in_progress';

-- S6, S9 (sprints of a project, newest first) and the S5 numbering.
CREATE INDEX sprints_project_start ON sprints (project_id, start_date DESC, sprint_id DESC);

-- S7, S8, S11, S12, S13 (the tasks of a sprint).
CREATE INDEX tasks_sprint_id ON tasks (sprint_id, task_id);
