import type { WechatCtx } from './context';
import { randomDigits } from './crypto';
import { notifyPaid } from './events';
import { settleAtCentre } from './national-client';
import { fee, rfc3339, type MedOrder } from './state';

export type PayOutcome = { ok: true } | { ok: false; reason: string };

/**
 * The patient confirmed in WeChat: the centre settles the insurance part (it then sends its own
 * 6302 to the hospital), WeChat Pay takes the self-pay part, the order turns MIX_PAY_SUCCESS and
 * MEDICAL_INSURANCE.SUCCESS goes to callback_url.
 */
export async function payOrder(w: WechatCtx, o: MedOrder): Promise<PayOutcome> {
  if (o.mix_pay_status !== 'MIX_PAY_CREATED' && o.mix_pay_status !== 'MIX_PAY_USER_PAYING') return { ok: false, reason: `order is ${o.mix_pay_status}` };
  if (o.paying) return { ok: false, reason: 'payment already in progress' };
  o.paying = true;
  try {
    const req = o.request;
    const cash = fee(req, 'wechat_pay_cash_fee');
    const txn = cash > 0 ? w.state.txns.get(o.out_trade_no) : undefined;
    if (cash > 0 && !txn) return { ok: false, reason: 'self-pay order missing' };
    if (txn?.trade_state === 'CLOSED') return { ok: false, reason: 'ORDERCLOSED 订单已关闭' };
    const transactionId = cash > 0 ? `4200${randomDigits(24)}` : '';
    let traceTime: string | undefined;
    // fault 'insurance-leg' (key out_trade_no): the cash leg is taken, then the insurance leg fails
    // (the centre never settles) — MIX_PAY_FAIL with SELF_PAY_SUCCESS (排障手册 §2.8 C "自费可能已成功但医保失败")
    const legFault = req.mix_pay_type !== 'CASH_ONLY' ? w.faults.take('insurance-leg', o.out_trade_no) : undefined;
    if (req.mix_pay_type !== 'CASH_ONLY') {
      let r: Awaited<ReturnType<typeof settleAtCentre>> | { ok: true; traceTime?: string; code?: string; message?: string };
      try {
        r = legFault ? { ok: true } : await settleAtCentre(w.cfg.urls.national, {
          payOrdId: String(req.pay_order_id),
          payAuthNo: String(req.pay_auth_no),
          channel: 'wechat',
          cashFen: cash,
          cashTradeNo: transactionId,
        });
      } catch (err) {
        return { ok: false, reason: `医保平台繁忙，请稍后再试 (${(err as Error).message})` };
      }
      if (!r.ok || legFault) {
        o.mix_pay_status = 'MIX_PAY_FAIL';
        o.med_ins_pay_status = 'MED_INS_PAY_FAIL';
        o.self_pay_status = cash > 0 ? (legFault ? 'SELF_PAY_SUCCESS' : 'SELF_PAY_FAIL') : 'NO_SELF_PAY';
        o.med_ins_fail_reason = legFault ? (legFault.message ?? '医保结算失败') : `${r.code ?? ''} ${r.message ?? ''}`.trim();
        if (legFault && txn) {
          txn.trade_state = 'SUCCESS';
          txn.transaction_id = transactionId;
          txn.success_time = rfc3339();
        }
        return { ok: false, reason: o.med_ins_fail_reason || 'insurance payment refused' };
      }
      traceTime = r.traceTime;
    }
    const now = rfc3339();
    o.mix_pay_status = 'MIX_PAY_SUCCESS';
    if (cash > 0) o.self_pay_status = 'SELF_PAY_SUCCESS';
    if (req.mix_pay_type !== 'CASH_ONLY') o.med_ins_pay_status = 'MED_INS_PAY_SUCCESS';
    o.paid_time = now;
    o.passthrough_response_content = JSON.stringify({ ordStas: '6', ...(traceTime ? { traceTime } : {}) });
    if (txn) {
      txn.trade_state = 'SUCCESS';
      txn.transaction_id = transactionId;
      txn.success_time = now;
    }
    notifyPaid(w, o);
    return { ok: true };
  } finally {
    o.paying = false;
  }
}
