-- Ends a write-through after the database write succeeded. If the caller still holds the key's lock,
-- the new entry is stored (or, for a value that is not cached, the key stays deleted). If the lock
-- was lost (the lease ran out while the database write took long), another loader may have read the
-- database before the write committed: the entry and that loader's lock are deleted, so the next
-- read loads the committed value. Either way the lock is gone and waiters are woken.
-- KEYS[1] value key, KEYS[2] loader lock key
-- ARGV[1] owner token, ARGV[2] entry ('' = do not cache), ARGV[3] TTL (ms), ARGV[4] wake-up channel, ARGV[5] message
-- Returns 1 when stored (or deleted as asked), 0 when the lock was lost and the key invalidated.
local held = redis.call('GET', KEYS[2]) == ARGV[1]
if held and ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('DEL', KEYS[1])
end
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[4], ARGV[5])
if held then
  return 1
end
return 0
