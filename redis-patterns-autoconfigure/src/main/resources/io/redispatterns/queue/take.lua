-- Promotes due delayed jobs to waiting and leases up to ARGV[2] waiting jobs to one worker, in one
-- round trip. Replay-safe: the last take of each worker is remembered under its take key with
-- the request token; a re-sent request returns the jobs it leased the first time.
-- KEYS: 1 wait, 2 delayed, 3 active, 4 marker, 5 meta, 6 take key of this worker
-- ARGV: 1 base, 2 max jobs, 3 token, 4 lease ms
-- Returns {next due in ms or -1, paused 0/1, then 8 fields per job:
--          id, name, payload, attempt, max attempts, backoff, ms waited since ready, headers}
local base, max, token, lease = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local reply = { -1, 0 }

local function lease_job(id)
  local jk = jobKey(base, id)
  local f = redis.call('HMGET', jk, 'n', 'd', 'a', 'm', 'b', 'r', 'hd')
  if f[1] then
    reply[#reply + 1] = id
    reply[#reply + 1] = f[1]
    reply[#reply + 1] = f[2]
    reply[#reply + 1] = tonumber(f[3])
    reply[#reply + 1] = f[4]
    reply[#reply + 1] = f[5]
    reply[#reply + 1] = now - tonumber(f[6])
    reply[#reply + 1] = f[7]
  end
end

local previous = redis.call('GET', KEYS[6])
if previous then
  local sep = string.find(previous, '|', 1, true)
  if string.sub(previous, 1, sep - 1) == token then
    for id in string.gmatch(string.sub(previous, sep + 1), '[^,]+') do
      if redis.call('HGET', jobKey(base, id), 't') == token then
        lease_job(id)
      end
    end
    return reply
  end
end

local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(due) do
  local jk = jobKey(base, id)
  local priority = redis.call('HGET', jk, 'p')
  if priority then
    redis.call('ZADD', KEYS[1], waitScore(priority, redis.call('HINCRBY', KEYS[5], 'seq', 1)), id)
    redis.call('HSET', jk, 's', 'w')
  end
  redis.call('ZREM', KEYS[2], id)
end

if redis.call('HGET', KEYS[5], 'paused') == '1' then
  reply[2] = 1
else
  local popped = redis.call('ZPOPMIN', KEYS[1], max)
  local taken = {}
  for i = 1, #popped, 2 do
    local id = popped[i]
    local jk = jobKey(base, id)
    if redis.call('EXISTS', jk) == 1 then
      redis.call('HINCRBY', jk, 'a', 1)
      redis.call('HSET', jk, 's', 'a', 't', token, 'st', now)
      redis.call('ZADD', KEYS[3], now + lease, id)
      lease_job(id)
      taken[#taken + 1] = id
    end
  end
  if #taken > 0 then
    redis.call('SET', KEYS[6], token .. '|' .. table.concat(taken, ','), 'PX', lease)
    if #popped / 2 == max and redis.call('EXISTS', KEYS[1]) == 1 then
      -- more are waiting: wake another worker
      redis.call('ZADD', KEYS[4], 0, 'm')
    end
  end
end

local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if first[2] then
  reply[1] = math.max(0, tonumber(first[2]) - now)
end
return reply
