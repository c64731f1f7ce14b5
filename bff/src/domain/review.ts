/**
 * A person resolving a manual-review case (C15). The system sent the order to a person because
 * it could not tell what happened (an unclear reversal, an amount mismatch, money on a cancelled
 * order); the staff member checked with HIS, the centre or the channel and records the outcome.
 * The decision only records that judgement: it moves no money and queues no peer call, because
 * whatever had to be done was done outside (by phone, in the channel's merchant console…).
 */
import { canTransition, ORDER_TRANSITIONS, type OrderState } from '@mip/shared';
import { type Change, Draft } from './change';
import type { Order, Refund } from './order';

export type ReviewRefusal = 'not_in_review' | 'stale' | 'target' | 'note';

export class ReviewError extends Error {
  constructor(readonly refusal: ReviewRefusal, message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

export interface Resolution {
  to: OrderState;
  note: string;
  staffId: string;
  /** the version the staff member was looking at: a newer version may hold new facts */
  expectedVersion: number;
}

export const NOTE_MIN = 4;
export const NOTE_MAX = 500;

/** States a manual-review case may be resolved to (the transition table is the only source). */
export function reviewTargets(order: Pick<Order, 'state'>): OrderState[] {
  return order.state === 'manual_review' ? [...ORDER_TRANSITIONS.manual_review] : [];
}

/** Money gone back (reversed / refunded) or money kept (completed) or never taken (cancelled / failed). */
function settleOpenRefund(r: Refund, to: OrderState, at: string, staffId: string): void {
  if (r.state !== 'manual_review') return;
  r.state = to === 'reversed' || to === 'refunded' ? 'succeeded' : 'failed';
  r.finishedAt = at;
  r.lastError = `${r.lastError ? `${r.lastError}; ` : ''}resolved by staff ${staffId}`;
}

/**
 * The decision. Throws ReviewError when the request cannot apply to this version of the order,
 * so that OrderStore.update, which re-runs it on a fresh copy after a lost race, refuses too.
 */
export function resolveReview(order: Order, r: Resolution, now: Date): Change {
  if (order.state !== 'manual_review') throw new ReviewError('not_in_review', `order ${order.orderNo} is ${order.state}, not in manual review`);
  if (order.version !== r.expectedVersion) {
    throw new ReviewError('stale', `order ${order.orderNo} changed (version ${order.version}, decision made on ${r.expectedVersion})`);
  }
  if (!canTransition('manual_review', r.to)) throw new ReviewError('target', `a manual-review case cannot be resolved to ${r.to}`);
  const note = r.note.trim();
  if (note.length < NOTE_MIN || note.length > NOTE_MAX) throw new ReviewError('note', `the note must have ${NOTE_MIN}–${NOTE_MAX} characters`);

  const d = new Draft(order, now);
  const o = d.order;
  d.moveTo(r.to, `人工核对已处理 (${r.staffId})`, 'staff', note);
  // Draft.moveTo opens a review only when entering manual_review; closing it is ours to record.
  const opened = o.review ?? { reason: 'unknown', openedAt: o.createdAt, fromState: order.state };
  o.review = { ...opened, resolvedAt: d.iso, resolvedBy: r.staffId, resolution: r.to, note };
  for (const refund of o.refunds) settleOpenRefund(refund, r.to, d.iso, r.staffId);
  return d.done();
}

/**
 * A staff member asked the centre and the channel again (flows/recheck.ts): who asked and what each
 * said, on the timeline. The answers themselves went through the usual decisions; this line only
 * records the asking, so a person resolving the case later sees what was known and when.
 */
export function onStaffRecheck(order: Order, staffId: string, answers: { centre?: string; channel?: string }, now: Date): Change {
  const said = [answers.centre && `医保中心：${answers.centre}`, answers.channel && `支付渠道：${answers.channel}`].filter(Boolean).join('；');
  return new Draft(order, now).note(`工作人员重新查询 (${staffId})`, 'staff', said || '本单没有可查询的医保或支付渠道订单').done();
}
