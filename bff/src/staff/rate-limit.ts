import type { Keys } from '../store/keys';
import { RateCounter } from '../store/rate-counter';
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
  private readonly counter: RateCounter;
  constructor(redis: RedisClient, keys: Keys, readonly policy: LoginLimitPolicy = DEFAULT_LOGIN_LIMIT) {
    this.counter = new RateCounter(redis, keys);
  }

  private key(username: string, ip: string): string {
    return this.counter.key('staff-login-failures', `${username}\n${ip}`);
  }

  /** Seconds left on the lock, or 0 when sign-in may be tried. */
  async lockedFor(username: string, ip: string): Promise<number> {
    const { count, ttlMs } = await this.counter.peek(this.key(username, ip));
    return count >= this.policy.maxFailures ? Math.max(1, Math.ceil(ttlMs / 1000)) : 0;
  }

  /** Counts a failure; returns the seconds of lock it started (0 when not locked yet). */
  async fail(username: string, ip: string): Promise<number> {
    // Every failure restarts the window: the lock lasts lockSeconds from the last failure
    // (count and expiry in one atomic step).
    const { count } = await this.counter.hit(this.key(username, ip), this.policy.lockSeconds * 1000, true);
    return count >= this.policy.maxFailures ? this.policy.lockSeconds : 0;
  }

  async succeed(username: string, ip: string): Promise<void> {
    await this.counter.reset(this.key(username, ip));
  }
}
