/**
 * 自费 (self-pay) on Alipay: the createandpay model has no self-pay order_type (AJ = alipay/
 * alipay-sdk-java-all v2/src/main/java/com/alipay/api/domain/AlipayCommerceMedicalTradeCreateandpayModel.java:
 * order_type "订单类型" with pay_order_id / pay_auth_no for the centre's order), and
 * wechat-alipay-channels.md §2.3 describes it as "医保+自费". An order that never reached the centre is
 * therefore a plain trade: alipay.trade.create (AJ domain/AlipayTradeCreateModel.java, product_code
 * JSAPI_PAY, buyer_id / buyer_open_id), paid in the mini-program with my.tradePay(tradeNO), queried
 * with alipay.trade.query and refunded with alipay.trade.refund (out_request_no, §2.5 "Refund
 * (self-pay, non-mixed trades)"). Amounts are yuan strings.
 */
import { fenToYuan, yuanToFen } from '@mip/shared';
import type { AlipayConfig } from '../../config/channels';
import { ChannelRejectedError, type ChannelNotification, type ChannelPaymentStatus, type CreatedPayment, type CreatePaymentInput } from '../port';
import { chinaPlainToIso, plainChina } from '../time';

type Rec = Record<string, unknown>;

/** AJ AlipayTradeCreateModel.java: buyer_id (2088…) or buyer_open_id, by the configured mode */
const buyerField = (t: AlipayConfig['userIdType']) => (t === 'user_id' ? 'buyer_id' : 'buyer_open_id');

export function plainTradeBiz(q: CreatePaymentInput, cfg: AlipayConfig): Rec {
  if (q.amounts.fundFen + q.amounts.acctFen + (q.amounts.otherFundFen ?? 0) > 0 || q.amounts.cashFen !== q.amounts.totalFen) {
    throw new Error('a plain Alipay trade is all self-pay');
  }
  return {
    out_trade_no: q.orderNo,
    total_amount: fenToYuan(q.amounts.totalFen),
    subject: q.title.slice(0, 256),
    product_code: 'JSAPI_PAY',
    [buyerField(cfg.userIdType)]: q.openId,
    time_expire: plainChina(q.expiresAt),
  };
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const fen = (v: unknown) => (typeof v === 'string' && v !== '' ? yuanToFen(v) : undefined);

export function toCreatedPlain(r: Rec, q: CreatePaymentInput): CreatedPayment {
  const tradeNo = str(r.trade_no);
  if (!tradeNo) throw new ChannelRejectedError('alipay', 'trade.create', 'BAD_RESPONSE', 'trade_no missing');
  if (str(r.out_trade_no) && r.out_trade_no !== q.orderNo) throw new ChannelRejectedError('alipay', 'trade.create', 'BAD_RESPONSE', `out_trade_no ${String(r.out_trade_no)} is not ${q.orderNo}`);
  return { payParams: { channel: 'alipay', tradeNo }, channelRef: tradeNo, outTradeNo: q.orderNo };
}

/**
 * trade_status (AJ AlipayTradeQueryResponse.java): WAIT_BUYER_PAY, TRADE_SUCCESS / TRADE_FINISHED
 * (paid), TRADE_CLOSED (unpaid and closed, or refunded in full); anything else is unknown.
 */
function plainStatus(f: Rec): ChannelPaymentStatus['status'] {
  switch (f.trade_status) {
    case 'WAIT_BUYER_PAY':
      return 'pending';
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      return 'paid';
    case 'TRADE_CLOSED':
      return (fen(f.refund_fee) ?? 0) > 0 ? 'refunded' : 'failed';
    default:
      return 'unknown';
  }
}

export function toPlainStatus(r: Rec, fallback: { outTradeNo: string; channelRef: string }): ChannelPaymentStatus {
  const status = plainStatus(r);
  const paidAt = str(r.send_pay_date) ?? str(r.gmt_payment);
  return {
    status,
    channelRef: str(r.trade_no) ?? fallback.channelRef,
    outTradeNo: str(r.out_trade_no) ?? fallback.outTradeNo,
    cashPaidFen: status === 'paid' ? fen(r.buyer_pay_amount) ?? fen(r.total_amount) : undefined,
    insurancePaidFen: status === 'paid' ? 0 : undefined,
    paidAt: paidAt ? chinaPlainToIso(paidAt) : undefined,
    cashTradeNo: str(r.trade_no),
    raw: { trade_status: str(r.trade_status) },
  };
}

/** fields only a medical trade's notification carries (createandpay's amounts, order and statuses) */
const MEDICAL_FIELDS = ['pay_order_id', 'med_org_ord', 'medical_pay_status', 'own_pay_status', 'real_amount', 'gov_amount', 'account_amount', 'other_amount'];

/** A plain trade's notification carries none of the medical trade's fields. */
export function isPlainNotification(p: Record<string, string>): boolean {
  return MEDICAL_FIELDS.every((k) => p[k] === undefined);
}

export function toPlainNotification(p: Record<string, string>): ChannelNotification {
  const s = toPlainStatus(p, { outTradeNo: p.out_trade_no, channelRef: p.trade_no ?? '' });
  return {
    kind: 'payment',
    eventId: p.notify_id,
    outTradeNo: p.out_trade_no,
    channelRef: p.trade_no || undefined,
    status: s.status,
    cashPaidFen: s.cashPaidFen,
    totalFen: fen(p.total_amount),
    paidAt: s.paidAt,
    cashTradeNo: p.trade_no || undefined,
  };
}

/** alipay.trade.refund: fund_change "Y" = the money moved (§2.5); a repeat of the request answers it again. */
export function plainRefundBiz(q: { outTradeNo: string; channelRef: string; refundFen: number; refundNo: string; reason: string }): Rec {
  return { out_trade_no: q.outTradeNo, trade_no: q.channelRef, refund_amount: fenToYuan(q.refundFen), out_request_no: q.refundNo, refund_reason: q.reason.slice(0, 256) };
}
