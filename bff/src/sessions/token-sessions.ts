import crypto from 'node:crypto';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { SharedCache } from '../store/shared-cache';

export interface TokenSessionOptions<T> {
  /** Redis expiry (seconds); with `sliding`, moved forward on every use */
  ttlSeconds: number;
  /** idle expiry: each use moves the end forward (staff); otherwise a fixed end (patients) */
  sliding: boolean;
  /** however active, the session ends this long after it began */
  maxAgeMs?: number;
  /** the shape a presented token must have before Redis is asked */
  tokenPattern: RegExp;
  /** the one clock (Deps.now): expiry is decided here, Redis' own expiry only clears the keys */
  now: () => Date;
  /**
   * Fixed-end sessions only (a sliding one writes on every use anyway): resolved sessions kept in
   * memory for a few seconds, never past their own end, dropped in every process when destroyed
   * (store/shared-cache.ts).
   */
  cache?: SharedCache<T>;
}

interface Stored {
  createdAt: string;
  /** last use (ms since epoch), for the idle expiry */
  seenAt?: number;
}

/**
 * The one session store (patients and staff): the bearer/cookie token is random and Redis keeps
 * only its SHA-256, so a Redis dump cannot be replayed as sessions. Expiry is decided with the
 * injected clock, so tests advance the clock instead of waiting; Redis' EX removes the key later.
 * A fixed-end session is never changed, only created and destroyed (at its end, or revoked): what
 * a cache holds of it is either the session or gone.
 */
export class TokenSessions<T extends { createdAt: string }> {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, private readonly kind: string, private readonly opts: TokenSessionOptions<T>) {}

  get ttlSeconds(): number {
    return this.opts.ttlSeconds;
  }

  private key(token: string): string {
    return this.keys.session(this.kind, crypto.createHash('sha256').update(token).digest('hex'));
  }

  async create(session: T): Promise<string> {
    const token = crypto.randomBytes(32).toString('base64url');
    const cache = this.cache;
    if (cache) await cache.write(this.key(token), () => this.save(token, session), { value: Object.freeze({ ...session }), end: this.endOf(session), fresh: true });
    else await this.save(token, session);
    return token;
  }

  /** The live session for a token (its idle expiry moved forward when sliding); null when expired or unknown. */
  async resolve(token: string): Promise<T | null> {
    if (!this.opts.tokenPattern.test(token)) return null;
    const key = this.key(token);
    return this.cache ? this.cache.read(key, () => this.load(token, key), (s) => this.endOf(s)) : this.load(token, key);
  }

  async destroy(token: string): Promise<void> {
    if (!this.opts.tokenPattern.test(token)) return;
    const key = this.key(token);
    if (this.cache) await this.cache.write(key, () => this.redis.del(key));
    else await this.redis.del(key);
  }

  private get cache(): SharedCache<T> | undefined {
    return this.opts.sliding ? undefined : this.opts.cache;
  }

  /** the last moment a fixed-end session is valid: past it, `load` finds it expired */
  private endOf(session: T): number {
    const created = Date.parse(session.createdAt);
    return Math.min(created + this.opts.ttlSeconds * 1000, this.opts.maxAgeMs === undefined ? Infinity : created + this.opts.maxAgeMs);
  }

  private async load(token: string, key: string): Promise<T | null> {
    const raw = await this.redis.get(key);
    if (!raw) return null;
    const { seenAt, ...session } = JSON.parse(raw) as T & Stored;
    const now = this.opts.now().getTime();
    const idle = seenAt !== undefined && now - seenAt > this.opts.ttlSeconds * 1000;
    const old = this.opts.maxAgeMs !== undefined && now - Date.parse(session.createdAt) > this.opts.maxAgeMs;
    const fixedEnd = !this.opts.sliding && now - Date.parse(session.createdAt) > this.opts.ttlSeconds * 1000;
    if (idle || old || fixedEnd) {
      await this.destroy(token);
      return null;
    }
    if (this.opts.sliding) await this.save(token, session as unknown as T);
    return (this.cache ? Object.freeze(session) : session) as unknown as T;
  }

  /** One SET with EX: the record and its expiry together. */
  private async save(token: string, session: T): Promise<void> {
    const stored: T & Stored = { ...session, seenAt: this.opts.now().getTime() };
    await this.redis.set(this.key(token), JSON.stringify(stored), 'EX', this.opts.ttlSeconds);
  }
}
