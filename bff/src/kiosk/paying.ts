/**
 * The pay step at a kiosk: 6201 and 6202 with the visit's ecToken (instead of payAuthNo), then
 * the centre's own cashier (SPC 收银台, notes §13 step 8) for the self-pay part: the 6201/6202
 * answer carries a cashierUrl the kiosk shows as a QR code. The patient pays on their phone; the
 * centre settles and sends 6302, which the existing notification handling applies — for a kiosk
 * order the centre's settlement covers the cash leg too (domain/settlement.ts). Same lock, same
 * pure decisions and the same resumption on a repeated tap as flows/paying.ts.
 */
import crypto from 'node:crypto';
import type { Order, PaymentLeg } from '../domain/order';
import { onFeeUploaded, onInsuranceOrdered, onInsuranceOrderRefused, onPaymentCreated } from '../domain/payment';
import { onOutcomeUnknown } from '../domain/settlement';
import { tracked } from '../flows/calls';
import { settlementPolicy, type Deps } from '../flows/deps';
import { withLock } from '../flows/lock';
import { peerFailure } from '../flows/paying';
import { AppError } from '../http/app-error';
import { isUnknownOutcome, NationalRejectedError } from '../national/client';
import type { KioskConfig } from './config';
import { visitOrder } from './orders';
import type { KioskVisitRecord, KioskVisits } from './visits';

export interface KioskPayParams {
  channel: 'kiosk';
  qrCode: string;
  expiresAt: string;
}

const RESCAN = '医保电子凭证授权已过期，请重新扫描医保电子凭证后再支付。';

function cashierKey(deps: Deps, orderNo: string): string {
  return deps.keys.vault('kiosk-cashier', orderNo);
}

async function rememberCashier(deps: Deps, orderNo: string, url: string | undefined): Promise<void> {
  if (url) await deps.redis.set(cashierKey(deps, orderNo), url, 'PX', deps.config.unpaidOrderTtlMs + 3600_000);
}

/** [I] centres that answer no cashierUrl: the configured template, if any. */
function fromTemplate(kc: KioskConfig, order: Order): string | undefined {
  if (!kc.cashierUrlTemplate || !order.national) return undefined;
  return kc.cashierUrlTemplate.replace('{payOrdId}', encodeURIComponent(order.national.payOrdId)).replace('{orderNo}', encodeURIComponent(order.orderNo));
}

/** A refused ecToken (the sandbox's 2001; the real table is not public [I]) means: scan the voucher again. */
async function refusedAuthorization(visits: KioskVisits, visit: KioskVisitRecord, err: unknown): Promise<AppError | null> {
  if (!(err instanceof NationalRejectedError) || err.code !== '2001') return null;
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
  let cashierUrl = (await deps.redis.get(cashierKey(deps, orderNo))) ?? undefined;

  if (order.payment && order.state === 'awaiting_payment' && cashierUrl && Date.parse(order.payment.expiresAt) > Date.now()) {
    return { order, payment: { channel: 'kiosk', qrCode: cashierUrl, expiresAt: order.payment.expiresAt } };
  }
  if (!['created', 'fee_uploaded', 'awaiting_payment'].includes(order.state)) throw new AppError('ORDER_STATE_CONFLICT');
  const ecToken = visits.liveEcToken(visit);
  if (!ecToken && order.state !== 'awaiting_payment') throw new AppError('AUTHORIZATION_REQUIRED', RESCAN);
  const identity = deps.pii.open(order.piiSealed);

  if (order.state === 'created') {
    const chrgBchno = `${orderNo}B1`;
    try {
      const r = await tracked(deps, orderNo, 'national', '6201', () =>
        deps.national.uploadFees({
          orderNo,
          chrgBchno,
          psnNo: order.psnNo,
          insutype: order.insutype,
          regionCode: order.regionCode,
          identity,
          ecToken,
          location: kc.location,
          preSettlement: order.preSettlement,
          totalFen: order.amounts.totalFen,
        }),
      );
      await deps.orders.setRef('payOrdId', r.payOrdId, orderNo);
      await rememberCashier(deps, orderNo, r.cashierUrl);
      cashierUrl = r.cashierUrl ?? cashierUrl;
      const uploaded = { payOrdId: r.payOrdId, payToken: r.payToken, chrgBchno, ...(r.mdtrtId ? { mdtrtId: r.mdtrtId } : {}) };
      order = (await deps.orders.update(orderNo, (o) => onFeeUploaded(o, uploaded, now()))).order;
    } catch (err) {
      throw (await refusedAuthorization(visits, visit, err)) ?? peerFailure(err);
    }
  }

  if (order.state === 'fee_uploaded') {
    const n = order.national!;
    const orgBizSer = `${orderNo}${Date.now().toString(36).toUpperCase()}${crypto.randomBytes(2).toString('hex').toUpperCase()}`;
    try {
      const r = await tracked(deps, orderNo, 'national', '6202', () =>
        deps.national.placeOrder({ ecToken, payOrdId: n.payOrdId, payToken: n.payToken, orgBizSer, chrgBchno: n.chrgBchno, mdtrtId: n.mdtrtId, location: kc.location }),
      );
      await rememberCashier(deps, orderNo, r.cashierUrl);
      cashierUrl = r.cashierUrl ?? cashierUrl;
      order = (await deps.orders.update(orderNo, (o) => onInsuranceOrdered(o, { ordStas: r.ordStas, split: r.split, orgBizSer }, now()))).order;
    } catch (err) {
      if (isUnknownOutcome(err)) {
        await deps.orders.update(orderNo, (o) => onOutcomeUnknown(o, 'no answer to the insurance order (6202)', settlementPolicy(deps.config), now()));
        throw new AppError('PEER_TIMEOUT');
      }
      if (err instanceof NationalRejectedError) {
        await deps.orders.update(orderNo, (o) => onInsuranceOrderRefused(o, `${err.code} ${err.detail}`, now()));
        throw (await refusedAuthorization(visits, visit, err)) ?? new AppError('PEER_REJECTED', `医保中心未受理：${err.detail}`);
      }
      throw peerFailure(err);
    }
    if (order.state === 'manual_review') throw new AppError('AMOUNT_MISMATCH');
  }

  if (order.state !== 'awaiting_payment' || !order.national) throw new AppError('ORDER_STATE_CONFLICT');
  cashierUrl ??= fromTemplate(kc, order);
  if (!cashierUrl) throw new AppError('PEER_REJECTED', '医保中心未提供扫码支付，本笔费用请到人工收费窗口缴纳。');
  const expiresAt = new Date(Date.parse(order.createdAt) + deps.config.unpaidOrderTtlMs).toISOString();
  if (Date.parse(expiresAt) <= Date.now()) throw new AppError('ORDER_STATE_CONFLICT', '订单已超过支付时间，请取消后重新下单。');
  // [I] the cashier is identified by the centre's payOrdId: it is the kiosk leg's reference.
  const leg: PaymentLeg = { channel: 'kiosk', channelRef: order.national.payOrdId, outTradeNo: orderNo, createdAt: deps.now().toISOString(), expiresAt };
  const res = await deps.orders.update(orderNo, (o) => onPaymentCreated(o, leg, kc.pollAfterMs, now()));
  return { order: res.order, payment: { channel: 'kiosk', qrCode: cashierUrl, expiresAt } };
}
