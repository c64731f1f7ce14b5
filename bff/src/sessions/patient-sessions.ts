import crypto from 'node:crypto';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { SharedCache } from '../store/shared-cache';
import { TokenSessions } from './token-sessions';
import type { PatientSession } from './port';

export type { PatientSession };

export function ownerKeyOf(channel: string, openId: string): string {
  return `${channel}:${openId}`;
}

/**
 * BFF sessions for patients, a fixed lifetime from sign-in (token-sessions.ts keeps them).
 * Channel tokens and session_key never get here. Every patient request resolves its token: with a
 * cache (config security.sessionCacheMs), a process answers a session it resolved in the last few
 * seconds from memory — never past the session's end, and never after `revoke` in any process
 * (store/shared-cache.ts).
 */
export class PatientSessions {
  private readonly store: TokenSessions<PatientSession>;
  constructor(redis: RedisClient, keys: Keys, private readonly ttlSeconds: number, private readonly now: () => Date = () => new Date(), cache?: SharedCache<PatientSession>) {
    this.store = new TokenSessions(redis, keys, 'patient', { ttlSeconds, sliding: false, tokenPattern: /^[A-Za-z0-9_-]{20,100}$/, now, cache });
  }

  async create(channel: 'wechat' | 'alipay', openId: string): Promise<{ token: string; session: PatientSession }> {
    const now = this.now().getTime();
    const session: PatientSession = {
      sessionId: crypto.randomUUID(),
      channel,
      openId,
      ownerKey: ownerKeyOf(channel, openId),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.ttlSeconds * 1000).toISOString(),
    };
    return { token: await this.store.create(session), session };
  }

  resolve(token: string): Promise<PatientSession | null> {
    return this.store.resolve(token);
  }

  /** Ends the session now, in every process (a sign-out). */
  revoke(token: string): Promise<void> {
    return this.store.destroy(token);
  }
}
