-- One GCRA limit (code 5), flattened: the arithmetic, writes and reply of prelude.lua + gcra.lua +
-- decide.lua for a decision with one limit, without the building blocks' tables and closures
-- (creating them on every call was most of the script's cost in Redis). Keep it in step with
-- gcra.lua: RateLimitSingleScriptTests compares the two on random requests.
-- KEYS[1] = the key; ARGV = code, A = burst, B and C = the emission interval B/C us, cost, then
-- optionally '1' for check-only. Returns {allowed, allowed, available before charging, reset (us),
-- retry-after (us), NOW (us)}.
-- The divisions are prelude.lua's idiv/cdiv written out in place (a function would be a closure
-- created on every call): x = floor(a / b), then corrected by one where a / b rounded across an
-- integer, so that the quotient is exact for every integer below 2^53; a ceiling adds one when
-- x * b < a.
local floor = math.floor
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
    -- idiv(span, scale)
    local x = floor(span / scale)
    if x * scale > span then
      x = x - 1
    elseif (x + 1) * scale <= span then
      x = x + 1
    end
    if ahead > x + 1 then
      debt = span
    else
      debt = ahead * scale + tf
    end
  else
    -- interval changed: keep the number of units still owed, cdiv(ahead * q + tf, i)
    local a = ahead * q + tf
    local owed = floor(a / i)
    if owed * i > a then
      owed = owed - 1
    elseif (owed + 1) * i <= a then
      owed = owed + 1
    end
    if owed * i < a then
      owed = owed + 1
    end
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
-- avail = idiv(span - debt, interval)
local left = span - debt
local avail = floor(left / interval)
if avail * interval > left then
  avail = avail - 1
elseif (avail + 1) * interval <= left then
  avail = avail + 1
end
if newDebt > span then
  -- cdiv(debt, scale), cdiv(newDebt - span, scale)
  local reset = floor(debt / scale)
  if reset * scale > debt then
    reset = reset - 1
  elseif (reset + 1) * scale <= debt then
    reset = reset + 1
  end
  if reset * scale < debt then
    reset = reset + 1
  end
  local over = newDebt - span
  local retry = floor(over / scale)
  if retry * scale > over then
    retry = retry - 1
  elseif (retry + 1) * scale <= over then
    retry = retry + 1
  end
  if retry * scale < over then
    retry = retry + 1
  end
  return { 0, 0, avail, reset, retry, NOW }
end
-- whole = idiv(newDebt, scale); reset = cdiv(newDebt, scale) = whole, plus one when a fraction is left
local whole = floor(newDebt / scale)
if whole * scale > newDebt then
  whole = whole - 1
elseif (whole + 1) * scale <= newDebt then
  whole = whole + 1
end
local frac = newDebt - whole * scale
local reset = whole
if frac > 0 then
  reset = whole + 1
end
if ARGV[6] ~= '1' then
  -- the renewal of prelude.lua: a new expiry only when the one last given (e) is too early
  local e = tonumber(v[5])
  -- due = cdiv(NOW + reset, 1000)
  local until_ = NOW + reset
  local due = floor(until_ / 1000)
  if due * 1000 > until_ then
    due = due - 1
  elseif (due + 1) * 1000 <= until_ then
    due = due + 1
  end
  if due * 1000 < until_ then
    due = due + 1
  end
  if e == nil or e < due then
    -- slack = min(idiv(span, scale), 10^6); at = due + cdiv(slack, 1000)
    local slack = floor(span / scale)
    if slack * scale > span then
      slack = slack - 1
    elseif (slack + 1) * scale <= span then
      slack = slack + 1
    end
    if slack > 1000000 then
      slack = 1000000
    end
    local ms = floor(slack / 1000)
    if ms * 1000 > slack then
      ms = ms - 1
    elseif (ms + 1) * 1000 <= slack then
      ms = ms + 1
    end
    if ms * 1000 < slack then
      ms = ms + 1
    end
    local at = due + ms
    -- idiv(NOW, 1000)
    local nowMs = floor(NOW / 1000)
    if nowMs * 1000 > NOW then
      nowMs = nowMs - 1
    elseif (nowMs + 1) * 1000 <= NOW then
      nowMs = nowMs + 1
    end
    redis.call('HSET', key, 't', NOW + whole, 'f', frac, 'i', interval, 'q', scale, 'e', at)
    redis.call('PEXPIRE', key, math.max(1, at - nowMs))
  elseif i == interval and tonumber(v[4]) == scale then
    redis.call('HSET', key, 't', NOW + whole, 'f', frac)
  else
    redis.call('HSET', key, 't', NOW + whole, 'f', frac, 'i', interval, 'q', scale, 'e', v[5])
  end
end
return { 1, 1, avail, reset, 0, NOW }
