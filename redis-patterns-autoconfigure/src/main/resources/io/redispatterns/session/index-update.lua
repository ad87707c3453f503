-- Maintains one principal's index: a sorted set of session ids scored by expiry time
-- (milliseconds, by the Redis server's clock). Expired members are pruned on every call, and the
-- index itself expires with its last member, so it cannot grow with stale entries.
-- KEYS[1]  the principal index
-- ARGV[1]  session id to add or refresh ('' for none)
-- ARGV[2]  that session's time to live in milliseconds
-- ARGV[3]  session id to remove ('' for none), such as the id a session had before login
-- ARGV[4]  most sessions per principal (0: unlimited)
-- Returns the ids removed beyond the limit, least recently used first (never ARGV[1]).
local key = KEYS[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if ARGV[3] ~= '' then
  redis.call('ZREM', key, ARGV[3])
end
if ARGV[1] ~= '' then
  redis.call('ZADD', key, now + tonumber(ARGV[2]), ARGV[1])
end
local evicted = {}
local max = tonumber(ARGV[4])
if max > 0 then
  local excess = redis.call('ZCARD', key) - max
  if excess > 0 then
    local oldest = redis.call('ZRANGE', key, 0, excess)
    for _, id in ipairs(oldest) do
      if #evicted < excess and id ~= ARGV[1] then
        evicted[#evicted + 1] = id
      end
    end
    if #evicted > 0 then
      redis.call('ZREM', key, unpack(evicted))
    end
  end
end
local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
if #last == 0 then
  redis.call('DEL', key)
else
  redis.call('PEXPIREAT', key, math.floor(tonumber(last[2])) + 1000)
end
return evicted
