-- runs/search over the seeded experiment with a metric filter and a metric order_by; the threshold varies per
-- request so that no two consecutive requests are identical.
local experiment = os.getenv("EXPERIMENT_ID")
local page = tonumber(os.getenv("PAGE") or "100")
dofile(os.getenv("REPORT_LUA"))

request = function()
  local body = string.format(
    '{"experiment_ids":["%s"],"filter":"metrics.m0 > %.2f and params.p1 != \'7\'","order_by":["metrics.m1 DESC"],"max_results":%d}',
    experiment, math.random() * 0.9, page)
  return wrk.format("POST", "/api/2.0/mlflow/runs/search", { ["Content-Type"] = "application/json" }, body)
end
