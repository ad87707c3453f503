-- Extends a lock if the caller still owns it.
-- KEYS[1] lock key; ARGV[1] owner token, ARGV[2] new remaining lease (ms)
-- Returns 1 when extended, 0 when the lock was not ours (expired or held by another owner).
-- Safe to run twice (a re-sent command after a lost reply): the second run sets the same expiry.
-- The owner token is the held value itself ('<id> <fencing token>'), or its id alone when the
-- fencing token is unknown (the cleanup after an acquisition without reply); ' w' may follow.
-- No local function and no string building when the held value equals the owner token.
local owner = ARGV[1]
local held = redis.call('GET', KEYS[1])
if held and (held == owner or string.sub(held, 1, #owner + 1) == owner .. ' ') then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
