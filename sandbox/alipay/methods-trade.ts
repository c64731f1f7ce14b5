import { fenToYuan, MoneyFormatError, yuanToFen } from '@mip/shared';
import { bizError, type AlipayCtx, type MethodCall, type MethodResult } from './context';
import { chinaNow, digits } from './crypto';
import { checkCreateAndPay } from './createandpay-rules';
import type { Trade } from './state';

const YUAN = /^\d{1,10}(\.\d{1,2})?$/;

export function fen(v: unknown): number | undefined {
  if (typeof v !== 'string' || !YUAN.test(v)) return undefined;
  try {
    return yuanToFen(v);
  } catch (e) {
    if (e instanceof MoneyFormatError) return undefined;
    throw e;
  }
}

/** Alipay's amount fields (yuan) and the trade's parts (fen) they show: total = gov + account + other + real. */
const AMOUNT_FIELDS = { total_amount: 'totalFen', gov_amount: 'govFen', account_amount: 'accountFen', other_amount: 'otherFen', real_amount: 'realFen' } as const;

/** The trade's statuses and its amounts in yuan, which the query answer and the notification both carry. */
export function statusAndAmounts(t: Trade): Record<string, string> {
  const amounts = Object.entries(AMOUNT_FIELDS).map(([field, key]) => [field, fenToYuan(t[key])]);
  return { trade_status: t.status, medical_pay_status: t.medical_pay_status, own_pay_status: t.own_pay_status, ...Object.fromEntries(amounts) };
}

export function tradeView(t: Trade): Record<string, unknown> {
  const refunded = t.refunds.reduce((s, r) => s + r.amountFen, 0);
  return {
    trade_no: t.trade_no,
    out_trade_no: t.out_trade_no,
    alipay_trade_no: t.alipay_trade_no,
    med_org_ord: t.med_org_ord,
    pay_order_id: t.pay_order_id,
    order_type: t.order_type,
    chrg_bch_no: t.chrg_bch_no,
    ...t.store,
    ...statusAndAmounts(t),
    refund_amount: fenToYuan(refunded),
    gmt_create: t.created,
    gmt_medical_paid: t.medical_pay_status === 'SUCCESS' ? t.paid : undefined,
    gmt_own_paid: t.own_pay_status === 'SUCCESS' || t.own_pay_status === 'REFUND' ? t.paid : undefined,
    gmt_refund: t.refunds.at(-1)?.time,
    error_reason: t.fail_reason,
  };
}

/** alipay.commerce.medical.trade.createandpay: the model's fields (createandpay-rules.ts), amounts in yuan, total = gov + account + other + real. */
export function createAndPay(w: AlipayCtx, c: MethodCall): MethodResult {
  const b = c.biz;
  const checked = checkCreateAndPay(w, b);
  if ('ok' in checked) return checked;
  const [total, gov, account, other, real] = ['total_amount', 'gov_amount', 'account_amount', 'other_amount', 'real_amount'].map((k) => fen(b[k]));
  if ([total, gov, account, other, real].some((v) => v === undefined)) return bizError('INVALID_PARAMETER', '金额须为最多两位小数的元金额字符串', '40002');
  if (total !== gov! + account! + other! + real!) return bizError('TOTAL_AMOUNT_NOT_MATCH', `total_amount(${b.total_amount}) 不等于 统筹+个账+其他+自费`);
  if (gov! + account! + other! === 0 && real === 0) return bizError('INVALID_PARAMETER', '订单金额不能为 0', '40002');
  const existing = w.state.trades.get(String(b.out_trade_no));
  if (existing) {
    const same = existing.totalFen === total && existing.realFen === real && existing.pay_order_id === b.pay_order_id && existing.status === 'WAIT_BUYER_PAY' && existing.user_id === checked.userId;
    if (!same) return bizError('ORDER_EXISTED', '商户订单号已存在');
    return { ok: true, body: created(existing, c.origin) };
  }
  const day = chinaNow().slice(0, 10).replaceAll('-', '');
  const t: Trade = {
    trade_no: `${day}30${digits(18)}`,
    alipay_trade_no: real! > 0 ? `${day}22001${digits(17)}` : undefined,
    out_trade_no: String(b.out_trade_no),
    med_org_ord: String(b.med_org_ord),
    pay_order_id: String(b.pay_order_id),
    pay_auth_no: String(b.pay_auth_no),
    user_id: checked.userId,
    subject: String(b.subject),
    order_type: String(b.order_type),
    chrg_bch_no: typeof b.chrg_bch_no === 'string' ? b.chrg_bch_no : undefined,
    medical_card_id: checked.medicalCardId,
    industry: String(b.industry),
    insurance_pay_scene: String(b.insurance_pay_scene),
    store: b.shop_id ? { shop_id: String(b.shop_id) } : { store_id: String(b.store_id) },
    totalFen: total!,
    govFen: gov!,
    accountFen: account!,
    otherFen: other!,
    realFen: real!,
    result_notify_url: String(b.result_notify_url),
    status: 'WAIT_BUYER_PAY',
    medical_pay_status: gov! + account! + other! > 0 ? 'INIT' : 'NONE',
    own_pay_status: real! > 0 ? 'INIT' : 'NONE',
    created: chinaNow(),
    refunds: [],
  };
  w.state.trades.set(t.out_trade_no, t);
  w.state.tradesByNo.set(t.trade_no, t.out_trade_no);
  return { ok: true, body: created(t, c.origin) };
}

function created(t: Trade, origin: string): Record<string, unknown> {
  return {
    trade_no: t.trade_no,
    out_trade_no: t.out_trade_no,
    alipay_trade_no: t.alipay_trade_no,
    chrg_bch_no: t.chrg_bch_no,
    pay_url: `${origin}/sandbox/cashier?trade_no=${t.trade_no}`,
    pay_order_id: t.pay_order_id,
    med_org_ord: t.med_org_ord,
    order_type: t.order_type,
    rels_pay_flag: '0',
  };
}

export function tradeQuery(w: AlipayCtx, c: MethodCall): MethodResult {
  const t = w.state.trade(c.biz.out_trade_no as string | undefined, c.biz.trade_no as string | undefined);
  if (!t) return bizError('ACQ.TRADE_NOT_EXIST', '交易不存在');
  return { ok: true, body: tradeView(t) };
}

/** alipay.commerce.medical.trade.refund: the self-pay part; refund_request_no makes a retry refund once. */
export function tradeRefund(w: AlipayCtx, c: MethodCall): MethodResult {
  const t = w.state.trade(c.biz.out_trade_no as string | undefined, c.biz.trade_no as string | undefined);
  if (!t) return bizError('ACQ.TRADE_NOT_EXIST', '交易不存在');
  const amount = fen(c.biz.refund_amount);
  const no = String(c.biz.refund_request_no ?? '');
  if (!amount || amount <= 0 || !no) return bizError('INVALID_PARAMETER', 'refund_amount / refund_request_no 有误', '40002');
  const seen = t.refunds.find((r) => r.refund_request_no === no);
  if (seen) {
    if (seen.amountFen !== amount) return bizError('ACQ.REFUND_REQUEST_NO_DUPLICATE', '退款请求号已存在且金额不一致');
    return { ok: true, body: refundBody(t, seen) };
  }
  // the self-pay leg decides: a closed trade whose cash was taken is refundable too
  if (t.own_pay_status !== 'SUCCESS' || t.realFen === 0) return bizError('ACQ.TRADE_STATUS_ERROR', '交易状态不允许退款（自费未支付或无自费部分）');
  const done = t.refunds.reduce((s, r) => s + r.amountFen, 0);
  if (done + amount > t.realFen) return bizError('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超过自费可退金额');
  const r = { refund_request_no: no, amountFen: amount, reason: c.biz.refund_reason as string | undefined, time: chinaNow() };
  t.refunds.push(r);
  if (done + amount === t.realFen) t.own_pay_status = 'REFUND';
  return { ok: true, body: refundBody(t, r) };
}

function refundBody(t: Trade, r: { refund_request_no: string; amountFen: number; time: string }): Record<string, unknown> {
  return {
    trade_no: t.trade_no,
    out_trade_no: t.out_trade_no,
    alipay_trade_no: t.alipay_trade_no,
    refund_request_no: r.refund_request_no,
    refund_amount: fenToYuan(r.amountFen),
    refund_status: 'SUCCESS',
    refund_time: r.time,
  };
}
