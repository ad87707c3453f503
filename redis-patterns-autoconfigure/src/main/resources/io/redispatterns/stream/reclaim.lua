-- Re-delivers this consumer's own pending entries (for retries): claims each one that is still owned by the
-- consumer and idle at least min-idle, which counts a new delivery, and returns them with their delivery counts.
-- KEYS[1] stream
-- ARGV[1] group; ARGV[2] consumer; ARGV[3] min idle ms; ARGV[4..] entry ids
-- Returns { "0", { id, deliveries, { field, value, ... } }, ... }; ids no longer owned are skipped
local out = { '0' }
for i = 4, #ARGV do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if pending[1] and pending[1][2] == ARGV[2] then
    local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[i])
    if claimed[1] and claimed[1] ~= false then
      out[#out + 1] = { claimed[1][1], pending[1][4] + 1, claimed[1][2] }
    end
  end
end
return out
