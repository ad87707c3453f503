-- Promotes due delayed jobs to waiting and leases up to ARGV[2] waiting jobs to one worker, in one
-- round trip. Replay-safe: the last take of each worker is remembered under its take key with
-- the request token; a re-sent request returns the jobs it leased the first time.
-- KEYS: 1 wait, 2 delayed, 3 active, 4 marker, 5 meta, 6 take key of this worker
-- ARGV: 1 base, 2 max jobs, 3 token, 4 lease ms, 5 unused ('0'; it counted blocked workers before enqueues set
--       the marker whenever nothing was waiting), then for a rate-limited queue:
--       6 the rate-limit algorithm's code, 7-9 its arguments A, B, C (io.redispatterns.ratelimit.RateLimitAlgorithms)
--       ('0' when not rate-limited), 10 (optional, not rate-limited) the caller's clock in ms: the server's is read
--       only when a job is leased or a due time compared (QueueScripts.withClock)
-- A rate-limited queue is run with the rate-limit package's algorithms composed in front (ALG, NOW):
-- jobs started count as units of the limiter key <base>:rl, in the queue's hash tag (Cluster-safe);
-- when nothing may start, the next due time is when the limiter admits one again.
-- Returns {next due in ms or -1, paused 0/1, then 11 fields per job (lease.lua)}
local base, max, token, lease = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local rateCode = tonumber(ARGV[6] or '0')
local rateWait = -1
local reply = { -1, 0 }

local previous = redis.call('GET', KEYS[6])
if previous then
  -- "<token>\n<lease>\n<lease>..." (a record of the layout before, "<token>|<id>,<id>", has no newline: the take
  -- it remembers was not this one)
  local sep = string.find(previous, '\n', 1, true)
  if sep and string.sub(previous, 1, sep - 1) == token then
    for lease in string.gmatch(string.sub(previous, sep + 1), '[^\n]+') do
      addStillLeased(reply, base, KEYS[3], lease)
    end
    return reply
  end
end

local first = promoteDue(base, KEYS[1], KEYS[2], KEYS[5])

local rate = nil
if rateCode > 0 and max > 0 then
  local a, b, c = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
  rate = function(cost)
    return ALG[rateCode](base .. ':rl', a, b, c, cost)
  end
  local probe = rate(1)
  if not probe.allowed then
    max = 0
    rateWait = math.max(1, math.ceil(probe.retry / 1000))
  elseif probe.avail < max then
    max = probe.avail
  end
end

if max > 0 then
  local taken, popped = leaseWaiting(reply, base, KEYS[1], KEYS[3], max, token, lease)
  if not taken then
    reply[2] = 1
  elseif #taken > 0 then
    if rate then
      -- the same server time as the probe: what it found available is still available
      local charge = rate(#taken)
      if charge.allowed then
        charge.commit()
      end
    end
    redis.call('SET', KEYS[6], token .. '\n' .. table.concat(taken, '\n'), 'PX', lease)
    if popped == max and redis.call('EXISTS', readyKey(KEYS[1])) == 1 then
      -- more are waiting: wake another worker
      redis.call('ZADD', KEYS[4], 0, 'm')
    end
  end
end

if first[2] then
  reply[1] = math.max(0, tonumber(first[2]) - now)
end
if rateWait >= 0 and redis.call('EXISTS', readyKey(KEYS[1])) == 1 and (reply[1] < 0 or rateWait < reply[1]) then
  reply[1] = rateWait
end
return reply
