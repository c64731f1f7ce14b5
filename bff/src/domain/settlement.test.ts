import { orderFixture } from './fixtures';
import { AFTER_CASH, AFTER_INSURANCE } from './jobs';
import { onCashReport, onExpiryExhausted, onOutcomeUnknown, onPollingExhausted, onSettlementReport, type SettlementPolicy } from './settlement';

const policy: SettlementPolicy = { settledOrdStas: ['6'], pollBaseMs: 1000, pollMaxMs: 10_000, pollMaxAttempts: 5, writeBackDeadlineMs: 60_000 };
const now = new Date('2026-11-23T02:05:00.000Z');
const amounts = { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 };
const settled = { source: 'notify_6302' as const, payOrdId: 'ORD1', ordStas: '6', amounts };

describe('settlement decisions', () => {
  it('takes the centre reporting revoked (13) during our own HIS reversal as expected, not a case for a person', () => {
    const reversing = orderFixture({ state: 'reversing' });
    expect(onSettlementReport(reversing, { source: 'query_6301', payOrdId: 'ORD1', ordStas: '13' }, policy, now)).toBeNull();
  });

  it('sends a completed order the centre reports revoked to a person', () => {
    const completed = orderFixture({ state: 'completed' });
    expect(onSettlementReport(completed, { source: 'query_6301', payOrdId: 'ORD1', ordStas: '13' }, policy, now)!.order.state).toBe('manual_review');
  });

  it('waits for the self-pay part when only the insurance part is reported settled', () => {
    const c = onSettlementReport(orderFixture(), settled, policy, now)!;
    expect(c.order.state).toBe('awaiting_payment');
    expect(c.order.evidence.insuranceSettled?.source).toBe('notify_6302');
    expect(c.jobs.map((j) => j.type)).toEqual(['payment.poll']);
  });

  it('becomes paid and queues exactly one write-back when the second leg arrives', () => {
    const first = onSettlementReport(orderFixture(), settled, policy, now)!.order;
    const c = onCashReport(first, { source: 'channel_notify', status: 'paid', cashPaidFen: 2_500 }, policy, now)!;
    expect(c.transition).toEqual({ from: 'awaiting_payment', to: 'paid' });
    expect(c.jobs).toEqual([{ type: 'his.writeBack', key: first.orderNo }]);
  });

  it('reaches the same result when the channel reports first', () => {
    const first = onCashReport(orderFixture(), { source: 'channel_notify', status: 'paid', cashPaidFen: 2_500 }, policy, now)!.order;
    const c = onSettlementReport(first, settled, policy, now)!;
    expect(c.order.state).toBe('paid');
    expect(c.jobs.filter((j) => j.type === 'his.writeBack')).toHaveLength(1);
  });

  it('decides nothing on a repeated settlement report', () => {
    const first = onSettlementReport(orderFixture(), settled, policy, now)!.order;
    expect(onSettlementReport(first, settled, policy, now)).toBeNull();
  });

  it('does not need the channel when there is nothing to self-pay', () => {
    const o = orderFixture({ amounts: { totalFen: 7_500, fundFen: 6_000, acctFen: 1_500, cashFen: 0 } });
    const c = onSettlementReport(o, { ...settled, amounts: o.amounts }, policy, now)!;
    expect(c.order.state).toBe('paid');
    expect(c.order.evidence.cashPaid?.source).toBe('not_needed');
  });

  it("waits for the centre cashier's word on the self-pay part of a kiosk order, as for any channel", () => {
    const o = orderFixture({ channel: 'kiosk', payment: { channel: 'cashier', channelRef: 'ORD1', outTradeNo: 'O1', createdAt: '', expiresAt: '' } });
    const first = onSettlementReport(o, settled, policy, now)!;
    expect(first.order.state).toBe('awaiting_payment');
    const c = onCashReport(first.order, { source: 'channel_notify', status: 'paid', cashPaidFen: 2_500 }, policy, now)!;
    expect(c.order.state).toBe('paid');
  });

  it('sends a settlement whose amounts differ from the order to manual review, never to paid', () => {
    const c = onSettlementReport(orderFixture(), { ...settled, amounts: { ...amounts, fundFen: 5_999, cashFen: 2_501 } }, policy, now)!;
    expect(c.order.state).toBe('manual_review');
    expect(c.order.review?.reason).toContain('不一致');
  });

  it('treats an unknown ordStas as awaiting confirmation and starts polling', () => {
    const c = onSettlementReport(orderFixture(), { source: 'query_6301', payOrdId: 'ORD1', ordStas: '23' }, policy, now)!;
    expect(c.order.state).toBe('awaiting_confirmation');
    expect(c.jobs[0]).toMatchObject({ type: 'settlement.poll', attempt: 1 });
  });

  it('does not count ordStas 4 as settled unless configured', () => {
    expect(onSettlementReport(orderFixture(), { ...settled, ordStas: '4' }, policy, now)).toBeNull();
    const c = onSettlementReport(orderFixture(), { ...settled, ordStas: '4' }, { ...policy, settledOrdStas: ['4', '6'] }, now)!;
    expect(c.order.evidence.insuranceSettled?.ordStas).toBe('4');
  });

  it('fails an open order whose settlement failed at the centre', () => {
    expect(onSettlementReport(orderFixture(), { ...settled, ordStas: '15' }, policy, now)!.order.state).toBe('failed');
  });

  it('sends money reported on a cancelled order to manual review', () => {
    const c = onCashReport(orderFixture({ state: 'cancelled' }), { source: 'channel_notify', status: 'paid', cashPaidFen: 2_500 }, policy, now)!;
    expect(c.order.state).toBe('manual_review');
  });

  it('refuses a settlement report for another payment order', () => {
    expect(onSettlementReport(orderFixture(), { ...settled, payOrdId: 'ORD2' }, policy, now)!.order.state).toBe('manual_review');
  });

  it('sends a self-pay amount that differs from the order to manual review', () => {
    expect(onCashReport(orderFixture(), { source: 'channel_notify', status: 'paid', cashPaidFen: 2_400 }, policy, now)!.order.state).toBe('manual_review');
  });

  it('sends a channel total that differs from the order to manual review', () => {
    expect(onCashReport(orderFixture(), { source: 'channel_notify', status: 'paid', cashPaidFen: 2_500, totalFen: 9_999 }, policy, now)!.order.state).toBe('manual_review');
  });

  it('leaves an order the patient has not paid yet to its expiry when polling runs out', () => {
    expect(onPollingExhausted(orderFixture({ state: 'awaiting_payment' }), 12, now)).toBeNull();
  });

  it('gives an outcome that polling could not learn to a person', () => {
    expect(onPollingExhausted(orderFixture({ state: 'awaiting_confirmation' }), 12, now)!.order.state).toBe('manual_review');
  });

  it('gives an order whose cash was taken to a person when the poll the cash started runs out', () => {
    const o = orderFixture({ state: 'awaiting_payment', evidence: { cashPaid: { source: 'channel_notify', at: now.toISOString() } } });
    const c = onPollingExhausted(o, 12, now, AFTER_CASH.after)!;
    expect(c.order.state).toBe('manual_review');
    expect(c.order.review?.reason).toBe('自费部分已收款，医保结算结果查询 12 次仍未确定');
  });

  it('says the channel confirmed the payment when the order had no self-pay part', () => {
    const o = orderFixture({ state: 'awaiting_payment', amounts: { totalFen: 10_000, fundFen: 8_000, acctFen: 2_000, cashFen: 0 }, evidence: { cashPaid: { source: 'channel_notify', at: now.toISOString() } } });
    expect(onPollingExhausted(o, 12, now, AFTER_CASH.after)!.order.review?.reason).toBe('支付渠道已确认支付，医保结算结果查询 12 次仍未确定');
  });

  it('leaves the cash-taken order alone when an older poll, started before the cash came, runs out', () => {
    const o = orderFixture({ state: 'awaiting_payment', evidence: { cashPaid: { source: 'channel_notify', at: now.toISOString() } } });
    expect(onPollingExhausted(o, 12, now)).toBeNull();
  });

  it('gives an order whose insurance was settled to a person when the channel poll the settlement started runs out', () => {
    const o = orderFixture({ state: 'awaiting_payment', evidence: { insuranceSettled: { source: 'notify_6302', ordStas: '6', at: now.toISOString() } } });
    expect(onPollingExhausted(o, 12, now, AFTER_INSURANCE.after)!.order.review?.reason).toBe('医保已结算，支付渠道查询 12 次仍未确认自费部分');
  });

  it('starts the centre poll that may hand the order over when the cash comes first', () => {
    const c = onCashReport(orderFixture({ state: 'awaiting_payment' }), { source: 'channel_notify', status: 'paid', cashPaidFen: 2_500 }, policy, now)!;
    expect(c.jobs).toContainEqual(expect.objectContaining({ type: 'settlement.poll', data: AFTER_CASH }));
  });

  it('gives an order its expiry could not cancel to a person', () => {
    expect(onExpiryExhausted(orderFixture({ state: 'awaiting_payment' }), 20, now)!.order.review?.reason).toBe('订单超时后 20 次仍未能取消或确认');
  });

  it('leaves an order the expiry gave up on alone once it is no longer open', () => {
    expect(onExpiryExhausted(orderFixture({ state: 'cancelled' }), 20, now)).toBeNull();
  });

  it('moves an unanswered step to awaiting confirmation once', () => {
    const c = onOutcomeUnknown(orderFixture(), 'timeout', policy, now)!;
    expect(c.order.state).toBe('awaiting_confirmation');
    expect(onOutcomeUnknown(c.order, 'timeout', policy, now)).toBeNull();
  });
});
