"""The Lua scripts of the Redis store: each runs atomically in one round trip."""

# Bump the configuration version (``{p}:cfgv``). A counter that starts over (Redis flushed or restarted) jumps to
# a random 40-bit value, so a worker never takes a new version for the one its cache holds.
BUMP_FUNCTION = """
local function bump(key, seed)
  local version = redis.call('INCR', key)
  if version == 1 then version = redis.call('INCRBY', key, seed) end
  return version
end
"""
BUMP = BUMP_FUNCTION + "return bump(KEYS[1], ARGV[1])"
# Create-or-replace keeping the list position: a new id gets the next sequence number. With a fourth key (a cached
# kind) it also bumps that version counter and returns its new value.
PUT = BUMP_FUNCTION + """
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
end
if KEYS[4] then return bump(KEYS[4], ARGV[3]) end
return 0
"""
# Delete an object of a cached kind and bump the version: {removed, version}.
DELETE = BUMP_FUNCTION + """
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return {removed, bump(KEYS[3], ARGV[2])}
"""
# Add to counters (KEYS) whose expiry starts when each is created, as MemoryStore.incr does: ARGV holds (amount,
# ttl ms) per key. One script for any number of counters (one alone too): a pipeline of scripts first asks
# SCRIPT EXISTS, a second round trip.
INCR_MANY = """
local values = {}
for i, key in ipairs(KEYS) do
  values[i] = redis.call('INCRBY', key, ARGV[2 * i - 1])
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[2 * i]) end
end
return values
"""
# Check-and-charge in one step (rate limits): ARGV holds (need, amount, limit or -1, ttl ms) per key. When every
# key has room (value + need <= limit) all amounts are added; otherwise nothing is. Returns {ok, values...}.
RESERVE = """
local values = {}
for i, key in ipairs(KEYS) do
  local base = (i - 1) * 4
  local value = tonumber(redis.call('GET', key) or '0')
  local limit = tonumber(ARGV[base + 3])
  if limit >= 0 and value + tonumber(ARGV[base + 1]) > limit then
    for j, other in ipairs(KEYS) do values[j] = tonumber(redis.call('GET', other) or '0') end
    table.insert(values, 1, 0)
    return values
  end
end
for i, key in ipairs(KEYS) do
  local base = (i - 1) * 4
  local amount = tonumber(ARGV[base + 2])
  if amount ~= 0 then
    values[i] = redis.call('INCRBY', key, amount)
    if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[base + 4]) end
  else
    values[i] = tonumber(redis.call('GET', key) or '0')
  end
end
table.insert(values, 1, 1)
return values
"""
