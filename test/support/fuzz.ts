/**
 * Hostile-input helpers (test/integration/fuzz-endpoints.test.ts): a digest of everything in Redis
 * a request could change, to prove a refusal changed nothing; and fast-check generators for odd
 * strings, numbers, bodies, queries and content types.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import type { RedisClient } from '../../bff/src/store/redis';

// ------------------------------------------------------------------ the state a refusal must not touch

/** Keys a refused request may legitimately write: nonces, rate-limit counters, sessions, locks, caches, the queue. */
export const VOLATILE = [/:seen:nonce-/, /\{rl:/, /\{sess:/, /\{lock:/, /^mip:cache:/, /:jobs$/, /:delayed$/, /:dead$/, /\{staff\}:login-failures/, /\{recon\}:run/];

export async function digest(redis: RedisClient): Promise<string> {
  return snapshotDigest(await snapshot(redis));
}

export function snapshotDigest(m: Map<string, string>): string {
  return crypto.createHash('sha256').update([...m].map(([k, v]) => `${k}=${v}`).join('\n')).digest('hex');
}

/**
 * Short-lived secrets (payAuthNo, pay parameters) of earlier, accepted cases expire or are used
 * up by background jobs at any moment: their disappearance is not the request's doing. Their
 * appearance or change still counts.
 */
const EXPIRING = /\{v:/;

/** Keys that differ between two snapshots, but for expiring secrets that went away. */
export function changed(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k) && !(EXPIRING.test(k) && !b.has(k))).slice(0, 10);
}

export async function snapshot(redis: RedisClient): Promise<Map<string, string>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', 'mip:*', 'COUNT', 1000);
    cursor = next;
    keys.push(...batch.filter((k) => !VOLATILE.some((r) => r.test(k))));
  } while (cursor !== '0');
  keys.sort();
  const types = await Promise.all(keys.map((k) => redis.type(k)));
  const values = await Promise.all(
    keys.map((k, i) => {
      switch (types[i]) {
        case 'hash':
          return redis.hgetall(k).then((h) => JSON.stringify(Object.entries(h).sort()));
        case 'string':
          return redis.get(k);
        case 'zset':
          return redis.zrange(k, '0', '-1').then((m) => m.join(','));
        case 'set':
          return redis.smembers(k).then((m) => m.sort().join(','));
        case 'list':
          return redis.llen(k).then(String);
        case 'stream':
          return redis.xlen(k).then(String);
        default:
          return Promise.resolve(types[i]);
      }
    }),
  );
  return new Map(keys.map((k, i) => [k, String(values[i])]));
}

// ------------------------------------------------------------------ generators

export const ODD = [
  '', ' ', '\u0000', '\ud800', '\udfff', '\u202e', '\u200b\u200b', '\ufeff', 'ａｂｃ１２３', '😀'.repeat(300), '𠜎𠜱𠝹', 'é'.normalize('NFD'),
  '../../etc/passwd', '..%2f..%2f', '%00', '%', '%E0%A4%A', '<script>alert(1)</script>', "' OR 1=1 --", '{{7*7}}', '${jndi:ldap://x}',
  '\r\nSet-Cookie: x=y', 'null', 'undefined', 'NaN', '-1', '1e309', '0x10', 'a'.repeat(5000), '440106196503122134', 'O2611240000000ABCDE',
];
/** percent-encoding that also takes lone surrogates (as a browser does: U+FFFD) */
export const enc = (s: string) => encodeURIComponent((s as unknown as { toWellFormed(): string }).toWellFormed());
export const oddString = fc.oneof(fc.constantFrom(...ODD), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
export const oddNumber = fc.oneof(
  fc.constantFrom(-1, -0, 0.5, 1.005, 1e21, -1e21, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, Number.MAX_VALUE, Number.MIN_VALUE, 1e-7),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(oddString, oddNumber, fc.constantFrom(null, true, false, [], {}, [null], { $gt: '' }, { __proto__: { admin: true } }), fc.jsonValue({ maxDepth: 3 }));

/** A valid example with one hostile change: a field replaced, removed, doubled in type, or added. */
export function mutated(example: Record<string, unknown>): fc.Arbitrary<unknown> {
  const fields = Object.keys(example);
  const replace = fields.length
    ? fc.tuple(fc.constantFrom(...fields), oddValue).map(([k, v]) => ({ ...example, [k]: v }))
    : oddValue.map((v) => ({ x: v }));
  const drop = fields.length ? fc.constantFrom(...fields).map((k) => Object.fromEntries(Object.entries(example).filter(([f]) => f !== k))) : fc.constant({});
  const extra = fc.tuple(fc.constantFrom('__proto__', 'constructor', 'admin', 'state', 'amountFen', 'x'.repeat(300)), oddValue).map(([k, v]) => ({ ...example, [k]: v }));
  const nested = fields.length
    ? fc.tuple(fc.constantFrom(...fields), fc.dictionary(fc.string({ maxLength: 8 }), oddValue, { maxKeys: 3 })).map(([k, v]) => ({ ...example, [k]: { ...(typeof example[k] === 'object' ? (example[k] as object) : {}), ...v } }))
    : fc.constant({});
  return fc.oneof(replace, drop, extra, nested);
}

export type Body = { kind: 'json'; value: unknown } | { kind: 'raw'; bytes: Buffer } | { kind: 'none' };
export const queries = fc.oneof(
  fc.constant(''),
  fc.dictionary(fc.constantFrom('date', 'format', 'channel', 'page', 'limit', 'x', '__proto__'), oddString, { maxKeys: 3 }).map((d) => `?${new URLSearchParams(d as Record<string, string>).toString()}`),
  fc.constantFrom('?date=2026-13-45', '?format=csv&date=', '?a=%', '?date[]=1&date[]=2', '?date=9999-12-31', `?${'x=1&'.repeat(500)}`),
);

export const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/vnd.api+json', 'multipart/form-data; boundary=x', '');

/**
 * One seed for every property of a run: fixed by default so CI is repeatable (a failure there is
 * a real finding, reproduced with the same seed); FUZZ_SEED=random explores, FUZZ_SEED=n replays.
 */
export function fuzzSeed(): number {
  const s = process.env.FUZZ_SEED;
  const seed = s === 'random' ? Date.now() % 2 ** 31 : Number(s ?? 20261206);
  fc.configureGlobal({ seed });
  return seed;
}
