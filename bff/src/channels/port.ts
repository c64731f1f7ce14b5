/**
 * One payment channel (WeChat or Alipay) as the flows see it: login, the e-voucher pay
 * authorization, the mixed insurance + self-pay order, its notifications and queries, self-pay
 * refunds, daily bills and patient messages. Adapters own each channel's wire quirks.
 */
import type { ErrorCode, Fen, PayParams } from '@mip/shared';

/** 'cashier': the centre's own cashier (收银台, SPC), where a kiosk patient pays the self-pay part */
export type ChannelName = 'wechat' | 'alipay' | 'cashier';
export const CHANNEL_NAMES: readonly ChannelName[] = ['wechat', 'alipay', 'cashier'];

/** Whether a recorded channel is one we can still talk to (a payment leg, an order's origin). */
export function isChannelName(v: string): v is ChannelName {
  return (CHANNEL_NAMES as readonly string[]).includes(v);
}

export interface ChannelUser {
  /** openid (WeChat) or user_id / open_id (Alipay) under our mini-program */
  openId: string;
  unionId?: string;
}

export type InsuranceAuthorization =
  | {
      status: 'authorized';
      /** AUTH… single-use, short-lived; never persisted beyond its TTL, never sent to the client */
      payAuthNo: string;
      expiresInSeconds: number;
      /** the payer the voucher belongs to (for 亲情付 not the patient), when the channel says */
      payer?: { name?: string; idNo?: string; familyPay: boolean };
      /** "lng,lat" reported with the authorization (6201 uldLatlnt / 6202 setlLatlnt) */
      location?: string;
      /** Alipay: medical_card_id of the authorization (医保电子凭证授权码), sent back in createandpay extend_params */
      medicalCardId?: string;
    }
  | { status: 'redirect'; authUrl: string };

export interface CreatePaymentInput {
  orderNo: string;
  kind: 'registration' | 'outpatient';
  title: string;
  /** the channel user; none at a kiosk (the centre's cashier) */
  openId?: string;
  /** the mini-program authorization; none at a kiosk, whose ecToken went into 6201/6202 and the cashier does not take */
  payAuthNo?: string;
  /** the centre's order (6201 payOrdId); none for a self-pay (cashOnly) order */
  payOrdId?: string;
  /** the split fixed by 6202; otherFundFen = 6202 othFeeAmt, a part of its own (total = fund + acct + other + cash) */
  amounts: { totalFen: Fen; fundFen: Fen; acctFen: Fen; cashFen: Fen; otherFundFen?: Fen; /** 6202 hospPartAmt: the hospital bears it */ hospitalFen?: Fen };
  /** the WeChat/Alipay user paying: the e-voucher holder (for 亲情付 not the patient) */
  payer: { name: string; idNo: string };
  /** 亲情付: the patient, when the voucher holder pays for a relative (WeChat pay_for_relatives + relative) */
  relative?: { name: string; idNo: string };
  /** the order never reached the centre (no 6201/6202): WeChat CASH_ONLY; otherwise always a mixed order */
  cashOnly?: boolean;
  location?: string;
  createdAt: string; // ISO time of the centre's insurance order, 6202 (med_ins_order_create_time)
  /** where this channel's notification for this order must go */
  notifyUrl: string;
  expiresAt: string;
  /** 6201 chrgBchno (收费批次号): Alipay createandpay chrg_bch_no, required for order_type INSURANCE_PAY */
  chrgBchno?: string;
  /** the authorization's medical_card_id (Alipay), when the channel gave one */
  medicalCardId?: string;
}

export interface CreatedPayment {
  payParams: PayParams;
  /** the channel's order reference (WeChat mix_trade_no / Alipay trade_no) */
  channelRef: string;
  /** our out_trade_no at the channel (WeChat requires it equal to the JSAPI self-pay order's) */
  outTradeNo: string;
}

/** The channel's view of a payment. 'unknown' covers statuses this code does not recognise. */
export interface ChannelPaymentStatus {
  status: 'paid' | 'pending' | 'failed' | 'refunded' | 'unknown';
  channelRef: string;
  outTradeNo: string;
  cashPaidFen?: Fen;
  insurancePaidFen?: Fen;
  paidAt?: string;
  /** WeChat transaction_id / Alipay alipay_trade_no of the self-pay leg, for the bill */
  cashTradeNo?: string;
  /** each leg as the channel reports it, read together (WeChat self_pay_status + med_ins_pay_status;
   *  Alipay own_pay_status + medical_pay_status): a failed order whose cash leg was taken must be refunded */
  legs?: PaymentLegs;
  raw?: Record<string, string | undefined>;
}

export type LegState = 'taken' | 'not_taken' | 'unknown';
export interface PaymentLegs {
  cash: LegState;
  insurance: LegState;
}

/** A verified, decrypted payment notification. */
export interface ChannelNotification {
  kind: 'payment' | 'refund';
  /** de-duplication key, e.g. event id or notify_id */
  eventId: string;
  outTradeNo: string;
  channelRef?: string;
  status: ChannelPaymentStatus['status'];
  cashPaidFen?: Fen;
  totalFen?: Fen;
  paidAt?: string;
  cashTradeNo?: string;
  refundNo?: string;
  legs?: PaymentLegs;
}

export interface NotificationRequest {
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}

/** How the adapter must answer the channel (WeChat: 204/JSON, Alipay: plain "success"). */
export interface NotificationAck {
  status: number;
  contentType?: string;
  body?: string;
  /** a refusal's stable code (shared/src/errors.ts), also sent as X-Error-Code */
  errorCode?: ErrorCode;
}

export interface CashRefundInput {
  orderNo: string;
  outTradeNo: string;
  channelRef: string;
  refundNo: string; // our refund number: the channel's idempotency key (out_refund_no / out_request_no)
  refundFen: Fen;
  paidCashFen: Fen;
  /** the payment of a self-pay order (CreatePaymentInput.cashOnly) */
  cashOnly?: boolean;
  /** the authorization the 6202 carried: the centre's cashier refunds through 6203, which needs it (public-rules item 1) */
  insuranceAuthorization?: { payAuthNo: string; ecToken?: undefined } | { ecToken: string; payAuthNo?: undefined };
  reason: string;
}

export type CashRefundResult =
  | { status: 'succeeded'; channelRefundId?: string; refundedAt?: string }
  | { status: 'processing'; channelRefundId?: string }
  | { status: 'failed'; code: string; message: string };

/** One row of a channel's daily trade bill, normalised to fen. */
export interface ChannelBillRow {
  channel: ChannelName;
  kind: 'payment' | 'refund';
  outTradeNo: string;
  cashTradeNo: string;
  refundNo?: string;
  amountFen: Fen; // positive for payments and refunds alike
  time: string;
  status: string;
}

export interface MessageInput {
  openId: string;
  template: 'registrationPaid' | 'outpatientPaid';
  page: string;
  /** already formatted values in template-field order (the adapter maps them to keyword names) */
  fields: { title: string; patientNameMasked: string; amountText: string; time: string; note?: string };
}

export type MessageResult =
  | { status: 'sent'; messageId?: string }
  /** the patient did not subscribe / refused: recorded, never retried */
  | { status: 'undeliverable'; code: string; message: string }
  /** the channel failed in a way worth retrying */
  | { status: 'retry'; code: string; message: string };

/** 医保退款通知 (wechatpay-skills 开发参数与业务规则 §七): sent after the cash refund, refundedAt is the insurance refund's time */
export interface InsuranceRefundNotice {
  outTradeNo: string;
  channelRef: string;
  refundNo: string;
  /** otherFundFen: the other-fund part (med_refund_other_fee), 0 when absent */
  amounts: { totalFen: Fen; fundFen: Fen; acctFen: Fen; otherFundFen?: Fen };
  refundedAt: string;
}

/**
 * 'not_needed': the channel has no such notice (Alipay); 'retry': deliver again later through the queue.
 * A final refusal (the channel will never accept this notice as sent) is thrown as ChannelRejectedError.
 */
export type InsuranceRefundNoticeResult =
  | { status: 'sent' }
  | { status: 'not_needed' }
  | { status: 'retry'; code: string; message: string };

export interface ChannelPort {
  readonly name: ChannelName;
  /** takes a self-pay (自费) order that never reached the centre (CreatePaymentInput.cashOnly) */
  readonly supportsCashOnly?: boolean;
  login(code: string): Promise<ChannelUser>;
  authorizeInsurance(q: { openId: string; authCode: string }): Promise<InsuranceAuthorization>;
  createPayment(q: CreatePaymentInput): Promise<CreatedPayment>;
  /** cashOnly: the payment of a self-pay order (CreatePaymentInput.cashOnly) */
  queryPayment(q: { outTradeNo: string; channelRef: string; cashOnly?: boolean }): Promise<ChannelPaymentStatus>;
  /** verifies the signature and decrypts BEFORE anything else; throws ChannelSignatureError */
  parseNotification(req: NotificationRequest): Promise<ChannelNotification>;
  /** ok: the channel stops sending; a refusal answers 4xx with the stable code (default SIGNATURE_INVALID) */
  ackNotification(ok: boolean, refusal?: ErrorCode): NotificationAck;
  refundCash(q: CashRefundInput): Promise<CashRefundResult>;
  /**
   * Closes the channel's unpaid order before the order is cancelled (WeChat: the JSAPI self-pay
   * order, and the mixed order where configured). 'paying': the patient confirmed or is confirming —
   * do not cancel. Channels without such a step leave it out.
   */
  closePayment?(q: { outTradeNo: string; channelRef: string }): Promise<'closed' | 'paying'>;
  /** WeChat requires being told of an insurance refund done through the centre; Alipay does nothing */
  notifyInsuranceRefund(q: InsuranceRefundNotice): Promise<InsuranceRefundNoticeResult>;
  downloadBill(date: string): Promise<ChannelBillRow[]>;
  sendMessage(q: MessageInput): Promise<MessageResult>;
}

export class ChannelSignatureError extends Error {
  constructor(readonly channel: ChannelName, message: string) {
    super(`${channel} notification refused: ${message}`);
    this.name = 'ChannelSignatureError';
  }
}

/** A clear refusal from the channel (bad code, invalid authCode, parameter error…). */
export class ChannelRejectedError extends Error {
  constructor(readonly channel: ChannelName, readonly op: string, readonly code: string, message: string) {
    super(`${channel} ${op}: ${code} ${message}`);
    this.name = 'ChannelRejectedError';
  }
}
