-- Writes one session hash. Touches only KEYS[1], so it runs on Cluster and under a key-prefix ACL.
-- KEYS[1]  the session hash
-- ARGV[1]  'create': replace the whole hash; 'update': write only when the hash still exists
--          (a session revoked or expired meanwhile is never brought back by a late request)
-- ARGV[2]  time to live in milliseconds (0: leave the expiry as it is)
-- ARGV[3]  number n of field/value pairs that follow
-- ARGV[4 .. 3+2n]  field, value, field, value, ...
-- ARGV[4+2n ..]    fields to delete
-- Returns 1 when written, 0 when an update found no session.
local key = KEYS[1]
if ARGV[1] == 'update' then
  if redis.call('EXISTS', key) == 0 then
    return 0
  end
else
  redis.call('DEL', key)
end
local pairs_count = tonumber(ARGV[3])
if pairs_count > 0 then
  redis.call('HSET', key, unpack(ARGV, 4, 3 + 2 * pairs_count))
end
local first_delete = 4 + 2 * pairs_count
if #ARGV >= first_delete then
  redis.call('HDEL', key, unpack(ARGV, first_delete, #ARGV))
end
local ttl = tonumber(ARGV[2])
if ttl > 0 then
  redis.call('PEXPIRE', key, ttl)
end
return 1
