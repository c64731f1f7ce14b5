/**
 * Redis pub/sub in memory, for the unit tests of subscriber.ts and its users: connections that
 * subscribe, and a PUBLISH that reaches every connection subscribed to the channel, as Redis does.
 */
import { EventEmitter } from 'node:events';
import type { RedisClient } from '../redis';

export class FakeConnection extends EventEmitter {
  channels: string[] = [];
  disconnected = false;
  /** subscriptions answered later, by `confirm()` (default: at once) */
  held: (() => void)[] = [];
  constructor(private readonly opts: { fails?: boolean; hold?: boolean } = {}) {
    super();
  }

  subscribe(channel: string): Promise<number> {
    if (this.opts.fails) return Promise.reject(new Error('connection refused'));
    this.channels.push(channel);
    if (!this.opts.hold) return Promise.resolve(1);
    return new Promise((resolve) => this.held.push(() => resolve(1)));
  }

  /** Redis confirms the subscriptions held so far. */
  confirm(): void {
    for (const r of this.held.splice(0)) r();
  }

  disconnect(): void {
    this.disconnected = true;
  }

  /** the connection breaks and comes back: ioredis emits close, then ready */
  reconnect(): void {
    this.emit('close');
    this.emit('ready');
  }
}

export class FakePubSub {
  readonly connections: FakeConnection[] = [];
  /** how many of the next connections fail to subscribe */
  failing = 0;
  /** whether new connections hold their subscriptions until `confirm()` */
  hold = false;

  readonly connect = (): RedisClient => {
    const c = new FakeConnection({ fails: this.failing-- > 0, hold: this.hold });
    this.connections.push(c);
    return c as unknown as RedisClient;
  };

  /** What PUBLISH does: every connection subscribed to the channel hears the message. */
  publish(channel: string, payload: string): number {
    const to = this.connections.filter((c) => !c.disconnected && c.channels.includes(channel));
    for (const c of to) c.emit('message', channel, payload);
    return to.length;
  }

  /** A client whose PUBLISH goes here, and that records what it published. */
  client(published: string[] = []): RedisClient {
    return { publish: async (channel: string, payload: string) => (published.push(payload), this.publish(channel, payload)) } as unknown as RedisClient;
  }
}
