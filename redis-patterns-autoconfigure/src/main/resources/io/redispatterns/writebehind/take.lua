-- Hands out the buffer's batch to a flusher. At most one batch of a buffer is in flight: while its
-- lease runs nobody else gets it, and no new batch is formed (so batches persist in order and a
-- later value never lands before an earlier one). A batch whose lease ran out (its flusher died or
-- failed) is handed out again with the same id and items; otherwise up to ARGV[2] pending keys, in
-- the order they were first written, become a new batch whose id is ARGV[1].
-- KEYS[1] pending hash, KEYS[2] order list, KEYS[3] in-flight batch (hash), KEYS[4] in-flight batch items
-- ARGV[1] owner token (a new random id per take), ARGV[2] most keys per batch, ARGV[3] lease (ms)
-- Returns {} when there is nothing to flush (or another flusher holds the batch), else
-- {batch id, attempt, last error or '', key1, value1, key2, value2, ...}.
local function handOut(id, attempt)
  local reply = { id, attempt, redis.call('HGET', KEYS[3], 'error') or '' }
  local items = redis.call('HGETALL', KEYS[4])
  for i = 1, #items do
    reply[#reply + 1] = items[i]
  end
  return reply
end

local id = redis.call('HGET', KEYS[3], 'id')
if id then
  if redis.call('HGET', KEYS[3], 'owner') == ARGV[1] then
    -- this take, re-sent after its reply was lost: the caller already holds the batch
    return handOut(id, tonumber(redis.call('HGET', KEYS[3], 'attempts')))
  end
  if tonumber(redis.call('HGET', KEYS[3], 'deadline')) > now then
    return {}
  end
  local attempt = redis.call('HINCRBY', KEYS[3], 'attempts', 1)
  redis.call('HSET', KEYS[3], 'owner', ARGV[1], 'deadline', now + tonumber(ARGV[3]))
  return handOut(id, attempt)
end
local keys = redis.call('LPOP', KEYS[2], tonumber(ARGV[2]))
if not keys then
  return {}
end
local values = redis.call('HMGET', KEYS[1], unpack(keys))
redis.call('HDEL', KEYS[1], unpack(keys))
local count = 0
for i = 1, #keys do
  if values[i] then
    redis.call('HSET', KEYS[4], keys[i], values[i])
    count = count + 1
  end
end
if count == 0 then
  return {}
end
redis.call('HSET', KEYS[3], 'id', ARGV[1], 'owner', ARGV[1], 'deadline', now + tonumber(ARGV[3]), 'attempts', 1,
  'created', now, 'size', count)
return handOut(ARGV[1], 1)
