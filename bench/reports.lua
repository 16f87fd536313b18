-- wrk script: every connection is one simulated agent sending host and Docker reports in turn,
-- each a new heartbeat (a counter fills the sequence / timestamp marker).
local data = os.getenv("PULSE_BENCH_DATA")
dofile(data)

-- PULSE_BENCH_MIX: "mixed" (host and Docker reports in turn), "host" or "docker" only, "moving"
-- (Docker reports whose containers' CPU, memory and uptime change every heartbeat), or "get" (the
-- baseline: GET /api/agent/version, an agent's update check, with its token: authenticated and
-- rate-limited like a report, trivial to answer).
local mix = os.getenv("PULSE_BENCH_MIX") or "mixed"
local counter = 0
local next_thread = 0
thread_index = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local slot = nil
local turn = 0

-- Requests are built once per agent and variant and then reused, so the load generator spends
-- its (shared) CPU on sending rather than on concatenating 14 KB strings. Each agent cycles
-- through VARIANTS heartbeats whose sequence ID / timestamp differ (and name the wrk thread), so
-- consecutive reports of one agent always differ and the server applies every one of them.
local VARIANTS = 4
local cache = {}

local function build(agent, send_host, variant)
  if mix == "get" then
    return wrk.format("GET", "/api/agent/version", { ["X-API-Token"] = agent.host_token })
  end
  if send_host then
    local body = agent.host[1] .. tostring(thread_index) .. "-" .. tostring(variant) .. agent.host[2]
    return wrk.format("POST", "/api/agents/host/report",
      { ["Content-Type"] = "application/json", ["X-API-Token"] = agent.host_token, ["Authorization"] = "Bearer " .. agent.host_token }, body)
  end
  -- Seconds and microseconds of the timestamp: unique per thread and variant.
  local seconds = string.format("%02d.%01d%05d", variant, thread_index % 10, variant)
  local template = (mix == "moving") and agent.moving or agent.docker
  local body = (template[1] .. seconds .. template[2]):gsub("@VAR@", tostring(variant))
  return wrk.format("POST", "/api/agents/docker/report",
    { ["Content-Type"] = "application/json", ["X-API-Token"] = agent.docker_token, ["Authorization"] = "Bearer " .. agent.docker_token }, body)
end

function request()
  if slot == nil then
    slot = ((thread_index * math.floor(#agents / 2)) % #agents) + 1
  end
  counter = counter + 1
  turn = turn + 1
  local index = slot
  local send_host
  if mix == "host" then
    send_host = true
    slot = (slot % #agents) + 1
  elseif mix == "docker" or mix == "moving" or mix == "get" then
    send_host = false
    slot = (slot % #agents) + 1
  else
    -- Each agent sends its host report, then its Docker report, then the next agent's turn comes.
    send_host = (turn % 2 == 1)
    if not send_host then slot = (slot % #agents) + 1 end
  end
  -- An agent's n-th request of a kind uses variant n mod VARIANTS.
  local key = (send_host and 0 or 1) * #agents + index
  local entry = cache[key]
  if entry == nil then
    entry = { next = 0 }
    cache[key] = entry
  end
  local variant = entry.next
  entry.next = (variant + 1) % VARIANTS
  local built = entry[variant]
  if built == nil then
    built = build(agents[index], send_host, variant)
    entry[variant] = built
  end
  return built
end

local failures = 0
function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("non-200: " .. status .. " " .. string.sub(body, 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors_status=%d errors_connect=%d errors_timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.connect, summary.errors.timeout))
end
