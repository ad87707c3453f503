-- Sliding window log (code 2): sorted set of admitted units scored by time (us). A unit counts
-- while NOW - score < window. Rejections add nothing, so the set never holds more than `limit`
-- members (the policy caps `limit` at 10,000). A = limit, B = window (us).
-- integer to string without exponent notation (tostring would print 1.7e+15), for the members
local function str(x)
  return string.format('%.0f', x)
end

ALG[2] = function(key, limit, window, _, cost)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', NOW - window)
  local count = redis.call('ZCARD', key)
  local r = { avail = limit - count, retry = 0 }
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if oldest[2] then
    r.reset = tonumber(oldest[2]) + window - NOW
  else
    r.reset = window
  end
  r.allowed = count + cost <= limit
  if r.allowed then
    r.commit = function()
      -- members are unique: same NOW means the count only grew since. One variadic ZADD per
      -- 3,000 units (Lua's unpack returns at most ~8,000 values); the limit is at most 10,000.
      local now = str(NOW)
      local first = 1
      while first <= cost do
        local last = math.min(cost, first + 2999)
        local args = {}
        for i = first, last do
          args[#args + 1] = now
          args[#args + 1] = now .. '-' .. str(count + i)
        end
        redis.call('ZADD', key, unpack(args))
        first = last + 1
      end
      expire(key, window)
    end
  else
    local need = count + cost - limit
    local e = redis.call('ZRANGE', key, need - 1, need - 1, 'WITHSCORES')
    if e[2] then
      r.retry = tonumber(e[2]) + window - NOW
    else
      r.retry = window
    end
  end
  return r
end
