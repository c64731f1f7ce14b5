/**
 * The sandbox HIS open API's answer format and code table (documented for integrators; the
 * hosita-docs bands): every answer is `{code, message, data}`.
 *
 *   0    成功                                   HTTP 200
 *   100  参数错误 (missing/format)              HTTP 400
 *   101  参数错误 (values inconsistent)         HTTP 400
 *   103  签名错误                               HTTP 401
 *   104  请求时间戳超出有效期                   HTTP 401
 *   105  重复请求 (nonce replay)                HTTP 401
 *   2xx  处理中/部分完成 (outcome unknown)
 *   3xx  服务停用/维护 (e.g. 302)
 *   4xx  内部通讯异常
 *   5xx  业务错误 (below)                       HTTP 200
 *   -1   未知异常                               HTTP 500
 */
import type { z } from 'zod';

/** The code table as rows: name used in this code, the code on the wire, what it says (band per the table above). */
const TABLE = [
  ['OK', '0', '成功'],
  ['PARAM', '100', '参数错误：缺少或格式不符'],
  ['PARAM_VALUE', '101', '参数错误：取值彼此不符'],
  ['SIGNATURE', '103', '签名错误'],
  ['STALE', '104', '请求时间戳超出有效期'],
  ['REPLAY', '105', '重复请求'],
  ['BUSINESS', '500', '业务错误'],
  ['NOT_FOUND', '501', '记录不存在'],
  ['NOT_OWNER', '502', '不属于当前患者'],
  ['SLOT_UNAVAILABLE', '503', '号源不可用'],
  ['BILL_UNAVAILABLE', '504', '处方/申请单不可缴费'],
  ['PRESETTLEMENT_GONE', '505', '预结算已失效'],
  ['AMOUNT_MISMATCH', '506', '金额与预结算不符'],
  ['REVERSAL_NOT_SUPPORTED', '507', '不支持冲正'],
  ['ALREADY_SETTLED', '508', '已结算'],
  ['SETTLEMENT_NOT_FOUND', '509', '结算记录不存在'],
  ['REFUND_EXCEEDS', '510', '退款超出可退金额'],
  ['REGION_NOT_SUPPORTED', '511', '参保地不支持'],
  ['INSURANCE_MISMATCH', '512', '医保信息不符'],
  ['PATIENT_MISMATCH', '513', '患者信息不符'],
  // the patient already holds a paid or pending registration for this doctor session
  ['ALREADY_REGISTERED', '514', '已有该医生该时段的挂号'],
  // 退号 after the cut-off (the session has started)
  ['CANCEL_TOO_LATE', '515', '已过退号时间'],
  ['UNKNOWN', '-1', '未知异常'],
] as const;

type CodeRow = (typeof TABLE)[number];

/** Code by name, e.g. CODES.NOT_FOUND === '501'. */
export const CODES = Object.fromEntries(TABLE.map(([name, code]) => [name, code])) as { readonly [R in CodeRow as R[0]]: R[1] };

/** An answer the HIS gives instead of data. Thrown by the business code, sent by the route. */
export class HisFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = code.startsWith('1') ? 400 : 200,
  ) {
    super(message);
    this.name = 'HisFailure';
  }
}

export const refuse = (code: string, message: string) => new HisFailure(code, message);

export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
}

export const okReply = (data: unknown): Reply => ({ status: 200, body: { code: CODES.OK, message: '成功', data } });

export const failureReply = (f: HisFailure): Reply => ({ status: f.httpStatus, body: { code: f.code, message: f.message, data: null } });

/** Request validation: the 1xx band with the offending field names (never their values). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');
  throw new HisFailure(CODES.PARAM, `参数错误：${fields}`);
}
