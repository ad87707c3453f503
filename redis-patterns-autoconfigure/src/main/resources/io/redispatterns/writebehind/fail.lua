-- Records a failed flush of the in-flight batch. Before its last attempt the batch stays in flight
-- with the error and is handed out again after the retry delay (to any instance); after the last
-- attempt it is moved to the dead-letter stream with the error, and the next batch can be formed.
-- KEYS[1] in-flight batch, KEYS[2] in-flight batch items, KEYS[3] dead-letter stream
-- ARGV[1] owner token, ARGV[2] error, ARGV[3] retry delay (ms), ARGV[4] max attempts,
-- ARGV[5] approximate dead-letter stream length
-- Returns 1 when it will be retried, 2 when dead-lettered, 0 when the batch was not the caller's.
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts'))
if attempts >= tonumber(ARGV[4]) then
  local items = redis.call('HGETALL', KEYS[2])
  local map = {}
  for i = 1, #items, 2 do
    map[items[i]] = items[i + 1]
  end
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'batch', redis.call('HGET', KEYS[1], 'id'),
    'attempts', attempts, 'error', ARGV[2], 'items', cjson.encode(map), 'at', now)
  redis.call('DEL', KEYS[1], KEYS[2])
  return 2
end
redis.call('HSET', KEYS[1], 'owner', '', 'deadline', now + tonumber(ARGV[3]), 'error', ARGV[2])
return 1
