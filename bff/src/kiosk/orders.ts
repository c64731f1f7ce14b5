/**
 * Kiosk orders: created through the same order-building core as the mini-programs
 * (flows/ordering.ts), owned by `kiosk:${deviceId}` and visible only within the visit that made
 * them. Cancelling follows flows/cancelling.ts step for step (6401, then the same decision).
 */
import type { Order } from '../domain/order';
import { onCancelled } from '../domain/payment';
import { tracked } from '../flows/calls';
import { querySettlement } from '../flows/confirming';
import type { Deps } from '../flows/deps';
import { withLock } from '../flows/lock';
import { assertIdempotencyKey, buildOrder, type CreateOrderBody } from '../flows/ordering';
import { AppError } from '../http/app-error';
import { isUnknownOutcome, NationalRejectedError } from '../national/client';
import { PeerError } from '../peers/http-client';
import { kioskOwnerKey, type KioskVisitRecord, type KioskVisits } from './visits';

const CANCELLABLE = ['created', 'fee_uploaded', 'awaiting_payment', 'awaiting_confirmation'];

/** An order of this visit at this device; anything else reads like a missing order. */
export async function visitOrder(deps: Pick<Deps, 'orders'>, visits: KioskVisits, visit: KioskVisitRecord, orderNo: string): Promise<Order> {
  const order = await deps.orders.get(orderNo);
  if (!order || order.ownerKey !== kioskOwnerKey(visit.deviceId) || !(await visits.hasOrder(visit, orderNo))) throw new AppError('ORDER_NOT_FOUND');
  return order;
}

export async function createKioskOrder(deps: Deps, visits: KioskVisits, visit: KioskVisitRecord, body: CreateOrderBody, idempotencyKey: string): Promise<Order> {
  assertIdempotencyKey(idempotencyKey);
  if (!visit.insured || !visit.psnNo) throw new AppError('NOT_INSURED', visit.notice);
  if (!visit.chosen || !visit.hisPatientId) throw new AppError('IDENTITY_REQUIRED', '请先选择医保待遇');
  const order = await buildOrder(
    deps,
    {
      ownerKey: kioskOwnerKey(visit.deviceId),
      // a key the kiosk reuses in the next patient's visit must not return this patient's order
      idempotencyScope: `${kioskOwnerKey(visit.deviceId)}:${visit.visitId}`,
      channel: 'kiosk',
      by: 'kiosk',
      identitySealed: visit.identitySealed,
      hisPatientId: visit.hisPatientId,
      regionCode: visit.regionCode,
      psnNo: visit.psnNo,
      insutype: visit.chosen.insutype,
    },
    body,
    idempotencyKey,
    async () => undefined,
  );
  // also for a repeated key: the order is this visit's either way (the scope includes the visit)
  await visits.addOrder(visit, order.orderNo);
  return order;
}

/** POST …/cancel: 6401 when fees were uploaded; a refusal means "maybe paid" and is asked with 6301. */
export async function cancelKioskOrder(deps: Deps, visits: KioskVisits, visit: KioskVisitRecord, orderNo: string): Promise<Order> {
  await visitOrder(deps, visits, visit, orderNo);
  return withLock(deps, `pay:${orderNo}`, 30_000, async () => {
    const order = await visitOrder(deps, visits, visit, orderNo);
    const paidOrMoving = () => new AppError('ORDER_STATE_CONFLICT', '订单已支付或正在支付，不能取消。请稍后查看订单结果。');
    if (!CANCELLABLE.includes(order.state) || order.evidence.cashPaid || order.evidence.insuranceSettled) throw paidOrMoving();
    const n = order.national;
    if (n) {
      const identity = deps.pii.open(order.piiSealed);
      try {
        await tracked(deps, orderNo, 'national', '6401', () => deps.national.revokeUpload({ payOrdId: n.payOrdId, payToken: n.payToken, identity }));
      } catch (err) {
        if (err instanceof NationalRejectedError) {
          await querySettlement(deps, order).catch(() => order);
          throw paidOrMoving();
        }
        if (isUnknownOutcome(err) || err instanceof PeerError) throw new AppError('PEER_TIMEOUT', '医保中心暂未答复，请稍后查看订单');
        throw err;
      }
    }
    const res = await deps.orders.update(orderNo, (o) => onCancelled(o, '患者在自助机取消', 'patient', deps.now()));
    if (res.order.state !== 'cancelled') throw paidOrMoving();
    return res.order;
  });
}
