import { assertSplit, fenToYuan, yuanToFen } from '@mip/shared';
import type { AlipayConfig } from '../../config/channels';
import { ChannelRejectedError, type ChannelNotification, type ChannelPaymentStatus, type CreatedPayment, type CreatePaymentInput } from '../port';
import { chinaPlainToIso, plainChina } from '../time';
import { readRefund, readTrade } from './status';
import { medicalUserField } from './user-field';

type Rec = Record<string, unknown>;

/**
 * alipay.commerce.medical.trade.createandpay biz_content, field by field as AJ models it
 * (alipay/alipay-sdk-java-all v2/src/main/java/com/alipay/api/domain/
 * AlipayCommerceMedicalTradeCreateandpayModel.java + InsurancePayExtendParams.java). Amounts are yuan
 * strings; there is no org_name in the model; the user goes in alipay_user_id or open_id by mode.
 */
export function createAndPayBiz(q: CreatePaymentInput, cfg: AlipayConfig): Rec {
  const a = assertSplit({ ...q.amounts });
  const biz: Rec = {
    out_trade_no: q.orderNo,
    med_org_ord: q.orderNo,
    pay_order_id: q.payOrdId,
    pay_auth_no: q.payAuthNo,
    org_no: cfg.orgNo,
    order_type: cfg.orderType,
    industry: cfg.industry,
    insurance_pay_scene: cfg.insurancePayScene[q.kind],
    subject: q.title.slice(0, 128),
    total_amount: fenToYuan(a.totalFen),
    gov_amount: fenToYuan(a.fundFen),
    account_amount: fenToYuan(a.acctFen),
    other_amount: fenToYuan(0),
    real_amount: fenToYuan(a.cashFen),
    result_notify_url: q.notifyUrl,
    gmt_out_create: plainChina(q.createdAt),
    gmt_time_expire: plainChina(q.expiresAt),
    [medicalUserField(cfg.userIdType)]: q.openId,
    request_content: JSON.stringify({ payAuthNo: q.payAuthNo, payOrdId: q.payOrdId, ...(q.location ? { setlLatlnt: q.location } : {}) }),
    // medical_card_id = 医保电子凭证授权码, medical_card_inst_id NATHSA for the e-voucher (InsurancePayExtendParams.java)
    extend_params: {
      medical_card_inst_id: 'NATHSA',
      ...(q.medicalCardId ? { medical_card_id: q.medicalCardId } : {}),
      ...(cfg.sysServiceProviderId ? { sys_service_provider_id: cfg.sysServiceProviderId } : {}),
    },
  };
  // shop_id 与 store_id 二选一 (the config holds exactly one)
  if (cfg.shopId) biz.shop_id = cfg.shopId;
  else biz.store_id = cfg.storeId;
  // chrg_bch_no: "order_type=INSURANCE_PAY时必填" (AJ response/AlipayCommerceMedicalTradeCreateandpayResponse.java)
  if (q.chrgBchno) biz.chrg_bch_no = q.chrgBchno;
  else if (cfg.orderType === 'INSURANCE_PAY') throw new Error('createandpay: chrg_bch_no (6201 chrgBchno) is required for order_type INSURANCE_PAY');
  if (cfg.chInfo) biz.ch_info = cfg.chInfo;
  if (cfg.payCallUrl) biz.callback_url = cfg.payCallUrl;
  return biz;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function fen(v: unknown): number | undefined {
  return typeof v === 'string' || typeof v === 'number' ? yuanToFen(v) : undefined;
}

/** The createandpay answer as AJ response/AlipayCommerceMedicalTradeCreateandpayResponse.java models it. */
export function toCreatedPayment(r: Rec, q: CreatePaymentInput): CreatedPayment {
  const tradeNo = str(r.trade_no);
  const payUrl = str(r.pay_url);
  const bad = (why: string) => new ChannelRejectedError('alipay', 'trade.createandpay', 'BAD_RESPONSE', why);
  if (!tradeNo || !payUrl) throw bad('trade_no or pay_url missing');
  // echoed identifiers must be ours: a trade for another order is never taken for this one
  if (str(r.out_trade_no) && r.out_trade_no !== q.orderNo) throw bad(`out_trade_no ${String(r.out_trade_no)} is not ${q.orderNo}`);
  if (str(r.pay_order_id) && r.pay_order_id !== q.payOrdId) throw bad(`pay_order_id ${String(r.pay_order_id)} is not ${q.payOrdId}`);
  if (str(r.med_org_ord) && r.med_org_ord !== q.orderNo) throw bad(`med_org_ord ${String(r.med_org_ord)} is not ${q.orderNo}`);
  return { payParams: { channel: 'alipay', payUrl, tradeNo }, channelRef: tradeNo, outTradeNo: q.orderNo };
}

/** alipay.commerce.medical.trade.query answer (AJ response/AlipayCommerceMedicalTradeQueryResponse.java). */
export function toPaymentStatus(r: Rec, cfg: AlipayConfig, fallback: { outTradeNo: string; channelRef: string }): ChannelPaymentStatus {
  const { status, legs } = readTrade(cfg.statusMap, r);
  const settled = status === 'paid' || status === 'refunded';
  const insurance = (fen(r.gov_amount) ?? 0) + (fen(r.account_amount) ?? 0) + (fen(r.other_amount) ?? 0);
  const paidAt = str(r.gmt_own_paid) ?? str(r.gmt_medical_paid);
  return {
    status,
    channelRef: str(r.trade_no) ?? fallback.channelRef,
    outTradeNo: str(r.out_trade_no) ?? fallback.outTradeNo,
    cashPaidFen: settled ? fen(r.real_amount) : undefined,
    insurancePaidFen: settled ? insurance : undefined,
    paidAt: paidAt ? chinaPlainToIso(paidAt) : undefined,
    cashTradeNo: str(r.alipay_trade_no),
    legs,
    raw: {
      trade_status: str(r.trade_status),
      medical_pay_status: str(r.medical_pay_status),
      medical_pay_msg: str(r.medical_pay_msg),
      own_pay_status: str(r.own_pay_status),
      own_pay_msg: str(r.own_pay_msg),
      refund_amount: str(r.refund_amount),
    },
  };
}

/**
 * A verified async notification → ChannelNotification. No public sample of the medical
 * result_notify_url payload exists (wechat-alipay-channels.md §2.3): the fields are read with the
 * query's names and the same status maps.
 */
export function toNotification(p: Record<string, string>, cfg: AlipayConfig): ChannelNotification {
  const refundNo = p.refund_request_no || p.out_request_no;
  if (refundNo) {
    const r = readRefund(cfg.statusMap, p.refund_status);
    return {
      kind: 'refund',
      eventId: p.notify_id,
      outTradeNo: p.out_trade_no,
      channelRef: p.trade_no,
      status: r === 'succeeded' ? 'refunded' : r === 'failed' ? 'failed' : 'unknown',
      refundNo,
      cashTradeNo: p.alipay_trade_no || undefined,
    };
  }
  const { status, legs } = readTrade(cfg.statusMap, p);
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
    legs,
  };
}
