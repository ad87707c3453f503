-- Maintains one principal's index: a sorted set of session ids, each scored by a lease (epoch
-- milliseconds, by the Redis server's clock) that ends no earlier than its session's hash. The
-- caller renews a lease only when it would otherwise end before the session (not on every save),
-- so a member may outlive its session by a short while; readers check every member against its
-- session hash. Members whose lease ended are pruned on every call (one ZREMRANGEBYSCORE: the index
-- holds at most the members whose lease still runs), and the index expires no earlier than its
-- longest lease and at most a second after the longest lease ever written to it (the expiry only
-- moves later, never earlier when a member leaves), so it cannot grow with stale entries or outlive
-- its sessions by more than their leases.
-- A member whose session hash may still exist is never removed here: the hash lives in another
-- slot, so the caller deletes it first and removes the member afterwards. Otherwise a failure in
-- between would leave a working session that "log out everywhere" cannot see.
-- Flat on purpose (a login runs it): no helper functions, no tables but the replies, numbers passed
-- to Redis as Lua numbers, two arguments unless a session limit applies.
-- KEYS[1]  the principal index
-- ARGV[1]  session id to add or renew
-- ARGV[2]  its lease in milliseconds from now
-- ARGV[3]  optional: most sessions per principal (absent or 0: unlimited)
-- ARGV[4]  optional: session id being replaced ('' for none), such as the id a session had before an
--          id change: not counted against the limit and never returned (the caller removes it once
--          its hash is deleted)
-- Returns, when the index holds more members than the limit allows, every member but ARGV[1] and
-- ARGV[4] (soonest lease end first) for the caller to check against their hashes (some may have
-- ended within their lease) and evict the least recently used; otherwise an empty list.
local key = KEYS[1]
local time = redis.call('TIME')
local now = time[1] * 1000 + math.floor(time[2] / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
local expiry = now + ARGV[2]
redis.call('ZADD', key, expiry, ARGV[1])
expiry = expiry + 1000
-- GT answers 0 for a key without an expiry (just created by the ZADD) as for one that expires later
if redis.call('PEXPIREAT', key, expiry, 'GT') == 0 then
  redis.call('PEXPIREAT', key, expiry, 'NX')
end
local max = tonumber(ARGV[3])
if max == nil or max == 0 then
  return {}
end
local count = redis.call('ZCARD', key)
local replaced = ARGV[4]
if replaced ~= '' and redis.call('ZSCORE', key, replaced) then
  count = count - 1
end
local others = {}
if count > max then
  for _, id in ipairs(redis.call('ZRANGE', key, 0, -1)) do
    if id ~= ARGV[1] and id ~= replaced then
      others[#others + 1] = id
    end
  end
end
return others
