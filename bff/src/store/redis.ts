import Redis, { type Cluster } from 'ioredis';
import { ENQUEUE, JOB_SETTLE, MOVE_DUE, ORDER_WRITE, SEEN_ONCE } from './scripts';

/** The commands our Lua steps add to an ioredis client. */
export interface ScriptCommands {
  orderWrite(...args: (string | number)[]): Promise<string>;
  moveDue(k1: string, k2: string, now: number, limit: number): Promise<number>;
  jobSettle(k1: string, k2: string, k3: string, group: string, id: string, mode: string, fields: string, due: number): Promise<number>;
  enqueueJobs(...args: (string | number)[]): Promise<number>;
  seenOnce(key: string, ttlSeconds: number, fingerprint: string): Promise<'NEW' | 'SAME' | 'DIFFERENT'>;
}

export type RedisClient = (Redis | Cluster) & ScriptCommands;

function defineScripts(r: Redis | Cluster): RedisClient {
  r.defineCommand('orderWrite', { numberOfKeys: 7, lua: ORDER_WRITE });
  r.defineCommand('moveDue', { numberOfKeys: 2, lua: MOVE_DUE });
  r.defineCommand('jobSettle', { numberOfKeys: 3, lua: JOB_SETTLE });
  r.defineCommand('enqueueJobs', { numberOfKeys: 2, lua: ENQUEUE });
  r.defineCommand('seenOnce', { numberOfKeys: 1, lua: SEEN_ONCE });
  return r as RedisClient;
}

/**
 * `redis://host:port` for a single server (or Sentinel-managed master behind a stable address);
 * `redis-cluster://host1:port1,host2:port2` for Redis Cluster.
 */
export function connectRedis(url: string, opts: { lazy?: boolean } = {}): RedisClient {
  if (url.startsWith('redis-cluster://')) {
    const nodes = url
      .slice('redis-cluster://'.length)
      .split(',')
      .map((hp) => {
        const [host, port] = hp.split(':');
        return { host, port: Number(port) };
      });
    return defineScripts(new Redis.Cluster(nodes, { lazyConnect: opts.lazy, enableAutoPipelining: true, redisOptions: { maxRetriesPerRequest: 3 } }));
  }
  return defineScripts(
    new Redis(url, {
      lazyConnect: opts.lazy,
      // A command waits (queued) while Redis restarts instead of failing at once.
      maxRetriesPerRequest: 20,
      retryStrategy: (times) => Math.min(50 * times, 1000),
      enableOfflineQueue: true,
      // Commands issued in the same tick leave in one write: one syscall instead of many, which is
      // most of the BFF's Redis cost under load.
      enableAutoPipelining: true,
    }),
  );
}

/** A second connection for blocking reads (XREADGROUP BLOCK must not hold up other commands). */
export function duplicateClient(r: RedisClient): RedisClient {
  return defineScripts((r as Redis).duplicate());
}
