import crypto from 'node:crypto';
import { settleAtCentre } from '../wechat/national-client';
import type { AlipayCtx } from './context';
import { chinaNow } from './crypto';
import type { Trade } from './state';
import { plainView } from './methods-plain';
import { statusAndAmounts } from './methods-trade';

export type PayOutcome = { ok: true } | { ok: false; reason: string };

/** The async notification (form POST to result_notify_url, retried until the answer is `success`). */
export function notifyTrade(w: AlipayCtx, t: Trade): void {
  const common = { notify_id: crypto.randomBytes(16).toString('hex'), notify_type: 'trade_status_sync', notify_time: chinaNow(), app_id: w.cfg.appId, charset: 'utf-8', version: '1.0', seller_id: w.cfg.pid };
  // a plain trade (自费) notifies the plain trade's fields (methods-plain.ts), no medical one
  const fields: Record<string, string> = t.plain ? { ...common, ...plainView(t), buyer_id: t.user_id, gmt_create: t.created, ...(t.paid ? { gmt_payment: t.paid } : {}) } : {
    ...common,
    buyer_id: t.user_id,
    out_trade_no: t.out_trade_no,
    trade_no: t.trade_no,
    ...statusAndAmounts(t),
    pay_order_id: t.pay_order_id,
    med_org_ord: t.med_org_ord,
    subject: t.subject,
    gmt_create: t.created,
  };
  if (t.alipay_trade_no && !t.plain) fields.alipay_trade_no = t.alipay_trade_no;
  if (t.paid) fields.gmt_payment = t.paid;
  const body = new URLSearchParams(w.side.signNotification(fields)).toString();
  w.notifier.send('notify', t.out_trade_no, {
    url: t.result_notify_url,
    eventId: fields.notify_id,
    build: () => ({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body }),
  });
}

/**
 * The failure that strands money: the self-pay leg was taken, then the insurance leg failed, and the
 * trade closes (public-rules-2026-12.md item 20, "insurance leg failed with cash taken"; WeChat's
 * MIX_PAY_FAIL + SELF_PAY_SUCCESS is the documented twin, item 13). How Alipay words it is not
 * public: the statuses are the sandbox's own (INFERRED), reported through own_pay_status /
 * medical_pay_status as AJ AlipayCommerceMedicalTradeQueryResponse.java names them.
 */
export function failInsuranceAfterCash(w: AlipayCtx, t: Trade): { ok: false; reason: string } {
  if (t.status !== 'WAIT_BUYER_PAY') return { ok: false, reason: `trade is ${t.status}` };
  t.own_pay_status = t.realFen > 0 ? 'SUCCESS' : 'NONE';
  t.medical_pay_status = 'FAIL';
  t.status = 'TRADE_CLOSED';
  t.paid = chinaNow();
  t.fail_reason = '医保结算失败';
  notifyTrade(w, t);
  return { ok: false, reason: t.fail_reason };
}

/** The patient confirmed on the pay page: the centre settles the insurance part, Alipay the rest. */
export async function payTrade(w: AlipayCtx, t: Trade): Promise<PayOutcome> {
  if (t.status !== 'WAIT_BUYER_PAY') return { ok: false, reason: `trade is ${t.status}` };
  if (t.paying) return { ok: false, reason: 'payment already in progress' };
  t.paying = true;
  try {
    const insurance = t.govFen + t.accountFen + t.otherFen;
    // A trade made for a centre order (pay_order_id) is settled at the centre even when the
    // pre-settlement came out all self-pay: the centre order must not stay pre-settled (public-rules
    // item 12, WeChat API doc 4016781466 "如果医保预结算全部需自费，也属于混合类型"; for Alipay inferred).
    if (insurance > 0 || t.pay_order_id) {
      let r;
      try {
        r = await settleAtCentre(w.cfg.urls.national, { payOrdId: t.pay_order_id, payAuthNo: t.pay_auth_no, channel: 'alipay', cashFen: t.realFen, cashTradeNo: t.alipay_trade_no ?? '' });
      } catch (err) {
        return { ok: false, reason: `医保平台繁忙，请稍后再试 (${(err as Error).message})` };
      }
      if (!r.ok) {
        t.status = 'TRADE_CLOSED';
        t.medical_pay_status = 'FAIL';
        if (t.realFen > 0) t.own_pay_status = 'FAIL';
        t.fail_reason = `${r.code ?? ''} ${r.message ?? ''}`.trim();
        return { ok: false, reason: t.fail_reason || 'insurance payment refused' };
      }
      t.medical_pay_status = 'SUCCESS';
    }
    if (t.realFen > 0) t.own_pay_status = 'SUCCESS';
    t.status = 'TRADE_SUCCESS';
    t.paid = chinaNow();
    notifyTrade(w, t);
    return { ok: true };
  } finally {
    t.paying = false;
  }
}
