-- Writes one session hash. Touches only keys of one session lineage (they share a hash tag), so it
-- runs on Cluster and under a key-prefix ACL.
-- KEYS[1]  the session hash
-- KEYS[2]  'move' only: the hash under the session's previous id
-- KEYS[3]  'move' only: the previous id's tombstone, naming the id the session moved to
-- (A new session's hash is written by create.lua.)
-- ARGV[1]  'update': write only when the hash still exists (a session revoked or expired meanwhile is
--          never brought back by a late request); renews the expiry first, which also tells
--          whether the hash exists;
--          'move': an id change; write the whole hash under the new id only when the hash under the
--          previous id still exists, delete it and leave a tombstone. A session deleted or revoked
--          meanwhile, or moved by a concurrent request, is never brought back under a new id: of two
--          concurrent id changes exactly one succeeds.
-- ARGV[2]  time to live in milliseconds (0: leave the expiry as it is)
-- ARGV[3]  'move' only: the new session id (written into the tombstone)
-- ARGV[4]  'move' only: the tombstone's time to live in milliseconds
-- ARGV[5]  number n of field/value pairs that follow
-- ARGV[6 .. 5+2n]  field, value, field, value, ...
-- ARGV[6+2n ..]    fields to delete
-- Returns 1 when written, 0 when nothing was written. A re-sent 'move' whose first run succeeded
-- (Lettuce replays a command whose reply was lost) finds its own tombstone and returns 1 again.
local key = KEYS[1]
local mode = ARGV[1]
local ttl = tonumber(ARGV[2])
if mode == 'update' then
  -- PEXPIRE answers 0 for a missing key: one command both checks and renews
  if ttl > 0 then
    if redis.call('PEXPIRE', key, ttl) == 0 then
      return 0
    end
  elseif redis.call('EXISTS', key) == 0 then
    return 0
  end
elseif mode == 'move' then
  if redis.call('GET', KEYS[3]) == ARGV[3] then
    return 1
  end
  if redis.call('EXISTS', KEYS[2]) == 0 then
    return 0
  end
  redis.call('DEL', KEYS[2])
  redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
  redis.call('DEL', key)
end
local pairs_count = tonumber(ARGV[5])
if pairs_count > 0 then
  redis.call('HSET', key, unpack(ARGV, 6, 5 + 2 * pairs_count))
end
local first_delete = 6 + 2 * pairs_count
if #ARGV >= first_delete then
  redis.call('HDEL', key, unpack(ARGV, first_delete, #ARGV))
end
if ttl > 0 and mode ~= 'update' then
  redis.call('PEXPIRE', key, ttl)
end
return 1
