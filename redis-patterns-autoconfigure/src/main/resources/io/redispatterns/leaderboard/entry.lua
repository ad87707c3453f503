-- A member's 0-based reverse rank and score in one consistent read: {rank, score}, or an empty list.
local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
if not rank then
  return {}
end
return {tostring(rank), redis.call('ZSCORE', KEYS[1], ARGV[1])}
