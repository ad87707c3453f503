-- Token bucket (code 4): hash {f = tokens x period (exact fractional tokens), t = time of f (us),
-- q = period f was scaled with, e = the expiry last given to the key (ms)}. A missing key is a full
-- bucket. A commit writes q only when it changed and renews the TTL only when the key would expire
-- before the bucket is full again (see `renewal`).
-- A = capacity, B = refill period (us), C = tokens added per period.
ALG[4] = function(key, capacity, period, rate, cost)
  local full = capacity * period
  local v = redis.call('HMGET', key, 'f', 't', 'q', 'e')
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
  if f < want then
    return { allowed = false, avail = idiv(f, period), reset = cdiv(full - f, rate), retry = cdiv(want - f, rate) }
  end
  local reset = cdiv(full - (f - want), rate)
  return { allowed = true, avail = idiv(f, period), reset = reset, retry = 0, commit = function()
    local at = renewal(tonumber(v[4]), reset, cdiv(full, rate))
    if at == nil and q == period then
      redis.call('HSET', key, 'f', f - want, 't', NOW)
    else
      redis.call('HSET', key, 'f', f - want, 't', NOW, 'q', period, 'e', at or v[4])
      if at ~= nil then
        redis.call('PEXPIRE', key, math.max(1, at - idiv(NOW, 1000)))
      end
    end
  end }
end
