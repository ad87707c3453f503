-- Buffers one write, coalesced by key: 'set' replaces the pending value (last value wins), 'add'
-- sums it (HINCRBY, for counters). A key not yet pending is appended to the flush order.
-- KEYS[1] pending hash, KEYS[2] order list, KEYS[3] recent operation ids (sorted set), KEYS[4] in-flight batch items
-- ARGV[1] 'set' or 'add', ARGV[2] key, ARGV[3] value (JSON) or delta, ARGV[4] operation id,
-- ARGV[5] replay window (ms), ARGV[6] most keys pending plus in flight
-- Returns 1 when the key was new, 2 when coalesced into a pending value, 0 when this operation id
-- was already applied (a command re-sent after its reply was lost), -1 when the buffer is full, -2 when
-- 'add' meets a pending value that is not an integer.
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[5]))
if redis.call('ZSCORE', KEYS[3], ARGV[4]) then
  return 0
end
local known = redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1
if not known and redis.call('HLEN', KEYS[1]) + redis.call('HLEN', KEYS[4]) >= tonumber(ARGV[6]) then
  return -1
end
if ARGV[1] == 'add' and known and not string.match(redis.call('HGET', KEYS[1], ARGV[2]), '^%-?%d+$') then
  return -2
end
if ARGV[1] == 'add' then
  redis.call('HINCRBY', KEYS[1], ARGV[2], ARGV[3])
else
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
end
if not known then
  redis.call('RPUSH', KEYS[2], ARGV[2])
end
redis.call('ZADD', KEYS[3], now, ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
if known then
  return 2
end
return 1
