/**
 * C12: the pay step. 6201 fee upload → 6202 insurance order (insurance-order.ts) →
 * the channel's mixed order (channel-payment.ts) → the parameters the client's pay call needs. One
 * pay step per order at a time (a short Redis lock); every stage is recorded before the next starts,
 * so a repeated tap resumes where the last one stopped and never orders twice.
 */
import { isSelfPay } from '../domain/self-pay';
import { paySelf } from './self-pay';
import type { Order } from '../domain/order';
import { DomainError } from '../domain/errors';
import type { HeldAuthorization, PatientSession } from '../sessions/port';
import type { Deps } from './deps';
import { placeInsuranceOrder, type InsuranceOrderDeps } from './insurance-order';
import { ownedOrder } from './access';
import { withLock, type LockDeps } from './lock';
import { authorizationMisfit } from './family';
import { existingPayParams, notifyWindowMs, openChannelPayment, type ChannelPaymentDeps, type PayResult } from './channel-payment';

export type PayingDeps = ChannelPaymentDeps & InsuranceOrderDeps & LockDeps & Pick<Deps, 'vault'>;

export async function pay(deps: PayingDeps, s: PatientSession, orderNo: string, body: { location?: string }): Promise<PayResult> {
  // the order is read once, under the lock (someone else's order number holds the lock only for that read)
  return withLock(deps, `pay:${orderNo}`, 30_000, () => payLocked(deps, s, orderNo, body));
}

async function payLocked(deps: PayingDeps, s: PatientSession, orderNo: string, body: { location?: string }): Promise<PayResult> {
  let order = await ownedOrder(deps, s, orderNo);
  if (isSelfPay(order)) return paySelf(deps, s, order);

  if (order.payment && order.state === 'awaiting_payment') {
    const params = Date.parse(order.payment.expiresAt) > deps.now().getTime() ? await existingPayParams(deps, orderNo) : null;
    if (params) return { order, payment: params };
  }
  if (!['created', 'fee_uploaded', 'awaiting_payment'].includes(order.state)) throw new DomainError('ORDER_STATE_CONFLICT');

  const auth = await takeAuthorization(deps, s, order);
  // the patient's own location, else the hospital's from configuration (never a coordinate in code)
  const location = body.location ?? auth.location ?? deps.config.channels.wechat.hospitalGeoLocation;
  if (!location) throw new DomainError('BAD_REQUEST', '无法获取定位，请允许定位后再支付');
  order = await placeInsuranceOrder(deps, order, { payAuthNo: auth.payAuthNo }, location, async () => {
    await deps.vault.dropOrder(s.ownerKey, orderNo); // the authorization is spent or expired
    return new DomainError('AUTHORIZATION_FAILED');
  });

  if (order.state !== 'awaiting_payment') throw new DomainError('ORDER_STATE_CONFLICT');
  return openChannelPayment(deps, order, s.channel, { openId: s.openId, payAuthNo: auth.payAuthNo, location, auth }, notifyWindowMs(deps, s.channel));
}

/**
 * The order's authorization (one Redis step): its own from an earlier attempt, else the patient's
 * held one, moved to the order. A held one that does not fit this order (亲情付 or not) stays held,
 * unspent, and the patient is told why.
 */
async function takeAuthorization(deps: Pick<Deps, 'vault'>, s: PatientSession, order: Order): Promise<HeldAuthorization> {
  const taken = await deps.vault.takeForOrder(s.ownerKey, order.orderNo, Boolean(order.familyMember));
  if (taken.kind === 'misfit') throw authorizationMisfit(order, taken.auth) ?? new DomainError('AUTHORIZATION_REQUIRED');
  if (taken.kind === 'none') throw new DomainError(order.familyMember ? 'FAMILY_PAY_REQUIRED' : 'AUTHORIZATION_REQUIRED');
  return taken.auth;
}
