-- Gives a leased job back on graceful shutdown before its handler ran to the end: back to
-- waiting, the attempt not counted (a lease does not count it: lease.lua). Removing the caller's lease
-- (its active-set member) is the check that it still holds it; replay-safe.
-- KEYS: 1 job, 2 active, 3 wait, 4 marker, 5 meta
-- ARGV: 1 id, 2 lease
if redis.call('ZREM', KEYS[2], ARGV[2]) == 0 then
  return 0
end
local priority = redis.call('HGET', KEYS[1], 'p')
redis.call('HSET', KEYS[1], 's', 'w', 't', '', 'r', now)
addWaiting(KEYS[3], KEYS[5], ARGV[1], priority)
redis.call('ZADD', KEYS[4], 0, 'm')
return 1
