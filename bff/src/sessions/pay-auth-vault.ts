import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { AuthorizationStatus, HeldAuthorization, PayAuthorizations, TakenAuthorization } from './port';

export type { AuthorizationStatus, HeldAuthorization, TakenAuthorization };

/** what is remembered of the last authorization after it is gone (no payAuthNo, no identity) */
interface LastAuthorization {
  expiresAt: string;
  familyPay: boolean;
  usedFor?: string;
}

const LAST_TTL_SECONDS = 24 * 3600;

/** as stored: the authorization and the end of its life in ms, which the take step compares in Lua */
type Stored = HeldAuthorization & { untilMs: number };

function parse(raw: string): HeldAuthorization {
  const { untilMs: _, ...a } = JSON.parse(raw) as Stored;
  return a;
}

/**
 * payAuthNo is single-use and lives minutes. It is held per patient until an order takes it;
 * then it is bound to that order (retries of the same payment may reuse it) and nothing else.
 * Every key of one patient carries the patient's hash tag, so the pay step's take is one Lua step
 * (store/scripts.ts PAYAUTH_TAKE) on Redis Cluster too.
 */
export class PayAuthVault implements PayAuthorizations {
  /**
   * @param maxTtlSeconds the longest the BFF holds one (config security.payAuthMaxTtlSeconds; the channel's own life otherwise)
   * @param now the clock lives are measured with (ms)
   */
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, private readonly maxTtlSeconds?: number, private readonly now: () => number = Date.now) {}

  /** `payauth` (held), `payauth-last` (what is remembered), `payauth-order:<orderNo>` (bound) */
  key(ownerKey: string, name: string): string {
    return `${this.keys.prefix}{v:u:${ownerKey}}:${name}`;
  }

  /** Holds it for the channel's life (capped by configuration); answers the life it is held for. */
  async hold(ownerKey: string, a: HeldAuthorization, ttlSeconds: number): Promise<number> {
    const ttl = Math.max(1, Math.min(ttlSeconds, this.maxTtlSeconds ?? ttlSeconds));
    const untilMs = this.now() + ttl * 1000;
    const held: Stored = { ...a, expiresAt: new Date(untilMs).toISOString(), untilMs };
    const last: LastAuthorization = { expiresAt: held.expiresAt, familyPay: a.payer?.familyPay === true };
    await Promise.all([
      this.redis.set(this.key(ownerKey, 'payauth'), JSON.stringify(held), 'EX', ttl),
      this.redis.set(this.key(ownerKey, 'payauth-last'), JSON.stringify(last), 'EX', LAST_TTL_SECONDS),
    ]);
    return ttl;
  }

  /** The held authorization, without taking it. */
  async peek(ownerKey: string): Promise<HeldAuthorization | null> {
    const raw = await this.redis.get(this.key(ownerKey, 'payauth'));
    return raw ? parse(raw) : null;
  }

  /** What the patient should be told about their authorization: never 已完成 once it is gone. */
  async status(ownerKey: string, now = this.now()): Promise<AuthorizationStatus> {
    const [heldRaw, lastRaw] = await this.redis.mget(this.key(ownerKey, 'payauth'), this.key(ownerKey, 'payauth-last'));
    const held = heldRaw ? parse(heldRaw) : null;
    if (held && Date.parse(held.expiresAt) > now) {
      return { state: 'active', expiresAt: held.expiresAt, familyPay: held.payer?.familyPay === true };
    }
    if (!lastRaw) return { state: 'none' };
    const last = JSON.parse(lastRaw) as LastAuthorization;
    if (last.usedFor) return { state: 'used', orderNo: last.usedFor, familyPay: last.familyPay };
    return { state: 'expired', expiresAt: last.expiresAt, familyPay: last.familyPay };
  }

  /**
   * The pay step's authorization, in one round trip: the order's own (a retry), else the patient's
   * held one moved to the order atomically — unless it does not fit (`familyPay` is what the order
   * needs: a relative's order a family-pay one, the holder's own order not), then it stays held.
   */
  async takeForOrder(ownerKey: string, orderNo: string, familyPay: boolean): Promise<TakenAuthorization> {
    const [kind, raw] = await this.redis.payauthTake(
      this.key(ownerKey, `payauth-order:${orderNo}`),
      this.key(ownerKey, 'payauth'),
      this.key(ownerKey, 'payauth-last'),
      orderNo,
      this.now(),
      familyPay ? '1' : '0',
      LAST_TTL_SECONDS,
    );
    if (!raw || (kind !== 'bound' && kind !== 'taken' && kind !== 'misfit')) return { kind: 'none' };
    return { kind, auth: parse(raw) };
  }

  async dropOrder(ownerKey: string, orderNo: string): Promise<void> {
    await this.redis.del(this.key(ownerKey, `payauth-order:${orderNo}`));
  }

  async has(ownerKey: string): Promise<boolean> {
    return (await this.redis.exists(this.key(ownerKey, 'payauth'))) === 1;
  }
}
