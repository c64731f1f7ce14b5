/**
 * What WeChat Pay's error answers mean for us. Each rule names its source (wechatpay-skills …).
 */
import { PeerError } from '../../peers/http-client';
import { ChannelRejectedError } from '../port';

/** A 4xx answer, with its HTTP status and Request-ID (whose suffix after the last '-' is the numeric code). */
export class WechatPayRejected extends ChannelRejectedError {
  constructor(op: string, readonly httpStatus: number, code: string, message: string, readonly requestId?: string) {
    super('wechat', op, code, message);
  }

  /** 排障手册 §排障流程 1: "取 Request-Id 末尾 `-` 后的数字" */
  get numericCode(): string | undefined {
    const m = this.requestId ? /-(\d{6,})$/.exec(this.requestId) : null;
    return m?.[1] ?? /\b(2\d{8})\b/.exec(this.message)?.[1];
  }
}

/**
 * 排障手册 §2.6 Q5: "out_trade_no 重复 … 触发 400 ALREADY_EXISTS"; the numeric form is 268512536
 * (排障手册 §1.1 "订单已存在"), carried as the Request-ID suffix or quoted in the message.
 * Recognised by HTTP status + code, never by message text alone.
 */
export function isAlreadyExists(err: unknown): boolean {
  if (!(err instanceof WechatPayRejected) || err.httpStatus !== 400) return false;
  return err.code === 'ALREADY_EXISTS' || err.numericCode === '268512536';
}

/**
 * Rate limits: HTTP 429 and the codes WeChat Pay APIv3 uses for them (FREQUENCY_LIMITED,
 * RATELIMIT_EXCEEDED), and RULE_LIMIT "请求次数超过限制" (接入质量检查 #29). RULE_LIMIT without that
 * text is an amount/field rule (排障手册 268529476/268529477) and never retried.
 */
export function isRateLimited(err: unknown): boolean {
  if (!(err instanceof WechatPayRejected)) return false;
  if (err.httpStatus === 429 || err.code === 'FREQUENCY_LIMITED' || err.code === 'RATELIMIT_EXCEEDED') return true;
  return err.code === 'RULE_LIMIT' && /请求次数|频率|frequen/i.test(err.message);
}

/** 回调处理 §二 "500 SYSTEM_ERROR: 使用相同请求号重试（指数退避）"; 排障手册 268510610 "监管接口短暂异常 … 重试可恢复" is not ours to retry blindly */
export function isSystemError(err: unknown): boolean {
  if (err instanceof WechatPayRejected) return err.code === 'SYSTEM_ERROR' || err.code === 'SYSTEMERROR';
  if (err instanceof PeerError) return err.failure === 'http_status' && (err.status ?? 0) >= 500 && /SYSTEM_?ERROR/.test(err.body ?? '');
  return false;
}

/** Asked again with the same request number and back-off (pay-http.ts). */
export function isRetryable(err: unknown): boolean {
  return isRateLimited(err) || isSystemError(err);
}

/**
 * 医保退款通知 answers (排障手册 §2.5 Q3/Q4: "接口本身允许重试 … 网络超时按指数退避重试"): worth
 * delivering again later are timeouts, broken connections, 5xx, rate limits, SYSTEM_ERROR, and a
 * 401 (a key being rotated). Everything else (PARAM_ERROR, INVALID_REQUEST, ORDER_NOT_EXIST …) is
 * final: the same notice will never be accepted.
 */
export function refundNoticeRetryable(err: unknown): boolean {
  if (err instanceof PeerError) return true;
  if (isRetryable(err)) return true;
  return err instanceof WechatPayRejected && (err.httpStatus === 401 || err.code === 'SIGN_ERROR');
}
