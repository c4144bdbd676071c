-- tests/load/count.lua — wrk script used by tests/load/*.sh.
-- Counts responses outside 2xx in every thread and prints, at the end, one "dsm_<name> N" line
-- per counter for the shell script to parse:
--   dsm_requests N        completed responses
--   dsm_non2xx N          responses whose status is not 2xx (3xx included)
--   dsm_socket_errors N   connect + read + write + timeout errors
--   dsm_status_errors N   wrk's own count of status >= 400
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    non2xx = 0
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
    end
end

function done(summary, latency, requests)
    local n = 0
    for _, t in ipairs(threads) do
        n = n + (t:get("non2xx") or 0)
    end
    local e = summary.errors
    io.write(string.format("dsm_requests %d\n", summary.requests))
    io.write(string.format("dsm_non2xx %d\n", n))
    io.write(string.format("dsm_socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
    io.write(string.format("dsm_status_errors %d\n", e.status))
end
