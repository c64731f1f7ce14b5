/**
 * Follow-up work that a state change makes necessary. A job is written to the durable queue in
 * the same atomic step as the state change that caused it, so neither exists without the other.
 */
export type JobType =
  | 'his.writeBack' //        M5: record the settlement in HIS
  | 'settlement.poll' //      M4: ask the centre (6301) while the outcome is open
  | 'payment.poll' //         ask the channel while its notification is missing
  | 'order.expire' //         cancel (6401) an order left unpaid
  | 'order.release' //        release HIS locks after a cancel
  | 'reversal.run' //         C6: undo a one-sided payment
  | 'refund.run' //           C2/M6: carry out one refund (domain/money-back.ts)
  | 'refund.notice' //        医保退款通知 to the channel after an insurance refund
  | 'registration.cancel' //  退号 whose HIS answer was unclear: ask HIS again, then refund
  | 'message.deliver'; //     C4/C5: deliver a patient message

export interface Job {
  type: JobType;
  /** the order (or message event) the job is about; also the shard key */
  key: string;
  /** run no earlier than now + delayMs */
  delayMs?: number;
  attempt?: number;
  data?: Record<string, string>;
}

/**
 * The poll a leg's money starts: the centre is asked (settlement.poll) from the moment the channel took
 * the cash, the channel (payment.poll) from the moment the centre settled. Only that poll, when it
 * runs out, gives the order to a person (domain/settlement.ts onPollingExhausted): an older poll of
 * the same order, started at the pay step, may run out moments after the money came.
 */
export const AFTER_CASH = { after: 'cash' } as const;
export const AFTER_INSURANCE = { after: 'insurance' } as const;

export function job(type: JobType, key: string, extra: Omit<Job, 'type' | 'key'> = {}): Job {
  return { type, key, ...extra };
}

/** Exponential back-off with full jitter kept within [base, cap]. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(baseMs + (exp - baseMs) * random());
}
