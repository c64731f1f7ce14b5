import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';

/** Channel access tokens shared by every BFF instance (WeChat allows few refreshes a day). */
export class RedisTokenCache {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.cache(`token:${key}`))) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keys.cache(`token:${key}`), value, 'EX', Math.max(1, Math.floor(ttlSeconds)));
  }
}
