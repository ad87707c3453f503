-- Shared by every write-behind script. All keys of a buffer start with "<prefix>:wb:{<buffer>}", so
-- they share the buffer's hash tag and Cluster slot.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
