-- tests/bench/post_report.lua — wrk script for POST /v1/notes/daily_scrum_report (used by
-- tests/bench/bench.sh).
--
--   wrk -t2 -c32 -d15s --latency -s tests/bench/post_report.lua http://127.0.0.1:28080/v1/notes/daily_scrum_report [PREFIX]
--
-- Every request is a new, realistic report, as the Sprint service's daily scrum posts it
-- (api.md §5 C4): project PREFIX-RUN (PREFIX defaults to "bench-chr"); per wrk thread,
-- sprints PREFIX-RUN-T<thread>-S001, -S002, ... of 10 report days with 5 reports a day (a new
-- sprint every 50 reports); summary metrics; 5 employees with 2 tasks each (yesterday / today
-- / impediments, created_at).
-- RUN is drawn once per wrk run; the texts carry the thread and a per-thread counter, so no
-- two bodies are the same. bench.sh deletes the notes of projects "bench-…" before it starts.

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
local prefix = "bench-chr"
local headers = { ["Content-Type"] = "application/json" }
local base_day = 0

function init(args)
    if args ~= nil and args[1] ~= nil and args[1] ~= "" then
        prefix = args[1]
    end
    if run_id == nil then
        run_id = string.format("%x%06x", os.time(), math.random(0, 0xffffff))
    end
    math.randomseed(os.time() * 1000 + (thread_no or 0))
    base_day = os.time({ year = 2025, month = 9, day = 18, hour = 12 })
end

local function employee(project, day, e, n, ts)
    local tasks = {}
    for t = 1, 2 do
        local task = string.format("%s-TASK%03d", project, (e - 1) * 2 + t)
        tasks[t] = string.format(
            '{"id":"%s","yesterday_work":"Worked on %s (%d%% done), report %d-%d",' ..
            '"today_work":"Continue %s: tests and review","impediments":"%s","created_at":"%sT14:00:0%d.%06d"}',
            task, task, (n * 7 + e * 13 + t) % 100, thread_no or 0, n, task,
            (n + e + t) % 9 == 0 and "Waiting for the review of the previous change" or "None",
            day, t, math.random(0, 999999))
    end
    return string.format('{"assigned_to":"E%03d","tasks":[%s]}', e, table.concat(tasks, ","))
end

function request()
    counter = counter + 1
    local project = string.format("%s-%s", prefix, run_id)
    -- a sprint of 10 report days, 5 reports a day, then the next sprint
    local sprint = string.format("%s-T%d-S%03d", project, thread_no or 0, math.floor((counter - 1) / 50) + 1)
    local day = os.date("!%Y-%m-%d", base_day + math.floor(((counter - 1) % 50) / 5) * 86400)
    local emps = {}
    for e = 1, 5 do
        emps[e] = employee(project, day, e, counter, day)
    end
    local done = counter % 11
    local body = string.format(
        '{"project_id":"%s","sprint_id":"%s","report_date":"%s",' ..
        '"summary":"Daily scrum %d of thread %d: no holiday or PTO reported",' ..
        '"summary_metrics":{"total_team_members":5,"total_tasks":10,"completed_tasks":%d,"pending_tasks":%d},' ..
        '"reports":{"%s":[%s]}}',
        project, sprint, day, counter, thread_no or 0, done, 10 - done, day,
        table.concat(emps, ","))
    return wrk.format("POST", nil, headers, body)
end
