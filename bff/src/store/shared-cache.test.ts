import { SharedCache, type SharedCacheOptions } from './shared-cache';
import { Subscriber } from './subscriber';
import { FakePubSub } from './testing/fake-pubsub';

const CHANNEL = 'mip:events:invalidate:test';

/** One Redis (a map and its pub/sub) and the processes that cache its values. */
function world() {
  const redis = new FakePubSub();
  const stored = new Map<string, string>();
  let now = 1_000_000;
  const reads: string[] = [];
  const published: string[] = [];
  const process = (opts: Partial<SharedCacheOptions> = {}) => {
    const subscriber = new Subscriber(redis.connect);
    const cache = new SharedCache<string>(redis.client(published), subscriber, CHANNEL, { ttlMs: 5000, now: () => now, ...opts });
    const load = (key: string) => async () => (reads.push(key), stored.get(key) ?? null);
    return {
      cache,
      subscriber,
      read: (key: string, endOf?: (v: string) => number) => cache.read(key, load(key), endOf),
      put: (key: string, value: string) => cache.write(key, async () => stored.set(key, value), { value }),
      remove: (key: string) => cache.write(key, async () => stored.delete(key)),
    };
  };
  /** a first read that subscribes (not kept: the channel is not live yet) */
  const warm = async (p: ReturnType<typeof process>, key = 'k') => {
    await p.read(key);
    await new Promise(setImmediate);
    reads.length = 0;
  };
  return { redis, stored, reads, published, process, warm, advance: (ms: number) => (now += ms) };
}

describe('a shared cache of Redis values', () => {
  it('answers a value it read from memory for its time, then asks Redis again', async () => {
    const w = world();
    const p = w.process();
    w.stored.set('k', 'v1');
    await w.warm(p);
    expect([await p.read('k'), await p.read('k')]).toEqual(['v1', 'v1']);
    expect(w.reads).toEqual(['k']);
    w.advance(5000);
    await p.read('k');
    expect(w.reads).toEqual(['k', 'k']);
  });

  it('never keeps a value past its own end', async () => {
    const w = world();
    const p = w.process();
    w.stored.set('k', 'v1');
    await w.warm(p);
    const end = w.advance(0) + 1000;
    await p.read('k', () => end);
    w.advance(999);
    await p.read('k', () => end);
    expect(w.reads).toEqual(['k']);
    w.advance(1);
    await p.read('k', () => end);
    expect(w.reads).toEqual(['k', 'k']);
  });

  it('keeps at most its maximum of entries, dropping the least recently used', async () => {
    const w = world();
    const p = w.process({ max: 2 });
    await w.warm(p, 'x');
    for (const k of ['a', 'b', 'c']) w.stored.set(k, k);
    await p.read('a');
    await p.read('b');
    await p.read('a');
    await p.read('c');
    expect(p.cache.size).toBe(2);
    w.reads.length = 0;
    await p.read('a');
    await p.read('b');
    expect(w.reads).toEqual(['b']);
  });

  it('drops a value in every process when one process changes it', async () => {
    const w = world();
    const [a, b] = [w.process(), w.process()];
    w.stored.set('k', 'v1');
    await Promise.all([w.warm(a), w.warm(b)]);
    await Promise.all([a.read('k'), b.read('k')]);
    await a.put('k', 'v2');
    expect(await b.read('k')).toBe('v2');
    await a.remove('k');
    expect(await b.read('k')).toBeNull();
    expect(w.published).toHaveLength(2);
  });

  it('answers what it just wrote from memory, without asking Redis', async () => {
    const w = world();
    const a = w.process();
    await w.warm(a);
    await a.put('k', 'mine');
    expect(await a.read('k')).toBe('mine');
    expect(w.reads).toEqual([]);
  });

  it('tells no other process about a fresh key, which none can hold', async () => {
    const w = world();
    const a = w.process();
    await w.warm(a);
    await a.cache.write('new', async () => w.stored.set('new', 's'), { value: 's', fresh: true });
    expect(w.published).toEqual([]);
    expect(await a.read('new')).toBe('s');
    expect(w.reads).toEqual([]);
  });

  it('does not keep a value read while another process changed it', async () => {
    const w = world();
    const [a, b] = [w.process(), w.process()];
    w.stored.set('k', 'old');
    await Promise.all([w.warm(a), w.warm(b)]);
    let release!: () => void;
    const slowRead = a.cache.read('k', async () => {
      const seen = w.stored.get('k')!;
      await new Promise<void>((r) => (release = r));
      return seen;
    });
    await new Promise(setImmediate);
    await b.put('k', 'new');
    release();
    expect(await slowRead).toBe('old');
    expect(await a.read('k')).toBe('new');
  });

  it('keeps nothing until its channel is subscribed, and forgets everything when the connection breaks', async () => {
    const w = world();
    w.redis.hold = true;
    const p = w.process();
    w.stored.set('k', 'v1');
    await p.read('k');
    await p.read('k');
    expect(w.reads).toEqual(['k', 'k']);
    w.redis.connections[0].confirm();
    await new Promise(setImmediate);
    await p.read('k');
    expect(p.cache.size).toBe(1);
    w.redis.connections[0].emit('close');
    expect(p.cache.size).toBe(0);
  });

  it('asks Redis every time and publishes nothing when turned off', async () => {
    const w = world();
    const p = w.process({ ttlMs: 0 });
    w.stored.set('k', 'v1');
    await p.read('k');
    await p.read('k');
    await p.put('k', 'v2');
    expect(w.reads).toEqual(['k', 'k']);
    expect(w.published).toEqual([]);
    expect(w.redis.connections).toHaveLength(0);
  });
});
