-- One fixed-window limit (code 1), flattened: the arithmetic, writes and reply of prelude.lua +
-- fixed_window.lua + decide.lua for a decision with one limit, without the building blocks' tables
-- and closures (creating them on every call was most of the script's cost in Redis). Keep it in
-- step with fixed_window.lua: RateLimitSingleScriptTests compares the two on random requests.
-- KEYS[1] = the key; ARGV = code, A = limit, B = window (us), C unused, cost, then optionally '1'
-- for check-only. Returns {allowed, allowed, available before charging, reset (us), retry-after
-- (us), NOW (us)}.
local TIME = redis.call('TIME')
local NOW = tonumber(TIME[1]) * 1000000 + tonumber(TIME[2])
local key = KEYS[1]
local limit, window, cost = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[5])
local v = redis.call('HMGET', key, 's', 'c', 'l')
local start, count = tonumber(v[1]), tonumber(v[2])
local current = tonumber(v[3]) == window
if start == nil or count == nil or NOW >= start + window or start > NOW then
  start, count, current = NOW, 0, false
end
local reset = start + window - NOW
if count + cost > limit then
  return { 0, 0, limit - count, reset, reset, NOW }
end
if ARGV[6] ~= '1' then
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
