-- Pauses (ARGV[1] = 1) or resumes (0) taking jobs from a queue; resuming wakes a worker.
-- KEYS: 1 meta, 2 marker
redis.call('HSET', KEYS[1], 'paused', ARGV[1])
if ARGV[1] == '0' then
  redis.call('ZADD', KEYS[2], 0, 'm')
end
return 1
