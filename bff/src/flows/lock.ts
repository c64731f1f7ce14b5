import { DomainError } from '../domain/errors';
import type { Deps } from './deps';

export type LockDeps = Pick<Deps, 'locks' | 'now'>;

/**
 * A short mutual-exclusion lease for one step that talks to peers (e.g. the pay step of one
 * order). It only keeps two taps from racing; correctness never depends on it, because every
 * state change is version-checked and every peer call is idempotent.
 */
export async function withLock<T>(deps: LockDeps, name: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
  const until = deps.now().getTime() + 5000;
  let token: string | null;
  while ((token = await deps.locks.acquire(name, ttlMs)) === null) {
    if (deps.now().getTime() > until) throw new DomainError('ORDER_STATE_CONFLICT', '订单正在处理中，请稍候');
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await fn();
  } finally {
    await deps.locks.release(name, token).catch(() => undefined);
  }
}
