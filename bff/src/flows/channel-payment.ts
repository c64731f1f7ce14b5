/**
 * The channel half of every pay step (the mini-programs' insurance and self-pay orders, the kiosk's
 * centre cashier): the channel's order, its references on the order, the pay parameters kept for a
 * repeated tap.
 */
import type { PayParams } from '@mip/shared';
import { onPaymentCreated } from '../domain/payment';
import { isSelfPay, onSelfPayPaymentCreated } from '../domain/self-pay';
import type { Order } from '../domain/order';
import { ChannelRejectedError, type ChannelName, type CreatePaymentInput } from '../channels/port';
import { kioskConfigOf } from '../kiosk/config';
import type { Identity } from '../security/pii';
import { DomainError } from '../domain/errors';
import type { HeldAuthorization } from '../sessions/port';
import type { Config } from '../config';
import type { Deps } from './deps';
import { tracked } from './calls';
import { peerFailure } from './peer-failure';

export interface PayResult {
  order: Order;
  payment: PayParams | null;
}

/** The channel half of a pay step: the channel's order, its references, the pay parameters kept. */
export type ChannelPaymentDeps = Pick<Deps, 'channels' | 'orders' | 'pii' | 'now' | 'log' | 'payParams'> & {
  config: Pick<Config, 'channels' | 'publicBaseUrl' | 'unpaidOrderTtlMs' | 'env' | 'kiosk' | 'national'>;
};

/**
 * How long the notifications are awaited before the background polls ask (national.notifyWindowMs,
 * inferred): WeChat stops notifying after ~30 s; Alipay's first retries come within 15 s.
 */
export function notifyWindowMs(deps: Pick<ChannelPaymentDeps, 'config'>, channel: 'wechat' | 'alipay'): number {
  return deps.config.national.notifyWindowMs ?? (channel === 'wechat' ? 30_000 : 15_000);
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
  const expiresAt = new Date(Math.min(Date.parse(order.createdAt) + deps.config.unpaidOrderTtlMs, deps.now().getTime() + deps.config.unpaidOrderTtlMs)).toISOString();
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
  // the channel's notification and bill name our out_trade_no: a reference only when it is not the
  // order number itself (the channel's own number, channelRef, stays on the order's payment leg)
  if (created.outTradeNo !== orderNo) await deps.orders.setRef(`${channelName}-out`, created.outTradeNo, orderNo);
  const leg = { channel: channelName, channelRef: created.channelRef, outTradeNo: created.outTradeNo, createdAt: deps.now().toISOString(), expiresAt };
  const created_ = isSelfPay(order) ? onSelfPayPaymentCreated : onPaymentCreated;
  // the pay parameters a repeated tap gets again are written with the step, until the pay window closes
  const res = await deps.orders.update(orderNo, (o) => created_(o, leg, pollAfterMs, deps.now()), order, { payParams: { params: created.payParams, expiresAt } });
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

