/**
 * 退号 (issue 12 item 7): HIS cancels the paid registration first (HisPort.cancelRegistration),
 * then the money goes back through the one money-back process as a refund the patient asked
 * for (domain/refund.ts, job refund.run: 6203 for the insurance part, the channel for the cash,
 * 医保退款通知 after). The refund number is fixed per order (domain/registration-cancel.ts), and
 * HIS de-duplicates on it: a double tap makes one cancellation and one refund.
 */
import { cancelRefundNo, checkCancel } from '../domain/registration-cancel';
import { refundableLeft, type Order } from '../domain/order';
import { HisUnclearError } from '../his/port';
import { AppError } from '../http/app-error';
import { PeerError } from '../peers/http-client';
import type { PatientSession } from '../sessions/patient-sessions';
import { ownedOrder } from './access';
import { tracked } from './calls';
import type { Deps } from './deps';
import { withLock } from './lock';
import { createRefund } from './refunding';

const REASON = '患者退号';

export async function cancelRegistration(deps: Deps, s: PatientSession, orderNo: string): Promise<Order> {
  await ownedOrder(deps, s, orderNo);
  return withLock(deps, `cancel-reg:${orderNo}`, 30_000, async () => {
    const order = await ownedOrder(deps, s, orderNo);
    const check = checkCancel(order, deps.now(), deps.config.registrationCancelCutoffMinutes);
    if (!check.ok) throw new AppError(check.why === 'too_late' ? 'CANCEL_TOO_LATE' : 'CANCEL_NOT_ALLOWED');
    if (check.repeat) return order;
    const refundNo = cancelRefundNo(orderNo);
    let res;
    try {
      res = await tracked(deps, orderNo, 'his', 'cancelRegistration', () => deps.his.cancelRegistration({ orderNo, refundNo, reason: REASON }, { idempotencyKey: refundNo }));
    } catch (err) {
      // HIS may have cancelled: the same refund number asks again, and HIS answers the same cancellation
      if (err instanceof HisUnclearError || err instanceof PeerError) throw new AppError('CANCEL_UNCONFIRMED', undefined, undefined, err);
      throw err;
    }
    if (res.outcome === 'rejected') {
      deps.log.info({ orderNo, code: res.code }, 'HIS refused the cancellation of a registration');
      throw new AppError(res.code === 'TOO_LATE' ? 'CANCEL_TOO_LATE' : 'CANCEL_NOT_ALLOWED');
    }
    // HIS booked the refund of what it holds; what goes back is what the order has left, part by part
    const left = refundableLeft(order);
    const a = res.amounts;
    if (a.fundFen !== left.fundFen || a.acctFen !== left.acctFen || a.cashFen !== left.cashFen) {
      deps.log.error({ orderNo, his: a, left }, 'HIS cancelled a registration with other amounts than the order paid');
    }
    return createRefund(deps, orderNo, { refundNo, amounts: { fundFen: left.fundFen, acctFen: left.acctFen, cashFen: left.cashFen }, reason: REASON, requestedBy: 'patient' });
  });
}
