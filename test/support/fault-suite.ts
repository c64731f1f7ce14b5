/**
 * The fault suite (issue 7): many complete payment flows through three BFF instances behind the
 * stack's proxy, while instances are SIGKILLed and restarted, Redis is killed and restarted (AOF),
 * HIS and the centre time out or fail at random, and the peers duplicate, delay and reorder their
 * notifications. HIS asks for refunds during the run. Then everything settles and the money is
 * checked everywhere it lives: our orders (Redis), the HIS ledger, the centre, WeChat Pay and
 * Alipay, and a reconciliation run.
 *
 * The patients behave like the real client: a failed request (5xx, lost connection, 429, a busy
 * order) is repeated after a pause with the same Idempotency-Key, a payment that stays open is
 * looked at a few times, then left to the BFF.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isFinal, patientApi as api, type OrderState } from '@mip/shared';
import { billsApi, type ReconciliationRun } from '../../shared/src/contract/bills';
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';
import { Keys } from '../../bff/src/store/keys';
import { OrderStore, dayOf } from '../../bff/src/store/order-store';
import { JobQueue } from '../../bff/src/store/queue';
import type { Order } from '../../bff/src/domain/order';
import { HisClient } from './his-client';
import { testStack, type TestStack } from './stack';
import { code, http, Patient, rand, retrying, sleep, slotPool, type Res } from './fault-patient';
import { checkMoney } from './fault-money';
import { killer, refunder, settle } from './fault-actors';

export interface FaultSuiteOptions {
  flows: number;
  /** patients paying at the same time */
  concurrency: number;
  /** crowd patients taking part (each pays in both mini-programs) */
  patients: number;
  /** a random instance is killed every [min, max] ms while flows run; null: no kills */
  killEveryMs: [number, number] | null;
  /** Redis SIGKILL + restart this many times, spread over the run */
  redisRestarts: number;
  /** one HIS refund request per this many completed orders */
  refundEvery: number;
  /** how long the system may take to settle after the last flow */
  settleTimeoutMs: number;
  /** where to write the report (JSON) and the summary line */
  artifactsDir?: string;
  log?: (line: string) => void;
}

export interface FaultSuiteReport {
  line: string;
  summary: {
    flows: number;
    kills: number;
    redisRestarts: number;
    duplicatesInjected: number;
    reordersInjected: number;
    peerFaultsInjected: number;
    orders: number;
    ordersFinal: number;
    manualReview: number;
    stuck: number;
    doublesFound: number;
    lost: number;
    overRefunds: number;
    moneyMismatches: number;
    reconciliationDifferences: number;
    refundsRequested: number;
    refundsSucceeded: number;
    flowOutcomes: Record<string, number>;
    /** why flows stopped early (outcome, channel, last status and error code) */
    flowFailures: Record<string, number>;
    states: Record<string, number>;
    seconds: { run: number; settle: number; total: number };
  };
  /** every broken invariant, one line each (empty when all hold) */
  problems: string[];
  /** orders a person must look at, with the reason the BFF gave */
  reviews: { orderNo: string; reason: string }[];
}

type Plan = { kind: 'registration' | 'outpatient'; ending: 'pay' | 'fail' | 'abandon' | 'cancel' };
type FlowOutcome = 'paid_seen' | 'open_left' | 'ended_other' | 'create_failed' | 'pay_failed' | 'authorize_failed';

function planFor(i: number): Plan {
  const r = Math.random();
  return {
    kind: i % 2 === 0 ? 'registration' : 'outpatient',
    ending: r < 0.85 ? 'pay' : r < 0.9 ? 'fail' : r < 0.95 ? 'abandon' : 'cancel',
  };
}

/** Faults on every peer, each firing with a probability on every matching call, for the whole run. */
const PEER_FAULTS: Record<'his' | 'national' | 'wechat' | 'alipay', Record<string, unknown>[]> = {
  his: [
    { op: 'writeBack', kind: 'timeout', after: 'act', probability: 0.04 },
    { op: 'writeBack', kind: 'fail', status: 500, probability: 0.04 },
    { op: 'writeBack', kind: 'drop', after: 'before', probability: 0.03 },
    { op: 'writeBack', kind: 'ambiguous', after: 'act', probability: 0.02 },
    // a clear refusal: the payment must be reversed (C6)
    { op: 'writeBack', kind: 'fail', probability: 0.03 },
    { op: 'tradeCheck', kind: 'fail', status: 500, probability: 0.05 },
    { op: 'reverse', kind: 'timeout', after: 'act', probability: 0.1 },
    { op: 'preSettleRegistration', kind: 'fail', status: 500, probability: 0.03 },
    { op: 'preSettleOutpatient', kind: 'fail', status: 500, probability: 0.03 },
    { op: 'release', kind: 'fail', status: 500, probability: 0.1 },
  ],
  national: [
    { op: '6201', kind: 'fail', code: '9999', message: '系统繁忙', probability: 0.03 },
    { op: '6201', kind: 'timeout', after: 'act', probability: 0.02 },
    { op: '6202', kind: 'timeout', after: 'act', probability: 0.03 },
    { op: '6202', kind: 'fail', code: '9999', message: '系统繁忙', probability: 0.02 },
    { op: '6301', kind: 'fail', code: '9999', message: '系统繁忙', probability: 0.1 },
    { op: '6301', kind: 'timeout', probability: 0.02 },
    { op: '6401', kind: 'fail', code: '9999', message: '系统繁忙', probability: 0.1 },
    { op: '6203', kind: 'fail', code: '9999', message: '系统繁忙', probability: 0.05 },
    { op: 'notify', kind: 'duplicate', count: 3, probability: 0.25 },
    { op: 'notify', kind: 'reorder', ms: 2500, probability: 0.15 },
    { op: 'notify', kind: 'drop', probability: 0.05 },
  ],
  wechat: [
    { op: 'notify', kind: 'duplicate', count: 3, probability: 0.25 },
    { op: 'notify', kind: 'reorder', ms: 2500, probability: 0.15 },
    { op: 'med-ins-query', kind: 'fail', probability: 0.05 },
    { op: 'refund', kind: 'fail', status: 500, code: 'SYSTEM_ERROR', probability: 0.05 },
  ],
  alipay: [
    { op: 'notify', kind: 'duplicate', count: 3, probability: 0.25 },
    { op: 'notify', kind: 'reorder', ms: 2500, probability: 0.15 },
    { op: 'trade.query', kind: 'fail', code: '20000', probability: 0.05 },
  ],
};


export async function runFaultSuite(opts: FaultSuiteOptions): Promise<FaultSuiteReport> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`[faults] ${l}\n`));
  const t0 = Date.now();
  const stack = await testStack({
    bffInstances: 3,
    bffConfig: {
      // abandoned orders are cancelled within the settle phase
      unpaidOrderTtlMs: 30_000,
      // all patients come from one address and pay far more often than people do
      rateLimits: { login: { limit: 100_000, windowSeconds: 60 }, orderCreate: { limit: 1000, windowSeconds: 60 }, orderPay: { limit: 1000, windowSeconds: 60 } },
      workerConcurrency: 16,
    },
    bffEnv: { WORKER_CLAIM_IDLE_MS: '3000', LOG_LEVEL: 'warn' },
    sandboxConfig: {
      national: { notifyBaseMs: 300, policy: { accountPaysSelfPart: false } },
      alipay: { notifyRetryDelaysMs: [300, 600, 1200, 2400, 4800, 9600] },
    },
  });
  const redis: RedisClient = connectRedis(stack.redis.url);
  const keys = new Keys('mip:');
  const store = new OrderStore(redis, keys);
  const queue = new JobQueue(redis, keys);
  const his = HisClient.of(stack);
  const counters = { kills: 0, redisRestarts: 0, refundsRequested: 0, refundRepeats: 0, overRefundsRefused: 0 };
  const problems: string[] = [];
  const orderNos = new Set<string>();
  const completed: { orderNo: string; amounts: { fundFen: number; acctFen: number; cashFen: number } }[] = [];
  const outcomes: Record<string, number> = {};
  const failures: Record<string, number> = {};
  let running = true;

  try {
    // ---------------------------------------------------------------- patients (untimed)
    const patients: Patient[] = [];
    for (let i = 1; i <= opts.patients; i++) {
      const key = `crowd${String(i).padStart(4, '0')}`;
      patients.push(new Patient(key, 'wechat', stack), new Patient(key, 'alipay', stack));
    }
    for (let i = 0; i < patients.length; i += 20) {
      await Promise.all(patients.slice(i, i + 20).map(async (p) => (await p.login(), await p.onboard())));
    }
    const slots = await slotPool(patients[0]);
    log(`stack up, ${patients.length} patient sessions, ${slots.length} registration places (${Math.round((Date.now() - t0) / 1000)} s)`);

    // ---------------------------------------------------------------- faults on, chaos loops
    for (const [peer, rules] of Object.entries(PEER_FAULTS)) {
      await http('POST', `${stack.urls[peer as 'his']}/sandbox/faults`, { rules: rules.map((r) => ({ times: -1, ...r })) });
    }
    const chaos: Promise<void>[] = [];
    if (opts.killEveryMs) chaos.push(killer(stack, opts.killEveryMs, () => running, () => counters.kills++, log));
    chaos.push(refunder(his, completed, opts.refundEvery, () => running, counters));

    // ---------------------------------------------------------------- flows
    const runStart = Date.now();
    let started = 0;
    let finished = 0;
    const restartAt = Array.from({ length: opts.redisRestarts }, (_, k) => Math.floor((opts.flows * (k + 1)) / (opts.redisRestarts + 1)));
    const flow = async (p: Patient, i: number): Promise<void> => {
      const plan = planFor(i);
      const o = await runFlow(p, plan, i, slots, orderNos, completed, failures);
      outcomes[o] = (outcomes[o] ?? 0) + 1;
    };
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (started < opts.flows) {
          const i = started++;
          if (restartAt.includes(i)) {
            log(`Redis SIGKILL + restart at flow ${i}`);
            void stack.redis.restart().then(() => counters.redisRestarts++);
          }
          const free = patients.filter((p) => !p.busy);
          const p = free[rand(0, free.length - 1)];
          p.busy = true;
          try {
            await flow(p, i);
          } catch (err) {
            problems.push(`flow ${i} (${p.key}/${p.channel}) threw: ${(err as Error).message}`);
          } finally {
            p.busy = false;
            finished++;
            if (finished % 100 === 0) log(`${finished}/${opts.flows} flows, ${counters.kills} kills, ${counters.redisRestarts} Redis restarts (${Math.round((Date.now() - runStart) / 1000)} s)`);
          }
        }
      }),
    );
    running = false;
    await Promise.all(chaos);
    const runSeconds = Math.round((Date.now() - runStart) / 1000);

    // ---------------------------------------------------------------- settle
    const settleStart = Date.now();
    const faultCounts: Record<string, number> = {};
    for (const peer of ['his', 'national', 'wechat', 'alipay'] as const) {
      const f = await http('GET', `${stack.urls[peer]}/sandbox/faults`);
      for (const [k, v] of Object.entries((f.body?.counts ?? {}) as Record<string, number>)) faultCounts[`${peer}:${k}`] = v;
      await stack.faults(peer).clear();
    }
    for (const b of stack.bffs) if (!b.running) await b.start();
    const settled = await settle(store, queue, orderNos, opts.settleTimeoutMs, log);
    const settleSeconds = Math.round((Date.now() - settleStart) / 1000);
    if (!settled) problems.push(`did not settle within ${opts.settleTimeoutMs / 1000} s`);

    // ---------------------------------------------------------------- the money, everywhere
    const today = dayOf(new Date());
    for (const d of new Set([dayOf(new Date(t0)), today])) for (const n of await store.orderNosOfDay(d)) orderNos.add(n);
    const orders = new Map<string, Order>();
    for (const n of orderNos) {
      const o = await store.get(n);
      if (o) orders.set(n, o);
    }
    const check = await checkMoney(stack, orders, orderNos);
    problems.push(...check.problems);
    const recon = await his.call(billsApi.runReconciliation, { body: { date: `${today.slice(0, 4)}-${today.slice(4, 6)}-${today.slice(6)}` } });
    let reconDifferences = -1;
    if (recon.status === 200) {
      const run = recon.body as ReconciliationRun;
      reconDifferences = run.differences.length;
      for (const d of run.differences.slice(0, 20)) problems.push(`reconciliation: ${d.kind} ${d.orderNo ?? d.outTradeNo ?? ''} ${d.detail}`);
      if (!run.complete) problems.push(`reconciliation run incomplete: ${JSON.stringify(run.sources)}`);
    } else problems.push(`reconciliation run failed: ${recon.status} ${recon.text.slice(0, 200)}`);

    // what happened to the orders named in a problem, for whoever reads the report
    const named = new Set(problems.flatMap((p) => p.match(/[RO]\d{12}[0-9A-Z]{6}/g) ?? []));
    const details: Record<string, unknown> = {};
    for (const n of [...named].slice(0, 30)) {
      const o = orders.get(n);
      details[n] = { state: o?.state, timeline: o?.timeline, writeBack: o?.writeBack, reversal: o?.reversal, refunds: o?.refunds, calls: await store.calls(n).catch(() => []) };
    }

    const states: Record<string, number> = {};
    for (const o of orders.values()) states[o.state] = (states[o.state] ?? 0) + 1;
    const reviews = [...orders.values()].filter((o) => o.state === 'manual_review').map((o) => ({ orderNo: o.orderNo, reason: o.review?.reason ?? '?' }));
    const sumCounts = (pred: (k: string) => boolean) => Object.entries(faultCounts).filter(([k]) => pred(k)).reduce((n, [, v]) => n + v, 0);
    const summary: FaultSuiteReport['summary'] = {
      flows: opts.flows,
      kills: counters.kills,
      redisRestarts: counters.redisRestarts,
      duplicatesInjected: sumCounts((k) => k.endsWith(':duplicate')),
      reordersInjected: sumCounts((k) => k.endsWith(':reorder')),
      peerFaultsInjected: sumCounts((k) => !k.endsWith(':duplicate') && !k.endsWith(':reorder')),
      orders: orders.size,
      ordersFinal: [...orders.values()].filter((o) => isFinal(o.state)).length,
      manualReview: reviews.length,
      stuck: check.stuck,
      doublesFound: check.doubles,
      lost: check.lost,
      overRefunds: check.overRefunds,
      moneyMismatches: check.mismatches,
      reconciliationDifferences: reconDifferences,
      refundsRequested: counters.refundsRequested,
      refundsSucceeded: [...orders.values()].flatMap((o) => o.refunds.filter((r) => r.requestedBy === 'his' && r.state === 'succeeded')).length,
      flowOutcomes: outcomes,
      flowFailures: failures,
      states,
      seconds: { run: runSeconds, settle: settleSeconds, total: Math.round((Date.now() - t0) / 1000) },
    };
    const line =
      `FAULT SUITE flows=${summary.flows} kills=${summary.kills} redisRestarts=${summary.redisRestarts} duplicatesInjected=${summary.duplicatesInjected} ` +
      `ordersFinal=${summary.ordersFinal} manualReview=${summary.manualReview} doublesFound=${summary.doublesFound} lost=${summary.lost} ` +
      `(orders=${summary.orders} stuck=${summary.stuck} overRefunds=${summary.overRefunds} moneyMismatches=${summary.moneyMismatches} ` +
      `reconDifferences=${summary.reconciliationDifferences} refunds=${summary.refundsRequested} peerFaults=${summary.peerFaultsInjected} ${summary.seconds.total}s)`;
    const report: FaultSuiteReport = { line, summary, problems, reviews };
    if (opts.artifactsDir) {
      fs.mkdirSync(opts.artifactsDir, { recursive: true });
      fs.writeFileSync(path.join(opts.artifactsDir, 'fault-suite.json'), JSON.stringify({ ...report, faultCounts, proxy: await proxyStats(stack), details }, null, 2));
      fs.appendFileSync(path.join(opts.artifactsDir, 'fault-suite.log'), `${new Date().toISOString()} ${line}\n`);
    }
    return report;
  } finally {
    running = false;
    redis.disconnect();
    await stack.cleanup();
  }
}

async function proxyStats(stack: TestStack): Promise<unknown> {
  return (await http('GET', `${stack.urls.bff}/__proxy/stats`)).body;
}

async function runFlow(
  p: Patient,
  plan: Plan,
  i: number,
  slots: string[],
  orderNos: Set<string>,
  completed: { orderNo: string; amounts: { fundFen: number; acctFen: number; cashFen: number } }[],
  failures: Record<string, number>,
): Promise<FlowOutcome> {
  const fail = (o: FlowOutcome, r: Res | undefined): FlowOutcome => {
    const k = `${o} ${p.channel} ${r?.status ?? '-'} ${code(r ?? { status: 0, body: {} }) || String(r?.body?.error?.message ?? '').slice(0, 60)}`;
    failures[k] = (failures[k] ?? 0) + 1;
    return o;
  };
  const auth = await retrying(() => p.authorizeOnce());
  if (auth.status !== 200) return fail('authorize_failed', auth);

  // ---- order
  let created: Res | undefined;
  let lastCreate: Res | undefined;
  for (let attempt = 0; attempt < 4 && !created; attempt++) {
    let body: Record<string, unknown>;
    if (plan.kind === 'registration' && slots.length) body = { kind: 'registration', slotId: slots.pop()! };
    else {
      const b = await http('POST', `${p.stack.urls.his}/sandbox/bills`, { personKey: p.key, template: i });
      body = { kind: 'outpatient', billNos: [b.body.bills[0].billNo] };
    }
    const key = `fs-${i}-${attempt}-${Math.random().toString(36).slice(2, 8)}`;
    const r = await retrying(() => p.bff(api.createOrder, { body, headers: { 'idempotency-key': key } }));
    lastCreate = r;
    if (r.status === 200) created = r;
    else if (!['SLOT_UNAVAILABLE', 'PEER_REJECTED', 'BILL_NOT_FOUND'].includes(code(r))) break;
  }
  if (!created) return fail('create_failed', lastCreate);
  const orderNo: string = created.body.order.orderNo;
  orderNos.add(orderNo);

  // ---- pay (6201, 6202, the channel's mixed order)
  let paid: Res | undefined;
  let lastPay: Res | undefined;
  for (let attempt = 0; attempt < 6 && !paid; attempt++) {
    const r = await retrying(() => p.bff(api.payOrder, { params: { orderNo }, body: {} }), 4);
    lastPay = r;
    if (r.status === 200 && r.body.payment) paid = r;
    else if (['AUTHORIZATION_REQUIRED', 'AUTHORIZATION_FAILED'].includes(code(r))) await retrying(() => p.authorizeOnce());
    else if (r.status === 409 || r.status === 504 || r.status === 502) {
      // awaiting confirmation after an unanswered 6202: wait for the centre's answer
      const g = await p.bff(api.getOrder, { params: { orderNo } });
      if (g.status === 200 && !['created', 'fee_uploaded', 'awaiting_payment', 'awaiting_confirmation'].includes(g.body.order.state)) break;
      await sleep(1000);
    } else break;
  }
  if (!paid) return fail('pay_failed', lastPay);

  // ---- the patient in WeChat / Alipay
  if (plan.ending === 'pay' || plan.ending === 'fail') {
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await p.confirm(paid.body.payment, plan.ending === 'pay' ? 'ok' : 'fail');
      if (r.status !== 0 && r.status < 500) break;
      await sleep(500);
    }
  } else if (plan.ending === 'cancel') {
    await retrying(() => p.bff(api.cancelOrder, { params: { orderNo } }), 4);
  }
  if (plan.ending === 'abandon') return 'open_left';

  // ---- the result page: look a few times, then leave it to the BFF
  for (let look = 0; look < 16; look++) {
    const g = await p.bff(api.getOrder, { params: { orderNo } });
    const state: string | undefined = g.body?.order?.state;
    if (state === 'completed') {
      const a = g.body.order.amounts;
      completed.push({ orderNo, amounts: { fundFen: a.fundFen, acctFen: a.acctFen, cashFen: a.cashFen } });
      return 'paid_seen';
    }
    if (state && isFinal(state as OrderState)) return 'ended_other';
    await sleep(500);
  }
  return 'open_left';
}

/** SIGKILL a random instance (never the last one standing), restart it a moment later. */
