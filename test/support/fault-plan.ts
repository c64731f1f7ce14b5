/**
 * The fault suite's one source of chance (issue 13): every random choice of the suite — which
 * faults each flow arms, how each flow ends, which patient pays, the order of registration
 * places, when and which instance is killed, retry jitter — is drawn from one seed through
 * pure-rand (xoroshiro128+). The seed is printed; `FAULT_SEED=<n> npm run test:faults` replays it.
 *
 * Each actor draws from its own stream (derived from the seed and the actor's name, e.g.
 * `flow 17`, `killer`), so the draws of one actor never depend on how the others interleave in
 * time. The faults are decided up front, per flow, before anything runs (`planRun`); a flow arms
 * its own faults on the sandbox peers when it starts (each fires once, on the next matching call).
 */
import { randomInt } from 'node:crypto';
import * as prand from 'pure-rand';

export type Peer = 'his' | 'national' | 'wechat' | 'alipay';

/** One fault kind the suite injects: the sandbox rule (sandbox/common/faults.ts) and the chance a flow arms it. */
export interface FaultKindSpec {
  peer: Peer;
  perFlow: number;
  rule: { op: string; kind: string; [k: string]: unknown };
}

/**
 * Every fault the suite injects. Adding a kind is one line here. Chances are per flow (a flow
 * makes each call about once); rare calls (reverse, release) get a smaller chance, since an armed
 * fault waits for the next matching call of any flow.
 */
export const FAULT_KINDS: FaultKindSpec[] = [
  { peer: 'his', perFlow: 0.04, rule: { op: 'writeBack', kind: 'timeout', after: 'act' } },
  { peer: 'his', perFlow: 0.04, rule: { op: 'writeBack', kind: 'fail', status: 500 } },
  { peer: 'his', perFlow: 0.03, rule: { op: 'writeBack', kind: 'drop', after: 'before' } },
  { peer: 'his', perFlow: 0.02, rule: { op: 'writeBack', kind: 'ambiguous', after: 'act' } },
  // a clear refusal: the payment must be reversed (C6)
  { peer: 'his', perFlow: 0.03, rule: { op: 'writeBack', kind: 'fail' } },
  { peer: 'his', perFlow: 0.05, rule: { op: 'tradeCheck', kind: 'fail', status: 500 } },
  { peer: 'his', perFlow: 0.02, rule: { op: 'reverse', kind: 'timeout', after: 'act' } },
  { peer: 'his', perFlow: 0.03, rule: { op: 'preSettleRegistration', kind: 'fail', status: 500 } },
  { peer: 'his', perFlow: 0.03, rule: { op: 'preSettleOutpatient', kind: 'fail', status: 500 } },
  { peer: 'his', perFlow: 0.02, rule: { op: 'release', kind: 'fail', status: 500 } },
  { peer: 'national', perFlow: 0.03, rule: { op: '6201', kind: 'fail', code: '9999', message: '系统繁忙' } },
  { peer: 'national', perFlow: 0.02, rule: { op: '6201', kind: 'timeout', after: 'act' } },
  { peer: 'national', perFlow: 0.03, rule: { op: '6202', kind: 'timeout', after: 'act' } },
  { peer: 'national', perFlow: 0.02, rule: { op: '6202', kind: 'fail', code: '9999', message: '系统繁忙' } },
  { peer: 'national', perFlow: 0.1, rule: { op: '6301', kind: 'fail', code: '9999', message: '系统繁忙' } },
  { peer: 'national', perFlow: 0.02, rule: { op: '6301', kind: 'timeout' } },
  { peer: 'national', perFlow: 0.1, rule: { op: '6401', kind: 'fail', code: '9999', message: '系统繁忙' } },
  { peer: 'national', perFlow: 0.05, rule: { op: '6203', kind: 'fail', code: '9999', message: '系统繁忙' } },
  { peer: 'national', perFlow: 0.25, rule: { op: 'notify', kind: 'duplicate', count: 3 } },
  { peer: 'national', perFlow: 0.15, rule: { op: 'notify', kind: 'reorder', ms: 2500 } },
  { peer: 'national', perFlow: 0.05, rule: { op: 'notify', kind: 'drop' } },
  { peer: 'wechat', perFlow: 0.25, rule: { op: 'notify', kind: 'duplicate', count: 3 } },
  { peer: 'wechat', perFlow: 0.15, rule: { op: 'notify', kind: 'reorder', ms: 2500 } },
  { peer: 'wechat', perFlow: 0.05, rule: { op: 'med-ins-query', kind: 'fail' } },
  { peer: 'wechat', perFlow: 0.05, rule: { op: 'refund', kind: 'fail', status: 500, code: 'SYSTEM_ERROR' } },
  { peer: 'alipay', perFlow: 0.25, rule: { op: 'notify', kind: 'duplicate', count: 3 } },
  { peer: 'alipay', perFlow: 0.15, rule: { op: 'notify', kind: 'reorder', ms: 2500 } },
  { peer: 'alipay', perFlow: 0.05, rule: { op: 'trade.query', kind: 'fail', code: '20000' } },
];

/** A stream of random choices; the same seed and name always give the same draws. */
export class Chance {
  private readonly rng: prand.RandomGenerator;
  constructor(readonly seed: number, readonly name = 'root') {
    this.rng = prand.xoroshiro128plus(mix(seed, name));
  }
  /** an integer in [a, b] */
  int(a: number, b: number): number {
    return prand.unsafeUniformIntDistribution(a, b, this.rng);
  }
  /** true with probability p (to a millionth) */
  chance(p: number): boolean {
    return this.int(0, 999_999) < Math.round(p * 1_000_000);
  }
  /** a short token of [0-9a-z] */
  token(length = 6): string {
    return Array.from({ length }, () => this.int(0, 35).toString(36)).join('');
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
  /** an independent stream for one actor (a flow, the killer…) */
  stream(name: string): Chance {
    return new Chance(this.seed, `${this.name}/${name}`);
  }
}

/** seed + name → a 32-bit generator seed (FNV-1a over the name, folded into the seed) */
function mix(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** FAULT_SEED when given (a replay), otherwise a fresh one — the only choice not drawn from a seed, and it is printed. */
export function faultSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.FAULT_SEED;
  if (given === undefined || given === '') return randomInt(0, 2 ** 31 - 1);
  const n = Number(given);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`FAULT_SEED must be a non-negative integer, got ${given}`);
  return n;
}

export type Ending = 'pay' | 'fail' | 'abandon' | 'cancel';

export interface FlowPlan {
  i: number;
  kind: 'registration' | 'outpatient';
  ending: Ending;
  /** where the flow starts looking for a free patient */
  patient: number;
  /** the faults this flow arms when it starts, in this order */
  faults: FaultKindSpec[];
}

export interface KillPlan {
  /** pause before the kill, ms */
  afterMs: number;
  /** which running instance (index among those up) */
  victim: number;
  /** how long it stays down, ms */
  downMs: number;
}

export interface RunPlan {
  seed: number;
  flows: FlowPlan[];
  /** the killer's schedule, repeated from the start when the run outlasts it */
  kills: KillPlan[];
}

/** Everything the run will do by chance, decided before it starts. */
export function planRun(seed: number, opts: { flows: number; patients: number; killEveryMs: [number, number] | null; instances: number }): RunPlan {
  const root = new Chance(seed);
  const flows = Array.from({ length: opts.flows }, (_, i): FlowPlan => {
    const c = root.stream(`flow ${i}`);
    const r = c.int(0, 99);
    return {
      i,
      kind: i % 2 === 0 ? 'registration' : 'outpatient',
      ending: r < 85 ? 'pay' : r < 90 ? 'fail' : r < 95 ? 'abandon' : 'cancel',
      patient: c.int(0, opts.patients - 1),
      faults: FAULT_KINDS.filter((k) => c.chance(k.perFlow)),
    };
  });
  const k = root.stream('killer');
  const kills = opts.killEveryMs
    ? Array.from({ length: 200 }, (): KillPlan => ({ afterMs: k.int(opts.killEveryMs![0], opts.killEveryMs![1]), victim: k.int(0, opts.instances - 1), downMs: k.int(200, 2500) }))
    : [];
  return { seed, flows, kills };
}

/** The faults the plan injects, in order, one line each (`flow 3 his writeBack:timeout`). */
export function injectedSequence(plan: RunPlan): string[] {
  return plan.flows.flatMap((f) => f.faults.map((k) => `flow ${f.i} ${k.peer} ${k.rule.op}:${k.rule.kind}`));
}

/** How many of each `peer op:kind` the plan injects. */
export function injectedCounts(plan: RunPlan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of injectedSequence(plan)) {
    const key = line.replace(/^flow \d+ /, '');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
