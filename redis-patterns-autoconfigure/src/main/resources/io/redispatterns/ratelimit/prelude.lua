-- Shared by every rate-limit script. All quantities are integers below 2^53, so Lua's
-- doubles hold them exactly; times are microseconds from the server's TIME. Numbers are passed to
-- redis.call as they are: Redis formats them exactly (%.17g, or as an integer since 7.2), without
-- the cost of string.format. Every function defined here is created again on each call: keep the
-- list short.
local ALG = {}

-- floor(a / b) for non-negative integers, exact even where a / b rounds up to an integer
local function idiv(a, b)
  local q = math.floor(a / b)
  if q * b > a then
    q = q - 1
  elseif (q + 1) * b <= a then
    q = q + 1
  end
  return q
end

-- ceil(a / b) for non-negative integers
local function cdiv(a, b)
  local q = idiv(a, b)
  if q * b < a then
    q = q + 1
  end
  return q
end

-- expire after `micros` (rounded up to whole milliseconds, at least 1)
local function expire(key, micros)
  local ms = cdiv(micros, 1000)
  if ms < 1 then
    ms = 1
  end
  redis.call('PEXPIRE', key, ms)
end

local TIME = redis.call('TIME')
local NOW = tonumber(TIME[1]) * 1000000 + tonumber(TIME[2])

-- The expiry (absolute ms) to give a key that must live `micros` from NOW, or nil when `e`, the
-- expiry last given to it (a lower bound of its real one, kept in the key's field 'e'), is late
-- enough already. A new expiry adds `slack` microseconds (at most 1 s) so that a key charged often
-- is not given a TTL on every call. A key that outlives its state decides like a missing one. The
-- caller writes 'e' and then sets the TTL with PEXPIRE (at - NOW in ms, at least 1): the real
-- expiry is then at or after `at`.
local function renewal(e, micros, slack)
  local due = cdiv(NOW + micros, 1000)
  if e ~= nil and e >= due then
    return nil
  end
  if slack > 1000000 then
    slack = 1000000
  end
  return due + cdiv(slack, 1000)
end
