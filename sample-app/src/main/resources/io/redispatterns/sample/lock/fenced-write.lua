-- Reserves one unit of a SKU for a lock holder, fenced by the holder's token, in one atomic step:
-- the store itself reads, checks and decrements, so no holder ever writes a value it read earlier.
-- A write is applied only when its token is STRICTLY GREATER than the last one accepted:
-- * an older token is rejected, so a holder whose lock expired (and whose successor already
--   reserved) can never change the record; a stale holder that is still the newest writer only
--   decrements what is really there, so no reservation is lost;
-- * an equal token is this same write run again (Lettuce re-sends a command whose reply was lost
--   when it reconnects): nothing is changed and the caller is told its reservation is in place.
-- KEYS[1] inventory hash
-- ARGV[1] fencing token, ARGV[2] stock of an unknown SKU, ARGV[3] TTL (s), ARGV[4] the raw SKU
-- Returns {outcome, stock, reserved, lastFencingToken}: outcome 1 reserved, 0 sold out,
-- -1 rejected as stale, 2 already reserved with this token (a re-sent write, not applied again).
local token = tonumber(ARGV[1])
local fields = redis.call('HMGET', KEYS[1], 'stock', 'reserved', 'lastFencingToken')
local stock = tonumber(fields[1] or ARGV[2])
local reserved = tonumber(fields[2] or '0')
local last = tonumber(fields[3] or '0')
if token == last then
  return {2, stock, reserved, last}
end
if token < last then
  return {-1, stock, reserved, last}
end
if stock <= 0 then
  return {0, stock, reserved, last}
end
stock = stock - 1
reserved = reserved + 1
redis.call('HSET', KEYS[1], 'sku', ARGV[4], 'stock', stock, 'reserved', reserved, 'lastFencingToken', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, stock, reserved, token}
