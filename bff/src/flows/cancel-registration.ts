/**
 * 退号 (issue 12 item 7): HIS cancels the paid registration first (HisPort.cancelRegistration),
 * then the money goes back through the one money-back process as a refund the patient asked
 * for (domain/refund.ts, job refund.run: 6203 for the insurance part, the channel for the cash,
 * 医保退款通知 after). The refund number is fixed per order (domain/registration-cancel.ts), and
 * HIS de-duplicates on it: a double tap makes one cancellation and one refund. An unclear HIS
 * answer is never taken as a no: job registration.cancel asks HIS again until it answers.
 */
import { cancelRefundNo, checkCancel, onCancelRefusedLater, onCancelUnclear } from '../domain/registration-cancel';
import { refundableLeft, type Order } from '../domain/order';
import { HisUnclearError, type CancelRegistrationResult } from '../his/port';
import { DomainError } from '../domain/errors';
import { PeerError } from '../domain/peer-error';
import type { PatientSession } from '../sessions/port';
import type { JobOutcome } from '../store/port';
import { ownedOrder } from './access';
import { tracked } from './calls';
import type { Config } from '../config';
import type { Deps } from './deps';
import { withLock, type LockDeps } from './lock';
import { createRefund, type RefundingDeps } from './refunding';

export type CancelRegistrationDeps = RefundingDeps & LockDeps & Pick<Deps, 'his'> & { config: Pick<Config, 'registrationCancelCutoffMinutes'> };

const REASON = '患者退号';
const brief = (err: unknown) => (err as Error).message.slice(0, 200);

/** HIS's answer, or 'unclear' when nobody knows whether it cancelled. */
async function askHis(deps: CancelRegistrationDeps, orderNo: string): Promise<CancelRegistrationResult | { outcome: 'unclear'; detail: string }> {
  const refundNo = cancelRefundNo(orderNo);
  try {
    return await tracked(deps, orderNo, 'his', 'cancelRegistration', () => deps.his.cancelRegistration({ orderNo, refundNo, reason: REASON }, { idempotencyKey: refundNo }));
  } catch (err) {
    if (err instanceof HisUnclearError || err instanceof PeerError) return { outcome: 'unclear', detail: brief(err) };
    throw err;
  }
}

/** HIS cancelled: what the order has left goes back, part by part, as one refund. */
function refundCancelled(deps: CancelRegistrationDeps, order: Order, his: Extract<CancelRegistrationResult, { outcome: 'cancelled' }>): Promise<Order> {
  const left = refundableLeft(order);
  const a = his.amounts;
  if (a.fundFen !== left.fundFen || a.acctFen !== left.acctFen || a.cashFen !== left.cashFen) {
    deps.log.error({ orderNo: order.orderNo, his: a, left }, 'HIS cancelled a registration with other amounts than the order paid');
  }
  const amounts = { fundFen: left.fundFen, acctFen: left.acctFen, cashFen: left.cashFen };
  return createRefund(deps, order.orderNo, { refundNo: cancelRefundNo(order.orderNo), amounts, reason: REASON, requestedBy: 'patient' });
}

export async function cancelRegistration(deps: CancelRegistrationDeps, s: PatientSession, orderNo: string): Promise<Order> {
  await ownedOrder(deps, s, orderNo);
  return withLock(deps, `cancel-reg:${orderNo}`, 30_000, async () => {
    const order = await ownedOrder(deps, s, orderNo);
    const check = checkCancel(order, deps.now(), deps.config.registrationCancelCutoffMinutes);
    if (!check.ok) throw new DomainError(check.why === 'too_late' ? 'CANCEL_TOO_LATE' : 'CANCEL_NOT_ALLOWED');
    if (check.repeat) return order;
    const res = await askHis(deps, orderNo);
    if (res.outcome === 'unclear') {
      await deps.orders.update(orderNo, (o) => onCancelUnclear(o, res.detail, deps.now()));
      throw new DomainError('CANCEL_UNCONFIRMED');
    }
    if (res.outcome === 'rejected') {
      deps.log.info({ orderNo, code: res.code }, 'HIS refused the cancellation of a registration');
      throw new DomainError(res.code === 'TOO_LATE' ? 'CANCEL_TOO_LATE' : 'CANCEL_NOT_ALLOWED');
    }
    return refundCancelled(deps, order, res);
  });
}

/** Job registration.cancel: HIS's answer was unclear; ask again (no cut-off here: HIS may have cancelled in time). */
export async function cancelRegistrationJob(deps: CancelRegistrationDeps, orderNo: string, attempt: number): Promise<JobOutcome> {
  const order = await deps.orders.get(orderNo);
  if (!order || order.refunds.some((r) => r.refundNo === cancelRefundNo(orderNo))) return 'done';
  if (order.kind !== 'registration' || order.state !== 'completed') return 'done';
  const res = await askHis(deps, orderNo);
  if (res.outcome === 'unclear') return { retryInMs: Math.min(10 * 60_000, 2000 * 2 ** Math.min(attempt, 8)), reason: res.detail };
  if (res.outcome === 'rejected') {
    await deps.orders.update(orderNo, (o) => onCancelRefusedLater(o, `${res.code} ${res.reason}`, deps.now()));
    return 'done';
  }
  await refundCancelled(deps, order, res);
  return 'done';
}
