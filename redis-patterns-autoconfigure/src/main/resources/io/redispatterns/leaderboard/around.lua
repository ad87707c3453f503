-- The members ranked around ARGV[1], ARGV[2] on each side: {firstRank, member, score, member, score, ...}
-- (0-based first rank), or an empty list when the board does not hold the member.
local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
if not rank then
  return {}
end
local radius = tonumber(ARGV[2])
local first = rank - radius
if first < 0 then
  first = 0
end
local result = {tostring(first)}
local entries = redis.call('ZREVRANGE', KEYS[1], first, rank + radius, 'WITHSCORES')
for i = 1, #entries do
  result[i + 1] = entries[i]
end
return result
