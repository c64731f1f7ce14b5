/**
 * M4 and the notifications: 6302 from the centre, payment notifications from the channels, and
 * the polls that stand in when a notification is late or lost. All of them end in the same
 * pure decisions (domain/settlement.ts) applied with a version check, so any number of copies,
 * in any order, make one transition.
 */
import type { ErrorCode } from '@mip/shared';
import type { Order } from '../domain/order';
import { onCashReport, onPollingExhausted, onSettlementReport, type SettlementReport } from '../domain/settlement';
import { backoffMs } from '../domain/jobs';
import { isSelfPay } from '../domain/self-pay';
import { ChannelSignatureError, isChannelName, type ChannelName, type ChannelPaymentStatus, type NotificationAck, type NotificationRequest } from '../channels/port';
import type { CentreNotification, CentreOrderStatus } from '../national/port';
import { CentreCallError } from './centre-call';
import type { JobOutcome } from '../store/port';
import { settlementPolicy, type Deps, type SettlementConfig } from './deps';
import { tracked } from './calls';

const OPEN = ['fee_uploaded', 'awaiting_payment', 'awaiting_confirmation'];

export interface Ack {
  status: number;
  body: Record<string, unknown>;
}

/**
 * A refused 6302, always 400 (the centre sends it again later; nothing here changed): `code` is
 * the stable API code (shared/src/errors.ts), `detail` the envelope's own reason.
 */
function refused6302(n: Extract<CentreNotification, { kind: 'refused' }>): Ack {
  const code: ErrorCode = n.why === 'signature' ? 'SIGNATURE_INVALID' : n.why === 'replayed' ? 'REPLAYED' : 'BAD_REQUEST';
  return { status: 400, body: { code, message: n.message ?? 'notification refused', detail: n.detail } };
}

async function orderByRef(deps: Pick<Deps, 'orders'>, kind: string, ref: string): Promise<Order | null> {
  const orderNo = await deps.orders.byRef(kind, ref);
  return orderNo ? deps.orders.get(orderNo) : null;
}

/** What the patient's status queries (6301, the channel's query) use. */
export type QueryDeps = Pick<Deps, 'channels' | 'centre' | 'orders' | 'pii' | 'now' | 'log'> & { config: SettlementConfig };
export type ConfirmingDeps = QueryDeps & Pick<Deps, 'locks'>;

/**
 * The order a 6302 is about: by medOrgOrd — the order number, or it plus `R<n>` after an unanswered
 * 6201 (domain/payment.ts feeUploadKeys) — else by the payOrdId index (national.payOrdIdIndex, and
 * orders stored while it was kept). Whether the payOrdId is the order's own, the decision checks.
 */
async function orderOf6302(deps: Pick<Deps, 'orders'>, answer: { medOrgOrd?: string; payOrdId: string }): Promise<Order | null> {
  const m = answer.medOrgOrd;
  if (m) {
    const exact = await deps.orders.get(m);
    if (exact) return exact;
    const reUpload = /^(.+)R\d+$/.exec(m);
    const byPrefix = reUpload ? await deps.orders.get(reUpload[1]) : null;
    if (byPrefix) return byPrefix;
  }
  return orderByRef(deps, 'payOrdId', answer.payOrdId);
}

/** POST /notify/national/settlement — 6302. Verified before anything else is read (national/centre.ts). */
export async function onNationalNotification(deps: QueryDeps, raw: Buffer): Promise<Ack> {
  const n = deps.centre.openNotification(raw);
  if (n.kind === 'refused') {
    deps.log.warn({ code: n.detail }, '6302 notification refused');
    return refused6302(n);
  }
  const { report: answer, stale } = n;
  const order = await orderOf6302(deps, answer);
  if (!order) {
    // Not ours, or lost on our side: refuse so the centre keeps it, and alert a person.
    deps.log.error({ payOrdId: answer.payOrdId, medOrgOrd: answer.medOrgOrd }, '6302 for an unknown order');
    return { status: 404, body: { code: 'ORDER_NOT_FOUND', message: 'unknown order' } };
  }
  const report: SettlementReport = { source: 'notify_6302', ...answer, ...(answer.split ? { amounts: answer.split } : {}), ...(stale ? { stale } : {}) };
  await deps.orders.update(order.orderNo, (o) => onSettlementReport(o, report, settlementPolicy(deps.config), deps.now()), order);
  return deps.centre.notificationAccepted();
}

/** POST /notify/:channel/payment — verified and decrypted by the channel adapter first. */
export async function onChannelNotification(deps: QueryDeps, channel: ChannelName, req: NotificationRequest): Promise<NotificationAck> {
  const adapter = deps.channels[channel];
  let n;
  try {
    n = await adapter.parseNotification(req);
  } catch (err) {
    if (err instanceof ChannelSignatureError) {
      deps.log.warn({ channel, reason: err.message }, 'channel notification refused');
      return adapter.ackNotification(false, 'SIGNATURE_INVALID');
    }
    // authentic but not what a notification must be (an unknown event type, a resource of the
    // wrong shape): refused as a bad request, never a 500 — and nothing is changed
    deps.log.warn({ channel, reason: (err as Error).message }, 'channel notification not understood');
    return adapter.ackNotification(false, 'BAD_REQUEST');
  }
  if (n.kind !== 'payment') return adapter.ackNotification(true); // refund notifications: the refund job polls
  const fenOk = (v: unknown) => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);
  if (typeof n.outTradeNo !== 'string' || !n.outTradeNo || !fenOk(n.cashPaidFen) || !fenOk(n.totalFen)) {
    deps.log.warn({ channel }, 'channel notification with a malformed order number or amount');
    return adapter.ackNotification(false, 'BAD_REQUEST');
  }
  // our out_trade_no is the order number unless a reference says otherwise (flows/channel-payment.ts)
  const direct = await deps.orders.get(n.outTradeNo);
  const order = direct && (!direct.payment || direct.payment.outTradeNo === n.outTradeNo) ? direct : await orderByRef(deps, `${channel}-out`, n.outTradeNo);
  if (!order) {
    deps.log.error({ channel, outTradeNo: n.outTradeNo }, 'channel notification for an unknown order');
    return adapter.ackNotification(false, 'ORDER_NOT_FOUND');
  }
  await deps.orders.update(order.orderNo, (o) =>
    onCashReport(
      o,
      { source: 'channel_notify', status: n.status, cashPaidFen: n.cashPaidFen, totalFen: n.totalFen, cashTradeNo: n.cashTradeNo, paidAt: n.paidAt, ...(n.legs ? { legs: n.legs } : {}) },
      settlementPolicy(deps.config),
      deps.now(),
    ),
    order,
  );
  return adapter.ackNotification(true);
}

/** Asks the centre (6301) and applies the answer. Returns the order after; CentreCallError without an answer. */
export async function querySettlement(deps: QueryDeps, order: Order): Promise<Order> {
  return (await askCentre(deps, order))?.order ?? order;
}

/** querySettlement, with the centre's answer beside the order (the staff recheck shows it, flows/recheck.ts); null when the order has nothing at the centre. */
export async function askCentre(deps: QueryDeps, order: Order): Promise<{ order: Order; status: CentreOrderStatus } | null> {
  const n = order.national;
  if (!n) return null;
  const identity = deps.pii.open(order.piiSealed);
  const a = await tracked(deps, order.orderNo, 'national', '6301', () => deps.centre.querySettlement({ payOrdId: n.payOrdId, payToken: n.payToken, identity }));
  if (a.kind !== 'answered') throw new CentreCallError('6301', a);
  const answer = a.status;
  const report: SettlementReport = { source: 'query_6301', ...answer, ...(answer.split ? { amounts: answer.split } : {}) };
  const after = (await deps.orders.update(order.orderNo, (o) => onSettlementReport(o, report, settlementPolicy(deps.config), deps.now()), order)).order;
  return { order: after, status: answer };
}

/** Asks the channel and applies the answer. */
export async function queryChannel(deps: QueryDeps, order: Order): Promise<Order> {
  return (await askChannel(deps, order))?.order ?? order;
}

/** queryChannel, with the channel's answer beside the order; null when the order has no channel payment. */
export async function askChannel(deps: QueryDeps, order: Order): Promise<{ order: Order; status: ChannelPaymentStatus } | null> {
  const ch = order.payment?.channel;
  if (!order.payment || !ch || !isChannelName(ch)) return null;
  const st = await tracked(deps, order.orderNo, ch, 'queryPayment', () =>
    deps.channels[ch].queryPayment({ outTradeNo: order.payment!.outTradeNo, channelRef: order.payment!.channelRef, ...(isSelfPay(order) ? { cashOnly: true } : {}) }),
  );
  // WeChat: a status the adapter does not recognise (public-rules item 13; wechatpay-skills 排障手册
  // 268560650 names MIX_PAY_USER_PAYING) says nothing about money: the order stays as it is and the
  // payment poll asks again — never a case for a person on a status we cannot read. (Alipay's
  // unknown values mean "awaiting confirmation", public-rules item 19.)
  const status = st.status === 'unknown' && ch === 'wechat' ? 'pending' : st.status;
  const after = (
    await deps.orders.update(order.orderNo, (o) =>
      onCashReport(
        o,
        { source: 'channel_query', status, cashPaidFen: st.cashPaidFen, cashTradeNo: st.cashTradeNo, paidAt: st.paidAt, ...(st.legs ? { legs: st.legs } : {}) },
        settlementPolicy(deps.config),
        deps.now(),
      ),
      order,
    )
  ).order;
  return { order: after, status: st };
}

/**
 * The kiosk's GET of an open order: the patient is looking at the kiosk's result screen, so ask
 * now instead of waiting for the next poll (at most once every 2 s per order across all
 * instances). The mini-programs' status request only reads (flows/order-wait.ts, issue 14).
 */
export async function confirmNow(deps: ConfirmingDeps, order: Order): Promise<Order> {
  if (!OPEN.includes(order.state) || !(order.national?.ordered || isSelfPay(order))) return order;
  if ((await deps.locks.acquire(`confirm:${order.orderNo}`, 2000)) === null) return order;
  try {
    let o = order;
    if (o.payment && !o.evidence.cashPaid) o = await queryChannel(deps, o);
    if (OPEN.includes(o.state) && !o.evidence.insuranceSettled) o = await querySettlement(deps, o);
    return o;
  } catch (err) {
    deps.log.warn({ orderNo: order.orderNo, err: (err as Error).message }, 'confirmation query failed; polling continues');
    return (await deps.orders.get(order.orderNo)) ?? order;
  }
}

/** Job settlement.poll: 6301 with back-off until the outcome is known or attempts run out. `startedBy`: domain/jobs.ts AFTER_CASH. */
export async function settlementPollJob(deps: QueryDeps, orderNo: string, attempt: number, startedBy?: string): Promise<JobOutcome> {
  const order = await deps.orders.get(orderNo);
  // a self-pay order has nothing at the centre to ask (domain/self-pay.ts)
  if (!order || !OPEN.includes(order.state) || order.evidence.insuranceSettled || isSelfPay(order)) return 'done';
  const p = deps.config.national;
  try {
    const after = await querySettlement(deps, order);
    if (!OPEN.includes(after.state) || after.evidence.insuranceSettled) return 'done';
  } catch (err) {
    // nothing delivered (connection refused, a 4xx): the queue retries the job itself, as before —
    // until the poll's last attempt, which decides like any other (else it ends as a dead letter
    // and an order with money taken stays open)
    if (!(err instanceof CentreCallError) || (err.outcome.kind === 'unavailable' && attempt < p.pollMaxAttempts)) throw err;
    deps.log.warn({ orderNo, attempt, err: (err as Error).message }, '6301 query failed');
  }
  if (attempt >= p.pollMaxAttempts) {
    await deps.orders.update(orderNo, (o) => onPollingExhausted(o, attempt, deps.now(), startedBy));
    return 'done';
  }
  return { retryInMs: backoffMs(attempt, p.pollBaseMs, p.pollMaxMs) };
}

/** Job payment.poll: the channel's notification is missing; ask the channel. `startedBy`: domain/jobs.ts AFTER_INSURANCE. */
export async function paymentPollJob(deps: QueryDeps, orderNo: string, attempt: number, startedBy?: string): Promise<JobOutcome> {
  const order = await deps.orders.get(orderNo);
  if (!order || !OPEN.includes(order.state) || order.evidence.cashPaid || !order.payment) return 'done';
  try {
    const after = await queryChannel(deps, order);
    if (!OPEN.includes(after.state) || after.evidence.cashPaid) return 'done';
  } catch (err) {
    deps.log.warn({ orderNo, attempt, err: (err as Error).message }, 'channel query failed');
  }
  // A live order is polled until its pay window has closed (a patient may confirm late, 排障手册 §2.8 C;
  // MIX_PAY_USER_PAYING stays pending); after that its expiry job cancels it and polling stops —
  // unless the centre already settled the insurance part: then a person finds out about the cash.
  if (attempt >= 12 && Date.parse(order.payment.expiresAt) < deps.now().getTime()) {
    await deps.orders.update(orderNo, (o) => onPollingExhausted(o, attempt, deps.now(), startedBy));
    return 'done';
  }
  return { retryInMs: backoffMs(attempt, 15_000, 5 * 60_000) };
}
