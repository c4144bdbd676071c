-- tests/bench/search.lua — wrk script for POST /v1/memory/episodes/search with a random query
-- embedding (used by tests/bench/bench_memory.sh).
--
--   wrk -t1 -c1 -d10s --latency -s tests/bench/search.lua http://127.0.0.1:28080/v1/memory/episodes/search [K] [BODIES]
--
-- Each thread draws BODIES (default 64) random 1024-number query embeddings (components uniform
-- in [-1, 1), 4 decimals; the server normalises) once, in init(), and sends them in turn, each
-- asking for the top K (default 5) with min_similarity -1 (so K results always come back).
-- Drawing them up front keeps the load generator's work out of the measured latency.

local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("thread_no", thread_count)
end

local bodies = {}
local next_body = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
    local k = tonumber(args[1] or "") or 5
    local n = tonumber(args[2] or "") or 64
    math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919)
    for b = 1, n do
        local v = {}
        for i = 1, 1024 do
            v[i] = string.format("%.4f", math.random() * 2 - 1)
        end
        bodies[b] = '{"embedding":[' .. table.concat(v, ",") .. '],"k":' .. k .. ',"min_similarity":-1}'
    end
end

function request()
    next_body = next_body % #bodies + 1
    return wrk.format("POST", nil, headers, bodies[next_body])
end
