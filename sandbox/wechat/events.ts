import crypto from 'node:crypto';
import type { WechatCtx } from './context';
import { orderEntity } from './routes-pay';
import { rfc3339, type MedOrder, type RefundRec } from './state';

/** One encrypted, signed WeChat Pay event to a merchant URL (through the notifier and its faults). */
function sendEvent(w: WechatCtx, op: string, key: string, url: string, eventType: string, summary: string, originalType: string, aad: string, plain: unknown): void {
  const event = {
    id: crypto.randomUUID(),
    create_time: rfc3339(),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary,
    resource: { original_type: originalType, ...w.side.encryptResource(JSON.stringify(plain), aad) },
  };
  const body = JSON.stringify(event);
  w.notifier.send(op, key, {
    url: routed(w, url),
    eventId: event.id,
    build: () => ({ headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/4.0', ...w.side.signHeaders(body) }, body }),
  });
}

/** MEDICAL_INSURANCE.SUCCESS to the order's callback_url (fault op 'notify', key out_trade_no). */
export function notifyPaid(w: WechatCtx, o: MedOrder): void {
  sendEvent(w, 'notify', o.out_trade_no, String(o.request.callback_url), 'MEDICAL_INSURANCE.SUCCESS', '医保混合收款成功', 'transaction', 'medical_insurance', orderEntity(o));
}

/** REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED to the refund's notify_url (fault op 'refund-notify'). */
export function notifyRefund(w: WechatCtx, r: RefundRec): void {
  if (!r.notify_url) return;
  const plain = {
    mchid: w.cfg.mchId,
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    refund_status: r.status,
    success_time: r.success_time,
    user_received_account: '支付用户零钱',
    amount: { total: r.amount.total, refund: r.amount.refund, payer_total: r.amount.total, payer_refund: r.amount.refund },
  };
  const summary = r.status === 'SUCCESS' ? '退款成功' : r.status === 'CLOSED' ? '退款关闭' : '退款异常';
  sendEvent(w, 'refund-notify', r.out_trade_no, r.notify_url, `REFUND.${r.status}`, summary, 'refund', 'refund', plain);
}

/** the public https callback URL as this sandbox reaches it (config callbackRoutes) */
export function routed(w: WechatCtx, url: string): string {
  for (const [origin, target] of Object.entries(w.cfg.callbackRoutes)) {
    if (url.startsWith(`${origin.replace(/\/+$/, '')}/`)) return target.replace(/\/+$/, '') + url.slice(origin.replace(/\/+$/, '').length);
  }
  return url;
}
