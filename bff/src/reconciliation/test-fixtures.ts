/** Hand-built orders, bill rows and centre answers for the reconciliation tests. Test-only. */
import type { ChannelBillRow } from '../channels/port';
import { orderFixture } from '../domain/fixtures';
import type { Order, Refund } from '../domain/order';
import type { CentreResult, ChannelBill, ReconInput } from './types';

export const DAY = '2026-11-23';
/** 12:00 China time on DAY */
export const NOON = '2026-11-23T04:00:00.000Z';

export function paidOrder(n: number, over: Partial<Order> = {}): Order {
  const orderNo = `O2611231000${String(n).padStart(4, '0')}AB`;
  const base = orderFixture();
  return orderFixture({
    orderNo,
    state: 'completed',
    createdAt: '2026-11-23T03:55:00.000Z',
    paidAt: NOON,
    payment: { ...base.payment!, outTradeNo: orderNo, channelRef: `MIX${n}`, cashTradeNo: `4200${n}` },
    national: { ...base.national!, payOrdId: `ORD${n}`, setlId: `SETL${n}` },
    evidence: { cashPaid: { source: 'channel_notify', at: NOON, cashTradeNo: `4200${n}` }, insuranceSettled: { source: 'notify_6302', ordStas: '6', at: NOON } },
    ...over,
  });
}

export function refund(over: Partial<Refund> = {}): Refund {
  return {
    refundNo: 'RF1',
    requestedBy: 'his',
    state: 'succeeded',
    amounts: { totalFen: 1_000, fundFen: 0, acctFen: 0, cashFen: 1_000 },
    reason: '退费',
    createdAt: '2026-11-23T06:00:00.000Z',
    finishedAt: '2026-11-23T06:00:05.000Z',
    ...over,
  };
}

export function paymentRow(o: Order, amountFen = o.amounts.cashFen): ChannelBillRow {
  return { channel: 'wechat', kind: 'payment', outTradeNo: o.payment!.outTradeNo, cashTradeNo: o.payment!.cashTradeNo ?? 'T', amountFen, time: o.paidAt!, status: 'SUCCESS' };
}

export function refundRow(o: Order, r: Refund, amountFen = r.amounts.cashFen): ChannelBillRow {
  return { channel: 'wechat', kind: 'refund', outTradeNo: o.payment!.outTradeNo, cashTradeNo: o.payment!.cashTradeNo ?? 'T', refundNo: r.refundNo, amountFen, time: r.createdAt, status: 'SUCCESS' };
}

/** The rows a correct WeChat bill of DAY holds for these orders. */
export function cleanRows(orders: Order[]): ChannelBillRow[] {
  const rows: ChannelBillRow[] = [];
  for (const o of orders) {
    if (o.paidAt && o.amounts.cashFen > 0) rows.push(paymentRow(o));
    for (const r of o.refunds) if (r.state === 'succeeded' && r.amounts.cashFen > 0) rows.push(refundRow(o, r));
  }
  return rows;
}

/** What a correct centre answers: settled (6), or 10 once an insurance part went back. */
export function centreOf(o: Order): CentreResult {
  const hiBack = o.refunds.some((r) => r.state === 'succeeded' && r.amounts.fundFen + r.amounts.acctFen > 0);
  return { ok: true, ordStas: hiBack ? '10' : '6', split: { ...o.amounts } };
}

export function wechatBill(rows: ChannelBillRow[], over: Partial<ChannelBill> = {}): ChannelBill {
  return { channel: 'wechat', rows, neighbours: [], prevAvailable: true, nextAvailable: true, ...over };
}

export function reconInput(orders: Order[], over: Partial<ReconInput> = {}): ReconInput {
  return {
    date: DAY,
    orders,
    channels: [wechatBill(cleanRows(orders))],
    centre: new Map(orders.map((o) => [o.orderNo, centreOf(o)])),
    settledOrdStas: ['6'],
    boundaryMs: 15 * 60_000,
    ...over,
  };
}
