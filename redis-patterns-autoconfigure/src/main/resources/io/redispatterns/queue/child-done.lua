-- Reports a finished child job to its flow's parent, on the parent's queue (a second script call after
-- the child's own queue was touched: a script touches the keys of one hash tag only, and the
-- parent may live on another queue and Cluster slot). Replay-safe: the child's outcome is recorded
-- under its id with HSETNX, so a re-sent or repeated report (the child ran again after a crash)
-- changes nothing.
-- KEYS: 1 parent job, 2 wait, 3 marker, 4 meta, 5 dead
-- ARGV: 1 base, 2 parent id, 3 child id, 4 'c' completed or 'f' failed, 5 result JSON or error,
--       6 '1' when a failed child fails the parent, 7 keep dead count, 8 keep dead age ms,
--       9 events max length, 10 dedupe window ms
-- Returns 2 when the parent became ready, 1 when it waits for more children, 3 when it failed,
-- 0 when the report changed nothing.
local base, parentId, childId, outcome, detail = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local jk = KEYS[1]
if redis.call('HGET', jk, 's') ~= 'p' then
  return 0
end
-- results are stored as 'c<json>', ignored failures as 'f<error>'
if redis.call('HSETNX', jk .. ':ch', childId, outcome .. detail) == 0 then
  return 0
end
if outcome == 'f' and ARGV[6] == '1' then
  local err = 'Child job ' .. childId .. ' failed: ' .. detail
  redis.call('HSET', jk, 's', 'x', 'e', err, 'f', now)
  redis.call('HDEL', jk, 'pn')
  redis.call('PEXPIRE', jk, ARGV[8])
  redis.call('PEXPIRE', jk .. ':ch', ARGV[8])
  redis.call('ZADD', KEYS[5], now, parentId)
  releaseDedupe(base, jk, parentId, ARGV[10])
  publishEvent(base, ARGV[9], parentId, 'dead', err)
  trimFinished(base, KEYS[5], ARGV[7], ARGV[8])
  return 3
end
if redis.call('HINCRBY', jk, 'pn', -1) > 0 then
  return 1
end
local priority = redis.call('HGET', jk, 'p')
redis.call('HSET', jk, 's', 'w', 'r', now)
redis.call('HDEL', jk, 'pn')
addWaiting(KEYS[2], KEYS[4], parentId, priority)
redis.call('ZADD', KEYS[3], 0, 'm')
return 2
