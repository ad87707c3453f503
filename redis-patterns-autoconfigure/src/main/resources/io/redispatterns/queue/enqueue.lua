-- Adds jobs to a queue (waiting, or delayed until their due time). Replay-safe: a job whose id
-- exists already is left alone and its id returned, so a re-sent script writes nothing twice.
-- KEYS: 1 wait, 2 delayed, 3 marker, 4 meta
-- ARGV: 1 base, 2 job count, then 9 fields per job:
--       id, name, payload, priority, delay ms, max attempts, backoff, dedupe key, headers
-- Returns the id of each job: its own, or the pending job that already holds its dedupe key.
local base = ARGV[1]
local count = tonumber(ARGV[2])
local ids = {}
local wake = false
for j = 0, count - 1 do
  local o = 2 + j * 9
  local id, name, payload, priority = ARGV[o + 1], ARGV[o + 2], ARGV[o + 3], ARGV[o + 4]
  local delay, max, backoff, dedupe, headers = tonumber(ARGV[o + 5]), ARGV[o + 6], ARGV[o + 7], ARGV[o + 8], ARGV[o + 9]
  local jk = jobKey(base, id)
  local result = id
  if redis.call('EXISTS', jk) == 0 then
    local holder = nil
    if dedupe ~= '' then
      local dk = base .. ':dd:' .. dedupe
      holder = redis.call('GET', dk)
      if holder and redis.call('EXISTS', jobKey(base, holder)) == 0 then
        holder = nil
      end
      if not holder then
        redis.call('SET', dk, id, 'PX', delay + 604800000)
      end
    end
    if holder then
      result = holder
    else
      local ready = now + delay
      -- only fields that differ from their defaults: a job hash of few fields takes less memory
      local fields = { 'd', payload, 'c', now, 's', (delay > 0) and 'd' or 'w' }
      local optional = { n = (name ~= 'default') and name, p = (priority ~= '0') and priority,
        m = (max ~= '0') and max, b = (backoff ~= '') and backoff, k = (dedupe ~= '') and dedupe,
        hd = (headers ~= '') and headers, r = (delay > 0) and ready }
      for field, value in pairs(optional) do
        if value then
          fields[#fields + 1] = field
          fields[#fields + 1] = value
        end
      end
      redis.call('HSET', jk, unpack(fields))
      if delay > 0 then
        wakeIfEarliest(KEYS[2], KEYS[3], ready)
        redis.call('ZADD', KEYS[2], ready, id)
      else
        redis.call('ZADD', KEYS[1], waitScore(priority, redis.call('HINCRBY', KEYS[4], 'seq', 1)), id)
        wake = true
      end
    end
  end
  ids[#ids + 1] = result
end
if wake then
  redis.call('ZADD', KEYS[3], 0, 'm')
end
return ids
