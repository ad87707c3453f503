-- Reads one principal's index after pruning it: expired members (score at or before the Redis
-- server's time) and the ids given in ARGV (sessions found missing or revoked) are removed first.
-- KEYS[1]  the principal index
-- ARGV     session ids to remove (may be none)
-- Returns the remaining session ids, soonest expiry first.
local key = KEYS[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if #ARGV > 0 then
  redis.call('ZREM', key, unpack(ARGV))
end
return redis.call('ZRANGE', key, 0, -1)
