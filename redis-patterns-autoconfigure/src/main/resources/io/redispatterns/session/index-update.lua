-- Maintains one principal's index: a sorted set of session ids, each scored by a lease (epoch
-- milliseconds, by the Redis server's clock) that ends no earlier than its session's hash. The
-- caller renews a lease only when it would otherwise end before the session (not on every save),
-- so a member may outlive its session by a short while; readers check every member against its
-- session hash. Members whose lease ended are pruned on every call, and the index itself expires
-- with its last lease, so it cannot grow with stale entries.
-- A member whose session hash may still exist is never removed here: the hash lives in another
-- slot, so the caller deletes it first and removes the member afterwards. Otherwise a failure in
-- between would leave a working session that "log out everywhere" cannot see.
-- KEYS[1]  the principal index
-- ARGV[1]  session id to add or renew ('' for none)
-- ARGV[2]  its lease in milliseconds from now
-- ARGV[3]  session id being replaced ('' for none), such as the id a session had before an id
--          change: not counted against the limit and never returned (the caller removes it once
--          its hash is deleted)
-- ARGV[4]  most sessions per principal (0: unlimited)
-- Returns, when the index holds more members than the limit allows, every member but ARGV[1] and
-- ARGV[3] (soonest lease end first) for the caller to check against their hashes (some may have
-- ended within their lease) and evict the least recently used; otherwise an empty list.
local key = KEYS[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if ARGV[1] ~= '' then
  redis.call('ZADD', key, now + tonumber(ARGV[2]), ARGV[1])
end
local others = {}
local max = tonumber(ARGV[4])
if max > 0 then
  local count = redis.call('ZCARD', key)
  if ARGV[3] ~= '' and redis.call('ZSCORE', key, ARGV[3]) then
    count = count - 1
  end
  if count > max then
    for _, id in ipairs(redis.call('ZRANGE', key, 0, -1)) do
      if id ~= ARGV[1] and id ~= ARGV[3] then
        others[#others + 1] = id
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
return others
