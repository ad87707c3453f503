-- Reads one consumer group's pending count and lag (XINFO GROUPS), for gauges and the endpoint.
-- KEYS[1] stream; ARGV[1] group
-- Returns { pending, lag } (-1 where unknown: no stream, no group, or lag not computable)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { -1, -1 }
end
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
for _, group in ipairs(groups) do
  local fields = {}
  for i = 1, #group, 2 do
    fields[group[i]] = group[i + 1]
  end
  if fields['name'] == ARGV[1] then
    local lag = fields['lag']
    if type(lag) ~= 'number' then
      lag = -1
    end
    return { fields['pending'], lag }
  end
end
return { -1, -1 }
