import { Draft } from './change';
import { orderFixture } from './fixtures';
import {
  CASH_PROCESSING_MAX,
  MONEY_BACK_MAX_UNCLEAR,
  nextMoneyBackStep,
  NOTICE_MAX_MS,
  onBookingChecked,
  onCashLeg,
  onInsuranceLeg,
  onInsuranceQueried,
  onMoneyBackFinished,
  onNoticeResult,
  onPaymentFailedWithMoneyTaken,
  type LegResult,
  type TakenLegs,
} from './money-back';
import type { Order } from './order';
import { requestRefund } from './refund';
import { onCashReport, onSettlementReport } from './settlement';
import { onWriteBack } from './write-back';

const now = new Date('2026-11-23T02:11:00.000Z');
const later = new Date('2026-11-23T02:12:00.000Z');
const NO = 'O261123100000ABCDEF';
const RV = `${NO}RV`;
const RF = `${NO}RF`;
const policy = { settledOrdStas: ['6'], pollBaseMs: 1000, pollMaxMs: 8000, pollMaxAttempts: 5, writeBackDeadlineMs: 600_000 };

function reversing(): Order {
  const paid = orderFixture({ state: 'paid', writeBack: { attempts: 3, deadlineAt: '2026-11-23T02:10:00.000Z' } });
  return onWriteBack(paid, { kind: 'not_delivered', reason: 'down' }, { baseDelayMs: 1, maxDelayMs: 2 }, now).change!.order;
}
const notBooked = () => onBookingChecked(reversing(), RV, { booked: false }, now).change!.order;
function refunding(amounts = { fundFen: 600, acctFen: 150, cashFen: 250 }): Order {
  return requestRefund(orderFixture({ state: 'completed' }), { refundNo: 'RF1', amounts, reason: '退费', requestedBy: 'his' }, now)!.order;
}
const cashFailed = (legs: TakenLegs = { cash: 'taken', insurance: 'not_taken' }, o = orderFixture()) =>
  onCashReport(o, { source: 'channel_notify', status: 'failed', legs }, policy, now);
const ins = (o: Order, no: string, res: LegResult, route: '6203' | 'his_reversal' = '6203') => onInsuranceLeg(o, no, route, res, now);
const refundOf = (o: Order, no: string) => o.refunds.find((r) => r.refundNo === no)!;
const lastLine = (o: Order) => o.timeline[o.timeline.length - 1];

describe('money back: reversal (write-back gave up)', () => {
  it('asks HIS whether it booked the settlement before anything goes back', () => {
    expect(nextMoneyBackStep(reversing(), RV, true)).toEqual({ step: 'booking_query' });
  });

  it('completes the order instead of reversing when HIS had booked it after all', () => {
    const d = onBookingChecked(reversing(), RV, { booked: true, hisReceiptNo: 'R7' }, now);
    expect(d.change!.order.state).toBe('completed');
    expect(refundOf(d.change!.order, RV).state).toBe('failed');
  });

  it('reverses the insurance part through HIS when HIS can reverse', () => {
    expect(nextMoneyBackStep(notBooked(), RV, true)).toMatchObject({ step: 'insurance', route: 'his_reversal', amounts: { totalFen: 7_500, cashFen: 0 } });
  });

  it('refunds the insurance part through 6203 when HIS has no reversal call', () => {
    expect(nextMoneyBackStep(notBooked(), RV, false)).toMatchObject({ step: 'insurance', route: '6203', appRefdSn: RV });
  });

  it('falls back to 6203 when HIS refuses the reversal', () => {
    const o = ins(notBooked(), RV, { outcome: 'refused', detail: '不支持' }, 'his_reversal').change!.order;
    expect(o.state).toBe('reversing');
    expect(nextMoneyBackStep(o, RV, true)).toMatchObject({ step: 'insurance', route: '6203' });
  });

  it('refunds the cash through the channel once the insurance part is back, then ends reversed', () => {
    let o = ins(notBooked(), RV, { outcome: 'succeeded', ref: 'HR1' }, 'his_reversal').change!.order;
    expect(nextMoneyBackStep(o, RV, true)).toEqual({ step: 'cash', cashFen: 2_500 });
    o = onCashLeg(o, RV, { outcome: 'succeeded', ref: 'WXR1' }, now).change!.order;
    expect(nextMoneyBackStep(o, RV, true)).toEqual({ step: 'finish' });
    const done = onMoneyBackFinished(o, RV, now)!.order;
    expect(done.state).toBe('reversed');
    expect(done.reversal!.steps.map((s) => s.step)).toEqual(['booking_query', 'his_reversal', 'cash_refund']);
  });

  it('gives money owed back to a person when the centre refuses its 6203', () => {
    const o = ins(notBooked(), RV, { outcome: 'refused', detail: 'FAIL' }).change!.order;
    expect(o.state).toBe('manual_review');
    expect(refundOf(o, RV).state).toBe('manual_review');
  });

  it('asks HIS again after an unclear booking answer and gives it to a person after five tries', () => {
    let o = reversing();
    for (let i = 1; i < MONEY_BACK_MAX_UNCLEAR; i++) o = onBookingChecked(o, RV, { booked: 'unknown', detail: 'timeout' }, now).change!.order;
    expect(o.state).toBe('reversing');
    expect(onBookingChecked(o, RV, { booked: 'unknown', detail: 'timeout' }, now).change!.order.state).toBe('manual_review');
  });
});

describe('money back: refund asked for by HIS or staff', () => {
  it('refunds the insurance part through 6203 before the cash', () => {
    expect(nextMoneyBackStep(refunding(), 'RF1', true)).toMatchObject({ step: 'insurance', route: '6203', amounts: { totalFen: 750 } });
  });

  it('fails the refund (nothing moved) when the centre refuses its 6203', () => {
    const d = ins(refunding(), 'RF1', { outcome: 'refused', detail: 'FAIL' });
    expect(d.change!.order.state).toBe('completed');
    expect(refundOf(d.change!.order, 'RF1').state).toBe('failed');
    expect(d.retryInMs).toBeUndefined();
  });

  it('never repeats a 6203 the centre calls abnormal (EXP): a person decides', () => {
    const d = ins(refunding(), 'RF1', { outcome: 'abnormal', detail: 'EXP' });
    expect(d.retryInMs).toBeUndefined();
    expect(d.change!.order.state).toBe('manual_review');
  });

  it('asks the centre again with the same refund number after no answer, then a person after five', () => {
    let o = refunding();
    for (let i = 1; i < MONEY_BACK_MAX_UNCLEAR; i++) {
      const d = ins(o, 'RF1', { outcome: 'unknown', detail: 'timeout' });
      expect(d.retryInMs).toBeGreaterThan(0);
      o = d.change!.order;
    }
    expect(ins(o, 'RF1', { outcome: 'unknown', detail: 'timeout' }).change!.order.state).toBe('manual_review');
  });

  it('asks the centre (6301) before sending a 6203 again that had no trustworthy answer', () => {
    const o = ins(refunding(), 'RF1', { outcome: 'unknown', detail: 'unsigned 9999' }).change!.order;
    expect(refundOf(o, 'RF1').state).toBe('requested');
    expect(nextMoneyBackStep(o, 'RF1', true)).toEqual({ step: 'insurance_query', appRefdSn: refundOf(o, 'RF1').insurance!.appRefdSn });
  });

  it('takes the insurance part as back when 6301 shows it refunded in full, without sending the 6203 again', () => {
    const o = ins(refunding({ fundFen: 6000, acctFen: 1500, cashFen: 2500 }), 'RF1', { outcome: 'unknown', detail: 'timeout' }).change!.order;
    const d = onInsuranceQueried(o, 'RF1', { answered: true, ordStas: '8' }, later);
    expect(refundOf(d.change!.order, 'RF1')).toMatchObject({ state: 'insurance_refunded', insurance: { outcome: 'SUCC', refundedAt: later.toISOString() } });
    expect(nextMoneyBackStep(d.change!.order, 'RF1', true)).toMatchObject({ step: 'cash' });
  });

  it('sends the same 6203 again when 6301 shows the order untouched (still settled)', () => {
    const o = ins(refunding(), 'RF1', { outcome: 'unknown', detail: 'timeout' }).change!.order;
    const d = onInsuranceQueried(o, 'RF1', { answered: true, ordStas: '6' }, later);
    expect(d.retryInMs).toBe(0);
    expect(nextMoneyBackStep(d.change!.order, 'RF1', true)).toMatchObject({ step: 'insurance', route: '6203', appRefdSn: refundOf(o, 'RF1').insurance!.appRefdSn });
  });

  it('asks 6301 again later when it is not answered either, and never resends meanwhile', () => {
    const o = ins(refunding(), 'RF1', { outcome: 'unknown', detail: 'timeout' }).change!.order;
    const d = onInsuranceQueried(o, 'RF1', { answered: false, detail: 'timeout' }, later);
    expect(d.retryInMs).toBeGreaterThan(0);
    expect(nextMoneyBackStep(d.change!.order, 'RF1', true)).toMatchObject({ step: 'insurance_query' });
  });

  it('takes a partial insurance refund as back when 6301 shows a partial refund and no other refund of ours is alive', () => {
    const o = ins(refunding({ fundFen: 100, acctFen: 0, cashFen: 0 }), 'RF1', { outcome: 'unknown', detail: 'timeout' }).change!.order;
    expect(refundOf(onInsuranceQueried(o, 'RF1', { answered: true, ordStas: '10' }, later).change!.order, 'RF1').state).toBe('insurance_refunded');
  });

  it('gives the refund to a person when 6301 cannot tell whether it moved anything', () => {
    const o = ins(refunding({ fundFen: 100, acctFen: 0, cashFen: 0 }), 'RF1', { outcome: 'unknown', detail: 'timeout' }).change!.order;
    const d = onInsuranceQueried(o, 'RF1', { answered: true, ordStas: '14' }, later);
    expect(d.change!.order.state).toBe('manual_review');
    expect(refundOf(d.change!.order, 'RF1').lastError).toContain('6301');
  });

  it('gives a refund whose authorization is gone to a person with a line saying so', () => {
    const o = ins(refunding(), 'RF1', { outcome: 'authorization_missing', detail: 'no payAuthNo' }).change!.order;
    expect(o.state).toBe('manual_review');
    expect(lastLine(o).reason).toContain('授权');
  });

  it('ends partially refunded when part of the order went back', () => {
    let o = ins(refunding(), 'RF1', { outcome: 'succeeded' }).change!.order;
    o = onCashLeg(o, 'RF1', { outcome: 'succeeded' }, now).change!.order;
    expect(onMoneyBackFinished(o, 'RF1', now)!.order.state).toBe('partially_refunded');
  });

  it('ends refunded when everything went back', () => {
    let o = ins(refunding({ fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 }), 'RF1', { outcome: 'succeeded' }).change!.order;
    o = onCashLeg(o, 'RF1', { outcome: 'succeeded' }, now).change!.order;
    expect(onMoneyBackFinished(o, 'RF1', now)!.order.state).toBe('refunded');
  });

  it('asks the channel again with the same refund number after no answer, then a person after five', () => {
    let o = ins(refunding(), 'RF1', { outcome: 'succeeded' }).change!.order;
    for (let i = 1; i < MONEY_BACK_MAX_UNCLEAR; i++) {
      const d = onCashLeg(o, 'RF1', { outcome: 'unknown', detail: 'timeout' }, now);
      expect(d.retryInMs).toBeGreaterThan(0);
      o = d.change!.order;
    }
    expect(onCashLeg(o, 'RF1', { outcome: 'unknown', detail: 'timeout' }, now).change!.order.state).toBe('manual_review');
  });

  it('fails a cash-only refund the channel refuses', () => {
    const o = onCashLeg(refunding({ fundFen: 0, acctFen: 0, cashFen: 250 }), 'RF1', { outcome: 'refused', detail: 'NOT_ENOUGH' }, now).change!.order;
    expect(refundOf(o, 'RF1').state).toBe('failed');
    expect(o.state).toBe('completed');
  });

  it('gives a refund to a person when the channel refuses the cash after the insurance went back', () => {
    const o1 = ins(refunding(), 'RF1', { outcome: 'succeeded' }).change!.order;
    const o = onCashLeg(o1, 'RF1', { outcome: 'refused', detail: 'NOT_ENOUGH' }, now).change!.order;
    expect(o.state).toBe('manual_review');
    expect(lastLine(o).reason).toContain('医保部分已退');
  });

  it('asks again about a cash refund still processing, with back-off', () => {
    const o1 = ins(refunding(), 'RF1', { outcome: 'succeeded' }).change!.order;
    const d1 = onCashLeg(o1, 'RF1', { outcome: 'processing', detail: 'PROCESSING' }, now);
    const d2 = onCashLeg(d1.change!.order, 'RF1', { outcome: 'processing', detail: 'PROCESSING' }, now);
    expect(d2.retryInMs).toBeGreaterThan(d1.retryInMs!);
    expect(d2.change!.order.state).toBe('completed');
  });

  it('gives a cash refund processing for too long to a person', () => {
    let o = ins(refunding(), 'RF1', { outcome: 'succeeded' }).change!.order;
    for (let i = 1; i < CASH_PROCESSING_MAX; i++) o = onCashLeg(o, 'RF1', { outcome: 'processing', detail: 'P' }, now).change!.order;
    expect(onCashLeg(o, 'RF1', { outcome: 'processing', detail: 'P' }, now).change!.order.state).toBe('manual_review');
  });

  it('records a refund that finishes while its order is with a person, leaving the state to the person', () => {
    let o = ins(refunding(), 'RF1', { outcome: 'succeeded' }).change!.order;
    o = onCashLeg({ ...o, state: 'manual_review' }, 'RF1', { outcome: 'succeeded' }, now).change!.order;
    const done = onMoneyBackFinished(o, 'RF1', now)!.order;
    expect(done.state).toBe('manual_review');
    expect(refundOf(done, 'RF1').state).toBe('succeeded');
  });
});

describe('money back: 医保退款通知', () => {
  const finished = () => {
    let o = ins(refunding(), 'RF1', { outcome: 'succeeded' }).change!.order;
    o = onCashLeg(o, 'RF1', { outcome: 'succeeded' }, later).change!.order;
    return onMoneyBackFinished(o, 'RF1', later)!;
  };

  it('queues the notice after the cash refund, keeping the insurance refund’s own time', () => {
    const c = finished();
    expect(c.jobs).toEqual([{ type: 'refund.notice', key: NO, data: { refundNo: 'RF1' } }]);
    expect(refundOf(c.order, 'RF1').insurance!.refundedAt).toBe(now.toISOString());
  });

  it('queues the notice on the HIS reversal path too', () => {
    let o = ins(notBooked(), RV, { outcome: 'succeeded', ref: 'HR1' }, 'his_reversal').change!.order;
    o = onCashLeg(o, RV, { outcome: 'succeeded' }, now).change!.order;
    expect(onMoneyBackFinished(o, RV, now)!.jobs.map((j) => j.type)).toEqual(['refund.notice']);
  });

  it('queues no notice for a refund without an insurance part', () => {
    const o = onCashLeg(refunding({ fundFen: 0, acctFen: 0, cashFen: 250 }), 'RF1', { outcome: 'succeeded' }, now).change!.order;
    expect(onMoneyBackFinished(o, 'RF1', now)!.jobs).toEqual([]);
  });

  it('sends a refused notice again with growing back-off, capped', () => {
    let o = finished().order;
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const d = onNoticeResult(o, 'RF1', { status: 'retry', detail: 'SYSTEM_ERROR' }, now);
      delays.push(d.retryInMs!);
      o = d.change!.order;
    }
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(Math.max(...delays)).toBe(NOTICE_MAX_MS);
    expect(refundOf(o, 'RF1').state).toBe('succeeded');
  });

  it('records a delivered notice once and ignores a repeated job', () => {
    const o = onNoticeResult(finished().order, 'RF1', { status: 'sent' }, now).change!.order;
    expect(refundOf(o, 'RF1').notice).toMatchObject({ state: 'sent', attempts: 1 });
    expect(onNoticeResult(o, 'RF1', { status: 'sent' }, now).change).toBeNull();
  });
});

describe('money back: a payment that failed with money taken', () => {
  it('fails the order and refunds the cash the channel took', () => {
    const c = cashFailed()!;
    expect(c.order.state).toBe('failed');
    expect(refundOf(c.order, RF)).toMatchObject({ requestedBy: 'reversal', amounts: { totalFen: 2_500, cashFen: 2_500, fundFen: 0 } });
    expect(c.jobs).toEqual([{ type: 'refund.run', key: NO, data: { refundNo: RF } }]);
    expect(nextMoneyBackStep(c.order, RF, true)).toEqual({ step: 'cash', cashFen: 2_500 });
  });

  it('ends failed with the refund succeeded once the cash is back', () => {
    const o = onCashLeg(cashFailed()!.order, RF, { outcome: 'succeeded' }, now).change!.order;
    const done = onMoneyBackFinished(o, RF, now)!.order;
    expect(done.state).toBe('failed');
    expect(refundOf(done, RF).state).toBe('succeeded');
  });

  it('leaves a failed payment without money taken to the centre as before', () => {
    const c = cashFailed({ cash: 'not_taken', insurance: 'not_taken' })!;
    expect(c.order.state).toBe('awaiting_confirmation');
    expect(c.order.refunds).toEqual([]);
  });

  it('refunds a settled insurance leg of a failed payment through 6203', () => {
    const c = cashFailed({ cash: 'not_taken', insurance: 'taken' })!;
    expect(nextMoneyBackStep(c.order, RF, true)).toMatchObject({ step: 'insurance', route: '6203', amounts: { totalFen: 7_500 } });
  });

  it('sends the insurance back through 6203 when the centre settles it after the payment failed', () => {
    const failed = cashFailed()!.order;
    const c = onSettlementReport(failed, { source: 'notify_6302', payOrdId: 'ORD1', ordStas: '6', amounts: { ...failed.amounts } }, policy, now)!;
    expect(c.order.state).toBe('failed');
    const ri = refundOf(c.order, `${NO}RI`);
    expect(ri.amounts).toEqual({ totalFen: 7_500, fundFen: 6_000, acctFen: 1_500, cashFen: 0 });
    expect(nextMoneyBackStep(c.order, ri.refundNo, true)).toMatchObject({ step: 'insurance', route: '6203' });
  });

  it('gives a failed payment to a person when the centre settles other amounts than were ordered', () => {
    const failed = cashFailed()!.order;
    const c = onSettlementReport(failed, { source: 'notify_6302', payOrdId: 'ORD1', ordStas: '6', amounts: { totalFen: 10_000, fundFen: 5_000, acctFen: 2_500, cashFen: 2_500 } }, policy, now)!;
    expect(c.order.state).toBe('manual_review');
  });

  it('takes the centre’s later "failed" for such an order as nothing new', () => {
    const failed = cashFailed()!.order;
    expect(onSettlementReport(failed, { source: 'query_6301', payOrdId: 'ORD1', ordStas: '15' }, policy, now)).toBeNull();
  });

  it('starts the money-back once, however often the failure is reported', () => {
    const o = cashFailed()!.order;
    expect(onPaymentFailedWithMoneyTaken(new Draft(o, now), { cash: 'taken', insurance: 'not_taken' }, 'channel')).toBeNull();
  });

  it('takes back the cash a channel took for an order cancelled meanwhile, and the order stays cancelled', () => {
    const cancelled = orderFixture({ state: 'cancelled' });
    const c = cashFailed({ cash: 'taken', insurance: 'not_taken' }, cancelled)!;
    expect(c.order.state).toBe('cancelled');
    expect(refundOf(c.order, RF)).toMatchObject({ requestedBy: 'reversal', state: 'requested', amounts: { totalFen: 2_500, fundFen: 0, acctFen: 0, cashFen: 2_500 } });
    expect(c.jobs).toEqual([{ type: 'refund.run', key: NO, data: { refundNo: RF } }]);
    expect(nextMoneyBackStep(c.order, RF, true)).toEqual({ step: 'cash', cashFen: 2_500 });
  });

  it('finishes that refund with the order still cancelled', () => {
    const taken = cashFailed({ cash: 'taken', insurance: 'not_taken' }, orderFixture({ state: 'cancelled' }))!.order;
    const back = onCashLeg(taken, RF, { outcome: 'succeeded', ref: 'WX-RF-1' }, now).change!.order;
    const done = onMoneyBackFinished(back, RF, now)!.order;
    expect(done.state).toBe('cancelled');
    expect(refundOf(done, RF).state).toBe('succeeded');
  });

  it('gives a cancelled order to a person when the channel says its insurance was taken', () => {
    const c = cashFailed({ cash: 'taken', insurance: 'taken' }, orderFixture({ state: 'cancelled' }))!;
    expect(c.order.state).toBe('manual_review');
    expect(c.order.refunds).toEqual([]);
  });

  it('gives the cash to a person when the channel refuses to refund it', () => {
    const o = onCashLeg(cashFailed()!.order, RF, { outcome: 'refused', detail: 'NOT_ENOUGH' }, now).change!.order;
    expect(o.state).toBe('manual_review');
    expect(refundOf(o, RF).state).toBe('manual_review');
  });
});
