import { orderFixture } from './fixtures';
import { nextMoneyBackStep } from './money-back';
import { onCashReport, onSettlementReport, type SettlementPolicy } from './settlement';
import { onSelfPayPaymentCreated, selfPaySplit } from './self-pay';
import type { Order } from './order';

const policy: SettlementPolicy = { settledOrdStas: ['6'], pollBaseMs: 1000, pollMaxMs: 10_000, pollMaxAttempts: 5, writeBackDeadlineMs: 60_000 };
const now = new Date('2026-11-23T02:05:00.000Z');
const leg = { channel: 'wechat' as const, channelRef: 'MIX1', outTradeNo: 'R1', createdAt: now.toISOString(), expiresAt: '2099-01-01T00:00:00.000Z' };

/** A self-pay order: 60.00 all cash, never at the centre. */
function selfPayOrder(over: Partial<Order> = {}): Order {
  const o = orderFixture({ payMode: 'self', amounts: { totalFen: 6_000, fundFen: 0, acctFen: 0, cashFen: 6_000 }, ...over });
  delete o.national;
  return o;
}

describe('self-pay (自费) decisions', () => {
  it('prices a self-pay order as all cash', () => {
    expect(selfPaySplit(6_000)).toEqual({ totalFen: 6_000, fundFen: 0, acctFen: 0, cashFen: 6_000 });
  });

  it('awaits payment once the channel order is made, polling only the channel', () => {
    const c = onSelfPayPaymentCreated(selfPayOrder({ state: 'created', payment: undefined }), leg, 30_000, now)!;
    expect(c.transition).toEqual({ from: 'created', to: 'awaiting_payment' });
    expect(c.jobs.map((j) => j.type)).toEqual(['payment.poll']);
  });

  it('is paid on the channel alone, with one write-back and no query to the centre', () => {
    const c = onCashReport(selfPayOrder(), { source: 'channel_notify', status: 'paid', cashPaidFen: 6_000, cashTradeNo: 'T1' }, policy, now)!;
    expect(c.transition).toEqual({ from: 'awaiting_payment', to: 'paid' });
    expect(c.jobs).toEqual([{ type: 'his.writeBack', key: 'O261123100000ABCDEF' }]);
    expect(c.order.evidence.insuranceSettled).toBeUndefined();
  });

  it('decides nothing on a repeated paid report', () => {
    const paid = onCashReport(selfPayOrder(), { source: 'channel_notify', status: 'paid', cashPaidFen: 6_000 }, policy, now)!.order;
    expect(onCashReport(paid, { source: 'channel_query', status: 'paid', cashPaidFen: 6_000 }, policy, now)).toBeNull();
  });

  it('fails at once when the channel says the payment failed, without waiting for the centre', () => {
    const c = onCashReport(selfPayOrder(), { source: 'channel_query', status: 'failed' }, policy, now)!;
    expect(c.order.state).toBe('failed');
    expect(c.jobs).toEqual([]);
  });

  it('asks the channel again, not the centre, when its status is unknown', () => {
    const c = onCashReport(selfPayOrder(), { source: 'channel_query', status: 'unknown' }, policy, now)!;
    expect(c.order.state).toBe('awaiting_confirmation');
    expect(c.jobs.map((j) => j.type)).toEqual(['payment.poll']);
  });

  it('sends a paid amount that differs from the order to a person', () => {
    const c = onCashReport(selfPayOrder(), { source: 'channel_notify', status: 'paid', cashPaidFen: 5_000 }, policy, now)!;
    expect(c.order.state).toBe('manual_review');
  });

  it('sends a centre settlement report for a self-pay order to a person (it never went there)', () => {
    const c = onSettlementReport(selfPayOrder(), { source: 'notify_6302', payOrdId: 'ORD1', ordStas: '6', amounts: selfPaySplit(6_000) }, policy, now)!;
    expect(c.order.state).toBe('manual_review');
  });

  it('refunds a self-pay order in cash only: no insurance step (no 6203, no 医保退款通知)', () => {
    const refund = { refundNo: 'RF1', requestedBy: 'staff' as const, state: 'requested' as const, amounts: selfPaySplit(6_000), reason: '退号', createdAt: now.toISOString() };
    const o = selfPayOrder({ state: 'completed', refunds: [refund] });
    expect(nextMoneyBackStep(o, 'RF1', true)).toEqual({ step: 'cash', cashFen: 6_000 });
  });
});
