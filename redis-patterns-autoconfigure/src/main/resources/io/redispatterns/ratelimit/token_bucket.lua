-- Token bucket (code 4): hash {f = tokens x period (exact fractional tokens), t = time of f (us),
-- q = period f was scaled with}. A missing key is a full bucket.
-- A = capacity, B = refill period (us), C = tokens added per period.
ALG[4] = function(key, capacity, period, rate, cost)
  local full = capacity * period
  local v = redis.call('HMGET', key, 'f', 't', 'q')
  local f, t, q = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
  if f == nil or t == nil or q == nil then
    f = full
  else
    if q ~= period then
      f = idiv(f, q) * period
    end
    if f > full then
      f = full
    end
    if t > NOW then
      t = NOW
    end
    local missing = full - f
    if missing > 0 then
      local elapsed = NOW - t
      if elapsed >= cdiv(missing, rate) then
        f = full
      else
        f = f + elapsed * rate
      end
    end
  end
  local want = cost * period
  local r = { avail = idiv(f, period), retry = 0 }
  r.allowed = f >= want
  if r.allowed then
    r.reset = cdiv(full - (f - want), rate)
    r.commit = function()
      redis.call('HSET', key, 'f', str(f - want), 't', str(NOW), 'q', str(period))
      expire(key, r.reset)
    end
  else
    r.reset = cdiv(full - f, rate)
    r.retry = cdiv(want - f, rate)
  end
  return r
end
