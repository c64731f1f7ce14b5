/**
 * Kiosk orders: created through the same order-building core as the mini-programs
 * (flows/order-draft.ts), owned by `kiosk:${deviceId}` and visible only within the visit that made
 * them. Cancelling is flows/cancelling.ts's (6401, then the same decision).
 */
import type { Order } from '../domain/order';
import { cancelUnpaid, type CancellingDeps } from '../flows/cancelling';
import type { Deps } from '../flows/deps';
import { withLock } from '../flows/lock';
import { assertIdempotencyKey, buildOrder, type BuildOrderDeps, type CreateOrderBody } from '../flows/order-draft';
import { DomainError } from '../domain/errors';
import { kioskOwnerKey, type KioskVisitRecord, type KioskVisitStore as KioskVisits } from './port';

/** An order of this visit at this device; anything else reads like a missing order. */
export async function visitOrder(deps: Pick<Deps, 'orders'>, visits: KioskVisits, visit: KioskVisitRecord, orderNo: string): Promise<Order> {
  const order = await deps.orders.get(orderNo);
  if (!order || order.ownerKey !== kioskOwnerKey(visit.deviceId) || !(await visits.hasOrder(visit, orderNo))) throw new DomainError('ORDER_NOT_FOUND');
  return order;
}

export async function createKioskOrder(deps: BuildOrderDeps, visits: KioskVisits, visit: KioskVisitRecord, body: CreateOrderBody, idempotencyKey: string): Promise<Order> {
  assertIdempotencyKey(idempotencyKey);
  if (!visit.insured || !visit.psnNo) throw new DomainError('NOT_INSURED', visit.notice);
  if (!visit.chosen || !visit.hisPatientId) throw new DomainError('IDENTITY_REQUIRED', '请先选择医保待遇');
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

/** POST …/cancel: the same cancellation as in the mini-program (6401, then HIS releases the lock). */
export async function cancelKioskOrder(deps: CancellingDeps, visits: KioskVisits, visit: KioskVisitRecord, orderNo: string): Promise<Order> {
  await visitOrder(deps, visits, visit, orderNo);
  return withLock(deps, `pay:${orderNo}`, 30_000, async () => {
    const r = await cancelUnpaid(deps, orderNo, '患者在自助机取消', 'patient');
    if (r.cancelled) return r.order;
    if (r.why === 'unclear') throw new DomainError('PEER_TIMEOUT', '医保中心暂未答复，请稍后查看订单');
    throw new DomainError('ORDER_STATE_CONFLICT', '订单已支付或正在支付，不能取消。请稍后查看订单结果。');
  });
}
