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
  const badUrl = callbackUrlProblem(String(b.callback_url));
  if (badUrl) return err('PARAM_ERROR', `callback_url ${badUrl}`);
  if (typeof b.med_ins_test_env !== 'boolean' && b.med_ins_test_env !== undefined) return err('PARAM_ERROR', 'med_ins_test_env 必须为布尔值');
  const fieldSet = fieldSetProblem(b);
  if (fieldSet) return fieldSet;
  const fees = ['total_fee', 'med_ins_gov_fee', 'med_ins_self_fee', 'med_ins_other_fee', 'med_ins_cash_fee', 'wechat_pay_cash_fee'] as const;
  for (const f of fees) if (b[f] !== undefined && !isFen(b[f])) return err('PARAM_ERROR', `${f} 必须是非负整数（分）`);
  // fields a type must not carry are absent (fieldSetProblem): they count as 0 in the formulas;
  // CASH_ONLY has no med_ins_cash_fee, its wechat_pay_cash_fee is the cash part
  const [total, gov, self, other, medCashRaw, wxCash] = fees.map((f) => (b[f] as number | undefined) ?? 0);
  const medCash = type === 'CASH_ONLY' ? wxCash : medCashRaw;
  const add = sum(b.cash_add_detail, 'cash_add_fee');
  const reduce = sum(b.cash_reduce_detail, 'cash_reduce_fee');
  if (total !== gov + self + other + wxCash + reduce || total !== gov + self + other + medCash + add) {
    return err('PARAM_ERROR', `268529477 总金额校验失败: total_fee(${total}) 应等于 统筹+个账+其他+自费`);
  }
  if (wxCash !== medCash + add - reduce) return err('PARAM_ERROR', `268529476 自费金额校验失败: wechat_pay_cash_fee(${wxCash}) ≠ med_ins_cash_fee + 加项 - 减项`);
  const insurance = gov + self + other;
  if (type === 'CASH_ONLY' && wxCash <= 0) return err('PARAM_ERROR', '268529474 纯自费单字段校验失败: wechat_pay_cash_fee 必须 > 0');
  if (type === 'CASH_AND_INSURANCE' && wxCash <= 0) return err('PARAM_ERROR', '268529475 混合支付单字段校验失败: wechat_pay_cash_fee 必须 > 0');
  if (type === 'INSURANCE_ONLY' && insurance <= 0) return err('PARAM_ERROR', '268529481 混合单金额不正确: INSURANCE_ONLY 要求医保金额 > 0');
  if (type !== 'CASH_ONLY') {
    if (!RFC3339.test(String(b.med_ins_order_create_time))) return err('PARAM_ERROR', 'med_ins_order_create_time 须为带时区的 RFC3339 时间');
    if (!/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/.test(String(b.geo_location))) return err('PARAM_ERROR', 'geo_location 格式为 "经度,纬度"');
    const pt = b.passthrough_request_content;
    // 排障手册 §2.6 Q12: 最长 2048 字节
    if (pt !== undefined && (typeof pt !== 'string' || Buffer.byteLength(pt, 'utf8') > 2048)) return err('PARAM_ERROR', 'passthrough_request_content 最长 2048 字节');
  }
  if (b.prepay_id) {
    const txn = state.txns.get(String(b.out_trade_no));
    if (!txn || txn.prepay_id !== b.prepay_id) return err('PARAM_ERROR', 'prepay_id 与 out_trade_no 对应的自费订单不一致');
    if (txn.total !== wxCash) return err('PARAM_ERROR', `268529476 自费金额校验失败: 自费订单金额 ${txn.total} ≠ wechat_pay_cash_fee ${wxCash}`);
    if (txn.openid !== b.openid) return err('PARAM_ERROR', 'openid 与自费订单的 payer 不一致');
  }
  return type === 'CASH_ONLY' ? undefined : checkVoucherAndPayer(w, b, side);
}

/**
 * The voucher's bound card is the payer's (接入质量检查 #18, 排障手册 268545961/268545962: 61 = ID
 * digest, 62 = name). 亲情付 (开发参数与业务规则 §五, 接入质量检查 #17, 排障手册 §2.6 Q6 and
 * 268545964): pay_for_relatives needs relative.name / id_digest / card_type, all encrypted, and a
 * family authorization for that relative.
 */
function checkVoucherAndPayer(w: WechatCtx, b: Body, side: WechatCtx['side']): RuleError | undefined {
  const auth = w.state.payAuths.get(String(b.pay_auth_no));
  if (!String(b.pay_auth_no).startsWith('AUTH') || !auth) return err('PARAM_ERROR', '268547120 PAY_AUTH_NO 校验失败');
  if (auth.openid !== b.openid) return err('PARAM_ERROR', '268547120 PAY_AUTH_NO 校验失败: 授权用户与 openid 不一致');
  const holder = auth.holder ?? auth.person;
  const payerProblem = personProblem(side, b.payer, holder, 'payer');
  if (payerProblem) return payerProblem;
  if (b.pay_for_relatives === true) {
    const r = (b.relative ?? {}) as Record<string, unknown>;
    if (!r.name || !r.id_digest || !r.card_type) return err('PARAM_ERROR', '该订单属于代亲属支付，但缺少亲属信息');
    const relative = personProblem(side, b.relative, auth.person, 'relative');
    if (relative) return relative;
    if (!auth.holder) return err('INVALID_REQUEST', '268545964 亲属关系不存在，请传入有效亲属关系后重试');
  } else if (auth.holder) {
    return err('INVALID_REQUEST', '268545964 该授权为亲情付授权，请传入 pay_for_relatives 与亲属信息');
  }
  return undefined;
}

function personProblem(side: WechatCtx['side'], field: unknown, who: { name: string; idNo: string }, label: string): RuleError | undefined {
  const p = (field ?? {}) as Record<string, unknown>;
  const name = side.decryptSensitive(String(p.name ?? ''));
  const digest = side.decryptSensitive(String(p.id_digest ?? ''));
  if (name === undefined || digest === undefined) return err('PARAM_ERROR', `${label} 字段解密失败（请用微信支付公钥 RSA-OAEP 加密）`);
  if (digest !== md5IdDigest(who.idNo)) return err('INVALID_REQUEST', `268545961 入参个人身份ID摘要和医保电子凭证绑卡身份ID摘要不匹配 (${label}，先 MD5 再 RSA 加密)`);
  if (name !== who.name) return err('INVALID_REQUEST', `268545962 入参用户姓名和医保电子凭证绑卡姓名不匹配 (${label})`);
  return undefined;
}

/**
 * 开发参数与业务规则 §二 2.9 and 回调处理 §一: HTTPS only, public (not 127.0.0.1 / 192.168.x.x /
 * localhost), no query; 排障手册 §2.2 ②: no spaces around it. Answers the problem, or undefined.
 */
export function callbackUrlProblem(url: string): string | undefined {
  if (url !== url.trim() || /\s/.test(url)) return '前后或中间不能有空格';
  if (!URL.canParse(url)) return '不是合法的 URL';
  const u = new URL(url);
  if (u.protocol !== 'https:') return '必须使用 HTTPS';
  if (u.search || url.includes('?') || u.hash) return '不能携带 query 参数';
  if (u.pathname === '/' || !u.pathname) return '缺少具体路径';
  const h = u.hostname.replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || /^(127\.|10\.|192\.168\.|169\.254\.|0\.)/.test(h) || /^172\.(1[6-9]|2\d|3[01])\./.test(h) || h === '::1' || /^f[cd]/i.test(h)) {
    return '必须公网可达，不能用内网地址';
  }
  return undefined;
}

const MED_INS_FEES = ['med_ins_gov_fee', 'med_ins_self_fee', 'med_ins_other_fee', 'med_ins_cash_fee'];

/**
 * Required and forbidden fields per mix_pay_type (开发参数与业务规则 §四, 排障手册 §2.6 Q4, 268529474 /
 * 268529475, 接入质量检查 #6). Where the guide's two texts differ (开发参数 §四: CASH_ONLY's insurance
 * fees "之和必须为 0", INSURANCE_ONLY's wechat_pay_cash_fee "必须为 0"; 排障手册 Q4 / 质量检查 #6: 禁传)
 * the sandbox is the strict one: present at all is refused.
 */
export function fieldSetProblem(b: Body): RuleError | undefined {
  const has = (f: string) => b[f] !== undefined && b[f] !== '' && b[f] !== null;
  const type = b.mix_pay_type;
  if (type === 'CASH_ONLY') {
    const forbidden = [...INSURANCE_FIELDS, 'passthrough_request_content', ...Object.keys(b).filter((k) => k.startsWith('med_ins_'))].filter(has);
    if (forbidden.length) return err('PARAM_ERROR', `268529474 纯自费单字段校验失败: CASH_ONLY 不允许 ${[...new Set(forbidden)].join(',')}`);
    if (!has('wechat_pay_cash_fee') || !has('prepay_id')) return err('PARAM_ERROR', '268529474 纯自费单字段校验失败: 需要 wechat_pay_cash_fee 与 prepay_id');
    return undefined;
  }
  const missing = [...INSURANCE_FIELDS, ...MED_INS_FEES].filter((f) => !has(f));
  if (type === 'INSURANCE_ONLY') {
    const forbidden = ['wechat_pay_cash_fee', 'prepay_id'].filter(has);
    if (forbidden.length) return err('PARAM_ERROR', `268529475 混合支付单字段校验失败: INSURANCE_ONLY 不允许 ${forbidden.join(',')}`);
  } else if (!has('wechat_pay_cash_fee') || !has('prepay_id')) {
    missing.push(...['wechat_pay_cash_fee', 'prepay_id'].filter((f) => !has(f)));
  }
  if (missing.length) return err('PARAM_ERROR', `268529475 混合支付单字段校验失败: 缺少 ${missing.join(',')}`);
  return undefined;
}
