import type { OrderState } from '@mip/shared';
import type { Order } from '../domain/order';
import type { WaitEnd, Watch } from '../store/order-waiters';
import { waitForStateChange, type Watcher } from './order-wait';

/** Waits that end when the test says, and an order whose state the test sets. */
function world(initial: OrderState) {
  let state = initial;
  const pending: ((how: WaitEnd, doc?: Order) => void)[] = [];
  const watcher: Watcher = {
    watch(): Watch {
      let end!: (how: WaitEnd) => void;
      let doc: Order | null = null;
      const ended = new Promise<WaitEnd>((r) => (end = r));
      pending.push((how, d) => ((doc = d ?? null), end(how)));
      return { ready: Promise.resolve(), ended, cancel: () => end('deadline'), published: () => doc };
    },
  };
  let reads = 0;
  const read = async () => {
    reads++;
    return { orderNo: 'MIP1', state } as Order;
  };
  /** resolves once the waiter has registered n watches */
  const watching = async (n: number) => {
    while (pending.length < n) await new Promise((r) => setImmediate(r));
  };
  return {
    watcher,
    read,
    watching,
    reads: () => reads,
    set: (s: OrderState) => (state = s),
    end: (how: WaitEnd, doc?: Order) => pending[pending.length - 1](how, doc),
  };
}

describe('waiting for an order state to change', () => {
  it('answers at once when the order has already left the state the client has', async () => {
    const w = world('paid');
    await expect(waitForStateChange(w.watcher, 'MIP1', 'awaiting_payment', 20_000, w.read)).resolves.toMatchObject({ state: 'paid' });
  });

  it('answers with the new state once a change is published', async () => {
    const w = world('awaiting_payment');
    const answer = waitForStateChange(w.watcher, 'MIP1', 'awaiting_payment', 20_000, w.read);
    await w.watching(1);
    w.set('paid');
    w.end('changed');
    await expect(answer).resolves.toMatchObject({ state: 'paid' });
  });

  it('answers with the order the change carried, without reading it again', async () => {
    const w = world('awaiting_payment');
    const answer = waitForStateChange(w.watcher, 'MIP1', 'awaiting_payment', 20_000, w.read);
    await w.watching(1);
    w.end('changed', { orderNo: 'MIP1', state: 'paid' } as Order);
    await expect(answer).resolves.toMatchObject({ state: 'paid' });
    expect(w.reads()).toBe(1);
  });

  it('reads the order again when the change carried another order', async () => {
    const w = world('awaiting_payment');
    const answer = waitForStateChange(w.watcher, 'MIP1', 'awaiting_payment', 20_000, w.read);
    await w.watching(1);
    w.set('completed');
    w.end('changed', { orderNo: 'MIP2', state: 'paid' } as Order);
    await expect(answer).resolves.toMatchObject({ orderNo: 'MIP1', state: 'completed' });
  });

  it('waits on when a published change left the state as the client has it', async () => {
    const w = world('awaiting_payment');
    const answer = waitForStateChange(w.watcher, 'MIP1', 'awaiting_payment', 20_000, w.read);
    await w.watching(1);
    w.end('changed');
    await w.watching(2);
    w.set('completed');
    w.end('changed');
    await expect(answer).resolves.toMatchObject({ state: 'completed' });
  });

  it('answers with the order as it is at the deadline', async () => {
    const w = world('awaiting_payment');
    const answer = waitForStateChange(w.watcher, 'MIP1', 'awaiting_payment', 20_000, w.read);
    await w.watching(1);
    w.end('deadline');
    await expect(answer).resolves.toMatchObject({ state: 'awaiting_payment' });
    expect(w.reads()).toBe(2);
  });

  it('answers with the order it read when the process cannot hold another waiter', async () => {
    const w = world('awaiting_payment');
    const answer = waitForStateChange(w.watcher, 'MIP1', 'awaiting_payment', 20_000, w.read);
    await w.watching(1);
    w.end('busy');
    await expect(answer).resolves.toMatchObject({ state: 'awaiting_payment' });
    expect(w.reads()).toBe(1);
  });
});
