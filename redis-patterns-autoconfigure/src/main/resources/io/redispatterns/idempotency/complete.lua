-- Stores the response of the request that holds the key and keeps it for the window.
-- KEYS[1]  the key's record
-- ARGV[1]  token of the request attempt that claimed the key
-- ARGV[2]  status; ARGV[3] headers ("Name: value" lines); ARGV[4] body; ARGV[5] "1" when the
--          body was too large to keep, else "0"
-- ARGV[6]  how long the response is kept, ms
-- Returns 1 when stored (also when this completion was already applied: a re-sent command),
-- 0 when the key is no longer held by this request (its lease ran out).
local record = KEYS[1]
if redis.call('HGET', record, 'token') ~= ARGV[1] then
  return 0
end
if redis.call('HGET', record, 'state') == 'done' then
  return 1
end
redis.call('HSET', record, 'state', 'done', 'status', ARGV[2], 'headers', ARGV[3], 'body', ARGV[4],
  'omitted', ARGV[5])
redis.call('PEXPIRE', record, ARGV[6])
return 1
