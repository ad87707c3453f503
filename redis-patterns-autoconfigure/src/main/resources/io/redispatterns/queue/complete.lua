-- Completes a leased job and, when asked, leases the finished worker's next job in the same call (one
-- round trip per job while jobs are waiting). Removing the caller's lease (its active-set member, lease.lua)
-- is the check that it still holds it, so a late completion after stalled-job recovery changes nothing.
-- Replay-safe: the completed job records its lease's token ('t') and the next job's lease ('nx', without the next
-- token), so a re-sent
-- call (same next token) answers alike and returns the same next job.
-- KEYS: 1 job, 2 active, 3 completed, 4 wait, 5 delayed, 6 meta
-- ARGV: 1 base, 2 id, 3 lease, 4 result, 5 keep count, 6 keep age ms (unused here: the periodic
--       maintenance removes completed jobs by age), 7 events max length, 8 dedupe window ms,
--       9 token for the next job ('' to take none), 10 lease ms, 11 '1' to promote due delayed jobs first,
--       12 the caller's clock in ms (QueueScripts.withClock) or '', 13 the attempt, 14 the lease's facts
--       (lease.lua: leaseFacts)
-- An event goes to the queue's event stream only when someone awaits the job ('w', set by awaitResult).
-- Returns {1 completed or 0 rejected, next delayed job due in ms or -1, paused 0/1, then the next
-- job's 11 fields (lease.lua) if one was leased}
local base, id, lease, nextToken = ARGV[1], ARGV[2], ARGV[3], ARGV[9] or ''
local reply = { 0, -1, 0 }
local _, start, token = parseLease(lease)
if redis.call('ZREM', KEYS[2], lease) == 0 then
  -- not (or no longer) leased: a re-sent call of a completion that was applied, or a late one
  local f = redis.call('HMGET', KEYS[1], 't', 's', 'nx')
  if token and f[1] == token and f[2] == 'c' then
    reply[1] = 1
    if f[3] and nextToken ~= '' then
      -- a re-sent call carries the same next token: the job recorded is returned while still leased under it
      addStillLeased(reply, base, KEYS[2], f[3] .. '|' .. nextToken)
    end
  end
  return reply
end
reply[1] = 1
local facts = ARGV[14] or ''
local awaited = string.find(facts, 'w', 1, true) ~= nil
if string.find(facts, 'k', 1, true) then
  releaseDedupe(base, KEYS[1], id, ARGV[8])
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
    -- recorded without its token, which a re-sent call carries again: "<id>|<start>"
    nextLease = string.sub(taken[1], 1, #taken[1] - #nextToken - 1)
  end
end

if tonumber(ARGV[5]) <= 0 then
  -- nothing retained: keep only the state, briefly, so a re-sent completion still answers alike (and 'c', so a
  -- re-sent enqueue of the job finds it there: enqueue.lua)
  if not awaited and redis.call('HEXISTS', KEYS[1], 'w') == 1 then
    awaited = true
  end
  redis.call('DEL', KEYS[1], KEYS[1] .. ':log', KEYS[1] .. ':ch')
  if nextLease then
    redis.call('HSET', KEYS[1], 's', 'c', 't', token, 'c', now, 'nx', nextLease)
  else
    redis.call('HSET', KEYS[1], 's', 'c', 't', token, 'c', now)
  end
  redis.call('PEXPIRE', KEYS[1], 60000)
else
  -- the fields of lease.lua's COMPLETION_FIELDS ('w' written too: how many are new tells whether awaitResult
  -- marked the job after it was leased, which costs no read)
  local fields = { 's', 'c', 't', token, 'a', ARGV[13], 'st', start or now, 'f', now, 'res', ARGV[4], 'w', '0' }
  if nextLease then
    fields[#fields + 1] = 'nx'
    fields[#fields + 1] = nextLease
  end
  local written = redis.call('HSET', KEYS[1], unpack(fields))
  local presentAtLease = tonumber(string.match(facts, '%d+') or '-1')
  -- how many of the 7 COMPLETION_FIELDS the hash held before this HSET ('nx', when written, is new: a job is
  -- completed once); one more than at lease time is the 'w' of awaitResult (erring the other way only
  -- writes an event nobody waits for)
  local presentNow = 7 - written + (nextLease and 1 or 0)
  if presentAtLease < 0 or presentNow > presentAtLease then
    awaited = true
  end
  if string.find(facts, 'f', 1, true) then
    -- a flow's parent: its children's results go with it
    redis.call('PEXPIRE', KEYS[1] .. ':ch', ARGV[6])
  end
  redis.call('ZADD', KEYS[3], now, id)
  -- by count on about one completion in 16 (a ZCARD each time would cost a command per job), and
  -- exactly in the periodic maintenance (recover-stalled), which also removes completed jobs by age
  if now % 16 == 0 then
    trimByCount(base, KEYS[3], ARGV[5])
  end
end
if awaited then
  publishEvent(base, ARGV[7], id, 'completed', ARGV[4])
end
return reply
