import os from 'node:os';
import type { Job, JobType } from '../domain/jobs';
import { backoffMs } from '../domain/jobs';
import type { Logger } from '../obs/log';
import { requestContext } from '../obs/log';
import { Keys, SHARDS, shardOf } from './keys';
import { duplicateClient, type RedisClient } from './redis';
import type { JobOutcome, Jobs } from './port';

export type { JobOutcome };

/**
 * The durable queue: one Redis Stream per shard read through a consumer group, a delayed-job
 * sorted set per shard, and a dead-letter list. A job leaves the stream only when its handler
 * finished (XACK in the same Lua step that schedules a retry); a job held by a crashed process
 * stays pending and is claimed by another consumer after `claimIdleMs`. Acknowledged entries are
 * trimmed now and then per shard (STREAM_TRIM), not deleted one by one.
 */
export const GROUP = 'workers';

/**
 * `redelivered`: the entry was claimed from a consumer that read it before (XAUTOCLAIM), so it may
 * have run, in part or whole; an entry read as new (XREADGROUP `>`) has never been handed to anyone.
 */
export type JobHandler = (job: Job & { attempt: number; redelivered: boolean }) => Promise<JobOutcome>;

/**
 * Delayed jobs written by this process, announced to its workers so that their timers move them
 * on time without asking every shard every tick; a worker still scans all shards every
 * `scanMs` for jobs other processes delayed. An announcement of another key prefix only costs
 * one extra look.
 */
const dueListeners = new Set<(shard: number, dueMs: number) => void>();
export function announceDelayed(shard: number, dueMs: number): void {
  for (const l of dueListeners) l(shard, dueMs);
}

/** A job as the stream and the delayed set hold it. */
export function jobFields(j: Job): string {
  const { type, key, data } = j;
  return JSON.stringify({ type, key, ...(data ? { data } : {}), attempt: j.attempt ?? 1 });
}

export interface WorkerOptions {
  consumer?: string;
  concurrency: number;
  claimIdleMs: number;
  /** default retry delay for a thrown error */
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  blockMs?: number;
  /** how often every shard's delayed jobs are looked at (those this process wrote are moved when due) */
  scanMs?: number;
  /** how often the shards this process acknowledged jobs in are trimmed of them (default 5000) */
  trimMs?: number;
}

export class JobQueue implements Jobs {
  constructor(readonly redis: RedisClient, readonly keys: Keys) {}

  async enqueue(...jobs: Job[]): Promise<void> {
    const now = Date.now();
    const byShard = new Map<number, Job[]>();
    for (const j of jobs) {
      const s = shardOf(j.key);
      byShard.set(s, [...(byShard.get(s) ?? []), j]);
    }
    await Promise.all(
      [...byShard].map(async ([s, js]) => {
        // one job due now is one XADD; several, or a delayed one, one Lua step
        if (js.length === 1 && !js[0].delayMs) return void (await this.redis.xadd(this.keys.jobs(s), '*', 'job', jobFields(js[0])));
        const args: (string | number)[] = [this.keys.jobs(s), this.keys.delayed(s), now, js.length];
        for (const j of js) {
          args.push(jobFields(j), now + (j.delayMs ?? 0));
          if (j.delayMs) announceDelayed(s, now + j.delayMs);
        }
        await this.redis.enqueueJobs(...args);
      }),
    );
  }

  async ensureGroups(): Promise<void> {
    await Promise.all(
      Array.from({ length: SHARDS }, async (_, s) => {
        try {
          await this.redis.xgroup('CREATE', this.keys.jobs(s), GROUP, '0', 'MKSTREAM');
        } catch (err) {
          if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
        }
      }),
    );
  }

  /**
   * Jobs waiting in streams (not yet handed out), pending with consumers, and delayed — for
   * metrics and tests. A stream also holds acknowledged entries until its next trim, so what is
   * ready is the group's lag, or the entries after its last-delivered-id where Redis cannot tell.
   */
  async depth(): Promise<{ ready: number; pending: number; delayed: number; dead: number }> {
    const out = { ready: 0, pending: 0, delayed: 0, dead: 0 };
    await Promise.all(
      Array.from({ length: SHARDS }, async (_, s) => {
        const stream = this.keys.jobs(s);
        const [group, del, dead] = await Promise.all([this.groupInfo(stream), this.redis.zcard(this.keys.delayed(s)), this.redis.llen(this.keys.dead(s))]);
        if (group) {
          out.pending += group.pending;
          out.ready += group.lag ?? ((await this.redis.xrange(stream, `(${group.lastDeliveredId}`, '+', 'COUNT', 10_000)) as unknown[]).length;
        }
        out.delayed += del;
        out.dead += dead;
      }),
    );
    return out;
  }

  private async groupInfo(stream: string): Promise<{ pending: number; lastDeliveredId: string; lag: number | null } | null> {
    const groups = (await this.redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][];
    for (const g of groups) {
      const f = new Map<string, unknown>();
      for (let i = 0; i < g.length; i += 2) f.set(String(g[i]), g[i + 1]);
      if (f.get('name') !== GROUP) continue;
      const lag = f.get('lag');
      return { pending: Number(f.get('pending') ?? 0), lastDeliveredId: String(f.get('last-delivered-id') ?? '0-0'), lag: lag === null || lag === undefined ? null : Number(lag) };
    }
    return null;
  }
}

export class Worker {
  private running = false;
  private inFlight = 0;
  private readonly loops: Promise<void>[] = [];
  private readonly blocking: RedisClient[] = [];
  private readonly consumer: string;
  private wake: (() => void)[] = [];
  /** `${shard}:${entryId}` of entries this process is working on: never claimed back from ourselves */
  private readonly inFlightIds = new Set<string>();
  /** per shard: when its next delayed job is due, as far as this process knows */
  private readonly nextDue: number[] = Array.from({ length: SHARDS }, () => 0);
  /** shards this process acknowledged jobs in since their last trim */
  private readonly acked = new Set<number>();
  private readonly onDelayed = (shard: number, dueMs: number) => {
    this.nextDue[shard] = Math.min(this.nextDue[shard], dueMs);
  };

  constructor(
    private readonly queue: JobQueue,
    private readonly handlers: Partial<Record<JobType, JobHandler>>,
    private readonly opts: WorkerOptions,
    private readonly log: Logger,
  ) {
    this.consumer = opts.consumer ?? `${os.hostname()}-${process.pid}`;
  }

  async start(): Promise<void> {
    await this.queue.ensureGroups();
    this.running = true;
    dueListeners.add(this.onDelayed);
    for (let s = 0; s < SHARDS; s++) {
      const conn = duplicateClient(this.queue.redis);
      this.blocking.push(conn);
      this.loops.push(this.readLoop(s, conn));
    }
    this.loops.push(this.timerLoop());
  }

  async stop(): Promise<void> {
    this.running = false;
    dueListeners.delete(this.onDelayed);
    for (const w of this.wake.splice(0)) w();
    for (const c of this.blocking) c.disconnect();
    await Promise.allSettled(this.loops);
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 20));
    await this.trimAcked();
  }

  private async slot(): Promise<void> {
    while (this.inFlight >= this.opts.concurrency) await new Promise<void>((r) => this.wake.push(r));
    this.inFlight++;
  }

  private release(): void {
    this.inFlight--;
    this.wake.shift()?.();
  }

  private async readLoop(shard: number, conn: RedisClient): Promise<void> {
    const stream = this.queue.keys.jobs(shard);
    while (this.running) {
      try {
        const res = (await conn.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', 16, 'BLOCK', this.opts.blockMs ?? 5000, 'STREAMS', stream, '>')) as
          | [string, [string, string[]][]][]
          | null;
        if (!res) continue;
        for (const [, entries] of res) for (const [id, fields] of entries) await this.dispatch(shard, id, fields, false);
      } catch (err) {
        if (!this.running) return;
        this.log.warn({ err: (err as Error).message, shard }, 'queue read failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /**
   * Moves due delayed jobs (a shard is asked when a job is due there, and every shard every
   * scanMs) and claims jobs abandoned by dead consumers (every claimIdleMs / 3).
   */
  private async timerLoop(): Promise<void> {
    const r = this.queue.redis;
    const k = this.queue.keys;
    const scanMs = this.opts.scanMs ?? 1000;
    const claimEveryMs = Math.max(100, Math.floor(this.opts.claimIdleMs / 3));
    const trimMs = this.opts.trimMs ?? 5000;
    let lastScan = 0;
    let lastClaim = 0;
    let lastTrim = Date.now();
    while (this.running) {
      try {
        const now = Date.now();
        const all = now - lastScan >= scanMs;
        if (all) lastScan = now;
        const due = Array.from({ length: SHARDS }, (_, s) => s).filter((s) => all || this.nextDue[s] <= now);
        await Promise.all(
          due.map(async (s) => {
            this.nextDue[s] = Infinity; // announcements made meanwhile lower it again
            try {
              // the scan only reads the earliest due time (one ZRANGE); the Lua step runs when a job is due
              const [, first] = all ? await r.zrange(k.delayed(s), '0', '0', 'WITHSCORES') : [undefined, String(now)];
              const next = first === undefined ? -1 : Number(first) > now ? Number(first) : Number(await r.moveDue(k.delayed(s), k.jobs(s), now, 200));
              this.nextDue[s] = Math.min(this.nextDue[s], next < 0 ? Infinity : next);
            } catch (err) {
              this.nextDue[s] = 0;
              throw err;
            }
          }),
        );
        if (now - lastClaim >= claimEveryMs) {
          lastClaim = now;
          for (let s = 0; s < SHARDS && this.running; s++) {
            const res = (await r.xautoclaim(k.jobs(s), GROUP, this.consumer, this.opts.claimIdleMs, '0-0', 'COUNT', 50)) as [string, [string, string[]][]];
            for (const [id, fields] of res[1] ?? []) if (fields) await this.dispatch(s, id, fields, true);
          }
        }
        if (now - lastTrim >= trimMs) {
          lastTrim = now;
          await this.trimAcked();
        }
      } catch (err) {
        if (this.running) this.log.warn({ err: (err as Error).message }, 'queue timer failed; retrying');
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  /** Trims the shards this process acknowledged jobs in (STREAM_TRIM); also on stop. */
  private async trimAcked(): Promise<void> {
    const shards = [...this.acked];
    this.acked.clear();
    await Promise.all(
      shards.map((s) =>
        this.queue.redis.streamTrim(this.queue.keys.jobs(s)).catch((err: Error) => {
          this.acked.add(s);
          this.log.warn({ err: err.message, shard: s }, 'job stream trim failed; retrying later');
        }),
      ),
    );
  }

  private async dispatch(shard: number, id: string, fields: string[], redelivered: boolean): Promise<void> {
    // Entry ids are per stream: two shards can hand out the same id in the same millisecond.
    const ref = `${shard}:${id}`;
    if (this.inFlightIds.has(ref)) return;
    this.inFlightIds.add(ref);
    await this.slot();
    void this.run(shard, id, fields, redelivered)
      .catch((err: Error) => this.log.error({ err: err.message, id }, 'job bookkeeping failed; the entry stays pending'))
      .finally(() => {
        this.inFlightIds.delete(ref);
        this.release();
      });
  }

  private async run(shard: number, id: string, fields: string[], redelivered: boolean): Promise<void> {
    const k = this.queue.keys;
    const raw = fields[fields.indexOf('job') + 1];
    let stored: Job & { attempt: number };
    try {
      stored = JSON.parse(raw) as Job & { attempt: number };
    } catch {
      await this.queue.redis.jobSettle(k.jobs(shard), k.delayed(shard), k.dead(shard), GROUP, id, 'dead', raw ?? '', 0);
      return;
    }
    const job = { ...stored, redelivered };
    const handler = this.handlers[job.type];
    let outcome: JobOutcome;
    const started = Date.now();
    // Keep the lease while the handler runs: a job that takes longer than claimIdleMs (peer
    // timeouts, a reversal of several steps) must not be claimed and run a second time, at
    // once, by another process — for a HIS write-back that is a double booking.
    const beat = setInterval(() => {
      this.queue.redis
        .jobKeep(k.jobs(shard), GROUP, id, this.consumer)
        .then((kept) => {
          if (!kept) this.log.warn({ job: job.type, key: job.key, id }, 'job lease lost to another consumer while running');
        })
        .catch(() => undefined);
    }, Math.max(100, Math.floor(this.opts.claimIdleMs / 3)));
    try {
      if (!handler) throw new Error(`no handler for ${job.type}`);
      outcome = await requestContext.run({ requestId: `job-${job.type}-${job.key}-${job.attempt}` }, () => handler(job));
    } catch (err) {
      this.log.warn({ job: job.type, key: job.key, attempt: job.attempt, err: (err as Error).message }, 'job failed');
      outcome = { retryInMs: backoffMs(job.attempt, this.opts.retryBaseMs, this.opts.retryMaxMs), reason: (err as Error).message };
    } finally {
      clearInterval(beat);
    }
    this.log.debug({ job: job.type, key: job.key, ms: Date.now() - started, outcome }, 'job ran');
    if (outcome === 'done') {
      // one XACK: the entry itself goes with the shard's next trim (trimAcked)
      await this.queue.redis.xack(k.jobs(shard), GROUP, id);
      this.acked.add(shard);
    } else if ('dead' in outcome || job.attempt >= this.opts.maxAttempts) {
      const reason = 'dead' in outcome ? outcome.dead : `gave up after ${job.attempt} attempts`;
      this.log.error({ job: job.type, key: job.key, reason }, 'job moved to dead letters');
      await this.queue.redis.jobSettle(k.jobs(shard), k.delayed(shard), k.dead(shard), GROUP, id, 'dead', JSON.stringify({ ...stored, reason }), 0);
    } else {
      const next = JSON.stringify({ ...stored, attempt: job.attempt + 1 });
      const due = Date.now() + outcome.retryInMs;
      await this.queue.redis.jobSettle(k.jobs(shard), k.delayed(shard), k.dead(shard), GROUP, id, 'retry', next, due);
      announceDelayed(shard, due);
    }
  }
}
