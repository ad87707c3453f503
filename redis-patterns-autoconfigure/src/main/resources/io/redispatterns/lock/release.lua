-- Releases a lock if the caller still owns it, and wakes up waiters if there are any.
-- KEYS[1] lock key, KEYS[2] release marker (same hash tag)
-- ARGV[1] owner token, ARGV[2] wake-up channel (same hash tag), ARGV[3] message
-- Returns 1 when released (now, or by an earlier run of this same release), 0 when the lock was
-- not ours (expired or held by another owner).
-- The owner token is the held value itself ('<id> <fencing token>'), or its id alone when the
-- fencing token is unknown (the cleanup after an acquisition without reply); ' w' may follow.
local prefix = ARGV[1] .. ' '
local function ours(value)
  return value and (value == ARGV[1] or string.sub(value, 1, #prefix) == prefix)
end
local held = redis.call('GET', KEYS[1])
if ours(held) then
  -- Moving the value to the marker frees the lock and remembers who released it in one command:
  -- when Lettuce re-sends this release after a lost reply, the second run finds the lock gone and
  -- must still answer "released", not "lost". The marker keeps the rest of the lease as its TTL.
  redis.call('RENAME', KEYS[1], KEYS[2])
  if string.sub(held, -2) == ' w' then
    -- Sharded pub/sub (Redis 7+) reaches subscribers on Cluster too; a server without SPUBLISH
    -- leaves waiters to their fallback poll instead of failing the release.
    pcall(redis.call, 'SPUBLISH', ARGV[2], ARGV[3])
  end
  return 1
end
if ours(redis.call('GET', KEYS[2])) then
  return 1
end
return 0
