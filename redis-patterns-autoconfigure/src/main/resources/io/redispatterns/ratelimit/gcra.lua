-- GCRA (code 5): hash {t = theoretical arrival time (us), i = emission interval it was built
-- with}. One key. A = burst (the limit), B = emission interval (us, window / limit rounded up).
ALG[5] = function(key, burst, interval, _, cost)
  local v = redis.call('HMGET', key, 't', 'i')
  local tat, i = tonumber(v[1]), tonumber(v[2])
  if tat == nil or tat < NOW then
    tat = NOW
  elseif i ~= nil and i ~= interval then
    -- interval changed: keep the number of units still owed
    tat = NOW + cdiv(tat - NOW, i) * interval
  end
  local span = burst * interval
  local debt = tat - NOW
  if debt > span then
    debt = span
    tat = NOW + span
  end
  local newTat = tat + cost * interval
  local r = { avail = idiv(span - debt, interval), retry = 0 }
  r.allowed = newTat - NOW <= span
  if r.allowed then
    r.reset = newTat - NOW
    r.commit = function()
      redis.call('HSET', key, 't', str(newTat), 'i', str(interval))
      expire(key, newTat - NOW)
    end
  else
    r.reset = debt
    r.retry = newTat - NOW - span
  end
  return r
end
