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
import { code, http, Patient, retrying, sleep, slotPool, type Res } from './fault-patient';
import { checkMoney } from './fault-money';
import { killer, refunder, settle } from './fault-actors';
import { Chance, injectedCounts, injectedSequence, planRun, type FlowPlan, type Peer } from './fault-plan';

export interface FaultSuiteOptions {
  /** every random choice of the run comes from this seed (test/support/fault-plan.ts) */
  seed: number;
  flows: number;
  /** patients paying at the same time */
  concurrency: number;
  /** crowd patients taking part (each pays in both mini-programs) */
  patients: number;
  /** BFF instances behind the proxy (default 3) */
  instances?: number;
  /** a random instance is killed every [min, max] ms while flows run; null: no kills */
  killEveryMs: [number, number] | null;
  /** Redis SIGKILL + restart this many times, spread over the run */
  redisRestarts: number;
  /** one HIS refund request per this many completed orders */
  refundEvery: number;
  /** how long an unpaid order lives (abandoned flows end when it passes); default 30 s */
  unpaidOrderTtlMs?: number;
  /** how long the system may take to settle after the last flow */
  settleTimeoutMs: number;
  /** where to write the report (JSON) and the summary line */
  artifactsDir?: string;
  log?: (line: string) => void;
}

export interface FaultSuiteReport {
  /** what a replay with the same seed repeats: the seed, the planned faults and every invariant */
  line: string;
  /** what depends on timing (kills, how many orders got as far as which state, seconds) */
  details: string;
  /** the injected faults in the order the flows arm them (`flow 3 his writeBack:timeout`) */
  injected: string[];
  summary: {
    seed: number;
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

type FlowOutcome = 'paid_seen' | 'open_left' | 'ended_other' | 'create_failed' | 'pay_failed' | 'authorize_failed';

export async function runFaultSuite(opts: FaultSuiteOptions): Promise<FaultSuiteReport> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`[faults] ${l}\n`));
  const t0 = Date.now();
  const instances = opts.instances ?? 3;
  const chance = new Chance(opts.seed);
  const plan = planRun(opts.seed, { flows: opts.flows, patients: opts.patients * 2, killEveryMs: opts.killEveryMs, instances });
  log(`seed ${opts.seed} (replay: FAULT_SEED=${opts.seed} npm run test:faults), ${injectedSequence(plan).length} faults planned`);
  const stack = await testStack({
    bffInstances: instances,
    bffConfig: {
      // abandoned orders are cancelled within the settle phase
      unpaidOrderTtlMs: opts.unpaidOrderTtlMs ?? 30_000,
      // all patients come from one address and pay far more often than people do
      rateLimits: { login: { limit: 100_000, windowSeconds: 60 }, orderCreate: { limit: 1000, windowSeconds: 60 }, orderPay: { limit: 1000, windowSeconds: 60 } },
      workerConcurrency: 16,
      // lost notifications are confirmed by the background polls 5 s after the channel order
      // (production: 30 s WeChat / 15 s Alipay), so they race late notifications within the run
      national: { notifyWindowMs: 5000 },
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
      patients.push(new Patient(key, 'wechat', stack, chance.stream(`${key}/wechat`)), new Patient(key, 'alipay', stack, chance.stream(`${key}/alipay`)));
    }
    for (let i = 0; i < patients.length; i += 20) {
      await Promise.all(patients.slice(i, i + 20).map(async (p) => (await p.login(), await p.onboard())));
    }
    const slots = await slotPool(patients[0], chance.stream('slots'));
    log(`stack up, ${patients.length} patient sessions, ${slots.length} registration places (${Math.round((Date.now() - t0) / 1000)} s)`);

    // ---------------------------------------------------------------- chaos loops (faults: each flow arms its own)
    const chaos: Promise<void>[] = [];
    if (opts.killEveryMs) chaos.push(killer(stack, plan.kills, () => running, () => counters.kills++, log));
    chaos.push(refunder(his, completed, opts.refundEvery, () => running, counters, chance.stream('refunder')));

    // ---------------------------------------------------------------- flows
    const runStart = Date.now();
    let started = 0;
    let finished = 0;
    const restartAt = Array.from({ length: opts.redisRestarts }, (_, k) => Math.floor((opts.flows * (k + 1)) / (opts.redisRestarts + 1)));
    const flow = async (p: Patient, f: FlowPlan): Promise<void> => {
      await armFaults(stack, f);
      const o = await runFlow(p, f, chance.stream(`flow ${f.i}/run`), slots, orderNos, completed, failures);
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
          // the planned patient, or the next one free
          const first = plan.flows[i].patient;
          const p = Array.from({ length: patients.length }, (_, k) => patients[(first + k) % patients.length]).find((x) => !x.busy)!;
          p.busy = true;
          try {
            await flow(p, plan.flows[i]);
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
    // the refund notices refused for an hour (WeChat switch refund-notice): the hour passes on the sandbox clock
    await http('POST', `${stack.urls.wechat}/sandbox/clock`, { advanceMs: 3_660_000 });
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
    // A run whose source did not answer (a 6301 timing out on a loaded machine) says so and is run
    // again, as finance staff would; only the last run counts.
    const runRecon = () => his.call(billsApi.runReconciliation, { body: { date: `${today.slice(0, 4)}-${today.slice(4, 6)}-${today.slice(6)}` } });
    let recon = await runRecon();
    for (let again = 0; again < 2 && recon.status === 200 && !(recon.body as ReconciliationRun).complete; again++) recon = await runRecon();
    let reconDifferences = -1;
    if (recon.status === 200) {
      const run = recon.body as ReconciliationRun;
      reconDifferences = run.differences.length;
      for (const d of run.differences.slice(0, 20)) problems.push(`reconciliation: ${d.kind} ${d.orderNo ?? d.outTradeNo ?? ''} ${d.detail}`);
      if (!run.complete) problems.push(`reconciliation run incomplete: ${JSON.stringify(run.sources)}`);
    } else problems.push(`reconciliation run failed: ${recon.status} ${recon.text.slice(0, 200)}`);

    // what happened to the orders named in a problem, and to those sent to a person, for whoever reads the report
    const reviewed = [...orders.values()].filter((o) => o.state === 'manual_review').map((o) => o.orderNo);
    const named = new Set([...problems.flatMap((p) => p.match(/[RO]\d{12}[0-9A-Z]{6}/g) ?? []), ...reviewed]);
    const orderDetails: Record<string, unknown> = {};
    for (const n of [...named].slice(0, 30)) {
      const o = orders.get(n);
      orderDetails[n] = { state: o?.state, timeline: o?.timeline, writeBack: o?.writeBack, reversal: o?.reversal, refunds: o?.refunds, calls: await store.calls(n).catch(() => []) };
    }

    const states: Record<string, number> = {};
    for (const o of orders.values()) states[o.state] = (states[o.state] ?? 0) + 1;
    const reviews = [...orders.values()].filter((o) => o.state === 'manual_review').map((o) => ({ orderNo: o.orderNo, reason: o.review?.reason ?? '?' }));
    const sumCounts = (pred: (k: string) => boolean) => Object.entries(faultCounts).filter(([k]) => pred(k)).reduce((n, [, v]) => n + v, 0);
    const summary: FaultSuiteReport['summary'] = {
      seed: opts.seed,
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
    const planned = Object.entries(injectedCounts(plan));
    const plannedOf = (pred: (k: string) => boolean) => planned.filter(([k]) => pred(k)).reduce((n, [, v]) => n + v, 0);
    const line =
      `FAULT SUITE seed=${opts.seed} flows=${summary.flows} faultsPlanned=${plannedOf(() => true)} (duplicates=${plannedOf((k) => k.endsWith(':duplicate'))} ` +
      `reorders=${plannedOf((k) => k.endsWith(':reorder'))}) redisRestarts=${summary.redisRestarts} stuck=${summary.stuck} doublesFound=${summary.doublesFound} ` +
      `lost=${summary.lost} overRefunds=${summary.overRefunds} moneyMismatches=${summary.moneyMismatches} reconDifferences=${summary.reconciliationDifferences}`;
    const details =
      `kills=${summary.kills} orders=${summary.orders} ordersFinal=${summary.ordersFinal} manualReview=${summary.manualReview} refunds=${summary.refundsRequested} ` +
      `fired: duplicates=${summary.duplicatesInjected} reorders=${summary.reordersInjected} peerFaults=${summary.peerFaultsInjected} ${summary.seconds.total}s`;
    const report: FaultSuiteReport = { line, details, injected: injectedSequence(plan), summary, problems, reviews };
    if (opts.artifactsDir) {
      fs.mkdirSync(opts.artifactsDir, { recursive: true });
      fs.writeFileSync(path.join(opts.artifactsDir, 'fault-suite.json'), JSON.stringify({ ...report, faultCounts, proxy: await proxyStats(stack), orderDetails }, null, 2));
      fs.appendFileSync(path.join(opts.artifactsDir, 'fault-suite.log'), `${new Date().toISOString()} ${line} | ${details}\n`);
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

/** The centre's 6302 of a completed order sent again, sealed `sealedAgoMs` ago (a notification repeated hours later). */
async function resendLate(stack: TestStack, orderNo: string, sealedAgoMs: number): Promise<void> {
  // The centre order that settled: after an unanswered 6201 the order number's own medOrgOrd names an
  // abandoned upload (never ordered, so the real centre never notifies for it); the re-upload is
  // `${orderNo}R<n>`. ordStas 6 = settled (national-mobile-pay-2.0.md §7).
  const c = await http('GET', `${stack.urls.national}/sandbox/orders`);
  const orders: Array<{ payOrdId: string; medOrgOrd: string; ordStas: string }> = c.body?.orders ?? [];
  const settled = orders.find((o) => (o.medOrgOrd === orderNo || o.medOrgOrd.startsWith(`${orderNo}R`)) && o.ordStas === '6');
  if (c.status !== 200 || !settled) return;
  await http('POST', `${stack.urls.national}/sandbox/orders/${settled.payOrdId}/notify?sealedAgoMs=${sealedAgoMs}`);
}

/** The flow's planned faults, armed on the peers when it starts: each fires once, on the next matching call. */
async function armFaults(stack: TestStack, f: FlowPlan): Promise<void> {
  const byPeer = new Map<Peer, Record<string, unknown>[]>();
  for (const k of f.faults) if (!k.suite) byPeer.set(k.peer, [...(byPeer.get(k.peer) ?? []), { ...k.rule, times: 1 }]);
  for (const [peer, rules] of byPeer) await http('POST', `${stack.urls[peer]}/sandbox/faults`, { rules });
}

async function runFlow(
  p: Patient,
  plan: FlowPlan,
  chance: Chance,
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
  const i = plan.i;
  const auth = await retrying(() => p.authorizeOnce(), chance);
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
    const key = `fs-${i}-${attempt}-${chance.token()}`;
    const r = await retrying(() => p.bff(api.createOrder, { body, headers: { 'idempotency-key': key } }), chance);
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
    const r = await retrying(() => p.bff(api.payOrder, { params: { orderNo }, body: {} }), chance, 4);
    lastPay = r;
    if (r.status === 200 && r.body.payment) paid = r;
    else if (['AUTHORIZATION_REQUIRED', 'AUTHORIZATION_FAILED'].includes(code(r))) await retrying(() => p.authorizeOnce(), chance);
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
    const cashTaken = plan.ending === 'pay' && p.channel === 'alipay' && plan.faults.some((k) => k.suite === 'cash-taken');
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await p.confirm(paid.body.payment, cashTaken ? 'medical_fail_cash_taken' : plan.ending === 'pay' ? 'ok' : 'fail');
      if (r.status !== 0 && r.status < 500) break;
      await sleep(500);
    }
  } else if (plan.ending === 'cancel') {
    await retrying(() => p.bff(api.cancelOrder, { params: { orderNo } }), chance, 4);
  }
  if (plan.ending === 'abandon') return 'open_left';

  // ---- the result page: look a few times, then leave it to the BFF
  for (let look = 0; look < 16; look++) {
    const g = await p.bff(api.getOrder, { params: { orderNo } });
    const state: string | undefined = g.body?.order?.state;
    if (state === 'completed') {
      const a = g.body.order.amounts;
      completed.push({ orderNo, amounts: { fundFen: a.fundFen, acctFen: a.acctFen, cashFen: a.cashFen } });
      for (const k of plan.faults.filter((x) => x.suite === 'resend-late')) await resendLate(p.stack, orderNo, Number(k.rule.sealedAgoMs));
      return 'paid_seen';
    }
    if (state && isFinal(state as OrderState)) return 'ended_other';
    await sleep(500);
  }
  return 'open_left';
}
