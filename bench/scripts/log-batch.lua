-- runs/log-batch with METRICS (default 1000) new metric values per request: 20 keys x 50 steps, the step range moving
-- on every request so that nothing is a duplicate the server could skip.
local run_id = os.getenv("RUN_ID")
local metrics = tonumber(os.getenv("METRICS") or "1000")
dofile(os.getenv("REPORT_LUA"))

-- Globals on purpose: setup() runs in wrk's main state and thread:set() writes each thread's globals.
counter = 0
thread_offset = 0

setup = function(thread)
  thread:set("thread_offset", counter * 100000000)
  counter = counter + 1
end

request = function()
  local base = thread_offset + counter * metrics
  counter = counter + 1
  local items = {}
  for i = 0, metrics - 1 do
    items[#items + 1] = string.format('{"key":"m%d","value":%.6f,"timestamp":%d,"step":%d}',
      i % 20, math.random(), 1790000000000 + base + i, base + i)
  end
  local body = '{"run_id":"' .. run_id .. '","metrics":[' .. table.concat(items, ",") .. ']}'
  return wrk.format("POST", "/api/2.0/mlflow/runs/log-batch", { ["Content-Type"] = "application/json" }, body)
end
