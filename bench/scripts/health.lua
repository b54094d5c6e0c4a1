-- wrk script: the baseline for alias resolution, the cheapest endpoint of the same server, with the same report.
done = function(summary, latency, requests)
  io.write(string.format("requests=%d p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
