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
import { buildPath, hisApi, isFinal, patientApi as api, type Endpoint, type OrderState } from '@mip/shared';
import { billsApi, type ReconciliationRun } from '../../shared/src/contract/bills';
import { personByKey } from '../../sandbox/seed/persons';
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';
import { Keys } from '../../bff/src/store/keys';
import { OrderStore, dayOf } from '../../bff/src/store/order-store';
import { JobQueue } from '../../bff/src/store/queue';
import type { Order } from '../../bff/src/domain/order';
import { HisClient } from './his-client';
import { testStack, type TestStack } from './stack';

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

interface Res {
  status: number;
  body: any;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const rand = (a: number, b: number) => a + Math.floor(Math.random() * (b - a + 1));

async function http(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<Res> {
  try {
    const res = await fetch(url, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  } catch (err) {
    return { status: 0, body: { error: { code: 'NETWORK', message: (err as Error).message } } };
  }
}

const code = (r: Res): string => r.body?.error?.code ?? '';

/** What the client repeats: no answer, a server or peer failure, too many requests, a busy order. */
function retryable(r: Res): boolean {
  return r.status === 0 || r.status >= 500 || r.status === 429 || (r.status === 409 && code(r) === 'ORDER_STATE_CONFLICT');
}

async function retrying(fn: () => Promise<Res>, tries = 8, baseMs = 400): Promise<Res> {
  let r: Res = { status: 0, body: {} };
  for (let i = 0; i < tries; i++) {
    r = await fn();
    if (!retryable(r)) return r;
    await sleep(baseMs * (i + 1) + rand(0, 200));
  }
  return r;
}

/** A crowd patient in one mini-program, over the stack's public URL (the proxy). */
class Patient {
  token = '';
  busy = false;
  constructor(readonly key: string, readonly channel: 'wechat' | 'alipay', readonly stack: TestStack) {}

  get openid(): string {
    return `sandbox-${this.key}`;
  }
  get userId(): string {
    return personByKey(this.key)!.alipayUserId;
  }

  bff(e: Endpoint, opts: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {}): Promise<Res> {
    return http(e.method, this.stack.urls.bff + buildPath(e.path, opts.params), e.method === 'GET' ? undefined : (opts.body ?? {}), {
      authorization: `Bearer ${this.token}`,
      ...(opts.headers ?? {}),
    });
  }

  private async channelCode(scopes: string[]): Promise<string> {
    const r =
      this.channel === 'wechat'
        ? await http('POST', `${this.stack.urls.wechat}/sandbox/dev/login-code`, { openid: this.openid })
        : await http('POST', `${this.stack.urls.alipay}/sandbox/dev/auth-code`, { userId: this.userId, scopes });
    return this.channel === 'wechat' ? r.body.code : r.body.authCode;
  }

  async login(): Promise<void> {
    const r = await retrying(async () => this.bff(api.login, { body: { channel: this.channel, code: await this.channelCode(['auth_base']) } }));
    if (r.status !== 200) throw new Error(`${this.key}/${this.channel} login: ${r.status} ${JSON.stringify(r.body)}`);
    this.token = r.body.token;
  }

  async onboard(): Promise<void> {
    const p = personByKey(this.key)!;
    const st = await retrying(() => this.bff(api.insuranceStatus, { body: { regionCode: p.insurance[0].regionCode, idNo: p.idNo, name: p.name } }));
    if (st.status !== 200 || !st.body.insured) throw new Error(`${this.key} status: ${st.status} ${JSON.stringify(st.body)}`);
    const b = await retrying(() => this.bff(api.chooseBenefit, { body: { benefitCode: st.body.benefits[0].code } }));
    if (b.status !== 200) throw new Error(`${this.key} benefit: ${b.status} ${JSON.stringify(b.body)}`);
  }

  /** C11 once: a fresh e-voucher authorization (Alipay: activate the voucher when asked to). */
  async authorizeOnce(): Promise<Res> {
    if (this.channel === 'wechat') {
      const c = await http('POST', `${this.stack.urls.wechat}/sandbox/dev/insurance-auth`, { openid: this.openid });
      return this.bff(api.authorizeInsurance, { body: { authCode: c.body.authCode } });
    }
    let r = await this.bff(api.authorizeInsurance, { body: { authCode: await this.channelCode(['nhsamp', 'auth_user']) } });
    if (r.status === 200 && r.body.status === 'redirect') {
      await http('POST', `${this.stack.urls.alipay}/sandbox/dev/authorize-voucher`, { userId: this.userId });
      r = await this.bff(api.authorizeInsurance, { body: { authCode: await this.channelCode(['nhsamp', 'auth_user']) } });
    }
    return r;
  }

  /** The patient confirms (or fails) the mixed payment inside WeChat / Alipay. */
  async confirm(payment: Record<string, unknown>, outcome: 'ok' | 'fail'): Promise<Res> {
    if (this.channel === 'wechat') return http('POST', `${this.stack.urls.wechat}/sandbox/dev/pay`, { ...payment, openid: this.openid, outcome });
    return http('POST', `${this.stack.urls.alipay}/sandbox/dev/pay`, { tradeNo: payment.tradeNo, outcome });
  }
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

const PAID_STATES: OrderState[] = ['completed', 'partially_refunded', 'refunded', 'reversed'];
const SETTLED_AT_CENTRE = ['6', '7', '8', '9', '10', '11'];

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
    chaos.push(refunder(his, completed, opts.refundEvery, () => running, counters, orderNos));

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

/** Every bookable registration place, repeated by what is left of it, shuffled. */
async function slotPool(p: Patient): Promise<string[]> {
  const pool: string[] = [];
  const { body: d } = await p.bff(api.departments);
  for (const dept of d.departments) {
    const { body: docs } = await p.bff(api.doctors, { params: { deptCode: dept.code } });
    for (const doc of docs.doctors.filter((x: { available: boolean }) => x.available)) {
      const { body: s } = await p.bff(api.slots, { params: { doctorCode: doc.code } });
      // leave the last hours of today alone: a place that closes during the run is refused
      for (const slot of s.slots) for (let i = 0; i < slot.remaining; i++) pool.push(slot.slotId);
    }
  }
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool;
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
async function killer(stack: TestStack, every: [number, number], running: () => boolean, count: () => void, log: (l: string) => void): Promise<void> {
  while (running()) {
    await sleep(rand(every[0], every[1]));
    if (!running()) return;
    const up = stack.bffs.filter((b) => b.running);
    if (up.length < stack.bffs.length) continue;
    const victim = up[rand(0, up.length - 1)];
    await victim.kill();
    count();
    await sleep(rand(200, 2500));
    try {
      await victim.start();
    } catch (err) {
      log(`restart of ${victim.name} failed: ${(err as Error).message}; trying again`);
      await sleep(1000);
      await victim.start();
    }
  }
}

/**
 * HIS refunds while everything else goes on: every `every` completed orders one is refunded
 * (all, or one fen of each part), the same request is repeated (idempotent), and a request for
 * more than is left must be refused.
 */
async function refunder(
  his: HisClient,
  completed: { orderNo: string; amounts: { fundFen: number; acctFen: number; cashFen: number } }[],
  every: number,
  running: () => boolean,
  counters: { refundsRequested: number; refundRepeats: number; overRefundsRefused: number },
  _orderNos: Set<string>,
): Promise<void> {
  let next = 0;
  let n = 0;
  while (running() || next < Math.floor(completed.length / every)) {
    if (next >= Math.floor(completed.length / every)) {
      await sleep(300);
      continue;
    }
    const target = completed[next * every];
    next++;
    const refundNo = `FS${String(++n).padStart(6, '0')}`;
    const partial = n % 2 === 0 && target.amounts.cashFen > 1 && target.amounts.fundFen > 1;
    const body = partial
      ? { orderNo: target.orderNo, refundNo, reason: '故障测试部分退费', amounts: { fundFen: 1, acctFen: 0, cashFen: 1 } }
      : { orderNo: target.orderNo, refundNo, reason: '故障测试退费', all: true as const };
    const first = await retrying(() => his.call(hisApi.createRefund, { body }) as Promise<Res>, 8);
    if (first.status !== 200) continue;
    counters.refundsRequested++;
    const again = await retrying(() => his.call(hisApi.createRefund, { body }) as Promise<Res>, 8);
    if (again.status === 200) counters.refundRepeats++;
    // more than was paid: always refused (422, or 409 while the first one is still running)
    const over = await retrying(
      () => his.call(hisApi.createRefund, { body: { orderNo: target.orderNo, refundNo: `${refundNo}X`, reason: '超额退费', amounts: { fundFen: target.amounts.fundFen + 1, acctFen: 0, cashFen: 0 } } }) as Promise<Res>,
      8,
    );
    if (over.status === 422 || over.status === 409) counters.overRefundsRefused++;
  }
}

/** Until every order is final or with a person, no refund is under way and the queue is empty. */
async function settle(store: OrderStore, queue: JobQueue, orderNos: Set<string>, timeoutMs: number, log: (l: string) => void): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  let lastNote = 0;
  for (;;) {
    let open = 0;
    let refunding = 0;
    for (const n of orderNos) {
      const o = await store.get(n).catch(() => null);
      if (!o) continue;
      if (!isFinal(o.state) && o.state !== 'manual_review') open++;
      if (o.refunds.some((r) => ['requested', 'insurance_refunded', 'awaiting_confirmation'].includes(r.state)) && o.state !== 'manual_review') refunding++;
    }
    const depth = await queue.depth().catch(() => ({ ready: -1, pending: -1, delayed: -1, dead: -1 }));
    if (open === 0 && refunding === 0 && depth.ready === 0 && depth.pending === 0) return true;
    if (Date.now() - lastNote > 10_000) {
      log(`settling: ${open} open, ${refunding} refunding, queue ${JSON.stringify(depth)}`);
      lastNote = Date.now();
    }
    if (Date.now() > until) return false;
    await sleep(1000);
  }
}

interface CentreOrderView {
  payOrdId: string;
  medOrgOrd: string;
  ordStas: string;
  split?: { totalFen: number; fundFen: number; acctFen: number; cashFen: number };
  refunds: { appRefdSn: string; amounts: { fundFen: number; acctFen: number; cashFen: number } }[];
}

/**
 * The money as every party has it, against our orders. Orders with a person (manual review) are
 * left to them, except that nothing may ever be booked twice or refunded beyond what was paid.
 */
async function checkMoney(stack: TestStack, orders: Map<string, Order>, known: Set<string>) {
  const problems: string[] = [];
  let stuck = 0;
  let doubles = 0;
  let lost = 0;
  let overRefunds = 0;
  let mismatches = 0;
  const mismatch = (m: string) => (mismatches++, problems.push(m));

  const ledger = (await http('GET', `${stack.urls.his}/sandbox/ledger`)).body as {
    orders: Record<string, { settlements: number; duplicateBookings: number; reversals: number }>;
  };
  const centre = ((await http('GET', `${stack.urls.national}/sandbox/orders`)).body.orders as CentreOrderView[]).filter((c) => c.medOrgOrd);
  const centreByOrder = new Map(centre.map((c) => [c.medOrgOrd, c]));
  const wechat = (await http('GET', `${stack.urls.wechat}/sandbox/orders`)).body.orders as Record<string, any>[];
  const wechatRefunds = (await http('GET', `${stack.urls.wechat}/sandbox/refunds`)).body.refunds as { out_trade_no: string; status: string; amount: { refund: number } }[];
  const alipay = (await http('GET', `${stack.urls.alipay}/sandbox/orders`)).body.orders as Record<string, any>[];
  const wechatBy = new Map(wechat.map((w) => [String(w.out_trade_no), w]));
  const alipayBy = new Map(alipay.map((a) => [String(a.out_trade_no), a]));
  const fen = (yuan: unknown) => Math.round(Number(yuan ?? 0) * 100);

  for (const n of known) if (!orders.has(n)) (lost++, problems.push(`lost: order ${n} was answered to a patient but is not in Redis`));
  for (const c of centre) if (!orders.has(c.medOrgOrd)) (lost++, problems.push(`lost: the centre has ${c.medOrgOrd} (${c.payOrdId}, ordStas ${c.ordStas}) and we do not`));
  const ours = new Set([...orders.values()].flatMap((o) => [o.orderNo, ...(o.payment ? [o.payment.outTradeNo] : [])]));
  for (const out of wechatBy.keys()) if (!ours.has(out)) (lost++, problems.push(`lost: WeChat has ${out} and we do not`));
  for (const out of alipayBy.keys()) if (!ours.has(out)) (lost++, problems.push(`lost: Alipay has ${out} and we do not`));

  for (const o of orders.values()) {
    const s = o.state;
    const review = s === 'manual_review';
    if (!isFinal(s) && !review) (stuck++, problems.push(`stuck: ${o.orderNo} is ${s}`));

    // HIS: one settlement at most, ever
    const l = ledger.orders[o.orderNo];
    if (l && (l.settlements > 1 || l.duplicateBookings > 0)) (doubles++, problems.push(`double booking in HIS: ${o.orderNo} settlements=${l.settlements} duplicates=${l.duplicateBookings}`));

    // refunds never exceed the payment (ours, the centre's, the channel's)
    const live = o.refunds.filter((r) => r.state !== 'failed');
    for (const k of ['fundFen', 'acctFen', 'cashFen'] as const) {
      const sum = live.reduce((t, r) => t + r.amounts[k], 0);
      if (sum > o.amounts[k]) (overRefunds++, problems.push(`over-refund: ${o.orderNo} ${k} refunded ${sum} of ${o.amounts[k]}`));
    }
    const c = centreByOrder.get(o.orderNo);
    if (c?.split) {
      const back = c.refunds.reduce((t, r) => ({ fundFen: t.fundFen + r.amounts.fundFen, acctFen: t.acctFen + r.amounts.acctFen, cashFen: t.cashFen + r.amounts.cashFen }), { fundFen: 0, acctFen: 0, cashFen: 0 });
      for (const k of ['fundFen', 'acctFen', 'cashFen'] as const) if (back[k] > c.split[k]) (overRefunds++, problems.push(`over-refund at the centre: ${o.orderNo} ${k}`));
    }
    const channelCash = channelCashOf(o, wechatBy, alipayBy, wechatRefunds, fen);
    if (channelCash && channelCash.refunded > channelCash.paid) (overRefunds++, problems.push(`over-refund in ${o.channel}: ${o.orderNo} ${channelCash.refunded} of ${channelCash.paid}`));
    if (review) continue;

    // HIS books exactly the orders that are paid and not reversed
    const booked = l?.settlements ?? 0;
    if (['completed', 'partially_refunded', 'refunded'].includes(s) && booked !== 1) mismatch(`HIS: ${o.orderNo} is ${s} but HIS has ${booked} settlements`);
    if (['cancelled', 'failed', 'reversed'].includes(s) && booked !== 0) mismatch(`HIS: ${o.orderNo} is ${s} but HIS booked it`);

    // the centre: settled exactly when we say paid, for the amounts we hold; a HIS reversal (冲正)
    // of the insurance part shows there as 13 医保已撤销
    const paid = PAID_STATES.includes(s);
    const insurance = o.amounts.fundFen + o.amounts.acctFen;
    const allowed = s === 'reversed' ? (insurance > 0 ? ['7', '8', '9', '10', '11', '13'] : [...SETTLED_AT_CENTRE, '13']) : paid ? SETTLED_AT_CENTRE : null;
    const fits = allowed ? !!c && allowed.includes(c.ordStas) : !c || ![...SETTLED_AT_CENTRE, '13'].includes(c.ordStas);
    if (!fits) mismatch(`centre: ${o.orderNo} is ${s} here, ordStas ${c?.ordStas ?? 'none'} there`);
    if (paid && c?.split && ['totalFen', 'fundFen', 'acctFen', 'cashFen'].some((k) => c.split![k as 'fundFen'] !== o.amounts[k as 'fundFen'])) {
      mismatch(`centre: ${o.orderNo} split ${JSON.stringify(c.split)} vs ours ${JSON.stringify(o.amounts)}`);
    }
    // insurance refunded through the centre (6203) — a HIS reversal (冲正) returns it through HIS instead
    const viaHis = o.reversal?.steps.some((st) => st.step === 'his_reversal' && st.outcome === 'done');
    const ourIns = o.refunds.filter((r) => r.state === 'succeeded' && !(r.requestedBy === 'reversal' && viaHis)).reduce((t, r) => t + r.amounts.fundFen + r.amounts.acctFen, 0);
    const theirIns = (c?.refunds ?? []).filter((r) => !r.appRefdSn.endsWith('C')).reduce((t, r) => t + r.amounts.fundFen + r.amounts.acctFen, 0);
    if (ourIns !== theirIns) mismatch(`centre: ${o.orderNo} insurance refunded ${theirIns} there, ${ourIns} here`);
    if (viaHis && !(l && l.reversals >= 1)) mismatch(`HIS: ${o.orderNo} reversal done here but not in the HIS ledger`);

    // the channel: self-pay collected exactly when paid, refunds as ours
    if (channelCash) {
      const ourCash = o.refunds.filter((r) => r.state === 'succeeded').reduce((t, r) => t + r.amounts.cashFen, 0);
      if (paid && o.amounts.cashFen > 0 && channelCash.paid !== o.amounts.cashFen) mismatch(`${o.channel}: ${o.orderNo} collected ${channelCash.paid}, we hold ${o.amounts.cashFen}`);
      if (!paid && channelCash.paid - channelCash.refunded !== 0) mismatch(`${o.channel}: ${o.orderNo} is ${s} but ${channelCash.paid - channelCash.refunded} fen stay collected`);
      if (paid && channelCash.refunded !== ourCash) mismatch(`${o.channel}: ${o.orderNo} refunded ${channelCash.refunded} there, ${ourCash} here`);
    }
  }
  return { problems, stuck, doubles, lost, overRefunds, mismatches };
}

function channelCashOf(
  o: Order,
  wechatBy: Map<string, Record<string, any>>,
  alipayBy: Map<string, Record<string, any>>,
  wechatRefunds: { out_trade_no: string; status: string; amount: { refund: number } }[],
  fen: (y: unknown) => number,
): { paid: number; refunded: number } | null {
  const out = o.payment?.outTradeNo;
  if (!out) return null;
  if (o.payment!.channel === 'wechat') {
    const w = wechatBy.get(out);
    if (!w) return { paid: 0, refunded: 0 };
    const tradeState = w.transaction?.trade_state;
    const paid = tradeState === 'SUCCESS' || tradeState === 'REFUND' || ['MIX_PAY_SUCCESS', 'MIX_PAY_REFUND'].includes(w.mix_pay_status) ? Number(w.wechat_pay_cash_fee ?? 0) : 0;
    const refunded = wechatRefunds.filter((r) => r.out_trade_no === out && r.status === 'SUCCESS').reduce((t, r) => t + r.amount.refund, 0);
    return { paid, refunded };
  }
  if (o.payment!.channel === 'alipay') {
    const a = alipayBy.get(out);
    if (!a) return { paid: 0, refunded: 0 };
    const paid = ['SUCCESS', 'REFUND'].includes(String(a.own_pay_status)) ? fen(a.real_amount) : 0;
    const refunded = (a.refunds as { amountFen: number }[]).reduce((t, r) => t + r.amountFen, 0);
    return { paid, refunded };
  }
  return null;
}
