/**
 * Refunds of a completed order (C2 self-pay refund, M6 insurance refund 6203), requested by HIS
 * or staff. Idempotent on the caller's refund number; a refund never exceeds what is left.
 * The insurance part goes back through the centre first, then the self-pay part through the
 * channel; an unclear 6203 (EXP or no answer) is never retried blindly — it goes to a person.
 */
import type { Split } from '@mip/shared';
import { type Change, Draft } from './change';
import { job } from './jobs';
import { refundableLeft, type Order, type Refund } from './order';

export class RefundRefused extends Error {
  constructor(readonly code: 'REFUND_NOT_ALLOWED' | 'REFUND_EXCEEDS_PAYMENT' | 'IDEMPOTENCY_CONFLICT' | 'VALIDATION_FAILED', message: string) {
    super(message);
  }
}

export interface RefundRequest {
  refundNo: string;
  amounts: Omit<Split, 'totalFen'>;
  reason: string;
  requestedBy: 'his' | 'staff';
}

const REFUNDABLE = ['completed', 'partially_refunded'];

/** Returns the change creating the refund, or null when this refund number already exists with the same content. */
export function requestRefund(order: Order, req: RefundRequest, now: Date): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  const a = req.amounts;
  const total = a.fundFen + a.acctFen + a.cashFen;
  const existing = o.refunds.find((r) => r.refundNo === req.refundNo);
  if (existing) {
    const same = existing.amounts.fundFen === a.fundFen && existing.amounts.acctFen === a.acctFen && existing.amounts.cashFen === a.cashFen;
    if (!same) throw new RefundRefused('IDEMPOTENCY_CONFLICT', `退款单号 ${req.refundNo} 已用于不同金额的退款`);
    return null;
  }
  if (!REFUNDABLE.includes(o.state)) throw new RefundRefused('REFUND_NOT_ALLOWED', `订单状态 ${o.state} 不能退款`);
  if (total <= 0 || [a.fundFen, a.acctFen, a.cashFen].some((v) => !Number.isSafeInteger(v) || v < 0)) {
    throw new RefundRefused('VALIDATION_FAILED', '退款金额必须为非负整数分且合计大于0');
  }
  if (o.refunds.some((r) => !['succeeded', 'failed'].includes(r.state))) {
    throw new RefundRefused('REFUND_NOT_ALLOWED', '该订单有退款正在处理，请稍后再试');
  }
  const left = refundableLeft(o);
  if (a.fundFen > left.fundFen || a.acctFen > left.acctFen || a.cashFen > left.cashFen) {
    throw new RefundRefused('REFUND_EXCEEDS_PAYMENT', `可退: 统筹 ${left.fundFen} 个账 ${left.acctFen} 自费 ${left.cashFen} 分`);
  }
  const refund: Refund = {
    refundNo: req.refundNo,
    requestedBy: req.requestedBy,
    state: 'requested',
    amounts: { totalFen: total, ...a },
    reason: req.reason,
    createdAt: d.iso,
  };
  if (a.fundFen + a.acctFen > 0) refund.insurance = { appRefdSn: `${o.orderNo}${req.refundNo}`.slice(-40) };
  o.refunds.push(refund);
  return d.note(`退款 ${req.refundNo} 已申请`, req.requestedBy, req.reason).enqueue(job('refund.run', o.orderNo, { data: { refundNo: req.refundNo } })).done();
}

export type RefundStepResult =
  | { step: 'insurance'; outcome: 'SUCC'; refdSn?: string }
  | { step: 'insurance'; outcome: 'FAIL' | 'EXP' | 'unknown'; detail: string }
  | { step: 'cash'; outcome: 'succeeded'; channelRefundId?: string }
  | { step: 'cash'; outcome: 'processing' | 'failed' | 'unknown'; detail: string };

export interface RefundDecision {
  change: Change | null;
  retryInMs?: number;
}

/** The next thing a refund needs, from its record. */
export function nextRefundStep(r: Refund): 'insurance' | 'cash' | 'finish' | 'none' {
  if (['succeeded', 'failed', 'manual_review'].includes(r.state)) return 'none';
  if (r.amounts.fundFen + r.amounts.acctFen > 0 && r.state === 'requested') return 'insurance';
  if (r.amounts.cashFen > 0 && r.cash?.outcome !== 'succeeded') return 'cash';
  return 'finish';
}

export function onRefundStep(order: Order, refundNo: string, res: RefundStepResult, now: Date): RefundDecision {
  const d = new Draft(order, now);
  const o = d.order;
  const r = o.refunds.find((x) => x.refundNo === refundNo);
  if (!r || ['succeeded', 'failed', 'manual_review'].includes(r.state)) return { change: null };
  if (res.step === 'insurance') {
    r.insurance = { ...(r.insurance ?? { appRefdSn: refundNo }), outcome: res.outcome };
    if (res.outcome === 'SUCC') {
      if (res.refdSn) r.insurance.refdSn = res.refdSn;
      r.state = 'insurance_refunded';
      d.note(`退款 ${refundNo}：医保部分已退 (6203)`, 'centre', res.refdSn);
      return { change: d.done(), retryInMs: 0 };
    }
    if (res.outcome === 'FAIL') {
      // The centre refused: nothing moved. The refund as a whole fails and can be asked again.
      r.state = 'failed';
      r.lastError = res.detail;
      r.finishedAt = d.iso;
      d.note(`退款 ${refundNo} 被医保中心拒绝`, 'centre', res.detail);
      return { change: d.done() };
    }
    // EXP or no answer: the insurance part may or may not have moved. Never retry blindly (notes §11).
    r.state = 'manual_review';
    r.lastError = res.detail;
    return { change: toReview(d, `退款 ${refundNo} 的医保退费结果不明 (${res.outcome}): ${res.detail}`) };
  }
  r.cash = { ...(r.cash ?? {}), outcome: res.outcome === 'succeeded' ? 'succeeded' : res.outcome };
  if (res.outcome === 'succeeded') {
    if (res.channelRefundId) r.cash.channelRefundId = res.channelRefundId;
    d.note(`退款 ${refundNo}：自费部分已退`, 'channel', res.channelRefundId);
    return { change: d.done(), retryInMs: 0 };
  }
  if (res.outcome === 'failed') {
    r.lastError = res.detail;
    if (r.state === 'insurance_refunded') {
      r.state = 'manual_review';
      return { change: toReview(d, `退款 ${refundNo}: 医保部分已退，自费部分被渠道拒绝: ${res.detail}`) };
    }
    r.state = 'failed';
    r.finishedAt = d.iso;
    return { change: d.note(`退款 ${refundNo}：支付渠道拒绝自费退款`, 'channel', res.detail).done() };
  }
  // processing or unknown: the same refund number is asked again; the channel refunds once
  d.note(`退款 ${refundNo}：自费退款${res.outcome === 'processing' ? '处理中' : '结果未知'}`, 'channel', res.detail);
  return { change: d.done(), retryInMs: 5000 };
}

function toReview(d: Draft, reason: string): Change {
  if (d.order.state === 'manual_review') return d.note('退款需人工处理', 'system', reason).done();
  return d.moveTo('manual_review', '退款需人工处理', 'system', reason).done();
}

export function onRefundFinished(order: Order, refundNo: string, now: Date): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  const r = o.refunds.find((x) => x.refundNo === refundNo);
  if (!r || r.state === 'succeeded') return null;
  r.state = 'succeeded';
  r.finishedAt = d.iso;
  const left = refundableLeft(o);
  const to = left.totalFen === 0 ? 'refunded' : 'partially_refunded';
  if (o.state === to && to === 'refunded') return d.done();
  return d.moveTo(to, `退款 ${refundNo} 完成`, 'system', r.reason).done();
}
