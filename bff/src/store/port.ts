/**
 * The small named stores flows use (issue 13.2): each names what it keeps, never a Redis key.
 * Implementations: store/named-stores.ts, store/kiosk-visit-store.ts, store/order-store.ts and
 * store/queue.ts (Redis), wired in app/wiring.ts. Flows import this file, never the Redis client
 * nor an implementation (issue 13.3, rule flows-to-domain-and-ports).
 */
import type { PayParams } from '@mip/shared';
import type { Change } from '../domain/change';
import type { Job } from '../domain/jobs';
import type { Order } from '../domain/order';

/** Orders.create: an order with that number is already there (a repeated create, never overwritten). */
export class OrderExistsError extends Error {
  constructor(orderNo: string) {
    super(`order ${orderNo} already exists`);
  }
}

/** A pure decision on the fresh order: the change to make, or null for none (re-run after a lost race). */
export type Decision = (order: Order) => Change | null;

/** One call to a peer made for an order, kept for the staff console's timeline. */
export interface PeerCallRecord {
  at: string;
  peer: string;
  op: string;
  ms: number;
  outcome: string;
  requestId?: string;
  detail?: string;
}

/** The pay parameters kept for a repeated tap, and until when they may be handed out. */
export interface StoredPayParams {
  params: PayParams;
  expiresAt: string;
}

/** What a step writes beside the order document, in the same atomic write. */
export interface StepExtras {
  payParams?: StoredPayParams;
}

/**
 * The orders as flows see them (implementation: OrderStore in store/order-store.ts, which also
 * answers the staff console and operations). `update` is one atomic step: version compare, new
 * document, indexes and the change's jobs together.
 */
export interface Orders {
  create(order: Order, jobs?: Job[]): Promise<void>;
  get(orderNo: string): Promise<Order | null>;
  getMany(orderNos: string[]): Promise<Order[]>;
  /** `known`: the order the caller already holds, so the step need not read it again (its version is checked) */
  update(orderNo: string, decide: Decision, known?: Order, extras?: StepExtras): Promise<{ order: Order; change: Change | null }>;
  appendCall(orderNo: string, call: PeerCallRecord): Promise<void>;
  /** an outside reference (a channel's trade number, the centre's payOrdId …) to the order's number */
  setRef(kind: string, ref: string, orderNo: string): Promise<void>;
  byRef(kind: string, ref: string): Promise<string | null>;
  addToOwner(ownerKey: string, orderNo: string, createdAtMs: number): Promise<void>;
  /** the owner's newest orders first */
  ownerOrderNos(ownerKey: string, limit?: number): Promise<string[]>;
}

/** What a job handler answers: done, try again later, or give up (dead-letter). */
export type JobOutcome = 'done' | { retryInMs: number; reason?: string } | { dead: string };

/** The durable queue as flows see it (implementation: JobQueue in store/queue.ts). */
export interface Jobs {
  enqueue(...jobs: Job[]): Promise<void>;
}

/**
 * A client's Idempotency-Key, claimed before anything is done (flows/ordering.ts). The value is
 * the caller's own claim text; `scope` is whom the key is unique for (a patient, a kiosk visit).
 */
export interface IdempotencyClaims {
  /** true when the key was free and is now ours (for ttlSeconds) */
  claim(scope: string, key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** overwrites the claim (e.g. marks it free to be taken over) */
  put(scope: string, key: string, value: string, ttlSeconds: number): Promise<void>;
  read(scope: string, key: string): Promise<string | null>;
  /** replaces the claim only while it still reads `expected`; keeps its expiry */
  replaceIf(scope: string, key: string, expected: string, next: string): Promise<boolean>;
  release(scope: string, key: string): Promise<void>;
}

/**
 * The pay parameters a repeated tap gets again (flows/paying.ts), for as long as the pay window:
 * written with the step that records the channel's order (StepExtras.payParams).
 */
export interface PayParamsStore {
  get(orderNo: string): Promise<PayParams | null>;
}

/** HIS's paid-event messages (flows/messages.ts): accepted once per event id, then their delivery record. */
export interface MessageRecords<R> {
  /**
   * Stores the record and its delivery job in one atomic step when the event id is new (null);
   * else changes nothing and answers the record already stored under that id.
   */
  accept(eventId: string, record: R, ttlSeconds: number, deliver: Job): Promise<R | null>;
  put(eventId: string, record: R, ttlSeconds: number): Promise<void>;
  get(eventId: string): Promise<R | null>;
}

/** Short leases by name (flows/lock.ts) and "at most once per interval" gates (flows/confirming.ts). */
export interface Locks {
  /** a token when the lease was free and is now ours for ttlMs, else null */
  acquire(name: string, ttlMs: number): Promise<string | null>;
  /** gives the lease back if it is still ours */
  release(name: string, token: string): Promise<void>;
}

/** Orders with a refund asked for on a day (China time), for that day's bills (reconciliation). */
export interface RefundDayIndex {
  note(orderNo: string, day: string): Promise<void>;
  /** the orders with a refund asked for on that China day (yyyy-MM-dd) */
  orderNos(day: string): Promise<string[]>;
}

/** A kiosk visit's record and the orders made in it (kiosk/visits.ts). */
export interface KioskVisitStore<V> {
  put(visitId: string, visit: V, ttlMs: number): Promise<void>;
  /** the visit, its idle timeout restarted by `ttlMs(visit)`; null when missing or when ttlMs ≤ 0 */
  touch(visitId: string, ttlMs: (visit: V) => number): Promise<V | null>;
  addOrder(visitId: string, orderNo: string, ttlMs: number): Promise<void>;
  hasOrder(visitId: string, orderNo: string): Promise<boolean>;
  remove(visitId: string): Promise<void>;
}

/** How a wait ended: the order changed, its time ran out, the process is shutting down, or too many waiters. */
export type WaitEnd = 'changed' | 'deadline' | 'closed' | 'busy';

/** One status request waiting for an order's state to change (store/order-waiters.ts). */
export interface Watch {
  /** the subscription is in place: a change from now on ends the wait */
  ready: Promise<void>;
  ended: Promise<WaitEnd>;
  cancel(): void;
  /** after 'changed': the order as the step that woke this wait wrote it, when the change message carried it */
  published?(): Order | null;
}

/** Status requests waiting for an order's state to change (flows/order-wait.ts). */
export interface OrderWatcher {
  watch(orderNo: string, ms: number): Watch;
}
