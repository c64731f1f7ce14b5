/**
 * The pay step at a kiosk: 6201 and 6202 with the visit's ecToken (instead of payAuthNo), then
 * the centre's own cashier (SPC 收银台, notes §13 step 8) for the self-pay part: the 6201/6202
 * answer carries a cashierUrl the kiosk shows as a QR code. The patient pays on their phone; the
 * centre settles and sends 6302, which the existing notification handling applies — for a kiosk
 * order the centre's settlement covers the cash leg too (domain/settlement.ts). Same lock, same
 * pure decisions and the same resumption on a repeated tap as flows/paying.ts.
 */
import type { Order, PaymentLeg } from '../domain/order';
import { onPaymentCreated } from '../domain/payment';
import type { Deps } from '../flows/deps';
import { placeInsuranceOrder } from '../flows/insurance-order';
import { withLock } from '../flows/lock';
import { AppError } from '../http/app-error';
import { NationalRejectedError } from '../national/client';
import type { KioskConfig } from './config';
import { visitOrder } from './orders';
import type { KioskVisitRecord, KioskVisits } from './visits';

export interface KioskPayParams {
  channel: 'kiosk';
  qrCode: string;
  expiresAt: string;
}

const RESCAN = '医保电子凭证授权已过期，请重新扫描医保电子凭证后再支付。';

/** [I] centres that answer no cashierUrl: the configured template, if any. */
function fromTemplate(kc: KioskConfig, order: Order): string | undefined {
  if (!kc.cashierUrlTemplate || !order.national) return undefined;
  return kc.cashierUrlTemplate.replace('{payOrdId}', encodeURIComponent(order.national.payOrdId)).replace('{orderNo}', encodeURIComponent(order.orderNo));
}

/** A refused ecToken (the sandbox's 2001; the real table is not public [I]) means: scan the voucher again. */
async function refusedAuthorization(visits: KioskVisits, visit: KioskVisitRecord, err: NationalRejectedError): Promise<AppError | null> {
  if (err.code !== '2001') return null;
  await visits.dropEcToken(visit);
  return new AppError('AUTHORIZATION_FAILED', RESCAN);
}

export async function kioskPay(deps: Deps, kc: KioskConfig, visits: KioskVisits, visit: KioskVisitRecord, orderNo: string) {
  await visitOrder(deps, visits, visit, orderNo);
  return withLock(deps, `pay:${orderNo}`, 30_000, () => payLocked(deps, kc, visits, visit, orderNo));
}

async function payLocked(deps: Deps, kc: KioskConfig, visits: KioskVisits, visit: KioskVisitRecord, orderNo: string): Promise<{ order: Order; payment: KioskPayParams }> {
  let order = await visitOrder(deps, visits, visit, orderNo);
  const now = () => deps.now();
  const known = order.national?.cashierUrl;
  if (order.payment && order.state === 'awaiting_payment' && known && Date.parse(order.payment.expiresAt) > now().getTime()) {
    return { order, payment: { channel: 'kiosk', qrCode: known, expiresAt: order.payment.expiresAt } };
  }
  if (!['created', 'fee_uploaded', 'awaiting_payment'].includes(order.state)) throw new AppError('ORDER_STATE_CONFLICT');
  if (order.state !== 'awaiting_payment') {
    const ecToken = visits.liveEcToken(visit, now());
    if (!ecToken) throw new AppError('AUTHORIZATION_REQUIRED', RESCAN);
    order = await placeInsuranceOrder(deps, order, { ecToken }, kc.location, (err) => refusedAuthorization(visits, visit, err));
  }

  if (order.state !== 'awaiting_payment' || !order.national) throw new AppError('ORDER_STATE_CONFLICT');
  const cashierUrl = order.national.cashierUrl ?? fromTemplate(kc, order);
  if (!cashierUrl) throw new AppError('PEER_REJECTED', '医保中心未提供扫码支付，本笔费用请到人工收费窗口缴纳。');
  const expiresAt = new Date(Date.parse(order.createdAt) + deps.config.unpaidOrderTtlMs).toISOString();
  if (Date.parse(expiresAt) <= now().getTime()) throw new AppError('ORDER_STATE_CONFLICT', '订单已超过支付时间，请取消后重新下单。');
  // [I] the cashier is identified by the centre's payOrdId: it is the kiosk leg's reference.
  const leg: PaymentLeg = { channel: 'kiosk', channelRef: order.national.payOrdId, outTradeNo: orderNo, createdAt: deps.now().toISOString(), expiresAt };
  const res = await deps.orders.update(orderNo, (o) => onPaymentCreated(o, leg, kc.pollAfterMs, now()));
  return { order: res.order, payment: { channel: 'kiosk', qrCode: cashierUrl, expiresAt } };
}
