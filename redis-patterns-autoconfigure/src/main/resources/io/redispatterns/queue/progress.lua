-- Records a running job's progress, or appends a line to its job log, while the caller holds the lease
-- (its active-set member, lease.lua).
-- KEYS: 1 job, 2 active
-- ARGV: 1 lease, 2 'p' (progress) or 'l' (log line), 3 value, 4 max log lines
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return 0
end
if ARGV[2] == 'p' then
  redis.call('HSET', KEYS[1], 'g', ARGV[3])
else
  local log = KEYS[1] .. ':log'
  redis.call('RPUSH', log, ARGV[3])
  redis.call('LTRIM', log, -tonumber(ARGV[4]), -1)
  redis.call('PEXPIRE', log, 604800000)
end
return 1
