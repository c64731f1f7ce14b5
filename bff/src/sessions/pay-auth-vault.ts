import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';

/** A pay authorization (payAuthNo) as the BFF holds it: server-side only, short-lived. */
export interface HeldAuthorization {
  payAuthNo: string;
  expiresAt: string;
  location?: string;
  /** sealed: the voucher holder's {name, idNo} (security/pii.ts) when they pay for a relative (亲情付) */
  payer?: { name?: string; idNo?: string; familyPay: boolean; sealed?: string };
  /** Alipay: the authorization's medical_card_id, for createandpay extend_params */
  medicalCardId?: string;
}

/**
 * payAuthNo is single-use and lives minutes. It is held per patient until an order takes it;
 * then it is bound to that order (retries of the same payment may reuse it) and nothing else.
 */
export class PayAuthVault {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  async hold(ownerKey: string, a: HeldAuthorization, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keys.vault('payauth', ownerKey), JSON.stringify(a), 'EX', Math.max(1, ttlSeconds));
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
    await this.redis.set(orderKey, raw, 'EX', ttl);
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
