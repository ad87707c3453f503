-- Acquires a lock and issues its fencing token in one step.
-- KEYS[1] lock key, KEYS[2] fencing counter (same hash tag)
-- ARGV[1] owner token, ARGV[2] lease (ms), ARGV[3] fencing counter retention (ms)
-- Returns {1, fencing token} when acquired, {0, remaining TTL of the holder in ms} when busy.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  -- Already ours: this is the same acquisition run again (Lettuce re-sends a command whose reply
  -- was lost when it reconnects). Owner tokens are random per acquisition, so only that caller can
  -- get here; it is answered as the first run would have been, with the token issued then (no
  -- other holder can have taken a token since, the lock was ours all along).
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  local issued = tonumber(redis.call('GET', KEYS[2]) or '')
  if issued then
    return {1, issued}
  end
elseif holder then
  return {0, redis.call('PTTL', KEYS[1])}
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
-- The token is max(last + 1, server time in microseconds): strictly increasing while the counter
-- exists, and still larger than every earlier token if the counter expired or was lost, because
-- no lock can change hands more than once per microsecond.
local now = redis.call('TIME')
local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
local token = math.max(last + 1, floor)
redis.call('SET', KEYS[2], string.format('%.0f', token), 'PX', ARGV[3])
return {1, token}
