import { ChannelSignatureError, type ChannelNotification, type NotificationRequest } from '../port';
import { headerValue } from '../headers';
import { decryptResource, type EncryptedResource } from './aead';
import type { MedInsOrderEntity } from './med-ins';
import { readStatuses } from './status';
import type { WechatpayVerifier } from './v3-sign';

interface WechatEvent {
  id: string;
  create_time?: string;
  event_type: string;
  resource_type?: string;
  resource: EncryptedResource;
}

interface RefundResource {
  out_trade_no: string;
  transaction_id?: string;
  refund_id?: string;
  out_refund_no: string;
  refund_status: string;
  success_time?: string;
  amount?: { total?: number; refund?: number };
}

interface TransactionResource {
  out_trade_no: string;
  transaction_id?: string;
  trade_state?: string;
  success_time?: string;
  amount?: { total?: number };
}

/**
 * Verifies (raw bytes, Wechatpay-Serial key, timestamp window; a SIGNTEST probe fails like any bad
 * signature), then decrypts with the GCM tag checked, and only then reads the JSON. Any failure: ChannelSignatureError.
 */
export function verifyAndDecrypt(req: NotificationRequest, verifier: WechatpayVerifier, apiV3Key: string): { event: WechatEvent; plain: unknown } {
  const h = (n: string) => headerValue(req.headers, n);
  const reason = verifier.check(
    { timestamp: h('wechatpay-timestamp'), nonce: h('wechatpay-nonce'), signature: h('wechatpay-signature'), serial: h('wechatpay-serial') },
    req.rawBody,
  );
  if (reason) throw new ChannelSignatureError('wechat', reason);
  let event: WechatEvent;
  try {
    event = JSON.parse(req.rawBody.toString('utf8')) as WechatEvent;
  } catch {
    throw new ChannelSignatureError('wechat', 'body is not JSON');
  }
  if (!event?.id || !event.event_type || !event.resource?.ciphertext || !event.resource.nonce) {
    throw new ChannelSignatureError('wechat', 'not a WeChat Pay event');
  }
  let text: string;
  try {
    text = decryptResource(apiV3Key, event.resource);
  } catch (err) {
    throw new ChannelSignatureError('wechat', `resource does not decrypt: ${(err as Error).message}`);
  }
  try {
    return { event, plain: JSON.parse(text) as unknown };
  } catch {
    throw new ChannelSignatureError('wechat', 'decrypted resource is not JSON');
  }
}

export function toChannelNotification(event: WechatEvent, plain: unknown): ChannelNotification {
  // authentic but malformed (found by the fuzz tests: a null resource was a TypeError, a 500)
  if (!plain || typeof plain !== 'object' || typeof (plain as { out_trade_no?: unknown }).out_trade_no !== 'string') {
    throw new Error(`WeChat Pay event ${event.event_type} carries no out_trade_no`);
  }
  if (event.event_type === 'MEDICAL_INSURANCE.SUCCESS') {
    const o = plain as MedInsOrderEntity;
    // the three statuses read together (接入质量检查 #10), as for a query
    const { status, legs } = readStatuses(o);
    return {
      kind: 'payment',
      eventId: event.id,
      outTradeNo: o.out_trade_no,
      channelRef: o.mix_trade_no,
      status,
      legs,
      cashPaidFen: o.wechat_pay_cash_fee ?? (o.mix_pay_type === 'INSURANCE_ONLY' ? 0 : undefined),
      totalFen: o.total_fee,
      paidAt: o.paid_time,
    };
  }
  if (event.event_type.startsWith('REFUND.')) {
    const r = plain as RefundResource;
    return {
      kind: 'refund',
      eventId: event.id,
      outTradeNo: r.out_trade_no,
      status: r.refund_status === 'SUCCESS' ? 'refunded' : r.refund_status === 'PROCESSING' ? 'pending' : 'failed',
      refundNo: r.out_refund_no,
      cashTradeNo: r.transaction_id,
      paidAt: r.success_time,
    };
  }
  if (event.event_type.startsWith('TRANSACTION.')) {
    // Only the self-pay leg of a mixed order: never proof of the whole payment. Ask the order.
    const t = plain as TransactionResource;
    return { kind: 'payment', eventId: event.id, outTradeNo: t.out_trade_no, status: 'unknown', cashTradeNo: t.transaction_id, cashPaidFen: t.amount?.total };
  }
  throw new Error(`unsupported WeChat Pay event ${event.event_type}`);
}
