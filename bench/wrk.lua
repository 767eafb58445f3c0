-- wrk script for bench/run. Everything comes from the environment:
--   KEY    API key for the Authorization header (none for the admin port)
--   BODY   file whose contents are POSTed as JSON (GET when unset)
--   TAG    User-Agent of every request; the audit log records it, which is how bench/run counts each run's lines
-- done() prints one line "BENCH {json}" with wrk's own counts and latency percentiles (microseconds).
local key = os.getenv("KEY")
local body = os.getenv("BODY")
local tag = os.getenv("TAG")

if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end
if tag and tag ~= "" then
  wrk.headers["User-Agent"] = tag
end
if body and body ~= "" then
  local f = assert(io.open(body, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"bytes":%d,"errors_status":%d,"errors_connect":%d,' ..
    '"errors_read":%d,"errors_write":%d,"timeouts":%d,"p50_us":%.0f,"p99_us":%.0f,"p999_us":%.0f,"max_us":%.0f}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
