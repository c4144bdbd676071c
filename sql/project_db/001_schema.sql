-- project_db: the Project service's tables, exactly as spec/data-architecture.md §1.2 defines
-- them (same names, types, defaults; no foreign keys, as in the original), plus indexes for the
-- lookups the service makes. Applied by core/tools/migrate.sh inside one transaction, as the
-- database owner (dsm_user).

-- Projects. API model: id ↔ prjid, name ↔ projectname, description ↔ codename.
CREATE TABLE projects (
    prjid VARCHAR(255) PRIMARY KEY,
    projectname VARCHAR(255) NOT NULL,
    codename VARCHAR(255) NOT NULL,
    status VARCHAR(255) DEFAULT 'inactive'
);

-- Employees (the original calls them "teams"; a "team" in the API is one employee).
CREATE TABLE teams (
    id VARCHAR(255) PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    gender VARCHAR(10),
    state VARCHAR(50),
    age INTEGER,
    project_assign BOOLEAN,
    active BOOLEAN
);

CREATE TABLE designations (
    id VARCHAR(255) PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    experience VARCHAR(50),
    years INTEGER
);

CREATE TABLE roles (
    id VARCHAR(255) PRIMARY KEY,
    role VARCHAR(255) NOT NULL
);

-- Project membership (the primary key serves lookups by project).
CREATE TABLE project_team_mapping (
    project_id VARCHAR(255) NOT NULL,
    employee_id VARCHAR(255) NOT NULL,
    PRIMARY KEY (project_id, employee_id)
);

CREATE TABLE team_designation_mapping (
    id VARCHAR(255) PRIMARY KEY,
    did VARCHAR(255) NOT NULL,
    eid VARCHAR(255) NOT NULL
);

CREATE TABLE team_role_mapping (
    id VARCHAR(255) PRIMARY KEY,
    rid VARCHAR(255) NOT NULL,
    eid VARCHAR(255) NOT NULL
);

CREATE TABLE role_designation_mapping (
    id VARCHAR(255) PRIMARY KEY,
    roleid VARCHAR(255) NOT NULL,
    did VARCHAR(255) NOT NULL
);

-- PTO; pto_id holds a UUID as text. Dates are stored at midnight (the API returns their date part).
CREATE TABLE pto_calendar (
    pto_id VARCHAR(255) PRIMARY KEY,
    employee_id VARCHAR(255) NOT NULL,
    start_date TIMESTAMP NOT NULL,
    end_date TIMESTAMP NOT NULL,
    reason TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- Observed holiday dates (one row per date).
CREATE TABLE us_holidays (
    holiday_date DATE PRIMARY KEY,
    holiday_name VARCHAR(255) NOT NULL,
    type VARCHAR(50)
);

-- An employee's projects (GET /employees/{id}, /employees/{id}/teams, PTO membership checks).
CREATE INDEX project_team_mapping_employee_idx ON project_team_mapping (employee_id);
-- A project's PTO (GET …/calendar/pto, availability check: employee + date overlap).
CREATE INDEX pto_calendar_employee_idx ON pto_calendar (employee_id, start_date);
-- PTO by date window across employees.
CREATE INDEX pto_calendar_start_idx ON pto_calendar (start_date);
-- An employee's designation / role, a role's designations.
CREATE INDEX team_designation_mapping_eid_idx ON team_designation_mapping (eid);
CREATE INDEX team_role_mapping_eid_idx ON team_role_mapping (eid);
CREATE INDEX role_designation_mapping_roleid_idx ON role_designation_mapping (roleid);
