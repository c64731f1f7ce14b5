import crypto from 'node:crypto';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';

export interface LoginLimitPolicy {
  maxFailures: number;
  lockSeconds: number;
}

export const DEFAULT_LOGIN_LIMIT: LoginLimitPolicy = { maxFailures: 5, lockSeconds: 15 * 60 };

/**
 * Failed sign-ins per user name and client address. After `maxFailures` within the window the
 * pair is locked for `lockSeconds` — even a correct password is refused until then, or a guesser
 * would learn the password from which answer differs. Counted in Redis so every BFF process
 * sees the same count; the key is a hash, so user names do not appear in Redis key listings.
 */
export class LoginLimiter {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, readonly policy: LoginLimitPolicy = DEFAULT_LOGIN_LIMIT) {}

  private key(username: string, ip: string): string {
    const h = crypto.createHash('sha256').update(`${username}\n${ip}`).digest('hex').slice(0, 32);
    return `${this.keys.prefix}{staff}:login-failures:${h}`;
  }

  /** Seconds left on the lock, or 0 when sign-in may be tried. */
  async lockedFor(username: string, ip: string): Promise<number> {
    const key = this.key(username, ip);
    const [count, ttl] = await Promise.all([this.redis.get(key), this.redis.ttl(key)]);
    return Number(count ?? 0) >= this.policy.maxFailures ? Math.max(1, ttl) : 0;
  }

  /** Counts a failure; returns the seconds of lock it started (0 when not locked yet). */
  async fail(username: string, ip: string): Promise<number> {
    const key = this.key(username, ip);
    const count = await this.redis.incr(key);
    // Every failure restarts the window: the lock lasts lockSeconds from the last failure.
    await this.redis.expire(key, this.policy.lockSeconds);
    return count >= this.policy.maxFailures ? this.policy.lockSeconds : 0;
  }

  async succeed(username: string, ip: string): Promise<void> {
    await this.redis.del(this.key(username, ip));
  }
}
