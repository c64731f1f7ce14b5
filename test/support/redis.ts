import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRedis, type RedisHandle } from '../../scripts/stack/redis';

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
