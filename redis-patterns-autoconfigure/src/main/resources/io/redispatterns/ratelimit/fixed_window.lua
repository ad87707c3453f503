-- Fixed window (code 1): hash {s = window start (us), c = count}. The window starts with the
-- first request after the previous one ended. A = limit, B = window (us).
ALG[1] = function(key, limit, window, _, cost)
  local v = redis.call('HMGET', key, 's', 'c')
  local start, count = tonumber(v[1]), tonumber(v[2])
  if start == nil or count == nil or NOW >= start + window or start > NOW then
    start, count = NOW, 0
  end
  local r = { avail = limit - count, reset = start + window - NOW, retry = 0 }
  r.allowed = count + cost <= limit
  if r.allowed then
    r.commit = function()
      redis.call('HSET', key, 's', str(start), 'c', str(count + cost))
      expire(key, start + window - NOW)
    end
  else
    r.retry = r.reset
  end
  return r
end
