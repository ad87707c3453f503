-- Releases a lock if the caller still owns it, and wakes up waiters.
-- KEYS[1] lock key; ARGV[1] owner token, ARGV[2] wake-up channel (same hash tag), ARGV[3] message
-- Returns 1 when released, 0 when the lock was not ours (expired or held by another owner).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  -- Sharded pub/sub (Redis 7+) reaches subscribers on Cluster too; a server without SPUBLISH
  -- leaves waiters to their fallback poll instead of failing the release.
  pcall(redis.call, 'SPUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0
