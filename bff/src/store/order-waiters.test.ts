import { OrderWaiters } from './order-waiters';
import { Subscriber } from './subscriber';
import { FakePubSub } from './testing/fake-pubsub';

const CHANNEL = 'mip:events:order-state';

function registry(max?: number, failFirst = false) {
  const redis = new FakePubSub();
  redis.failing = failFirst ? 1 : 0;
  const waiters = new OrderWaiters(new Subscriber(redis.connect), CHANNEL, max);
  const publish = (orderNo: string) => redis.publish(CHANNEL, orderNo);
  return { waiters, connections: redis.connections, publish };
}

describe('order waiters', () => {
  it('wakes a waiter when its order is published', async () => {
    const { waiters, publish } = registry();
    const w = waiters.watch('MIP1', 60_000);
    await w.ready;
    publish('MIP1');
    await expect(w.ended).resolves.toBe('changed');
    expect(waiters.size).toBe(0);
  });

  it('hands the woken waiter the document the change message carried', async () => {
    const { waiters, publish } = registry();
    const w = waiters.watch('MIP1', 60_000);
    await w.ready;
    publish(`MIP1\n${JSON.stringify({ orderNo: 'MIP1', state: 'paid' })}`);
    await expect(w.ended).resolves.toBe('changed');
    expect(w.published?.()).toEqual({ orderNo: 'MIP1', state: 'paid' });
  });

  it('leaves the waiters of other orders waiting', async () => {
    const { waiters, publish } = registry();
    const mine = waiters.watch('MIP1', 60_000);
    const other = waiters.watch('MIP2', 60_000);
    await mine.ready;
    publish('MIP1');
    await mine.ended;
    expect(waiters.size).toBe(1);
    other.cancel();
  });

  it('keeps one subscriber connection for all the waiters of a process', async () => {
    const { waiters, connections } = registry();
    const ws = ['MIP1', 'MIP2', 'MIP1'].map((n) => waiters.watch(n, 60_000));
    await Promise.all(ws.map((w) => w.ready));
    expect(connections).toHaveLength(1);
    expect(connections[0].channels).toEqual([CHANNEL]);
    ws.forEach((w) => w.cancel());
  });

  it('subscribes again on a fresh connection after a failed subscription', async () => {
    const { waiters, connections, publish } = registry(undefined, true);
    const first = waiters.watch('MIP1', 60_000);
    await first.ready;
    const second = waiters.watch('MIP1', 60_000);
    await second.ready;
    expect(connections.map((c) => c.disconnected)).toEqual([true, false]);
    publish('MIP1');
    await expect(Promise.all([first.ended, second.ended])).resolves.toEqual(['changed', 'changed']);
  });

  it('ends a wait at its deadline', async () => {
    const { waiters } = registry();
    await expect(waiters.watch('MIP1', 5).ended).resolves.toBe('deadline');
  });

  it('answers at once when the process already holds its maximum of waiters', async () => {
    const { waiters } = registry(2);
    const held = [waiters.watch('MIP1', 60_000), waiters.watch('MIP2', 60_000)];
    await expect(waiters.watch('MIP3', 60_000).ended).resolves.toBe('busy');
    held.forEach((w) => w.cancel());
  });

  it('answers every waiter and closes its connection on shutdown', async () => {
    const { waiters, connections } = registry();
    const ws = [waiters.watch('MIP1', 60_000), waiters.watch('MIP2', 60_000)];
    await ws[0].ready;
    waiters.close();
    await expect(Promise.all(ws.map((w) => w.ended))).resolves.toEqual(['closed', 'closed']);
    expect(connections[0].disconnected).toBe(true);
    await expect(waiters.watch('MIP3', 60_000).ended).resolves.toBe('closed');
  });
});
