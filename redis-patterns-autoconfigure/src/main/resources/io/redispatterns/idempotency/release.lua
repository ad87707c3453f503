-- Gives up a key whose request did not complete (5xx, exception), so that a retry runs again.
-- KEYS[1]  the key's record
-- ARGV[1]  token of the request attempt that claimed the key
-- Returns 1 when released, 0 when the key is not (or no longer) held by this request.
local record = KEYS[1]
if redis.call('HGET', record, 'token') == ARGV[1] and redis.call('HGET', record, 'state') == 'running' then
  redis.call('DEL', record)
  return 1
end
return 0
