-- Decides N limits at once, all or none. KEYS[i] is limit i's key; ARGV holds 5 values per
-- limit: algorithm code, A, B, C, cost, then optionally '1' for check-only: evaluate without
-- charging (the first pass of a decision spanning several Cluster slots). Nothing is charged
-- unless every limit admits (the sliding-window log may drop entries that have expired).
-- Returns {all_allowed, then per limit: allowed, available units before charging, reset (us),
-- retry-after (us), then NOW (us)}.
local n = #KEYS
local checkOnly = ARGV[n * 5 + 1] == '1'
if n == 1 then
  -- one limit (most decisions): no intermediate tables
  local r = ALG[tonumber(ARGV[1])](KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]),
    tonumber(ARGV[5]))
  if r.allowed then
    if not checkOnly then
      r.commit()
    end
    return { 1, 1, r.avail, r.reset, r.retry, NOW }
  end
  return { 0, 0, r.avail, r.reset, r.retry, NOW }
end
local results = {}
local all = true
for k = 1, n do
  local base = (k - 1) * 5
  local algorithm = ALG[tonumber(ARGV[base + 1])]
  local r = algorithm(KEYS[k], tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4]),
    tonumber(ARGV[base + 5]))
  results[k] = r
  if not r.allowed then
    all = false
  end
end
local out = { all and 1 or 0 }
for k = 1, n do
  local r = results[k]
  if all and not checkOnly then
    r.commit()
  end
  local base = (k - 1) * 4 + 1
  out[base + 1] = r.allowed and 1 or 0
  out[base + 2] = r.avail
  out[base + 3] = r.reset
  out[base + 4] = r.retry
end
out[n * 4 + 2] = NOW
return out
