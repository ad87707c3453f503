-- Leasing, shared by take and complete (which takes the finished worker's next job in the same call).
-- A leased job is returned as 9 fields: id, name, payload, attempt, max attempts, backoff,
-- ms waited since ready, headers, flow parent.

-- f: the job's n, d, a, m, b, r, hd, c, pa fields (absent ones have their defaults)
local function addLeased(reply, id, f)
  reply[#reply + 1] = id
  reply[#reply + 1] = f[1] or 'default'
  reply[#reply + 1] = f[2]
  reply[#reply + 1] = tonumber(f[3] or 0)
  reply[#reply + 1] = f[4] or '0'
  reply[#reply + 1] = f[5] or ''
  reply[#reply + 1] = now - tonumber(f[6] or f[8])
  reply[#reply + 1] = f[7] or ''
  reply[#reply + 1] = f[9] or ''
end

-- a job hash's n, d, a, m, b, r, hd, c, pa fields, the chunked ones joined (one HGETALL: a waiting job's hash
-- is small, and its number of payload chunks is not known beforehand)
local function leaseFields(map)
  return { map.n, joinChunks(map, 'd'), map.a, map.m, map.b, map.r, joinChunks(map, 'hd'), map.c, map.pa }
end

-- a replayed request: returns the job again if it is still leased under the request's token
local function addStillLeased(reply, base, id, token)
  local map = hashMap(redis.call('HGETALL', jobKey(base, id)))
  if map.t == token and map.d then
    addLeased(reply, id, leaseFields(map))
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
        redis.call('ZADD', waitKey, waitScore(f[2], redis.call('HINCRBY', metaKey, 'seq', 1)), id)
        redis.call('HSET', jk, 's', 'w')
      end
    end
    redis.call('ZREM', delayedKey, unpack(due))
    first = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
  end
  return first
end

-- leases up to max waiting jobs under token; returns the ids taken and how many were popped, or nil
-- when the queue is paused: its waiting set then holds PAUSED first, so finding out costs no command
local function leaseWaiting(reply, base, waitKey, activeKey, max, token, lease)
  local popped = redis.call('ZPOPMIN', waitKey, max)
  if popped[1] == PAUSED then
    local back = {}
    for i = 1, #popped, 2 do
      back[#back + 1] = popped[i + 1]
      back[#back + 1] = popped[i]
    end
    redis.call('ZADD', waitKey, unpack(back))
    return nil, 0
  end
  if #popped > 0 then
    useServerClock()
  end
  local taken = {}
  for i = 1, #popped, 2 do
    local id = popped[i]
    local jk = jobKey(base, id)
    local f = leaseFields(hashMap(redis.call('HGETALL', jk)))
    if f[2] then
      local attempt = tonumber(f[3] or 0) + 1
      redis.call('HSET', jk, 's', 'a', 't', token, 'st', now, 'a', attempt)
      redis.call('ZADD', activeKey, now + lease, id)
      f[3] = attempt
      addLeased(reply, id, f)
      taken[#taken + 1] = id
    end
  end
  return taken, #popped / 2
end
