-- Adds value keys to a tag set and makes the set live at least as long as the entries.
-- KEYS[1] tag set; ARGV[1] minimum TTL (ms), ARGV[2..n] value keys
-- Returns the set's size.
for i = 2, #ARGV do
  redis.call('SADD', KEYS[1], ARGV[i])
end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return redis.call('SCARD', KEYS[1])
