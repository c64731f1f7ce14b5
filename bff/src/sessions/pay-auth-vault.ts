import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { AuthorizationStatus, HeldAuthorization, PayAuthorizations } from './port';

export type { AuthorizationStatus, HeldAuthorization };

/** what is remembered of the last authorization after it is gone (no payAuthNo, no identity) */
interface LastAuthorization {
  expiresAt: string;
  familyPay: boolean;
  usedFor?: string;
}

const LAST_TTL_SECONDS = 24 * 3600;

/**
 * payAuthNo is single-use and lives minutes. It is held per patient until an order takes it;
 * then it is bound to that order (retries of the same payment may reuse it) and nothing else.
 */
export class PayAuthVault implements PayAuthorizations {
  /** maxTtlSeconds: the longest the BFF holds one (config security.payAuthMaxTtlSeconds; the channel's own life otherwise) */
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, private readonly maxTtlSeconds?: number) {}

  /** Holds it for the channel's life (capped by configuration); answers the life it is held for. */
  async hold(ownerKey: string, a: HeldAuthorization, ttlSeconds: number): Promise<number> {
    const ttl = Math.max(1, Math.min(ttlSeconds, this.maxTtlSeconds ?? ttlSeconds));
    const held = { ...a, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
    const last: LastAuthorization = { expiresAt: held.expiresAt, familyPay: a.payer?.familyPay === true };
    await Promise.all([
      this.redis.set(this.keys.vault('payauth', ownerKey), JSON.stringify(held), 'EX', ttl),
      this.redis.set(this.keys.vault('payauth-last', ownerKey), JSON.stringify(last), 'EX', LAST_TTL_SECONDS),
    ]);
    return ttl;
  }

  /** The held authorization, without taking it (to check it fits an order before it is spent). */
  async peek(ownerKey: string): Promise<HeldAuthorization | null> {
    const raw = await this.redis.get(this.keys.vault('payauth', ownerKey));
    return raw ? (JSON.parse(raw) as HeldAuthorization) : null;
  }

  /** What the patient should be told about their authorization: never 已完成 once it is gone. */
  async status(ownerKey: string, now = Date.now()): Promise<AuthorizationStatus> {
    const [held, lastRaw] = await Promise.all([this.peek(ownerKey), this.redis.get(this.keys.vault('payauth-last', ownerKey))]);
    if (held && Date.parse(held.expiresAt) > now) {
      return { state: 'active', expiresAt: held.expiresAt, familyPay: held.payer?.familyPay === true };
    }
    if (!lastRaw) return { state: 'none' };
    const last = JSON.parse(lastRaw) as LastAuthorization;
    if (last.usedFor) return { state: 'used', orderNo: last.usedFor, familyPay: last.familyPay };
    return { state: 'expired', expiresAt: last.expiresAt, familyPay: last.familyPay };
  }

  /** Moves the patient's authorization to the order, atomically (GETDEL), or reuses the order's. */
  async bindToOrder(ownerKey: string, orderNo: string): Promise<HeldAuthorization | null> {
    const orderKey = this.keys.vault('payauth-order', orderNo);
    const bound = await this.redis.get(orderKey);
    if (bound) return JSON.parse(bound) as HeldAuthorization;
    const raw = await this.redis.getdel(this.keys.vault('payauth', ownerKey));
    if (!raw) return null;
    const a = JSON.parse(raw) as HeldAuthorization;
    const ttl = Math.floor((Date.parse(a.expiresAt) - Date.now()) / 1000);
    if (ttl <= 0) return null;
    const last: LastAuthorization = { expiresAt: a.expiresAt, familyPay: a.payer?.familyPay === true, usedFor: orderNo };
    await Promise.all([
      this.redis.set(orderKey, raw, 'EX', ttl),
      this.redis.set(this.keys.vault('payauth-last', ownerKey), JSON.stringify(last), 'EX', LAST_TTL_SECONDS),
    ]);
    return a;
  }

  async forOrder(orderNo: string): Promise<HeldAuthorization | null> {
    const raw = await this.redis.get(this.keys.vault('payauth-order', orderNo));
    return raw ? (JSON.parse(raw) as HeldAuthorization) : null;
  }

  async dropOrder(orderNo: string): Promise<void> {
    await this.redis.del(this.keys.vault('payauth-order', orderNo));
  }

  async has(ownerKey: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.vault('payauth', ownerKey))) === 1;
  }
}
