-- Moves dead letters back to their stream: appends each one (without the dead-letter fields) and deletes it from the DLQ.
-- KEYS[1] stream; KEYS[2] dead-letter stream (same hash tag)
-- ARGV[1] count; ARGV[2] approximate MAXLEN of the stream (0 = none); ARGV[3] dead-letter field prefix;
-- ARGV[4..] (optional) ids of dead letters to move; without ids the oldest ARGV[1] are moved
-- Returns the number of entries moved.
local entries
if #ARGV > 3 then
  entries = {}
  for i = 4, #ARGV do
    local found = redis.call('XRANGE', KEYS[2], ARGV[i], ARGV[i])
    if found[1] then
      entries[#entries + 1] = found[1]
    end
  end
else
  entries = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', ARGV[1])
end
local prefix = ARGV[3]
local moved = 0
for _, entry in ipairs(entries) do
  local fields = {}
  local raw = entry[2]
  for i = 1, #raw, 2 do
    if string.sub(raw[i], 1, #prefix) ~= prefix then
      fields[#fields + 1] = raw[i]
      fields[#fields + 1] = raw[i + 1]
    end
  end
  if tonumber(ARGV[2]) > 0 then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
  else
    redis.call('XADD', KEYS[1], '*', unpack(fields))
  end
  redis.call('XDEL', KEYS[2], entry[1])
  moved = moved + 1
end
return moved
