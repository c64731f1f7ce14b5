import crypto from 'node:crypto';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';

export interface StaffSessionRecord {
  sessionId: string;
  staffId: string;
  username: string;
  csrfToken: string;
  createdAt: string;
}

/** However active, a session ends after a working day and the staff member signs in again. */
export const ABSOLUTE_TTL_MS = 12 * 3600_000;

const TOKEN = /^[A-Za-z0-9_-]{40,60}$/;

/**
 * Staff sessions in Redis with an idle expiry (staffSessionTtlSeconds, moved forward on every
 * call). The cookie holds a random token; Redis keeps only its SHA-256, so a Redis dump cannot
 * be replayed as sessions.
 */
export class StaffSessions {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, readonly ttlSeconds: number) {}

  private key(token: string): string {
    return this.keys.session('staff', crypto.createHash('sha256').update(token).digest('hex'));
  }

  async create(account: { staffId: string; username: string }): Promise<{ token: string; session: StaffSessionRecord; expiresAt: string }> {
    const token = crypto.randomBytes(32).toString('base64url');
    const session: StaffSessionRecord = {
      sessionId: crypto.randomUUID(),
      staffId: account.staffId,
      username: account.username,
      csrfToken: crypto.randomBytes(24).toString('base64url'),
      createdAt: new Date().toISOString(),
    };
    await this.redis.set(this.key(token), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { token, session, expiresAt: this.idleExpiry() };
  }

  idleExpiry(): string {
    return new Date(Date.now() + this.ttlSeconds * 1000).toISOString();
  }

  /** The live session for a cookie token, its idle expiry moved forward; null when expired or unknown. */
  async resolve(token: string): Promise<StaffSessionRecord | null> {
    if (!TOKEN.test(token)) return null;
    const key = this.key(token);
    const raw = await this.redis.get(key);
    if (!raw) return null;
    const s = JSON.parse(raw) as StaffSessionRecord;
    if (Date.now() - Date.parse(s.createdAt) > ABSOLUTE_TTL_MS) {
      await this.redis.del(key);
      return null;
    }
    await this.redis.expire(key, this.ttlSeconds);
    return s;
  }

  async destroy(token: string): Promise<void> {
    if (TOKEN.test(token)) await this.redis.del(this.key(token));
  }
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}
