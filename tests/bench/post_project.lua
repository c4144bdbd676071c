-- tests/bench/post_project.lua — wrk script for POST /projects (used by tests/bench/bench.sh).
--
--   wrk -t2 -c32 -d15s --latency -s tests/bench/post_project.lua http://127.0.0.1:28080/projects [PREFIX]
--
-- Every request creates a new project: id = PREFIX-RUN-THREAD-COUNTER, where RUN is drawn once
-- per wrk run (time + random), THREAD is the wrk thread number and COUNTER a per-thread counter,
-- so ids never repeat within a run, across threads or across runs (a repeat would be a 409).
-- PREFIX defaults to "bench"; bench.sh deletes the ids starting with "bench-" before it starts.

local thread_count = 0
local run_id

-- Runs in wrk's main Lua state once per thread, before the threads start.
function setup(thread)
    if run_id == nil then
        math.randomseed(os.time())
        run_id = string.format("%x%04x", os.time(), math.random(0, 0xffff))
    end
    thread_count = thread_count + 1
    thread:set("thread_no", thread_count)
    thread:set("run_id", run_id)
end

-- The rest runs in each thread's own Lua state (globals set by thread:set above).
local counter = 0
local prefix = "bench"
local headers = { ["Content-Type"] = "application/json" }

function init(args)
    if args ~= nil and args[1] ~= nil and args[1] ~= "" then
        prefix = args[1]
    end
    math.randomseed(os.time() * 1000 + (thread_no or 0))
    if run_id == nil then -- setup() not called (older wrk): fall back to a random run id
        run_id = string.format("%x%06x", os.time(), math.random(0, 0xffffff))
    end
end

function request()
    counter = counter + 1
    local id = string.format("%s-%s-%d-%d", prefix, run_id, thread_no or 0, counter)
    local body = string.format(
        '{"id":"%s","name":"Bench project %d","description":"wrk %d","status":"inactive"}',
        id, counter, math.random(0, 999999))
    return wrk.format("POST", nil, headers, body)
end
