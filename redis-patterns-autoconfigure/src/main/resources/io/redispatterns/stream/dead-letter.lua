-- Moves one pending entry to the dead-letter stream: acknowledges it and appends it to the DLQ, atomically.
-- KEYS[1] stream; KEYS[2] dead-letter stream (same hash tag)
-- ARGV[1] group; ARGV[2] entry id; ARGV[3] approximate MAXLEN of the DLQ (0 = none); ARGV[4..] field/value pairs
-- Returns 1 when dead-lettered, 0 when the entry was no longer pending (someone else finished it).
local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
if acked == 0 then
  return 0
end
if tonumber(ARGV[3]) > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4))
else
  redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
end
return 1
