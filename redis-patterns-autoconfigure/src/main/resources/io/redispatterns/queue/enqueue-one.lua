-- Adds one plain job to waiting: a generated id, no delay, no dedupe key, no parent and no children. The same keys,
-- writes and reply as enqueue.lua's branch for such a job, without the shared prelude (its helpers cost Redis a
-- closure each per call) and with only the arguments this case needs; trailing arguments at their defaults are
-- left off. Replay-safe like that branch: the job hash holds only fields that never change after enqueue, so a
-- re-sent script rewrites them with the same values, and HSET's count of new fields tells it the job was there.
-- KEYS: 1 wait ("<base>:wait"), 2 delayed (unused), 3 marker, 4 meta
-- ARGV: 1 id, 2 the enqueuing client's clock in ms ('' for the server's), 3 payload,
--       then optional: 4 headers (''), 5 name ('default'), 6 priority ('0'), 7 max attempts ('0'), 8 backoff ('')
-- Returns { id }.
local id, clock, payload = ARGV[1], ARGV[2], ARGV[3]
local headers, name, priority, max, backoff = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local base = string.sub(KEYS[1], 1, #KEYS[1] - 5)
if clock == '' then
  local time = redis.call('TIME')
  clock = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
-- values longer than 64 bytes in pieces 'd', 'd1', ... (prelude: addChunked keeps the hash a listpack)
local fields = { 'c', clock, 'd', string.sub(payload, 1, 64) }
local n = 4
if #payload > 64 then
  local piece = 1
  for from = 65, #payload, 64 do
    fields[n + 1] = 'd' .. piece
    fields[n + 2] = string.sub(payload, from, from + 63)
    n = n + 2
    piece = piece + 1
  end
end
if headers and headers ~= '' then
  fields[n + 1] = 'hd'
  fields[n + 2] = string.sub(headers, 1, 64)
  n = n + 2
  local piece = 1
  for from = 65, #headers, 64 do
    fields[n + 1] = 'hd' .. piece
    fields[n + 2] = string.sub(headers, from, from + 63)
    n = n + 2
    piece = piece + 1
  end
end
if name and name ~= 'default' then
  fields[n + 1] = 'n'
  fields[n + 2] = name
  n = n + 2
end
local prioritized = priority and priority ~= '0'
if prioritized then
  fields[n + 1] = 'p'
  fields[n + 2] = priority
  n = n + 2
end
if max and max ~= '0' then
  fields[n + 1] = 'm'
  fields[n + 2] = max
  n = n + 2
end
if backoff and backoff ~= '' then
  fields[n + 1] = 'b'
  fields[n + 2] = backoff
  n = n + 2
end
if redis.call('HSET', base .. ':j:' .. id, unpack(fields)) == n / 2 then
  -- prelude: addWaiting; the marker only when nothing was waiting (busy workers take the next job anyway)
  local ready = base .. ':ready'
  local wasEmpty
  if prioritized then
    local seq = redis.call('HINCRBY', KEYS[4], 'seq', 1)
    redis.call('ZADD', KEYS[1], string.format('%.0f', (1048575 - tonumber(priority)) * 4294967296 + (seq % 4294967296)), id)
    -- '~p' at the list's taking end says that the sorted set holds jobs (prelude: markPriority)
    wasEmpty = redis.call('LINDEX', ready, -1) ~= '~p'
    if wasEmpty then
      redis.call('RPUSH', ready, '~p')
    end
  else
    wasEmpty = redis.call('LPUSH', ready, id) == 1
  end
  if wasEmpty then
    redis.call('ZADD', KEYS[3], 0, 'm')
  end
end
return { id }
