/**
 * Redis implementations of the small named stores of store/port.ts. Each owns its keys
 * (store/keys.ts); nothing outside this folder builds them.
 */
import crypto from 'node:crypto';
import type { PayParams } from '@mip/shared';
import type { Keys } from './keys';
import type { RedisClient } from './redis';
import type { Job } from '../domain/jobs';
import { shardOf } from './keys';
import { jobFields } from './queue';
import type { IdempotencyClaims, Locks, MessageRecords, PayParamsStore, RefundDayIndex, StoredPayParams } from './port';
import { PAY_PARAMS_FIELD } from './order-store';

export class RedisIdempotencyClaims implements IdempotencyClaims {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  async claim(scope: string, key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(this.keys.idempotency(scope, key), value, 'EX', ttlSeconds, 'NX')) === 'OK';
  }
  async put(scope: string, key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keys.idempotency(scope, key), value, 'EX', ttlSeconds);
  }
  read(scope: string, key: string): Promise<string | null> {
    return this.redis.get(this.keys.idempotency(scope, key));
  }
  async replaceIf(scope: string, key: string, expected: string, next: string): Promise<boolean> {
    return (await this.redis.setIfEquals(this.keys.idempotency(scope, key), expected, next)) === 1;
  }
  async release(scope: string, key: string): Promise<void> {
    await this.redis.del(this.keys.idempotency(scope, key));
  }
}

export class RedisPayParams implements PayParamsStore {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, private readonly now: () => Date = () => new Date()) {}

  /** beside the order document (order-store.ts PAY_PARAMS_FIELD), written by the channel-order step; none past the pay window */
  async get(orderNo: string): Promise<PayParams | null> {
    const raw = await this.redis.hget(this.keys.order(orderNo), PAY_PARAMS_FIELD);
    if (!raw) {
      // kept under their own key (with its own expiry) before they moved beside the order: orders in their pay window across a deploy
      const legacy = await this.redis.get(this.keys.vault('payparams', orderNo));
      return legacy ? (JSON.parse(legacy) as PayParams) : null;
    }
    const kept = JSON.parse(raw) as StoredPayParams;
    return Date.parse(kept.expiresAt) > this.now().getTime() ? kept.params : null;
  }
}

export class RedisMessageRecords<R> implements MessageRecords<R> {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  private recordKey(eventId: string): string {
    return this.keys.seen('message', eventId) + ':record';
  }
  /** the record's key carries the shard of the event id, as the job does (store/keys.ts seen) */
  async accept(eventId: string, record: R, ttlSeconds: number, deliver: Job): Promise<R | null> {
    const prev = await this.redis.acceptOnce(this.recordKey(eventId), this.keys.jobs(shardOf(deliver.key)), JSON.stringify(record), ttlSeconds, jobFields(deliver));
    return prev ? (JSON.parse(prev) as R) : null;
  }
  async put(eventId: string, record: R, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.recordKey(eventId), JSON.stringify(record), 'EX', ttlSeconds);
  }
  async get(eventId: string): Promise<R | null> {
    const raw = await this.redis.get(this.recordKey(eventId));
    return raw ? (JSON.parse(raw) as R) : null;
  }
}

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export class RedisLocks implements Locks {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  /** the token carries when this process sent the SET (its monotonic clock) and the lease's life */
  async acquire(name: string, ttlMs: number): Promise<string | null> {
    const token = `${crypto.randomBytes(8).toString('hex')}.${Math.floor(performance.now())}.${ttlMs}`;
    return (await this.redis.set(this.keys.lock(name), token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null;
  }
  /**
   * Gives the lease back. Within the first half of its life it is certainly still ours (Redis
   * started its expiry after our clock did), so a plain DEL; later, compare-and-delete. A lease
   * only keeps two taps from racing — correctness rests on the versioned steps (flows/lock.ts).
   */
  async release(name: string, token: string): Promise<void> {
    const [, since, ttlMs] = token.split('.').map(Number);
    if (performance.now() - since < ttlMs / 2) await this.redis.del(this.keys.lock(name));
    else await this.redis.eval(RELEASE, 1, this.keys.lock(name), token);
  }
}

/**
 * Orders by the China day a refund was asked for: a day's reconciliation (reconciliation/runner.ts)
 * must see refunds of orders created long before. Kept 400 days, like the reconciliation runs.
 */
export class RedisRefundDayIndex implements RefundDayIndex {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  private key(day: string): string {
    return `${this.keys.prefix}{recon}:refund-day:${day.replace(/-/g, '')}`;
  }

  async note(orderNo: string, day: string): Promise<void> {
    const key = this.key(day);
    await this.redis.multi().sadd(key, orderNo).expire(key, REFUND_DAY_TTL_SECONDS).exec();
  }

  orderNos(day: string): Promise<string[]> {
    return this.redis.smembers(this.key(day));
  }
}

const REFUND_DAY_TTL_SECONDS = 400 * 24 * 3600;
