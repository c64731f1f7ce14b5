/**
 * The insurance order as the BFF keeps it. Plain data: no Koa, Redis or peer types.
 * Personal data (ID number, name) is held only encrypted (`piiSealed`) plus a masked copy.
 */
import type { Channel, Fen, OrderKind, OrderState, RefundState, Split } from '@mip/shared';
import type { FeeItem, PreSettlement } from './fee';

export interface TimelineEntry {
  at: string;
  /** state before → after, or the same state for a recorded fact */
  from: OrderState;
  to: OrderState;
  /** what happened, in a few words a staff member understands */
  event: string;
  reason?: string;
  by: 'patient' | 'system' | 'centre' | 'channel' | 'his' | 'staff' | 'kiosk';
}

export interface NationalLeg {
  payOrdId: string;
  /** 6201 payToken, needed by 6202/6301/6401 */
  payToken: string;
  chrgBchno: string;
  mdtrtId?: string;
  /** every orgBizSer sent with 6202 (unique per call) */
  orgBizSers: string[];
  lastOrdStas?: string;
  settledAt?: string;
  traceTime?: string;
  setlId?: string;
  revsToken?: string;
  /** 6202 answered: the split is the centre's, not HIS's estimate */
  ordered: boolean;
  /**
   * The authorization the accepted 6202 carried — what a 6203 needs (TSX validate6203Refund:
   * exactly one of payAuthNo / ecToken; national/client.ts refund). Absent on orders made before.
   */
  authorization?: { payAuthNo: string; ecToken?: undefined } | { ecToken: string; payAuthNo?: undefined };
}

export interface PaymentLeg {
  /**
   * a ChannelName for every leg made now ('cashier' at a kiosk); typed Channel until the refund and
   * reversal flows drop their last 'kiosk' comparisons, then narrowed to ChannelName
   */
  channel: Channel;
  channelRef: string; // WeChat mix_trade_no / Alipay trade_no / the centre's payOrdId at its cashier
  outTradeNo: string;
  createdAt: string;
  expiresAt: string;
  cashTradeNo?: string;
}

/** Facts about money, gathered from whichever source reports first (6302, 6301, channel notify, channel query). */
export interface PaymentEvidence {
  insuranceSettled?: { source: 'notify_6302' | 'query_6301' | 'staff'; ordStas: string; at: string };
  cashPaid?: { source: 'channel_notify' | 'channel_query' | 'not_needed' | 'centre_cashier' | 'staff'; at: string; cashTradeNo?: string };
}

export interface WriteBackStatus {
  attempts: number;
  firstAttemptAt?: string;
  lastAttemptAt?: string;
  lastError?: string;
  /** unclear answers must be resolved by a booking query before any retry */
  unclear?: boolean;
  /**
   * Set (and stored) just before a write-back request leaves, cleared with its answer. Found set,
   * it means the process died with the request in flight: HIS may have booked it, so the next
   * run asks HIS (queryBooking) before it writes again.
   */
  attemptStartedAt?: string;
  hisReceiptNo?: string;
  deadlineAt: string;
}

export type ReversalStepName = 'his_reversal' | 'insurance_refund' | 'cash_refund' | 'booking_query';

export interface ReversalStep {
  step: ReversalStepName;
  at: string;
  outcome: 'done' | 'rejected' | 'unclear' | 'failed' | 'skipped';
  detail: string;
}

export interface Refund {
  refundNo: string;
  /** who asked: HIS, a staff member or the reversal policy */
  requestedBy: 'his' | 'staff' | 'patient' | 'reversal';
  state: RefundState;
  amounts: Split;
  reason: string;
  createdAt: string;
  finishedAt?: string;
  /** route: HIS 冲正 or 6203; refundedAt: when the insurance part went back (the 医保退款通知's refund_time); unclear: answers missing so far */
  insurance?: { appRefdSn: string; route?: 'his_reversal' | '6203'; outcome?: 'SUCC' | 'FAIL' | 'EXP' | 'unknown'; refdSn?: string; refundedAt?: string; unclear?: number };
  cash?: { outcome?: 'succeeded' | 'processing' | 'failed' | 'unknown'; channelRefundId?: string; refundedAt?: string; unclear?: number; polls?: number };
  /** 医保退款通知 to the channel (WeChat 开发参数 §七), a durable job after the cash refund */
  notice?: { state: 'pending' | 'sent' | 'not_needed'; attempts: number; lastError?: string; sentAt?: string };
  lastError?: string;
}

export interface ManualReview {
  reason: string;
  openedAt: string;
  fromState: OrderState;
  resolvedAt?: string;
  resolvedBy?: string;
  resolution?: OrderState;
  note?: string;
}

export interface Order {
  orderNo: string;
  kind: OrderKind;
  /** where the order was made (the kiosk's self-pay leg goes through the centre's cashier) */
  channel: Exclude<Channel, 'cashier'>;
  state: OrderState;
  version: number;
  createdAt: string;
  updatedAt: string;

  /** the session subject that owns the order: `${channel}:${openId}` or `kiosk:${deviceId}` */
  ownerKey: string;
  openId?: string;
  hisPatientId: string;
  regionCode: string;
  psnNo: string;
  insutype: string;
  /** AES-GCM sealed {idNo, name}; needed for 6201/6301/6401/6203 */
  piiSealed: string;
  patientMasked: { nameMasked: string; idNoMasked: string };
  /** keyed hash of the ID number, for staff search (security/pii.ts lookupHash) */
  patientIdHash: string;
  /** made for one of the owner's family members (sessions/family.ts): paid with a 亲情付 authorization */
  familyMember?: { memberId: string; relation: string };

  title: string;
  detail: { department?: string; doctor?: string; visitTime?: string; slotId?: string; billNos?: string[] };
  preSettlement: Pick<PreSettlement, 'preSettlementId' | 'visit' | 'expiresAt'> & { items: FeeItem[] };

  amounts: Split;
  amountsFinal: boolean;
  /** 'self': 自费 — the channel alone, never the centre (domain/self-pay.ts); absent: 医保移动支付 */
  payMode?: 'self';
  /**
   * 6201 calls that went unanswered. No public source says the centre answers a repeated
   * medOrgOrd (public-rules item 9): the next upload goes out under fresh keys, as HSA does.
   */
  feeUploadsUnanswered?: number;
  national?: NationalLeg;
  payment?: PaymentLeg;
  evidence: PaymentEvidence;
  paidAt?: string;
  writeBack?: WriteBackStatus;
  reversal?: { startedAt: string; reason: string; steps: ReversalStep[] };
  refunds: Refund[];
  review?: ManualReview;
  timeline: TimelineEntry[];
}

export const TIMELINE_LIMIT = 200;

/** Fen refunded so far per component, counting refunds that took money back or may have. */
export function refundedSoFar(order: Order): Split {
  const live = order.refunds.filter((r) => r.state !== 'failed');
  const sum = (k: keyof Split) => live.reduce((n, r) => n + (r.amounts[k] ?? 0), 0);
  return { totalFen: sum('totalFen'), fundFen: sum('fundFen'), acctFen: sum('acctFen'), cashFen: sum('cashFen') };
}

export function refundableLeft(order: Order): Split {
  const done = refundedSoFar(order);
  return {
    totalFen: order.amounts.totalFen - done.totalFen,
    fundFen: order.amounts.fundFen - done.fundFen,
    acctFen: order.amounts.acctFen - done.acctFen,
    cashFen: order.amounts.cashFen - done.cashFen,
  };
}

export function sumItems(items: readonly { amountFen: Fen }[]): Fen {
  return items.reduce((n, i) => n + i.amountFen, 0);
}
