-- Releases a lock if the caller still owns it, and wakes up waiters.
-- KEYS[1] lock key, KEYS[2] release marker (same hash tag)
-- ARGV[1] owner token, ARGV[2] wake-up channel (same hash tag), ARGV[3] message,
-- ARGV[4] how long the release marker is kept (ms)
-- Returns 1 when released (now, or by an earlier run of this same release), 0 when the lock was
-- not ours (expired or held by another owner).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  -- Remembers who released last, for a short while: when Lettuce re-sends this release after a
  -- lost reply, the second run finds the lock gone and must still answer "released", not "lost".
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[4])
  -- Sharded pub/sub (Redis 7+) reaches subscribers on Cluster too; a server without SPUBLISH
  -- leaves waiters to their fallback poll instead of failing the release.
  pcall(redis.call, 'SPUBLISH', ARGV[2], ARGV[3])
  return 1
end
if redis.call('GET', KEYS[2]) == ARGV[1] then
  return 1
end
return 0
