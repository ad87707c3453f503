-- Enqueues the job of one tick of a repeatable job exactly once across all instances: every
-- instance computes the same tick, and only a tick later than the last one recorded for the job
-- name is written (its id, "repeat:<name>:<tick>", is deterministic). Replay-safe (the tick is recorded).
-- KEYS: 1 wait, 2 marker, 3 meta
-- ARGV: 1 base, 2 name, 3 tick (epoch ms), 4 payload
-- Returns 1 when this call enqueued the tick's job, 0 when another instance (or a replay) did.
local base, name, tick = ARGV[1], ARGV[2], tonumber(ARGV[3])
local last = tonumber(redis.call('HGET', KEYS[3], 'repeat:' .. name) or '0')
if tick <= last then
  return 0
end
redis.call('HSET', KEYS[3], 'repeat:' .. name, ARGV[3])
local id = 'repeat:' .. name .. ':' .. ARGV[3]
local fields = { 'c', now, 's', 'w' }
addChunked(fields, 'd', ARGV[4])
if name ~= 'default' then
  fields[#fields + 1] = 'n'
  fields[#fields + 1] = name
end
redis.call('HSET', jobKey(base, id), unpack(fields))
addWaiting(KEYS[1], KEYS[3], id, 0)
redis.call('ZADD', KEYS[2], 0, 'm')
return 1
