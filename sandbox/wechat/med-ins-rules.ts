import type { WechatCtx } from './context';
import { md5IdDigest } from './crypto';

export interface RuleError {
  status: number;
  code: string;
  message: string;
}

const ORDER_TYPES = new Set(['REG_PAY', 'DIAG_PAY', 'IN_HOSP_PAY', 'PHARMACY_PAY', 'INSURANCE_PAY', 'INT_REG_PAY', 'INT_RE_DIAG_PAY', 'INT_RX_PAY', 'MED_PAY', 'COVID_EXAM_PAY', 'COVID_ANTIGEN_PAY']);
const INSURANCE_FIELDS = ['pay_order_id', 'pay_auth_no', 'geo_location', 'med_ins_order_create_time'] as const;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;

const err = (code: string, message: string, status = 400): RuleError => ({ status, code, message });
const isFen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

type Body = Record<string, unknown>;

function sum(list: unknown, field: string): number {
  if (!Array.isArray(list)) return 0;
  return list.reduce<number>((s, x) => s + Number((x as Record<string, unknown>)[field] ?? 0), 0);
}

/**
 * The checks WeChat Pay applies to POST /v3/med-ins/orders (field presence per mix_pay_type, the
 * amount formulas in fen, the e-voucher and the encrypted payer), with its error codes.
 */
export function checkMedInsOrder(w: WechatCtx, b: Body, serialHeader: string | undefined): RuleError | undefined {
  const { cfg, state, side } = w;
  if (serialHeader !== cfg.wechatpayPublicKeyId) return err('PARAM_ERROR', `Wechatpay-Serial ${serialHeader ?? '(缺失)'} 与加密使用的微信支付公钥不一致`);
  const type = b.mix_pay_type;
  if (type !== 'CASH_ONLY' && type !== 'INSURANCE_ONLY' && type !== 'CASH_AND_INSURANCE') return err('PARAM_ERROR', 'mix_pay_type 无效');
  if (!ORDER_TYPES.has(String(b.order_type))) return err('PARAM_ERROR', 'order_type 无效');
  if (b.appid !== cfg.appId) return err('PARAM_ERROR', 'appid 与 mchid 不匹配');
  for (const f of ['openid', 'out_trade_no', 'serial_no', 'city_id', 'med_inst_name', 'med_inst_no', 'callback_url'] as const) {
    if (typeof b[f] !== 'string' || !(b[f] as string).length) return err('PARAM_ERROR', `${f} 不能为空`);
  }
  const limits: [string, number][] = [['out_trade_no', 64], ['serial_no', 20], ['city_id', 8], ['med_inst_name', 128], ['med_inst_no', 32], ['callback_url', 256], ['pay_order_id', 64], ['pay_auth_no', 40], ['geo_location', 40]];
  for (const [f, max] of limits) if (typeof b[f] === 'string' && (b[f] as string).length > max) return err('PARAM_ERROR', `${f} 超过最大长度 ${max}`);
  const cb = String(b.callback_url);
  if (!/^https?:\/\/[^?#\s]+$/.test(cb)) return err('PARAM_ERROR', 'callback_url 必须是不带参数的完整地址');
  if (typeof b.med_ins_test_env !== 'boolean' && b.med_ins_test_env !== undefined) return err('PARAM_ERROR', 'med_ins_test_env 必须为布尔值');
  const fees = ['total_fee', 'med_ins_gov_fee', 'med_ins_self_fee', 'med_ins_other_fee', 'med_ins_cash_fee', 'wechat_pay_cash_fee'] as const;
  for (const f of fees) if (!isFen(b[f])) return err('PARAM_ERROR', `${f} 必须是非负整数（分）`);
  const [total, gov, self, other, medCash, wxCash] = fees.map((f) => b[f] as number);
  const add = sum(b.cash_add_detail, 'cash_add_fee');
  const reduce = sum(b.cash_reduce_detail, 'cash_reduce_fee');
  if (total !== gov + self + other + wxCash + reduce || total !== gov + self + other + medCash + add) {
    return err('PARAM_ERROR', `268529477 总金额校验失败: total_fee(${total}) 应等于 统筹+个账+其他+自费`);
  }
  if (wxCash !== medCash + add - reduce) return err('PARAM_ERROR', `268529476 自费金额校验失败: wechat_pay_cash_fee(${wxCash}) ≠ med_ins_cash_fee + 加项 - 减项`);
  const insurance = gov + self + other;
  const present = INSURANCE_FIELDS.filter((f) => b[f] !== undefined && b[f] !== '');
  if (type === 'CASH_ONLY') {
    if (wxCash <= 0 || insurance !== 0) return err('PARAM_ERROR', '268529481 混合金额校验失败: CASH_ONLY 要求自费 > 0 且医保金额为 0');
    if (!b.prepay_id) return err('PARAM_ERROR', '268529475 字段联动校验失败: CASH_ONLY 需要 prepay_id');
    if (present.length) return err('PARAM_ERROR', `268529474 字段联动校验失败: CASH_ONLY 不允许 ${present.join(',')}`);
  } else {
    if (type === 'INSURANCE_ONLY' && (wxCash !== 0 || insurance <= 0)) return err('PARAM_ERROR', '268529481 混合金额校验失败: INSURANCE_ONLY 要求自费为 0');
    if (type === 'CASH_AND_INSURANCE' && (wxCash <= 0 || insurance <= 0)) return err('PARAM_ERROR', '268529481 混合金额校验失败: CASH_AND_INSURANCE 要求自费与医保均 > 0');
    if (type === 'INSURANCE_ONLY' && b.prepay_id) return err('PARAM_ERROR', '268529475 字段联动校验失败: INSURANCE_ONLY 不允许 prepay_id');
    if (type === 'CASH_AND_INSURANCE' && !b.prepay_id) return err('PARAM_ERROR', '268529475 字段联动校验失败: 缺少 prepay_id');
    if (present.length !== INSURANCE_FIELDS.length) return err('PARAM_ERROR', `268529474 字段联动校验失败: 需要 ${INSURANCE_FIELDS.join(',')}`);
    if (!RFC3339.test(String(b.med_ins_order_create_time))) return err('PARAM_ERROR', 'med_ins_order_create_time 须为带时区的 RFC3339 时间');
    if (!/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/.test(String(b.geo_location))) return err('PARAM_ERROR', 'geo_location 格式为 "经度,纬度"');
  }
  if (b.prepay_id) {
    const txn = state.txns.get(String(b.out_trade_no));
    if (!txn || txn.prepay_id !== b.prepay_id) return err('PARAM_ERROR', 'prepay_id 与 out_trade_no 对应的自费订单不一致');
    if (txn.total !== wxCash) return err('PARAM_ERROR', `268529476 自费金额校验失败: 自费订单金额 ${txn.total} ≠ wechat_pay_cash_fee ${wxCash}`);
    if (txn.openid !== b.openid) return err('PARAM_ERROR', 'openid 与自费订单的 payer 不一致');
  }
  return type === 'CASH_ONLY' ? undefined : checkVoucherAndPayer(w, b, side);
}

function checkVoucherAndPayer(w: WechatCtx, b: Body, side: WechatCtx['side']): RuleError | undefined {
  const auth = w.state.payAuths.get(String(b.pay_auth_no));
  if (!String(b.pay_auth_no).startsWith('AUTH') || !auth) return err('PARAM_ERROR', '268547120 PAY_AUTH_NO 校验失败');
  if (auth.openid !== b.openid) return err('PARAM_ERROR', '268547120 PAY_AUTH_NO 校验失败: 授权用户与 openid 不一致');
  const payer = (b.payer ?? {}) as Record<string, unknown>;
  const name = side.decryptSensitive(String(payer.name ?? ''));
  const digest = side.decryptSensitive(String(payer.id_digest ?? ''));
  if (name === undefined || digest === undefined) return err('PARAM_ERROR', 'payer 字段解密失败（请用微信支付公钥 RSA-OAEP 加密）');
  if (name !== auth.person.name) return err('PARAM_ERROR', '268545961 姓名与医保电子凭证不匹配');
  if (digest !== md5IdDigest(auth.person.idNo)) return err('PARAM_ERROR', '268545962 身份证摘要与医保电子凭证不匹配（先 MD5 再 RSA 加密）');
  return undefined;
}
