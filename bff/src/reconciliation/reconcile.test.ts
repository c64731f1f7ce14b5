import { reconcile } from './reconcile';
import { centreOf, cleanRows, paidOrder, paymentRow, reconInput, refund, refundRow, wechatBill } from './test-fixtures';
import type { Order } from '../domain/order';

/** A day with two payments, a full refund (insurance + self-pay) and a partial self-pay refund. */
function cleanDay(): Order[] {
  const full = refund({ refundNo: 'RFALL', amounts: { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 } });
  return [
    paidOrder(1),
    paidOrder(2, { state: 'refunded', refunds: [full] }),
    paidOrder(3, { state: 'partially_refunded', refunds: [refund({ refundNo: 'RFPART' })] }),
  ];
}

const NOON_PLUS = '2026-11-23T05:00:00.000Z';
const kinds = (r: ReturnType<typeof reconcile>) => r.differences.map((d) => d.kind);

describe('reconciliation of one day', () => {
  it('finds no difference on a clean day and matches every payment and refund', () => {
    const r = reconcile(reconInput(cleanDay()));
    expect(r.differences).toEqual([]);
    expect(r.explained).toEqual([]);
    expect(r.summary).toMatchObject({ orders: 3, payments: 3, refunds: 2, matched: 5, mismatchTotal: 0, explained: 0, unverified: 0 });
    expect(r.incomplete).toBe(false);
  });

  it('reports a paid self-pay part the channel bill lacks as missing_in_channel', () => {
    const orders = cleanDay();
    const rows = cleanRows(orders).filter((x) => !(x.kind === 'payment' && x.outTradeNo === orders[0].orderNo));
    const r = reconcile(reconInput(orders, { channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([expect.objectContaining({ kind: 'missing_in_channel', source: 'channel', orderNo: orders[0].orderNo, oursFen: 2_500 })]);
    expect(r.summary.matched).toBe(4);
  });

  it('reports a channel row we do not know as missing_locally', () => {
    const orders = cleanDay();
    const stranger = { ...paymentRow(orders[0]), outTradeNo: 'UNKNOWN1', cashTradeNo: '4200999', amountFen: 100 };
    const r = reconcile(reconInput(orders, { channels: [wechatBill([...cleanRows(orders), stranger])] }));
    expect(r.differences).toEqual([expect.objectContaining({ kind: 'missing_locally', outTradeNo: 'UNKNOWN1', theirsFen: 100 })]);
    expect(r.summary.mismatches.missing_locally).toBe(1);
  });

  it('reports a cash amount that differs from the channel bill as amount_mismatch', () => {
    const orders = cleanDay();
    const rows = cleanRows(orders).map((x) => (x.kind === 'payment' && x.outTradeNo === orders[0].orderNo ? { ...x, amountFen: 2_400 } : x));
    const r = reconcile(reconInput(orders, { channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([expect.objectContaining({ kind: 'amount_mismatch', source: 'channel', oursFen: 2_500, theirsFen: 2_400 })]);
  });

  it('reports an insurance split that differs from the centre as amount_mismatch', () => {
    const orders = cleanDay();
    const centre = new Map(orders.map((o) => [o.orderNo, centreOf(o)]));
    centre.set(orders[0].orderNo, { ok: true, ordStas: '6', split: { totalFen: 10_000, fundFen: 5_000, acctFen: 2_500, cashFen: 2_500 } });
    const r = reconcile(reconInput(orders, { centre }));
    expect(r.differences).toEqual([expect.objectContaining({ kind: 'amount_mismatch', source: 'centre', theirsSplit: { totalFen: 10_000, fundFen: 5_000, acctFen: 2_500, cashFen: 2_500 } })]);
  });

  it('does not report the split of a centre order that took no money (pre-settled, failed, withdrawn)', () => {
    const failed = paidOrder(8, { state: 'failed', paidAt: undefined, evidence: {} });
    const orders = [...cleanDay(), failed];
    const other = { totalFen: 10_000, fundFen: 5_000, acctFen: 2_500, cashFen: 2_500 };
    for (const ordStas of ['1', '15', '12']) {
      const centre = new Map(orders.map((o) => [o.orderNo, centreOf(o)]));
      centre.set(failed.orderNo, { ok: true, ordStas, split: other });
      expect(kinds(reconcile(reconInput(orders, { centre, channels: [wechatBill(cleanRows(cleanDay()))] })))).toEqual([]);
    }
  });

  it('reports an insurance refund the centre does not show as status_mismatch', () => {
    const orders = cleanDay();
    const centre = new Map(orders.map((o) => [o.orderNo, centreOf(o)]));
    centre.set(orders[1].orderNo, { ok: true, ordStas: '6', split: { ...orders[1].amounts } });
    const r = reconcile(reconInput(orders, { centre }));
    expect(r.differences).toEqual([expect.objectContaining({ kind: 'status_mismatch', source: 'centre', orderNo: orders[1].orderNo, ourState: 'refunded' })]);
  });

  it('reports a completed order the centre cancelled as status_mismatch', () => {
    const orders = cleanDay();
    const centre = new Map(orders.map((o) => [o.orderNo, centreOf(o)]));
    centre.set(orders[0].orderNo, { ok: true, ordStas: '12' });
    expect(kinds(reconcile(reconInput(orders, { centre })))).toEqual(['status_mismatch']);
  });

  it('reports a channel payment of an order we cancelled as status_mismatch', () => {
    const cancelled = paidOrder(9, { state: 'cancelled', paidAt: undefined, evidence: {} });
    const orders = [...cleanDay(), cancelled];
    const centre = new Map(orders.map((o) => [o.orderNo, centreOf(o)]));
    centre.set(cancelled.orderNo, { ok: true, ordStas: '12' });
    const rows = [...cleanRows(orders), paymentRow({ ...cancelled, paidAt: '2026-11-23T05:00:00.000Z' })];
    const r = reconcile(reconInput(orders, { centre, channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([expect.objectContaining({ kind: 'status_mismatch', source: 'channel', orderNo: cancelled.orderNo, ourState: 'cancelled' })]);
  });

  it('reports a finished self-pay refund the channel bill lacks as refund_missing_in_channel', () => {
    const orders = cleanDay();
    const rows = cleanRows(orders).filter((x) => x.refundNo !== 'RFPART');
    const r = reconcile(reconInput(orders, { channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([expect.objectContaining({ kind: 'refund_missing_in_channel', refundNo: 'RFPART', oursFen: 1_000 })]);
  });

  it('reports a refund amount that differs from the channel bill as refund_amount_mismatch', () => {
    const orders = cleanDay();
    const rows = cleanRows(orders).map((x) => (x.refundNo === 'RFPART' ? { ...x, amountFen: 900 } : x));
    const r = reconcile(reconInput(orders, { channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([expect.objectContaining({ kind: 'refund_amount_mismatch', refundNo: 'RFPART', oursFen: 1_000, theirsFen: 900 })]);
  });

  it('reports a centre status it cannot place as unexplained', () => {
    const orders = cleanDay();
    const centre = new Map(orders.map((o) => [o.orderNo, centreOf(o)]));
    centre.set(orders[0].orderNo, { ok: true, ordStas: '14', split: { ...orders[0].amounts } });
    expect(kinds(reconcile(reconInput(orders, { centre })))).toEqual(['unexplained']);
  });

  it('reports two channel rows for one payment as unexplained', () => {
    const orders = cleanDay();
    const r = reconcile(reconInput(orders, { channels: [wechatBill([...cleanRows(orders), paymentRow(orders[0])])] }));
    expect(kinds(r)).toEqual(['unexplained']);
  });

  it('explains a payment at 23:59:59 missing from the bill while the next day is not available', () => {
    const late = paidOrder(5, { paidAt: '2026-11-23T15:59:59.000Z', evidence: { cashPaid: { source: 'channel_notify', at: '2026-11-23T15:59:59.000Z' } } });
    const orders = [...cleanDay(), late];
    const rows = cleanRows(orders).filter((x) => x.outTradeNo !== late.orderNo);
    const r = reconcile(reconInput(orders, { channels: [wechatBill(rows, { nextAvailable: false })] }));
    expect(r.differences).toEqual([]);
    expect(r.explained).toEqual([expect.objectContaining({ kind: 'missing_in_channel', reason: 'day_boundary', orderNo: late.orderNo })]);
    expect(r.summary).toMatchObject({ explained: 1, matched: 5 });
  });

  it('explains a payment the channel booked on the next day', () => {
    const orders = cleanDay();
    const rows = cleanRows(orders).filter((x) => x.outTradeNo !== orders[0].orderNo);
    const r = reconcile(reconInput(orders, { channels: [wechatBill(rows, { neighbours: [paymentRow(orders[0])] })] }));
    expect(r.differences).toEqual([]);
    expect(r.explained).toEqual([expect.objectContaining({ kind: 'missing_in_channel', reason: 'day_boundary' })]);
  });

  it('explains a channel row of a payment we booked on the previous day', () => {
    const yesterday = paidOrder(6, { createdAt: '2026-11-22T15:50:00.000Z', paidAt: '2026-11-22T15:59:58.000Z' });
    const orders = [...cleanDay(), yesterday];
    const rows = [...cleanRows(cleanDay()), { ...paymentRow(yesterday), time: '2026-11-22T16:00:01.000Z' }];
    const r = reconcile(reconInput(orders, { channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([]);
    expect(r.explained).toEqual([expect.objectContaining({ kind: 'missing_locally', reason: 'day_boundary', orderNo: yesterday.orderNo })]);
  });

  it('explains a self-pay refund still processing that the channel bill does not show yet', () => {
    const processing = refund({ refundNo: 'RFWAIT', state: 'insurance_refunded', finishedAt: undefined });
    const orders = [...cleanDay(), paidOrder(7, { refunds: [processing] })];
    const r = reconcile(reconInput(orders));
    expect(r.differences).toEqual([]);
    expect(r.explained).toEqual([expect.objectContaining({ kind: 'refund_missing_in_channel', reason: 'refund_processing', refundNo: 'RFWAIT' })]);
  });

  it('explains a channel payment of an order still awaiting confirmation', () => {
    const confirming = paidOrder(8, { state: 'awaiting_confirmation', paidAt: undefined, evidence: {} });
    const orders = [...cleanDay(), confirming];
    const centre = new Map(orders.map((o) => [o.orderNo, centreOf(o)]));
    const rows = [...cleanRows(orders), paymentRow({ ...confirming, paidAt: NOON_PLUS })];
    const r = reconcile(reconInput(orders, { centre, channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([]);
    expect(r.explained.map((e) => [e.kind, e.reason])).toEqual([
      ['missing_locally', 'in_flight'],
      ['status_mismatch', 'in_flight'],
    ]);
  });

  it('expects the centre to show a failed payment whose settled insurance went back as refunded', () => {
    const back = refund({ refundNo: 'RIBACK', requestedBy: 'reversal', amounts: { totalFen: 7_500, fundFen: 6_000, acctFen: 1_500, cashFen: 0 } });
    const failed = paidOrder(9, { state: 'failed', paidAt: undefined, refunds: [back] });
    const r = reconcile(reconInput([...cleanDay(), failed]));
    expect(r.differences).toEqual([]);
  });

  it('finds no difference for a failed payment whose taken cash went back', () => {
    const back = refund({ refundNo: 'RFBACK', requestedBy: 'reversal', amounts: { totalFen: 2_500, fundFen: 0, acctFen: 0, cashFen: 2_500 } });
    const failed = paidOrder(10, { state: 'failed', paidAt: undefined, evidence: {}, refunds: [back] });
    const orders = [...cleanDay(), failed];
    const centre = new Map(orders.map((o) => [o.orderNo, centreOf(o)]));
    centre.set(failed.orderNo, { ok: true, ordStas: '1' }); // the insurance part never settled
    const rows = [...cleanRows(orders), paymentRow({ ...failed, paidAt: NOON_PLUS })];
    const r = reconcile(reconInput(orders, { centre, channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([]);
    expect(r.explained).toEqual([]);
  });

  it('finds no difference for a cancelled order whose cash, taken meanwhile, went back', () => {
    const back = refund({ refundNo: 'RFBACK', requestedBy: 'reversal', amounts: { totalFen: 2_500, fundFen: 0, acctFen: 0, cashFen: 2_500 } });
    const cancelled = paidOrder(12, { state: 'cancelled', paidAt: undefined, evidence: {}, refunds: [back] });
    const orders = [...cleanDay(), cancelled];
    const centre = new Map(orders.map((o) => [o.orderNo, centreOf(o)]));
    centre.set(cancelled.orderNo, { ok: true, ordStas: '1' });
    const rows = [...cleanRows(orders), paymentRow({ ...cancelled, paidAt: NOON_PLUS })];
    const r = reconcile(reconInput(orders, { centre, channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([]);
    expect(r.explained).toEqual([]);
  });

  it('explains the cash of a failed payment while it is still going back', () => {
    const back = refund({ refundNo: 'RFBACK', requestedBy: 'reversal', state: 'requested', finishedAt: undefined, amounts: { totalFen: 2_500, fundFen: 0, acctFen: 0, cashFen: 2_500 } });
    const failed = paidOrder(11, { state: 'failed', paidAt: undefined, evidence: {}, refunds: [back] });
    const orders = [...cleanDay(), failed];
    const centre = new Map(orders.map((o) => [o.orderNo, centreOf(o)]));
    centre.set(failed.orderNo, { ok: true, ordStas: '1' });
    const rows = [...cleanRows(orders), paymentRow({ ...failed, paidAt: NOON_PLUS })];
    const r = reconcile(reconInput(orders, { centre, channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([]);
    expect(r.explained.map((e) => [e.kind, e.reason])).toContainEqual(['missing_locally', 'refund_processing']);
  });

  it('expects no channel row for a payment without a self-pay part', () => {
    const insured = paidOrder(4, { amounts: { totalFen: 7_500, fundFen: 6_000, acctFen: 1_500, cashFen: 0 } });
    const r = reconcile(reconInput([...cleanDay(), insured]));
    expect(r.differences).toEqual([]);
    expect(r.summary.matched).toBe(6);
  });

  it('leaves records unverified, not different, when the channel bill could not be downloaded', () => {
    const orders = cleanDay();
    const r = reconcile(reconInput(orders, { channels: [{ channel: 'wechat', error: 'SYSTEM_ERROR', neighbours: [], prevAvailable: false, nextAvailable: false }] }));
    expect(r.differences).toEqual([]);
    expect(r.summary).toMatchObject({ unverified: 5, matched: 0 });
    expect(r.incomplete).toBe(true);
  });

  it('counts refunds by the day they were requested, also for orders paid days before', () => {
    const old = paidOrder(10, { createdAt: '2026-11-20T02:00:00.000Z', paidAt: '2026-11-20T02:01:00.000Z', state: 'partially_refunded', refunds: [refund({ refundNo: 'RFOLD' })] });
    const rows = [...cleanRows(cleanDay()), refundRow(old, old.refunds[0])];
    const r = reconcile(reconInput([...cleanDay(), old], { channels: [wechatBill(rows)] }));
    expect(r.differences).toEqual([]);
    expect(r.summary).toMatchObject({ payments: 3, refunds: 3, matched: 6 });
  });
});
