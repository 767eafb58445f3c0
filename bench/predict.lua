-- wrk script: POST a prediction to the demo iris model. BATCH (env) instances per request; 0 means one record.
local key = os.getenv("KEY")
local batch = tonumber(os.getenv("BATCH") or "0")
local record = '{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}'

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
if batch == 0 then
  wrk.body = '{"inputs": ' .. record .. '}'
else
  local instances = {}
  for i = 1, batch do instances[i] = record end
  wrk.body = '{"instances": [' .. table.concat(instances, ",") .. ']}'
end

local failures = 0
function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", summary.errors.status))
end
