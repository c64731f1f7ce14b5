import { canTransition, type OrderState } from '@mip/shared';
import { AFTER_CASH, AFTER_INSURANCE, job, type Job } from './jobs';
import { jsonCopy } from './json-copy';
import { TIMELINE_LIMIT, type Order, type TimelineEntry } from './order';

/**
 * The result of a decision about an order: the next version of the order and the follow-up
 * jobs, both written in one atomic step. `null` from a decision means "nothing to do" — the
 * answer to a duplicate notification or a poll that learnt nothing new.
 */
export interface Change {
  order: Order;
  jobs: Job[];
  /** the state transition this change makes, if any (for metrics and tests) */
  transition?: { from: OrderState; to: OrderState };
  /** delayed jobs this change makes pointless, taken off the schedule in the same step (see UNPAID_STATES) */
  cancels?: Job[];
}

/**
 * The states an unpaid order waits in. Once an order has left them it never comes back
 * (shared ORDER_TRANSITIONS), so its expiry (order.expire) and its first polls (settlement.poll,
 * payment.poll — they end at once on an order past these states, flows/confirming.ts and
 * flows/cancelling.ts) have nothing left to do: the step that leaves takes them off the
 * schedule instead of leaving each to fire, read the order and end (issue 14).
 */
export const UNPAID_STATES: readonly OrderState[] = ['created', 'fee_uploaded', 'awaiting_payment', 'awaiting_confirmation'];

function pointlessOnceLeft(orderNo: string): Job[] {
  return [
    job('order.expire', orderNo, { attempt: 1 }),
    job('settlement.poll', orderNo, { attempt: 1 }),
    job('payment.poll', orderNo, { attempt: 1 }),
    job('settlement.poll', orderNo, { attempt: 1, data: { ...AFTER_CASH } }),
    job('payment.poll', orderNo, { attempt: 1, data: { ...AFTER_INSURANCE } }),
  ];
}

export class TransitionError extends Error {
  constructor(readonly from: OrderState, readonly to: OrderState, readonly orderNo: string) {
    super(`order ${orderNo}: transition ${from} → ${to} is not allowed`);
    this.name = 'TransitionError';
  }
}

export type By = TimelineEntry['by'];

/** A working copy whose edits end up in one Change. */
export class Draft {
  readonly order: Order;
  readonly jobs: Job[] = [];
  private from: OrderState;

  constructor(order: Order, readonly now: Date) {
    this.order = jsonCopy(order);
    this.from = order.state;
  }

  get iso(): string {
    return this.now.toISOString();
  }

  /** Moves to a new state (checked against the transition table) and records it on the timeline. */
  moveTo(to: OrderState, event: string, by: By, reason?: string): this {
    const o = this.order;
    if (!canTransition(o.state, to)) throw new TransitionError(o.state, to, o.orderNo);
    this.note(event, by, reason, to);
    o.state = to;
    if (to === 'manual_review') o.review = { reason: reason ?? event, openedAt: this.iso, fromState: this.from };
    return this;
  }

  /** Records a fact on the timeline without changing state. */
  note(event: string, by: By, reason?: string, to: OrderState = this.order.state): this {
    const entry: TimelineEntry = { at: this.iso, from: this.order.state, to, event, by };
    if (reason) entry.reason = reason;
    this.order.timeline.push(entry);
    if (this.order.timeline.length > TIMELINE_LIMIT) this.order.timeline.splice(1, this.order.timeline.length - TIMELINE_LIMIT);
    return this;
  }

  enqueue(...jobs: Job[]): this {
    this.jobs.push(...jobs);
    return this;
  }

  done(): Change {
    this.order.updatedAt = this.iso;
    const change: Change = { order: this.order, jobs: this.jobs };
    if (this.order.state !== this.from) {
      change.transition = { from: this.from, to: this.order.state };
      if (UNPAID_STATES.includes(this.from) && !UNPAID_STATES.includes(this.order.state)) change.cancels = pointlessOnceLeft(this.order.orderNo);
    }
    return change;
  }
}
