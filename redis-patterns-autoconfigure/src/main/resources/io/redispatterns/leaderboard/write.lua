-- Writes one member's points to every period board of a leaderboard (KEYS[1..n]) and, for an
-- increment with an event id, records the id (KEYS[n+1]) so that a repeat is ignored.
-- ARGV: mode (set | best | incr), member, value, scale, keepTop, eventTtlMs,
--       then per board: tieBreak, expiry ("at:<epoch ms>", "in:<ms>" or "none"); last: maxPoints.
-- Scores are points * scale + tieBreak (see TieBreakEncoding): exact integers below 2^53.
-- Returns {applied (1/0), score of board 1, ..., score of board n} (scores as strings), or
-- {-1, points} when the new points would be out of range (nothing written).
local mode = ARGV[1]
local member = ARGV[2]
local value = tonumber(ARGV[3])
local scale = tonumber(ARGV[4])
local keepTop = tonumber(ARGV[5])
local eventTtl = tonumber(ARGV[6])
local boards = #KEYS
if eventTtl > 0 then
  boards = boards - 1
  if not redis.call('SET', KEYS[#KEYS], '1', 'NX', 'PX', eventTtl) then
    local seen = {0}
    for i = 1, boards do
      seen[i + 1] = redis.call('ZSCORE', KEYS[i], member)
    end
    return seen
  end
end
-- first compute every board's new points, so that an out-of-range result writes nothing
local maxPoints = tonumber(ARGV[#ARGV])
local plans = {}
for i = 1, boards do
  local current = redis.call('ZSCORE', KEYS[i], member)
  local points = value
  local write = true
  if current then
    local currentPoints = math.floor(tonumber(current) / scale)
    if mode == 'incr' then
      points = currentPoints + value
      write = value ~= 0
    elseif mode == 'set' then
      -- the same points keep the time they were first reached
      write = currentPoints ~= value
    else
      write = value > currentPoints
    end
  end
  if write and (points > maxPoints or points < -maxPoints) then
    return {-1, tostring(points)}
  end
  plans[i] = {points, write}
end
local result = {0}
for i = 1, boards do
  local key = KEYS[i]
  local tieBreak = tonumber(ARGV[5 + 2 * i])
  local expiry = ARGV[6 + 2 * i]
  if plans[i][2] then
    redis.call('ZADD', key, string.format('%.0f', plans[i][1] * scale + tieBreak), member)
    result[1] = 1
    if keepTop > 0 then
      local size = redis.call('ZCARD', key)
      if size > keepTop then
        redis.call('ZREMRANGEBYRANK', key, 0, size - keepTop - 1)
      end
    end
  end
  if string.sub(expiry, 1, 3) == 'at:' then
    redis.call('PEXPIREAT', key, string.sub(expiry, 4))
  elseif string.sub(expiry, 1, 3) == 'in:' then
    redis.call('PEXPIRE', key, string.sub(expiry, 4))
  end
  result[i + 1] = redis.call('ZSCORE', key, member)
end
return result
