import type { JobType } from '../domain/jobs';
import type { Deps } from '../flows/deps';
import { paymentPollJob, settlementPollJob } from '../flows/confirming';
import { writeBackJob } from '../flows/write-back';
import { moneyBackJob, noticeJob, reversalJob } from '../flows/money-back';
import { expireJob, releaseJob } from '../flows/cancelling';
import { deliverJob } from '../flows/messages';
import { cancelRegistrationJob } from '../flows/cancel-registration';
import type { JobHandler } from '../store/queue';

/** Which flow carries out which job. */
export function jobHandlers(deps: Deps, extra: Partial<Record<JobType, JobHandler>> = {}): Partial<Record<JobType, JobHandler>> {
  return {
    'his.writeBack': (j) => writeBackJob(deps, j.key, { firstDelivery: j.attempt === 1 && !j.redelivered }),
    'settlement.poll': (j) => settlementPollJob(deps, j.key, j.attempt, j.data?.after),
    'payment.poll': (j) => paymentPollJob(deps, j.key, j.attempt, j.data?.after),
    'reversal.run': (j) => reversalJob(deps, j.key),
    'refund.run': (j) => moneyBackJob(deps, j.key, j.data?.refundNo ?? ''),
    'refund.notice': (j) => noticeJob(deps, j.key, j.data?.refundNo ?? ''),
    'order.expire': (j) => expireJob(deps, j.key, j.attempt),
    'order.release': (j) => releaseJob(deps, j.key),
    'message.deliver': (j) => deliverJob(deps, j),
    'registration.cancel': (j) => cancelRegistrationJob(deps, j.key, j.attempt),
    ...extra,
  };
}
