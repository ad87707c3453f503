-- Shared helpers of the job-queue scripts. Every key a script touches starts with the queue's
-- base ("<prefix>:queue:{<queue>}"), so all of them share the queue's hash tag and Cluster slot.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
-- whether `now` is the server's clock: a script may start on its caller's clock (QueueScripts.withClock) while it
-- only records times, and switch with useServerClock before it writes a time other instances compare with
local serverClock = true

-- switches `now` to the server's clock: lease deadlines and due times are compared by every instance
local function useServerClock()
  if not serverClock then
    time = redis.call('TIME')
    now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    serverClock = true
  end
end

-- waiting order: higher priority first, then first in first out (sequence within 2^32)
local function waitScore(priority, seq)
  -- formatted by hand: Lua would print the number with 14 significant digits only
  return string.format('%.0f', (1048575 - tonumber(priority or 0)) * 4294967296 + (seq % 4294967296))
end

-- the member of a paused queue's waiting set that comes before every job (a job id has no '~')
local PAUSED = '~paused'

-- Waiting jobs of priority 0 (the lowest, and the default) wait in a list ("<base>:ready", next to the waiting set's
-- key "<base>:wait"), first in first out without a sequence number; higher priorities wait in the sorted set (priority,
-- then a FIFO sequence). PRIORITY at the list's taking end (right) says that the sorted set holds jobs or the paused
-- mark, so a take looks there first; it is the only mark in the list and is never anywhere else.
local PRIORITY = '~p'

local function readyKey(waitKey)
  return string.sub(waitKey, 1, #waitKey - 4) .. 'ready'
end

-- puts PRIORITY at the list's taking end unless it is there; returns whether it was not there
local function markPriority(ready)
  if redis.call('LINDEX', ready, -1) ~= PRIORITY then
    redis.call('RPUSH', ready, PRIORITY)
    return true
  end
  return false
end

-- adds a job to waiting; returns whether nothing was waiting before (then a blocked worker may need waking: a
-- busy worker takes the next job as it completes one, and one that took the last leaves nothing behind)
local function addWaiting(waitKey, metaKey, id, priority)
  local ready = readyKey(waitKey)
  if tonumber(priority or 0) == 0 then
    return redis.call('LPUSH', ready, id) == 1
  end
  redis.call('ZADD', waitKey, waitScore(priority, redis.call('HINCRBY', metaKey, 'seq', 1)), id)
  return markPriority(ready)
end

-- Values longer than CHUNK bytes (the payload, headers) are stored in pieces: 'd', 'd1', 'd2', ... Redis keeps
-- a hash in its compact listpack encoding only while every value fits hash-max-listpack-value (64 bytes by
-- default); one longer value turns the whole job hash into a hashtable of about twice the memory.
local CHUNK = 64

local function addChunked(fields, name, value)
  fields[#fields + 1] = name
  fields[#fields + 1] = string.sub(value, 1, CHUNK)
  local piece = 1
  for from = CHUNK + 1, #value, CHUNK do
    fields[#fields + 1] = name .. piece
    fields[#fields + 1] = string.sub(value, from, from + CHUNK - 1)
    piece = piece + 1
  end
end

-- the fields of a hash from its HGETALL reply
local function hashMap(flat)
  local map = {}
  for i = 1, #flat, 2 do
    map[flat[i]] = flat[i + 1]
  end
  return map
end

-- a value stored with addChunked, or nil
local function joinChunks(map, name)
  local value = map[name]
  if value == nil or #value < CHUNK then
    return value
  end
  local parts = { value }
  local piece = 1
  while map[name .. piece] do
    parts[#parts + 1] = map[name .. piece]
    piece = piece + 1
  end
  return table.concat(parts)
end

local function jobKey(base, id)
  return base .. ':j:' .. id
end

local function appendHistory(jk, line)
  local history = redis.call('HGET', jk, 'h') or ''
  history = history .. line .. '\n'
  if #history > 4000 then
    history = string.sub(history, #history - 3999)
  end
  redis.call('HSET', jk, 'h', history)
end

local function releaseDedupe(base, jk, id, extraMs)
  local dk = redis.call('HGET', jk, 'k')
  if dk and dk ~= '' then
    local key = base .. ':dd:' .. dk
    if redis.call('GET', key) == id then
      if tonumber(extraMs) > 0 then
        redis.call('PEXPIRE', key, extraMs)
      else
        redis.call('DEL', key)
      end
    end
  end
end

local function publishEvent(base, maxLength, id, event, detail)
  if tonumber(maxLength) > 0 then
    redis.call('XADD', base .. ':events', 'MAXLEN', '~', maxLength, '*', 'i', id, 'e', event, 'v', detail)
  end
end

-- wakes one blocked worker when the job due at dueAt is now the earliest delayed job
local function wakeIfEarliest(delayedKey, markerKey, dueAt)
  local first = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
  if first[2] == nil or tonumber(first[2]) >= dueAt then
    redis.call('ZADD', markerKey, 0, 'm')
  end
end

-- deletes finished jobs (their hash, log and children's results), 500 per command
local function deleteJobs(base, ids)
  for from = 1, #ids, 500 do
    local keys = {}
    for i = from, math.min(#ids, from + 499) do
      local jk = jobKey(base, ids[i])
      keys[#keys + 1] = jk
      keys[#keys + 1] = jk .. ':log'
      keys[#keys + 1] = jk .. ':ch'
    end
    redis.call('DEL', unpack(keys))
  end
end

-- keeps at most keepCount finished jobs in a finished set (completed or dead)
local function trimByCount(base, setKey, keepCount)
  local excess = redis.call('ZCARD', setKey) - tonumber(keepCount)
  if excess > 0 then
    local old = redis.call('ZPOPMIN', setKey, excess)
    local ids = {}
    for i = 1, #old, 2 do
      ids[#ids + 1] = old[i]
    end
    deleteJobs(base, ids)
  end
end

-- removes up to 1000 finished jobs older than ageMs from a finished set; returns how many
local function removeOlderThan(base, setKey, ageMs)
  local old = redis.call('ZRANGEBYSCORE', setKey, '-inf', now - tonumber(ageMs), 'LIMIT', 0, 1000)
  if #old > 0 then
    for from = 1, #old, 500 do
      redis.call('ZREM', setKey, unpack(old, from, math.min(#old, from + 499)))
    end
    deleteJobs(base, old)
  end
  return #old
end

-- keeps at most keepCount finished jobs no older than keepAgeMs in a finished set (completed or dead)
local function trimFinished(base, setKey, keepCount, keepAgeMs)
  redis.call('ZREMRANGEBYSCORE', setKey, '-inf', now - tonumber(keepAgeMs))
  trimByCount(base, setKey, keepCount)
end
