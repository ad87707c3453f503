-- Moves dead jobs back to waiting with a fresh attempt count: the given ids, or (ARGV[2] = '*')
-- up to ARGV[3] of the oldest. Replay-safe: a job no longer dead is skipped.
-- KEYS: 1 dead, 2 wait, 3 marker, 4 meta
-- ARGV: 1 base, 2 '*' or '-', 3 limit, then ids
-- Returns how many jobs were moved.
local base = ARGV[1]
local ids = {}
if ARGV[2] == '*' then
  ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1)
else
  for i = 4, #ARGV do
    ids[#ids + 1] = ARGV[i]
  end
end
local moved = 0
for _, id in ipairs(ids) do
  local jk = jobKey(base, id)
  local f = redis.call('HMGET', jk, 's', 'p', 'k')
  redis.call('ZREM', KEYS[1], id)
  if f[1] == 'x' then
    redis.call('PERSIST', jk)
    redis.call('PERSIST', jk .. ':ch')
    redis.call('HSET', jk, 's', 'w', 'a', 0, 't', '', 'r', now)
    redis.call('HDEL', jk, 'f')
    if f[3] and f[3] ~= '' then
      redis.call('SET', base .. ':dd:' .. f[3], id, 'PX', 604800000)
    end
    addWaiting(KEYS[2], KEYS[4], id, f[2])
    moved = moved + 1
  end
end
if moved > 0 then
  redis.call('ZADD', KEYS[3], 0, 'm')
end
return moved
