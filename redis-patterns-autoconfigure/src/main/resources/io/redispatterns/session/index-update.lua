-- Maintains one principal's index: a sorted set of session ids scored by expiry time
-- (milliseconds, by the Redis server's clock). Expired members are pruned on every call, and the
-- index itself expires with its last member, so it cannot grow with stale entries.
-- A member whose session hash may still exist is never removed here: the hash lives in another
-- slot, so the caller deletes it first and removes the member afterwards. Otherwise a failure in
-- between would leave a working session that "log out everywhere" cannot see.
-- KEYS[1]  the principal index
-- ARGV[1]  session id to add or refresh ('' for none)
-- ARGV[2]  that session's time to live in milliseconds
-- ARGV[3]  session id being replaced ('' for none), such as the id a session had before an id
--          change: not counted against the limit and never an eviction candidate (the caller
--          removes it once its hash is deleted)
-- ARGV[4]  most sessions per principal (0: unlimited)
-- Returns the ids beyond the limit, least recently used first (never ARGV[1] or ARGV[3]). They
-- stay in the index: the caller deletes their hashes, then removes them.
local key = KEYS[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if ARGV[1] ~= '' then
  redis.call('ZADD', key, now + tonumber(ARGV[2]), ARGV[1])
end
local candidates = {}
local max = tonumber(ARGV[4])
if max > 0 then
  local count = redis.call('ZCARD', key)
  if ARGV[3] ~= '' and redis.call('ZSCORE', key, ARGV[3]) then
    count = count - 1
  end
  local excess = count - max
  if excess > 0 then
    local oldest = redis.call('ZRANGE', key, 0, excess + 1)
    for _, id in ipairs(oldest) do
      if #candidates < excess and id ~= ARGV[1] and id ~= ARGV[3] then
        candidates[#candidates + 1] = id
      end
    end
  end
end
local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
if #last == 0 then
  redis.call('DEL', key)
else
  redis.call('PEXPIREAT', key, math.floor(tonumber(last[2])) + 1000)
end
return candidates
