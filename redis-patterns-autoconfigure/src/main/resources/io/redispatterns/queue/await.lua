-- Marks a job as awaited (awaitResult), so that its completion is written to the queue's event stream:
-- completions nobody awaits write no event. A job that does not exist is left alone (returns 0).
-- KEYS: 1 job
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'w', '1')
return 1
