-- Counts a queue's jobs per state in one round trip (a paused queue's PAUSED member is no job).
-- KEYS: 1 wait, 2 delayed, 3 active, 4 completed, 5 dead
local paused = redis.call('ZSCORE', KEYS[1], PAUSED) and 1 or 0
return { redis.call('ZCARD', KEYS[1]) - paused, redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]),
  redis.call('ZCARD', KEYS[4]), redis.call('ZCARD', KEYS[5]), paused }
