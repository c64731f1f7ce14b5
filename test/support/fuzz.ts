/**
 * Hostile-input helpers (test/integration/fuzz-endpoints.test.ts): a digest of everything in Redis
 * a request could change, to prove a refusal changed nothing; and fast-check generators for odd
 * strings, numbers, bodies, queries and content types.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { ERRORS, isErrorCode } from '@mip/shared';
import type { RedisClient } from '../../bff/src/store/redis';
import { Keys } from '../../bff/src/store/keys';
import { JobQueue } from '../../bff/src/store/queue';

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
          // entries ever added: a trim of finished jobs (store/queue.ts) is not a change
          return (redis.xinfo('STREAM', k) as Promise<unknown[]>).then((info) => String(info[info.indexOf('entries-added') + 1]));
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

// ------------------------------------------------------------------ sending hostile requests

export interface Sent {
  status: number;
  text: string;
  headers: Headers;
}

/** The stable code of a refusal: the API's error body, a notification answer's `code`, or X-Error-Code. */
export function codeOf(r: Sent): string | undefined {
  try {
    const j = JSON.parse(r.text) as { error?: { code?: string }; code?: string };
    return j.error?.code ?? j.code ?? r.headers.get('x-error-code') ?? undefined;
  } catch {
    return r.headers.get('x-error-code') ?? undefined;
  }
}

/** Sends hostile requests to the BFF and checks each answer; counts what it saw. */
export class HostileProbe {
  readonly stats = {
    cases: 0,
    byStatus: {} as Record<string, number>,
    byEndpoint: {} as Record<string, { cases: number; refused: number; accepted: number }>,
    fiveXX: 0,
    stateChanges: 0,
    badCodes: 0,
  };

  private readonly queue: JobQueue;

  constructor(
    private readonly base: string,
    private readonly redis: RedisClient,
  ) {
    this.queue = new JobQueue(redis, new Keys('mip:'));
  }

  async send(method: string, url: string, headers: Record<string, string>, body?: string | Buffer): Promise<Sent> {
    const res = await fetch(this.base + url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  /**
   * One hostile request: never a 5xx; a refusal is a 4xx with a stable code (`api`: the API's
   * error body, status = ERRORS[code].status) and leaves Redis as it was.
   */
  async hostile(label: string, method: string, url: string, headers: Record<string, string>, body: string | Buffer | undefined, opts: { api: boolean }): Promise<Sent> {
    const before = await snapshot(this.redis);
    const r = await this.send(method, url, headers, body);
    const after = await snapshot(this.redis);
    const s = this.stats;
    s.cases++;
    s.byStatus[r.status] = (s.byStatus[r.status] ?? 0) + 1;
    const e = (s.byEndpoint[label] ??= { cases: 0, refused: 0, accepted: 0 });
    e.cases++;
    const where = `${label}: ${method} ${url.slice(0, 120)} ${typeof body === 'string' ? body.slice(0, 200) : body ? `<${body.length} bytes>` : ''}`;
    if (r.status >= 500) {
      s.fiveXX++;
      throw new Error(`${where} → ${r.status} ${r.text.slice(0, 300)}`);
    }
    if (r.status >= 400) {
      e.refused++;
      const code = codeOf(r);
      if (!isErrorCode(code) || (opts.api && ERRORS[code].status !== r.status)) {
        s.badCodes++;
        throw new Error(`${where} → ${r.status} without a stable code: ${r.text.slice(0, 200)}`);
      }
      if (changed(before, after).length) {
        s.stateChanges++;
        throw new Error(`${where} → ${r.status} ${code} but Redis changed: ${changed(before, after).join(', ')}`);
      }
    } else {
      e.accepted++;
      // an accepted request may start work in the background (a refund, a message): let it
      // finish so that the next case's "before" is not moved by it
      await this.quiet();
    }
    return r;
  }

  /**
   * Until the BFF's durable queue has nothing ready or running (where every follow-up of a
   * request runs) and Redis stays the same over 40 ms (at most 6 s).
   */
  async quiet(): Promise<void> {
    let last = await digest(this.redis);
    for (let i = 0; i < 150; i++) {
      await new Promise((r) => setTimeout(r, 40));
      const [now, depth] = await Promise.all([digest(this.redis), this.queue.depth()]);
      if (now === last && depth.ready + depth.pending === 0) return;
      last = now;
    }
  }
}
