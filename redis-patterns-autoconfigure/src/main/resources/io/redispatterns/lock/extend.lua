-- Extends a lock if the caller still owns it.
-- KEYS[1] lock key; ARGV[1] owner token, ARGV[2] new remaining lease (ms)
-- Returns 1 when extended, 0 when the lock was not ours (expired or held by another owner).
-- Safe to run twice (a re-sent command after a lost reply): the second run sets the same expiry.
-- The owner token is the held value itself ('<id> <fencing token>'), or its id alone when the
-- fencing token is unknown (the cleanup after an acquisition without reply); ' w' may follow.
local prefix = ARGV[1] .. ' '
local function ours(value)
  return value and (value == ARGV[1] or string.sub(value, 1, #prefix) == prefix)
end
local held = redis.call('GET', KEYS[1])
if ours(held) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
