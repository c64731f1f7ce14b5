import { Subscriber } from './subscriber';
import { FakePubSub } from './testing/fake-pubsub';

function listener() {
  const heard: string[] = [];
  const states: boolean[] = [];
  return { heard, states, message: (m: string) => heard.push(m), live: (l: boolean) => states.push(l) };
}

describe('the process subscriber', () => {
  it('listens to every channel on one connection and hands each message to its channel’s listener', async () => {
    const redis = new FakePubSub();
    const sub = new Subscriber(redis.connect);
    const [a, b] = [listener(), listener()];
    await Promise.all([sub.listen('A', a), sub.listen('B', b)]);
    redis.publish('A', 'one');
    redis.publish('B', 'two');
    expect(redis.connections).toHaveLength(1);
    expect(redis.connections[0].channels).toEqual(['A', 'B']);
    expect([a.heard, b.heard]).toEqual([['one'], ['two']]);
  });

  it('tells a listener its channel is live only once Redis confirmed the subscription', async () => {
    const redis = new FakePubSub();
    redis.hold = true;
    const sub = new Subscriber(redis.connect);
    const a = listener();
    const listening = sub.listen('A', a);
    expect(a.states).toEqual([]);
    redis.connections[0].confirm();
    await listening;
    expect(a.states).toEqual([true]);
  });

  it('tells listeners their channel is not live while the connection is down, and live again once subscribed anew', async () => {
    const redis = new FakePubSub();
    const sub = new Subscriber(redis.connect);
    const a = listener();
    await sub.listen('A', a);
    redis.connections[0].reconnect();
    await new Promise(setImmediate);
    expect(a.states).toEqual([true, false, true]);
    expect(redis.connections[0].channels).toEqual(['A', 'A']);
  });

  it('subscribes anew when a Redis Cluster node leaves or fails, its subscriber may have moved', async () => {
    const redis = new FakePubSub();
    const sub = new Subscriber(redis.connect);
    const a = listener();
    await sub.listen('A', a);
    redis.connections[0].emit('-node');
    await new Promise(setImmediate);
    expect(a.states).toEqual([true, false, true]);
  });

  it('subscribes every channel again on a fresh connection after a failed subscription', async () => {
    const redis = new FakePubSub();
    redis.failing = 1;
    const sub = new Subscriber(redis.connect);
    const [a, b] = [listener(), listener()];
    await expect(sub.listen('A', a)).rejects.toThrow('connection refused');
    await sub.listen('B', b);
    expect(redis.connections.map((c) => c.disconnected)).toEqual([true, false]);
    expect(redis.connections[1].channels).toEqual(['A', 'B']);
    redis.publish('A', 'again');
    expect(a.heard).toEqual(['again']);
  });

  it('closes its connection on shutdown and tells every listener', async () => {
    const redis = new FakePubSub();
    const sub = new Subscriber(redis.connect);
    const a = listener();
    await sub.listen('A', a);
    sub.close();
    expect(redis.connections[0].disconnected).toBe(true);
    expect(a.states).toEqual([true, false]);
    await expect(sub.listen('B', listener())).rejects.toThrow('closed');
  });
});
