-- Records a running job's progress, or appends a line to its job log, while the caller holds the lease.
-- KEYS: 1 job
-- ARGV: 1 token, 2 'p' (progress) or 'l' (log line), 3 value, 4 max log lines
if redis.call('HGET', KEYS[1], 't') ~= ARGV[1] then
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
