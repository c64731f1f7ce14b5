/**
 * Admission of a refund of a completed order (C2 self-pay refund, M6 insurance refund 6203),
 * requested by HIS or staff. Idempotent on the caller's refund number; a refund never exceeds
 * what is left. How it is then carried out is domain/money-back.ts.
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
  requestedBy: 'his' | 'staff' | 'patient';
  /** the timeline's line for the request when it should say more than the reason (a staff member's audit line) */
  audit?: string;
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
  return d.note(`退款 ${req.refundNo} 已申请`, req.requestedBy, req.audit ?? req.reason).enqueue(job('refund.run', o.orderNo, { data: { refundNo: req.refundNo } })).done();
}
