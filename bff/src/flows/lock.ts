import crypto from 'node:crypto';
import { DomainError } from '../domain/errors';
import type { Deps } from './deps';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * A short mutual-exclusion lease for one step that talks to peers (e.g. the pay step of one
 * order). It only keeps two taps from racing; correctness never depends on it, because every
 * state change is version-checked and every peer call is idempotent.
 */
export async function withLock<T>(deps: Pick<Deps, 'redis' | 'keys'>, name: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
  const key = deps.keys.lock(name);
  const token = crypto.randomBytes(8).toString('hex');
  const until = Date.now() + 5000;
  while ((await deps.redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    if (Date.now() > until) throw new DomainError('ORDER_STATE_CONFLICT', '订单正在处理中，请稍候');
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await fn();
  } finally {
    await deps.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
