-- Writes the hash of a new session (a random id nobody else holds yet) and its expiry in one step, so
-- that the hash never exists without an expiry. Flat on purpose: Redis pays for every argument passed
-- into Lua and out of it again, so the script takes nothing but the time to live and the fields.
-- KEYS[1]  the session hash
-- ARGV[1]  time to live in milliseconds
-- ARGV[2 ..]  field, value, field, value, ...
-- Returns 1. A re-sent create (Lettuce replays a command whose reply was lost) writes the same fields
-- again.
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
