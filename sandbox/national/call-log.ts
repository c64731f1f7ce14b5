/**
 * The centre's record of the transactions it received (6201, 6202, 6203, 6301, 6401), by the
 * orders they name (payOrdId and medOrgOrd): a witness of what the hospital asked, for tests
 * (`GET /sandbox/calls?key=…`). Authentic requests only, recorded before any injected fault.
 */
export interface CallRecord {
  seq: number;
  infno: string;
  at: string;
}

const MAX_KEYS = 50_000;

export class CallLog {
  private readonly byKey = new Map<string, CallRecord[]>();
  private seq = 0;

  record(infno: string, data: Record<string, unknown>, at = new Date()): void {
    const rec = { seq: ++this.seq, infno, at: at.toISOString() };
    const keys = new Set([data.payOrdId, data.medOrgOrd].filter((k): k is string => typeof k === 'string' && k !== ''));
    for (const key of keys) {
      let list = this.byKey.get(key);
      if (!list) {
        if (this.byKey.size >= MAX_KEYS) this.byKey.delete(this.byKey.keys().next().value as string);
        this.byKey.set(key, (list = []));
      }
      list.push(rec);
    }
  }

  /** the transactions naming any of these keys, each once, oldest first */
  of(...keys: string[]): CallRecord[] {
    const all = new Map<number, CallRecord>();
    for (const k of keys) for (const r of this.byKey.get(k) ?? []) all.set(r.seq, r);
    return [...all.values()].sort((a, b) => a.seq - b.seq);
  }

  reset(): void {
    this.byKey.clear();
  }
}
