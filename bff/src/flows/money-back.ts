/**
 * Jobs refund.run, reversal.run and refund.notice: carry out the step domain/money-back.ts names,
 * hand the peer's answer back to it, and go on until it says nothing is left. Every peer's
 * answers are mapped to a leg result in exactly one place here (one mapping of 6203 for every
 * path). Every money-moving call uses the refund's fixed number, so a step repeated after a
 * crash or an unclear answer moves no money twice.
 */
import type { Split } from '@mip/shared';
import {
  nextMoneyBackStep,
  onBookingChecked,
  onCashLeg,
  onInsuranceLeg,
  onInsuranceQueried,
  onMoneyBackFinished,
  onNoticeResult,
  reversalRefundNo,
  type BookingResult,
  type LegResult,
  type MoneyBackDecision,
  type NoticeResult,
  type RefundQueryResult,
} from '../domain/money-back';
import type { Order, PaymentLeg, Refund } from '../domain/order';
import { HisUnclearError } from '../his/port';
import { ChannelSignatureError, type ChannelName, type ChannelPort } from '../channels/port';
import type { CentreRefundType } from '../national/port';
import { PeerError } from '../domain/peer-error';
import type { JobOutcome } from '../store/port';
import type { Deps } from './deps';
import { tracked } from './calls';

export type MoneyBackDeps = Pick<Deps, 'channels' | 'his' | 'centre' | 'orders' | 'pii' | 'now' | 'log'>;

const brief = (err: unknown) => (err as Error).message.slice(0, 200);

/**
 * THE mapping of a 6203 outcome (HI or CASH), used by every path that refunds through the centre.
 * An authorization that is gone (public-rules item 1) sends the refund to a person with a clear line.
 */
async function refund6203(deps: MoneyBackDeps, o: Order, r: Refund, q: { appRefdSn: string; amounts: Split; refdType: CentreRefundType }): Promise<LegResult> {
  const a = await tracked(deps, o.orderNo, 'national', '6203', () =>
    deps.centre.refund({ payOrdId: o.national!.payOrdId, at: new Date(r.createdAt), reason: r.reason, authorization: o.national?.authorization, ...q }),
  );
  switch (a.kind) {
    case 'refunded':
      return { outcome: 'succeeded', ...(a.refundRef ? { ref: a.refundRef } : {}) };
    // a refusal of the authorization is a refusal of this refund like any other
    case 'refused':
    case 'authorization_expired':
      return { outcome: 'refused', detail: a.reason };
    case 'abnormal':
    case 'authorization_missing':
      return { outcome: a.kind, detail: a.reason };
    // nothing reached the centre, or we do not know what it did: ask (6301) before anything else
    case 'not_sendable':
    case 'unavailable':
    case 'unknown':
      return { outcome: 'unknown', detail: a.reason };
  }
}

/** 6301 after a 6203 without a trustworthy answer: the centre's order status, never a guess. */
async function refundQuery(deps: MoneyBackDeps, o: Order): Promise<RefundQueryResult> {
  const identity = deps.pii.open(o.piiSealed);
  const a = await tracked(deps, o.orderNo, 'national', '6301', () =>
    deps.centre.querySettlement({ payOrdId: o.national!.payOrdId, payToken: o.national!.payToken, identity }),
  );
  // a refusal or an answer we cannot trust says nothing about the refund either
  return a.kind === 'answered' ? { answered: true, ordStas: a.status.ordStas } : { answered: false, detail: a.reason };
}

async function bookingQuery(deps: MoneyBackDeps, orderNo: string): Promise<BookingResult> {
  try {
    const c = await tracked(deps, orderNo, 'his', 'queryBooking', () => deps.his.queryBooking({ orderNo, kind: 'settlement' }));
    return c.booked ? { booked: true, hisReceiptNo: c.hisReceiptNo } : { booked: false };
  } catch (err) {
    if (err instanceof HisUnclearError || err instanceof PeerError) return { booked: 'unknown', detail: brief(err) };
    throw err;
  }
}

async function hisReversal(deps: MoneyBackDeps, o: Order, r: Refund): Promise<LegResult> {
  const orderNo = o.orderNo;
  try {
    const a = await tracked(deps, orderNo, 'his', 'reverseInsurance', () =>
      deps.his.reverseInsurance({ orderNo, payOrdId: o.national!.payOrdId, revsToken: o.national!.revsToken, amounts: { ...o.amounts } }, { idempotencyKey: r.refundNo }),
    );
    return a.outcome === 'reversed' ? { outcome: 'succeeded', ref: a.hisReversalNo } : { outcome: 'refused', detail: `${a.code} ${a.reason}` };
  } catch (err) {
    if (!(err instanceof HisUnclearError || err instanceof PeerError)) throw err;
    // Did the reversal happen? Ask before trying again.
    const c = await deps.his.queryBooking({ orderNo, kind: 'reversal' }).catch(() => ({ booked: false as const }));
    return c.booked ? { outcome: 'succeeded', ref: c.hisReceiptNo } : { outcome: 'unknown', detail: brief(err) };
  }
}

/** Every payment channel, the kiosk's centre cashier included, takes its cash back itself. */
function portOf(deps: MoneyBackDeps, p: PaymentLeg): ChannelPort {
  return deps.channels[p.channel as ChannelName];
}

async function cashRefund(deps: MoneyBackDeps, o: Order, r: Refund): Promise<LegResult> {
  const p = o.payment;
  if (!p) return { outcome: 'refused', detail: 'no channel payment on this order' };
  const port = portOf(deps, p);
  try {
    const a = await tracked(deps, o.orderNo, p.channel, 'refundCash', () =>
      port.refundCash({
        orderNo: o.orderNo,
        outTradeNo: p.outTradeNo,
        channelRef: p.channelRef,
        refundNo: r.refundNo,
        refundFen: r.amounts.cashFen,
        paidCashFen: o.amounts.cashFen,
        ...(o.payMode === 'self' ? { cashOnly: true } : {}),
        ...(o.national?.authorization ? { insuranceAuthorization: o.national.authorization } : {}),
        reason: r.requestedBy === 'reversal' ? '未能完成本次缴费，已原路退回' : r.reason,
      }),
    );
    if (a.status === 'succeeded') return { outcome: 'succeeded', ...(a.channelRefundId ? { ref: a.channelRefundId } : {}) };
    if (a.status === 'processing') return { outcome: 'processing', detail: `processing ${a.channelRefundId ?? ''}`.trim() };
    return { outcome: 'refused', detail: `${a.code} ${a.message}` };
  } catch (err) {
    if (err instanceof PeerError || err instanceof ChannelSignatureError) return { outcome: 'unknown', detail: brief(err) };
    throw err;
  }
}

async function apply(deps: MoneyBackDeps, orderNo: string, decide: (o: Order) => MoneyBackDecision): Promise<number | undefined> {
  let retryInMs: number | undefined;
  await deps.orders.update(orderNo, (o) => {
    const d = decide(o);
    retryInMs = d.retryInMs;
    return d.change;
  });
  return retryInMs;
}

/** Job refund.run (and reversal.run, whose refund number is fixed): the whole money-back of one refund. */
export async function moneyBackJob(deps: MoneyBackDeps, orderNo: string, refundNo: string): Promise<JobOutcome> {
  for (let i = 0; i < 8; i++) {
    const o = await deps.orders.get(orderNo);
    const r = o?.refunds.find((x) => x.refundNo === refundNo);
    if (!o || !r) return 'done';
    const step = nextMoneyBackStep(o, refundNo, deps.his.capabilities.reversal);
    let retryInMs: number | undefined;
    switch (step.step) {
      case 'none':
        return 'done';
      case 'finish':
        await deps.orders.update(orderNo, (x) => onMoneyBackFinished(x, refundNo, deps.now()));
        return 'done';
      case 'booking_query': {
        const res = await bookingQuery(deps, orderNo);
        retryInMs = await apply(deps, orderNo, (x) => onBookingChecked(x, refundNo, res, deps.now()));
        break;
      }
      case 'insurance': {
        const res = step.route === 'his_reversal' ? await hisReversal(deps, o, r) : await refund6203(deps, o, r, { appRefdSn: step.appRefdSn, amounts: step.amounts, refdType: 'HI' });
        retryInMs = await apply(deps, orderNo, (x) => onInsuranceLeg(x, refundNo, step.route, res, deps.now()));
        break;
      }
      case 'insurance_query': {
        const res = await refundQuery(deps, o);
        retryInMs = await apply(deps, orderNo, (x) => onInsuranceQueried(x, refundNo, res, deps.now()));
        break;
      }
      case 'cash': {
        const res = await cashRefund(deps, o, r);
        retryInMs = await apply(deps, orderNo, (x) => onCashLeg(x, refundNo, res, deps.now()));
        break;
      }
    }
    if (retryInMs === undefined) return 'done';
    if (retryInMs > 0) return { retryInMs };
  }
  return { retryInMs: 1000 };
}

export const reversalJob = (deps: MoneyBackDeps, orderNo: string) => moneyBackJob(deps, orderNo, reversalRefundNo(orderNo));

/** Job refund.notice: 医保退款通知, after the cash refund, with the insurance refund's time (WeChat 开发参数 §七). */
export async function noticeJob(deps: MoneyBackDeps, orderNo: string, refundNo: string): Promise<JobOutcome> {
  const o = await deps.orders.get(orderNo);
  const r = o?.refunds.find((x) => x.refundNo === refundNo);
  if (!o || !r || r.notice?.state !== 'pending' || !o.payment) return 'done';
  const p = o.payment;
  const port = portOf(deps, p);
  let res: NoticeResult;
  {
    try {
      const a = await tracked(deps, orderNo, p.channel, 'notifyInsuranceRefund', () =>
        port.notifyInsuranceRefund({
          outTradeNo: p.outTradeNo,
          channelRef: p.channelRef,
          refundNo,
          amounts: { totalFen: r.amounts.fundFen + r.amounts.acctFen, fundFen: r.amounts.fundFen, acctFen: r.amounts.acctFen },
          refundedAt: r.insurance?.refundedAt ?? r.finishedAt ?? r.createdAt,
        }),
      );
      // an adapter answering nothing (older adapters) has delivered it
      res = a?.status === 'retry' ? { status: 'retry', detail: `${a.code} ${a.message}` } : { status: a?.status ?? 'sent' };
    } catch (err) {
      // no answer, or an adapter that throws on a refusal: deliver again later
      res = { status: 'retry', detail: brief(err) };
    }
  }
  const retryInMs = await apply(deps, orderNo, (x) => onNoticeResult(x, refundNo, res, deps.now()));
  return retryInMs === undefined ? 'done' : { retryInMs };
}
