-- Cancels a job that has not started: removes it from waiting or delayed and deletes it.
-- Returns 1 when cancelled, 0 when it is running, finished, unknown or a flow's child (its parent
-- waits for its outcome, so it must run) (replay returns 0).
-- KEYS: 1 job, 2 wait, 3 delayed
-- ARGV: 1 base, 2 id
local state, parent = unpack(redis.call('HMGET', KEYS[1], 's', 'pa'))
if (state and state ~= 'w' and state ~= 'd') or parent then
  return 0
end
-- membership decides: a leased job's hash still reads as waiting (a lease writes nothing to it: lease.lua)
if redis.call('ZREM', KEYS[2], ARGV[2]) + redis.call('ZREM', KEYS[3], ARGV[2]) == 0
    and redis.call('LREM', readyKey(KEYS[2]), 1, ARGV[2]) == 0 then
  return 0
end
releaseDedupe(ARGV[1], KEYS[1], ARGV[2], 0)
redis.call('DEL', KEYS[1], KEYS[1] .. ':log')
return 1
