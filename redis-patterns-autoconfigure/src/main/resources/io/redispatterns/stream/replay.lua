-- Moves dead letters back to their stream: appends each one (without the dead-letter fields) and deletes it from the DLQ.
-- Each replayed entry carries a replay header naming the group that dead-lettered it (its dead-letter group field), so
-- the other groups of the stream, which already handled the event, acknowledge and skip it.
-- A re-sent call (the client re-sends a command whose reply was lost) finds the call's token and moves nothing more.
-- KEYS[1] stream; KEYS[2] dead-letter stream; KEYS[3] (optional) token of this call (all with the same hash tag)
-- ARGV[1] count; ARGV[2] approximate MAXLEN of the stream (0 = none); ARGV[3] dead-letter field prefix;
-- ARGV[4] dead-letter group field; ARGV[5] replay header; ARGV[6] group whose dead letters are moved ('' = any);
-- ARGV[7] how long the token is kept, ms; ARGV[8..] (optional) ids of dead letters to move; without ids the oldest
-- ARGV[1] (of that group) are moved
-- Returns the number of entries moved.
if #KEYS > 2 then
  local done = redis.call('GET', KEYS[3])
  if done then
    return tonumber(done)
  end
end
local prefix = ARGV[3]
local groupField = ARGV[4]
local replayHeader = ARGV[5]
local onlyGroup = ARGV[6]
local count = tonumber(ARGV[1])

local function groupOf(raw)
  for i = 1, #raw, 2 do
    if raw[i] == groupField then
      return raw[i + 1]
    end
  end
  return nil
end

local entries = {}
if #ARGV > 7 then
  for i = 8, #ARGV do
    local found = redis.call('XRANGE', KEYS[2], ARGV[i], ARGV[i])
    if found[1] and (onlyGroup == '' or groupOf(found[1][2]) == onlyGroup) then
      entries[#entries + 1] = found[1]
    end
  end
elseif onlyGroup == '' then
  entries = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', count)
else
  local start = '-'
  while #entries < count do
    local batch = redis.call('XRANGE', KEYS[2], start, '+', 'COUNT', 100)
    if #batch == 0 then
      break
    end
    for _, entry in ipairs(batch) do
      if #entries < count and groupOf(entry[2]) == onlyGroup then
        entries[#entries + 1] = entry
      end
    end
    start = '(' .. batch[#batch][1]
  end
end
local moved = 0
for _, entry in ipairs(entries) do
  local fields = {}
  local raw = entry[2]
  local group = groupOf(raw)
  for i = 1, #raw, 2 do
    if string.sub(raw[i], 1, #prefix) ~= prefix and raw[i] ~= replayHeader then
      fields[#fields + 1] = raw[i]
      fields[#fields + 1] = raw[i + 1]
    end
  end
  if group and group ~= '' then
    fields[#fields + 1] = replayHeader
    fields[#fields + 1] = group
  end
  if tonumber(ARGV[2]) > 0 then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
  else
    redis.call('XADD', KEYS[1], '*', unpack(fields))
  end
  redis.call('XDEL', KEYS[2], entry[1])
  moved = moved + 1
end
if #KEYS > 2 then
  redis.call('SET', KEYS[3], moved, 'PX', ARGV[7])
end
return moved
