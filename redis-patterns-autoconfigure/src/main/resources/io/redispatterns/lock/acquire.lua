-- Acquires a lock and issues its fencing token in one step (Redis 7+: SET with both NX and GET).
-- KEYS[1] lock key
-- ARGV[1] owner token, ARGV[2] lease (ms), ARGV[3] '1' when the caller waits if the lock is busy,
-- '2' when it has been waiting already
-- The lock value is '<owner token> <fencing token>', plus ' w' once someone waits for it.
-- Returns {1, fencing token} when acquired, {0, remaining TTL of the holder in ms} when busy.
--
-- The fencing token is the server time in microseconds. It needs no counter key: a lock changes
-- hands only after its holder received the reply of this script and sent a release (a network
-- round trip, many microseconds), so the next token read from the same clock is strictly greater,
-- also after the lock key expired or the application restarted. It relies on the server clock not
-- stepping back (see the README: clock steps and failover to a server with a skewed clock).
local now = redis.call('TIME')
local micros = now[2]
-- The token's decimal digits are the seconds followed by the microseconds padded to six digits:
-- joined as strings, because string.format costs the script more than the SET does.
if #micros < 6 then
  micros = string.rep('0', 6 - #micros) .. micros
end
local value = ARGV[1] .. ' ' .. now[1] .. micros
if ARGV[3] == '2' then
  -- Taken by a caller that waited: others of its kind may still be asleep (a release wakes one
  -- waiter per application), and they mark only when they try again, so its release publishes.
  value = value .. ' w'
end
local holder = redis.call('SET', KEYS[1], value, 'NX', 'PX', ARGV[2], 'GET')
if not holder then
  return {1, tonumber(now[1]) * 1000000 + tonumber(micros)}
end
local owner, issued, waiting = string.match(holder, '^(%S+) (%d+)(.*)$')
if owner == ARGV[1] then
  -- Already ours: this is the same acquisition run again (Lettuce re-sends a command whose reply
  -- was lost when it reconnects). Owner tokens are unique per acquisition, so only that caller can
  -- get here; it is answered as the first run would have been, with the token issued then.
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, tonumber(issued)}
end
if ARGV[3] ~= '0' and owner and waiting == '' then
  -- Tells the holder's release to publish a wake-up: releases of a lock nobody waits for publish
  -- nothing.
  redis.call('SET', KEYS[1], holder .. ' w', 'KEEPTTL')
end
return {0, redis.call('PTTL', KEYS[1])}
