-- Leasing, shared by take and complete (which takes the finished worker's next job in the same call).
-- A lease is the job's member of the active set, "<id>|<start ms>|<token>" scored with its deadline: leasing
-- writes nothing to the job hash, and a script that removes (complete, fail, release) or re-scores (renew) that
-- exact member proves in the same command that the caller still holds the lease (a job id has no '|').
-- The hash's 'a' counts the attempts that ended; the running one is 'a' + 1.
-- Jobs leased before this layout (plain "<id>" members, their hash with 's' = 'a', the token in 't', the running
-- attempt in 'a' and its start in 'st') are still recovered, listed and reported as active.
-- A leased job is returned as 11 fields: id, name, payload, attempt, max attempts, backoff,
-- ms waited since ready, headers, flow parent, the lease (active-set member), and the hash facts its completion
-- needs without reading the hash again (leaseFacts).

-- the id, start time and token of an active-set member; a member of the layout before has only the id
local function parseLease(member)
  local id, start, token = string.match(member, '^([^|]+)|(%d+)|(.*)$')
  if id then
    return id, start, token
  end
  return member, nil, nil
end

-- the fields a completion writes (complete.lua; it adds 'nx' when it leased the next job)
local COMPLETION_FIELDS = { 's', 't', 'a', 'st', 'f', 'res', 'w' }

-- what a completion needs to know of the hash: 'k' it has a dedupe key, 'f' it is a flow's parent, 'w' someone
-- awaits it, then how many of COMPLETION_FIELDS it holds (a completion compares with its HSET's count of new
-- fields to learn whether awaitResult marked the job meanwhile, without reading the hash)
local function leaseFacts(map)
  local present = 0
  for _, field in ipairs(COMPLETION_FIELDS) do
    if map[field] then
      present = present + 1
    end
  end
  return ((map.k and map.k ~= '') and 'k' or '') .. (map.fl and 'f' or '') .. (map.w and 'w' or '') .. present
end

-- a leased job's 11 reply fields from its hash (chunked values joined; one HGETALL: a waiting job's hash is
-- small, and its number of payload chunks is not known beforehand)
local function addLeased(reply, id, map, attempt, lease)
  reply[#reply + 1] = id
  reply[#reply + 1] = map.n or 'default'
  reply[#reply + 1] = joinChunks(map, 'd')
  reply[#reply + 1] = attempt
  reply[#reply + 1] = map.m or '0'
  reply[#reply + 1] = map.b or ''
  reply[#reply + 1] = now - tonumber(map.r or map.c)
  reply[#reply + 1] = joinChunks(map, 'hd') or ''
  reply[#reply + 1] = map.pa or ''
  reply[#reply + 1] = lease
  reply[#reply + 1] = leaseFacts(map)
end

-- a replayed request: returns the job again if its lease (active-set member) is still held
local function addStillLeased(reply, base, activeKey, lease)
  if redis.call('ZSCORE', activeKey, lease) then
    local id = parseLease(lease)
    local map = hashMap(redis.call('HGETALL', jobKey(base, id)))
    if map.d then
      addLeased(reply, id, map, tonumber(map.a or 0) + 1, lease)
    end
  end
end

-- moves due delayed jobs to waiting; returns the earliest delayed job left ({} when none)
local function promoteDue(base, waitKey, delayedKey, metaKey)
  local first = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
  if first[2] then
    useServerClock()
  end
  if first[2] and tonumber(first[2]) <= now then
    local due = redis.call('ZRANGEBYSCORE', delayedKey, '-inf', now, 'LIMIT', 0, 1000)
    for _, id in ipairs(due) do
      local jk = jobKey(base, id)
      local f = redis.call('HMGET', jk, 's', 'p')
      if f[1] then
        addWaiting(waitKey, metaKey, id, f[2])
        redis.call('HSET', jk, 's', 'w')
      end
    end
    redis.call('ZREM', delayedKey, unpack(due))
    first = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
  end
  return first
end

-- pops up to max waiting job ids in taking order (prelude: addWaiting), or nil when the queue is paused: its sorted
-- set then holds PAUSED first, found with the pop that looks there anyway
local function popWaiting(waitKey, max)
  local ready = readyKey(waitKey)
  local popped = redis.call('RPOP', ready, max)
  if not popped then
    return {}
  end
  if popped[1] ~= PRIORITY then
    return popped
  end
  if #popped > 1 then
    -- priority-0 jobs popped behind the mark wait until the sorted set is empty: back, in their order
    local back = {}
    for i = #popped, 2, -1 do
      back[#back + 1] = popped[i]
    end
    redis.call('RPUSH', ready, unpack(back))
  end
  local scored = redis.call('ZPOPMIN', waitKey, max)
  if scored[1] == PAUSED then
    local again = {}
    for i = 1, #scored, 2 do
      again[#again + 1] = scored[i + 1]
      again[#again + 1] = scored[i]
    end
    redis.call('ZADD', waitKey, unpack(again))
    redis.call('RPUSH', ready, PRIORITY)
    return nil
  end
  local ids = {}
  for i = 1, #scored, 2 do
    ids[#ids + 1] = scored[i]
  end
  if #ids == max then
    if redis.call('EXISTS', waitKey) == 1 then
      redis.call('RPUSH', ready, PRIORITY)
    end
    return ids
  end
  -- the sorted set is empty now: the rest from the list
  local more = redis.call('RPOP', ready, max - #ids)
  if more then
    for _, id in ipairs(more) do
      if id ~= PRIORITY then
        ids[#ids + 1] = id
      end
    end
  end
  return ids
end

-- leases up to max waiting jobs under token; returns the leases taken and how many were popped, or nil
-- when the queue is paused: its waiting set then holds PAUSED first, so finding out costs no command.
-- The lease deadline is on the caller's clock when the script started on it (QueueScripts.withClock): an
-- instance whose clock runs ahead of the others' by a good part of the lease would see its jobs recovered
-- as stalled early (README: clocks).
local function leaseWaiting(reply, base, waitKey, activeKey, max, token, lease)
  local popped = popWaiting(waitKey, max)
  if not popped then
    return nil, 0
  end
  local taken = {}
  for _, id in ipairs(popped) do
    local map = hashMap(redis.call('HGETALL', jobKey(base, id)))
    if map.d then
      local member = id .. '|' .. string.format('%.0f', now) .. '|' .. token
      redis.call('ZADD', activeKey, now + lease, member)
      addLeased(reply, id, map, tonumber(map.a or 0) + 1, member)
      taken[#taken + 1] = member
    end
  end
  return taken, #popped
end
