-- Acknowledges a persisted batch: it is removed, the next batch can be formed. Checked by batch id,
-- not owner: a batch persisted by a flusher whose lease ran out is persisted all the same. Safe to
-- run twice (the second run finds another batch or none).
-- KEYS[1] in-flight batch, KEYS[2] in-flight batch items; ARGV[1] batch id
-- Returns 1 when acknowledged, 0 when the batch was already gone.
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
