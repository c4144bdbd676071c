-- Demo data for project_db (workflows.md §5.1, enriched per §5.5). Loaded by core/tools/seed.sh
-- in one transaction as dsm_user, followed by the computed US federal holidays.
--
-- Deterministic and idempotent: every row has a fixed id, and rerunning yields the same rows.
-- * Reference data (project names, employees' attributes, designations, roles, mappings) is
--   upserted, so it is reset to the values below; rows whose values already match are not
--   rewritten.
-- * State a user may change through the API is kept: projects.status is 'inactive' only on the
--   first insert; team memberships added through the API stay (the seed only adds its own).
-- * teams.project_assign is recomputed for E001..E100: true exactly when mapped to a project.
-- * PTO rows are placed relative to the day of the FIRST load (CURRENT_DATE + n) and then kept
--   as they are (ON CONFLICT DO NOTHING). Their ids all start with '5eedd5a0-'; delete those
--   rows and reseed to move them to the current date again.

-- Projects: the 11 of the original setup job + two ids seen in its data (GEM-001, PHO001).
INSERT INTO projects (prjid, projectname, codename, status) VALUES
    ('TEST-001', 'Test Project for Sprint Setup', 'TestSprint', 'inactive'),
    ('PHE001', 'Healthcare Analytics', 'Phoenix', 'inactive'),
    ('ORI002', 'Retail Automation', 'Orion', 'inactive'),
    ('AEG003', 'Investment Portfolio Management', 'Aegis', 'inactive'),
    ('SEN004', 'Maritime Tracking System', 'Sentinel', 'inactive'),
    ('NEX005', 'IoT in Smart Homes', 'Nexus', 'inactive'),
    ('CHR006', 'AI Customer Support', 'Chronos', 'inactive'),
    ('TIT007', 'Blockchain for Finance', 'Titan', 'inactive'),
    ('VOY008', 'E-commerce Platform', 'Voyager', 'inactive'),
    ('APO009', 'Smart Inventory Management', 'Apollo', 'inactive'),
    ('ZEP010', 'Telemedicine Application', 'Zephyr', 'inactive'),
    ('GEM-001', 'Clinical Trials Data Hub', 'Gemini', 'inactive'),
    ('PHO001', 'Solar Energy Forecasting', 'Photon', 'inactive')
ON CONFLICT (prjid) DO UPDATE
    SET projectname = EXCLUDED.projectname, codename = EXCLUDED.codename
    WHERE (projects.projectname, projects.codename)
          IS DISTINCT FROM (EXCLUDED.projectname, EXCLUDED.codename);

-- Designations (experience strings exactly as the original).
INSERT INTO designations (id, name, experience, years) VALUES
    ('D01', 'Software Engineer', 'Entry-level', 0),
    ('D02', 'Senior Software Engineer', 'Mid-level', 3),
    ('D03', 'Lead Software Engineer', 'Senior-level', 5),
    ('D04', 'Principal Software Engineer', 'Expert-level', 8),
    ('D05', 'Software Architect', 'Architect-level', 10),
    ('D06', 'QA Engineer', 'Entry-level', 0),
    ('D07', 'Senior QA Engineer', 'Mid-level', 3),
    ('D08', 'QA Lead', 'Senior-level', 5),
    ('D09', 'Project Manager', 'Mid-level', 4),
    ('D10', 'Senior Project Manager', 'Senior-level', 7),
    ('D11', 'Product Manager', 'Mid-level', 4),
    ('D12', 'DevOps Engineer', 'Mid-level', 3),
    ('D13', 'Senior DevOps Engineer', 'Senior-level', 6),
    ('D14', 'UI/UX Designer', 'Mid-level', 3),
    ('D15', 'Senior UI/UX Designer', 'Senior-level', 6)
ON CONFLICT (id) DO UPDATE
    SET name = EXCLUDED.name, experience = EXCLUDED.experience, years = EXCLUDED.years
    WHERE (designations.name, designations.experience, designations.years)
          IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.experience, EXCLUDED.years);

INSERT INTO roles (id, role) VALUES
    ('R01', 'Developer'),
    ('R02', 'Tester'),
    ('R03', 'Team Lead'),
    ('R04', 'Architect'),
    ('R05', 'Project Manager'),
    ('R06', 'Product Owner'),
    ('R07', 'Scrum Master'),
    ('R08', 'DevOps Specialist'),
    ('R09', 'UI/UX Specialist')
ON CONFLICT (id) DO UPDATE
    SET role = EXCLUDED.role
    WHERE roles.role IS DISTINCT FROM EXCLUDED.role;

-- Which designations fit which role (RD01/RD02 as in the original).
INSERT INTO role_designation_mapping (id, roleid, did) VALUES
    ('RD01', 'R01', 'D01'),
    ('RD02', 'R01', 'D02'),
    ('RD03', 'R01', 'D03'),
    ('RD04', 'R01', 'D04'),
    ('RD05', 'R02', 'D06'),
    ('RD06', 'R02', 'D07'),
    ('RD07', 'R02', 'D08'),
    ('RD08', 'R03', 'D03'),
    ('RD09', 'R03', 'D08'),
    ('RD10', 'R04', 'D04'),
    ('RD11', 'R04', 'D05'),
    ('RD12', 'R05', 'D09'),
    ('RD13', 'R05', 'D10'),
    ('RD14', 'R06', 'D11'),
    ('RD15', 'R07', 'D09'),
    ('RD16', 'R07', 'D10'),
    ('RD17', 'R08', 'D12'),
    ('RD18', 'R08', 'D13'),
    ('RD19', 'R09', 'D14'),
    ('RD20', 'R09', 'D15')
ON CONFLICT (id) DO UPDATE
    SET roleid = EXCLUDED.roleid, did = EXCLUDED.did
    WHERE (role_designation_mapping.roleid, role_designation_mapping.did)
          IS DISTINCT FROM (EXCLUDED.roleid, EXCLUDED.did);

-- The 100 employees: odd ids male, even ids female; each with one designation and one role
-- (a pair listed in role_designation_mapping; E001/E002 as in the original: D01/R01, D02/R01).
-- Team layout: PHE001 E001-E010 (TEST-001 = its first three), then one disjoint team per
-- project from E011 (lead, developers, QA, scrum master, DevOps, UI/UX, product owner);
-- E074-E100 are not on any project.
CREATE TEMP TABLE seed_roster (
    id text PRIMARY KEY,
    name text NOT NULL,
    gender text NOT NULL,
    state text NOT NULL,
    age integer NOT NULL,
    did text NOT NULL,
    rid text NOT NULL
);
INSERT INTO seed_roster (id, name, gender, state, age, did, rid) VALUES
    ('E001', 'James Carter', 'M', 'PA', 44, 'D01', 'R01'),
    ('E002', 'Mary Bennett', 'F', 'NJ', 28, 'D02', 'R01'),
    ('E003', 'Robert Thompson', 'M', 'SC', 39, 'D06', 'R02'),
    ('E004', 'Patricia Reyes', 'F', 'KS', 56, 'D03', 'R03'),
    ('E005', 'Michael Long', 'M', 'ME', 34, 'D09', 'R07'),
    ('E006', 'Jennifer King', 'F', 'ND', 51, 'D12', 'R08'),
    ('E007', 'William Peterson', 'M', 'NY', 29, 'D14', 'R09'),
    ('E008', 'Linda Davis', 'F', 'NC', 46, 'D11', 'R06'),
    ('E009', 'David Hall', 'M', 'MN', 35, 'D05', 'R04'),
    ('E010', 'Elizabeth Brooks', 'F', 'IN', 41, 'D07', 'R02'),
    ('E011', 'Richard Jackson', 'M', 'IA', 58, 'D03', 'R03'),
    ('E012', 'Barbara Parker', 'F', 'NH', 36, 'D02', 'R01'),
    ('E013', 'Joseph Castillo', 'M', 'SD', 53, 'D06', 'R02'),
    ('E014', 'Susan Robinson', 'F', 'TX', 31, 'D01', 'R01'),
    ('E015', 'Thomas Gutierrez', 'M', 'GA', 48, 'D09', 'R07'),
    ('E016', 'Jessica Brown', 'F', 'OR', 28, 'D12', 'R08'),
    ('E017', 'Christopher Green', 'M', 'MO', 43, 'D03', 'R03'),
    ('E018', 'Sarah Cox', 'F', 'NV', 60, 'D04', 'R01'),
    ('E019', 'Daniel Anderson', 'M', 'ID', 38, 'D07', 'R02'),
    ('E020', 'Karen Phillips', 'F', 'VT', 55, 'D02', 'R01'),
    ('E021', 'Matthew Ruiz', 'M', 'CA', 33, 'D10', 'R07'),
    ('E022', 'Lisa Sanchez', 'F', 'CO', 50, 'D03', 'R03'),
    ('E023', 'Anthony Morales', 'M', 'AZ', 28, 'D02', 'R01'),
    ('E024', 'Nancy Jimenez', 'F', 'UT', 45, 'D06', 'R02'),
    ('E025', 'Mark Torres', 'M', 'CT', 23, 'D01', 'R01'),
    ('E026', 'Betty Kelly', 'F', 'NM', 40, 'D09', 'R07'),
    ('E027', 'Steven Hernandez', 'M', 'MT', 57, 'D12', 'R08'),
    ('E028', 'Sandra Mitchell', 'F', 'WY', 35, 'D14', 'R09'),
    ('E029', 'Andrew James', 'M', 'MA', 52, 'D03', 'R03'),
    ('E030', 'Margaret Perez', 'F', 'MI', 33, 'D04', 'R01'),
    ('E031', 'Joshua Collins', 'M', 'WI', 47, 'D07', 'R02'),
    ('E032', 'Ashley Myers', 'F', 'LA', 28, 'D02', 'R01'),
    ('E033', 'Kevin Allen', 'M', 'NE', 42, 'D03', 'R03'),
    ('E034', 'Kimberly Cooper', 'F', 'DE', 59, 'D02', 'R01'),
    ('E035', 'Brian Miller', 'M', 'AK', 37, 'D06', 'R02'),
    ('E036', 'Emily Baker', 'F', 'IL', 54, 'D01', 'R01'),
    ('E037', 'George Watson', 'M', 'VA', 32, 'D09', 'R07'),
    ('E038', 'Donna Moore', 'F', 'MD', 49, 'D12', 'R08'),
    ('E039', 'Timothy Diaz', 'M', 'KY', 28, 'D14', 'R09'),
    ('E040', 'Michelle Alvarez', 'F', 'AR', 44, 'D11', 'R06'),
    ('E041', 'Ronald Lewis', 'M', 'HI', 30, 'D03', 'R03'),
    ('E042', 'Carol Rogers', 'F', 'MS', 39, 'D04', 'R01'),
    ('E043', 'Jason Williams', 'M', 'WA', 56, 'D07', 'R02'),
    ('E044', 'Amanda Flores', 'F', 'OH', 34, 'D02', 'R01'),
    ('E045', 'Ryan Kim', 'M', 'TN', 51, 'D10', 'R07'),
    ('E046', 'Melissa Wilson', 'F', 'AL', 31, 'D13', 'R08'),
    ('E047', 'Jacob Gomez', 'M', 'OK', 46, 'D03', 'R03'),
    ('E048', 'Deborah Mendoza', 'F', 'RI', 28, 'D02', 'R01'),
    ('E049', 'Gary Harris', 'M', 'WV', 41, 'D06', 'R02'),
    ('E050', 'Stephanie Morris', 'F', 'FL', 58, 'D01', 'R01'),
    ('E051', 'Nicholas Foster', 'M', 'PA', 36, 'D09', 'R07'),
    ('E052', 'Rebecca Scott', 'F', 'NJ', 53, 'D03', 'R03'),
    ('E053', 'Eric Reed', 'M', 'SC', 33, 'D04', 'R01'),
    ('E054', 'Laura Martinez', 'F', 'KS', 48, 'D07', 'R02'),
    ('E055', 'Jonathan Campbell', 'M', 'ME', 28, 'D02', 'R01'),
    ('E056', 'Sharon Wood', 'F', 'ND', 43, 'D10', 'R07'),
    ('E057', 'Stephen Lee', 'M', 'NY', 60, 'D13', 'R08'),
    ('E058', 'Cynthia Edwards', 'F', 'NC', 38, 'D15', 'R09'),
    ('E059', 'Larry Patel', 'M', 'MN', 55, 'D03', 'R03'),
    ('E060', 'Kathleen Young', 'F', 'IN', 33, 'D02', 'R01'),
    ('E061', 'Justin Morgan', 'M', 'IA', 50, 'D06', 'R02'),
    ('E062', 'Amy Garcia', 'F', 'NH', 28, 'D01', 'R01'),
    ('E063', 'Scott Nelson', 'M', 'SD', 45, 'D09', 'R07'),
    ('E064', 'Angela Richardson', 'F', 'TX', 28, 'D12', 'R08'),
    ('E065', 'Brandon Taylor', 'M', 'GA', 40, 'D03', 'R03'),
    ('E066', 'Shirley Turner', 'F', 'OR', 57, 'D04', 'R01'),
    ('E067', 'Benjamin Price', 'M', 'MO', 35, 'D07', 'R02'),
    ('E068', 'Anna Ramirez', 'F', 'NV', 52, 'D02', 'R01'),
    ('E069', 'Samuel Cook', 'M', 'ID', 30, 'D03', 'R03'),
    ('E070', 'Brenda Johnson', 'F', 'VT', 47, 'D02', 'R01'),
    ('E071', 'Gregory Hill', 'M', 'CA', 25, 'D06', 'R02'),
    ('E072', 'Pamela Ramos', 'F', 'CO', 42, 'D01', 'R01'),
    ('E073', 'Alexander Gonzalez', 'M', 'AZ', 59, 'D09', 'R07'),
    ('E074', 'Emma Roberts', 'F', 'UT', 37, 'D01', 'R01'),
    ('E075', 'Patrick Gray', 'M', 'CT', 54, 'D02', 'R01'),
    ('E076', 'Nicole White', 'F', 'NM', 32, 'D06', 'R02'),
    ('E077', 'Frank Stewart', 'M', 'MT', 49, 'D04', 'R01'),
    ('E078', 'Helen Ross', 'F', 'WY', 35, 'D05', 'R04'),
    ('E079', 'Raymond Wright', 'M', 'MA', 44, 'D07', 'R02'),
    ('E080', 'Samantha Bailey', 'F', 'MI', 30, 'D08', 'R03'),
    ('E081', 'Jack Rodriguez', 'M', 'WI', 39, 'D09', 'R05'),
    ('E082', 'Katherine Rivera', 'F', 'LA', 56, 'D10', 'R05'),
    ('E083', 'Dennis Chavez', 'M', 'NE', 34, 'D11', 'R06'),
    ('E084', 'Christine Martin', 'F', 'DE', 51, 'D12', 'R08'),
    ('E085', 'Jerry Cruz', 'M', 'AK', 31, 'D13', 'R08'),
    ('E086', 'Rachel Sanders', 'F', 'IL', 46, 'D14', 'R09'),
    ('E087', 'Tyler Walker', 'M', 'VA', 31, 'D15', 'R09'),
    ('E088', 'Catherine Ortiz', 'F', 'MD', 41, 'D03', 'R03'),
    ('E089', 'Aaron Jones', 'M', 'KY', 58, 'D08', 'R02'),
    ('E090', 'Maria Adams', 'F', 'AR', 36, 'D01', 'R01'),
    ('E091', 'Jose Ward', 'M', 'HI', 53, 'D02', 'R01'),
    ('E092', 'Heather Thomas', 'F', 'MS', 31, 'D06', 'R02'),
    ('E093', 'Adam Evans', 'M', 'WA', 48, 'D04', 'R01'),
    ('E094', 'Diane Hughes', 'F', 'OH', 35, 'D05', 'R04'),
    ('E095', 'Nathan Clark', 'M', 'TN', 43, 'D07', 'R02'),
    ('E096', 'Olivia Murphy', 'F', 'AL', 60, 'D08', 'R03'),
    ('E097', 'Henry Smith', 'M', 'OK', 38, 'D09', 'R05'),
    ('E098', 'Julie Nguyen', 'F', 'RI', 55, 'D10', 'R05'),
    ('E099', 'Carlos Howard', 'M', 'WV', 33, 'D11', 'R06'),
    ('E100', 'Priya Lopez', 'F', 'FL', 50, 'D12', 'R08');

INSERT INTO teams (id, name, gender, state, age, project_assign, active)
SELECT id, name, gender, state, age, false, true FROM seed_roster
ON CONFLICT (id) DO UPDATE
    SET name = EXCLUDED.name, gender = EXCLUDED.gender, state = EXCLUDED.state,
        age = EXCLUDED.age
    WHERE (teams.name, teams.gender, teams.state, teams.age)
          IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.gender, EXCLUDED.state, EXCLUDED.age);

-- TDnnn / TRnnn: the designation / role of employee Ennn.
INSERT INTO team_designation_mapping (id, did, eid)
SELECT 'TD' || substr(id, 2), did, id FROM seed_roster
ON CONFLICT (id) DO UPDATE
    SET did = EXCLUDED.did, eid = EXCLUDED.eid
    WHERE (team_designation_mapping.did, team_designation_mapping.eid)
          IS DISTINCT FROM (EXCLUDED.did, EXCLUDED.eid);

INSERT INTO team_role_mapping (id, rid, eid)
SELECT 'TR' || substr(id, 2), rid, id FROM seed_roster
ON CONFLICT (id) DO UPDATE
    SET rid = EXCLUDED.rid, eid = EXCLUDED.eid
    WHERE (team_role_mapping.rid, team_role_mapping.eid)
          IS DISTINCT FROM (EXCLUDED.rid, EXCLUDED.eid);

-- Project teams (3-8 members; PHE001 keeps the original's ten, TEST-001 overlaps it).
INSERT INTO project_team_mapping (project_id, employee_id)
SELECT t.project_id, 'E' || lpad(e::text, 3, '0')
  FROM (VALUES
    ('TEST-001', 1, 3),
    ('PHE001', 1, 10),
    ('ORI002', 11, 16),
    ('AEG003', 17, 21),
    ('SEN004', 22, 28),
    ('NEX005', 29, 32),
    ('CHR006', 33, 40),
    ('TIT007', 41, 46),
    ('VOY008', 47, 51),
    ('APO009', 52, 58),
    ('ZEP010', 59, 64),
    ('GEM-001', 65, 68),
    ('PHO001', 69, 73)
  ) AS t (project_id, first_e, last_e),
  generate_series(t.first_e, t.last_e) AS e
ON CONFLICT DO NOTHING;

UPDATE teams
   SET project_assign = EXISTS (SELECT 1 FROM project_team_mapping m WHERE m.employee_id = teams.id)
 WHERE id IN (SELECT id FROM seed_roster)
   AND project_assign IS DISTINCT FROM
       EXISTS (SELECT 1 FROM project_team_mapping m WHERE m.employee_id = teams.id);

-- PTO in the coming sprints (days from the first load; midnight timestamps, end inclusive),
-- for members of most projects; several fall within the next two weeks so the availability
-- check and the orchestrator's capacity warnings have something to report.
INSERT INTO pto_calendar (pto_id, employee_id, start_date, end_date, reason)
SELECT p.pto_id, p.employee_id, (CURRENT_DATE + p.first_day)::timestamp,
       (CURRENT_DATE + p.last_day)::timestamp, p.reason
  FROM (VALUES
    ('5eedd5a0-0000-4000-8000-000000000001', 'E004', 3, 4, 'Medical appointment'),       -- PHE001
    ('5eedd5a0-0000-4000-8000-000000000002', 'E007', 10, 14, 'Family vacation'),         -- PHE001
    ('5eedd5a0-0000-4000-8000-000000000003', 'E002', 21, 21, 'Personal day'),            -- PHE001, TEST-001
    ('5eedd5a0-0000-4000-8000-000000000004', 'E012', 5, 9, 'Conference: KubeCon'),       -- ORI002
    ('5eedd5a0-0000-4000-8000-000000000005', 'E015', 30, 34, 'Family vacation'),         -- ORI002
    ('5eedd5a0-0000-4000-8000-000000000006', 'E018', 8, 8, 'Jury duty'),                 -- AEG003
    ('5eedd5a0-0000-4000-8000-000000000007', 'E020', 40, 69, 'Parental leave'),          -- AEG003
    ('5eedd5a0-0000-4000-8000-000000000008', 'E024', 14, 18, 'Wedding'),                 -- SEN004
    ('5eedd5a0-0000-4000-8000-000000000009', 'E030', 2, 6, 'Family vacation'),           -- NEX005
    ('5eedd5a0-0000-4000-8000-000000000010', 'E031', 12, 12, 'Moving house'),            -- NEX005
    ('5eedd5a0-0000-4000-8000-000000000011', 'E035', 6, 7, 'Medical appointment'),       -- CHR006
    ('5eedd5a0-0000-4000-8000-000000000012', 'E038', 45, 52, 'Family vacation'),         -- CHR006
    ('5eedd5a0-0000-4000-8000-000000000013', 'E042', 1, 3, 'Surgery recovery'),          -- TIT007
    ('5eedd5a0-0000-4000-8000-000000000014', 'E044', 17, 21, 'Conference: PyCon US'),    -- TIT007
    ('5eedd5a0-0000-4000-8000-000000000015', 'E053', 4, 8, 'Family vacation'),           -- APO009
    ('5eedd5a0-0000-4000-8000-000000000016', 'E056', 25, 26, 'Personal days'),           -- APO009
    ('5eedd5a0-0000-4000-8000-000000000017', 'E060', 9, 13, 'Visiting family abroad'),   -- ZEP010
    ('5eedd5a0-0000-4000-8000-000000000018', 'E066', 11, 15, 'Training course'),         -- GEM-001
    ('5eedd5a0-0000-4000-8000-000000000019', 'E070', 28, 32, 'Family vacation'),         -- PHO001
    ('5eedd5a0-0000-4000-8000-000000000020', 'E048', 85, 89, 'Holiday trip')             -- VOY008
  ) AS p (pto_id, employee_id, first_day, last_day, reason)
ON CONFLICT (pto_id) DO NOTHING;
