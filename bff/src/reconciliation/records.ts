/**
 * One day's money movements from our own orders (pure): every payment, dated by its paid time,
 * and every refund or reversal, dated by when it was requested (WeChat dates refund rows by
 * their initiation too). Totals per channel count payments and the refunds that succeeded.
 */
import type { Channel, Split } from '@mip/shared';
import type { Order, Refund } from '../domain/order';
import { chinaDay } from './days';
import type { BillRecord, ChannelTotals, DayBill } from './contract';

export interface PaymentOfDay {
  type: 'payment';
  id: string;
  order: Order;
}

export interface RefundOfDay {
  type: 'refund';
  id: string;
  order: Order;
  refund: Refund;
}

export type RecordOfDay = PaymentOfDay | RefundOfDay;

export function channelOf(o: Order): Channel {
  return o.payment?.channel ?? o.channel;
}

export const paymentId = (o: Order) => `payment:${o.orderNo}`;
export const refundId = (o: Order, r: Refund) => `refund:${o.orderNo}:${r.refundNo}`;

/** The first copy of each order number (loaders may return one order from two indexes). */
export function uniqueOrders(orders: readonly Order[]): Order[] {
  const seen = new Map<string, Order>();
  for (const o of orders) if (!seen.has(o.orderNo)) seen.set(o.orderNo, o);
  return [...seen.values()];
}

export function paymentDay(o: Order): string | undefined {
  return o.paidAt ? chinaDay(o.paidAt) : undefined;
}

export function refundDay(r: Refund): string {
  return chinaDay(r.createdAt);
}

export function recordsOfDay(orders: readonly Order[], day: string): RecordOfDay[] {
  const out: RecordOfDay[] = [];
  for (const o of uniqueOrders(orders)) {
    if (paymentDay(o) === day) out.push({ type: 'payment', id: paymentId(o), order: o });
    for (const r of o.refunds) if (refundDay(r) === day) out.push({ type: 'refund', id: refundId(o, r), order: o, refund: r });
  }
  return out;
}

function recordTime(r: RecordOfDay): string {
  return r.type === 'payment' ? r.order.paidAt! : (r.refund.finishedAt ?? r.refund.createdAt);
}

export function toBillRecord(rec: RecordOfDay): BillRecord {
  const o = rec.order;
  const common = {
    orderNo: o.orderNo,
    kind: o.kind,
    channel: channelOf(o),
    ...(o.national?.payOrdId ? { payOrdId: o.national.payOrdId } : {}),
    ...(o.national?.setlId ? { setlId: o.national.setlId } : {}),
    ...(o.payment?.outTradeNo ? { outTradeNo: o.payment.outTradeNo } : {}),
    ...(o.payment?.cashTradeNo ? { cashTradeNo: o.payment.cashTradeNo } : {}),
    time: recordTime(rec),
    patient: { nameMasked: o.patientMasked.nameMasked, idNoMasked: o.patientMasked.idNoMasked },
  };
  if (rec.type === 'payment') return { type: 'payment', ...common, amounts: { ...o.amounts }, state: o.state };
  const r = rec.refund;
  return { type: 'refund', ...common, refundNo: r.refundNo, requestedBy: r.requestedBy, amounts: { ...r.amounts }, requestedAt: r.createdAt, state: r.state };
}

const zero = (): Split => ({ totalFen: 0, fundFen: 0, acctFen: 0, cashFen: 0 });
const KEYS = ['totalFen', 'fundFen', 'acctFen', 'cashFen'] as const;

function add(into: Split, s: Split): void {
  for (const k of KEYS) into[k] += s[k];
}

export function dayTotals(records: readonly BillRecord[]): ChannelTotals[] {
  const by = new Map<Channel, ChannelTotals>();
  for (const r of records) {
    let t = by.get(r.channel);
    if (!t) {
      t = { channel: r.channel, paymentCount: 0, paid: zero(), refundCount: 0, refunded: zero(), refundsPending: 0, net: zero() };
      by.set(r.channel, t);
    }
    if (r.type === 'payment') {
      t.paymentCount++;
      add(t.paid, r.amounts);
    } else if (r.state === 'succeeded') {
      t.refundCount++;
      add(t.refunded, r.amounts);
    } else if (r.state !== 'failed') {
      t.refundsPending++;
    }
  }
  for (const t of by.values()) for (const k of KEYS) t.net[k] = t.paid[k] - t.refunded[k];
  const order: Channel[] = ['wechat', 'alipay', 'kiosk', 'cashier'];
  return [...by.values()].sort((a, b) => order.indexOf(a.channel) - order.indexOf(b.channel));
}

/** The day bill HIS downloads (GET /his/v1/bills). */
export function buildDayBill(orders: readonly Order[], day: string, now: Date, channel?: Channel): DayBill {
  const records = recordsOfDay(orders, day)
    .filter((r) => !channel || channelOf(r.order) === channel)
    .map(toBillRecord)
    .sort((a, b) => a.time.localeCompare(b.time) || a.orderNo.localeCompare(b.orderNo));
  return { date: day, ...(channel ? { channel } : {}), generatedAt: now.toISOString(), records, totals: dayTotals(records) };
}
