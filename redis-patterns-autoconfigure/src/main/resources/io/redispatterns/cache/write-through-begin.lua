-- Starts a write-through: takes the key's loader lock (as a load would, recognising the caller's own
-- token when the command is re-sent) and deletes the entry. While the lock is held no loader stores
-- the value it read, and with the entry gone a writer that dies after its database write leaves a
-- miss, never the old value.
-- KEYS[1] value key, KEYS[2] loader lock key (same hash tag); ARGV[1] owner token, ARGV[2] lease (ms)
-- Returns 1 when the caller holds the lock (entry deleted), 0 when another owner holds it.
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('DEL', KEYS[1])
return 1
