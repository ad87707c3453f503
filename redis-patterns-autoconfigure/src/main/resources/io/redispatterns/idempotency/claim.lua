-- Claims an idempotency key for one request, or reports what the key already holds.
-- KEYS[1]  the key's record (a hash)
-- ARGV[1]  token of this request attempt (random, one per request)
-- ARGV[2]  fingerprint of the request (SHA-256 of method, path, query and body)
-- ARGV[3]  lease of the in-progress marker, ms
-- Returns {1} claimed; {2, pttl} another request holds it; {3, status, headers, body, omitted}
-- the stored response; {4} the key was used with a different request.
-- Replay-safe: a claim re-sent with the same token (its reply was lost) recognises itself.
local record = KEYS[1]
local state = redis.call('HGET', record, 'state')
if not state then
  redis.call('HSET', record, 'state', 'running', 'token', ARGV[1], 'fingerprint', ARGV[2])
  redis.call('PEXPIRE', record, ARGV[3])
  return {1}
end
if redis.call('HGET', record, 'fingerprint') ~= ARGV[2] then
  return {4}
end
if state == 'running' then
  if redis.call('HGET', record, 'token') == ARGV[1] then
    return {1}
  end
  return {2, redis.call('PTTL', record)}
end
local stored = redis.call('HMGET', record, 'status', 'headers', 'body', 'omitted')
return {3, stored[1], stored[2], stored[3], stored[4]}
