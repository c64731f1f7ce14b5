import { assertSplit, type Fen } from '@mip/shared';
import type { ChannelPaymentStatus, CreatePaymentInput } from '../port';
import { rfc3339China } from '../time';

export type MixPayType = 'CASH_ONLY' | 'INSURANCE_ONLY' | 'CASH_AND_INSURANCE';

/** The mixed order as WeChat Pay returns it (create, both queries, the decrypted callback). */
export interface MedInsOrderEntity {
  mix_trade_no: string;
  mix_pay_status: string;
  self_pay_status?: string;
  med_ins_pay_status?: string;
  paid_time?: string;
  out_trade_no: string;
  mix_pay_type?: MixPayType;
  total_fee?: number;
  med_ins_gov_fee?: number;
  med_ins_self_fee?: number;
  med_ins_other_fee?: number;
  med_ins_cash_fee?: number;
  wechat_pay_cash_fee?: number;
  pay_order_id?: string;
  passthrough_response_content?: string;
  med_ins_fail_reason?: string;
}

export function mixPayType(a: CreatePaymentInput['amounts']): MixPayType {
  const insurance = a.fundFen + a.acctFen;
  if (a.cashFen > 0 && insurance > 0) return 'CASH_AND_INSURANCE';
  if (a.cashFen > 0) return 'CASH_ONLY';
  return 'INSURANCE_ONLY';
}

export interface MedInsOrderContext {
  appId: string;
  cityId: string;
  medInstName: string;
  medInstNo: string;
  medInsTestEnv: boolean;
  geoLocation?: string;
  prepayId?: string;
  /** payer.name / payer.id_digest already encrypted */
  encryptedName: string;
  encryptedIdDigest: string;
}

/**
 * Builds the POST /v3/med-ins/orders body. Amounts in fen, no cash add/reduce lines:
 *   total_fee = gov + self + other + med_ins_cash_fee,  wechat_pay_cash_fee = med_ins_cash_fee
 */
export function medInsOrderBody(q: CreatePaymentInput, c: MedInsOrderContext): Record<string, unknown> {
  const a = assertSplit({ ...q.amounts });
  const type = mixPayType(a);
  if (type !== 'INSURANCE_ONLY' && !c.prepayId) throw new Error('a self-pay part needs a JSAPI prepay_id');
  if (q.notifyUrl.includes('?')) throw new Error('callback_url must not carry a query string');
  const body: Record<string, unknown> = {
    mix_pay_type: type,
    order_type: q.kind === 'registration' ? 'REG_PAY' : 'DIAG_PAY',
    appid: c.appId,
    openid: q.openId,
    payer: { name: c.encryptedName, id_digest: c.encryptedIdDigest, card_type: 'ID_CARD' },
    pay_for_relatives: false,
    out_trade_no: q.orderNo,
    serial_no: q.orderNo,
    city_id: c.cityId,
    med_inst_name: c.medInstName,
    med_inst_no: c.medInstNo,
    total_fee: a.totalFen,
    med_ins_gov_fee: a.fundFen,
    med_ins_self_fee: a.acctFen,
    med_ins_other_fee: 0,
    med_ins_cash_fee: a.cashFen,
    wechat_pay_cash_fee: a.cashFen,
    callback_url: q.notifyUrl,
    med_ins_test_env: c.medInsTestEnv,
  };
  if (type !== 'INSURANCE_ONLY') body.prepay_id = c.prepayId;
  if (type !== 'CASH_ONLY') {
    if (!c.geoLocation) throw new Error('geo_location is required for an insurance payment');
    body.pay_order_id = q.payOrdId;
    body.pay_auth_no = q.payAuthNo;
    body.geo_location = c.geoLocation;
    body.med_ins_order_create_time = rfc3339China(q.createdAt);
    body.passthrough_request_content = JSON.stringify({ payAuthNo: q.payAuthNo, payOrdId: q.payOrdId, setlLatlnt: c.geoLocation });
  }
  return body;
}

const STATUS: Record<string, ChannelPaymentStatus['status']> = {
  MIX_PAY_SUCCESS: 'paid',
  MIX_PAY_CREATED: 'pending',
  MIX_PAY_FAIL: 'failed',
  MIX_PAY_REFUND: 'refunded',
};

export function mapMixStatus(s: string | undefined): ChannelPaymentStatus['status'] {
  return (s && STATUS[s]) || 'unknown';
}

export function toPaymentStatus(o: MedInsOrderEntity): ChannelPaymentStatus {
  const status = mapMixStatus(o.mix_pay_status);
  const insurance = sumOf(o.med_ins_gov_fee, o.med_ins_self_fee, o.med_ins_other_fee);
  return {
    status,
    channelRef: o.mix_trade_no,
    outTradeNo: o.out_trade_no,
    cashPaidFen: status === 'paid' || status === 'refunded' ? o.wechat_pay_cash_fee : undefined,
    insurancePaidFen: status === 'paid' || status === 'refunded' ? insurance : undefined,
    paidAt: o.paid_time,
    raw: {
      mix_pay_status: o.mix_pay_status,
      self_pay_status: o.self_pay_status,
      med_ins_pay_status: o.med_ins_pay_status,
      med_ins_fail_reason: o.med_ins_fail_reason,
      passthrough_response_content: o.passthrough_response_content,
    },
  };
}

function sumOf(...parts: (number | undefined)[]): Fen | undefined {
  if (parts.every((p) => p === undefined)) return undefined;
  return parts.reduce<number>((s, p) => s + (p ?? 0), 0);
}

/** Same order as ours? (used when WeChat says the out_trade_no already exists) */
export function sameOrder(o: MedInsOrderEntity, q: CreatePaymentInput): boolean {
  const a = q.amounts;
  const sameInsuranceOrder = mixPayType(a) === 'CASH_ONLY' || o.pay_order_id === q.payOrdId;
  return sameInsuranceOrder && o.total_fee === a.totalFen && o.med_ins_gov_fee === a.fundFen && o.med_ins_self_fee === a.acctFen && o.wechat_pay_cash_fee === a.cashFen;
}
