/**
 * Every sandbox peer can be told to misbehave, per operation, so tests can drive every path:
 *   fail      answer with an error the real peer uses (status/code/message given by the rule)
 *   delay     answer late
 *   timeout   hold the request unanswered; with `after: 'act'` the peer acts first (the worst case:
 *             it happened, the caller cannot know)
 *   drop      close the connection without an answer (again before or after acting)
 *   duplicate send an outgoing notification `count` times
 *   ambiguous answer something the caller cannot interpret (HIS "非标准格式")
 *   reorder   send outgoing notifications late, after later ones
 *   shape     answer in another documented form (the rule's `shape` says which; the op names the answer)
 */
export type FaultKind = 'fail' | 'delay' | 'timeout' | 'drop' | 'duplicate' | 'ambiguous' | 'reorder' | 'shape';

export interface FaultRule {
  op: string;
  kind: FaultKind;
  /** how many times the rule fires; default 1; -1 for always */
  times?: number;
  /** only when the request's key (order number, payOrdId…) equals this */
  key?: string;
  /** for timeout / drop / ambiguous: whether the peer performs the operation first */
  after?: 'act' | 'before';
  status?: number;
  code?: string;
  message?: string;
  ms?: number;
  count?: number;
  /** for shape: the documented form to answer in (e.g. `{form: 'hsa'}`, `{otherFundBp: 2000}`) */
  shape?: Record<string, string | number>;
  /** probability 0..1 that the rule fires on a matching call (fault soak tests) */
  probability?: number;
}

export interface FiredFault extends FaultRule {
  id: number;
}

export class FaultBook {
  private rules: (FaultRule & { id: number; left: number })[] = [];
  private nextId = 1;
  readonly fired: { op: string; kind: FaultKind; key?: string; at: string }[] = [];
  /** how often each `op:kind` fired since start (the `fired` log keeps only the recent ones) */
  readonly counts: Record<string, number> = {};

  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ ...rule, id, left: rule.times ?? 1 });
    return id;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ left, ...r }) => ({ ...r, times: left }));
  }

  /** The first matching rule for this call, consumed once. */
  take(op: string, key?: string): FiredFault | undefined {
    for (const r of this.rules) {
      if (r.op !== op && r.op !== '*') continue;
      if (r.key !== undefined && r.key !== key) continue;
      if (r.left === 0) continue;
      if (r.probability !== undefined && Math.random() >= r.probability) continue;
      if (r.left > 0) r.left--;
      this.fired.push({ op, kind: r.kind, key, at: new Date().toISOString() });
      this.counts[`${op}:${r.kind}`] = (this.counts[`${op}:${r.kind}`] ?? 0) + 1;
      if (this.fired.length > 10_000) this.fired.splice(0, 5_000);
      const { left, ...rule } = r;
      return rule;
    }
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
