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
import { ChannelSignatureError, isChannelName, type ChannelName, type NotificationAck, type NotificationRequest } from '../channels/port';
import { EnvelopeError, open } from '../national/envelope';
import { parseNotification, NationalFormatError } from '../national/messages';
import { isUnknownOutcome, NationalRejectedError } from '../national/client';
import type { JobOutcome } from '../store/queue';
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
function refused6302(envelopeCode: string, message?: string): Ack {
  const code: ErrorCode = envelopeCode === 'SIGNATURE_INVALID' || envelopeCode === 'APP_ID_MISMATCH' ? 'SIGNATURE_INVALID' : envelopeCode === 'TIMESTAMP_SKEW' ? 'REPLAYED' : 'BAD_REQUEST';
  return { status: 400, body: { code, message: message ?? 'notification refused', detail: envelopeCode } };
}

/**
 * The acknowledgement of an accepted 6302: TSX answers HTTP 200 `{success, message}`
 * (MedicalInsuranceNotificationService, MedicalInsuranceNotificationAck); `{code:0}` by configuration.
 */
/** What the patient's status queries (6301, the channel's query) use. */
export type QueryDeps = Pick<Deps, 'channels' | 'national' | 'orders' | 'pii' | 'now' | 'log'> & { config: SettlementConfig };
export type ConfirmingDeps = QueryDeps & Pick<Deps, 'locks'>;

function accepted6302(form: Deps['config']['national']['notifyAck']): Ack {
  return { status: 200, body: form === 'tsx' ? { success: true, message: '成功' } : { code: 0, message: '成功' } };
}

/**
 * Opens a 6302. An authentic copy sealed longer ago than maxSkewMs (the centre repeating a
 * notification hours later) is still acknowledged — marked stale, so it only prompts a 6301.
 */
function open6302(deps: QueryDeps, raw: Buffer): { data: Record<string, unknown>; stale: boolean } {
  const cfg = deps.config.national;
  const body: unknown = JSON.parse(raw.toString('utf8'));
  const creds = { appId: cfg.appId, appSecret: cfg.appSecret, peerPublicKey: cfg.platformPublicKey, userId: cfg.sm2UserId };
  try {
    return { data: open(body, creds, cfg.maxSkewMs ? { maxSkewMs: cfg.maxSkewMs } : {}), stale: false };
  } catch (err) {
    if (!(err instanceof EnvelopeError && err.code === 'TIMESTAMP_SKEW')) throw err;
    return { data: open(body, creds), stale: true };
  }
}

/** POST /notify/national/settlement — 6302. Verified before anything else is read. */
export async function onNationalNotification(deps: QueryDeps, raw: Buffer): Promise<Ack> {
  let data: Record<string, unknown>;
  let stale: boolean;
  try {
    ({ data, stale } = open6302(deps, raw));
  } catch (err) {
    const code = err instanceof EnvelopeError ? err.code : 'MALFORMED';
    deps.log.warn({ code }, '6302 notification refused');
    return refused6302(code);
  }
  let answer;
  try {
    answer = parseNotification(data);
  } catch (err) {
    if (err instanceof NationalFormatError) return refused6302('MALFORMED', err.message);
    throw err;
  }
  // medOrgOrd is the order number, or a fresh key after an unanswered 6201 (domain/payment.ts feeUploadKeys)
  const byMedOrgOrd = answer.medOrgOrd ? await deps.orders.get(answer.medOrgOrd) : null;
  const refNo = byMedOrgOrd ? null : await deps.orders.byRef('payOrdId', answer.payOrdId);
  const order = byMedOrgOrd ?? (refNo ? await deps.orders.get(refNo) : null);
  if (!order) {
    // Not ours, or lost on our side: refuse so the centre keeps it, and alert a person.
    deps.log.error({ payOrdId: answer.payOrdId, medOrgOrd: answer.medOrgOrd }, '6302 for an unknown order');
    return { status: 404, body: { code: 'ORDER_NOT_FOUND', message: 'unknown order' } };
  }
  const report: SettlementReport = { source: 'notify_6302', ...answer, ...(answer.split ? { amounts: answer.split } : {}), ...(stale ? { stale } : {}) };
  await deps.orders.update(order.orderNo, (o) => onSettlementReport(o, report, settlementPolicy(deps.config), deps.now()), order);
  return accepted6302(deps.config.national.notifyAck);
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
  const orderNo = (await deps.orders.byRef(`${channel}-out`, n.outTradeNo)) ?? null;
  const order = orderNo ? await deps.orders.get(orderNo) : null;
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

/** Asks the centre (6301) and applies the answer. Returns the order after. */
export async function querySettlement(deps: QueryDeps, order: Order): Promise<Order> {
  if (!order.national) return order;
  const identity = deps.pii.open(order.piiSealed);
  const answer = await tracked(deps, order.orderNo, 'national', '6301', () =>
    deps.national.querySettlement({ payOrdId: order.national!.payOrdId, payToken: order.national!.payToken, identity }),
  );
  const report: SettlementReport = { source: 'query_6301', ...answer, ...(answer.split ? { amounts: answer.split } : {}) };
  return (await deps.orders.update(order.orderNo, (o) => onSettlementReport(o, report, settlementPolicy(deps.config), deps.now()), order)).order;
}

/** Asks the channel and applies the answer. */
export async function queryChannel(deps: QueryDeps, order: Order): Promise<Order> {
  const ch = order.payment?.channel;
  if (!order.payment || !ch || !isChannelName(ch)) return order;
  const st = await tracked(deps, order.orderNo, ch, 'queryPayment', () =>
    deps.channels[ch].queryPayment({ outTradeNo: order.payment!.outTradeNo, channelRef: order.payment!.channelRef, ...(isSelfPay(order) ? { cashOnly: true } : {}) }),
  );
  // WeChat: a status the adapter does not recognise (public-rules item 13; wechatpay-skills 排障手册
  // 268560650 names MIX_PAY_USER_PAYING) says nothing about money: the order stays as it is and the
  // payment poll asks again — never a case for a person on a status we cannot read. (Alipay's
  // unknown values mean "awaiting confirmation", public-rules item 19.)
  const status = st.status === 'unknown' && ch === 'wechat' ? 'pending' : st.status;
  return (
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
}

/**
 * GET of an open order: the patient is looking at the result page, so ask now instead of
 * waiting for the next poll (at most once every 2 s per order across all instances).
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

/** Job settlement.poll: 6301 with back-off until the outcome is known or attempts run out. */
export async function settlementPollJob(deps: QueryDeps, orderNo: string, attempt: number): Promise<JobOutcome> {
  const order = await deps.orders.get(orderNo);
  // a self-pay order has nothing at the centre to ask (domain/self-pay.ts)
  if (!order || !OPEN.includes(order.state) || order.evidence.insuranceSettled || isSelfPay(order)) return 'done';
  const p = deps.config.national;
  try {
    const after = await querySettlement(deps, order);
    if (!OPEN.includes(after.state) || after.evidence.insuranceSettled) return 'done';
  } catch (err) {
    if (!(isUnknownOutcome(err) || err instanceof NationalRejectedError)) throw err;
    deps.log.warn({ orderNo, attempt, err: (err as Error).message }, '6301 query failed');
  }
  if (attempt >= p.pollMaxAttempts) {
    await deps.orders.update(orderNo, (o) => onPollingExhausted(o, attempt, deps.now()));
    return 'done';
  }
  return { retryInMs: backoffMs(attempt, p.pollBaseMs, p.pollMaxMs) };
}

/** Job payment.poll: the channel's notification is missing; ask the channel. */
export async function paymentPollJob(deps: QueryDeps, orderNo: string, attempt: number): Promise<JobOutcome> {
  const order = await deps.orders.get(orderNo);
  if (!order || !OPEN.includes(order.state) || order.evidence.cashPaid || !order.payment) return 'done';
  try {
    const after = await queryChannel(deps, order);
    if (!OPEN.includes(after.state) || after.evidence.cashPaid) return 'done';
  } catch (err) {
    deps.log.warn({ orderNo, attempt, err: (err as Error).message }, 'channel query failed');
  }
  // A live order is polled until its pay window has closed (a patient may confirm late, 排障手册 §2.8 C;
  // MIX_PAY_USER_PAYING stays pending); after that its expiry job cancels it and polling stops.
  if (attempt >= 12 && Date.parse(order.payment.expiresAt) < deps.now().getTime()) return 'done';
  return { retryInMs: backoffMs(attempt, 15_000, 5 * 60_000) };
}
