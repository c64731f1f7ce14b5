import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRedis, type RedisHandle } from '../../scripts/stack/redis';
import type { Keys } from '../../bff/src/store/keys';
import { OrderStore } from '../../bff/src/store/order-store';
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';

/** A throwaway real redis-server for one test file. */
export async function testRedis(): Promise<RedisHandle & { cleanup(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-redis-'));
  const r = await startRedis({ dir, fsync: 'always' });
  return Object.assign(r, {
    async cleanup() {
      await r.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

export interface TestOrderStore {
  redis: Awaited<ReturnType<typeof testRedis>>;
  client: RedisClient;
  store: OrderStore;
  cleanup(): Promise<void>;
}

/** A throwaway redis-server with the BFF's client and order store on it, for one test file. */
export async function testOrderStore(keys: Keys): Promise<TestOrderStore> {
  const redis = await testRedis();
  const client = connectRedis(redis.url);
  return {
    redis,
    client,
    store: new OrderStore(client, keys),
    async cleanup() {
      client.disconnect();
      await redis.cleanup();
    },
  };
}
