-- Renews a loader lock's lease if the caller still owns it.
-- KEYS[1] loader lock key; ARGV[1] owner token, ARGV[2] lease (ms)
-- Returns 1 when renewed, 0 when the lock was not ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
