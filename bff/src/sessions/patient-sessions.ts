import crypto from 'node:crypto';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import { TokenSessions } from './token-sessions';
import type { PatientSession } from './port';

export type { PatientSession };

export function ownerKeyOf(channel: string, openId: string): string {
  return `${channel}:${openId}`;
}

/**
 * BFF sessions for patients, a fixed lifetime from sign-in (token-sessions.ts keeps them).
 * Channel tokens and session_key never get here.
 */
export class PatientSessions {
  private readonly store: TokenSessions<PatientSession>;
  constructor(redis: RedisClient, keys: Keys, private readonly ttlSeconds: number, private readonly now: () => Date = () => new Date()) {
    this.store = new TokenSessions(redis, keys, 'patient', { ttlSeconds, sliding: false, tokenPattern: /^[A-Za-z0-9_-]{20,100}$/, now });
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
}
