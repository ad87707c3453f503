-- Appends one entry to a stream, optionally once per idempotency key.
-- KEYS[1] stream; KEYS[2] (optional) idempotency key, same hash tag as the stream
-- ARGV[1] approximate MAXLEN (0 = no trimming); ARGV[2] idempotency window in ms; ARGV[3..] field/value pairs
-- Returns { entry id, 1 when the key was seen before (no entry written) else 0 }
if #KEYS > 1 then
  local existing = redis.call('GET', KEYS[2])
  if existing then
    return { existing, 1 }
  end
end
local id
if tonumber(ARGV[1]) > 0 then
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, 3))
else
  id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
end
if #KEYS > 1 then
  redis.call('SET', KEYS[2], id, 'PX', ARGV[2])
end
return { id, 0 }
