-- One fixed-window limit (code 1), flattened: the arithmetic, writes and reply of prelude.lua +
-- fixed_window.lua + decide.lua for a decision with one limit, without the building blocks' tables
-- and closures (creating them on every call was most of the script's cost in Redis). Keep it in
-- step with fixed_window.lua: RateLimitSingleScriptTests compares the two on random requests.
-- KEYS[1] = the key; ARGV = code, A = limit, B = window (us), C unused, cost, then optionally '1'
-- for check-only. Returns {allowed, allowed, available before charging, reset (us), retry-after
-- (us), NOW (us)}.
-- Cheap for Redis on purpose (measured per call, benchmarks/RESULTS.md): strings become numbers by
-- arithmetic (x + 0 parses once; tonumber parses twice), the stored window length is compared as a
-- string first.
local TIME = redis.call('TIME')
local NOW = TIME[1] * 1000000 + TIME[2]
local key = KEYS[1]
local A = ARGV
local limit, window, cost = A[2] + 0, A[3] + 0, A[5] + 0
local v = redis.call('HMGET', key, 's', 'c', 'l')
local start, count, l = v[1], v[2], v[3]
local current = false
if start and count then
  start, count = start + 0, count + 0
  -- l: the window length the state was written with; equal strings are equal numbers
  current = l ~= false and (l == A[3] or l + 0 == window)
  if NOW >= start + window or start > NOW then
    start, count, current = NOW, 0, false
  end
else
  start, count = NOW, 0
end
local reset = start + window - NOW
if count + cost > limit then
  return { 0, 0, limit - count, reset, reset, NOW }
end
if A[6] ~= '1' then
  if current then
    redis.call('HSET', key, 'c', count + cost)
  else
    redis.call('HSET', key, 's', start, 'c', count + cost, 'l', window)
    -- expire with the window (whole milliseconds, rounded up, at least 1)
    local ms = math.floor(reset / 1000)
    if ms * 1000 > reset then
      ms = ms - 1
    elseif (ms + 1) * 1000 <= reset then
      ms = ms + 1
    end
    if ms * 1000 < reset then
      ms = ms + 1
    end
    if ms < 1 then
      ms = 1
    end
    redis.call('PEXPIRE', key, ms)
  end
end
return { 1, 1, limit - count, reset, 0, NOW }
