import { ChannelRecords } from '../common/channel-records';
import type { SandboxPerson } from '../seed/persons';

export interface JsapiTxn {
  appid: string;
  mchid: string;
  out_trade_no: string;
  description: string;
  notify_url: string;
  openid: string;
  total: number;
  prepay_id: string;
  time_expire?: string;
  trade_state: 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED';
  transaction_id?: string;
  success_time?: string;
  created_at: string;
}

export interface MedOrder {
  mix_trade_no: string;
  out_trade_no: string;
  openid: string;
  /** the request as received (payer fields still encrypted) */
  request: Record<string, unknown>;
  mix_pay_status: 'MIX_PAY_CREATED' | 'MIX_PAY_USER_PAYING' | 'MIX_PAY_SUCCESS' | 'MIX_PAY_FAIL' | 'MIX_PAY_REFUND';
  self_pay_status: string;
  med_ins_pay_status: string;
  paid_time?: string;
  med_ins_fail_reason?: string;
  passthrough_response_content?: string;
  created_at: string;
  paying?: boolean;
}

export interface RefundRec {
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id: string;
  reason?: string;
  notify_url?: string;
  status: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  /** sandbox clock time at which a PROCESSING refund succeeds */
  settleAt?: number;
  create_time: string;
  success_time?: string;
  amount: { refund: number; total: number };
}

export interface MedRefundNotice {
  mix_trade_no: string;
  out_refund_no: string;
  med_refund_total_fee: number;
  med_refund_gov_fee: number;
  med_refund_self_fee: number;
  med_refund_other_fee: number;
  refund_time: string;
  received_at: string;
}

export interface SentMessage {
  msgid: number;
  touser: string;
  template_id: string;
  page?: string;
  data: unknown;
  at: string;
}

export type { BillMutation } from '../common/bill-mutations';
export type { DeliveryLog } from '../common/channel-records';

/** Everything the WeChat sandbox remembers (in memory; a restart forgets, like a fresh test account). */
export class WechatState extends ChannelRecords<SentMessage> {
  readonly loginCodes = new Map<string, { openid: string; expiresAt: number; used: boolean }>();
  /** person = the patient the authorization is for; holder = the voucher holder paying for them (亲情付) */
  readonly authCodes = new Map<string, { openid: string; person: SandboxPerson; holder?: SandboxPerson; expiresAt: number; used: boolean }>();
  /** payAuthNo issued through userQuery → who it belongs to */
  readonly payAuths = new Map<string, { openid: string; person: SandboxPerson; holder?: SandboxPerson }>();
  token?: { value: string; expiresAt: number };
  readonly txns = new Map<string, JsapiTxn>();
  readonly orders = new Map<string, MedOrder>();
  readonly ordersByOut = new Map<string, string>();
  readonly refunds = new Map<string, RefundRec>();
  readonly medRefunds = new Map<string, MedRefundNotice>();
  /** out_trade_no → sandbox-clock time until which its refund notices are refused (switch `refund-notice`) */
  readonly refundNoticeRefusedUntil = new Map<string, number>();
  private seq = 0;
  /** the sandbox clock: real time plus what POST /sandbox/clock advanced (refund settling, rate windows) */
  clockOffsetMs = 0;
  /**
   * 医保退款通知 (POST /v3/med-ins/refunds/notify, 开发参数与业务规则 §七) refused with SYSTEM_ERROR
   * until the sandbox clock reaches this time (POST /sandbox/refund-notice/refuse {forMs})
   */
  allRefundNoticesRefusedUntil = 0;
  readonly calls = new Map<string, number[]>();

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  next(): number {
    return ++this.seq;
  }

  orderByOut(outTradeNo: string): MedOrder | undefined {
    const id = this.ordersByOut.get(outTradeNo);
    return id ? this.orders.get(id) : undefined;
  }
}

/** 2026-01-02T11:04:05+08:00 */
export function rfc3339(d = new Date()): string {
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 19)}+08:00`;
}

/** YYYY-MM-DD in China time of an RFC 3339 / ISO time */
export function chinaDate(time: string): string {
  return new Date(new Date(time).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function chinaPlain(time: string): string {
  const t = new Date(new Date(time).getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`;
}

/** an amount field of a mixed order's request; fields a mix_pay_type leaves out count as 0 */
export function fee(req: Record<string, unknown>, field: string): number {
  return Number(req[field] ?? 0);
}
