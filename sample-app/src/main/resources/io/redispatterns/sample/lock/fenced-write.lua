-- Writes an inventory record only if the writer's fencing token is not older than the last one
-- accepted: a holder whose lock expired (and whose successor already wrote) is rejected.
-- KEYS[1] inventory hash; ARGV[1] fencing token, ARGV[2] stock, ARGV[3] reserved, ARGV[4] TTL (s)
-- Returns 1 when written, 0 when rejected as stale.
local last = tonumber(redis.call('HGET', KEYS[1], 'lastFencingToken') or '0') or 0
if tonumber(ARGV[1]) < last then
  return 0
end
redis.call('HSET', KEYS[1], 'stock', ARGV[2], 'reserved', ARGV[3], 'lastFencingToken', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
