-- Takes a loader lock: SET NX PX, except that a lock already holding the caller's own owner token
-- counts as taken. That happens when Lettuce re-sends this command after its reply was lost: the
-- first run took the lock, and a plain SET NX would now tell the caller that someone else holds
-- it, stranding it behind its own lock until the lease ends.
-- KEYS[1] loader lock key; ARGV[1] owner token, ARGV[2] lease (ms)
-- Returns 1 when the lock is the caller's, 0 when another owner holds it.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
