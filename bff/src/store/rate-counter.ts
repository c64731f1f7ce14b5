import crypto from 'node:crypto';
import type { Keys } from './keys';
import type { RedisClient } from './redis';

/**
 * The one rate limiter's counter, in Redis so every BFF instance sees the same count. A hit is
 * one Lua step (INCR + PEXPIRE together, scripts.ts RATE_HIT): a crash can never leave a counter
 * without expiry. Keys hold a hash of the subject (address, patient, user name), never the value.
 * Used by the patient API limits (http/rate-limit.ts) and the staff sign-in lock (staff/rate-limit.ts).
 */
export class RateCounter {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  /** `{rl:<hash>}:<name>[:<window>]` — the hash tag keeps one subject's counters on one cluster slot */
  key(name: string, subject: string, window?: number): string {
    const h = crypto.createHash('sha256').update(`${name}\n${subject}`).digest('base64url').slice(0, 22);
    return `${this.keys.prefix}{rl:${h}}:${name}${window === undefined ? '' : `:${window}`}`;
  }

  /** Counts one hit; `restart` moves the expiry to `ttlMs` from now on every hit, else the first hit sets it. */
  async hit(key: string, ttlMs: number, restart = false): Promise<{ count: number; ttlMs: number }> {
    const [count, ttl] = await this.redis.rateHit(key, ttlMs, restart ? '1' : '0');
    return { count: Number(count), ttlMs: Number(ttl) };
  }

  /** The count and time left, without counting. */
  async peek(key: string): Promise<{ count: number; ttlMs: number }> {
    const [count, ttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    return { count: Number(count ?? 0), ttlMs: Number(ttl) };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(key);
  }
}
