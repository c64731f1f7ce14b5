import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';

/**
 * How long this process reuses a token it read from Redis without asking again (issue 14: not one
 * GET per message). Tokens are stored for their life minus five minutes (wechat/mini-program.ts),
 * so a token kept this much longer is still valid; a refused one is dropped and fetched afresh.
 */
const LOCAL_MS = 60_000;

/** Channel access tokens shared by every BFF instance (WeChat allows few refreshes a day). */
export class RedisTokenCache {
  private readonly local = new Map<string, { value: string; until: number }>();
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | undefined> {
    const held = this.local.get(key);
    if (held && held.until > this.now()) return held.value;
    const value = (await this.redis.get(this.keys.cache(`token:${key}`))) ?? undefined;
    if (value) this.local.set(key, { value, until: this.now() + LOCAL_MS });
    else this.local.delete(key);
    return value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (value && ttlSeconds > 0) this.local.set(key, { value, until: this.now() + Math.min(LOCAL_MS, ttlSeconds * 1000) });
    else this.local.delete(key);
    await this.redis.set(this.keys.cache(`token:${key}`), value, 'EX', Math.max(1, Math.floor(ttlSeconds)));
  }
}
