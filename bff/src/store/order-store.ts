import { chinaCompactDay, isFinal, ORDER_STATES } from '@mip/shared';
import type { Change } from '../domain/change';
import type { Job } from '../domain/jobs';
import type { Order } from '../domain/order';
import { Keys, SHARDS, shardOf } from './keys';
import type { RedisClient } from './redis';
import { publishStateChange } from './order-waiters';
import { announceDelayed, jobFields } from './queue';
import { OrderExistsError, type Decision, type Orders, type PeerCallRecord, type StepExtras } from './port';

export { OrderExistsError, type Decision, type PeerCallRecord, type StepExtras };

/** the order hash's field holding the pay parameters a repeated tap gets again (StepExtras.payParams) */
export const PAY_PARAMS_FIELD = 'pay';

/**
 * Transitions made inside the patient's own pay request (6201 → fee_uploaded, 6202 → awaiting
 * payment): the request's answer carries the new state, and nobody waits on a status request
 * while it runs, so no PUBLISH (a waiter that did would see the change at its deadline).
 */
function wakesWaiters(from: string, to: string): boolean {
  return !((from === 'created' || from === 'fee_uploaded') && (to === 'fee_uploaded' || to === 'awaiting_payment'));
}

/** peer-call records written with a step are fields of the order hash named `call:<at>:<pid>.<sequence>` */
const CALL_FIELD = 'call:';
let callSeq = 0;

function extraFields(extras: StepExtras | undefined, calls: PeerCallRecord[]): string[] {
  const out = extras?.payParams ? [PAY_PARAMS_FIELD, JSON.stringify(extras.payParams)] : [];
  for (const c of calls) out.push(`${CALL_FIELD}${c.at}:${process.pid}.${(callSeq = (callSeq + 1) % 1e6)}`, JSON.stringify(c)); // unique per process and millisecond
  return out;
}

/**
 * How long a peer-call record waits for the order's next step to carry it (the step that records
 * the call's answer usually follows within a millisecond or two) before it is written alone.
 */
const CALL_CARRY_MS = 20;

export class ConcurrentUpdateError extends Error {
  constructor(orderNo: string) {
    super(`order ${orderNo}: too many concurrent updates`);
  }
}

/** yyyymmdd in China time, the day an order belongs to for bills and staff search. */
export function dayOf(iso: string | Date): string {
  return chinaCompactDay(iso);
}

function jobArgs(shard: number, jobs: Job[], now: number): (string | number)[] {
  const out: (string | number)[] = [jobs.length];
  for (const j of jobs) {
    out.push(jobFields(j), now + (j.delayMs ?? 0));
    if (j.delayMs) announceDelayed(shard, now + j.delayMs);
  }
  return out;
}

/**
 * Orders in Redis. Every change is one Lua step: compare the version, write the new document,
 * update the indexes and append the follow-up jobs to the shard's durable queue — all or nothing.
 * Decisions are pure functions re-run on the fresh order after a lost race.
 */
export class OrderStore implements Orders {
  /** peer-call records waiting for their order's next step, by order number */
  private readonly pendingCalls = new Map<string, { calls: PeerCallRecord[]; timer: NodeJS.Timeout }>();

  constructor(readonly redis: RedisClient, readonly keys: Keys) {}

  private takeCalls(orderNo: string): PeerCallRecord[] {
    const p = this.pendingCalls.get(orderNo);
    if (!p) return [];
    clearTimeout(p.timer);
    this.pendingCalls.delete(orderNo);
    return p.calls;
  }

  private writeArgs(order: Order, doc: string, expected: number, oldState: string, jobs: Job[], now: number, fields: string[] = [], cancels: Job[] = []): (string | number)[] {
    const shard = shardOf(order.orderNo);
    const k = this.keys;
    return [
      k.order(order.orderNo), k.jobs(shard), k.delayed(shard), k.states(shard), k.review(shard), k.open(shard),
      k.day(shard, dayOf(order.createdAt)),
      String(expected), String(order.version), doc, order.orderNo, oldState, order.state,
      `${isFinal(order.state) ? 1 : 0}${oldState !== '' && isFinal(oldState as Order['state']) ? 1 : 0}`, Date.parse(order.createdAt), now,
      ...jobArgs(shard, jobs, now),
      fields.length / 2, ...fields,
      cancels.length, ...cancels.map(jobFields),
    ];
  }

  async create(order: Order, jobs: Job[] = []): Promise<void> {
    const o = { ...order, version: 1 };
    const r = await this.redis.orderWrite(...this.writeArgs(o, JSON.stringify(o), 0, '', jobs, Date.now()));
    if (r === 'EXISTS') throw new OrderExistsError(order.orderNo);
  }

  async get(orderNo: string): Promise<Order | null> {
    const doc = await this.redis.hget(this.keys.order(orderNo), 'doc');
    return doc ? (JSON.parse(doc) as Order) : null;
  }

  async getMany(orderNos: string[]): Promise<Order[]> {
    const docs = await Promise.all(orderNos.map((n) => this.get(n)));
    return docs.filter((d): d is Order => d !== null);
  }

  /**
   * Applies a decision with optimistic concurrency. Returns the stored order and the change
   * (null when the decision found nothing to do). `known`: the order as the caller last read or
   * wrote it, tried first instead of reading it again; a newer stored version makes the step
   * refuse (version check), and the decision is re-run on a fresh read.
   */
  async update(orderNo: string, decide: Decision, known?: Order, extras?: StepExtras): Promise<{ order: Order; change: Change | null }> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = attempt === 0 && known ? known : await this.get(orderNo);
      if (!current) throw new Error(`order ${orderNo} not found`);
      const change = decide(current);
      if (!change) return { order: current, change: null };
      const next = { ...change.order, version: current.version + 1 };
      const calls = this.takeCalls(orderNo);
      const doc = JSON.stringify(next);
      const r = await this.redis
        .orderWrite(...this.writeArgs(next, doc, current.version, current.state, change.jobs, Date.now(), extraFields(extras, calls), change.cancels))
        .catch((err: Error) => {
          this.requeueCalls(orderNo, calls);
          throw err;
        });
      if (r !== 'OK') this.requeueCalls(orderNo, calls); // for the next try, or alone
      if (r === 'OK') {
        if (next.state !== current.state && wakesWaiters(current.state, next.state)) publishStateChange(this.redis, this.keys, orderNo, doc); // wakes status requests (order-waiters.ts)
        return { order: next, change: { ...change, order: next } };
      }
      if (attempt > 2) await new Promise((res) => setTimeout(res, Math.random() * 5 * attempt));
    }
    throw new ConcurrentUpdateError(orderNo);
  }

  /**
   * Records a peer call: carried by the order's next step in this process when one follows
   * within CALL_CARRY_MS (no command of its own), else written alone to the order's call list.
   */
  async appendCall(orderNo: string, call: PeerCallRecord): Promise<void> {
    const p = this.pendingCalls.get(orderNo);
    if (p) return void p.calls.push(call);
    const timer = setTimeout(() => this.writeCalls(orderNo, this.takeCalls(orderNo)).catch(() => undefined), CALL_CARRY_MS); // a lost record is a gap in staff's timeline, never a change of money
    timer.unref();
    this.pendingCalls.set(orderNo, { calls: [call], timer });
  }

  private async writeCalls(orderNo: string, calls: PeerCallRecord[]): Promise<void> {
    if (!calls.length) return;
    const key = this.keys.calls(orderNo);
    // the list is cut back to its last 500 entries only once it is longer
    if ((await this.redis.rpush(key, ...calls.map((c) => JSON.stringify(c)))) > 500) await this.redis.ltrim(key, -500, -1);
  }

  private requeueCalls(orderNo: string, calls: PeerCallRecord[]): void {
    for (const c of calls) void this.appendCall(orderNo, c);
  }

  /** Writes the records still waiting for a step (at shutdown). */
  async flushCalls(): Promise<void> {
    await Promise.all([...this.pendingCalls.keys()].map((no) => this.writeCalls(no, this.takeCalls(no))));
  }

  /** The order's peer calls, oldest first: the call list and the records its steps carried. */
  async calls(orderNo: string): Promise<PeerCallRecord[]> {
    const [rows, fields] = await Promise.all([this.redis.lrange(this.keys.calls(orderNo), 0, -1), this.redis.hgetall(this.keys.order(orderNo))]);
    const carried = Object.entries(fields).filter(([k]) => k.startsWith(CALL_FIELD)).map(([, v]) => v);
    return [...rows, ...carried].map((r) => JSON.parse(r) as PeerCallRecord).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  async setRef(kind: string, ref: string, orderNo: string): Promise<void> {
    await this.redis.set(this.keys.ref(kind, ref), orderNo, 'EX', 400 * 24 * 3600);
  }

  /**
   * A channel's out_trade_no (`<channel>-out`) is the order number itself unless a reference says
   * otherwise (flows/channel-payment.ts writes one only then).
   */
  async byRef(kind: string, ref: string): Promise<string | null> {
    const found = await this.redis.get(this.keys.ref(kind, ref));
    if (found || !kind.endsWith('-out')) return found;
    return (await this.redis.exists(this.keys.order(ref))) === 1 ? ref : null;
  }

  async addToOwner(ownerKey: string, orderNo: string, createdAtMs: number): Promise<void> {
    await this.redis.zadd(this.keys.ownerOrders(ownerKey), createdAtMs, orderNo);
  }

  async ownerOrderNos(ownerKey: string, limit = 50): Promise<string[]> {
    return this.redis.zrevrange(this.keys.ownerOrders(ownerKey), 0, limit - 1);
  }

  async orderNosOfDay(yyyymmdd: string): Promise<string[]> {
    const all = await Promise.all(Array.from({ length: SHARDS }, (_, s) => this.redis.zrange(this.keys.day(s, yyyymmdd), '0', '-1')));
    return all.flat();
  }

  async reviewOrderNos(): Promise<string[]> {
    const all = await Promise.all(Array.from({ length: SHARDS }, (_, s) => this.redis.zrange(this.keys.review(s), '0', '-1')));
    return all.flat();
  }

  async openOrderNos(olderThanMs?: number): Promise<string[]> {
    const max = olderThanMs === undefined ? '+inf' : String(Date.now() - olderThanMs);
    const all = await Promise.all(Array.from({ length: SHARDS }, (_, s) => this.redis.zrangebyscore(this.keys.open(s), '-inf', max)));
    return all.flat();
  }

  /**
   * Orders by state: the finished ones from the transitions into and out of final states (the
   * states hash, ORDER_WRITE), the open ones from the open index and each order's `s` field
   * (one HGET per open order; the open ones are the few in flight or waiting for a person).
   */
  async countByState(): Promise<Record<string, number>> {
    const out: Record<string, number> = Object.fromEntries(ORDER_STATES.map((st) => [st, 0]));
    const add = (state: string, n: number) => (out[state] = (out[state] ?? 0) + n);
    await Promise.all(
      Array.from({ length: SHARDS }, async (_, s) => {
        const [transitions, open] = await Promise.all([this.redis.hgetall(this.keys.states(s)), this.redis.zrange(this.keys.open(s), '0', '-1')]);
        for (const [k, v] of Object.entries(transitions)) {
          // `old>new` — and plain per-state or non-final transition fields written before: only final states count from here
          const [from, to] = k.includes('>') ? k.split('>') : ['', k];
          if (isFinal(to as Order['state'])) add(to, Number(v));
          if (from && isFinal(from as Order['state'])) add(from, -Number(v));
        }
        const states = await Promise.all(
          open.map(async (no) => {
            const st = await this.redis.hget(this.keys.order(no), 's');
            return st ?? (await this.get(no))?.state; // an order written before `s` was kept: its document
          }),
        );
        for (const state of states) if (state) add(state, 1);
      }),
    );
    return out;
  }
}
