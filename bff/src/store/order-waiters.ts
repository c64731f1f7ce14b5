/**
 * Waiting for an order to change without asking Redis per waiter (issue 14). The order store
 * publishes an order's number and document on one channel after every step that changed its state
 * (order-store.ts, `publishStateChange`); each BFF process listens to that channel on its ONE
 * subscriber connection (subscriber.ts, shared with the caches' invalidations) and wakes its own
 * waiters for that order. A published message reaches every instance
 * (Redis Cluster forwards PUBLISH to all nodes), so a waiter is woken whichever instance ran the step.
 */
import type { Keys } from './keys';
import type { RedisClient } from './redis';
import type { Subscriber } from './subscriber';

import type { Order } from '../domain/order';
import type { WaitEnd, Watch } from './port';

export type { WaitEnd, Watch };

/** The channel order-state changes are published on. */
export function orderEventsChannel(keys: Keys): string {
  return `${keys.prefix}events:order-state`;
}

/**
 * After a step that changed the order's state: one PUBLISH of the order number and the document
 * the step wrote, so a woken status request answers without reading it again. A lost message only
 * makes waiters wait to their deadline.
 */
export function publishStateChange(redis: RedisClient, keys: Keys, orderNo: string, doc: string): void {
  redis.publish(orderEventsChannel(keys), `${orderNo}\n${doc}`).catch(() => undefined);
}

interface Waiter {
  end(how: WaitEnd, doc?: string): void;
}

export class OrderWaiters {
  private readonly byOrder = new Map<string, Set<Waiter>>();
  private count = 0;
  private subscribed: Promise<void> | null = null;
  private closed = false;

  /**
   * @param subscriber the process's one subscriber connection, opened on first use
   * @param max waiters this process holds at once; one more is answered at once ('busy')
   */
  constructor(
    private readonly subscriber: Subscriber,
    private readonly channel: string,
    readonly max = 2000,
  ) {}

  get size(): number {
    return this.count;
  }

  private subscribe(): Promise<void> {
    if (!this.subscribed) {
      const subscribed = this.subscriber.listen(this.channel, {
        message: (message) => {
          const cut = message.indexOf('\n');
          // `orderNo\ndoc`; a bare order number (an older instance's message) wakes without a document
          this.wake(cut < 0 ? message : message.slice(0, cut), cut < 0 ? undefined : message.slice(cut + 1));
        },
      });
      this.subscribed = subscribed;
      // the next waiter tries again (on a fresh connection); this one waits to its deadline
      subscribed.catch(() => {
        if (this.subscribed === subscribed) this.subscribed = null;
      });
    }
    return this.subscribed;
  }

  private wake(orderNo: string, doc?: string): void {
    const set = this.byOrder.get(orderNo);
    if (set) for (const w of [...set]) w.end('changed', doc);
  }

  /** Watches one order for at most `ms`. Register before reading the order, so no change slips between. */
  watch(orderNo: string, ms: number): Watch {
    if (this.closed) return { ready: Promise.resolve(), ended: Promise.resolve('closed'), cancel: () => undefined };
    if (this.count >= this.max) return { ready: Promise.resolve(), ended: Promise.resolve('busy'), cancel: () => undefined };
    let set = this.byOrder.get(orderNo);
    if (!set) this.byOrder.set(orderNo, (set = new Set()));
    const waiters = set;
    this.count++;
    let timer: NodeJS.Timeout | undefined;
    let resolve!: (how: WaitEnd) => void;
    let published: string | undefined;
    const ended = new Promise<WaitEnd>((r) => (resolve = r));
    const w: Waiter = {
      end: (how, doc) => {
        if (!waiters.delete(w)) return;
        published = doc;
        this.count--;
        if (waiters.size === 0 && this.byOrder.get(orderNo) === waiters) this.byOrder.delete(orderNo);
        if (timer) clearTimeout(timer);
        resolve(how);
      },
    };
    waiters.add(w);
    timer = setTimeout(() => w.end('deadline'), Math.max(0, ms));
    const ready = this.subscribe().catch(() => undefined);
    return { ready, ended, cancel: () => w.end('deadline'), published: () => (published ? (JSON.parse(published) as Order) : null) };
  }

  /** Shutting down: every waiter is answered now, and the process's subscriber connection closes. */
  close(): void {
    this.closed = true;
    for (const set of [...this.byOrder.values()]) for (const w of [...set]) w.end('closed');
    this.subscriber.close();
  }
}
