/**
 * Job reversal.run (C6). Executes the next step that domain/reversal.ts names, records its
 * outcome, and continues until the order is reversed, completed after all, or with a person.
 * Every money-moving call uses a fixed number derived from the order (`<orderNo>RV`), so a step
 * repeated after a crash or an unclear answer moves no money twice.
 */
import { nextReversalStep, onReversalFinished, onReversalStep, type StepResult } from '../domain/reversal';
import type { ReversalStepName } from '../domain/order';
import { HisUnclearError } from '../his/port';
import { ChannelSignatureError } from '../channels/port';
import { isUnknownOutcome, NationalRejectedError } from '../national/client';
import { PeerError } from '../peers/http-client';
import type { JobOutcome } from '../store/queue';
import type { Order } from '../domain/order';
import type { Deps } from './deps';
import { tracked } from './calls';

const unclearDetail = (err: unknown) => (err as Error).message.slice(0, 200);

async function runStep(deps: Deps, o: Order, step: ReversalStepName): Promise<StepResult> {
  const orderNo = o.orderNo;
  const refundNo = `${orderNo}RV`;
  switch (step) {
    case 'booking_query': {
      try {
        const c = await tracked(deps, orderNo, 'his', 'queryBooking', () => deps.his.queryBooking({ orderNo, kind: 'settlement' }));
        return c.booked ? { outcome: 'done', detail: `HIS 已入账 ${c.hisReceiptNo}`, booked: { hisReceiptNo: c.hisReceiptNo } } : { outcome: 'done', detail: 'HIS 确认未入账' };
      } catch (err) {
        if (err instanceof HisUnclearError || err instanceof PeerError) return { outcome: 'unclear', detail: unclearDetail(err) };
        throw err;
      }
    }
    case 'his_reversal': {
      try {
        const r = await tracked(deps, orderNo, 'his', 'reverseInsurance', () =>
          deps.his.reverseInsurance({ orderNo, payOrdId: o.national!.payOrdId, revsToken: o.national!.revsToken, amounts: { ...o.amounts } }, { idempotencyKey: refundNo }),
        );
        return r.outcome === 'reversed' ? { outcome: 'done', detail: `HIS 冲正 ${r.hisReversalNo}` } : { outcome: 'rejected', detail: `${r.code} ${r.reason}` };
      } catch (err) {
        if (!(err instanceof HisUnclearError || err instanceof PeerError)) throw err;
        // Did the reversal happen? Ask before trying again.
        try {
          const c = await deps.his.queryBooking({ orderNo, kind: 'reversal' });
          if (c.booked) return { outcome: 'done', detail: `HIS 冲正已入账 ${c.hisReceiptNo}` };
        } catch {
          // still unclear
        }
        return { outcome: 'unclear', detail: unclearDetail(err) };
      }
    }
    case 'insurance_refund': {
      try {
        const r = await tracked(deps, orderNo, 'national', '6203', () =>
          deps.national.refund({
            payOrdId: o.national!.payOrdId,
            appRefdSn: refundNo,
            at: new Date(o.reversal!.startedAt),
            amounts: { totalFen: o.amounts.fundFen + o.amounts.acctFen, fundFen: o.amounts.fundFen, acctFen: o.amounts.acctFen, cashFen: 0 },
            refdType: 'HI',
            authorization: o.national!.authorization,
            reason: '单边账冲正',
          }),
        );
        if (r.refStatus === 'SUCC') {
          await notifyChannelOfInsuranceRefund(deps, o, refundNo);
          return { outcome: 'done', detail: `6203 退费成功 ${r.refdSn ?? ''}` };
        }
        if (r.refStatus === 'FAIL') return { outcome: 'rejected', detail: '6203 退费失败' };
        return { outcome: 'unclear', detail: `6203 refStatus=${r.refStatus}` };
      } catch (err) {
        if (err instanceof NationalRejectedError) return { outcome: 'rejected', detail: `${err.code} ${err.detail}` };
        if (isUnknownOutcome(err) || err instanceof PeerError) return { outcome: 'unclear', detail: unclearDetail(err) };
        throw err;
      }
    }
    case 'cash_refund': {
      const p = o.payment;
      if (!p) return { outcome: 'failed', detail: 'no channel payment to refund' };
      if (p.channel === 'kiosk') return centreCashRefund(deps, o, refundNo, o.amounts.cashFen, new Date(o.reversal!.startedAt));
      try {
        const r = await tracked(deps, orderNo, p.channel, 'refundCash', () =>
          deps.channels[p.channel as 'wechat' | 'alipay'].refundCash({
            orderNo,
            outTradeNo: p.outTradeNo,
            channelRef: p.channelRef,
            refundNo,
            refundFen: o.amounts.cashFen,
            paidCashFen: o.amounts.cashFen,
            reason: '医院未能登记本次缴费，已原路退回',
          }),
        );
        if (r.status === 'succeeded') return { outcome: 'done', detail: `自费退款成功 ${r.channelRefundId ?? ''}` };
        if (r.status === 'processing') return { outcome: 'unclear', detail: '自费退款处理中' };
        return { outcome: 'failed', detail: `${r.code} ${r.message}` };
      } catch (err) {
        if (err instanceof PeerError || err instanceof ChannelSignatureError) return { outcome: 'unclear', detail: unclearDetail(err) };
        throw err;
      }
    }
  }
}

/**
 * The self-pay part of a kiosk order was paid in the centre's cashier, so it goes back through
 * the centre too: 6203 with refdType CASH ([I]: the cashier refund path of the provinces).
 */
export async function centreCashRefund(deps: Deps, o: Order, refundNo: string, cashFen: number, at: Date): Promise<StepResult> {
  try {
    const r = await tracked(deps, o.orderNo, 'national', '6203', () =>
      deps.national.refund({
        payOrdId: o.national!.payOrdId,
        appRefdSn: `${refundNo}C`,
        at,
        amounts: { totalFen: cashFen, fundFen: 0, acctFen: 0, cashFen },
        refdType: 'CASH',
        authorization: o.national!.authorization,
        reason: '自助机自费部分退款',
      }),
    );
    if (r.refStatus === 'SUCC') return { outcome: 'done', detail: `6203 自费退款成功 ${r.refdSn ?? ''}` };
    if (r.refStatus === 'FAIL') return { outcome: 'failed', detail: '6203 自费退款失败' };
    return { outcome: 'unclear', detail: `6203 refStatus=${r.refStatus}` };
  } catch (err) {
    if (err instanceof NationalRejectedError) return { outcome: 'failed', detail: `${err.code} ${err.detail}` };
    if (isUnknownOutcome(err) || err instanceof PeerError) return { outcome: 'unclear', detail: unclearDetail(err) };
    throw err;
  }
}

/** WeChat shows stale state unless told of an insurance refund made through the centre. */
async function notifyChannelOfInsuranceRefund(deps: Deps, o: Order, refundNo: string): Promise<void> {
  const p = o.payment;
  if (!p || p.channel === 'kiosk') return;
  try {
    await deps.channels[p.channel].notifyInsuranceRefund({
      outTradeNo: p.outTradeNo,
      channelRef: p.channelRef,
      refundNo,
      amounts: { totalFen: o.amounts.fundFen + o.amounts.acctFen, fundFen: o.amounts.fundFen, acctFen: o.amounts.acctFen },
      refundedAt: new Date().toISOString(),
    });
  } catch (err) {
    deps.log.warn({ orderNo: o.orderNo, err: (err as Error).message }, 'insurance refund notice to the channel failed');
  }
}

export async function reversalJob(deps: Deps, orderNo: string): Promise<JobOutcome> {
  for (let i = 0; i < 8; i++) {
    const order = await deps.orders.get(orderNo);
    if (!order || order.state !== 'reversing') return 'done';
    const step = nextReversalStep(order, deps.his.capabilities.reversal);
    if (step === 'finish') {
      await deps.orders.update(orderNo, (o) => onReversalFinished(o, deps.now()));
      return 'done';
    }
    const result = await runStep(deps, order, step);
    let retryInMs: number | undefined;
    await deps.orders.update(orderNo, (o) => {
      const d = onReversalStep(o, step, result, deps.now());
      retryInMs = d.retryInMs;
      return d.change;
    });
    if (retryInMs === undefined) return 'done';
    if (retryInMs > 0) return { retryInMs };
  }
  return { retryInMs: 1000 };
}
