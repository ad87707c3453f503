-- Counts a queue's jobs per state in one round trip.
-- KEYS: 1 wait, 2 delayed, 3 active, 4 completed, 5 dead, 6 meta
return { redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]),
  redis.call('ZCARD', KEYS[4]), redis.call('ZCARD', KEYS[5]), (redis.call('HGET', KEYS[6], 'paused') == '1') and 1 or 0 }
