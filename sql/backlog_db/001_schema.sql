-- backlog_db: the Backlog service's tables, exactly as spec/data-architecture.md §2.2 defines
-- them (same names, types, nullability; no defaults, no foreign keys, as in the original), plus
-- an index for the lookups the service makes. Applied by core/tools/migrate.sh inside one
-- transaction, as the database owner (dsm_user).

-- Backlog tasks. Generated ids are {project_id}-TASK001 ... -TASK010 (POST /backlogs/{id}).
CREATE TABLE tasks (
    task_id VARCHAR(255) PRIMARY KEY,
    project_id VARCHAR(255) NOT NULL,
    title VARCHAR(255) NOT NULL,
    description TEXT,
    status VARCHAR(50),
    assigned_to VARCHAR(255),
    sprint_id VARCHAR(255),
    progress_percentage INTEGER
);

-- User stories (no endpoint reads or writes them; kept because the spec lists them).
CREATE TABLE stories (
    id VARCHAR(255) PRIMARY KEY,
    description TEXT NOT NULL
);

-- Story-task relationships (no foreign keys, as in the spec).
CREATE TABLE story_tasks (
    story_id VARCHAR(255) NOT NULL,
    task_id VARCHAR(255) NOT NULL,
    PRIMARY KEY (story_id, task_id)
);

-- B3/B5 count a project's tasks by status, B6 lists them filtered by status
-- (workflows.md §4.8 "backlog.tasks(project_id, status)").
CREATE INDEX tasks_project_status_idx ON tasks (project_id, status);
