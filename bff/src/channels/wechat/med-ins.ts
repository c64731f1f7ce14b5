/**
 * The POST /v3/med-ins/orders body, one assembler per mix_pay_type (wechatpay-skills 排障手册
 * 268529474/268529475 "把按 mix_pay_type 装配请求体封装成 3 个独立函数"), and the order's three
 * statuses read together.
 */
import type { Fen } from '@mip/shared';
import type { CreatePaymentInput } from '../port';
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

/**
 * Every order that went through 6201/6202 is mixed, even when the pre-settlement came out all
 * self-pay ("如果医保预结算全部需自费，也属于混合类型", WeChat API doc 4016781466; public-rules item 12):
 * a CASH_ONLY order never tells the bureau to settle, so the centre order would stay pre-settled
 * with the cash taken. CASH_ONLY is only for orders that never reached the centre.
 */
export function mixPayType(q: Pick<CreatePaymentInput, 'amounts' | 'cashOnly'>): MixPayType {
  if (q.cashOnly) return 'CASH_ONLY';
  return q.amounts.cashFen > 0 ? 'CASH_AND_INSURANCE' : 'INSURANCE_ONLY';
}

export interface PassthroughConfig {
  repeatAuthFields: boolean;
  extra: Record<string, string>;
}

export interface MedInsOrderContext {
  appId: string;
  cityId: string;
  medInstName: string;
  medInstNo: string;
  medInsTestEnv: boolean;
  geoLocation?: string;
  prepayId?: string;
  passthrough: PassthroughConfig;
  /** RSA-OAEP with the WeChat Pay public key (sensitive.ts) */
  encrypt(plain: string): string;
  /** MD5 of the upper-cased 18-digit ID number (sensitive.ts idDigest) */
  digest(idNo: string): string;
}

/** wechatpay-skills 排障手册 §2.6 Q12: passthrough_request_content 最长 2048 字节 */
export const PASSTHROUGH_MAX_BYTES = 2048;

type Body = Record<string, unknown>;

/**
 * Local check of both amount formulas before anything is sent (wechatpay-skills 接入质量检查 #4, #5;
 * 开发参数与业务规则 §四). The only reduction we send is the hospital-borne part of the centre's
 * self-pay (6202 hospPartAmt, SYN Trade6202OutData) as cash_reduce_detail HOSPITAL_REDUCE, so
 *   med_ins_cash_fee = cash + hospital,  wechat_pay_cash_fee = cash,
 *   total_fee = gov + self + other + wechat_pay_cash_fee + hospital.
 */
export function checkedAmounts(a: CreatePaymentInput['amounts']): { total: Fen; gov: Fen; self: Fen; other: Fen; cash: Fen; hospital: Fen } {
  const parts = { total: a.totalFen, gov: a.fundFen, self: a.acctFen, other: a.otherFundFen ?? 0, cash: a.cashFen, hospital: a.hospitalFen ?? 0 };
  for (const [k, v] of Object.entries(parts)) {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${k} must be a non-negative integer number of fen`);
  }
  if (parts.total !== parts.gov + parts.self + parts.other + parts.cash + parts.hospital) {
    throw new Error(`total_fee ${parts.total} ≠ gov ${parts.gov} + self ${parts.self} + other ${parts.other} + cash ${parts.cash} + hospital ${parts.hospital}`);
  }
  return parts;
}

function common(q: CreatePaymentInput, c: MedInsOrderContext, type: MixPayType, total: Fen): Body {
  // wechatpay-skills 接入质量检查 #13: callback_url is https, without query, trimmed (start-up checks the base)
  if (q.notifyUrl !== q.notifyUrl.trim() || /[?#]/.test(q.notifyUrl)) throw new Error('callback_url must be trimmed and carry no query string');
  const body: Body = {
    mix_pay_type: type,
    order_type: q.kind === 'registration' ? 'REG_PAY' : 'DIAG_PAY',
    appid: c.appId,
    openid: q.openId,
    // 接入质量检查 #1, #2: name and MD5 digest encrypted with the WeChat Pay public key
    payer: { name: c.encrypt(q.payer.name), id_digest: c.encrypt(c.digest(q.payer.idNo)), card_type: 'ID_CARD' },
    pay_for_relatives: q.relative !== undefined,
    out_trade_no: q.orderNo,
    // 接入质量检查 #22: serial_no = the 6201 medOrgOrd, which is our order number
    serial_no: q.orderNo,
    city_id: c.cityId,
    med_inst_name: c.medInstName,
    med_inst_no: c.medInstNo,
    total_fee: total,
    callback_url: q.notifyUrl,
  };
  // 亲情付 (开发参数与业务规则 §五, 接入质量检查 #17): the patient, encrypted, with all three fields
  if (q.relative) body.relative = { name: c.encrypt(q.relative.name), id_digest: c.encrypt(c.digest(q.relative.idNo)), card_type: 'ID_CARD' };
  return body;
}

/** pay_order_id, pay_auth_no, geo_location, med_ins_order_create_time, the four med_ins_* fees, test env, passthrough */
function insuranceFields(q: CreatePaymentInput, c: MedInsOrderContext, m: ReturnType<typeof checkedAmounts>): Body {
  if (!c.geoLocation) throw new Error('geo_location is required for an insurance payment (configure hospitalGeoLocation)');
  const body: Body = {
    pay_order_id: q.payOrdId,
    pay_auth_no: q.payAuthNo,
    geo_location: c.geoLocation,
    // 排障手册 268510610: the centre order's time, RFC 3339 with +08:00 (接入质量检查 #20)
    med_ins_order_create_time: rfc3339China(q.createdAt),
    med_ins_gov_fee: m.gov,
    med_ins_self_fee: m.self,
    med_ins_other_fee: m.other,
    med_ins_cash_fee: m.cash + m.hospital,
    // the hospital bears this part of the centre's self-pay: never charged to the patient (public-rules item 4)
    ...(m.hospital > 0 ? { cash_reduce_detail: [{ cash_reduce_fee: m.hospital, cash_reduce_type: 'HOSPITAL_REDUCE' }] } : {}),
    // 接入质量检查 #27: false in production (loadConfig refuses true)
    med_ins_test_env: c.medInsTestEnv,
  };
  const passthrough = passthroughContent(q, c);
  if (passthrough) body.passthrough_request_content = passthrough;
  return body;
}

export function passthroughContent(q: Pick<CreatePaymentInput, 'payAuthNo' | 'payOrdId'>, c: Pick<MedInsOrderContext, 'passthrough' | 'geoLocation'>): string | undefined {
  const p = c.passthrough;
  const content = { ...p.extra, ...(p.repeatAuthFields ? { payAuthNo: q.payAuthNo, payOrdId: q.payOrdId, setlLatlnt: c.geoLocation } : {}) };
  if (!Object.keys(content).length) return undefined;
  const text = JSON.stringify(content);
  if (Buffer.byteLength(text, 'utf8') > PASSTHROUGH_MAX_BYTES) throw new Error(`passthrough_request_content exceeds ${PASSTHROUGH_MAX_BYTES} bytes`);
  return text;
}

/**
 * Field sets per mix_pay_type (开发参数与业务规则 §四, 排障手册 §2.6 Q4, 接入质量检查 #6):
 * - CASH_ONLY: wechat_pay_cash_fee > 0 + prepay_id; no pay_order_id / pay_auth_no / geo_location /
 *   med_ins_* at all. (开发参数 §四 only asks the four insurance fees to sum to 0; 排障手册 Q4 and
 *   质量检查 #6 forbid med_ins_*: leaving them out satisfies both.)
 * - INSURANCE_ONLY: no prepay_id and no wechat_pay_cash_fee (质量检查 #6 "误传 wechat_pay_cash_fee";
 *   开发参数 §四 "必须为 0" — absent satisfies both); every insurance field.
 * - CASH_AND_INSURANCE: everything (each med_ins_* fee may be 0, e.g. an all-self-pay pre-settlement).
 */
export function medInsOrderBody(q: CreatePaymentInput, c: MedInsOrderContext): Body {
  const type = mixPayType(q);
  const m = checkedAmounts(q.amounts);
  if (type !== 'INSURANCE_ONLY' && !c.prepayId) throw new Error('a self-pay part needs a JSAPI prepay_id');
  switch (type) {
    case 'CASH_ONLY':
      if (m.cash <= 0 || m.gov + m.self + m.other > 0) throw new Error('CASH_ONLY needs a self-pay amount and no insurance part');
      return { ...common(q, c, type, m.total), wechat_pay_cash_fee: m.cash, prepay_id: c.prepayId };
    case 'INSURANCE_ONLY':
      return { ...common(q, c, type, m.total), ...insuranceFields(q, c, m) };
    case 'CASH_AND_INSURANCE':
      return { ...common(q, c, type, m.total), ...insuranceFields(q, c, m), wechat_pay_cash_fee: m.cash, prepay_id: c.prepayId };
  }
}

/** Same order as ours? (used when WeChat says the out_trade_no already exists; 排障手册 268512536 ①) */
export function sameOrder(o: MedInsOrderEntity, q: CreatePaymentInput): boolean {
  const type = mixPayType(q);
  const a = q.amounts;
  if (o.mix_pay_type !== undefined && o.mix_pay_type !== type) return false;
  if (o.total_fee !== a.totalFen || (o.wechat_pay_cash_fee ?? 0) !== a.cashFen) return false;
  if (type === 'CASH_ONLY') return true;
  return o.pay_order_id === q.payOrdId && o.med_ins_gov_fee === a.fundFen && o.med_ins_self_fee === a.acctFen && (o.med_ins_other_fee ?? 0) === (a.otherFundFen ?? 0);
}
