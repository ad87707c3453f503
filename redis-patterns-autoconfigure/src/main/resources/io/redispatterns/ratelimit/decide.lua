-- Decides N limits at once, all or none. KEYS[i] is limit i's key; ARGV holds 5 values per
-- limit: algorithm code, A, B, C, cost, then optionally '1' for check-only: evaluate without
-- charging (the first pass of a decision spanning several Cluster slots). Nothing is charged
-- unless every limit admits (the sliding-window log may drop entries that have expired).
-- Returns {all_allowed, then per limit: allowed, available units before charging, reset (us),
-- retry-after (us), then NOW (us)}.
local n = #KEYS
local checkOnly = ARGV[n * 5 + 1] == '1'
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
  out[#out + 1] = r.allowed and 1 or 0
  out[#out + 1] = r.avail
  out[#out + 1] = r.reset
  out[#out + 1] = r.retry
end
out[#out + 1] = NOW
return out
