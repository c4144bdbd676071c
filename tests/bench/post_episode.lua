-- tests/bench/post_episode.lua — wrk script for POST /v1/memory/episodes (used by
-- tests/bench/bench_memory.sh).
--
--   wrk -t2 -c32 -d15s --latency -s tests/bench/post_episode.lua http://127.0.0.1:28080/v1/memory/episodes [PROJECT]
--
-- Every request stores a new episode of PROJECT (default "bench-mem-single") as the
-- orchestrator writes one (orchestrator.md §4): a decision context (project data, team
-- availability, backlog summary, options), the decision and its actions — WITHOUT an
-- embedding, so the server computes it on write from the canonical context text (the local
-- feature-hashing embedder unless an embedding server is configured). The numbers and a tag
-- change with the thread and a per-thread counter, so every context (and vector) differs.

local thread_count = 0
local run_id

function setup(thread)
    if run_id == nil then
        math.randomseed(os.time())
        run_id = string.format("%x%04x", os.time(), math.random(0, 0xffff))
    end
    thread_count = thread_count + 1
    thread:set("thread_no", thread_count)
    thread:set("run_id", run_id)
end

local counter = 0
local project = "bench-mem-single"
local headers = { ["Content-Type"] = "application/json" }

function init(args)
    if args ~= nil and args[1] ~= nil and args[1] ~= "" then
        project = args[1]
    end
    if run_id == nil then
        run_id = string.format("%x%06x", os.time(), math.random(0, 0xffffff))
    end
    math.randomseed(os.time() * 1000 + (thread_no or 0))
end

function request()
    counter = counter + 1
    local team = math.random(3, 12)
    local backlog = math.random(5, 60)
    local unassigned = math.random(0, backlog)
    local assign = math.min(unassigned, team * 2)
    local body = string.format(
        '{"project_id":"%s","episode_type":"orchestration_decision",' ..
        '"context":{"project_data":{"project_id":"%s","team_size":%d,"backlog_tasks":%d,' ..
        '"unassigned_tasks":%d,"active_sprints":0},' ..
        '"team_availability":{"status":"ok","conflicts":[]},' ..
        '"backlog_summary":{"total_tasks":%d,"unassigned":%d},' ..
        '"current_sprint_status":null,"tag":"bench-%s-%d-%d",' ..
        '"options":{"sprint_duration_weeks":%d,"max_tasks_per_sprint":%d}},' ..
        '"decision":{"create_new_sprint":true,"tasks_to_assign":%d,"sprint_duration_weeks":%d,' ..
        '"decision_rationale":"%d unassigned tasks, team of %d"},' ..
        '"actions":{"sprint_created":true,"tasks_assigned":%d}}',
        project, project, team, backlog, unassigned, backlog, unassigned, run_id, thread_no or 0,
        counter, math.random(1, 4), team * 2, assign, 2, unassigned, team, assign)
    return wrk.format("POST", nil, headers, body)
end
