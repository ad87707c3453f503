-- Reads the state of a buffer in one round trip.
-- KEYS[1] pending hash, KEYS[2] in-flight batch, KEYS[3] in-flight batch items, KEYS[4] dead-letter stream
-- Returns {pending keys, in-flight keys, batch id or '', attempts, last error or '', dead letters}.
local id = redis.call('HGET', KEYS[2], 'id') or ''
return { redis.call('HLEN', KEYS[1]), redis.call('HLEN', KEYS[3]), id,
  tonumber(redis.call('HGET', KEYS[2], 'attempts') or '0'), redis.call('HGET', KEYS[2], 'error') or '',
  redis.call('XLEN', KEYS[4]) }
