-- Renews the in-progress marker of a request that is still running, so that a handler slower
-- than the lease keeps its key while its instance lives.
-- KEYS[1]  the key's record
-- ARGV[1]  token of the request attempt that claimed the key
-- ARGV[2]  lease, ms
-- Returns 1 when renewed, 0 when the key is not (or no longer) this request's running marker.
-- Replay-safe: a re-sent renewal sets the same lease again.
local record = KEYS[1]
if redis.call('HGET', record, 'token') == ARGV[1] and redis.call('HGET', record, 'state') == 'running' then
  redis.call('PEXPIRE', record, ARGV[2])
  return 1
end
return 0
