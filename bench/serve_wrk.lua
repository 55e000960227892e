-- wrk script: POST /v1/screen with a new applicant per request (every person_id unique, so no
-- answer is a 409), to find how many screenings per second `muster serve` sustains.
-- wrk is closed-loop (a connection sends its next request when the answer arrives), so its
-- latencies understate queueing at a fixed rate: use bench/serve_load.py for latency at a rate.
--
-- usage: TOKEN=... wrk -t1 -c8 -d20s -s bench/serve_wrk.lua http://127.0.0.1:8080
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + thread_id * 7919)
  wrk.method = "POST"
  wrk.path = "/v1/screen"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"person_id":"WRK-%d-%d-%d","given_name":"Wrk%d","family_name":"Applicant%d",' ..
    '"date_of_birth":"19%02d-0%d-1%d","email":"wrk.%d.%d.%d@example.org",' ..
    '"phone":"+1%03d555%04d","city":"Denver","region":"CO","country":"US"}',
    thread_id, os.time(), counter, counter, math.random(1, 999999999),
    math.random(50, 98), math.random(1, 9), math.random(0, 9),
    thread_id, os.time(), counter, math.random(200, 999), math.random(1000, 9999))
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
