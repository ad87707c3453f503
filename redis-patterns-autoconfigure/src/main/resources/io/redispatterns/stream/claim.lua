-- Takes over entries idle longer than min-idle with XAUTOCLAIM and returns them with their delivery counts.
-- KEYS[1] stream
-- ARGV[1] group; ARGV[2] consumer; ARGV[3] min idle ms; ARGV[4] start id (the cursor the previous call returned,
-- 0-0 to start over); ARGV[5] count (Redis examines at most ten times as many pending entries per call)
-- Returns { next cursor, { id, deliveries, { field, value, ... } }, ... }
local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
local out = { claimed[1] }
for _, entry in ipairs(claimed[2]) do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], entry[1], entry[1], 1)
  local deliveries = 1
  if pending[1] then
    deliveries = pending[1][4]
  end
  out[#out + 1] = { entry[1], deliveries, entry[2] }
end
return out
