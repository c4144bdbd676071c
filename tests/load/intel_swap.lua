-- tests/load/intel_swap.lua — wrk script of tests/load/intel_swap.sh.
-- POSTs a decision that executes nothing (no sprint, no tasks, no schedule) to the URL wrk was
-- given (/orchestrate/project/{id}) and counts, in every thread, like count.lua:
--   dsm_requests N        completed responses
--   dsm_non2xx N          responses whose status is not 2xx
--   dsm_socket_errors N   connect + read + write + timeout errors
--   dsm_status_errors N   wrk's own count of status >= 400
--   dsm_v2 N              2xx responses that name a source at version 2.0.0
local threads = {}

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"options":{"create_sprint_if_needed":false,"assign_tasks":false,' ..
           '"create_cronjob":false}}'

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    non2xx = 0
    v2 = 0
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
    elseif body and string.find(body, '"version":"2.0.0"', 1, true) then
        v2 = v2 + 1
    end
end

function done(summary, latency, requests)
    local n, v = 0, 0
    for _, t in ipairs(threads) do
        n = n + (t:get("non2xx") or 0)
        v = v + (t:get("v2") or 0)
    end
    local e = summary.errors
    io.write(string.format("dsm_requests %d\n", summary.requests))
    io.write(string.format("dsm_non2xx %d\n", n))
    io.write(string.format("dsm_socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
    io.write(string.format("dsm_status_errors %d\n", e.status))
    io.write(string.format("dsm_v2 %d\n", v))
end
