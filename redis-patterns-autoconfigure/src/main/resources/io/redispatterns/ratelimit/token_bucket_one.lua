-- One token-bucket limit (code 4), flattened: the arithmetic, writes and reply of prelude.lua + token_bucket.lua +
-- decide.lua for a decision with one limit, without the building blocks' tables and closures
-- (creating them on every call was most of the script's cost in Redis). Keep it in step with
-- token_bucket.lua: RateLimitSingleScriptTests compares the two on random requests.
-- KEYS[1] = the key; ARGV = code, A = capacity, B = refill period (us), C = tokens per period, cost, then
-- optionally '1' for check-only. Returns {allowed, allowed, available before charging, reset (us),
-- retry-after (us), NOW (us)}.
local function idiv(a, b)
  local q = math.floor(a / b)
  if q * b > a then
    q = q - 1
  elseif (q + 1) * b <= a then
    q = q + 1
  end
  return q
end

local function cdiv(a, b)
  local q = idiv(a, b)
  if q * b < a then
    q = q + 1
  end
  return q
end

local TIME = redis.call('TIME')
local NOW = tonumber(TIME[1]) * 1000000 + tonumber(TIME[2])
local key = KEYS[1]
local capacity, period, rate, cost = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local full = capacity * period
local v = redis.call('HMGET', key, 'f', 't', 'q', 'e')
local f, t, q = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
if f == nil or t == nil or q == nil then
  f = full
else
  if q ~= period then
    f = idiv(f, q) * period
  end
  if f > full then
    f = full
  end
  if t > NOW then
    t = NOW
  end
  local missing = full - f
  if missing > 0 then
    local elapsed = NOW - t
    if elapsed >= cdiv(missing, rate) then
      f = full
    else
      f = f + elapsed * rate
    end
  end
end
local want = cost * period
if f < want then
  return { 0, 0, idiv(f, period), cdiv(full - f, rate), cdiv(want - f, rate), NOW }
end
local reset = cdiv(full - (f - want), rate)
if ARGV[6] ~= '1' then
  -- the renewal of prelude.lua: a new expiry only when the one last given (e) is too early
  local e = tonumber(v[4])
  local due = cdiv(NOW + reset, 1000)
  local at = nil
  if e == nil or e < due then
    local slack = cdiv(full, rate)
    if slack > 1000000 then
      slack = 1000000
    end
    at = due + cdiv(slack, 1000)
  end
  if at == nil and q == period then
    redis.call('HSET', key, 'f', f - want, 't', NOW)
  else
    redis.call('HSET', key, 'f', f - want, 't', NOW, 'q', period, 'e', at or v[4])
    if at ~= nil then
      redis.call('PEXPIRE', key, math.max(1, at - idiv(NOW, 1000)))
    end
  end
end
return { 1, 1, idiv(f, period), reset, 0, NOW }
