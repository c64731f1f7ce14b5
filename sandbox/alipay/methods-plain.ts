/**
 * The plain trade a 自费 (self-pay) order is paid with: alipay.trade.create (product_code JSAPI_PAY,
 * the mini-program pays it with my.tradePay), alipay.trade.query, alipay.trade.refund — AJ =
 * alipay/alipay-sdk-java-all v2/src/main/java/com/alipay/api/domain/AlipayTradeCreateModel.java,
 * AlipayTradeQueryModel.java, AlipayTradeRefundModel.java (refund: out_request_no keeps a retry to
 * one refund, wechat-alipay-channels.md §2.5). Amounts are yuan strings.
 */
import { fenToYuan } from '@mip/shared';
import { bizError, type AlipayCtx, type MethodCall, type MethodResult } from './context';
import { chinaNow, digits } from './crypto';
import { fen } from './methods-trade';
import type { Trade } from './state';
import { isRefusal, userFromRequest } from './users';

const invalid = (msg: string) => bizError('INVALID_PARAMETER', msg, '40002');

export function plainCreate(w: AlipayCtx, c: MethodCall): MethodResult {
  const b = c.biz;
  const total = fen(b.total_amount);
  if (!total || total <= 0) return invalid('total_amount 须为大于 0 的元金额');
  if (typeof b.out_trade_no !== 'string' || !b.out_trade_no || typeof b.subject !== 'string' || !b.subject) return invalid('out_trade_no / subject 不能为空');
  if (b.product_code !== undefined && b.product_code !== 'JSAPI_PAY') return invalid(`product_code 取值非法: ${String(b.product_code)}`);
  // a plain trade carries no insurance field: 医保 goes through createandpay
  const medical = ['pay_order_id', 'pay_auth_no', 'gov_amount', 'account_amount', 'med_org_ord'].filter((k) => b[k] !== undefined);
  if (medical.length) return invalid(`不支持的参数 ${medical.join(',')}`);
  const who = userFromRequest(w, b, { userId: 'buyer_id', openId: 'buyer_open_id' });
  if (isRefusal(who)) return who;
  const existing = w.state.trades.get(b.out_trade_no);
  if (existing) {
    if (!existing.plain || existing.totalFen !== total || existing.status !== 'WAIT_BUYER_PAY') return bizError('ACQ.TRADE_HAS_SUCCESS', '交易已存在或已支付');
    return { ok: true, body: { trade_no: existing.trade_no, out_trade_no: existing.out_trade_no } };
  }
  const day = chinaNow().slice(0, 10).replaceAll('-', '');
  const t: Trade = {
    trade_no: `${day}22001${digits(17)}`,
    out_trade_no: b.out_trade_no,
    med_org_ord: '',
    pay_order_id: '',
    pay_auth_no: '',
    user_id: who.userId,
    subject: b.subject,
    order_type: 'JSAPI_PAY',
    medical_card_id: '',
    industry: '',
    insurance_pay_scene: '',
    store: { store_id: '' },
    totalFen: total,
    govFen: 0,
    accountFen: 0,
    otherFen: 0,
    realFen: total,
    result_notify_url: c.params.notify_url ?? '',
    status: 'WAIT_BUYER_PAY',
    medical_pay_status: 'NONE',
    own_pay_status: 'INIT',
    created: chinaNow(),
    refunds: [],
    plain: true,
  };
  t.alipay_trade_no = t.trade_no;
  w.state.trades.set(t.out_trade_no, t);
  w.state.tradesByNo.set(t.trade_no, t.out_trade_no);
  return { ok: true, body: { trade_no: t.trade_no, out_trade_no: t.out_trade_no } };
}

/** alipay.trade.query / the plain trade's notification fields */
export function plainView(t: Trade): Record<string, string> {
  const paid = t.status === 'TRADE_SUCCESS' || t.refunds.length > 0;
  return {
    trade_no: t.trade_no,
    out_trade_no: t.out_trade_no,
    buyer_user_id: t.user_id,
    trade_status: t.status,
    total_amount: fenToYuan(t.totalFen),
    ...(paid ? { buyer_pay_amount: fenToYuan(t.realFen), receipt_amount: fenToYuan(t.realFen), send_pay_date: t.paid ?? '' } : {}),
  };
}

function plainTrade(w: AlipayCtx, c: MethodCall): Trade | undefined {
  const t = w.state.trade(c.biz.out_trade_no as string | undefined, c.biz.trade_no as string | undefined);
  return t?.plain ? t : undefined;
}

export function plainQuery(w: AlipayCtx, c: MethodCall): MethodResult {
  const t = plainTrade(w, c);
  if (!t) return bizError('ACQ.TRADE_NOT_EXIST', '交易不存在');
  return { ok: true, body: plainView(t) };
}

export function plainRefund(w: AlipayCtx, c: MethodCall): MethodResult {
  const t = plainTrade(w, c);
  if (!t) return bizError('ACQ.TRADE_NOT_EXIST', '交易不存在');
  const amount = fen(c.biz.refund_amount);
  const no = String(c.biz.out_request_no ?? '');
  if (!amount || amount <= 0 || !no) return invalid('refund_amount / out_request_no 有误');
  const seen = t.refunds.find((r) => r.refund_request_no === no);
  const done = t.refunds.reduce((s, r) => s + r.amountFen, 0);
  if (!seen) {
    if (t.own_pay_status !== 'SUCCESS') return bizError('ACQ.TRADE_STATUS_ERROR', '交易状态不允许退款');
    if (done + amount > t.realFen) return bizError('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超过可退金额');
    t.refunds.push({ refund_request_no: no, amountFen: amount, reason: c.biz.refund_reason as string | undefined, time: chinaNow() });
  } else if (seen.amountFen !== amount) return bizError('ACQ.REFUND_REQUEST_NO_DUPLICATE', '退款请求号已存在且金额不一致');
  const r = seen ?? t.refunds.at(-1)!;
  // fund_change Y: money moved by this request (N on a repeat, AJ AlipayTradeRefundResponse.java)
  return { ok: true, body: { trade_no: t.trade_no, out_trade_no: t.out_trade_no, refund_fee: fenToYuan(done + (seen ? 0 : amount)), fund_change: seen ? 'N' : 'Y', gmt_refund_pay: r.time } };
}
