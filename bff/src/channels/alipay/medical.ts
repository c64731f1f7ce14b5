import { assertSplit, fenToYuan, yuanToFen } from '@mip/shared';
import type { AlipayConfig } from '../../config/channels';
import type { ChannelNotification, ChannelPaymentStatus, CreatePaymentInput } from '../port';
import { chinaPlainToIso, plainChina } from '../time';

type Rec = Record<string, unknown>;

/** alipay.commerce.medical.trade.createandpay biz_content; amounts are yuan strings. */
export function createAndPayBiz(q: CreatePaymentInput, cfg: AlipayConfig): Record<string, unknown> {
  const a = assertSplit({ ...q.amounts });
  const biz: Record<string, unknown> = {
    out_trade_no: q.orderNo,
    med_org_ord: q.orderNo,
    pay_order_id: q.payOrdId,
    pay_auth_no: q.payAuthNo,
    org_no: cfg.orgNo,
    org_name: cfg.orgName,
    order_type: q.kind === 'registration' ? 'REG_PAY' : 'DIAG_PAY',
    subject: q.title.slice(0, 128),
    total_amount: fenToYuan(a.totalFen),
    gov_amount: fenToYuan(a.fundFen),
    account_amount: fenToYuan(a.acctFen),
    other_amount: fenToYuan(0),
    real_amount: fenToYuan(a.cashFen),
    result_notify_url: q.notifyUrl,
    gmt_out_create: plainChina(q.createdAt),
    gmt_time_expire: plainChina(q.expiresAt),
    alipay_user_id: q.openId,
    request_content: JSON.stringify({ payAuthNo: q.payAuthNo, payOrdId: q.payOrdId, ...(q.location ? { setlLatlnt: q.location } : {}) }),
    extend_params: { medical_card_inst_id: 'NATHSA' },
  };
  if (cfg.payCallUrl) biz.callback_url = cfg.payCallUrl;
  return biz;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function fen(v: unknown): number | undefined {
  return typeof v === 'string' || typeof v === 'number' ? yuanToFen(v) : undefined;
}

/** trade_status → our status. TRADE_CLOSED after a refund reads as refunded. */
export function mapTradeStatus(tradeStatus: string | undefined, refundAmount?: unknown): ChannelPaymentStatus['status'] {
  switch (tradeStatus) {
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      return 'paid';
    case 'WAIT_BUYER_PAY':
      return 'pending';
    case 'TRADE_CLOSED':
      return (fen(refundAmount) ?? 0) > 0 ? 'refunded' : 'failed';
    default:
      return 'unknown';
  }
}

export function toPaymentStatus(r: Rec, fallback: { outTradeNo: string; channelRef: string }): ChannelPaymentStatus {
  const status = mapTradeStatus(str(r.trade_status), r.refund_amount);
  const settled = status === 'paid' || status === 'refunded';
  const insurance = (fen(r.gov_amount) ?? 0) + (fen(r.account_amount) ?? 0) + (fen(r.other_amount) ?? 0);
  const paidAt = str(r.gmt_own_paid) ?? str(r.gmt_medical_paid) ?? str(r.gmt_payment);
  return {
    status,
    channelRef: str(r.trade_no) ?? fallback.channelRef,
    outTradeNo: str(r.out_trade_no) ?? fallback.outTradeNo,
    cashPaidFen: settled ? fen(r.real_amount) : undefined,
    insurancePaidFen: settled ? insurance : undefined,
    paidAt: paidAt ? chinaPlainToIso(paidAt) : undefined,
    cashTradeNo: str(r.alipay_trade_no),
    raw: {
      trade_status: str(r.trade_status),
      medical_pay_status: str(r.medical_pay_status),
      own_pay_status: str(r.own_pay_status),
      refund_amount: str(r.refund_amount),
    },
  };
}

/** A verified async notification's fields → ChannelNotification. */
export function toNotification(p: Record<string, string>): ChannelNotification {
  const refundNo = p.refund_request_no || p.out_request_no;
  if (refundNo) {
    return {
      kind: 'refund',
      eventId: p.notify_id,
      outTradeNo: p.out_trade_no,
      channelRef: p.trade_no,
      status: p.refund_status === 'SUCCESS' || p.refund_status === 'REFUND_SUCCESS' ? 'refunded' : 'failed',
      refundNo,
      cashTradeNo: p.alipay_trade_no || undefined,
    };
  }
  const status = mapTradeStatus(p.trade_status, p.refund_amount);
  return {
    kind: 'payment',
    eventId: p.notify_id,
    outTradeNo: p.out_trade_no,
    channelRef: p.trade_no || undefined,
    status,
    cashPaidFen: p.real_amount ? yuanToFen(p.real_amount) : undefined,
    totalFen: p.total_amount ? yuanToFen(p.total_amount) : undefined,
    paidAt: p.gmt_payment ? chinaPlainToIso(p.gmt_payment) : undefined,
    cashTradeNo: p.alipay_trade_no || undefined,
  };
}
