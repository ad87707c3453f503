-- One sliding-window-counter limit (code 3), flattened: the arithmetic, writes and reply of prelude.lua + sliding_window_counter.lua +
-- decide.lua for a decision with one limit, without the building blocks' tables and closures
-- (creating them on every call was most of the script's cost in Redis). Keep it in step with
-- sliding_window_counter.lua: RateLimitSingleScriptTests compares the two on random requests.
-- KEYS[1] = the key; ARGV = code, A = limit, B = window (us), C unused, cost, then
-- optionally '1' for check-only. Returns {allowed, allowed, available before charging, reset (us),
-- retry-after (us), NOW (us)}.
-- Cheap for Redis on purpose (measured per call, benchmarks/RESULTS.md): strings become numbers by
-- arithmetic (x + 0 parses once; tonumber parses twice), a field that only has to equal an argument is
-- compared as a string first, a division is made only where its result is needed.
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
local limit, window, cost = A[2] + 0, A[3] + 0, A[5] + 0
-- weights use a granularity g so that window / g <= 2^20 and limit * 2^20 stays below 2^53
local g, wg = 1, window
local idx = idiv(NOW, window)
local elapsed = NOW - idx * window
local eg = elapsed
if window > 1048576 then
  g = cdiv(window, 1048576)
  wg = cdiv(window, g)
  eg = idiv(elapsed, g)
end
local v = redis.call('HMGET', key, 'w', 'c', 'p', 'l')
local w, c, p, l = v[1], (v[2] or 0) + 0, (v[3] or 0) + 0, v[4]
-- l: the window length the state was written with; equal strings are equal numbers
local sameWindow = l and (l == A[3] or l + 0 == window)
if w then
  w = w + 0
end
if not w then
  c, p = 0, 0
elseif l and not sameWindow then
  l = l + 0
  -- window length changed: carry the old estimate over as the current count
  local oidx = idiv(NOW, l)
  local oc, op = 0, 0
  if w == oidx then
    oc, op = c, p
  elseif w == oidx - 1 then
    op = c
  end
  local og = 1
  if l > 1048576 then
    og = cdiv(l, 1048576)
  end
  local owg = cdiv(l, og)
  local oeg = idiv(NOW - oidx * l, og)
  c, p = oc + cdiv(op * (owg - oeg), owg), 0
elseif w == idx - 1 then
  c, p = 0, c
elseif w ~= idx then
  c, p = 0, 0
end
local used = c
if p > 0 then
  used = c + cdiv(p * (wg - eg), wg)
end
if used + cost <= limit then
  if A[6] ~= '1' then
    if w == idx and sameWindow then
      redis.call('HSET', key, 'c', c + cost)
    else
      redis.call('HSET', key, 'w', idx, 'c', c + cost, 'p', p, 'l', window)
      -- expire when the window after this one ends (whole milliseconds, at least 1)
      local ms = cdiv(2 * window - elapsed, 1000)
      if ms < 1 then
        ms = 1
      end
      redis.call('PEXPIRE', key, ms)
    end
  end
  return { 1, 1, limit - used, window - elapsed, 0, NOW }
end
local retry
if c + cost <= limit then
  -- wait until enough of the previous window has slid out
  retry = (wg - idiv((limit - c - cost) * wg, p) - eg) * g
else
  -- wait for the next window, where this window's count is the weighted one
  local need = wg
  if c > 0 and limit >= cost then
    need = wg - idiv((limit - cost) * wg, c)
  end
  retry = (window - elapsed) + need * g
end
if retry < 1 then
  retry = 1
end
return { 0, 0, limit - used, window - elapsed, retry, NOW }
