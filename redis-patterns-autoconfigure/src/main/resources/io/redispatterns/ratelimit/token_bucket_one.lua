-- One token-bucket limit (code 4), flattened: the arithmetic, writes and reply of prelude.lua + token_bucket.lua +
-- decide.lua for a decision with one limit, without the building blocks' tables and closures
-- (creating them on every call was most of the script's cost in Redis). Keep it in step with
-- token_bucket.lua: RateLimitSingleScriptTests compares the two on random requests.
-- KEYS[1] = the key; ARGV = code, A = capacity, B = refill period (us), C = tokens per period, cost, then
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
local capacity, period, rate, cost = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local full = capacity * period
local v = redis.call('HMGET', key, 'f', 't', 'q', 'e')
local f, t, q = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
if f == nil or t == nil or q == nil then
  f = full
else
  if q ~= period then
    -- idiv(f, q) * period
    local x = floor(f / q)
    if x * q > f then
      x = x - 1
    elseif (x + 1) * q <= f then
      x = x + 1
    end
    f = x * period
  end
  if f > full then
    f = full
  end
  if t > NOW then
    t = NOW
  end
  local missing = full - f
  if missing > 0 then
    -- cdiv(missing, rate)
    local need = floor(missing / rate)
    if need * rate > missing then
      need = need - 1
    elseif (need + 1) * rate <= missing then
      need = need + 1
    end
    if need * rate < missing then
      need = need + 1
    end
    local elapsed = NOW - t
    if elapsed >= need then
      f = full
    else
      f = f + elapsed * rate
    end
  end
end
-- avail = idiv(f, period)
local avail = floor(f / period)
if avail * period > f then
  avail = avail - 1
elseif (avail + 1) * period <= f then
  avail = avail + 1
end
local want = cost * period
if f < want then
  -- cdiv(full - f, rate), cdiv(want - f, rate)
  local empty = full - f
  local reset = floor(empty / rate)
  if reset * rate > empty then
    reset = reset - 1
  elseif (reset + 1) * rate <= empty then
    reset = reset + 1
  end
  if reset * rate < empty then
    reset = reset + 1
  end
  local short = want - f
  local retry = floor(short / rate)
  if retry * rate > short then
    retry = retry - 1
  elseif (retry + 1) * rate <= short then
    retry = retry + 1
  end
  if retry * rate < short then
    retry = retry + 1
  end
  return { 0, 0, avail, reset, retry, NOW }
end
-- reset = cdiv(full - (f - want), rate)
local empty = full - (f - want)
local reset = floor(empty / rate)
if reset * rate > empty then
  reset = reset - 1
elseif (reset + 1) * rate <= empty then
  reset = reset + 1
end
if reset * rate < empty then
  reset = reset + 1
end
if ARGV[6] ~= '1' then
  -- the renewal of prelude.lua: a new expiry only when the one last given (e) is too early
  local e = tonumber(v[4])
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
    -- slack = min(cdiv(full, rate), 10^6); at = due + cdiv(slack, 1000)
    local slack = floor(full / rate)
    if slack * rate > full then
      slack = slack - 1
    elseif (slack + 1) * rate <= full then
      slack = slack + 1
    end
    if slack * rate < full then
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
    redis.call('HSET', key, 'f', f - want, 't', NOW, 'q', period, 'e', at)
    redis.call('PEXPIRE', key, math.max(1, at - nowMs))
  elseif q == period then
    redis.call('HSET', key, 'f', f - want, 't', NOW)
  else
    redis.call('HSET', key, 'f', f - want, 't', NOW, 'q', period, 'e', v[4])
  end
end
return { 1, 1, avail, reset, 0, NOW }
