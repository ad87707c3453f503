-- One GCRA limit (code 5), flattened: the arithmetic, writes and reply of prelude.lua + gcra.lua +
-- decide.lua for a decision with one limit, without the building blocks' tables and closures
-- (creating them on every call was most of the script's cost in Redis). Keep it in step with
-- gcra.lua: RateLimitSingleScriptTests compares the two on random requests.
-- KEYS[1] = the key; ARGV = code, A = burst, B and C = the emission interval B/C us, cost, then
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
local burst, interval, scale, cost = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local v = redis.call('HMGET', key, 't', 'i', 'f', 'q', 'e')
local tu, i, tf, q = tonumber(v[1]), tonumber(v[2]), tonumber(v[3]) or 0, tonumber(v[4]) or 1
local span = burst * interval
local debt = 0
if tu ~= nil and (tu > NOW or (tu == NOW and tf > 0)) then
  local ahead = tu - NOW
  if i == nil or (i == interval and q == scale) then
    if ahead > idiv(span, scale) + 1 then
      debt = span
    else
      debt = ahead * scale + tf
    end
  else
    -- interval changed: keep the number of units still owed
    local owed = cdiv(ahead * q + tf, i)
    if owed > burst then
      owed = burst
    end
    debt = owed * interval
  end
end
if debt > span then
  debt = span
end
local newDebt = debt + cost * interval
if newDebt > span then
  return { 0, 0, idiv(span - debt, interval), cdiv(debt, scale), cdiv(newDebt - span, scale), NOW }
end
local reset = cdiv(newDebt, scale)
local avail = idiv(span - debt, interval)
if ARGV[6] ~= '1' then
  local whole = idiv(newDebt, scale)
  -- the renewal of prelude.lua: a new expiry only when the one last given (e) is too early
  local e = tonumber(v[5])
  local due = cdiv(NOW + reset, 1000)
  local at = nil
  if e == nil or e < due then
    local slack = idiv(span, scale)
    if slack > 1000000 then
      slack = 1000000
    end
    at = due + cdiv(slack, 1000)
  end
  if at == nil and i == interval and tonumber(v[4]) == scale then
    redis.call('HSET', key, 't', NOW + whole, 'f', newDebt - whole * scale)
  else
    redis.call('HSET', key, 't', NOW + whole, 'f', newDebt - whole * scale, 'i', interval, 'q', scale, 'e',
      at or v[5])
    if at ~= nil then
      redis.call('PEXPIRE', key, math.max(1, at - idiv(NOW, 1000)))
    end
  end
end
return { 1, 1, avail, reset, 0, NOW }
