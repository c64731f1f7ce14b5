/**
 * The pay step at a kiosk: the mini-program's pay step (flows/paying.ts) with another
 * authorization and another channel. 6201 and 6202 carry the visit's ecToken (from the e-voucher
 * QR, kiosk/e-voucher.ts) instead of payAuthNo; the self-pay part is paid in the centre's cashier
 * (channels/cashier, unified order UNION_CHS), whose page the kiosk shows as a QR code. The
 * cashier's callback and the centre's 6302 complete the order exactly as WeChat's notification
 * and 6302 do. Same lock, same pure decisions, same resumption on a repeated tap.
 */
import type { PayParams } from '@mip/shared';
import type { Order } from '../domain/order';
import { placeInsuranceOrder, type InsuranceOrderDeps } from '../flows/insurance-order';
import { withLock, type LockDeps } from '../flows/lock';
import { existingPayParams, openChannelPayment, type ChannelPaymentDeps } from '../flows/channel-payment';
import { DomainError } from '../domain/errors';
import type { KioskConfig } from './config';
import { visitOrder } from './orders';
import type { KioskVisitRecord, KioskVisitStore as KioskVisits } from './port';

const RESCAN = '医保电子凭证授权已过期，请重新扫描医保电子凭证后再支付。';

/** An ecToken the centre refuses as spent or expired (national/centre.ts names the codes) means: scan the voucher again. */
async function refusedAuthorization(visits: KioskVisits, visit: KioskVisitRecord): Promise<DomainError> {
  await visits.dropEcToken(visit);
  return new DomainError('AUTHORIZATION_FAILED', RESCAN);
}

export type KioskPayDeps = ChannelPaymentDeps & InsuranceOrderDeps & LockDeps;

type KioskPayParams = Extract<PayParams, { channel: 'kiosk' }>;

/** The cashier's pay parameters: the page the kiosk shows as a QR code. */
function kioskParams(p: PayParams | null): KioskPayParams {
  if (!p || p.channel !== 'kiosk') throw new DomainError('ORDER_STATE_CONFLICT');
  return p;
}

export async function kioskPay(deps: KioskPayDeps, kc: KioskConfig, visits: KioskVisits, visit: KioskVisitRecord, orderNo: string) {
  await visitOrder(deps, visits, visit, orderNo);
  return withLock(deps, `pay:${orderNo}`, 30_000, () => payLocked(deps, kc, visits, visit, orderNo));
}

async function payLocked(deps: KioskPayDeps, kc: KioskConfig, visits: KioskVisits, visit: KioskVisitRecord, orderNo: string): Promise<{ order: Order; payment: KioskPayParams }> {
  let order = await visitOrder(deps, visits, visit, orderNo);
  if (order.payment && order.state === 'awaiting_payment' && Date.parse(order.payment.expiresAt) > deps.now().getTime()) {
    const params = await existingPayParams(deps, orderNo);
    if (params) return { order, payment: kioskParams(params) };
  }
  if (!['created', 'fee_uploaded', 'awaiting_payment'].includes(order.state)) throw new DomainError('ORDER_STATE_CONFLICT');
  if (order.state !== 'awaiting_payment') {
    const ecToken = visits.liveEcToken(visit, deps.now());
    if (!ecToken) throw new DomainError('AUTHORIZATION_REQUIRED', RESCAN);
    order = await placeInsuranceOrder(deps, order, { ecToken }, kc.location, () => refusedAuthorization(visits, visit));
  }
  if (order.state !== 'awaiting_payment' || !order.national) throw new DomainError('ORDER_STATE_CONFLICT');
  if (Date.parse(order.createdAt) + deps.config.unpaidOrderTtlMs <= deps.now().getTime()) throw new DomainError('ORDER_STATE_CONFLICT', '订单已超过支付时间，请取消后重新下单。');
  const r = await openChannelPayment(deps, order, 'cashier', {}, kc.pollAfterMs);
  return { order: r.order, payment: kioskParams(r.payment) };
}
