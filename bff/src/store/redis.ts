import Redis, { type Cluster } from 'ioredis';
import { ACCEPT_ONCE, ENQUEUE, JOB_KEEP, JOB_SETTLE, MOVE_DUE, ORDER_WRITE, PAYAUTH_TAKE, RATE_HIT, SET_IF_EQUALS, STREAM_TRIM } from './scripts';

/** The commands our Lua steps add to an ioredis client. */
export interface ScriptCommands {
  orderWrite(...args: (string | number)[]): Promise<string>;
  moveDue(k1: string, k2: string, now: number, limit: number): Promise<string>;
  jobSettle(k1: string, k2: string, k3: string, group: string, id: string, mode: string, fields: string, due: number): Promise<number>;
  jobKeep(stream: string, group: string, id: string, consumer: string): Promise<number>;
  streamTrim(stream: string): Promise<number>;
  enqueueJobs(...args: (string | number)[]): Promise<number>;
  acceptOnce(recordKey: string, stream: string, record: string, ttlSeconds: number, jobFields: string): Promise<string | null>;
  setIfEquals(key: string, expected: string, next: string): Promise<number>;
  rateHit(key: string, ttlMs: number, restart: '0' | '1'): Promise<[number, number]>;
  payauthTake(orderKey: string, heldKey: string, lastKey: string, orderNo: string, nowMs: number, familyPay: '0' | '1', lastTtlSeconds: number): Promise<[string, string?]>;
}

export type RedisClient = (Redis | Cluster) & ScriptCommands;

/**
 * Commands this process has sent to Redis, by name — an EVALSHA counts once, however many commands
 * its script runs inside Redis (INFO commandstats counts those too). GET /metrics shows it as
 * mip_redis_commands_sent_total: the round trips behind the bench's per-flow figures (issue 14).
 */
export const commandsSent = new Map<string, number>();

function counted(r: Redis | Cluster): void {
  const send = r.sendCommand.bind(r) as (...a: unknown[]) => unknown;
  (r as { sendCommand: unknown }).sendCommand = (cmd: { name: string }, ...rest: unknown[]) => {
    commandsSent.set(cmd.name, (commandsSent.get(cmd.name) ?? 0) + 1);
    return send(cmd, ...rest);
  };
}

function defineScripts(r: Redis | Cluster): RedisClient {
  counted(r);
  r.defineCommand('orderWrite', { numberOfKeys: 7, lua: ORDER_WRITE });
  r.defineCommand('moveDue', { numberOfKeys: 2, lua: MOVE_DUE });
  r.defineCommand('jobSettle', { numberOfKeys: 3, lua: JOB_SETTLE });
  r.defineCommand('jobKeep', { numberOfKeys: 1, lua: JOB_KEEP });
  r.defineCommand('streamTrim', { numberOfKeys: 1, lua: STREAM_TRIM });
  r.defineCommand('enqueueJobs', { numberOfKeys: 2, lua: ENQUEUE });
  r.defineCommand('acceptOnce', { numberOfKeys: 2, lua: ACCEPT_ONCE });
  r.defineCommand('setIfEquals', { numberOfKeys: 1, lua: SET_IF_EQUALS });
  r.defineCommand('rateHit', { numberOfKeys: 1, lua: RATE_HIT });
  r.defineCommand('payauthTake', { numberOfKeys: 3, lua: PAYAUTH_TAKE });
  return r as RedisClient;
}

/** One Redis server (or the master a Sentinel set points at). */
const SERVER_OPTIONS = {
  // A command waits (queued) while Redis restarts or fails over instead of failing at once.
  maxRetriesPerRequest: 20,
  retryStrategy: (times: number) => Math.min(50 * times, 1000),
  enableOfflineQueue: true,
  // Commands issued in the same tick leave in one write: one syscall instead of many, which is
  // most of the BFF's Redis cost under load.
  enableAutoPipelining: true,
};

/**
 * `redis://host:port` for a single server (or a master behind a stable address);
 * `redis-sentinel://[:password@]host1:port1,host2:port2/masterName` for a Sentinel-managed master
 *   (ioredis asks the sentinels for the master and follows a failover);
 * `redis-cluster://host1:port1,host2:port2` for Redis Cluster. See docs/operations.md.
 */
export function connectRedis(url: string, opts: { lazy?: boolean; onError?: (err: Error) => void } = {}): RedisClient {
  const client = open(url, opts);
  if (opts.onError) watchErrors(client, opts.onError);
  return client;
}

/**
 * Connection errors (Redis restarting, a failover under way) are reported, at most once per 5 s
 * per connection, instead of ioredis' unstructured "Unhandled error event" on stderr; commands
 * meanwhile wait in the offline queue and are retried.
 */
const errorHandlers = new WeakMap<object, (err: Error) => void>();
function watchErrors(client: RedisClient, onError: (err: Error) => void): void {
  errorHandlers.set(client, onError);
  let last = 0;
  client.on('error', (err: Error) => {
    if (Date.now() - last < 5000) return;
    last = Date.now();
    onError(err);
  });
}

function open(url: string, opts: { lazy?: boolean }): RedisClient {
  const hostPorts = (list: string, defaultPort: number) =>
    list.split(',').map((hp) => {
      const [host, port] = hp.split(':');
      return { host, port: Number(port || defaultPort) };
    });
  if (url.startsWith('redis-cluster://')) {
    const nodes = hostPorts(url.slice('redis-cluster://'.length), 6379);
    return defineScripts(
      new Redis.Cluster(nodes, {
        lazyConnect: opts.lazy,
        enableAutoPipelining: true,
        // like a single server: a slot moving to a promoted replica or a cluster briefly down makes
        // commands wait and retry, not fail (tests/faults/cluster.test.ts)
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 500,
        retryDelayOnTryAgain: 200,
        clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
        redisOptions: { maxRetriesPerRequest: 20 },
      }),
    );
  }
  const sentinel = /^redis-sentinel:\/\/(?::([^@]*)@)?([^/]+)\/(.+)$/.exec(url);
  if (sentinel) {
    const [, password, list, name] = sentinel;
    return defineScripts(
      new Redis({
        sentinels: hostPorts(list, 26379),
        name: decodeURIComponent(name),
        ...(password ? { password: decodeURIComponent(password), sentinelPassword: decodeURIComponent(password) } : {}),
        lazyConnect: opts.lazy,
        ...SERVER_OPTIONS,
        sentinelRetryStrategy: (times: number) => Math.min(100 * times, 2000),
      }),
    );
  }
  return defineScripts(new Redis(url, { lazyConnect: opts.lazy, ...SERVER_OPTIONS }));
}

/** A second connection for blocking reads (XREADGROUP BLOCK must not hold up other commands). */
export function duplicateClient(r: RedisClient): RedisClient {
  const d = defineScripts((r as Redis).duplicate());
  const onError = errorHandlers.get(r);
  if (onError) watchErrors(d, onError);
  return d;
}
