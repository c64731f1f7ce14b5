/**
 * Self-pay leg: our payments and refunds of the day against one channel's trade bill (pure).
 * Payments are keyed by out_trade_no, refunds by our refund number (out_refund_no /
 * out_request_no); amounts are the cash part in fen on both sides.
 */
import { IN_FLIGHT_STATES, type RefundState } from '@mip/shared';
import type { ChannelBillRow } from '../channels/port';
import type { Order, Refund } from '../domain/order';
import type { Difference, MismatchKind } from './contract';
import { dayEndMs, dayStartMs, daysBetween } from './days';
import { channelOf, paymentDay, refundDay, type PaymentOfDay, type RecordOfDay, type RefundOfDay } from './records';
import type { ChannelBill, ExplainReason, Findings, ReconInput } from './types';

const PAID_STATUSES = new Set(['SUCCESS', '交易']);
const REFUNDED_STATUSES = new Set(['SUCCESS', '退款']);
const PENDING_REFUND: readonly RefundState[] = ['requested', 'insurance_refunded', 'awaiting_confirmation'];

const payKey = (outTradeNo: string) => `p|${outTradeNo}`;
const refundKey = (refundNo: string) => `r|${refundNo}`;
const rowKey = (r: ChannelBillRow) => (r.kind === 'payment' ? payKey(r.outTradeNo) : refundKey(r.refundNo ?? ''));

function index(rows: readonly ChannelBillRow[]): Map<string, ChannelBillRow[]> {
  const m = new Map<string, ChannelBillRow[]>();
  for (const r of rows) m.set(rowKey(r), [...(m.get(rowKey(r)) ?? []), r]);
  return m;
}

/** The reference fields of an order, for a difference. */
export function orderRef(o: Order): Pick<Difference, 'channel' | 'orderNo' | 'outTradeNo' | 'cashTradeNo' | 'payOrdId'> {
  return {
    channel: channelOf(o),
    orderNo: o.orderNo,
    ...(o.payment?.outTradeNo ? { outTradeNo: o.payment.outTradeNo } : {}),
    ...(o.payment?.cashTradeNo ? { cashTradeNo: o.payment.cashTradeNo } : {}),
    ...(o.national?.payOrdId ? { payOrdId: o.national.payOrdId } : {}),
  };
}

/** Whether a record moves money through the channel at all. */
export function needsChannel(r: RecordOfDay): boolean {
  return r.type === 'payment' ? r.order.amounts.cashFen > 0 : r.refund.amounts.cashFen > 0 && r.refund.state !== 'failed';
}

export function compareChannel(input: ReconInput, bill: ChannelBill, records: readonly RecordOfDay[], f: Findings): void {
  const mine = records.filter((r) => channelOf(r.order) === bill.channel);
  if (!bill.rows) {
    for (const r of mine) if (needsChannel(r)) f.unverified.add(r.id);
    return;
  }
  const day = index(bill.rows);
  const near = index(bill.neighbours);
  const used = new Set<string>();
  const ch = bill.channel;
  const byOut = new Map<string, Order>();
  for (const o of input.orders) if (o.payment && channelOf(o) === ch && !byOut.has(o.payment.outTradeNo)) byOut.set(o.payment.outTradeNo, o);
  const take = (k: string) => {
    used.add(k);
    return day.get(k)?.[0];
  };

  const nearMidnight = (times: (string | undefined)[]) =>
    times.some((t) => {
      if (!t) return false;
      const ms = Date.parse(t);
      return (!bill.nextAvailable && Math.abs(dayEndMs(input.date) - ms) <= input.boundaryMs) || (!bill.prevAvailable && Math.abs(ms - dayStartMs(input.date)) <= input.boundaryMs);
    });

  /** Our record has no row: the other day's bill, midnight, or a real difference. */
  const missing = (d: Difference, key: string, times: (string | undefined)[], reason: ExplainReason | undefined, recordId: string) => {
    if (near.has(key)) return f.add({ ...d, detail: `${d.detail}; the channel booked it on the neighbouring day` }, 'day_boundary', recordId);
    if (nearMidnight(times)) return f.add({ ...d, detail: `${d.detail}; close to midnight, the neighbouring day's bill is not available yet` }, 'day_boundary', recordId);
    f.add(d, reason, recordId);
  };

  const checkPayment = (rec: PaymentOfDay) => {
    const o = rec.order;
    const key = payKey(o.payment?.outTradeNo ?? o.orderNo);
    const row = take(key);
    const review: ExplainReason | undefined = o.state === 'manual_review' ? 'manual_review' : undefined;
    const base = { ...orderRef(o), source: 'channel' as const, oursFen: o.amounts.cashFen };
    if (!row) {
      if (o.amounts.cashFen === 0) return;
      return missing({ ...base, kind: 'missing_in_channel', ourState: o.state, detail: 'paid self-pay part not in the channel bill' }, key, [o.paidAt, o.evidence.cashPaid?.at], review, rec.id);
    }
    const theirs = { theirsFen: row.amountFen, cashTradeNo: row.cashTradeNo || base.cashTradeNo };
    if (row.amountFen !== o.amounts.cashFen) f.add({ ...base, ...theirs, kind: 'amount_mismatch', detail: 'self-pay amount differs from the channel bill' }, review, rec.id);
    if (!PAID_STATUSES.has(row.status)) f.add({ ...base, ...theirs, kind: 'status_mismatch', ourState: o.state, theirState: row.status, detail: 'the channel does not show the payment as paid' }, review, rec.id);
  };

  const checkRefund = (rec: RefundOfDay) => {
    const { order: o, refund: r } = rec;
    const key = refundKey(r.refundNo);
    const row = take(key);
    const pending: ExplainReason | undefined = PENDING_REFUND.includes(r.state) ? 'refund_processing' : r.state === 'manual_review' ? 'manual_review' : undefined;
    const base = { ...orderRef(o), source: 'channel' as const, refundNo: r.refundNo, oursFen: r.amounts.cashFen, ourState: r.state };
    if (!row) {
      if (r.amounts.cashFen === 0 || r.state === 'failed') return;
      const d: Difference = { ...base, kind: 'refund_missing_in_channel', detail: 'self-pay refund not in the channel bill' };
      if (r.state === 'succeeded') return missing(d, key, [r.createdAt, r.finishedAt], undefined, rec.id);
      return f.add({ ...d, detail: `${d.detail}; the refund is not finished` }, pending, rec.id);
    }
    const theirs = { theirsFen: row.amountFen, theirState: row.status };
    if (r.state === 'failed') return f.add({ ...base, ...theirs, kind: 'status_mismatch', detail: 'we recorded the refund as failed; the channel refunded it' }, undefined, rec.id);
    if (row.amountFen !== r.amounts.cashFen) f.add({ ...base, ...theirs, kind: 'refund_amount_mismatch', detail: 'self-pay refund amount differs from the channel bill' }, pending, rec.id);
    if (!REFUNDED_STATUSES.has(row.status)) f.add({ ...base, ...theirs, kind: 'status_mismatch', detail: 'the channel does not show the refund as done' }, pending, rec.id);
    else if (pending) f.add({ ...base, ...theirs, kind: 'status_mismatch', detail: 'the channel refunded; our refund is not finished yet' }, pending, rec.id);
  };

  for (const rec of mine) {
    if (rec.type === 'payment') checkPayment(rec);
    else checkRefund(rec);
  }
  for (const [key, rows] of day) {
    if (rows.length > 1) {
      const r = rows[0];
      f.add({ kind: 'unexplained', source: 'channel', channel: ch, outTradeNo: r.outTradeNo, ...(r.refundNo ? { refundNo: r.refundNo } : {}), detail: `${rows.length} bill rows share one ${r.kind} key` }, undefined);
    }
    if (!used.has(key)) unknownRow(input.date, byOut, rows[0], f);
  }
}

/** A channel row none of our records of the day took. */
function unknownRow(date: string, byOut: ReadonlyMap<string, Order>, row: ChannelBillRow, f: Findings): void {
  const base = { source: 'channel' as const, channel: row.channel, outTradeNo: row.outTradeNo, cashTradeNo: row.cashTradeNo, theirsFen: row.amountFen, theirState: row.status };
  const order = byOut.get(row.outTradeNo);
  const shifted = (d: Difference, ourDay: string) => {
    if (Math.abs(daysBetween(ourDay, date)) <= 1) return f.add({ ...d, detail: `we booked it on ${ourDay}` }, 'day_boundary');
    f.add({ ...d, kind: 'unexplained', detail: `we booked it on ${ourDay}, the channel on ${date}` }, undefined);
  };
  const kind: MismatchKind = 'missing_locally';
  if (row.kind === 'refund') {
    const refund: Refund | undefined = order?.refunds.find((r) => r.refundNo === row.refundNo);
    const d: Difference = { ...base, ...(order ? { orderNo: order.orderNo } : {}), refundNo: row.refundNo, kind, detail: 'the channel has a refund we do not know' };
    return refund ? shifted(d, refundDay(refund)) : f.add(d, undefined);
  }
  if (!order) return f.add({ ...base, kind, detail: 'the channel has a payment we do not know' }, undefined);
  const d: Difference = { ...base, ...orderRef(order), cashTradeNo: row.cashTradeNo, ourState: order.state, kind, detail: '' };
  if (order.paidAt) return shifted(d, paymentDay(order)!);
  if (order.state === 'manual_review') return f.add({ ...d, detail: 'the channel has a payment of an order under manual review' }, 'manual_review');
  if (IN_FLIGHT_STATES.includes(order.state) || order.evidence.cashPaid) return f.add({ ...d, detail: 'the order is still being confirmed' }, 'in_flight');
  // a failed or cancelled payment whose cash was taken anyway goes back on its own refund
  // (domain/money-back.ts), which its refund row checks: the payment row is no difference once that refund is done
  const undone = order.state === 'failed' || order.state === 'cancelled';
  const back = undone ? order.refunds.find((r) => r.requestedBy === 'reversal' && r.amounts.cashFen === row.amountFen && r.state !== 'failed') : undefined;
  if (back?.state === 'succeeded') return;
  if (back) return f.add({ ...d, detail: `the cash of a failed payment is going back as ${back.refundNo}` }, 'refund_processing');
  f.add({ ...d, kind: 'status_mismatch', detail: `the channel took the payment; we say ${order.state}` }, undefined);
}
