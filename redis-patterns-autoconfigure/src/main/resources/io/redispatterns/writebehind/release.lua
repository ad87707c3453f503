-- Gives the in-flight batch back without counting the attempt (the flusher is shutting down and
-- does not know whether its flush method persisted it): any instance takes it again at once.
-- KEYS[1] in-flight batch; ARGV[1] owner token
-- Returns 1 when released, 0 when the batch was not the caller's.
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
redis.call('HINCRBY', KEYS[1], 'attempts', -1)
redis.call('HSET', KEYS[1], 'owner', '', 'deadline', now)
return 1
