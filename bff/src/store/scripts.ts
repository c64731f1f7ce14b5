/**
 * Lua steps. Each runs atomically in Redis and touches keys of one shard only.
 */

/**
 * Writes an order version and its follow-up jobs, or nothing. The hash holds `v` (the version the
 * next step compares), `doc` (the order), `s` (its state, for counting open orders without parsing
 * documents) and the caller's extra fields (pay parameters, peer-call records) — one HSET. The
 * indexes are touched only when the order enters or leaves them; the states hash counts only
 * transitions into and out of final states (`old>new`, one HINCRBY per finished order — open
 * orders are counted from the open index: store/order-store.ts countByState).
 * KEYS: order, jobs stream, delayed zset, states hash, review zset, open zset, day zset
 * ARGV: expectedVersion ('0' = create), newVersion, doc, orderNo, oldState, newState,
 *       final flags of the new and the old state ('10' = new final, old not; '00', '11', '01'),
 *       createdAtMs, nowMs, jobCount, then per job: fieldsJson, dueMs; then fieldCount, then
 *       per extra field: name, value; then cancelCount, then the delayed jobs (fieldsJson) this
 *       change makes pointless (a poll whose answer has come).
 * Returns 'OK' | 'CONFLICT' | 'EXISTS'.
 */
export const ORDER_WRITE = `
local expected = ARGV[1]
local cur = redis.call('HGET', KEYS[1], 'v')
if expected == '0' then
  if cur then return 'EXISTS' end
else
  if cur ~= expected then return 'CONFLICT' end
end
local orderNo, oldState, newState = ARGV[4], ARGV[5], ARGV[6]
local now = tonumber(ARGV[9])
local n = tonumber(ARGV[10])
local at = 11 + n * 2
local nf = tonumber(ARGV[at])
local hset = {'v', ARGV[2], 'doc', ARGV[3], 's', newState}
for i = 1, nf * 2 do hset[6 + i] = ARGV[at + i] end
redis.call('HSET', KEYS[1], unpack(hset))
local newFinal, oldFinal = string.sub(ARGV[7], 1, 1) == '1', string.sub(ARGV[7], 2, 2) == '1'
if oldState ~= newState then
  if newFinal ~= oldFinal then redis.call('HINCRBY', KEYS[4], oldState .. '>' .. newState, 1) end
  if newState == 'manual_review' then
    redis.call('ZADD', KEYS[5], now, orderNo)
  elseif oldState == 'manual_review' then
    redis.call('ZREM', KEYS[5], orderNo)
  end
end
if expected == '0' then
  if not newFinal then redis.call('ZADD', KEYS[6], tonumber(ARGV[8]), orderNo) end
  redis.call('ZADD', KEYS[7], tonumber(ARGV[8]), orderNo)
elseif newFinal and not oldFinal then
  redis.call('ZREM', KEYS[6], orderNo)
elseif oldFinal and not newFinal then
  redis.call('ZADD', KEYS[6], tonumber(ARGV[8]), orderNo)
end
-- the pointless delayed jobs go first: a job this change schedules anew may look the same
local cc = at + 1 + nf * 2
local nc = tonumber(ARGV[cc] or '0')
if nc > 0 then
  local gone = {}
  for i = 1, nc do gone[i] = ARGV[cc + i] end
  redis.call('ZREM', KEYS[3], unpack(gone))
end
local later = {}
for i = 0, n - 1 do
  local fields = ARGV[11 + i * 2]
  local due = tonumber(ARGV[12 + i * 2])
  if due <= now then
    redis.call('XADD', KEYS[2], '*', 'job', fields)
  else
    later[#later + 1] = due
    later[#later + 1] = fields
  end
end
if #later > 0 then redis.call('ZADD', KEYS[3], unpack(later)) end
return 'OK'
`;

/**
 * Moves due delayed jobs into the stream and tells when the next one is due, so that an idle
 * timer asks again only then (one ZRANGE when nothing is due).
 * KEYS: delayed zset, jobs stream; ARGV: nowMs, limit. Returns the next due time in ms ('-1':
 * none; nowMs when more than `limit` were due).
 */
export const MOVE_DUE = `
local limit = tonumber(ARGV[2])
local now = tonumber(ARGV[1])
local items = redis.call('ZRANGE', KEYS[1], 0, limit - 1, 'WITHSCORES')
for i = 1, #items, 2 do
  if tonumber(items[i + 1]) > now then return items[i + 1] end
  redis.call('XADD', KEYS[2], '*', 'job', items[i])
  redis.call('ZREM', KEYS[1], items[i])
end
if #items == 2 * limit then return ARGV[1] end
return '-1'
`;

/**
 * Acknowledges a stream entry and, atomically, schedules its follow-up (a retry, or nothing).
 * KEYS: jobs stream, delayed zset, dead list; ARGV: group, entryId, mode ('done'|'retry'|'dead'), fieldsJson, dueMs
 */
export const JOB_SETTLE = `
local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
if acked == 0 then return 0 end
if ARGV[3] == 'retry' then
  redis.call('ZADD', KEYS[2], tonumber(ARGV[5]), ARGV[4])
elseif ARGV[3] == 'dead' then
  redis.call('LPUSH', KEYS[3], ARGV[4])
  redis.call('LTRIM', KEYS[3], 0, 9999)
end
return 1
`;

/**
 * Trims a job stream of the entries every group has acknowledged: those below both the group's
 * last-delivered-id (anything above has not been handed out yet) and its oldest pending entry
 * (anything from there may still be running). A finished job is only acknowledged (XACK); this
 * trim, run now and then per shard (store/queue.ts), takes the place of one XDEL per job.
 * KEYS: jobs stream. Returns the number of entries removed.
 */
export const STREAM_TRIM = `
local function before(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
local groups = redis.pcall('XINFO', 'GROUPS', KEYS[1])
if groups.err then return 0 end
local minid = nil
for _, g in ipairs(groups) do
  local name, last
  for i = 1, #g, 2 do
    if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'last-delivered-id' then last = g[i + 1] end
  end
  if not name or not last then return 0 end
  if not minid or before(last, minid) then minid = last end
  local p = redis.call('XPENDING', KEYS[1], name)
  if p[2] and before(p[2], minid) then minid = p[2] end
end
if not minid or minid == '0-0' then return 0 end
return redis.call('XTRIM', KEYS[1], 'MINID', minid)
`;

/**
 * Keeps a running job's lease: resets the entry's idle time so that XAUTOCLAIM in another process
 * does not take a job that is still being worked on — but only while this consumer owns it
 * (XCLAIM alone would take it back from a consumer that claimed it meanwhile).
 * KEYS: jobs stream; ARGV: group, entryId, consumer. Returns 1 when kept, 0 when no longer ours.
 */
export const JOB_KEEP = `
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 or p[1][2] ~= ARGV[3] then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'JUSTID')
return 1
`;

/**
 * Enqueues standalone jobs (not tied to an order write) for one shard.
 * KEYS: jobs stream, delayed zset; ARGV: nowMs, count, then fieldsJson, dueMs pairs.
 */
export const ENQUEUE = `
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
for i = 0, n - 1 do
  local fields = ARGV[3 + i * 2]
  local due = tonumber(ARGV[4 + i * 2])
  if due <= now then
    redis.call('XADD', KEYS[1], '*', 'job', fields)
  else
    redis.call('ZADD', KEYS[2], due, fields)
  end
end
return n
`;

/**
 * Accepts an inbound event once: its record and its job, or nothing. The claim comes first (SET NX:
 * a new event costs SET + XADD); only a duplicate, the rare case, reads the record it collided with.
 * KEYS: record key, jobs stream (of the record's shard); ARGV: record, ttlSeconds, job fields.
 * Returns nil when accepted now, else the record already stored.
 */
export const ACCEPT_ONCE = `
if redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]), 'NX') then
  redis.call('XADD', KEYS[2], '*', 'job', ARGV[3])
  return false
end
return redis.call('GET', KEYS[1])
`;

/**
 * Compare-and-set that keeps the key's expiry. KEYS: key; ARGV: expected value, new value.
 * Returns 1 when the value was `expected` and is now the new one, else 0.
 */
export const SET_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0
`;

/**
 * One hit on a rate counter, atomic (the one limiter, store/rate-counter.ts). KEYS: counter;
 * ARGV: ttl ms, '1' to restart the expiry on every hit (a lock that runs from the last failure)
 * or '0' to keep the window's. A counter found without an expiry gets one, so no crash can ever
 * leave a counter (or a lock) that never ends. Returns {count, ttl ms}.
 */
export const RATE_HIT = `
local n = redis.call('INCR', KEYS[1])
if ARGV[2] == '1' or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
end
return {n, redis.call('PTTL', KEYS[1])}
`;

/**
 * The pay step's e-voucher authorization, in one step (sessions/pay-auth-vault.ts): the order's
 * own if it has one (a retry of the same payment), else the patient's held one moved to the order
 * — taken (GETDEL), bound for the rest of its life, and remembered as used for that order. A held
 * one that does not fit the order (亲情付 or not) is put back, unspent; an expired one is not bound.
 * KEYS: the order's, the patient's held, the patient's last (all with the patient's hash tag)
 * ARGV: orderNo, nowMs, '1' when the order needs a family-pay authorization, last's ttl seconds
 * Returns {'bound', json} | {'taken', json} | {'misfit', json} | {'none'}.
 */
export const PAYAUTH_TAKE = `
local bound = redis.call('GET', KEYS[1])
if bound then return {'bound', bound} end
local raw = redis.call('GETDEL', KEYS[2])
if not raw then return {'none'} end
local a = cjson.decode(raw)
local left = tonumber(a.untilMs or 0) - tonumber(ARGV[2])
local familyPay = type(a.payer) == 'table' and a.payer.familyPay == true
if familyPay ~= (ARGV[3] == '1') then
  if left > 0 then redis.call('SET', KEYS[2], raw, 'PX', math.floor(left)) end
  return {'misfit', raw}
end
local ttl = math.floor(left / 1000)
if ttl <= 0 then return {'none'} end
redis.call('SET', KEYS[1], raw, 'EX', ttl)
redis.call('SET', KEYS[3], cjson.encode({expiresAt = a.expiresAt, familyPay = familyPay, usedFor = ARGV[1]}), 'EX', tonumber(ARGV[4]))
return {'taken', raw}
`;
