import crypto from 'node:crypto';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';

export interface PatientSession {
  sessionId: string;
  channel: 'wechat' | 'alipay';
  openId: string;
  /** owner of orders and profile: `${channel}:${openId}` */
  ownerKey: string;
  createdAt: string;
  expiresAt: string;
}

export function ownerKeyOf(channel: string, openId: string): string {
  return `${channel}:${openId}`;
}

/**
 * BFF sessions for patients. The bearer token is random; Redis only keeps its SHA-256, so a
 * Redis dump cannot be replayed as sessions. Channel tokens and session_key never get here.
 */
export class PatientSessions {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, private readonly ttlSeconds: number) {}

  private key(token: string): string {
    return this.keys.session('patient', crypto.createHash('sha256').update(token).digest('hex'));
  }

  async create(channel: 'wechat' | 'alipay', openId: string): Promise<{ token: string; session: PatientSession }> {
    const token = crypto.randomBytes(32).toString('base64url');
    const now = Date.now();
    const session: PatientSession = {
      sessionId: crypto.randomUUID(),
      channel,
      openId,
      ownerKey: ownerKeyOf(channel, openId),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.ttlSeconds * 1000).toISOString(),
    };
    await this.redis.set(this.key(token), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { token, session };
  }

  async resolve(token: string): Promise<PatientSession | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const raw = await this.redis.get(this.key(token));
    return raw ? (JSON.parse(raw) as PatientSession) : null;
  }
}
