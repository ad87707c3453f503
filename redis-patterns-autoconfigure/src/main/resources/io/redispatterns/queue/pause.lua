-- Pauses (ARGV[1] = 1) or resumes (0) taking jobs from a queue; resuming wakes a worker. A paused queue's
-- waiting set holds the PAUSED member before every job, so taking finds out with the pop it does anyway.
-- KEYS: 1 wait, 2 marker
if ARGV[1] == '1' then
  redis.call('ZADD', KEYS[1], '-inf', PAUSED)
else
  redis.call('ZREM', KEYS[1], PAUSED)
  redis.call('ZADD', KEYS[2], 0, 'm')
end
return 1
