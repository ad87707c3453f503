-- Renews the lease of the in-flight batch while its flush method runs, if the caller still holds it.
-- KEYS[1] in-flight batch; ARGV[1] owner token, ARGV[2] lease (ms)
-- Returns 1 when renewed, 0 when the batch is no longer the caller's.
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'deadline', now + tonumber(ARGV[2]))
return 1
