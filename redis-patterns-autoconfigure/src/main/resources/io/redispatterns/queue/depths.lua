-- Counts a queue's jobs per state in one round trip (a paused queue's PAUSED member and the list's PRIORITY mark are
-- no jobs: prelude).
-- KEYS: 1 wait, 2 delayed, 3 active, 4 completed, 5 dead
local paused = redis.call('ZSCORE', KEYS[1], PAUSED) and 1 or 0
local ready = readyKey(KEYS[1])
local marked = (redis.call('LINDEX', ready, -1) == PRIORITY) and 1 or 0
return { redis.call('ZCARD', KEYS[1]) - paused + redis.call('LLEN', ready) - marked, redis.call('ZCARD', KEYS[2]),
  redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[4]), redis.call('ZCARD', KEYS[5]), paused }
