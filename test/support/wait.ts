/** Polling helpers for tests that wait on another process or on background work. */
import { Keys } from '../../bff/src/store/keys';
import { JobQueue } from '../../bff/src/store/queue';
import { connectRedis } from '../../bff/src/store/redis';

/** Resolves once `pred()` holds (checked every 20 ms); rejects after `ms`. */
export function waitFor(pred: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (pred()) return clearInterval(t), resolve();
      if (Date.now() > until) return clearInterval(t), reject(new Error('timed out waiting'));
    }, 20);
  });
}

/** The first answer of `probe` that is not undefined (asked every 200 ms); rejects after `ms`. */
export async function waitForValue<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Resolves once the BFF's durable queue has nothing ready and nothing running (every follow-up
 * job that was due has run) — the event a negative check waits for instead of a fixed sleep.
 */
export async function waitForJobsIdle(redisUrl: string, prefix = 'mip:', ms = 20_000): Promise<void> {
  const redis = connectRedis(redisUrl);
  try {
    const queue = new JobQueue(redis, new Keys(prefix));
    await waitForValue('the job queue to be idle', async () => {
      const d = await queue.depth();
      return d.ready + d.pending === 0 ? d : undefined;
    }, ms);
  } finally {
    redis.disconnect();
  }
}
