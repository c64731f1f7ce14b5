/**
 * C12: the pay step. 6201 fee upload → 6202 insurance order (insurance-order.ts) →
 * the channel's mixed order → the parameters the client's pay call needs. One pay step per order
 * at a time (a short Redis lock); every stage is recorded before the next starts, so a repeated
 * tap resumes where the last one stopped and never orders twice.
 */
import type { PayParams } from '@mip/shared';
import { onPaymentCreated } from '../domain/payment';
import { isSelfPay, onSelfPayPaymentCreated } from '../domain/self-pay';
import { paySelf } from './self-pay';
import type { Order } from '../domain/order';
import { ChannelRejectedError, type ChannelName, type CreatePaymentInput } from '../channels/port';
import { kioskConfigOf } from '../kiosk/config';
import type { Identity } from '../security/pii';
import { DomainError } from '../domain/errors';
import type { HeldAuthorization, PatientSession } from '../sessions/port';
import type { Config } from '../config';
import type { Deps } from './deps';
import { tracked } from './calls';
import { placeInsuranceOrder, type InsuranceOrderDeps } from './insurance-order';
import { peerFailure } from './peer-failure';
import { ownedOrder } from './access';
import { withLock, type LockDeps } from './lock';
import { authorizationMisfit } from './family';

export interface PayResult {
  order: Order;
  payment: PayParams | null;
}

/** The channel half of a pay step: the channel's order, its references, the pay parameters kept. */
export type ChannelPaymentDeps = Pick<Deps, 'channels' | 'orders' | 'pii' | 'now' | 'log' | 'payParams'> & {
  config: Pick<Config, 'channels' | 'publicBaseUrl' | 'unpaidOrderTtlMs' | 'env' | 'kiosk'>;
};
export type PayingDeps = ChannelPaymentDeps & InsuranceOrderDeps & LockDeps & Pick<Deps, 'vault'>;

export async function pay(deps: PayingDeps, s: PatientSession, orderNo: string, body: { location?: string }): Promise<PayResult> {
  await ownedOrder(deps, s, orderNo);
  return withLock(deps, `pay:${orderNo}`, 30_000, () => payLocked(deps, s, orderNo, body));
}

async function payLocked(deps: PayingDeps, s: PatientSession, orderNo: string, body: { location?: string }): Promise<PayResult> {
  let order = await ownedOrder(deps, s, orderNo);
  if (isSelfPay(order)) return paySelf(deps, s, order);

  if (order.payment && order.state === 'awaiting_payment') {
    const params = Date.parse(order.payment.expiresAt) > Date.now() ? await existingPayParams(deps, orderNo) : null;
    if (params) return { order, payment: params };
  }
  if (!['created', 'fee_uploaded', 'awaiting_payment'].includes(order.state)) throw new DomainError('ORDER_STATE_CONFLICT');

  await assertAuthorizationFits(deps, s, order);
  const auth = await deps.vault.bindToOrder(s.ownerKey, orderNo);
  if (!auth) throw new DomainError(order.familyMember ? 'FAMILY_PAY_REQUIRED' : 'AUTHORIZATION_REQUIRED');
  // the patient's own location, else the hospital's from configuration (never a coordinate in code)
  const location = body.location ?? auth.location ?? deps.config.channels.wechat.hospitalGeoLocation;
  if (!location) throw new DomainError('BAD_REQUEST', '无法获取定位，请允许定位后再支付');
  order = await placeInsuranceOrder(deps, order, { payAuthNo: auth.payAuthNo }, location, async () => {
    await deps.vault.dropOrder(orderNo); // the authorization is spent or expired
    return new DomainError('AUTHORIZATION_FAILED');
  });

  if (order.state !== 'awaiting_payment') throw new DomainError('ORDER_STATE_CONFLICT');
  const pollAfter = deps.config.national.notifyWindowMs ?? (s.channel === 'wechat' ? 30_000 : 15_000); // WeChat stops notifying after ~30 s
  return openChannelPayment(deps, order, s.channel, { openId: s.openId, payAuthNo: auth.payAuthNo, location, auth }, pollAfter);
}

/** A held authorization that does not fit this order (亲情付 or not) stays held, unspent. */
async function assertAuthorizationFits(deps: Pick<Deps, 'vault'>, s: PatientSession, order: Order): Promise<void> {
  if (await deps.vault.forOrder(order.orderNo)) return; // already bound to this order
  const held = await deps.vault.peek(s.ownerKey);
  const misfit = held ? authorizationMisfit(order, held) : undefined;
  if (misfit) throw misfit;
}

/**
 * The channel half of every pay step (the mini-programs' WeChat/Alipay, the kiosk's centre
 * cashier): the channel's order for the split 6202 fixed, recorded on the order, its pay
 * parameters kept for a repeated tap. Polls of the centre and the channel start as a backstop.
 */
export async function openChannelPayment(
  deps: ChannelPaymentDeps,
  order: Order,
  channelName: ChannelName,
  who: { openId?: string; payAuthNo?: string; location?: string; auth?: HeldAuthorization },
  pollAfterMs: number,
): Promise<PayResult> {
  const orderNo = order.orderNo;
  const channel = deps.channels[channelName];
  const expiresAt = new Date(Math.min(Date.parse(order.createdAt) + deps.config.unpaidOrderTtlMs, Date.now() + deps.config.unpaidOrderTtlMs)).toISOString();
  let created;
  try {
    created = await tracked(deps, orderNo, channelName, 'createPayment', () =>
      channel.createPayment({
        orderNo,
        kind: order.kind,
        title: order.title,
        ...(who.openId ? { openId: who.openId } : {}),
        ...(who.payAuthNo ? { payAuthNo: who.payAuthNo } : {}),
        ...(order.national ? { payOrdId: order.national.payOrdId } : { cashOnly: true }),
        amounts: order.amounts,
        ...payerAndRelative(deps, who.auth, deps.pii.open(order.piiSealed)),
        ...(who.location ? { location: who.location } : {}),
        createdAt: centreOrderTime(order),
        notifyUrl: callbackBase(deps, channelName) + notifyPathOf(deps, channelName),
        expiresAt,
        ...(order.national ? { chrgBchno: order.national.chrgBchno } : {}),
        ...(who.auth?.medicalCardId ? { medicalCardId: who.auth.medicalCardId } : {}),
      }),
    );
  } catch (err) {
    // The insurance order stands; the channel order can be created again with the same
    // out_trade_no on the next tap (the adapter finds an existing one instead of doubling it).
    if (err instanceof ChannelRejectedError) throw new DomainError('PEER_REJECTED', '支付暂时没有受理，这次没有扣款。请稍后重试');
    throw peerFailure(err);
  }
  await Promise.all([
    deps.orders.setRef(`${channelName}-out`, created.outTradeNo, orderNo),
    deps.orders.setRef(`${channelName}-ref`, created.channelRef, orderNo),
  ]);
  const leg = { channel: channelName, channelRef: created.channelRef, outTradeNo: created.outTradeNo, createdAt: deps.now().toISOString(), expiresAt };
  const created_ = isSelfPay(order) ? onSelfPayPaymentCreated : onPaymentCreated;
  const res = await deps.orders.update(orderNo, (o) => created_(o, leg, pollAfterMs, deps.now()));
  await deps.payParams.put(orderNo, created.payParams, Math.max(1000, Date.parse(expiresAt) - Date.now()));
  return { order: res.order, payment: created.payParams };
}

/**
 * 亲情付 (wechatpay-skills 开发参数与业务规则 §五, 接入质量检查 #17/#18): the voucher holder pays, the
 * patient is the relative. Otherwise the patient pays for themself.
 */
function payerAndRelative(deps: Pick<Deps, 'pii'>, auth: HeldAuthorization | undefined, patient: Identity): Pick<CreatePaymentInput, 'payer' | 'relative'> {
  if (!auth?.payer?.familyPay || !auth.payer.sealed) return { payer: patient };
  return { payer: deps.pii.open(auth.payer.sealed), relative: patient };
}

/** med_ins_order_create_time is the centre order's (6202) time (排障手册 268510610), not ours */
function centreOrderTime(order: Order): string {
  const placed = [...order.timeline].reverse().find((e) => e.to === 'awaiting_payment' && e.by === 'centre');
  return placed?.at ?? order.createdAt;
}

/** WeChat Pay calls back a public https origin (接入质量检查 #13; checked at start-up in production) */
function callbackBase(deps: ChannelPaymentDeps, channel: ChannelName): string {
  const base = channel === 'wechat' ? (deps.config.channels.wechat.callbackBaseUrl ?? deps.config.publicBaseUrl) : deps.config.publicBaseUrl;
  return base.trim().replace(/\/+$/, '');
}

/** Where each channel's payment notifications reach us (http/routes/notify.ts). */
function notifyPathOf(deps: ChannelPaymentDeps, channel: ChannelName): string {
  return channel === 'cashier' ? kioskConfigOf(deps.config).cashier.notifyPath : `/notify/${channel}/payment`;
}

/** A repeated tap gets the same pay parameters, never a second channel order. */
export function existingPayParams(deps: Pick<Deps, 'payParams'>, orderNo: string): Promise<PayParams | null> {
  return deps.payParams.get(orderNo);
}

