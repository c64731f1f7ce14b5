import crypto from 'node:crypto';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import { TokenSessions } from '../sessions/token-sessions';

export interface StaffSessionRecord {
  sessionId: string;
  staffId: string;
  username: string;
  csrfToken: string;
  createdAt: string;
}

/** However active, a session ends after a working day and the staff member signs in again. */
export const ABSOLUTE_TTL_MS = 12 * 3600_000;

/**
 * Staff sessions with an idle expiry (staffSessionTtlSeconds, moved forward on every call) and an
 * absolute one, in the one session store (sessions/token-sessions.ts), on the injected clock.
 */
export class StaffSessions {
  private readonly store: TokenSessions<StaffSessionRecord>;
  constructor(redis: RedisClient, keys: Keys, readonly ttlSeconds: number, private readonly now: () => Date = () => new Date()) {
    this.store = new TokenSessions(redis, keys, 'staff', { ttlSeconds, sliding: true, maxAgeMs: ABSOLUTE_TTL_MS, tokenPattern: /^[A-Za-z0-9_-]{40,60}$/, now });
  }

  async create(account: { staffId: string; username: string }): Promise<{ token: string; session: StaffSessionRecord; expiresAt: string }> {
    const session: StaffSessionRecord = {
      sessionId: crypto.randomUUID(),
      staffId: account.staffId,
      username: account.username,
      csrfToken: crypto.randomBytes(24).toString('base64url'),
      createdAt: this.now().toISOString(),
    };
    return { token: await this.store.create(session), session, expiresAt: this.idleExpiry() };
  }

  idleExpiry(): string {
    return new Date(this.now().getTime() + this.ttlSeconds * 1000).toISOString();
  }

  /** The live session for a cookie token, its idle expiry moved forward; null when expired or unknown. */
  resolve(token: string): Promise<StaffSessionRecord | null> {
    return this.store.resolve(token);
  }

  destroy(token: string): Promise<void> {
    return this.store.destroy(token);
  }
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}
