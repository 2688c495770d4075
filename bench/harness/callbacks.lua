-- wrk script: posts pre-encrypted WeCom callbacks, cycling through a file of them, one per line
-- as "path<TAB>body" (see bench/harness/callbacks.ts). Arguments after `--`: the file, and a
-- suffix for every path (co-wechat needs "&encrypt_type=aes" to take the encrypted mode).
-- Prints one JSON line of figures when done; latencies in µs.
local requests = {}
local count = 0
local nextIndex = 1

function init(args)
  local suffix = args[2] or ""
  local headers = { ["Host"] = wrk.headers["Host"], ["Content-Type"] = "text/xml" }
  for line in io.lines(args[1]) do
    local tab = line:find("\t", 1, true)
    count = count + 1
    requests[count] = wrk.format("POST", line:sub(1, tab - 1) .. suffix, headers, line:sub(tab + 1))
  end
end

function request()
  local r = requests[nextIndex]
  nextIndex = nextIndex % count + 1
  return r
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"non2xx":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
