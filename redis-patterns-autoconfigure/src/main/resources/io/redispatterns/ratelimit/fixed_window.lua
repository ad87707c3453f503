-- Fixed window (code 1): hash {s = window start (us), c = count, l = window length (us)}. The
-- window starts with the first request after the previous one ended; the key expires with it, so a
-- commit within a window the key already holds writes only the count.
-- A = limit, B = window (us).
ALG[1] = function(key, limit, window, _, cost)
  local v = redis.call('HMGET', key, 's', 'c', 'l')
  local start, count = tonumber(v[1]), tonumber(v[2])
  local current = tonumber(v[3]) == window
  if start == nil or count == nil or NOW >= start + window or start > NOW then
    start, count, current = NOW, 0, false
  end
  local r = { avail = limit - count, reset = start + window - NOW, retry = 0 }
  r.allowed = count + cost <= limit
  if r.allowed then
    r.commit = function()
      if current then
        redis.call('HSET', key, 'c', count + cost)
      else
        redis.call('HSET', key, 's', start, 'c', count + cost, 'l', window)
        expire(key, start + window - NOW)
      end
    end
  else
    r.retry = r.reset
  end
  return r
end
