-- Gives a leased job back on graceful shutdown before its handler ran to the end: back to
-- waiting, the attempt not counted. Rejected unless the caller holds the token; replay-safe.
-- KEYS: 1 job, 2 active, 3 wait, 4 marker, 5 meta
-- ARGV: 1 id, 2 token
local f = redis.call('HMGET', KEYS[1], 't', 's', 'p')
if f[1] ~= ARGV[2] or f[2] ~= 'a' then
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[1], 'a', -1)
redis.call('HSET', KEYS[1], 's', 'w', 't', '', 'r', now)
redis.call('ZADD', KEYS[3], waitScore(f[3], redis.call('HINCRBY', KEYS[5], 'seq', 1)), ARGV[1])
redis.call('ZADD', KEYS[4], 0, 'm')
return 1
