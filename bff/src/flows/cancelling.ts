/**
 * Cancel before payment (M3): 6401 withdraws the fee upload; HIS then releases the slot/bills.
 * A 6401 the centre refuses because the order was paid meanwhile turns into a settlement query,
 * never into a cancellation of money that moved.
 */
import { onCancelled } from '../domain/payment';
import { onExpiryExhausted } from '../domain/settlement';
import type { Order } from '../domain/order';
import { DomainError } from '../domain/errors';
import type { PatientSession } from '../sessions/port';
import type { JobOutcome } from '../store/port';
import { querySettlement, type QueryDeps } from './confirming';
import type { Deps } from './deps';
import { tracked } from './calls';
import { ownedOrder } from './access';
import { withLock, type LockDeps } from './lock';

const CANCELLABLE = ['created', 'fee_uploaded', 'awaiting_payment', 'awaiting_confirmation'];

export type CancellingDeps = QueryDeps & LockDeps & Pick<Deps, 'his' | 'vault'>;

export type CancelResult = { cancelled: true; order: Order } | { cancelled: false; order: Order; why: 'paid_or_moving' | 'unclear' };

/** Cancels an unpaid order (6401 first when fees were uploaded). Callers hold the order's pay lock. */
export async function cancelUnpaid(deps: CancellingDeps, orderNo: string, reason: string, by: 'patient' | 'system' | 'staff'): Promise<CancelResult> {
  let order = await deps.orders.get(orderNo);
  if (!order) throw new DomainError('ORDER_NOT_FOUND');
  if (!CANCELLABLE.includes(order.state) || order.evidence.cashPaid || order.evidence.insuranceSettled) return { cancelled: false, order, why: 'paid_or_moving' };
  // the channel's order first, so nothing can be paid once the centre's order is withdrawn
  const closed = await closeChannelOrder(deps, order);
  if (closed !== 'closed') return { cancelled: false, order, why: closed };
  if (order.national) {
    const identity = deps.pii.open(order.piiSealed);
    const n = order.national;
    const r = await tracked(deps, orderNo, 'national', '6401', () => deps.centre.revokeUpload({ payOrdId: n.payOrdId, payToken: n.payToken, identity }));
    if (r.kind === 'refused' || r.kind === 'authorization_expired') {
      // Most likely paid in the meantime: find out from the centre instead of guessing.
      // But a refusal can also be passing ("9999 系统繁忙"): when the centre's answer leaves the
      // order open and unpaid (or there is no answer), the cancellation is still owed — report
      // it unclear so the expiry job tries again, instead of leaving the order open for good.
      const before = order;
      const after = await querySettlement(deps, order).catch(() => null);
      if (!after) return { cancelled: false, order: before, why: 'unclear' };
      const stillUnpaid = CANCELLABLE.includes(after.state) && !after.evidence.cashPaid && !after.evidence.insuranceSettled;
      return { cancelled: false, order: after, why: stillUnpaid ? 'unclear' : 'paid_or_moving' };
    }
    // unanswered or not delivered: tried again later
    if (r.kind !== 'revoked') return { cancelled: false, order, why: 'unclear' };
  }
  const res = await deps.orders.update(orderNo, (o) => onCancelled(o, reason, by, deps.now()));
  await deps.vault.dropOrder(order.ownerKey, orderNo);
  return res.order.state === 'cancelled' ? { cancelled: true, order: res.order } : { cancelled: false, order: res.order, why: 'paid_or_moving' };
}

/**
 * Closes the channel's unpaid order (wechatpay-skills 排障手册 268560650 §: query, then close only
 * while MIX_PAY_CREATED). 'paid_or_moving': the patient confirmed or is confirming; 'unclear': the
 * channel did not answer — the cancellation is tried again later.
 */
async function closeChannelOrder(deps: CancellingDeps, order: Order): Promise<'closed' | 'paid_or_moving' | 'unclear'> {
  const leg = order.payment;
  if (!leg || leg.channel === 'kiosk') return 'closed';
  const channel = deps.channels[leg.channel];
  if (!channel.closePayment) return 'closed';
  try {
    const r = await tracked(deps, order.orderNo, leg.channel, 'closePayment', () => channel.closePayment!({ outTradeNo: leg.outTradeNo, channelRef: leg.channelRef }));
    return r === 'closed' ? 'closed' : 'paid_or_moving';
  } catch (err) {
    deps.log.warn({ orderNo: order.orderNo, err: (err as Error).message }, 'closing the channel order failed; cancellation postponed');
    return 'unclear';
  }
}

export async function cancelByPatient(deps: CancellingDeps, s: PatientSession, orderNo: string): Promise<Order> {
  await ownedOrder(deps, s, orderNo);
  return withLock(deps, `pay:${orderNo}`, 30_000, async () => {
    const r = await cancelUnpaid(deps, orderNo, '患者取消', 'patient');
    if (r.cancelled) return r.order;
    if (r.why === 'unclear') throw new DomainError('PEER_TIMEOUT', '医保中心暂未答复，请稍后查看订单');
    throw new DomainError('ORDER_STATE_CONFLICT', '订单已支付或正在支付，不能取消');
  });
}

/** How long the expiry keeps looking at an order whose outcome the polls are still confirming (40 × 30 s). */
const EXPIRY_WHILE_CONFIRMING_ATTEMPTS = 40;
/** How long it keeps trying to cancel an order it could not cancel yet (20 × 30 s; inferred, like the above). */
const EXPIRY_ATTEMPTS = 20;

/** Job order.expire: an order left unpaid is cancelled so the slot/bills are free again. */
export async function expireJob(deps: CancellingDeps, orderNo: string, attempt: number): Promise<JobOutcome> {
  const order = await deps.orders.get(orderNo);
  if (!order || !CANCELLABLE.includes(order.state)) return 'done';
  // The polls decide an order awaiting confirmation, but their answer may make it payable again
  // (6301: ordered, or not ordered): the expiry waits for that instead of ending, or such an order
  // stays open with nothing left to close it (1,000-flow fault suite under load). Polling ends in
  // manual review well before the last look.
  if (order.state === 'awaiting_confirmation') return attempt >= EXPIRY_WHILE_CONFIRMING_ATTEMPTS ? giveUp(deps, orderNo, attempt) : { retryInMs: 30_000 };
  const r = await withLock(deps, `pay:${orderNo}`, 30_000, () => cancelUnpaid(deps, orderNo, '超时未支付', 'system')).catch((e: Error) => {
    deps.log.warn({ orderNo, err: e.message }, 'expiry could not run');
    return null;
  });
  if (r?.cancelled) return 'done';
  // paid or moving: done once money moved or the order left the open states (the polls decide
  // it); a patient still confirming in WeChat (MIX_PAY_USER_PAYING) with nothing paid yet may give
  // up, so that order is looked at again
  const o = r?.order;
  if (r?.why === 'paid_or_moving' && o && (!CANCELLABLE.includes(o.state) || o.evidence.cashPaid || o.evidence.insuranceSettled)) return 'done';
  return attempt >= EXPIRY_ATTEMPTS ? giveUp(deps, orderNo, attempt) : { retryInMs: 30_000 };
}

/** The last look found the order still open and unpaid-or-unclear: a person takes it (domain/settlement.ts). */
async function giveUp(deps: CancellingDeps, orderNo: string, attempt: number): Promise<JobOutcome> {
  await deps.orders.update(orderNo, (o) => onExpiryExhausted(o, attempt, deps.now()));
  return 'done';
}

/** Job order.release: HIS unlocks the slot/bills of a cancelled order. */
export async function releaseJob(deps: CancellingDeps, orderNo: string): Promise<JobOutcome> {
  const order = await deps.orders.get(orderNo);
  if (!order || order.state !== 'cancelled') return 'done';
  await tracked(deps, orderNo, 'his', 'release', () =>
    deps.his.releasePreSettlement({ preSettlementId: order.preSettlement.preSettlementId }, { idempotencyKey: `${orderNo}REL` }),
  );
  return 'done';
}
