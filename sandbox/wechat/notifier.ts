import type { FaultBook } from '../common/faults';
import type { DeliveryLog } from './state';

export interface Outgoing {
  url: string;
  /** built per attempt (WeChat signs each attempt afresh) */
  build(): { headers: Record<string, string>; body: string };
  eventId?: string;
}

/**
 * Sends a peer's notifications the way the real one does: retried on a ladder until the receiver
 * accepts, then given up. The fault book can lose one (drop: the BFF must poll), send it `count`
 * times (duplicate), hold it back until the next one went out (reorder) or send it late (delay).
 */
export class Notifier {
  private timers = new Set<NodeJS.Timeout>();
  private held: { op: string; key?: string; out: Outgoing }[] = [];
  private closed = false;

  constructor(
    private readonly faults: FaultBook,
    private readonly log: DeliveryLog[],
    private readonly opts: { retryDelaysMs: number[]; timeoutMs: number; accepts(status: number, body: string): boolean },
  ) {}

  send(op: string, key: string | undefined, out: Outgoing): void {
    const rule = this.faults.take(op, key);
    if (rule?.kind === 'drop') {
      this.log.push({ op, key, url: out.url, eventId: out.eventId, attempt: 0, error: 'dropped by fault', at: new Date().toISOString() });
      return;
    }
    if (rule?.kind === 'reorder') {
      this.held.push({ op, key, out });
      this.later(() => this.releaseHeld(), rule.ms ?? 3000);
      return;
    }
    const copies = rule?.kind === 'duplicate' ? Math.max(2, rule.count ?? 2) : 1;
    const delay = rule?.kind === 'delay' ? (rule.ms ?? 1000) : 0;
    for (let i = 0; i < copies; i++) this.later(() => void this.deliver(op, key, out, 0), delay + i * 20);
    // anything held back goes out after this one: the receiver sees them out of order
    if (this.held.length) this.later(() => this.releaseHeld(), delay + copies * 20 + 50);
  }

  private releaseHeld(): void {
    const items = this.held;
    this.held = [];
    for (const h of items) void this.deliver(h.op, h.key, h.out, 0);
  }

  private async deliver(op: string, key: string | undefined, out: Outgoing, attempt: number): Promise<void> {
    if (this.closed) return;
    const { headers, body } = out.build();
    const entry: DeliveryLog = { op, key, url: out.url, eventId: out.eventId, attempt: attempt + 1, at: new Date().toISOString() };
    let accepted = false;
    try {
      const res = await fetch(out.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs) });
      const text = await res.text();
      entry.status = res.status;
      accepted = this.opts.accepts(res.status, text);
    } catch (err) {
      entry.error = (err as Error).message;
    }
    this.log.push(entry);
    if (this.log.length > 5000) this.log.splice(0, 2500);
    if (accepted || attempt >= this.opts.retryDelaysMs.length) return;
    this.later(() => void this.deliver(op, key, out, attempt + 1), this.opts.retryDelaysMs[attempt]);
  }

  private later(fn: () => void, ms: number): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
