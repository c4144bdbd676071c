-- sprint_db: the simulated team capacity of a project (not part of the original service).
--
-- Only for simulations and benchmarks (tests/bench/bench_decisions.sh): when a project has a
-- row here, the daily scrum (S13) no longer advances every unfinished task by a random 5..30
-- points; the team instead does `points_per_member_day` percentage points of task work per
-- member present that day (team size minus members on PTO; a skipped holiday does nothing),
-- varied by up to ±`variation_percent` per day (seeded with the scrum's seed), and spends it on
-- the sprint's unfinished tasks in task-id order. Over a sprint that completes about
-- points × members × working days / 100 tasks — a capacity that only the Sprint service knows.
-- Written by PUT /sprints/simulation/capacity/{project_id}, removed by DELETE (then S13
-- behaves as without a row). plugins/service_sprint/routes.c, difference 16.
CREATE TABLE sim_capacity (
    project_id VARCHAR(50) PRIMARY KEY,
    points_per_member_day INTEGER NOT NULL
        CHECK (points_per_member_day BETWEEN 1 AND 1000),
    variation_percent INTEGER NOT NULL DEFAULT 0
        CHECK (variation_percent BETWEEN 0 AND 90),
    updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT now()
);
