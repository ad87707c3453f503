-- Adds jobs to a queue (waiting, or delayed until their due time). Replay-safe: a job whose id
-- exists already is left alone and its id returned, so a re-sent script writes nothing twice.
-- KEYS: 1 wait, 2 delayed, 3 marker, 4 meta
-- ARGV: 1 base, 2 job count, then 11 fields per job:
--       id, name, payload, priority, delay ms, max attempts, backoff, dedupe key, headers,
--       parent ("<1 fail parent|0 ignore>|<parent id>|<parent queue>" or ""), children pending,
--       then (optional) the enqueuing client's clock in ms ('' when a job is delayed: due times are the server's,
--       see QueueScripts.ENQUEUE) and '1' when every job id was generated for this call (never chosen by the caller)
-- A job with a generated id, no delay, no dedupe key and no children is written without an EXISTS first: its
-- hash holds only fields that never change after enqueue (its state 'w' is the absence of 's'), so a re-sent
-- script rewrites them with the same values, and HSET's count of new fields tells it that the job was there
-- already (a completed job's short-lived remainder keeps 'c' for this).
-- A job with pending children (a flow's parent) waits in state 'p' in no set until its last child
-- reports (child-done.lua) and is then moved to waiting.
-- Returns the id of each job: its own, or the pending job that already holds its dedupe key.
local base = ARGV[1]
local count = tonumber(ARGV[2])
local generatedIds = ARGV[4 + count * 11] == '1'
local ids = {}
for j = 0, count - 1 do
  local o = 2 + j * 11
  local id, name, payload, priority = ARGV[o + 1], ARGV[o + 2], ARGV[o + 3], ARGV[o + 4]
  local delay, max, backoff, dedupe, headers = tonumber(ARGV[o + 5]), ARGV[o + 6], ARGV[o + 7], ARGV[o + 8], ARGV[o + 9]
  local parent, children = ARGV[o + 10], tonumber(ARGV[o + 11])
  local jk = jobKey(base, id)
  local result = id
  if generatedIds and delay == 0 and dedupe == '' and children == 0 then
    -- one such job alone is written by enqueue-one.lua instead: keep both equal (EnqueueOneScriptTests)
    local fields = { 'c', now }
    addChunked(fields, 'd', payload)
    if headers ~= '' then
      addChunked(fields, 'hd', headers)
    end
    local optional = { n = (name ~= 'default') and name, p = (priority ~= '0') and priority,
      m = (max ~= '0') and max, b = (backoff ~= '') and backoff, pa = (parent ~= '') and parent }
    for field, value in pairs(optional) do
      if value then
        fields[#fields + 1] = field
        fields[#fields + 1] = value
      end
    end
    if redis.call('HSET', jk, unpack(fields)) == #fields / 2 then
      -- the marker only when nothing was waiting (prelude: addWaiting): busy workers take it anyway
      if addWaiting(KEYS[1], KEYS[4], id, priority) then
        redis.call('ZADD', KEYS[3], 0, 'm')
      end
    end
  elseif redis.call('EXISTS', jk) == 0 then
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
      local state = (children > 0) and 'p' or ((delay > 0) and 'd' or 'w')
      local fields = { 'c', now, 's', state }
      addChunked(fields, 'd', payload)
      if headers ~= '' then
        addChunked(fields, 'hd', headers)
      end
      local optional = { n = (name ~= 'default') and name, p = (priority ~= '0') and priority,
        m = (max ~= '0') and max, b = (backoff ~= '') and backoff, k = (dedupe ~= '') and dedupe,
        r = (delay > 0) and ready, pa = (parent ~= '') and parent,
        pn = (children > 0) and children, fl = (children > 0) and '1' }
      for field, value in pairs(optional) do
        if value then
          fields[#fields + 1] = field
          fields[#fields + 1] = value
        end
      end
      redis.call('HSET', jk, unpack(fields))
      if children > 0 then
        -- waits for its children; the last one moves it on
      elseif delay > 0 then
        wakeIfEarliest(KEYS[2], KEYS[3], ready)
        redis.call('ZADD', KEYS[2], ready, id)
      else
        -- the marker only when nothing was waiting (prelude: addWaiting): busy workers take it anyway
        if addWaiting(KEYS[1], KEYS[4], id, priority) then
          redis.call('ZADD', KEYS[3], 0, 'm')
        end
      end
    end
  end
  ids[#ids + 1] = result
end
return ids
