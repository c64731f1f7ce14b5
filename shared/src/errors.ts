/**
 * Stable error codes of the BFF API. The code is for programs (never renamed once shipped);
 * the message is for the person looking at the screen, in plain Chinese.
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, message: '请求内容有误，请检查后重试' },
  VALIDATION_FAILED: { status: 400, message: '填写的信息有误，请检查后重试' },
  BODY_TOO_LARGE: { status: 413, message: '请求内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '请求格式不受支持' },
  MALFORMED_JSON: { status: 400, message: '请求内容格式有误' },
  INVALID_ID_NUMBER: { status: 400, message: '身份证号码格式不正确，请核对后重新输入' },
  UNKNOWN_REGION: { status: 400, message: '暂不支持所选参保地，请重新选择' },
  UNKNOWN_BENEFIT: { status: 400, message: '所选医保待遇无效，请重新选择' },
  AMOUNT_MISMATCH: { status: 422, message: '费用金额核对不一致，这次没有扣款。请稍后重试，或到医院收费窗口办理' },
  NOT_INSURED: { status: 422, message: '未查询到您在所选参保地的医保参保信息' },
  IDENTITY_REQUIRED: { status: 409, message: '请先完成医保身份核验' },
  AUTHORIZATION_REQUIRED: { status: 409, message: '请先完成医保电子凭证授权' },
  AUTHORIZATION_FAILED: { status: 422, message: '医保电子凭证授权未成功，请重新授权' },
  FAMILY_LIMIT: { status: 409, message: '最多可以添加 5 位家人。如需添加新的家人，请先删除一位' },
  FAMILY_DUPLICATE: { status: 409, message: '这位家人已经添加过了，不用重复添加' },
  FAMILY_MEMBER_NOT_FOUND: { status: 404, message: '没有找到这位家人，请刷新后重新选择' },
  FAMILY_PAY_REQUIRED: { status: 409, message: '家人用医保支付需要先开通亲情付，这次没有扣款。请开通后再支付，或选择自费' },

  UNAUTHENTICATED: { status: 401, message: '登录已过期，请重新进入' },
  LOGIN_FAILED: { status: 401, message: '登录失败，请重新进入小程序' },
  FORBIDDEN: { status: 403, message: '没有权限进行此操作' },
  SIGNATURE_INVALID: { status: 401, message: '签名校验未通过，请求未受理' },
  REPLAYED: { status: 409, message: '重复的请求，未再次受理' },
  RATE_LIMITED: { status: 429, message: '操作太频繁，请稍后再试' },

  NOT_FOUND: { status: 404, message: '没有找到相关记录' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持这种请求方式' },
  ORDER_NOT_FOUND: { status: 404, message: '没有找到这笔订单' },
  BILL_NOT_FOUND: { status: 404, message: '没有找到这笔待缴费用' },
  SLOT_UNAVAILABLE: { status: 409, message: '这个时间的号已经约满，没有扣款。请选择其他时间或其他医生' },
  ORDER_STATE_CONFLICT: { status: 409, message: '这笔订单的状态已经变化，请不要重复支付。请刷新后在「我的订单」查看' },
  IDEMPOTENCY_CONFLICT: { status: 409, message: '同一请求编号对应了不同的内容' },
  BILL_IN_OTHER_ORDER: { status: 409, message: '这笔费用已在您的另一笔订单里，没有重复扣款。请到那笔订单继续支付或查看结果' },
  ALREADY_REGISTERED: { status: 409, message: '您已预约该医生本时段，没有重复扣款。请在「我的订单」中查看这笔挂号' },
  CANCEL_TOO_LATE: { status: 409, message: '已过退号时间（就诊时段已开始），不能在线退号，钱没有变动。如需帮助，请到医院挂号窗口办理' },
  CANCEL_NOT_ALLOWED: { status: 409, message: '这笔挂号目前不能退号，钱没有变动。请到医院挂号窗口咨询' },
  CANCEL_UNCONFIRMED: { status: 503, message: '退号结果暂未确认，钱还没有退回。请稍后在订单里再点一次「退号」查看结果' },
  REFUND_ROLE_REQUIRED: { status: 403, message: '您的账号没有发起退款的权限，请联系有退款权限的同事办理' },
  REFUND_EXCEEDS_PAYMENT: { status: 422, message: '退款金额超过可退金额' },
  REFUND_NOT_ALLOWED: { status: 409, message: '这笔订单目前不能退款，钱没有变动。请到医院窗口咨询' },

  PEER_UNAVAILABLE: { status: 502, message: '暂时连不上医院的服务，这次没有扣款。请稍后重试' },
  PEER_TIMEOUT: { status: 504, message: '服务响应超时，这次没有扣款。请稍后重试，或在「我的订单」查看这笔订单' },
  PEER_REJECTED: { status: 502, message: '医院暂时无法办理这笔业务，这次没有扣款。请稍后重试，或到医院窗口办理' },
  INTERNAL: { status: 500, message: '系统繁忙，请稍后重试。如果已经付款，请不要重复支付，可在「我的订单」查看结果' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId?: string; details?: unknown };
}

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, v);
}
