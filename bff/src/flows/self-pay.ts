/**
 * 自费 (self-pay) orders in the mini-programs: a patient who is not insured, or chooses not to use
 * insurance, pays registration and outpatient bills through WeChat Pay / Alipay alone. No e-voucher
 * authorization and no insurance identity are needed, and nothing goes to the centre (no
 * 6201/6202/6301/6401/6203): HIS pre-settles in self-pay mode (all cash), the channel's order is
 * cash only, and the channel's word completes the order (domain/self-pay.ts).
 */
import type { Order } from '../domain/order';
import { HisUnclearError } from '../his/port';
import { DomainError } from '../domain/errors';
import { PeerError } from '../domain/peer-error';
import type { PatientSession } from '../sessions/port';
import type { Deps } from './deps';
import { buildOrder, type BuildOrderDeps, type CreateOrderBody } from './order-draft';
import { notifyWindowMs, openChannelPayment, existingPayParams, type ChannelPaymentDeps, type PayResult } from './channel-payment';

export type SelfPayOrderDeps = BuildOrderDeps & Pick<Deps, 'profiles' | 'his' | 'pii' | 'now' | 'orders'>;

/** The identity step (region, name, ID number) must have been done; insurance need not. */
const IDENTITY_FIRST = '请先填写就诊人的姓名和身份证号';

/**
 * The patient's HIS record: the one the insurance step registered, or the patient registered as a
 * self-pay patient now (his/port.ts registerSelfPayPatient, INFERRED) and kept on the profile.
 */
export async function hisPatientIdFor(deps: Pick<Deps, 'profiles' | 'his' | 'pii' | 'now'>, ownerKey: string): Promise<string> {
  const profile = await deps.profiles.get(ownerKey);
  if (!profile) throw new DomainError('IDENTITY_REQUIRED', IDENTITY_FIRST);
  if (profile.hisPatientId) return profile.hisPatientId;
  let hisPatientId: string;
  try {
    ({ hisPatientId } = await deps.his.registerSelfPayPatient({ patient: deps.pii.open(profile.identitySealed) }, { idempotencyKey: `${ownerKey}:self` }));
  } catch (err) {
    if (err instanceof HisUnclearError || err instanceof PeerError) throw new DomainError('PEER_UNAVAILABLE');
    throw err;
  }
  await deps.profiles.put(ownerKey, { ...profile, hisPatientId, updatedAt: deps.now().toISOString() });
  return hisPatientId;
}

export async function createSelfPayOrder(deps: SelfPayOrderDeps, s: PatientSession, body: CreateOrderBody, idempotencyKey: string): Promise<Order> {
  const hisPatientId = await hisPatientIdFor(deps, s.ownerKey);
  const profile = (await deps.profiles.get(s.ownerKey))!;
  const owner = {
    ownerKey: s.ownerKey,
    idempotencyScope: s.ownerKey,
    channel: s.channel,
    openId: s.openId,
    by: 'patient' as const,
    identitySealed: profile.identitySealed,
    hisPatientId,
    regionCode: profile.regionCode,
    psnNo: '',
    insutype: '',
    payMode: 'self' as const,
  };
  return buildOrder(deps, owner, body, idempotencyKey, (order, now) => deps.orders.addToOwner(s.ownerKey, order.orderNo, now.getTime()));
}

/**
 * The pay step of a self-pay order: the channel's cash-only order straight away (WeChat
 * CASH_ONLY, 开发参数与业务规则 §四 / 接入质量检查 #6). A repeated tap gets the same pay parameters.
 */
export async function paySelf(deps: ChannelPaymentDeps, s: PatientSession, order: Order): Promise<PayResult> {
  if (order.payment && order.state === 'awaiting_payment' && Date.parse(order.payment.expiresAt) > deps.now().getTime()) {
    const params = await existingPayParams(deps, order.orderNo);
    if (params) return { order, payment: params };
  }
  if (!['created', 'awaiting_payment'].includes(order.state)) throw new DomainError('ORDER_STATE_CONFLICT');
  if (!deps.channels[s.channel].supportsCashOnly) {
    throw new DomainError('PEER_REJECTED', '这里暂时不能自费支付，这次没有扣款。请到医院收费窗口缴费');
  }
  return openChannelPayment(deps, order, s.channel, { openId: s.openId }, notifyWindowMs(deps, s.channel));
}
