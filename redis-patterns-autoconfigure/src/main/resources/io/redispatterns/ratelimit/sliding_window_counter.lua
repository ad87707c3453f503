-- Sliding window counter (code 3): hash {w = window index, c = count in it, p = count in the
-- previous one, l = window length}. The previous count is weighted by the part of it still
-- inside the sliding window; O(1) memory. A = limit, B = window (us). The key expires when the
-- window after the current one ends: a commit within the window the key already holds writes only
-- the count (that expiry is set already).
local function roll(w, c, p, idx)
  if w == idx then
    return c, p
  elseif w == idx - 1 then
    return 0, c
  end
  return 0, 0
end

ALG[3] = function(key, limit, window, _, cost)
  -- weights use a granularity g so that window / g <= 2^20 and limit * 2^20 stays below 2^53
  local g = 1
  if window > 1048576 then
    g = cdiv(window, 1048576)
  end
  local wg = cdiv(window, g)
  local idx = idiv(NOW, window)
  local elapsed = NOW - idx * window
  local eg = idiv(elapsed, g)
  local v = redis.call('HMGET', key, 'w', 'c', 'p', 'l')
  local w, c, p, l = tonumber(v[1]), tonumber(v[2]) or 0, tonumber(v[3]) or 0, tonumber(v[4])
  if w == nil then
    c, p = 0, 0
  elseif l ~= nil and l ~= window then
    -- window length changed: carry the old estimate over as the current count
    local oidx = idiv(NOW, l)
    local oc, op = roll(w, c, p, oidx)
    local og = 1
    if l > 1048576 then
      og = cdiv(l, 1048576)
    end
    local owg = cdiv(l, og)
    local oeg = idiv(NOW - oidx * l, og)
    c, p = oc + cdiv(op * (owg - oeg), owg), 0
  else
    c, p = roll(w, c, p, idx)
  end
  local used = c + cdiv(p * (wg - eg), wg)
  local r = { avail = limit - used, reset = window - elapsed, retry = 0 }
  r.allowed = used + cost <= limit
  if r.allowed then
    r.commit = function()
      if w == idx and l == window then
        redis.call('HSET', key, 'c', c + cost)
      else
        redis.call('HSET', key, 'w', idx, 'c', c + cost, 'p', p, 'l', window)
        expire(key, 2 * window - elapsed)
      end
    end
  elseif c + cost <= limit then
    -- wait until enough of the previous window has slid out
    local need = wg - idiv((limit - c - cost) * wg, p)
    r.retry = (need - eg) * g
  else
    -- wait for the next window, where this window's count is the weighted one
    local need = wg
    if c > 0 and limit >= cost then
      need = wg - idiv((limit - cost) * wg, c)
    end
    r.retry = (window - elapsed) + need * g
  end
  if r.retry < 1 and not r.allowed then
    r.retry = 1
  end
  return r
end
