/**
 * The BFF's only view of a hospital information system (HIS). One adapter per HIS product
 * implements it; flows never see HTTP, field spellings or a vendor's status codes.
 *
 * Every call that changes something in HIS carries the hospital order number as its
 * idempotency key, so that a retried call books nothing twice.
 */
import type { Fen } from '@mip/shared';
import type { FeeItem, PreSettlement } from '../domain/fee';

/** The fee lines and pre-settlement are the order's own data (domain/fee.ts); HIS answers in them. */
export type { FeeItem, PreSettlement };

export interface HisCallContext {
  /** the hospital order number (6201 medOrgOrd) or another stable key; HIS de-duplicates on it */
  idempotencyKey: string;
}

/** How this HIS finds a patient: ID number, outpatient number or card number. */
export interface PatientIdentity {
  idNo: string;
  name: string;
  /** set once HIS knows the patient (returned by registerInsuredPatient) */
  hisPatientId?: string;
  outpatientNo?: string;
  cardNo?: string;
}

export interface HisRegion {
  code: string; // 6-digit admdvs
  name: string;
}

export interface HisBenefit {
  code: string;
  name: string;
  insutype: string; // 310 职工基本医疗保险 / 390 城乡居民基本医疗保险 …
  insutypeName: string;
  description: string;
  /** extra fields HIS wants back when the benefit is written back */
  psnType?: string;
}

export type InsuranceStatus =
  | { insured: false; reason: 'not_enrolled' | 'suspended' | 'other_region'; message: string }
  | { insured: true; psnNo: string; insuplcAdmdvs: string; benefits: HisBenefit[] };

export interface Department {
  code: string;
  name: string;
  location?: string;
  /** national department code (科别 caty) for 6201 */
  caty: string;
}

export interface Doctor {
  code: string;
  name: string;
  title: string;
  deptCode: string;
  specialty?: string;
  available: boolean;
}

export interface Slot {
  slotId: string;
  doctorCode: string;
  deptCode: string;
  date: string; // yyyy-MM-dd
  period: 'morning' | 'afternoon' | 'evening';
  startTime: string; // HH:mm
  endTime: string;
  feeFen: Fen;
  remaining: number;
}

export interface BillSummary {
  billNo: string;
  title: string;
  deptName: string;
  doctorName: string;
  createdAt: string;
  totalFen: Fen;
  itemCount: number;
}

export interface BillDetail extends BillSummary {
  items: FeeItem[];
}

/**
 * Under which insurance HIS prices the visit, or 自费 (payMode 'self': no insurance part, the
 * estimate is all cash — INFERRED, as HIS products pre-settle 自费 visits without psn_no/insutype).
 */
export type PreSettleMode = { insutype: string; psnNo: string; payMode?: 'insurance' } | { payMode: 'self'; insutype?: undefined; psnNo?: undefined };

export interface SettlementRecord {
  orderNo: string;
  preSettlementId: string;
  /** the centre's order; none for a self-pay (自费) order, which never reached the centre */
  payOrdId?: string;
  payMode?: 'self';
  /**
   * the whole split: with the centre's other-fund and hospital-borne parts when it answered them
   * (6202 othFeeAmt / hospPartAmt, SYN Trade6202OutData), so HIS books total = every part
   */
  amounts: { totalFen: Fen; fundFen: Fen; acctFen: Fen; cashFen: Fen; otherFundFen?: Fen; hospitalFen?: Fen };
  /** centre's trace time / settlement ids for the HIS ledger */
  traceTime: string;
  setlId?: string;
  mdtrtId?: string;
  channel: 'wechat' | 'alipay' | 'kiosk';
  cashTradeNo?: string;
}

/**
 * A HIS answer is one of: it booked it, it refused it (a clear, final no), or nobody knows.
 * "Unclear" is thrown as HisUnclearError, never returned as a result.
 */
/**
 * `request`: HIS refused our request as malformed (a defect on our side, never a reason to move
 * money back); `business`: HIS refused the booking itself (clear and final).
 */
export type RefusalKind = 'business' | 'request';

export type WriteBackResult = { outcome: 'recorded'; hisReceiptNo: string } | { outcome: 'rejected'; code: string; reason: string; refusal: RefusalKind };

export type ReversalResult = { outcome: 'reversed'; hisReversalNo: string } | { outcome: 'rejected'; code: string; reason: string };

/** 退号: HIS cancelled the registration and booked its payment as refunded (amounts: what goes back). */
export type CancelRegistrationResult =
  | { outcome: 'cancelled'; hisCancelNo: string; amounts: SettlementRecord['amounts'] }
  | { outcome: 'rejected'; code: 'TOO_LATE' | 'NOT_FOUND' | 'OTHER'; reason: string };

export type BookingCheck = { booked: true; hisReceiptNo: string } | { booked: false };

export class HisUnclearError extends Error {
  constructor(readonly op: string, message: string, override readonly cause?: unknown) {
    super(`HIS ${op}: outcome unclear: ${message}`);
    this.name = 'HisUnclearError';
  }
}

/** A clear refusal of a read or pre-settlement (unknown patient, bill not theirs, slot gone…). */
export class HisRejectedError extends Error {
  constructor(readonly op: string, readonly code: 'NOT_FOUND' | 'NOT_OWNER' | 'SLOT_UNAVAILABLE' | 'ALREADY_REGISTERED' | 'INVALID' | 'OTHER', message: string) {
    super(`HIS ${op}: ${message}`);
    this.name = 'HisRejectedError';
  }
}

export interface HisPort {
  readonly capabilities: {
    /** HIS can reverse (冲正) an insurance settlement itself; otherwise the BFF refunds it with 6203 */
    reversal: boolean;
    patientIndex: 'idNo' | 'outpatientNo' | 'cardNo';
  };

  listRegions(): Promise<HisRegion[]>; //                                                          C7
  insuranceStatus(q: { patient: PatientIdentity; regionCode: string }): Promise<InsuranceStatus>; // C8
  /** C10: the patient becomes an insured patient in HIS with this region and benefit */
  registerInsuredPatient(
    q: { patient: PatientIdentity; regionCode: string; psnNo: string; benefit: HisBenefit },
    ctx: HisCallContext,
  ): Promise<{ hisPatientId: string }>;
  /**
   * 自费: the patient as a self-pay patient (no insurance on file), found or created by ID number.
   * INFERRED (no public HIS interface names it; HIS products register 自费 patients at the window).
   */
  registerSelfPayPatient(q: { patient: PatientIdentity }, ctx: HisCallContext): Promise<{ hisPatientId: string }>;

  listDepartments(): Promise<Department[]>; //                                                      C14
  listDoctors(deptCode: string): Promise<Doctor[]>;
  listSlots(doctorCode: string): Promise<Slot[]>;
  preSettleRegistration(q: { hisPatientId: string; slotId: string } & PreSettleMode, ctx: HisCallContext): Promise<PreSettlement>;

  listUnpaidBills(q: { hisPatientId: string }): Promise<BillSummary[]>; //                          C13
  getBill(q: { hisPatientId: string; billNo: string }): Promise<BillDetail>;
  preSettleOutpatient(q: { hisPatientId: string; billNos: string[] } & PreSettleMode, ctx: HisCallContext): Promise<PreSettlement>;
  /** unlock a slot / bills when the order is cancelled before payment */
  releasePreSettlement(q: { preSettlementId: string }, ctx: HisCallContext): Promise<void>;

  writeBackSettlement(s: SettlementRecord, ctx: HisCallContext): Promise<WriteBackResult>; //     M5
  /** 冲正: HIS reverses the insurance part of a settlement it could not book */
  reverseInsurance(q: { orderNo: string; payOrdId: string; revsToken?: string; amounts: SettlementRecord['amounts'] }, ctx: HisCallContext): Promise<ReversalResult>;
  /** HIS-side refund of a booked settlement (used when a completed order is refunded) */
  refundSettlement(q: { orderNo: string; refundNo: string; amounts: SettlementRecord['amounts'] }, ctx: HisCallContext): Promise<WriteBackResult>;
  /** 退号: HIS cancels a paid registration before its session; `refundNo` is the refund the BFF then carries out */
  cancelRegistration(q: { orderNo: string; refundNo: string; reason: string }, ctx: HisCallContext): Promise<CancelRegistrationResult>;
  /** "did you book this?" for unclear answers (trade_check); never books anything itself */
  queryBooking(q: { orderNo: string; kind: 'settlement' | 'reversal' | 'refund'; refundNo?: string }): Promise<BookingCheck>;
}
