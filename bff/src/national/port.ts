/**
 * The insurance-centre port (issue 10 point 5): what flows may know of the local mobile-payment
 * centre, in domain words. The adapter (national/centre.ts over national/client.ts) turns the
 * wire — `2001` and other refusal codes, refStatus SUCC/FAIL/EXP, unsigned `{code≠0}` bodies,
 * timeouts, envelopes — into these outcomes; flows import this file only.
 *
 *   done (uploaded / ordered / answered / revoked / refunded)   the centre did it (verified answer)
 *   refused(reason)          the centre said no; nothing happened
 *   authorization_expired    refused because the patient's payAuthNo/ecToken is spent or expired
 *   authorization_missing    6203 not sent: the order holds no authorization a 6203 can carry
 *   not_sendable(reason)     not sent: a request the centre would refuse, caught before it left
 *   unavailable(reason)      not delivered: nothing reached the centre, nothing happened
 *   unknown(reason)          no trustworthy answer: the centre may have acted — confirm (6301)
 *                            before deciding anything, never success, never failure
 *   abnormal(reason)         6203 only: the centre reports the refund abnormal (refStatus EXP);
 *                            confirmed by 6301 (national notes §11) — not a failure, not unknown
 *
 * Every outcome other than "done" carries `reason` (for the order's timeline and call log).
 */
import type { Split } from '@mip/shared';
import type { Order } from '../domain/order';

/** The patient's authorization of one payment: payAuthNo (mini-program) or ecToken (e-voucher QR at a kiosk). */
export type CentreAuthorization = { payAuthNo: string; ecToken?: undefined } | { ecToken: string; payAuthNo?: undefined };

export type CentreRefused = { kind: 'refused'; code: string; reason: string };
export type CentreAuthorizationExpired = { kind: 'authorization_expired'; reason: string };
export type CentreAuthorizationMissing = { kind: 'authorization_missing'; reason: string };
export type CentreNotSendable = { kind: 'not_sendable'; reason: string };
export type CentreUnavailable = { kind: 'unavailable'; reason: string };
/** `why`: no answer in time, the connection broke (or a 5xx), or an answer we cannot trust */
export type CentreUnknown = { kind: 'unknown'; reason: string; why: 'timeout' | 'no_answer' | 'untrusted_answer' };
export type CentreAbnormal = { kind: 'abnormal'; reason: string };

/** What any call can come back with when the centre did not do it. */
export type CentreFailure = CentreRefused | CentreAuthorizationExpired | CentreNotSendable | CentreUnavailable | CentreUnknown;

/**
 * The centre's view of one order (6202 and 6301 answers, 6302 notifications). `ordStas` is the
 * national order-status code, kept as the centre wrote it: orders record it and domain/ord-stas.ts
 * classifies it with the configured settled codes (national.settledOrdStas).
 */
export interface CentreOrderReport {
  payOrdId: string;
  /** absent in a TSX-form 6302 (callType "02" instead) */
  ordStas?: string;
  callType?: string;
  setlType?: string;
  split?: Split;
  /** amounts that do not fit together: the order goes to a person */
  splitIssue?: string;
  medOrgOrd?: string;
  traceTime?: string;
  setlId?: string;
  mdtrtId?: string;
  revsToken?: string;
}
export type CentreOrderStatus = CentreOrderReport & { ordStas: string };

/** 6201/6301/6401 address an order at the centre with these. */
export interface CentreOrderRef {
  payOrdId: string;
  payToken: string;
  identity: { idNo: string; name: string };
}

/** 6201 费用明细上传 */
export type FeeUploadRequest = CentreAuthorization & {
  /** medOrgOrd: the order number, or a fresh key after an unanswered upload */
  orderNo: string;
  chrgBchno: string;
  psnNo: string;
  insutype: string;
  regionCode: string;
  identity: { idNo: string; name: string };
  location: string;
  preSettlement: Pick<Order['preSettlement'], 'visit' | 'items'>;
  totalFen: number;
};
export type FeeUploadOutcome = { kind: 'uploaded'; payOrdId: string; payToken: string; mdtrtId?: string } | CentreFailure;

/** 6202 支付下单: orgBizSer new for every call */
export type PlaceOrderRequest = CentreAuthorization &
  Pick<CentreOrderRef, 'payOrdId' | 'payToken'> &
  Pick<FeeUploadRequest, 'chrgBchno' | 'location' | 'regionCode'> & { orgBizSer: string; mdtrtId?: string };
export type PlaceOrderOutcome = { kind: 'ordered'; status: CentreOrderStatus } | CentreFailure;

/** 6301 医保订单结算结果查询 */
export type QueryOutcome = { kind: 'answered'; status: CentreOrderStatus } | CentreFailure;

/** 6401 费用明细上传撤销 */
export type RevokeOutcome = { kind: 'revoked' } | CentreFailure;

export type CentreRefundType = 'ALL' | 'CASH' | 'HI';

/** 6203 医保退费: appRefdSn is the idempotency key of one refund */
export interface RefundRequest {
  payOrdId: string;
  appRefdSn: string;
  at: Date;
  amounts: Split;
  refdType: CentreRefundType;
  /** what the order was paid with (NationalLeg.authorization) */
  authorization: CentreAuthorization | undefined;
  reason?: string;
}
export type RefundOutcome = { kind: 'refunded'; refundRef?: string; at?: string } | CentreAbnormal | CentreAuthorizationMissing | CentreFailure;

/** A 6302 notification, opened and verified, or refused (nothing read from it). */
export type CentreNotification =
  | { kind: 'report'; report: CentreOrderReport; /** authentic but sealed long ago: only a hint to ask 6301 */ stale: boolean }
  | { kind: 'refused'; why: 'signature' | 'replayed' | 'malformed'; detail: string; message?: string };

/** The HTTP answer the centre expects to a notification we accepted. */
export interface CentreAck {
  status: number;
  body: Record<string, unknown>;
}

/** The insurance centre, one method per transaction the flows use. */
export interface InsuranceCentre {
  /** 6201 */
  uploadFees(r: FeeUploadRequest): Promise<FeeUploadOutcome>;
  /** 6202 */
  placeOrder(r: PlaceOrderRequest): Promise<PlaceOrderOutcome>;
  /** 6301 */
  querySettlement(r: CentreOrderRef): Promise<QueryOutcome>;
  /** 6401 */
  revokeUpload(r: CentreOrderRef): Promise<RevokeOutcome>;
  /** 6203 */
  refund(r: RefundRequest): Promise<RefundOutcome>;
  /** 6302 in: the raw body, verified before anything is read */
  openNotification(raw: Buffer): CentreNotification;
  /** 6302 acknowledged */
  notificationAccepted(): CentreAck;
}
