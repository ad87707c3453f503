-- Extends the leases of the jobs a worker is running. A lease that is no longer in the active set (recovered
-- as stalled, perhaps leased elsewhere) is not extended and its job is returned as lost. Replay-safe
-- (idempotent).
-- KEYS: 1 active
-- ARGV: 1 base, 2 lease ms, then id, lease (active-set member, lease.lua) pairs
-- Returns the ids whose lease was lost.
local lease = tonumber(ARGV[2])
local lost = {}
for i = 3, #ARGV - 1, 2 do
  local id, member = ARGV[i], ARGV[i + 1]
  -- CH: 1 when the deadline moved, 0 when the member is missing (XX adds nothing) or its deadline is unchanged
  if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + lease, member) == 0 and not redis.call('ZSCORE', KEYS[1], member) then
    lost[#lost + 1] = id
  end
end
return lost
