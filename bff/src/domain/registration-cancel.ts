/**
 * 退号 by the patient (issue 12 item 7): a paid registration can be cancelled until its session
 * starts less the hospital's cut-off (config registrationCancelCutoffMinutes, inferred). HIS
 * cancels first; the money then goes back as one refund (domain/refund.ts → domain/money-back.ts)
 * under a refund number fixed per order, so a second tap makes no second cancellation or refund.
 * Plain TS.
 */
import { type Change, Draft } from './change';
import { job } from './jobs';
import type { Order, Refund } from './order';

export const cancelRefundNo = (orderNo: string) => `${orderNo}TH`;

/** The session's start: HIS's visit begntime (yyyy-MM-dd HH:mm:ss, China time). */
export function sessionStart(o: Order): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2}))?$/.exec(o.preSettlement.visit.begntime ?? '');
  if (!m) return undefined;
  const at = new Date(`${m[1]}T${m[2]}:${m[3] ?? '00'}+08:00`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export function cancelDeadline(o: Order, cutoffMinutes: number): Date | undefined {
  const start = sessionStart(o);
  return start ? new Date(start.getTime() - cutoffMinutes * 60_000) : undefined;
}

export type CancelCheck = { ok: true; repeat: boolean } | { ok: false; why: 'not_allowed' | 'too_late' };

/** Whether the patient may cancel now; `repeat`: the cancellation was made before (answer it again). */
export function checkCancel(o: Order, now: Date, cutoffMinutes: number): CancelCheck {
  if (o.refunds.some((r) => r.refundNo === cancelRefundNo(o.orderNo))) return { ok: true, repeat: true };
  if (o.kind !== 'registration' || o.state !== 'completed' || o.refunds.some((r) => r.state !== 'failed')) return { ok: false, why: 'not_allowed' };
  const deadline = cancelDeadline(o, cutoffMinutes);
  if (!deadline || now.getTime() >= deadline.getTime()) return { ok: false, why: 'too_late' };
  return { ok: true, repeat: false };
}

/**
 * HIS's answer to a 退号 was unclear: HIS may have cancelled the registration, so finding out is
 * owed whether or not the patient taps again — a durable job asks HIS again with the same refund
 * number (HIS answers the same cancellation) and then returns the money. Null when already owed.
 */
export function onCancelUnclear(order: Order, detail: string, now: Date): Change | null {
  if (order.timeline.some((t) => t.event === CANCEL_PENDING_EVENT)) return null;
  return new Draft(order, now).note(CANCEL_PENDING_EVENT, 'his', detail).enqueue(job('registration.cancel', order.orderNo)).done();
}

export const CANCEL_PENDING_EVENT = '退号结果不明：稍后向HIS确认';

/** HIS refused a 退号 the job asked again for: nothing moved, the registration stands. */
export function onCancelRefusedLater(order: Order, reason: string, now: Date): Change {
  return new Draft(order, now).note('HIS 未同意退号：挂号有效，款项未退', 'his', reason).done();
}

/** A refund's state as the patient reads it. */
export function refundStateLabel(r: Refund): string {
  switch (r.state) {
    case 'succeeded':
      return '已完成';
    case 'manual_review':
      return '需人工处理';
    case 'failed':
      return '未退款';
    case 'insurance_refunded':
      return r.cash?.outcome === 'succeeded' ? '自费已退' : '医保已退';
    default:
      return r.cash?.outcome === 'succeeded' ? '自费已退' : '申请中';
  }
}
