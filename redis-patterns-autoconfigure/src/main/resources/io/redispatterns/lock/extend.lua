-- Extends a lock if the caller still owns it.
-- KEYS[1] lock key; ARGV[1] owner token, ARGV[2] new remaining lease (ms)
-- Returns 1 when extended, 0 when the lock was not ours (expired or held by another owner).
-- Safe to run twice (a re-sent command after a lost reply): the second run sets the same expiry.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
