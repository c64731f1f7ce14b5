/**
 * The channel access token shared through Redis and held by each process while the shared copy
 * lives (channels/token-cache.ts), on a real redis-server; time moves by an injected clock.
 */
import { Keys } from '../../bff/src/store/keys';
import { RedisTokenCache } from '../../bff/src/channels/token-cache';
import { testOrderStore, type TestOrderStore } from '../support/redis';

const keys = new Keys('tk:');
let t: TestOrderStore;
beforeAll(async () => {
  t = await testOrderStore(keys);
});
afterAll(() => t.cleanup());

/** GETs of the token key since the last reset (INFO commandstats) */
async function gets(): Promise<number> {
  return Number(/^cmdstat_get:calls=(\d+)/m.exec(await t.client.info('commandstats'))?.[1] ?? 0);
}

/** one instance that fetched the token from WeChat, another that only reads it (its clock movable) */
function instances(key: string) {
  let now = Date.now();
  return { key, writer: new RedisTokenCache(t.client, keys), reader: new RedisTokenCache(t.client, keys, () => now), advance: (ms: number) => (now += ms) };
}

describe('the shared channel access token', () => {
  it('is read from Redis once by a process, then reused for every message', async () => {
    const { key, writer, reader } = instances('wechat:access_token:app-once');
    await writer.set(key, 'TOKEN-A', 6900);
    await t.client.config('RESETSTAT');
    for (let i = 0; i < 5; i++) expect(await reader.get(key)).toBe('TOKEN-A');
    expect(await gets()).toBe(1);
  });

  it("is read again once the shared copy's life has ended", async () => {
    const { key, writer, reader, advance } = instances('wechat:access_token:app-life');
    await writer.set(key, 'TOKEN-OLD', 60);
    expect(await reader.get(key)).toBe('TOKEN-OLD');
    // WeChat's renewed token stored by another instance; this process's copy ran out with the shared one
    await writer.set(key, 'TOKEN-NEW', 6900);
    advance(61_000);
    await t.client.config('RESETSTAT');
    expect(await reader.get(key)).toBe('TOKEN-NEW');
    expect(await gets()).toBe(1);
  });

  it('is dropped from the process and from Redis when the adapter drops a refused token', async () => {
    const { key, writer } = instances('wechat:access_token:app-drop');
    await writer.set(key, 'TOKEN-REFUSED', 6900);
    expect(await writer.get(key)).toBe('TOKEN-REFUSED');
    await writer.set(key, '', 0);
    expect(await writer.get(key)).toBeUndefined();
    expect(await new RedisTokenCache(t.client, keys).get(key)).toBeUndefined();
  });

  it('is not kept by the process when the shared copy has no expiry to read', async () => {
    const { key, reader } = instances('wechat:access_token:app-noexpiry');
    await t.client.set(keys.cache(`token:${key}`), 'TOKEN-NOTTL');
    expect(await reader.get(key)).toBe('TOKEN-NOTTL');
    await t.client.config('RESETSTAT');
    expect(await reader.get(key)).toBe('TOKEN-NOTTL');
    expect(await gets()).toBe(1);
  });
});
