-- One token-bucket limit (code 4), flattened: the arithmetic, writes and reply of prelude.lua + token_bucket.lua +
-- decide.lua for a decision with one limit, without the building blocks' tables and closures
-- (creating them on every call was most of the script's cost in Redis). Keep it in step with
-- token_bucket.lua: RateLimitSingleScriptTests compares the two on random requests.
-- KEYS[1] = the key; ARGV = code, A = capacity, B = refill period (us), C = tokens per period, cost, then
-- optionally '1' for check-only. Returns {allowed, allowed, available before charging, reset (us),
-- retry-after (us), NOW (us)}.
-- Cheap for Redis on purpose (measured per call, benchmarks/RESULTS.md): strings become numbers by
-- arithmetic (x + 0 parses once; tonumber parses twice), the stored period is compared as a string
-- first, a division is made only where its result is needed.
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
local NOW = TIME[1] * 1000000 + TIME[2]
local key = KEYS[1]
local A = ARGV
local capacity, period, rate, cost = A[2] + 0, A[3] + 0, A[4] + 0, A[5] + 0
local full = capacity * period
local v = redis.call('HMGET', key, 'f', 't', 'q', 'e')
local f, t, q = v[1], v[2], v[3]
-- q: the period the state was written with; equal strings are equal numbers
local samePeriod = false
if not (f and t and q) then
  f = full
else
  f, t = f + 0, t + 0
  samePeriod = q == A[3] or q + 0 == period
  if not samePeriod then
    f = idiv(f, q + 0) * period
  end
  if f > full then
    f = full
  end
  local missing = full - f
  if missing > 0 and t < NOW then
    -- elapsed >= ceil(missing / rate) is elapsed * rate >= missing; a product over 2^53 is
    -- rounded but still above missing, and below it is exact
    local gain = (NOW - t) * rate
    if gain >= missing then
      f = full
    else
      f = f + gain
    end
  end
end
local want = cost * period
if f < want then
  return { 0, 0, idiv(f, period), cdiv(full - f, rate), cdiv(want - f, rate), NOW }
end
local left = f - want
local reset = full - left
if rate ~= 1 then
  reset = cdiv(reset, rate)
end
local avail = capacity
if f < full then
  avail = idiv(f, period)
end
if A[6] ~= '1' then
  -- the renewal of prelude.lua: a new expiry only when the one last given (e, in ms) is too early,
  -- that is before cdiv(NOW + reset, 1000)
  local e = v[4]
  local renew = not e or (e + 0) * 1000 < NOW + reset
  if not renew and samePeriod then
    -- a stored "0" is written as the string: Redis would format the number
    redis.call('HSET', key, 'f', left == 0 and '0' or left, 't', NOW)
  else
    local at = v[4]
    if renew then
      local slack = cdiv(full, rate)
      if slack > 1000000 then
        slack = 1000000
      end
      at = cdiv(NOW + reset, 1000) + cdiv(slack, 1000)
    end
    redis.call('HSET', key, 'f', left, 't', NOW, 'q', period, 'e', at)
    if renew then
      redis.call('PEXPIRE', key, math.max(1, at - idiv(NOW, 1000)))
    end
  end
end
return { 1, 1, avail, reset, 0, NOW }
