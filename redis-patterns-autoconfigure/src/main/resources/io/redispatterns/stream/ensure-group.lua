-- Makes sure a consumer group exists. Creates it at the configured start position the first time; when a group this
-- consumer saw before has vanished (Redis restarted empty, failover to a replica without it, FLUSHALL, XGROUP DESTROY)
-- it creates it again where no entry published after the loss is skipped.
-- KEYS[1] stream
-- ARGV[1] group; ARGV[2] start position of a first creation ('$' or '0');
-- ARGV[3] highest id this consumer knows the group had reached ('' when it never saw the group);
-- ARGV[4] position of a re-creation on the same stream (ARGV[3], or just below the oldest entry still unfinished here)
-- Returns { 'exists' | 'created' | 'recreated', the group's last delivered id }
local function lastDelivered()
  if redis.call('EXISTS', KEYS[1]) == 0 then
    return nil
  end
  for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
    local fields = {}
    for i = 1, #group, 2 do
      fields[group[i]] = group[i + 1]
    end
    if fields['name'] == ARGV[1] then
      return fields['last-delivered-id']
    end
  end
  return nil
end

local existing = lastDelivered()
if existing then
  return { 'exists', existing }
end
if ARGV[3] == '' then
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], ARGV[2], 'MKSTREAM')
  return { 'created', lastDelivered() }
end
-- The stream still holds the last entry this consumer knew of: it is the same stream, continue after it. Otherwise
-- the stream was lost or replaced (possibly with ids below the remembered one, from a clock that went back): every
-- entry in it is new, start at 0.
local at = '0'
if #redis.call('XRANGE', KEYS[1], ARGV[3], ARGV[3]) > 0 then
  at = ARGV[4]
end
redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], at, 'MKSTREAM')
return { 'recreated', at }
