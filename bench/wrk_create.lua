-- wrk -s bench/wrk_create.lua: POST a JSON body, a different one each request.
-- WRK_BODY is the body, in which every {n} becomes a token unique to the request (the run's
-- WRK_RUN, the wrk thread and a counter), e.g. a contact's email, unique per client.
-- Ends with the RESULT line of bench/wrk_report.lua.
dofile("bench/wrk_report.lua")

local template = os.getenv("WRK_BODY") or error("WRK_BODY is not set")
local run = os.getenv("WRK_RUN") or tostring(os.time())
local threads = 0
local counter = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local token = run .. "-" .. tostring(tid) .. "-" .. tostring(counter)
  local body = template:gsub("{n}", token)
  return wrk.format(nil, nil, nil, body)
end
