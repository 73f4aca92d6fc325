-- wrk -s bench/wrk_report.lua: one machine-readable line at the end of a run.
-- RESULT <req/s> <p50 ms> <p90 ms> <p99 ms> <mean ms> <requests> <errors incl. non-2xx/3xx>
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT %.1f %.2f %.2f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000,
    latency:percentile(90) / 1000,
    latency:percentile(99) / 1000,
    latency.mean / 1000,
    summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout
  ))
end
