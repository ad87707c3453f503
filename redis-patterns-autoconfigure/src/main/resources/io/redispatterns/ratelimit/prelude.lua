-- Shared by every rate-limit script. All quantities are integers below 2^53, so Lua's
-- doubles hold them exactly; times are microseconds from the server's TIME.
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

-- integer to string without exponent notation (tostring would print 1.7e+15)
local function str(x)
  return string.format('%.0f', x)
end

-- expire after `micros` (rounded up to whole milliseconds, at least 1)
local function expire(key, micros)
  local ms = cdiv(micros, 1000)
  if ms < 1 then
    ms = 1
  end
  redis.call('PEXPIRE', key, str(ms))
end

local TIME = redis.call('TIME')
local NOW = tonumber(TIME[1]) * 1000000 + tonumber(TIME[2])
