/**
 * 自费 (self-pay) orders: a patient who is not insured, or chooses not to use insurance, pays the
 * whole amount through WeChat Pay / Alipay alone. The centre is never involved (no 6201/6202, so
 * no 6301/6302/6401/6203): the channel is the only authority on the money, and the order is paid
 * on its word alone. WeChat: mix_pay_type CASH_ONLY without any insurance field (wechatpay-skills
 * 开发参数与业务规则 §四, 接入质量检查 #6). Plain data and pure decisions, like domain/settlement.ts.
 */
import type { Split } from '@mip/shared';
import { Draft, type By, type Change } from './change';
import { job } from './jobs';
import { onPaymentFailedWithMoneyTaken } from './money-back';
import type { Order, PaymentLeg } from './order';
import type { CashReport, SettlementPolicy } from './reports';

export type PayMode = 'insurance' | 'self';

export function isSelfPay(o: Pick<Order, 'payMode'>): boolean {
  return o.payMode === 'self';
}

/** All of it is cash: HIS's pre-settlement in self-pay mode prices it without any insurance part. */
export function selfPaySplit(totalFen: number): Split {
  return { totalFen, fundFen: 0, acctFen: 0, cashFen: totalFen };
}

const OPEN = ['awaiting_payment', 'awaiting_confirmation'];

/**
 * The channel's word on a self-pay order (notification or query). Paid → the order is paid and
 * HIS is told (his.writeBack); failed → the order fails at once (nothing is waiting at the
 * centre); unknown → awaiting confirmation, and the channel is asked again (payment.poll).
 */
export function onSelfPayCashReport(order: Order, r: CashReport, policy: SettlementPolicy, now: Date): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  const by: By = 'channel';
  const open = OPEN.includes(o.state);
  if (r.status === 'pending') return null;
  if (r.status === 'unknown') {
    if (o.state !== 'awaiting_payment') return null;
    return d.moveTo('awaiting_confirmation', '支付渠道返回未知状态，继续向支付渠道查询', by).enqueue(job('payment.poll', o.orderNo, { delayMs: policy.pollBaseMs, attempt: 1 })).done();
  }
  if (r.status === 'failed' && r.legs?.cash === 'taken') return onPaymentFailedWithMoneyTaken(d, { cash: 'taken', insurance: 'not_taken' }, by);
  if (r.status === 'failed' || r.status === 'refunded') {
    if (!open || o.evidence.cashPaid) return null;
    return d.moveTo('failed', '自费支付未成功，没有扣款', by, r.status).done();
  }
  // paid
  if (o.evidence.cashPaid) return null;
  if (o.state === 'cancelled' || o.state === 'failed') return d.moveTo('manual_review', '转人工核对', by, `订单已${o.state === 'cancelled' ? '取消' : '失败'}，但支付渠道报告已付款`).done();
  if (!open) return null;
  const wrong =
    r.cashPaidFen !== undefined && r.cashPaidFen !== o.amounts.cashFen
      ? `自费实付 ${r.cashPaidFen} 分与应付 ${o.amounts.cashFen} 分不一致`
      : r.totalFen !== undefined && r.totalFen !== o.amounts.totalFen
        ? `支付渠道的订单总额 ${r.totalFen} 分与本单 ${o.amounts.totalFen} 分不一致`
        : undefined;
  if (wrong) return d.moveTo('manual_review', '转人工核对', by, wrong).done();
  o.evidence.cashPaid = { source: r.source, at: r.paidAt ?? d.iso, cashTradeNo: r.cashTradeNo };
  if (o.payment && r.cashTradeNo) o.payment.cashTradeNo = r.cashTradeNo;
  o.paidAt = d.iso;
  o.writeBack = { attempts: 0, deadlineAt: new Date(d.now.getTime() + policy.writeBackDeadlineMs).toISOString() };
  return d.moveTo('paid', '自费支付完成', by, r.source).enqueue(job('his.writeBack', o.orderNo)).done();
}

/**
 * The channel's order for a self-pay order was made: it awaits the patient's payment, and only
 * the channel is polled for it (there is nothing at the centre to ask).
 */
export function onSelfPayPaymentCreated(order: Order, leg: PaymentLeg, pollAfterMs: number, now: Date): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  if (!isSelfPay(o) || !['created', 'awaiting_payment'].includes(o.state) || (o.payment && o.payment.channelRef === leg.channelRef)) return null;
  o.payment = leg;
  if (o.state === 'created') d.moveTo('awaiting_payment', '自费支付订单已创建', 'channel', leg.channelRef);
  else d.note('自费支付订单已重新创建', 'channel', leg.channelRef);
  return d.enqueue(job('payment.poll', o.orderNo, { delayMs: pollAfterMs, attempt: 1 })).done();
}
