-- Promotes due delayed jobs to waiting and leases up to ARGV[2] waiting jobs to one worker, in one
-- round trip. Replay-safe: the last take of each worker is remembered under its take key with
-- the request token; a re-sent request returns the jobs it leased the first time.
-- KEYS: 1 wait, 2 delayed, 3 active, 4 marker, 5 meta, 6 take key of this worker
-- ARGV: 1 base, 2 max jobs, 3 token, 4 lease ms, 5 rate limit (jobs started per period, 0 for none),
--       6 rate period ms
-- With a rate limit, at most ARGV[5] jobs of the queue start per fixed period (all workers together);
-- when the period's budget is spent, the next due time is the period's end.
-- Returns {next due in ms or -1, paused 0/1, then 8 fields per job:
--          id, name, payload, attempt, max attempts, backoff, ms waited since ready, headers}
local base, max, token, lease = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local limit, period = tonumber(ARGV[5] or '0'), tonumber(ARGV[6] or '0')
local rateKey, rateWait = nil, -1
local reply = { -1, 0 }

-- f: the job's n, d, a, m, b, r, hd, c fields (absent ones have their defaults)
local function add_job(id, f)
  reply[#reply + 1] = id
  reply[#reply + 1] = f[1] or 'default'
  reply[#reply + 1] = f[2]
  reply[#reply + 1] = tonumber(f[3] or 0)
  reply[#reply + 1] = f[4] or '0'
  reply[#reply + 1] = f[5] or ''
  reply[#reply + 1] = now - tonumber(f[6] or f[8])
  reply[#reply + 1] = f[7] or ''
end

local function lease_job(id)
  local f = redis.call('HMGET', jobKey(base, id), 'n', 'd', 'a', 'm', 'b', 'r', 'hd', 'c')
  if f[2] then
    add_job(id, f)
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

-- the earliest delayed job tells whether anything is due (one command when nothing is)
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if first[2] and tonumber(first[2]) <= now then
  local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(due) do
    local jk = jobKey(base, id)
    local f = redis.call('HMGET', jk, 's', 'p')
    if f[1] then
      redis.call('ZADD', KEYS[1], waitScore(f[2], redis.call('HINCRBY', KEYS[5], 'seq', 1)), id)
      redis.call('HSET', jk, 's', 'w')
    end
  end
  redis.call('ZREM', KEYS[2], unpack(due))
  first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
end

if limit > 0 then
  local window = math.floor(now / period)
  rateKey = base .. ':rl:' .. window
  local allowed = limit - tonumber(redis.call('GET', rateKey) or '0')
  if allowed < max then
    max = allowed
  end
  if max <= 0 then
    rateWait = (window + 1) * period - now
  end
end

if redis.call('HGET', KEYS[5], 'paused') == '1' then
  reply[2] = 1
elseif max > 0 then
  local popped = redis.call('ZPOPMIN', KEYS[1], max)
  local taken = {}
  for i = 1, #popped, 2 do
    local id = popped[i]
    local f = redis.call('HMGET', jobKey(base, id), 'n', 'd', 'a', 'm', 'b', 'r', 'hd', 'c')
    if f[2] then
      local attempt = tonumber(f[3] or 0) + 1
      redis.call('HSET', jobKey(base, id), 's', 'a', 't', token, 'st', now, 'a', attempt)
      redis.call('ZADD', KEYS[3], now + lease, id)
      f[3] = attempt
      add_job(id, f)
      taken[#taken + 1] = id
    end
  end
  if #taken > 0 and rateKey then
    redis.call('INCRBY', rateKey, #taken)
    redis.call('PEXPIRE', rateKey, period * 2)
  end
  if #taken > 0 then
    redis.call('SET', KEYS[6], token .. '|' .. table.concat(taken, ','), 'PX', lease)
    if #popped / 2 == max and redis.call('EXISTS', KEYS[1]) == 1 then
      -- more are waiting: wake another worker
      redis.call('ZADD', KEYS[4], 0, 'm')
    end
  end
end

if first[2] then
  reply[1] = math.max(0, tonumber(first[2]) - now)
end
if rateWait >= 0 and redis.call('EXISTS', KEYS[1]) == 1 and (reply[1] < 0 or rateWait < reply[1]) then
  reply[1] = rateWait
end
return reply
