-- Releases a loader lock if the caller still owns it (compare-and-delete) and wakes up waiters.
-- KEYS[1] loader lock key; ARGV[1] owner token, ARGV[2] wake-up channel, ARGV[3] message
-- Returns 1 when released, 0 when the lock was not ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0
