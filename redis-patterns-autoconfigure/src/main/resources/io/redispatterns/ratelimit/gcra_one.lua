-- One GCRA limit (code 5), flattened: the arithmetic, writes and reply of prelude.lua + gcra.lua +
-- decide.lua for a decision with one limit, without the building blocks' tables and closures
-- (creating them on every call was most of the script's cost in Redis). Keep it in step with
-- gcra.lua: RateLimitSingleScriptTests compares the two on random requests.
-- KEYS[1] = the key; ARGV = code, A = burst, B and C = the emission interval B/C us, cost, then
-- optionally '1' for check-only. Returns {allowed, allowed, available before charging, reset (us),
-- retry-after (us), NOW (us)}.
-- Cheap for Redis on purpose (measured per call, benchmarks/RESULTS.md): strings become numbers by
-- arithmetic (x + 0 parses once; tonumber parses twice), fields that only have to equal an argument
-- are compared as strings first, a division is made only where its result is needed.
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
local burst, interval, scale, cost = A[2] + 0, A[3] + 0, A[4] + 0, A[5] + 0
local v = redis.call('HMGET', key, 't', 'i', 'f', 'q', 'e')
-- i and q: the interval the state was written with; equal strings are equal numbers
local i, q = v[2], v[4]
local span = burst * interval
local debt = 0
local tu = v[1]
if tu then
  tu = tu + 0
  local tf = v[3]
  tf = tf and tf + 0 or 0
  if tu > NOW or (tu == NOW and tf > 0) then
    local ahead = tu - NOW
    if not i or ((i == A[3] or i + 0 == interval) and ((q or '1') == A[4] or (q or 1) + 0 == scale)) then
      if ahead > idiv(span, scale) + 1 then
        debt = span
      else
        debt = ahead * scale + tf
      end
    else
      -- interval changed: keep the number of units still owed
      local owed = cdiv(ahead * ((q or 1) + 0) + tf, i + 0)
      if owed > burst then
        owed = burst
      end
      debt = owed * interval
    end
    if debt > span then
      debt = span
    end
  end
end
local newDebt = debt + cost * interval
if newDebt > span then
  return { 0, 0, idiv(span - debt, interval), cdiv(debt, scale), cdiv(newDebt - span, scale), NOW }
end
local whole = idiv(newDebt, scale)
local frac = newDebt - whole * scale
local reset = whole
if frac > 0 then
  reset = whole + 1
end
local avail = burst
if debt > 0 then
  avail = idiv(span - debt, interval)
end
if A[6] ~= '1' then
  -- the renewal of prelude.lua: a new expiry only when the one last given (e, in ms) is too early,
  -- that is before cdiv(NOW + reset, 1000)
  local e = v[5]
  e = e and e + 0
  local renew = not e or e * 1000 < NOW + reset
  if not renew and i and q and (i == A[3] or i + 0 == interval) and (q == A[4] or q + 0 == scale) then
    -- a stored "0" is written as the string: Redis would format the number
    redis.call('HSET', key, 't', NOW + whole, 'f', frac == 0 and '0' or frac)
  else
    local at = v[5]
    if renew then
      local slack = idiv(span, scale)
      if slack > 1000000 then
        slack = 1000000
      end
      at = cdiv(NOW + reset, 1000) + cdiv(slack, 1000)
    end
    redis.call('HSET', key, 't', NOW + whole, 'f', frac, 'i', interval, 'q', scale, 'e', at)
    if renew then
      redis.call('PEXPIRE', key, math.max(1, at - idiv(NOW, 1000)))
    end
  end
end
return { 1, 1, avail, reset, 0, NOW }
