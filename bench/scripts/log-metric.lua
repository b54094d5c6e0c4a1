-- runs/log-metric, one new value per request; each wrk connection's requests carry increasing steps.
local run_id = os.getenv("RUN_ID")
dofile(os.getenv("REPORT_LUA"))

-- Globals on purpose: setup() runs in wrk's main state and thread:set() writes each thread's globals.
counter = 0
thread_offset = 0

setup = function(thread)
  thread:set("thread_offset", counter * 100000000)
  counter = counter + 1
end

request = function()
  local step = thread_offset + counter
  counter = counter + 1
  local body = string.format('{"run_id":"%s","key":"load","value":%.6f,"timestamp":%d,"step":%d}',
    run_id, math.random(), 1790000000000 + step, step)
  return wrk.format("POST", "/api/2.0/mlflow/runs/log-metric", { ["Content-Type"] = "application/json" }, body)
end
