-- GCRA (code 5): hash {t = theoretical arrival time, whole microseconds, f = its fraction in
-- 1/q microsecond, i and q = the emission interval i/q (us) it was built with, e = the expiry last
-- given to the key (ms)}. One key. A commit writes i and q only when they changed and renews the
-- TTL only when the key would expire before its arrival time (see `renewal`).
-- A = burst (the limit), B and C = the emission interval B/C microseconds: window / limit as a
-- reduced fraction, so that no rate is rounded (10^9 per second is an interval of 1/1000 us).
-- Debts are counted in units of 1/C microsecond, which keeps every quantity an exact integer
-- below 2^53 (the policy validates burst x B < 2^53).
ALG[5] = function(key, burst, interval, scale, cost)
  local v = redis.call('HMGET', key, 't', 'i', 'f', 'q', 'e')
  local tu, i, tf, q = tonumber(v[1]), tonumber(v[2]), tonumber(v[3]) or 0, tonumber(v[4]) or 1
  local span = burst * interval
  local debt = 0
  if tu ~= nil and (tu > NOW or (tu == NOW and tf > 0)) then
    local ahead = tu - NOW
    if i == nil or (i == interval and q == scale) then
      if ahead > idiv(span, scale) + 1 then
        debt = span
      else
        debt = ahead * scale + tf
      end
    else
      -- interval changed: keep the number of units still owed
      local owed = cdiv(ahead * q + tf, i)
      if owed > burst then
        owed = burst
      end
      debt = owed * interval
    end
  end
  if debt > span then
    debt = span
  end
  local newDebt = debt + cost * interval
  if newDebt > span then
    return { allowed = false, avail = idiv(span - debt, interval), reset = cdiv(debt, scale),
      retry = cdiv(newDebt - span, scale) }
  end
  local reset = cdiv(newDebt, scale)
  return { allowed = true, avail = idiv(span - debt, interval), reset = reset, retry = 0, commit = function()
    local whole = idiv(newDebt, scale)
    local at = renewal(tonumber(v[5]), reset, idiv(span, scale))
    if at == nil and i == interval and tonumber(v[4]) == scale then
      redis.call('HSET', key, 't', NOW + whole, 'f', newDebt - whole * scale)
    else
      redis.call('HSET', key, 't', NOW + whole, 'f', newDebt - whole * scale, 'i', interval, 'q', scale, 'e',
        at or v[5])
      if at ~= nil then
        redis.call('PEXPIRE', key, math.max(1, at - idiv(NOW, 1000)))
      end
    end
  end }
end
