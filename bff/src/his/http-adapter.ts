import { z } from 'zod';
import type { HisConfig } from '../config/his';
import {
  amountsW,
  patientRef,
  preSettleModeW,
  rejectionCode,
  settlementW,
  toBillDetail,
  toBillSummary,
  toDepartment,
  toDoctor,
  toPreSettlement,
  toRegion,
  toSlot,
  toStatus,
} from './mapping';
import { HisRejectedError, HisUnclearError, type HisCallContext, type HisPort } from './port';
import { HisTransport, type HisAnswer } from './transport';
import {
  BUSINESS,
  BillDetailW,
  BillSummaryW,
  CancelW,
  DeptW,
  DoctorW,
  PatientW,
  PreSettlementW,
  RefundW,
  RegionW,
  ReleaseW,
  ReversalW,
  SettlementW,
  SlotW,
  StatusW,
  TradeCheckW,
} from './wire';

/** The answer of a read or pre-settlement, or the refusal as HisRejectedError. */
function accepted<T>(op: string, a: HisAnswer<T>): T {
  if (a.kind === 'ok') return a.data;
  throw new HisRejectedError(op, rejectionCode(a.band, a.code), a.message || `HIS refused (${a.code})`);
}

/**
 * HisPort over the hospital's JSON/HTTP open API (see wire.ts for the protocol). Reads are
 * GET (or POST when they carry personal data), everything that changes HIS is POST with the
 * order number in `Idempotency-Key`.
 */
export function createHttpHis(config: HisConfig): HisPort {
  const t = new HisTransport(config);
  const index = config.patientIndex;

  /** A read with no personal data: GET, the answer accepted or the refusal thrown. */
  const get = async <S extends z.ZodType>(op: string, path: string, data: S, query?: Record<string, string>) =>
    accepted(op, await t.read({ op, method: 'GET', path, query, data }));
  /** A call that changes HIS: POST with the caller's idempotency key. */
  const post = <S extends z.ZodType>(op: string, path: string, ctx: HisCallContext, data: S, body?: unknown) =>
    t.write({ op, method: 'POST', path, idempotencyKey: ctx.idempotencyKey, body, data });
  const refusal = (band: 'param' | 'business'): 'request' | 'business' => (band === 'param' ? 'request' : 'business');

  return {
    capabilities: { reversal: config.supportsReversal, patientIndex: index },

    async listRegions() {
      return (await get('regions', '/api/regions', z.array(RegionW))).map(toRegion);
    },

    async insuranceStatus(q) {
      // POST: the ID number must not travel in a URL (access logs)
      const body = { patient: patientRef(q.patient, index), region_code: q.regionCode };
      const a = await t.read({ op: 'insuranceStatus', method: 'POST', path: '/api/insurance/status', body, data: StatusW });
      return toStatus(accepted('insuranceStatus', a));
    },

    async registerInsuredPatient(q, ctx) {
      const benefit = { benefit_code: q.benefit.code, insutype: q.benefit.insutype, psn_type: q.benefit.psnType };
      const body = { patient: patientRef(q.patient, index), region_code: q.regionCode, psn_no: q.psnNo, benefit };
      const a = await post('registerPatient', '/api/patients/insured', ctx, PatientW, body);
      return { hisPatientId: accepted('registerPatient', a).patient_id };
    },

    async registerSelfPayPatient(q, ctx) {
      const a = await post('registerPatient', '/api/patients/self-pay', ctx, PatientW, { patient: patientRef(q.patient, index) });
      return { hisPatientId: accepted('registerPatient', a).patient_id };
    },

    async listDepartments() {
      return (await get('departments', '/api/registration/departments', z.array(DeptW))).map(toDepartment);
    },

    async listDoctors(deptCode) {
      return (await get('doctors', '/api/registration/doctors', z.array(DoctorW), { dept_code: deptCode })).map(toDoctor);
    },

    async listSlots(doctorCode) {
      return (await get('slots', '/api/registration/slots', z.array(SlotW), { doctor_code: doctorCode })).map(toSlot);
    },

    async preSettleRegistration(q, ctx) {
      const body = { patient_id: q.hisPatientId, slot_id: q.slotId, ...preSettleModeW(q) };
      const a = await post('preSettleRegistration', '/api/registration/pre-settle', ctx, PreSettlementW, body);
      return toPreSettlement(accepted('preSettleRegistration', a));
    },

    async listUnpaidBills(q) {
      const query = { patient_id: q.hisPatientId };
      return (await get('bills', '/api/outpatient/unpaid', z.array(BillSummaryW), query)).map(toBillSummary);
    },

    async getBill(q) {
      const path = `/api/outpatient/bills/${encodeURIComponent(q.billNo)}`;
      return toBillDetail(await get('bill', path, BillDetailW, { patient_id: q.hisPatientId }));
    },

    async preSettleOutpatient(q, ctx) {
      const body = { patient_id: q.hisPatientId, bill_nos: q.billNos, ...preSettleModeW(q) };
      const a = await post('preSettleOutpatient', '/api/outpatient/pre-settle', ctx, PreSettlementW, body);
      return toPreSettlement(accepted('preSettleOutpatient', a));
    },

    async releasePreSettlement(q, ctx) {
      const a = await post('release', `/api/pre-settlements/${encodeURIComponent(q.preSettlementId)}/release`, ctx, ReleaseW);
      // already released or expired: the lock is gone, which is what was asked
      if (a.kind === 'refused' && a.code === BUSINESS.PRESETTLEMENT_GONE) return;
      accepted('release', a);
    },

    async writeBackSettlement(s, ctx) {
      const a = await post('writeBack', '/api/settlements', ctx, SettlementW, settlementW(s));
      if (a.kind === 'refused' && a.code === BUSINESS.ALREADY_SETTLED) {
        // "already settled" is an answer about the past, not a refusal: confirm and take its receipt.
        const check = await this.queryBooking({ orderNo: s.orderNo, kind: 'settlement' });
        if (check.booked) return { outcome: 'recorded', hisReceiptNo: check.hisReceiptNo };
        throw new HisUnclearError('writeBack', 'HIS says already settled but has no booking for the order');
      }
      if (a.kind === 'refused') return { outcome: 'rejected', code: a.code, reason: a.message, refusal: refusal(a.band) };
      return { outcome: 'recorded', hisReceiptNo: a.data.receipt_no };
    },

    async reverseInsurance(q, ctx) {
      const path = `/api/settlements/${encodeURIComponent(q.orderNo)}/reversal`;
      const a = await post('reverse', path, ctx, ReversalW, { pay_ord_id: q.payOrdId, revs_token: q.revsToken, ...amountsW(q.amounts) });
      if (a.kind === 'refused') return { outcome: 'rejected', code: a.code, reason: a.message };
      return { outcome: 'reversed', hisReversalNo: a.data.reversal_no };
    },

    async refundSettlement(q, ctx) {
      const a = await post('refund', '/api/refunds', ctx, RefundW, { order_no: q.orderNo, refund_no: q.refundNo, ...amountsW(q.amounts) });
      if (a.kind === 'refused') return { outcome: 'rejected', code: a.code, reason: a.message, refusal: refusal(a.band) };
      return { outcome: 'recorded', hisReceiptNo: a.data.refund_receipt_no };
    },

    async cancelRegistration(q, ctx) {
      const body = { order_no: q.orderNo, refund_no: q.refundNo, reason: q.reason };
      const a = await post('cancelRegistration', '/api/registration/cancel', ctx, CancelW, body);
      if (a.kind === 'refused') {
        const code = a.code === BUSINESS.CANCEL_TOO_LATE ? 'TOO_LATE' : a.code === BUSINESS.SETTLEMENT_NOT_FOUND ? 'NOT_FOUND' : 'OTHER';
        return { outcome: 'rejected', code, reason: a.message };
      }
      const d = a.data;
      const amounts = { totalFen: d.total_fen, fundFen: d.fund_fen, acctFen: d.acct_fen, cashFen: d.cash_fen };
      if (amounts.fundFen + amounts.acctFen + amounts.cashFen !== amounts.totalFen) throw new HisUnclearError('cancelRegistration', 'HIS answered parts that do not add up to the total');
      return { outcome: 'cancelled', hisCancelNo: d.cancel_no, amounts };
    },

    async queryBooking(q) {
      const body = { trade_no: q.orderNo, business: q.kind, ...(q.refundNo ? { refund_no: q.refundNo } : {}) };
      const a = await t.read({ op: 'tradeCheck', method: 'POST', path: '/api/trade-check', body, data: TradeCheckW });
      // A refused check answers nothing about the booking: it must not read as "not booked".
      if (a.kind === 'refused') throw new HisUnclearError('tradeCheck', `HIS refused the check (${a.code} ${a.message})`);
      const no = a.data.reconciliation_no;
      return no === 'notfound' ? { booked: false } : { booked: true, hisReceiptNo: no };
    },
  };
}
