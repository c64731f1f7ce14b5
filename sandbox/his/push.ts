/**
 * After a settlement is booked, HIS pushes the patient message event to the BFF (C4/C5), as the
 * hospital's HIS does: POST {bffUrl}/his/v1/messages, HMAC-signed with the HIS -> BFF
 * credentials, asynchronously, re-sent a few times on failure, then given up (logged).
 *
 * Fault op `pushMessage` (key = order number): duplicate (send `count`, default 2, copies of the
 * same event), fail / drop / timeout (never send it), delay / reorder (send it `ms` late).
 */
import { signRequest } from './hmac';
import type { FaultBook } from '../common/faults';
import type { HisSandboxConfig } from './config';
import type { SettlementRec } from './world';

export interface HisMessageEvent {
  eventId: string;
  type: 'registration_paid' | 'outpatient_paid';
  orderNo: string;
  occurredAt: string;
  summary: { title: string; amountFen: number };
}

export interface PushLogEntry {
  eventId: string;
  orderNo: string;
  copy: number;
  status: 'pending' | 'delivered' | 'gave_up' | 'suppressed' | 'disabled';
  attempts: number;
  lastError?: string;
}

export class MessagePusher {
  readonly log: PushLogEntry[] = [];
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly config: () => HisSandboxConfig['push'],
    private readonly faults: FaultBook,
    private readonly name = 'his-sandbox',
  ) {}

  /** Called when a settlement is booked (also when the caller never hears about it). */
  settled(rec: SettlementRec): void {
    const cfg = this.config();
    const event: HisMessageEvent = {
      // receipt numbers restart after a sandbox reset; the order number keeps event ids unique
      eventId: `HISEVT-${rec.orderNo}-${rec.receiptNo}`,
      type: rec.kind === 'registration' ? 'registration_paid' : 'outpatient_paid',
      orderNo: rec.orderNo,
      occurredAt: new Date().toISOString(),
      summary: { title: rec.kind === 'registration' ? '挂号缴费成功' : '门诊缴费成功', amountFen: rec.totalFen },
    };
    const entry = (copy: number, status: PushLogEntry['status']): PushLogEntry => {
      const e: PushLogEntry = { eventId: event.eventId, orderNo: rec.orderNo, copy, status, attempts: 0 };
      this.log.push(e);
      if (this.log.length > 5000) this.log.splice(0, 1000);
      return e;
    };
    if (!cfg.enabled || !cfg.bffUrl) return void entry(1, 'disabled');
    const rule = this.faults.take('pushMessage', rec.orderNo);
    if (rule && (rule.kind === 'fail' || rule.kind === 'drop' || rule.kind === 'timeout')) return void entry(1, 'suppressed');
    const copies = rule?.kind === 'duplicate' ? Math.max(1, rule.count ?? 2) : 1;
    const firstDelay = rule?.kind === 'delay' || rule?.kind === 'reorder' ? (rule.ms ?? (rule.kind === 'reorder' ? 3000 : 1000)) : 0;
    for (let c = 1; c <= copies; c++) {
      const e = entry(c, 'pending');
      this.later(firstDelay, () => this.deliver(event, e));
    }
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, fn: () => Promise<void>): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      void fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private async deliver(event: HisMessageEvent, e: PushLogEntry): Promise<void> {
    const cfg = this.config();
    e.attempts++;
    try {
      const url = new URL('his/v1/messages', cfg.bffUrl!.endsWith('/') ? cfg.bffUrl : `${cfg.bffUrl}/`);
      const body = JSON.stringify(event);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signRequest(cfg.clientId, cfg.secret, 'POST', url.pathname + url.search, body) },
        body,
        signal: AbortSignal.timeout(cfg.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) {
        e.status = 'delivered';
        delete e.lastError;
        return;
      }
      e.lastError = `HTTP ${res.status}`;
    } catch (err) {
      e.lastError = err instanceof Error ? err.message : String(err);
    }
    const wait = cfg.retryDelaysMs[e.attempts - 1];
    if (wait === undefined) {
      e.status = 'gave_up';
      process.stderr.write(`[${this.name}] gave up pushing ${event.eventId} (${event.type}) after ${e.attempts} attempts: ${e.lastError}\n`);
      return;
    }
    this.later(wait, () => this.deliver(event, e));
  }
}
