-- wrk script: resolve models:/model-N@champion over MLflow's REST API for random N, and report p95
-- (wrk's own summary stops at p99 and skips p95). MODELS (default 1000) must match the seeding step.
local models = tonumber(os.getenv("MODELS") or "1000")

request = function()
  local n = math.random(0, models - 1)
  return wrk.format("GET", "/api/2.0/mlflow/registered-models/alias?name=model-" .. n .. "&alias=champion")
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
