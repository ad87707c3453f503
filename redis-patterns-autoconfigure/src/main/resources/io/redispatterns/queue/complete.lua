-- Completes a leased job. Rejected (0) unless the caller still holds the lease token, so a late
-- completion after stalled-job recovery changes nothing; a re-sent completion returns 1 again.
-- KEYS: 1 job, 2 active, 3 completed
-- ARGV: 1 base, 2 id, 3 token, 4 result, 5 keep count, 6 keep age ms, 7 events max length, 8 dedupe window ms
local base, id, token = ARGV[1], ARGV[2], ARGV[3]
local f = redis.call('HMGET', KEYS[1], 't', 's', 'k', 'fl')
if f[1] ~= token then
  return 0
end
if f[2] == 'c' then
  return 1
end
if f[2] ~= 'a' then
  return 0
end
redis.call('ZREM', KEYS[2], id)
if f[3] and f[3] ~= '' then
  releaseDedupe(base, KEYS[1], id, ARGV[8])
end
publishEvent(base, ARGV[7], id, 'completed', ARGV[4])
if tonumber(ARGV[5]) <= 0 then
  -- nothing retained: keep only the state, briefly, so a re-sent completion still answers 1
  redis.call('DEL', KEYS[1] .. ':log', KEYS[1] .. ':ch')
  redis.call('HSET', KEYS[1], 's', 'c')
  redis.call('HDEL', KEYS[1], 'd', 'hd', 'res')
  redis.call('PEXPIRE', KEYS[1], 60000)
  return 1
end
redis.call('HSET', KEYS[1], 's', 'c', 'f', now, 'res', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
if f[4] then
  -- a flow's parent: its children's results go with it
  redis.call('PEXPIRE', KEYS[1] .. ':ch', ARGV[6])
end
redis.call('ZADD', KEYS[3], now, id)
-- by count here; by age in the periodic maintenance (recover-stalled), the hash expiring on its own meanwhile
trimByCount(base, KEYS[3], ARGV[5])
return 1
