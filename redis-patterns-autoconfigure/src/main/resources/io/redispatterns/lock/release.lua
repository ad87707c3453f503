-- Releases a lock if the caller still owns it, and wakes up waiters if there are any.
-- KEYS[1] lock key, KEYS[2] release marker (same hash tag)
-- ARGV[1] owner token, ARGV[2] wake-up channel (same hash tag), ARGV[3] message
-- Returns 1 when released (now, or by an earlier run of this same release), 0 when the lock was
-- not ours (expired or held by another owner).
-- The owner token is the held value itself ('<id> <fencing token>'), or its id alone when the
-- fencing token is unknown (the cleanup after an acquisition without reply); ' w' may follow.
-- Written without a local function or string building on the common path (the held value equals
-- the owner token): those cost the script more than its commands.
local owner = ARGV[1]
local held = redis.call('GET', KEYS[1])
local ours = held == owner
local waited = false
if not ours and held then
  local length = #owner
  ours = string.sub(held, 1, length + 1) == owner .. ' '
  waited = ours and string.byte(held, -1) == 119 and string.byte(held, -2) == 32
end
if ours then
  -- Moving the value to the marker frees the lock and remembers who released it in one command:
  -- when Lettuce re-sends this release after a lost reply, the second run finds the lock gone and
  -- must still answer "released", not "lost". The marker keeps the rest of the lease as its TTL.
  redis.call('RENAME', KEYS[1], KEYS[2])
  if waited then
    -- Sharded pub/sub (Redis 7+) reaches subscribers on Cluster too; a server without SPUBLISH
    -- leaves waiters to their fallback poll instead of failing the release.
    pcall(redis.call, 'SPUBLISH', ARGV[2], ARGV[3])
  end
  return 1
end
local released = redis.call('GET', KEYS[2])
if released and (released == owner or string.sub(released, 1, #owner + 1) == owner .. ' ') then
  return 1
end
return 0
