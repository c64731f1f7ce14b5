/**
 * The process's one Redis subscriber connection (issue 14). Every process-wide pub/sub channel is
 * one SUBSCRIBE on it — order-state events (order-waiters.ts) and the invalidations of the caches
 * of patient sessions and profiles (shared-cache.ts) — so a BFF process holds one such connection
 * whatever it listens to, opened on first use.
 *
 * A listener is also told whether its channel is live: subscribed, as Redis confirmed. While the
 * connection is down, messages are lost, so a cache must forget what it holds and keep nothing
 * until the channel is live again. ioredis subscribes again by itself after a reconnect; the
 * channel counts as live once a SUBSCRIBE sent after the reconnect is answered (Redis answers a
 * connection's commands in order, so ioredis' own re-subscription is in force by then).
 */
import type { RedisClient } from './redis';

export interface ChannelListener {
  message(payload: string): void;
  /** true once the subscription is confirmed; false when messages may be lost from now on */
  live?(live: boolean): void;
}

export class Subscriber {
  private conn: RedisClient | null = null;
  private readonly listeners = new Map<string, ChannelListener>();
  /** the confirmed (or pending) subscription of each channel on the current connection */
  private readonly subscribed = new Map<string, Promise<void>>();
  private closed = false;

  /** @param connect opens the subscriber connection (a duplicate of the process's client) */
  constructor(private readonly connect: () => RedisClient) {}

  /**
   * Listens to `channel` (one listener per channel). Resolves once Redis confirmed the subscription;
   * rejects when it failed — the connection is then dropped and the next call opens a fresh one.
   */
  listen(channel: string, listener: ChannelListener): Promise<void> {
    if (this.closed) return Promise.reject(new Error('subscriber closed'));
    this.listeners.set(channel, listener);
    if (!this.conn) this.open();
    return this.subscribed.get(channel) ?? this.subscribe(this.conn!, channel);
  }

  /** Shutting down: every listener hears that its channel is no longer live; the connection closes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const conn = this.conn;
    this.down(conn);
    conn?.disconnect();
    this.conn = null;
  }

  private open(): void {
    const conn = this.connect();
    this.conn = conn;
    conn.on('message', (channel: string, payload: string) => this.listeners.get(channel)?.message(payload));
    // connection lost: messages are lost until the channels are subscribed again
    conn.on('close', () => this.down(conn));
    conn.on('ready', () => this.resubscribe(conn));
    // Redis Cluster: ioredis moves its subscriber to another node when one leaves or fails, with no
    // 'close' on the cluster; messages may be lost meanwhile (ioredis cluster/ClusterSubscriber.js)
    for (const event of ['-node', 'node error']) {
      conn.on(event, () => {
        this.down(conn);
        this.resubscribe(conn);
      });
    }
    // a fresh connection after a failed one: every channel listened to so far
    for (const channel of this.listeners.keys()) this.subscribe(conn, channel).catch(() => undefined);
  }

  private resubscribe(conn: RedisClient): void {
    if (this.conn !== conn) return;
    for (const channel of this.listeners.keys()) if (!this.subscribed.has(channel)) this.subscribe(conn, channel).catch(() => undefined);
  }

  private subscribe(conn: RedisClient, channel: string): Promise<void> {
    const p: Promise<void> = conn.subscribe(channel).then(() => {
      if (this.conn === conn && this.subscribed.get(channel) === p) this.listeners.get(channel)?.live?.(true);
    });
    this.subscribed.set(channel, p);
    p.catch(() => {
      if (this.conn !== conn) return;
      // the next listen() tries again on a fresh connection
      this.down(conn);
      this.conn = null;
      conn.disconnect();
    });
    return p;
  }

  private down(conn: RedisClient | null): void {
    if (conn !== this.conn) return;
    this.subscribed.clear();
    for (const l of this.listeners.values()) l.live?.(false);
  }
}
