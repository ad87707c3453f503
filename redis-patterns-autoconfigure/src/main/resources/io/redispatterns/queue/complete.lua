-- Completes a leased job and, when asked, leases the finished worker's next job in the same call (one
-- round trip per job while jobs are waiting). Rejected unless the caller still holds the lease token, so
-- a late completion after stalled-job recovery changes nothing. Replay-safe: the next job's id is
-- recorded in the completed job ('nx'), so a re-sent call (same next token) returns the same next job.
-- KEYS: 1 job, 2 active, 3 completed, 4 wait, 5 delayed, 6 meta
-- ARGV: 1 base, 2 id, 3 token, 4 result, 5 keep count, 6 keep age ms (unused here: the periodic
--       maintenance removes completed jobs by age), 7 events max length, 8 dedupe window ms,
--       9 token for the next job ('' to take none), 10 lease ms, 11 '1' to promote due delayed jobs first,
--       12 (optional) the caller's clock in ms: the completion time, which only retention by age compares (with a
--       margin of its keep age); the server's clock is read only when a job is leased or a due time compared
-- An event goes to the queue's event stream only when someone awaits the job ('w', set by awaitResult).
-- Returns {1 completed or 0 rejected, next delayed job due in ms or -1, paused 0/1, then the next
-- job's 9 fields (lease.lua) if one was leased}
local base, id, token, nextToken = ARGV[1], ARGV[2], ARGV[3], ARGV[9] or ''
local f = redis.call('HMGET', KEYS[1], 't', 's', 'k', 'fl', 'w', 'nx')
local reply = { 0, -1, 0 }
if f[1] ~= token then
  return reply
end
if f[2] == 'c' then
  reply[1] = 1
  if f[6] and nextToken ~= '' then
    -- a re-sent call carries the same next token: the job recorded is returned while still leased under it
    addStillLeased(reply, base, f[6], nextToken)
  end
  return reply
end
if f[2] ~= 'a' then
  return reply
end
reply[1] = 1
redis.call('ZREM', KEYS[2], id)
if f[3] and f[3] ~= '' then
  releaseDedupe(base, KEYS[1], id, ARGV[8])
end
if f[5] then
  publishEvent(base, ARGV[7], id, 'completed', ARGV[4])
end

local nextLease = nil
if nextToken ~= '' then
  if ARGV[11] == '1' then
    local first = promoteDue(base, KEYS[4], KEYS[5], KEYS[6])
    if first[2] then
      reply[2] = math.max(0, tonumber(first[2]) - now)
    end
  end
  local taken = leaseWaiting(reply, base, KEYS[4], KEYS[2], 1, nextToken, tonumber(ARGV[10]))
  if not taken then
    reply[3] = 1
  elseif #taken > 0 then
    nextLease = taken[1]
  end
end

if tonumber(ARGV[5]) <= 0 then
  -- nothing retained: keep only the state, briefly, so a re-sent completion still answers alike (and 'c', so a
  -- re-sent enqueue of the job finds it there: enqueue.lua)
  redis.call('DEL', KEYS[1], KEYS[1] .. ':log', KEYS[1] .. ':ch')
  if nextLease then
    redis.call('HSET', KEYS[1], 's', 'c', 't', token, 'c', now, 'nx', nextLease)
  else
    redis.call('HSET', KEYS[1], 's', 'c', 't', token, 'c', now)
  end
  redis.call('PEXPIRE', KEYS[1], 60000)
  return reply
end
if nextLease then
  redis.call('HSET', KEYS[1], 's', 'c', 'f', now, 'res', ARGV[4], 'nx', nextLease)
else
  redis.call('HSET', KEYS[1], 's', 'c', 'f', now, 'res', ARGV[4])
end
if f[4] then
  -- a flow's parent: its children's results go with it
  redis.call('PEXPIRE', KEYS[1] .. ':ch', ARGV[6])
end
redis.call('ZADD', KEYS[3], now, id)
-- by count on about one completion in 16 (a ZCARD each time would cost a command per job), and
-- exactly in the periodic maintenance (recover-stalled), which also removes completed jobs by age
if now % 16 == 0 then
  trimByCount(base, KEYS[3], ARGV[5])
end
return reply
