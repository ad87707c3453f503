-- Adds value keys to a tag index and forgets the members whose entries can no longer exist.
-- The index is a sorted set: value key -> the latest time (Redis clock, ms) its entry may live until.
-- Pruning on every add keeps the index as large as the tag's live entries, however many
-- short-lived entries came and went before (a plain set only ever grew).
-- KEYS[1] tag index; ARGV[1] TTL of the entries (ms), ARGV[2..n] value keys
-- Returns the index's size.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
for i = 2, #ARGV do
  -- GT: a later, shorter write never shortens what an earlier, longer one promised
  redis.call('ZADD', KEYS[1], 'GT', now + ttl, ARGV[i])
end
if redis.call('PTTL', KEYS[1]) < ttl then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return redis.call('ZCARD', KEYS[1])
