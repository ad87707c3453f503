-- Stalled-job recovery, run by any live instance: a job whose lease deadline passed goes back to
-- waiting (the expired lease counted as an attempt), or to dead letters when it has no attempts
-- left. Its lease (active-set member, lease.lua) is removed and its token cleared, so a late completion by the
-- old holder is rejected.
-- Also the periodic retention maintenance of completed jobs (complete trims by count only now and then):
-- those older than their keep age and those beyond the keep count are deleted.
-- KEYS: 1 active, 2 wait, 3 dead, 4 marker, 5 meta, 6 completed
-- ARGV: 1 base, 2 default max attempts, 3 limit, 4 keep dead count, 5 keep dead age ms,
--       6 events max length, 7 dedupe window ms, 8 keep completed age ms, 9 keep completed count
-- Returns {jobs moved back to waiting, jobs dead, then (child id, parent reference) of every dead
-- flow child}: a child that dies here never runs again, so the caller reports it to its parent.
local base = ARGV[1]
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local requeued, dead = 0, 0
local deadChildren = {}
for _, member in ipairs(expired) do
  local id, start, token = parseLease(member)
  local jk = jobKey(base, id)
  redis.call('ZREM', KEYS[1], member)
  local f = redis.call('HMGET', jk, 'a', 'm', 'p', 's', 'pa', 'fl', 'c', 'st')
  -- a lease of this layout counts the expired attempt now (lease.lua); one of the layout before counted it
  -- when it leased (its hash then holds 's' = 'a')
  local leased = (token and f[7]) or (not token and f[4] == 'a')
  if leased then
    f[1] = tostring(tonumber(f[1] or '0') + (token and 1 or 0))
    local max = tonumber(f[2] or 0)
    if max <= 0 then
      max = tonumber(ARGV[2])
    end
    local reason = 'lease expired: the worker stopped or stalled during attempt ' .. f[1]
    appendHistory(jk, f[1] .. '|' .. now .. '|' .. reason)
    if tonumber(f[1]) >= max then
      redis.call('HSET', jk, 's', 'x', 't', '', 'a', f[1], 'st', start or f[8] or '', 'e', reason, 'f', now)
      redis.call('PEXPIRE', jk, ARGV[5])
      if f[6] then
        redis.call('PEXPIRE', jk .. ':ch', ARGV[5])
      end
      if f[5] then
        deadChildren[#deadChildren + 1] = id
        deadChildren[#deadChildren + 1] = f[5]
      end
      redis.call('ZADD', KEYS[3], now, id)
      releaseDedupe(base, jk, id, ARGV[7])
      publishEvent(base, ARGV[6], id, 'dead', reason)
      dead = dead + 1
    else
      redis.call('HSET', jk, 's', 'w', 't', '', 'a', f[1], 'e', reason, 'r', now)
      addWaiting(KEYS[2], KEYS[5], id, f[3])
      requeued = requeued + 1
    end
  end
end
trimFinished(base, KEYS[3], ARGV[4], ARGV[5])
-- jobs of the layout before (every priority in the sorted set) or of an instance not upgraded yet: taken once the
-- list carries the mark that sends takes to the sorted set (prelude: addWaiting)
if redis.call('EXISTS', KEYS[2]) == 1 and markPriority(readyKey(KEYS[2])) then
  redis.call('ZADD', KEYS[4], 0, 'm')
end
if KEYS[6] then
  removeOlderThan(base, KEYS[6], ARGV[8])
  if ARGV[9] then
    trimByCount(base, KEYS[6], ARGV[9])
  end
end
if requeued > 0 then
  redis.call('ZADD', KEYS[4], 0, 'm')
end
local result = { requeued, dead }
for _, value in ipairs(deadChildren) do
  result[#result + 1] = value
end
return result
