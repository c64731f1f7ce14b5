/**
 * Sends 6302 settlement notifications to the hospital, retrying until it answers HTTP 200 with
 * `{success:true}` (TSX MedicalInsuranceNotificationAck) or `{code:0}`. Faults on op 'notify':
 * drop (lost: never sent, the hospital must poll 6301), duplicate (sent `count` times at once),
 * delay / reorder (sent late, after later notifications).
 */
import type { FaultBook } from '../common/faults';
import { sleep } from '../common/faults';
import { isNotificationAcknowledged } from './rules';

export class Notifier {
  sent = 0;
  acked = 0;
  /** acknowledged deliveries per order (payOrdId): whether the hospital placed a notification */
  readonly ackedByKey = new Map<string, number>();

  constructor(
    private readonly cfg: { url: string; retries: number; baseMs: number },
    private readonly faults: FaultBook,
    private readonly sealData: (data: Record<string, unknown>, timestampMs: number) => Record<string, unknown>,
  ) {}

  /** `sealedAgoMs`: the copy was sealed that long ago (a resend hours later, without sleeping) */
  send(key: string, data: () => Record<string, unknown>, remember: (envelope: Record<string, unknown>) => void, sealedAgoMs = 0): void {
    const envelope = this.sealData(data(), Date.now() - sealedAgoMs);
    remember(envelope); // kept even when the fault loses it, so tests can replay the real thing
    const fault = this.faults.take('notify', key);
    if (fault?.kind === 'drop') return;
    const copies = fault?.kind === 'duplicate' ? Math.max(1, fault.count ?? 2) : 1;
    const delay = fault?.kind === 'delay' || fault?.kind === 'reorder' ? (fault.ms ?? 2000) : 0;
    void (async () => {
      if (delay) await sleep(delay);
      await Promise.all(Array.from({ length: copies }, () => this.deliver(envelope, key)));
    })();
  }

  private async deliver(envelope: Record<string, unknown>, key: string): Promise<void> {
    for (let attempt = 0; attempt <= this.cfg.retries; attempt++) {
      this.sent++;
      try {
        const res = await fetch(this.cfg.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(envelope),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
        if (isNotificationAcknowledged(res.status, body)) {
          this.acked++;
          this.ackedByKey.set(key, (this.ackedByKey.get(key) ?? 0) + 1);
          return;
        }
      } catch {
        // the hospital is down or slow: retry
      }
      await sleep(this.cfg.baseMs * 2 ** attempt);
    }
  }
}
