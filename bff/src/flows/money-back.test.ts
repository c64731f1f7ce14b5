/**
 * The money-back flows with stand-in peers and an in-memory order store: which peer is called,
 * with which number and time, and how the order ends. The policy itself: domain/money-back.test.ts.
 */
import type { Change } from '../domain/change';
import { orderFixture } from '../domain/fixtures';
import type { Job } from '../domain/jobs';
import type { Order } from '../domain/order';
import { createLogger } from '../obs/log';
import { PeerError } from '../domain/peer-error';
import type { QueryOutcome, RefundOutcome } from '../national/port';
import type { InsuranceRefundNotice, InsuranceRefundNoticeResult } from '../channels/port';
import { onChannelNotification } from './confirming';
import type { Deps } from './deps';
import { moneyBackJob, noticeJob, reversalJob } from './money-back';
import { writeBackJob } from './write-back';

const NO = 'O261123100000ABCDEF';
const refunded: RefundOutcome = { kind: 'refunded', refundRef: 'C1' };
const noAnswer: RefundOutcome = { kind: 'unknown', reason: 'no answer', why: 'timeout' };
const answered = (ordStas: string): QueryOutcome => ({ kind: 'answered', status: { payOrdId: 'P1', ordStas } });
const T0 = Date.parse('2026-11-23T02:00:00.000Z');

class Orders {
  readonly docs = new Map<string, Order>();
  readonly jobs: Job[] = [];
  async get(no: string) {
    const o = this.docs.get(no);
    return o ? structuredClone(o) : null;
  }
  async update(no: string, decide: (o: Order) => Change | null) {
    const current = (await this.get(no))!;
    const change = decide(current);
    if (!change) return { order: current, change: null };
    this.docs.set(no, { ...change.order, version: current.version + 1 });
    this.jobs.push(...change.jobs);
    return { order: change.order, change };
  }
  async appendCall() {}
  async byRef() {
    return NO;
  }
}

interface World {
  deps: Deps;
  orders: Orders;
  calls: string[];
  notices: InsuranceRefundNotice[];
  clock: { ms: number };
}

function world(order: Order, peers: { notice?: () => Promise<InsuranceRefundNoticeResult>; refund6203?: (q: { appRefdSn: string; refdType: string }) => Promise<RefundOutcome>; query6301?: () => Promise<QueryOutcome>; hisCanReverse?: boolean; channel?: Partial<Record<string, unknown>> } = {}): World {
  const orders = new Orders();
  orders.docs.set(order.orderNo, order);
  const calls: string[] = [];
  const notices: InsuranceRefundNotice[] = [];
  const clock = { ms: T0 + 3_600_000 };
  const channel = {
    name: 'wechat',
    refundCash: async (q: { refundNo: string; refundFen: number }) => (calls.push(`refundCash ${q.refundNo} ${q.refundFen}`), { status: 'succeeded', channelRefundId: 'WXR1' }),
    notifyInsuranceRefund: async (q: InsuranceRefundNotice) => (calls.push(`notice ${q.refundNo}`), notices.push(q), peers.notice ? peers.notice() : { status: 'sent' }),
    ...peers.channel,
  };
  // the kiosk's centre cashier: its cash goes back through 6203 CASH inside the port, no 医保退款通知
  const cashier = {
    name: 'cashier',
    refundCash: async (q: { refundNo: string }) => (calls.push(`6203 CASH ${q.refundNo}C`), { status: 'succeeded' }),
    notifyInsuranceRefund: async () => ({ status: 'not_needed' }),
  };
  const deps = {
    log: createLogger('money-back-test', 'silent'),
    orders,
    now: () => new Date(clock.ms),
    config: { his: { writeBack: { baseDelayMs: 10, maxDelayMs: 50, deadlineMs: 60_000 } }, national: { settledOrdStas: ['6'], pollBaseMs: 100, pollMaxMs: 1000, pollMaxAttempts: 5 } },
    his: {
      capabilities: { reversal: peers.hisCanReverse ?? false },
      queryBooking: async (q: { kind: string }) => (calls.push(`queryBooking ${q.kind}`), { booked: false }),
      reverseInsurance: async () => (calls.push('reverseInsurance'), { outcome: 'reversed', hisReversalNo: 'HR1' }),
      writeBackSettlement: async () => (calls.push('writeBack'), { outcome: 'recorded', hisReceiptNo: 'SJ1' }),
    },
    // the insurance centre's port (national/port.ts), answering in domain outcomes
    centre: {
      refund: async (q: { appRefdSn: string; refdType: string }) => (calls.push(`6203 ${q.refdType} ${q.appRefdSn}`), peers.refund6203 ? peers.refund6203(q) : refunded),
      querySettlement: async () => (calls.push('6301'), peers.query6301 ? peers.query6301() : answered('6')),
    },
    pii: { open: () => ({ idNo: '440301199001011234', name: '张三' }) },
    channels: { wechat: channel, alipay: channel, cashier },
  } as unknown as Deps;
  return { deps, orders, calls, notices, clock };
}

const paidAt = new Date(T0).toISOString();
const reversingOrder = (over: Partial<Order> = {}) =>
  orderFixture({
    state: 'reversing',
    reversal: { startedAt: paidAt, reason: 'HIS 拒绝入账', steps: [] },
    refunds: [{ refundNo: `${NO}RV`, requestedBy: 'reversal', state: 'requested', amounts: { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 }, reason: 'HIS 拒绝入账', createdAt: paidAt }],
    ...over,
  });
const stored = (w: World) => w.orders.docs.get(NO)!;
const jobOf = (w: World, type: string) => w.orders.jobs.find((j) => j.type === type);

async function runNotice(w: World): Promise<unknown> {
  const j = jobOf(w, 'refund.notice')!;
  return noticeJob(w.deps, j.key, j.data!.refundNo);
}

describe('money back, as the flows run it', () => {
  it('refunds the cash of a failed mixed payment whose cash leg was taken, and the order ends failed', async () => {
    const w = world(orderFixture({ state: 'awaiting_payment' }), {
      channel: { parseNotification: async () => ({ kind: 'payment', eventId: 'E1', outTradeNo: NO, status: 'failed', legs: { cash: 'taken', insurance: 'not_taken' } }), ackNotification: () => ({ status: 204 }) },
    });
    await onChannelNotification(w.deps, 'wechat', { headers: {}, rawBody: Buffer.from('{}') });
    const j = jobOf(w, 'refund.run')!;
    expect(await moneyBackJob(w.deps, j.key, j.data!.refundNo)).toBe('done');
    expect(w.calls).toEqual([`refundCash ${NO}RF 2500`]);
    expect(stored(w).state).toBe('failed');
    expect(stored(w).refunds[0]).toMatchObject({ state: 'succeeded', cash: { outcome: 'succeeded' } });
  });

  it('reverses through HIS, refunds the cash, then tells the channel with the same refund number and the insurance refund’s time', async () => {
    const w = world(reversingOrder(), { hisCanReverse: true });
    expect(await reversalJob(w.deps, NO)).toBe('done');
    expect(stored(w).state).toBe('reversed');
    w.clock.ms += 60_000;
    expect(await runNotice(w)).toBe('done');
    expect(w.calls).toEqual(['queryBooking settlement', 'reverseInsurance', `refundCash ${NO}RV 2500`, `notice ${NO}RV`]);
    expect(w.notices[0]).toMatchObject({ refundNo: `${NO}RV`, amounts: { totalFen: 7_500, fundFen: 6_000, acctFen: 1_500 }, refundedAt: new Date(T0 + 3_600_000).toISOString() });
  });

  it('reverses through 6203 when HIS cannot, and sends the notice', async () => {
    const w = world(reversingOrder());
    await reversalJob(w.deps, NO);
    await runNotice(w);
    expect(w.calls).toEqual(['queryBooking settlement', `6203 HI ${NO}RV`, `refundCash ${NO}RV 2500`, `notice ${NO}RV`]);
  });

  it('refunds an HIS refund through 6203 and the channel, then sends the notice', async () => {
    const o = orderFixture({ state: 'completed', refunds: [{ refundNo: 'RF1', requestedBy: 'his', state: 'requested', amounts: { totalFen: 1_000, fundFen: 600, acctFen: 150, cashFen: 250 }, reason: '退费', createdAt: paidAt, insurance: { appRefdSn: `${NO}RF1` } }] });
    const w = world(o);
    expect(await moneyBackJob(w.deps, NO, 'RF1')).toBe('done');
    await runNotice(w);
    expect(w.calls).toEqual([`6203 HI ${NO}RF1`, 'refundCash RF1 250', 'notice RF1']);
    expect(stored(w).state).toBe('partially_refunded');
  });

  it('keeps delivering a notice the channel refuses for an hour, without holding up the cash refund', async () => {
    let refusals = 0;
    const w = world(reversingOrder(), { notice: async () => (w.clock.ms < T0 + 2 * 3_600_000 ? (refusals++, { status: 'retry', code: 'SYSTEM_ERROR', message: 'busy' }) : { status: 'sent' }) });
    await reversalJob(w.deps, NO);
    expect(stored(w).state).toBe('reversed');
    let outcome = await runNotice(w);
    while (outcome !== 'done') {
      w.clock.ms += (outcome as { retryInMs: number }).retryInMs;
      outcome = await runNotice(w);
    }
    expect(refusals).toBeGreaterThan(5);
    expect(stored(w).refunds[0].notice).toMatchObject({ state: 'sent' });
  });

  it('retries a notice whose request got no answer', async () => {
    let first = true;
    const w = world(reversingOrder(), {
      notice: async () => {
        if (first) throw ((first = false), new PeerError('wechat', 'med-ins-refund-notify', 'timeout', 'no answer'));
        return { status: 'sent' };
      },
    });
    await reversalJob(w.deps, NO);
    expect(await runNotice(w)).toEqual({ retryInMs: expect.any(Number) });
    expect(await runNotice(w)).toBe('done');
  });

  it('asks the centre (6301) after a 6203 without an answer, and goes on to the cash without sending it again when the insurance is back', async () => {
    const w = world(reversingOrder(), {
      refund6203: async () => noAnswer,
      query6301: async () => answered('8'),
    });
    expect(await reversalJob(w.deps, NO)).toEqual({ retryInMs: expect.any(Number) });
    expect(await reversalJob(w.deps, NO)).toBe('done');
    expect(w.calls).toEqual(['queryBooking settlement', `6203 HI ${NO}RV`, '6301', `refundCash ${NO}RV 2500`]);
    expect(stored(w).state).toBe('reversed');
  });

  it('sends the same 6203 again only after 6301 shows the order untouched', async () => {
    let first = true;
    const w = world(reversingOrder(), {
      refund6203: async () => (first ? ((first = false), noAnswer) : refunded),
    });
    await reversalJob(w.deps, NO);
    expect(await reversalJob(w.deps, NO)).toBe('done');
    expect(w.calls).toEqual(['queryBooking settlement', `6203 HI ${NO}RV`, '6301', `6203 HI ${NO}RV`, `refundCash ${NO}RV 2500`]);
  });

  it('sends a reversal whose 6203 has no authorization to a person with a line saying so', async () => {
    const w = world(reversingOrder(), { refund6203: async () => ({ kind: 'authorization_missing', reason: '退费所需的支付授权已不在订单上 (original)' }) });
    await reversalJob(w.deps, NO);
    expect(stored(w).state).toBe('manual_review');
    expect(stored(w).timeline.at(-1)!.reason).toContain('授权');
    expect(w.calls).not.toContain(`refundCash ${NO}RV 2500`);
  });

  it('refunds a kiosk’s cash through the centre cashier’s port (6203 CASH) and needs no notice', async () => {
    const kiosk = reversingOrder({ channel: 'kiosk', payment: { channel: 'cashier', channelRef: 'Q1', outTradeNo: NO, createdAt: paidAt, expiresAt: paidAt } });
    const w = world(kiosk);
    await reversalJob(w.deps, NO);
    await runNotice(w);
    expect(w.calls).toEqual(['queryBooking settlement', `6203 HI ${NO}RV`, `6203 CASH ${NO}RVC`]);
    expect(stored(w).refunds[0].notice).toMatchObject({ state: 'not_needed' });
  });

  it('judges the write-back deadline by the injected clock, not the process clock', async () => {
    // the process clock is decades before the deadline; the injected one is past it
    const o = orderFixture({ state: 'paid', paidAt, writeBack: { attempts: 2, deadlineAt: '2099-01-01T00:00:00.000Z' } });
    const w = world(o);
    w.clock.ms = Date.parse('2099-01-01T00:00:01.000Z');
    await writeBackJob(w.deps, NO);
    expect(w.calls).not.toContain('writeBack');
    expect(stored(w).state).toBe('reversing');
  });
});
