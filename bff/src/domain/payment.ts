/**
 * Decisions of the pay step (C12/C13/C14): fee upload (6201), insurance order (6202) and the
 * channel order. Pure: the flow calls the peers and hands their answers here.
 */
import { splitAddsUp, type Channel, type Split } from '@mip/shared';
import { type Change, Draft } from './change';
import { job } from './jobs';
import type { NationalLeg, Order, PaymentLeg } from './order';

export function onFeeUploaded(
  order: Order,
  r: { payOrdId: string; payToken: string; chrgBchno: string; mdtrtId?: string; authorization?: NationalLeg['authorization'] },
  now: Date,
): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  if (o.state !== 'created') return null;
  o.national = { payOrdId: r.payOrdId, payToken: r.payToken, chrgBchno: r.chrgBchno, orgBizSers: [], ordered: false };
  if (r.mdtrtId) o.national.mdtrtId = r.mdtrtId;
  // kept from the first call that carried it: a 6202 whose answer is lost still has it for a 6203 (public-rules item 1)
  if (r.authorization) o.national.authorization = r.authorization;
  return d.moveTo('fee_uploaded', '费用明细上传成功 (6201)', 'centre', r.payOrdId).done();
}

/** The keys of the next 6201: fresh ones after an unanswered call (HSA makes a new medOrgOrd per call). */
export function feeUploadKeys(order: Order): { medOrgOrd: string; chrgBchno: string } {
  const n = order.feeUploadsUnanswered ?? 0;
  return n === 0 ? { medOrgOrd: order.orderNo, chrgBchno: `${order.orderNo}B1` } : { medOrgOrd: `${order.orderNo}R${n}`, chrgBchno: `${order.orderNo}B${n + 1}` };
}

/** A 6201 went unanswered: nothing is payable yet (no money moves at 6201); the next tap uploads under fresh keys. */
export function onFeeUploadUnanswered(order: Order, now: Date): Change | null {
  const d = new Draft(order, now);
  if (d.order.state !== 'created') return null;
  d.order.feeUploadsUnanswered = (d.order.feeUploadsUnanswered ?? 0) + 1;
  return d.note('费用明细上传无应答 (6201)', 'system', '下次以新的机构订单号重新上传').done();
}

/** 6202 answered with the centre's split. A split that does not add up never becomes payable. */
export function onInsuranceOrdered(
  order: Order,
  r: { ordStas: string; split?: Split; splitIssue?: string; orgBizSer: string; authorization?: NationalLeg['authorization'] },
  now: Date,
): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  if (!o.national || !['fee_uploaded', 'awaiting_confirmation'].includes(o.state)) return null;
  o.national.orgBizSers.push(r.orgBizSer);
  o.national.lastOrdStas = r.ordStas;
  if (r.authorization) o.national.authorization = r.authorization;
  if (!r.split) return d.moveTo('manual_review', '医保下单结果缺少金额', 'centre', `6202 ordStas=${r.ordStas}`).done();
  if (r.splitIssue) return d.moveTo('manual_review', '医保分账金额不平', 'centre', `6202 ${r.splitIssue}`).done();
  if (!splitAddsUp(r.split)) {
    return d.moveTo('manual_review', '医保分账金额不平', 'centre', `6202 金额不平: ${JSON.stringify(r.split)}`).done();
  }
  if (r.split.totalFen !== o.amounts.totalFen) {
    return d.moveTo('manual_review', '医保总额与 HIS 预结算不一致', 'centre', `6202 总额 ${r.split.totalFen} 分, HIS 预结算 ${o.amounts.totalFen} 分`).done();
  }
  o.amounts = r.split;
  o.amountsFinal = true;
  o.national.ordered = true;
  return d.moveTo('awaiting_payment', '医保支付下单成功 (6202)', 'centre', `ordStas=${r.ordStas}`).done();
}

const CHANNEL_TEXT: Record<Channel, string> = { wechat: '微信', alipay: '支付宝', cashier: '医保收银台', kiosk: '自助机' };

/** The channel order exists; the patient now confirms in WeChat/Alipay or the centre's cashier. Polls start as a backstop. */
export function onPaymentCreated(order: Order, leg: PaymentLeg, pollAfterMs: number, now: Date): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  if (o.state !== 'awaiting_payment' || (o.payment && o.payment.channelRef === leg.channelRef)) return null;
  o.payment = leg;
  d.note(`${CHANNEL_TEXT[leg.channel]}支付订单已创建`, 'channel', leg.channelRef)
    .enqueue(job('settlement.poll', o.orderNo, { delayMs: pollAfterMs, attempt: 1 }))
    .enqueue(job('payment.poll', o.orderNo, { delayMs: pollAfterMs, attempt: 1 }));
  return d.done();
}

/** 6202 refused (e.g. the authorization expired): the order stays payable after a new authorization. */
export function onInsuranceOrderRefused(order: Order, reason: string, now: Date): Change | null {
  const d = new Draft(order, now);
  if (d.order.state !== 'fee_uploaded') return null;
  return d.note('医保中心拒绝下单 (6202)', 'centre', reason).done();
}

export function onCancelled(order: Order, reason: string, by: 'patient' | 'system' | 'staff', now: Date): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  if (!['created', 'fee_uploaded', 'awaiting_payment', 'awaiting_confirmation'].includes(o.state)) return null;
  if (o.evidence.cashPaid || o.evidence.insuranceSettled) return null;
  return d.moveTo('cancelled', '订单已取消', by, reason).enqueue(job('order.release', o.orderNo)).done();
}
