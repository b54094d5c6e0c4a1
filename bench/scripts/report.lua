-- Shared report line of the tracking load tests: requests, throughput, p50/p95/p99 and non-2xx responses.
-- wrk's own summary skips p95, which several targets are stated in.
local errors = 0

response = function(status, headers, body)
  if status >= 300 then
    errors = errors + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d rps=%.0f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f non2xx=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
