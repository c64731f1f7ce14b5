/**
 * C13/C14: HIS pre-settlement and the creation of the insurance order (the shared core is
 * order-draft.ts; 自费 orders go to self-pay.ts).
 */
import type { Order } from '../domain/order';
import { DomainError } from '../domain/errors';
import type { PatientSession } from '../sessions/port';
import type { Deps } from './deps';
import { assertIdempotencyKey, buildOrder, type BuildOrderDeps, type CreateOrderBody, type OrderOwner } from './order-draft';
import { createSelfPayOrder, type SelfPayOrderDeps } from './self-pay';

export type OrderingDeps = BuildOrderDeps & SelfPayOrderDeps & Pick<Deps, 'profiles'>;

export async function createOrder(deps: OrderingDeps, s: PatientSession, body: CreateOrderBody, idempotencyKey: string): Promise<Order> {
  assertIdempotencyKey(idempotencyKey);
  if (body.payMode === 'self') return createSelfPayOrder(deps, s, body, idempotencyKey);
  const profile = await deps.profiles.get(s.ownerKey);
  if (!profile || !profile.insured || !profile.chosen || !profile.hisPatientId || !profile.psnNo) throw new DomainError('IDENTITY_REQUIRED');
  const owner: OrderOwner = {
    ownerKey: s.ownerKey,
    idempotencyScope: s.ownerKey,
    channel: s.channel,
    openId: s.openId,
    by: 'patient',
    identitySealed: profile.identitySealed,
    hisPatientId: profile.hisPatientId,
    regionCode: profile.regionCode,
    psnNo: profile.psnNo,
    insutype: profile.chosen.insutype,
  };
  return buildOrder(deps, owner, body, idempotencyKey, (order, now) => deps.orders.addToOwner(s.ownerKey, order.orderNo, now.getTime()));
}
