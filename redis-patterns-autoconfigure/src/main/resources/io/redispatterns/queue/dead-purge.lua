-- Deletes up to ARGV[2] dead jobs (oldest first). Returns how many were deleted; call until 0.
-- KEYS: 1 dead
-- ARGV: 1 base, 2 limit
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('DEL', jobKey(ARGV[1], id), jobKey(ARGV[1], id) .. ':log')
end
return #ids
