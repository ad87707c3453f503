-- Pauses (ARGV[1] = 1) or resumes (0) taking jobs from a queue; resuming wakes a worker. A paused queue's
-- waiting set holds the PAUSED member before every job, and the list of priority-0 jobs the PRIORITY mark that sends
-- takes there first (prelude), so taking finds out with the pops it does anyway.
-- KEYS: 1 wait, 2 marker
local ready = readyKey(KEYS[1])
if ARGV[1] == '1' then
  redis.call('ZADD', KEYS[1], '-inf', PAUSED)
  markPriority(ready)
else
  redis.call('ZREM', KEYS[1], PAUSED)
  if redis.call('EXISTS', KEYS[1]) == 0 and redis.call('LINDEX', ready, -1) == PRIORITY then
    redis.call('RPOP', ready)
  end
  redis.call('ZADD', KEYS[2], 0, 'm')
end
return 1
