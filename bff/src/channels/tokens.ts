/**
 * Where an access token (WeChat stable_token) is kept between calls. One token per appid is
 * shared by every BFF instance in production (RedisTokenCache in ./token-cache.ts); the
 * in-memory one serves tests and single-process tools.
 */
export interface TokenCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

export class MemoryTokenCache implements TokenCache {
  private readonly items = new Map<string, { value: string; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | undefined> {
    const item = this.items.get(key);
    if (!item) return undefined;
    if (item.until <= this.now()) {
      this.items.delete(key);
      return undefined;
    }
    return item.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0 || !value) {
      this.items.delete(key);
      return;
    }
    this.items.set(key, { value, until: this.now() + ttlSeconds * 1000 });
  }
}
