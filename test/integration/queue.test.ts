import { spawn } from 'node:child_process';
import path from 'node:path';
import { Keys, shardOf } from '../../bff/src/store/keys';
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';
import { GROUP, JobQueue, Worker, type JobHandler } from '../../bff/src/store/queue';
import { createLogger } from '../../bff/src/obs/log';
import { job } from '../../bff/src/domain/jobs';
import { nodeArgs } from '../../scripts/stack/service';
import { testRedis } from '../support/redis';
import { waitFor, waitForValue } from '../support/wait';

const log = createLogger('queue-test', 'silent');
const opts = { concurrency: 4, claimIdleMs: 400, retryBaseMs: 50, retryMaxMs: 200, maxAttempts: 4, blockMs: 100 };

describe('the durable job queue', () => {
  let redis: Awaited<ReturnType<typeof testRedis>>;
  let client: RedisClient;
  let queue: JobQueue;
  const prefix = 'q:';

  beforeAll(async () => {
    redis = await testRedis();
    client = connectRedis(redis.url);
    queue = new JobQueue(client, new Keys(prefix));
    await queue.ensureGroups();
  });
  afterAll(async () => {
    client.disconnect();
    await redis.cleanup();
  });

  it('gives the pending job of a killed worker process to another worker', async () => {
    const child = spawn(process.execPath, nodeArgs(path.join(__dirname, '../support/worker-child.ts')), {
      env: { ...process.env, REDIS_URL: redis.url, PREFIX: prefix, CONSUMER: 'doomed' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('"started"'), 20_000);
    await queue.enqueue(job('his.writeBack', 'ORDER-KILLED-1'));
    await waitFor(() => out.includes('ORDER-KILLED-1'));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const seen: string[] = [];
    const handler: JobHandler = async (j) => (seen.push(j.key), 'done');
    const survivor = new Worker(queue, { 'his.writeBack': handler }, { ...opts, consumer: 'survivor' }, log);
    await survivor.start();
    await waitFor(() => seen.includes('ORDER-KILLED-1'));
    await survivor.stop();
    expect(seen.filter((k) => k === 'ORDER-KILLED-1')).toHaveLength(1);
    expect((await queue.depth()).pending).toBe(0);
  });

  it('runs a burst of jobs across shards at once, even when two shards hand out the same entry id', async () => {
    const ran = new Set<string>();
    const w = new Worker(queue, { 'payment.poll': async (j) => (ran.add(j.key), 'done') }, { ...opts, consumer: 'burst', claimIdleMs: 60_000 }, log);
    await w.start();
    const keys = Array.from({ length: 200 }, (_, i) => `BURST-${i}`);
    await Promise.all(keys.map((k) => queue.enqueue(job('payment.poll', k))));
    await waitFor(() => ran.size === keys.length, 5000);
    await w.stop();
    expect(ran.size).toBe(200);
  });

  it('retries a failing job with back-off and stops once it succeeds', async () => {
    let calls = 0;
    const w = new Worker(queue, { 'settlement.poll': async () => (++calls < 3 ? { retryInMs: 50 } : 'done') }, { ...opts, consumer: 'retry' }, log);
    await w.start();
    await queue.enqueue(job('settlement.poll', 'ORDER-RETRY-1'));
    await waitFor(() => calls === 3);
    // the job is acknowledged and nothing is scheduled for it: no further call can come
    await waitForValue('the queue to be empty', async () => {
      const d = await queue.depth();
      return d.ready + d.pending + d.delayed === 0 ? d : undefined;
    });
    await w.stop();
    expect(calls).toBe(3);
  });

  it('runs a delayed job no earlier than its time', async () => {
    let ranAt = 0;
    const w = new Worker(queue, { 'order.expire': async () => ((ranAt = Date.now()), 'done') }, { ...opts, consumer: 'delay' }, log);
    await w.start();
    const queuedAt = Date.now();
    await queue.enqueue(job('order.expire', 'ORDER-DELAY-1', { delayMs: 500 }));
    await waitFor(() => ranAt > 0);
    await w.stop();
    expect(ranAt - queuedAt).toBeGreaterThanOrEqual(500);
  });

  it('runs a delayed job another process wrote (found by the scan of every shard)', async () => {
    const k = new Keys(prefix);
    const key = 'ORDER-ELSEWHERE-1';
    const ran: string[] = [];
    const w = new Worker(queue, { 'payment.poll': async (j) => (ran.push(j.key), 'done') }, { ...opts, consumer: 'scan', scanMs: 200 }, log);
    await w.start();
    // written straight into the delayed set, as another process's step does: no announcement here
    await client.zadd(k.delayed(shardOf(key)), Date.now() + 300, JSON.stringify({ type: 'payment.poll', key, attempt: 1 }));
    await waitFor(() => ran.includes(key), 5000);
    await w.stop();
  });

  it('tells a handler whether its entry may have run before: read new, or claimed from another consumer', async () => {
    const k = new Keys('qr:');
    const own = new JobQueue(client, k);
    await own.ensureGroups();
    const key = 'ORDER-CLAIMED-1';
    await own.enqueue(job('payment.poll', key));
    // a consumer that read the entry and died before acknowledging it
    await client.xreadgroup('GROUP', 'workers', 'ghost', 'COUNT', 10, 'STREAMS', k.jobs(shardOf(key)), '>');
    const seen = new Map<string, boolean>();
    const w = new Worker(own, { 'payment.poll': async (j) => (seen.set(j.key, j.redelivered), 'done') }, { ...opts, consumer: 'heir', claimIdleMs: 200 }, log);
    await w.start();
    await own.enqueue(job('payment.poll', 'ORDER-FRESH-1'));
    await waitFor(() => seen.size === 2, 5000);
    await w.stop();
    expect(Object.fromEntries(seen)).toEqual({ [key]: true, 'ORDER-FRESH-1': false });
  });

  it('moves a job that keeps failing to the dead letters after its last attempt', async () => {
    const w = new Worker(queue, { 'message.deliver': async () => { throw new Error('channel down'); } }, { ...opts, consumer: 'dead' }, log);
    await w.start();
    await queue.enqueue(job('message.deliver', 'EVENT-DEAD-1'));
    let dead = 0;
    const poll = setInterval(() => void queue.depth().then((d) => (dead = d.dead)), 50);
    await waitFor(() => dead === 1).finally(() => clearInterval(poll));
    await w.stop();
    expect((await queue.depth()).dead).toBe(1);
  });

  it('keeps queued jobs across a Redis crash and restart', async () => {
    await queue.enqueue(job('refund.run', 'ORDER-AOF-1', { delayMs: 60_000 }));
    await redis.restart();
    const depth = await queue.depth();
    expect(depth.delayed).toBeGreaterThanOrEqual(1);
  });

  it('trims only entries the group has acknowledged, never one pending or not yet handed out', async () => {
    const stream = 'trim-test:jobs';
    await client.xgroup('CREATE', stream, GROUP, '0', 'MKSTREAM');
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) ids.push((await client.xadd(stream, '*', 'job', String(i)))!);
    await client.xreadgroup('GROUP', GROUP, 'c', 'COUNT', 3, 'STREAMS', stream, '>');
    await client.xack(stream, GROUP, ids[0], ids[2]);

    expect(await client.streamTrim(stream)).toBe(1);
    const left = (await client.xrange(stream, '-', '+')).map(([id]) => id);
    expect(left).toEqual([ids[1], ids[2], ids[3]]);
  });

  it('leaves the stream holding no finished job after the worker stops', async () => {
    const w = new Worker(queue, { 'refund.notice': async () => 'done' }, { ...opts, consumer: 'trimmer', claimIdleMs: 60_000 }, log);
    await w.start();
    const key = 'ORDER-TRIMMED-1';
    for (let i = 0; i < 5; i++) await queue.enqueue(job('refund.notice', key, { data: { n: String(i) } }));
    await waitForValue('the jobs to be acknowledged', async () => {
      const d = await queue.depth();
      return d.ready + d.pending === 0 ? d : undefined;
    });
    await w.stop();
    // the last entry handed out stays (it marks where the group stands); the ones before it go
    expect(await client.xlen(new Keys(prefix).jobs(shardOf(key)))).toBeLessThanOrEqual(1);
  });
});
