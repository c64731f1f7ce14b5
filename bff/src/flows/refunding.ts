/**
 * Refunds of completed orders (C2, M6): requested by HIS or staff, carried out by job refund.run.
 * Insurance part first through the centre (6203, appRefdSn fixed per refund), then the self-pay
 * part through the channel (the refund number is the channel's idempotency key too).
 */
import { nextRefundStep, onRefundFinished, onRefundStep, requestRefund, RefundRefused, type RefundRequest, type RefundStepResult } from '../domain/refund';
import type { Order } from '../domain/order';
import { AppError } from '../http/app-error';
import { isUnknownOutcome, NationalRejectedError } from '../national/client';
import { PeerError } from '../peers/http-client';
import { ChannelSignatureError } from '../channels/port';
import type { JobOutcome } from '../store/queue';
import type { Deps } from './deps';
import { tracked } from './calls';
import { centreCashRefund } from './reversal';
import { noteRefundDay } from '../reconciliation/run-store';
import { chinaDay } from '../reconciliation/days';

export async function createRefund(deps: Deps, orderNo: string, req: RefundRequest): Promise<Order> {
  const order = await deps.orders.get(orderNo);
  if (!order) throw new AppError('ORDER_NOT_FOUND');
  try {
    const after = (await deps.orders.update(orderNo, (o) => requestRefund(o, req, deps.now()))).order;
    // the day's bill lists refunds by the day they were asked for, not the day the order was made
    const r = after.refunds.find((x) => x.refundNo === req.refundNo);
    if (r) await noteRefundDay(deps.redis, deps.keys, orderNo, chinaDay(r.createdAt)).catch((e: Error) => deps.log.warn({ err: e.message, orderNo }, 'refund-day index not written'));
    return after;
  } catch (err) {
    if (err instanceof RefundRefused) throw new AppError(err.code, err.message);
    throw err;
  }
}

async function insuranceStep(deps: Deps, o: Order, refundNo: string): Promise<RefundStepResult> {
  const r = o.refunds.find((x) => x.refundNo === refundNo)!;
  const cashOnlyLater = { ...r.amounts, cashFen: 0, totalFen: r.amounts.fundFen + r.amounts.acctFen };
  try {
    const a = await tracked(deps, o.orderNo, 'national', '6203', () =>
      deps.national.refund({
        payOrdId: o.national!.payOrdId,
        appRefdSn: r.insurance!.appRefdSn,
        at: new Date(r.createdAt),
        amounts: cashOnlyLater,
        refdType: 'HI',
        authorization: o.national!.authorization,
        reason: r.reason,
      }),
    );
    if (a.refStatus === 'SUCC') return { step: 'insurance', outcome: 'SUCC', ...(a.refdSn ? { refdSn: a.refdSn } : {}) };
    return { step: 'insurance', outcome: a.refStatus === 'FAIL' ? 'FAIL' : a.refStatus === 'EXP' ? 'EXP' : 'unknown', detail: `refStatus=${a.refStatus}` };
  } catch (err) {
    if (err instanceof NationalRejectedError) return { step: 'insurance', outcome: 'FAIL', detail: `${err.code} ${err.detail}` };
    if (isUnknownOutcome(err) || err instanceof PeerError) return { step: 'insurance', outcome: 'unknown', detail: (err as Error).message.slice(0, 200) };
    throw err;
  }
}

async function cashStep(deps: Deps, o: Order, refundNo: string): Promise<RefundStepResult> {
  const r = o.refunds.find((x) => x.refundNo === refundNo)!;
  const p = o.payment;
  if (!p) return { step: 'cash', outcome: 'failed', detail: 'no channel payment on this order' };
  if (p.channel === 'kiosk') {
    const c = await centreCashRefund(deps, o, refundNo, r.amounts.cashFen, new Date(r.createdAt));
    if (c.outcome === 'done') return { step: 'cash', outcome: 'succeeded' };
    return { step: 'cash', outcome: c.outcome === 'failed' ? 'failed' : 'unknown', detail: c.detail };
  }
  try {
    const res = await tracked(deps, o.orderNo, p.channel, 'refundCash', () =>
      deps.channels[p.channel as 'wechat' | 'alipay'].refundCash({
        orderNo: o.orderNo,
        outTradeNo: p.outTradeNo,
        channelRef: p.channelRef,
        refundNo,
        refundFen: r.amounts.cashFen,
        paidCashFen: o.amounts.cashFen,
        reason: r.reason,
      }),
    );
    if (res.status === 'succeeded') return { step: 'cash', outcome: 'succeeded', ...(res.channelRefundId ? { channelRefundId: res.channelRefundId } : {}) };
    if (res.status === 'processing') return { step: 'cash', outcome: 'processing', detail: 'processing' };
    return { step: 'cash', outcome: 'failed', detail: `${res.code} ${res.message}` };
  } catch (err) {
    if (err instanceof PeerError || err instanceof ChannelSignatureError) return { step: 'cash', outcome: 'unknown', detail: err.message.slice(0, 200) };
    throw err;
  }
}

export async function refundJob(deps: Deps, orderNo: string, refundNo: string): Promise<JobOutcome> {
  for (let i = 0; i < 4; i++) {
    const o = await deps.orders.get(orderNo);
    const r = o?.refunds.find((x) => x.refundNo === refundNo);
    if (!o || !r) return 'done';
    const step = nextRefundStep(r);
    if (step === 'none') return 'done';
    if (step === 'finish') {
      await deps.orders.update(orderNo, (x) => onRefundFinished(x, refundNo, deps.now()));
      if (o.payment && o.payment.channel !== 'kiosk' && r.amounts.fundFen + r.amounts.acctFen > 0) {
        await deps.channels[o.payment.channel]
          .notifyInsuranceRefund({
            outTradeNo: o.payment.outTradeNo,
            channelRef: o.payment.channelRef,
            refundNo,
            amounts: { totalFen: r.amounts.fundFen + r.amounts.acctFen, fundFen: r.amounts.fundFen, acctFen: r.amounts.acctFen },
            refundedAt: new Date().toISOString(),
          })
          .catch((e: Error) => deps.log.warn({ orderNo, err: e.message }, 'insurance refund notice failed'));
      }
      return 'done';
    }
    const res = step === 'insurance' ? await insuranceStep(deps, o, refundNo) : await cashStep(deps, o, refundNo);
    let retryInMs: number | undefined;
    await deps.orders.update(orderNo, (x) => {
      const d = onRefundStep(x, refundNo, res, deps.now());
      retryInMs = d.retryInMs;
      return d.change;
    });
    if (retryInMs === undefined) return 'done';
    if (retryInMs > 0) return { retryInMs };
  }
  return { retryInMs: 1000 };
}
