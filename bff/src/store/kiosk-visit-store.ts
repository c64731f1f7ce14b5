import type { Keys } from './keys';
import type { RedisClient } from './redis';
import type { KioskVisitStore } from './port';

/** Kiosk visits in Redis: the record as JSON and the visit's order numbers as a set, expiring together. */
export class RedisKioskVisitStore<V> implements KioskVisitStore<V> {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  private key(visitId: string): string {
    return this.keys.session('kiosk-visit', visitId);
  }

  private ordersKey(visitId: string): string {
    return `${this.key(visitId)}:orders`;
  }

  async put(visitId: string, visit: V, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(visitId), JSON.stringify(visit), 'PX', ttlMs);
  }

  async touch(visitId: string, ttlMs: (visit: V) => number): Promise<V | null> {
    const raw = await this.redis.get(this.key(visitId));
    if (!raw) return null;
    const v = JSON.parse(raw) as V;
    const ttl = ttlMs(v);
    if (ttl <= 0) return null;
    await this.redis.pexpire(this.key(visitId), ttl);
    await this.redis.pexpire(this.ordersKey(visitId), ttl);
    return v;
  }

  async addOrder(visitId: string, orderNo: string, ttlMs: number): Promise<void> {
    await this.redis.sadd(this.ordersKey(visitId), orderNo);
    await this.redis.pexpire(this.ordersKey(visitId), ttlMs);
  }

  async hasOrder(visitId: string, orderNo: string): Promise<boolean> {
    return (await this.redis.sismember(this.ordersKey(visitId), orderNo)) === 1;
  }

  async remove(visitId: string): Promise<void> {
    await this.redis.del(this.key(visitId), this.ordersKey(visitId));
  }
}
