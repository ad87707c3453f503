-- Records a failed attempt of a leased job: retried after ARGV[5] ms, or dead when ARGV[5] is -1.
-- Removing the caller's lease (its active-set member, lease.lua) is the check that it still holds it;
-- rejected (0) otherwise. A re-sent call returns its first answer (the job records the lease's token).
-- KEYS: 1 job, 2 active, 3 delayed, 4 dead, 5 marker
-- ARGV: 1 base, 2 id, 3 lease, 4 error, 5 retry delay ms or -1, 6 keep dead count, 7 keep dead age ms,
--       8 events max length, 9 dedupe window ms
-- Returns 2 when retried, 3 when dead, 0 when rejected.
local base, id, lease, err, delay = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local _, start, token = parseLease(lease)
if redis.call('ZREM', KEYS[2], lease) == 0 then
  local f = redis.call('HMGET', KEYS[1], 't', 's')
  if not token or f[1] ~= token then
    return 0
  end
  if f[2] == 'd' or f[2] == 'w' then
    return 2
  end
  if f[2] == 'x' then
    return 3
  end
  return 0
end
local f = redis.call('HMGET', KEYS[1], 'a', 'fl')
local attempt = tonumber(f[1] or 0) + 1
appendHistory(KEYS[1], attempt .. '|' .. now .. '|' .. err)
if delay >= 0 then
  local due = now + delay
  redis.call('HSET', KEYS[1], 's', 'd', 't', token, 'a', attempt, 'st', start, 'e', err, 'r', due)
  wakeIfEarliest(KEYS[3], KEYS[5], due)
  redis.call('ZADD', KEYS[3], due, id)
  return 2
end
redis.call('HSET', KEYS[1], 's', 'x', 't', token, 'a', attempt, 'st', start, 'e', err, 'f', now)
redis.call('PEXPIRE', KEYS[1], ARGV[7])
if f[2] then
  redis.call('PEXPIRE', KEYS[1] .. ':ch', ARGV[7])
end
redis.call('ZADD', KEYS[4], now, id)
releaseDedupe(base, KEYS[1], id, ARGV[9])
publishEvent(base, ARGV[8], id, 'dead', err)
trimFinished(base, KEYS[4], ARGV[6], ARGV[7])
return 3
