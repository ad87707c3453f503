-- Extends the leases of the jobs a worker is running. A job whose token changed (recovered as
-- stalled and leased elsewhere) is not extended and is returned as lost. Replay-safe (idempotent).
-- KEYS: 1 active
-- ARGV: 1 base, 2 lease ms, then id, token pairs
-- Returns the ids whose lease was lost.
local base, lease = ARGV[1], tonumber(ARGV[2])
local lost = {}
for i = 3, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  if redis.call('HGET', jobKey(base, id), 't') == token and redis.call('ZSCORE', KEYS[1], id) then
    redis.call('ZADD', KEYS[1], 'XX', now + lease, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
