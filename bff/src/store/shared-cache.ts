/**
 * A short-lived, bounded copy in process memory of values a store keeps in Redis (issue 14): the
 * patient's session and profile are read by most requests of a payment, each read a round trip.
 * Why it answers what Redis would:
 * - every change goes through the owning store, which drops the entry here at once and publishes
 *   its key; every other process drops it when the message arrives (the process's one subscriber
 *   connection, subscriber.ts);
 * - nothing is kept while that subscription is not confirmed, and everything is dropped when the
 *   connection breaks (messages may have been lost meanwhile);
 * - a value read from Redis is kept only when no invalidation arrived while it was being read: the
 *   writer runs its write before its PUBLISH, so a read that saw the old value is always followed by
 *   a message this process hears — before the read's answer (not kept) or after it (dropped);
 * - an entry lives at most `ttlMs` and never past the value's own end (a session's fixed end): the
 *   short life only bounds what a lost message could cost.
 * `ttlMs` 0 turns it off: every read goes to Redis, nothing is published.
 */
import crypto from 'node:crypto';
import { BoundedCache } from '../crypto/lru';
import type { Keys } from './keys';
import type { RedisClient } from './redis';
import type { Subscriber } from './subscriber';

/** The channel a cache's invalidations are published on (one per cache: sessions, profiles). */
export function invalidationChannel(keys: Keys, cache: string): string {
  return `${keys.prefix}events:invalidate:${cache}`;
}

export interface SharedCacheOptions {
  /** how long an entry may be answered from memory (0: no cache) */
  ttlMs: number;
  /** the most entries kept; the least recently used goes first */
  max?: number;
  /** the clock expiry is decided with (the stores' injected clock) */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  until: number;
}

export class SharedCache<V> {
  private readonly entries: BoundedCache<string, Entry<V>>;
  /** every drop counts: a read kept only when this did not move while it ran */
  private drops = 0;
  private live = false;
  private listening: Promise<void> | null = null;
  /** this process's mark on what it publishes, so it does not drop what it just stored */
  private readonly origin = crypto.randomBytes(6).toString('base64url');
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisClient,
    private readonly subscriber: Subscriber,
    private readonly channel: string,
    private readonly opts: SharedCacheOptions,
  ) {
    this.entries = new BoundedCache(opts.max ?? 10_000);
    this.now = opts.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.opts.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value of `key` from memory, else from `load` (kept when it can be, until at most `endOf(value)`). */
  async read(key: string, load: () => Promise<V | null>, endOf?: (v: V) => number): Promise<V | null> {
    if (!this.enabled) return load();
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const mark = this.mark();
    const v = await load();
    if (v !== null) this.keep(mark, key, v, endOf?.(v));
    return v;
  }

  /**
   * The store writes `key` to Redis (a new value, or a deletion) through here: the entry is dropped
   * at once and, with `keep`, kept again as the value this process just wrote; every other process
   * is told to drop it — unless the key is `fresh` (a new session's: no process can hold it).
   * `write` runs in between, so that a read of this process racing the write is not kept.
   */
  async write<T>(key: string, write: () => Promise<T>, keep?: { value: V; end?: number; fresh?: boolean }): Promise<T> {
    if (!this.enabled) return write();
    this.drop(key);
    const mark = this.mark();
    const r = await write();
    if (keep) this.keep(mark, key, keep.value, keep.end);
    else this.drop(key);
    if (!keep?.fresh) await this.redis.publish(this.channel, `${this.origin} ${key}`).catch(() => undefined);
    return r;
  }

  /** Live: the channel's subscription is confirmed. Not live: messages may be lost, so nothing is kept. */
  private setLive(live: boolean): void {
    this.live = live;
    this.drops++;
    if (!live) this.entries.clear();
  }

  private get(key: string): V | undefined {
    this.listen();
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() >= e.until) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  private mark(): number {
    return this.live ? this.drops : -1;
  }

  private keep(mark: number, key: string, value: V, end = Infinity): void {
    if (mark < 0 || mark !== this.drops || !this.live) return;
    const until = Math.min(this.now() + this.opts.ttlMs, end);
    if (until > this.now()) this.entries.set(key, { value, until });
  }

  private drop(key: string): void {
    this.drops++;
    this.entries.delete(key);
  }

  /** Subscribes on first use, and again after a failed subscription. */
  private listen(): void {
    if (this.listening) return;
    const listening = this.subscriber.listen(this.channel, {
      message: (payload) => {
        const space = payload.indexOf(' ');
        if (payload.slice(0, space) !== this.origin) this.drop(payload.slice(space + 1));
      },
      live: (live) => this.setLive(live),
    });
    this.listening = listening;
    listening.catch(() => {
      if (this.listening === listening) this.listening = null;
    });
  }
}
