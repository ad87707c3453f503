-- Deletes one session hash and returns the principal name it was indexed under (nil when none),
-- so the caller can remove the id from that principal's index.
-- KEYS[1]  the session hash
local principal = redis.call('HGET', KEYS[1], 'principal')
redis.call('DEL', KEYS[1])
return principal
