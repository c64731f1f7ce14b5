/**
 * Wire (HIS spelling) <-> port (BFF spelling). Pure functions; the only place that knows both.
 */
import type { z } from 'zod';
import type { HisConfig } from '../config/his';
import type {
  BillDetail,
  BillSummary,
  Department,
  Doctor,
  FeeItem,
  HisBenefit,
  HisRegion,
  HisRejectedError,
  InsuranceStatus,
  PatientIdentity,
  PreSettlement,
  PreSettleMode,
  SettlementRecord,
  Slot,
} from './port';
import {
  BUSINESS,
  type AmountsW,
  type BenefitW,
  type BillDetailW,
  type BillSummaryW,
  type DeptW,
  type DoctorW,
  type FeeItemW,
  type PatientRefW,
  type PreSettlementW,
  type RegionW,
  type SlotW,
  type StatusW,
} from './wire';

type W<S extends z.ZodType> = z.output<S>;

const CATEGORY = { '01': '甲类', '02': '乙类', '03': '丙类' } as const;
const PERIOD = { AM: 'morning', PM: 'afternoon', EV: 'evening' } as const;
const INDEX_TYPE = { idNo: 'id_no', outpatientNo: 'outpatient_no', cardNo: 'card_no' } as const;

/**
 * The patient as the configured index names them. A patient HIS has not indexed yet (no
 * outpatient or card number on file) is named by ID number, which every HIS accepts.
 */
export function patientRef(p: PatientIdentity, index: HisConfig['patientIndex']): PatientRefW {
  const value = index === 'idNo' ? p.idNo : p[index];
  if (value) return { index_type: INDEX_TYPE[index], index_value: value, id_no: p.idNo, name: p.name };
  return { index_type: 'id_no', index_value: p.idNo, id_no: p.idNo, name: p.name };
}

/**
 * The split as HIS books it. The other-fund and hospital-borne parts go as their own fields, only
 * when the centre answered them (6202 othFeeAmt / hospPartAmt): total = fund + acct + cash + both
 * (inferred: the HIS interface is the hospital's; the sum rule is TSX assertValidMedicalInsuranceAmounts).
 */
export function amountsW(a: SettlementRecord['amounts']): AmountsW {
  const parts = { total_fen: a.totalFen, fund_fen: a.fundFen, acct_fen: a.acctFen, cash_fen: a.cashFen };
  const other = a.otherFundFen ? { oth_fee_fen: a.otherFundFen } : {};
  return { ...parts, ...other, ...(a.hospitalFen ? { hosp_part_fen: a.hospitalFen } : {}) };
}

/** 自费 goes as pay_mode "self" without psn_no/insutype (INFERRED, his/port.ts PreSettleMode) */
export function preSettleModeW(q: PreSettleMode) {
  return q.payMode === 'self' ? { pay_mode: 'self' as const } : { insutype: q.insutype, psn_no: q.psnNo };
}

export function settlementW(s: SettlementRecord) {
  return {
    order_no: s.orderNo,
    pre_settlement_id: s.preSettlementId,
    ...(s.payOrdId ? { pay_ord_id: s.payOrdId } : {}),
    ...(s.payMode === 'self' ? { pay_mode: 'self' as const } : {}),
    ...amountsW(s.amounts),
    trace_time: s.traceTime,
    setl_id: s.setlId,
    mdtrt_id: s.mdtrtId,
    channel: s.channel,
    cash_trade_no: s.cashTradeNo,
  };
}

/** A documented refusal of a read or pre-settlement, in the port's words. */
export function rejectionCode(band: 'param' | 'business', code: string): HisRejectedError['code'] {
  if (band === 'param') return 'INVALID';
  switch (code) {
    case BUSINESS.NOT_FOUND:
    case BUSINESS.PRESETTLEMENT_GONE:
    case BUSINESS.SETTLEMENT_NOT_FOUND:
      return 'NOT_FOUND';
    case BUSINESS.NOT_OWNER:
      return 'NOT_OWNER';
    case BUSINESS.SLOT_UNAVAILABLE:
      return 'SLOT_UNAVAILABLE';
    case BUSINESS.ALREADY_REGISTERED:
      return 'ALREADY_REGISTERED';
    case BUSINESS.REGION_NOT_SUPPORTED:
    case BUSINESS.INSURANCE_MISMATCH:
    case BUSINESS.PATIENT_MISMATCH:
      return 'INVALID';
    default:
      return 'OTHER';
  }
}

export const toRegion = (r: W<typeof RegionW>): HisRegion => ({ code: r.admdvs, name: r.admdvs_name });

export const toBenefit = (b: W<typeof BenefitW>): HisBenefit => ({
  code: b.benefit_code,
  name: b.benefit_name,
  insutype: b.insutype,
  insutypeName: b.insutype_name,
  description: b.description,
  ...(b.psn_type ? { psnType: b.psn_type } : {}),
});

export function toStatus(s: W<typeof StatusW>): InsuranceStatus {
  if (s.insu_stas === '1') return { insured: true, psnNo: s.psn_no, insuplcAdmdvs: s.insuplc_admdvs, benefits: s.benefits.map(toBenefit) };
  const reason = s.insu_stas === '2' ? 'suspended' : s.insu_stas === '9' ? 'other_region' : 'not_enrolled';
  return { insured: false, reason, message: s.stas_desc };
}

export const toDepartment = (d: W<typeof DeptW>): Department => ({
  code: d.dept_code,
  name: d.dept_name,
  caty: d.caty,
  ...(d.location ? { location: d.location } : {}),
});

export const toDoctor = (d: W<typeof DoctorW>): Doctor => ({
  code: d.doctor_code,
  name: d.doctor_name,
  title: d.title,
  deptCode: d.dept_code,
  ...(d.specialty ? { specialty: d.specialty } : {}),
  available: d.status === '1',
});

export const toSlot = (s: W<typeof SlotW>): Slot => ({
  slotId: s.slot_id,
  doctorCode: s.doctor_code,
  deptCode: s.dept_code,
  date: s.date,
  period: PERIOD[s.period],
  startTime: s.start_time,
  endTime: s.end_time,
  feeFen: s.fee_fen,
  remaining: s.remaining,
});

export function toFeeItem(f: W<typeof FeeItemW>): FeeItem {
  return {
    feedetlSn: f.feedetl_sn,
    medListCodg: f.med_list_codg,
    medinsListCodg: f.medins_list_codg,
    name: f.item_name,
    ...(f.spec ? { spec: f.spec } : {}),
    ...(f.unit ? { unit: f.unit } : {}),
    quantity: f.cnt,
    unitPriceFen: f.pric_fen,
    ...(f.pric ? { unitPrice: f.pric } : {}),
    amountFen: f.amount_fen,
    category: CATEGORY[f.chrgitm_lv],
    ...(f.rxno ? { rxno: f.rxno } : {}),
    ...(f.drord_no ? { drordNo: f.drord_no } : {}),
    bilgDeptCodg: f.bilg_dept_codg,
    bilgDeptName: f.bilg_dept_name,
    bilgDrCodg: f.bilg_dr_codg,
    bilgDrName: f.bilg_dr_name,
    feeOcurTime: f.fee_ocur_time,
  };
}

export const toBillSummary = (b: W<typeof BillSummaryW>): BillSummary => ({
  billNo: b.bill_no,
  title: b.bill_title,
  deptName: b.dept_name,
  doctorName: b.doctor_name,
  createdAt: b.created_at,
  totalFen: b.total_fen,
  itemCount: b.item_count,
});

export const toBillDetail = (b: W<typeof BillDetailW>): BillDetail => ({ ...toBillSummary(b), items: b.fee_list.map(toFeeItem) });

export function toPreSettlement(p: W<typeof PreSettlementW>): PreSettlement {
  const v = p.visit;
  return {
    preSettlementId: p.pre_settlement_id,
    totalFen: p.total_fen,
    ...(p.estimate ? { estimate: { fundFen: p.estimate.fund_fen, acctFen: p.estimate.acct_fen, cashFen: p.estimate.cash_fen } } : {}),
    items: p.fee_list.map(toFeeItem),
    visit: {
      iptOtpNo: v.ipt_otp_no,
      ...(v.mdtrt_id ? { mdtrtId: v.mdtrt_id } : {}),
      deptCode: v.dept_code,
      deptName: v.dept_name,
      caty: v.caty,
      drCode: v.dr_code,
      drName: v.dr_name,
      medType: v.med_type,
      begntime: v.begntime,
      diseases: v.diseases,
    },
    expiresAt: p.expire_time,
  };
}
