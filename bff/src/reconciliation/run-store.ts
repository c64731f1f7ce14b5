/**
 * Reconciliation runs in Redis, under their own hash tag `{recon}` (they touch no order key):
 *   {recon}:run:<runId>            the run's result (JSON), kept 400 days
 *   {recon}:runs:<yyyymmdd>        the day's run ids, scored by start time
 *   {recon}:refund-day:<yyyymmdd>  orders with a refund requested that day (store/named-stores.ts RedisRefundDayIndex)
 */
import crypto from 'node:crypto';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { ReconciliationRun } from './contract';
import { chinaStamp } from '@mip/shared';
import { compactDay } from './days';

const TTL_SECONDS = 400 * 24 * 3600;

export function reconKey(keys: Keys, suffix: string): string {
  return `${keys.prefix}{recon}:${suffix}`;
}

/** RC + China time yyyyMMddHHmmss + 6 hex digits */
export function newRunId(now: Date): string {
  return `RC${chinaStamp(now)}${crypto.randomBytes(3).toString('hex').toUpperCase()}`;
}

export class RunStore {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  async save(run: ReconciliationRun): Promise<void> {
    await this.redis
      .multi()
      .set(reconKey(this.keys, `run:${run.runId}`), JSON.stringify(run), 'EX', TTL_SECONDS)
      .zadd(reconKey(this.keys, `runs:${compactDay(run.date)}`), Date.parse(run.startedAt), run.runId)
      .expire(reconKey(this.keys, `runs:${compactDay(run.date)}`), TTL_SECONDS)
      .exec();
  }

  async get(runId: string): Promise<ReconciliationRun | null> {
    const doc = await this.redis.get(reconKey(this.keys, `run:${runId}`));
    return doc ? (JSON.parse(doc) as ReconciliationRun) : null;
  }

  async runIdsOfDay(day: string): Promise<string[]> {
    return this.redis.zrange(reconKey(this.keys, `runs:${compactDay(day)}`), '0', '-1');
  }
}

