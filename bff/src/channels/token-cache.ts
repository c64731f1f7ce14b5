import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import { MemoryTokenCache, type TokenCache } from './tokens';

/**
 * Channel access tokens shared by every BFF instance (WeChat allows few forced refreshes a day),
 * each also held by the process for as long as the shared copy lives — not one Redis GET per
 * message (issue 14).
 *
 * Why a process may keep its copy that long (WeChat, "获取稳定版接口调用凭据" getStableAccessToken:
 * developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken §4 注意事项, and
 * developers.weixin.qq.com/minigame/dev/api-backend/open-api/access-token/auth.getStableAccessToken.html
 * "access_token 的存储与更新"; wechat-alipay-channels.md, subscribe messages):
 * in normal mode (force_refresh false, the only mode wechat/mini-program.ts uses) a call within the
 * token's life does not change it, the platform renews it 5 minutes early and keeps old and new
 * valid together for those 5 minutes. The shared copy is stored for its life less 5 minutes
 * (wechat/mini-program.ts), and a process keeps its own no longer than the shared copy's remaining
 * time, read with it. A token WeChat refuses anyway (40001/42001: a forced refresh elsewhere) is
 * dropped here and in Redis by the adapter, which then fetches the current one.
 */
export class RedisTokenCache implements TokenCache {
  private readonly local: MemoryTokenCache;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    now: () => number = Date.now,
  ) {
    this.local = new MemoryTokenCache(now);
  }

  async get(key: string): Promise<string | undefined> {
    const held = await this.local.get(key);
    if (held) return held;
    const k = this.keys.cache(`token:${key}`);
    // once per token and process: the value with its remaining life (pipelined, one round trip)
    const res = (await this.redis.pipeline().get(k).pttl(k).exec()) ?? [];
    const failed = res.find(([err]) => err);
    if (failed) throw failed[0];
    const value = (res[0]?.[1] as string | null | undefined) ?? undefined;
    const ttlMs = Number(res[1]?.[1] ?? -2);
    // no expiry read (gone meanwhile, or none set): used for this call, not kept
    if (value && ttlMs > 0) await this.local.set(key, value, ttlMs / 1000);
    return value || undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    const seconds = Math.max(1, Math.floor(ttlSeconds));
    await this.local.set(key, value, ttlSeconds > 0 ? seconds : 0);
    await this.redis.set(this.keys.cache(`token:${key}`), value, 'EX', seconds);
  }
}
