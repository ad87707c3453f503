-- Writes a cache entry only if the caller still holds the key's loader lock, and wakes up the
-- waiters of other instances. The caller releases the lock afterwards.
-- KEYS[1] value key, KEYS[2] loader lock key (same hash tag)
-- ARGV[1] owner token, ARGV[2] entry, ARGV[3] TTL (ms), ARGV[4] wake-up channel, ARGV[5] message
-- Returns 1 when written, 0 when the lock was lost (expired, or deleted by an invalidation).
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
