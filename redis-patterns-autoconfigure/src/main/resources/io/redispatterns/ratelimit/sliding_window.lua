-- Sliding window log (code 2): sorted set of admitted units scored by time (us). A unit counts
-- while NOW - score < window. Rejections add nothing, so the set never holds more than `limit`
-- members. A = limit, B = window (us).
ALG[2] = function(key, limit, window, _, cost)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', str(NOW - window))
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
      -- members are unique: same NOW means the count only grew since
      for i = 1, cost do
        redis.call('ZADD', key, str(NOW), str(NOW) .. '-' .. str(count + i))
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
