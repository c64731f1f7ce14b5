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
import { HisRejectedError, HisUnclearError, type HisPort } from './port';
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

  return {
    capabilities: { reversal: config.supportsReversal, patientIndex: index },

    async listRegions() {
      const a = await t.read({ op: 'regions', method: 'GET', path: '/api/regions', data: z.array(RegionW) });
      return accepted('regions', a).map(toRegion);
    },

    async insuranceStatus(q) {
      // POST: the ID number must not travel in a URL (access logs)
      const a = await t.read({
        op: 'insuranceStatus',
        method: 'POST',
        path: '/api/insurance/status',
        body: { patient: patientRef(q.patient, index), region_code: q.regionCode },
        data: StatusW,
      });
      return toStatus(accepted('insuranceStatus', a));
    },

    async registerInsuredPatient(q, ctx) {
      const a = await t.write({
        op: 'registerPatient',
        method: 'POST',
        path: '/api/patients/insured',
        idempotencyKey: ctx.idempotencyKey,
        body: {
          patient: patientRef(q.patient, index),
          region_code: q.regionCode,
          psn_no: q.psnNo,
          benefit: { benefit_code: q.benefit.code, insutype: q.benefit.insutype, psn_type: q.benefit.psnType },
        },
        data: PatientW,
      });
      return { hisPatientId: accepted('registerPatient', a).patient_id };
    },

    async registerSelfPayPatient(q, ctx) {
      const a = await t.write({
        op: 'registerPatient',
        method: 'POST',
        path: '/api/patients/self-pay',
        idempotencyKey: ctx.idempotencyKey,
        body: { patient: patientRef(q.patient, index) },
        data: PatientW,
      });
      return { hisPatientId: accepted('registerPatient', a).patient_id };
    },

    async listDepartments() {
      const a = await t.read({ op: 'departments', method: 'GET', path: '/api/registration/departments', data: z.array(DeptW) });
      return accepted('departments', a).map(toDepartment);
    },

    async listDoctors(deptCode) {
      const a = await t.read({
        op: 'doctors',
        method: 'GET',
        path: '/api/registration/doctors',
        query: { dept_code: deptCode },
        data: z.array(DoctorW),
      });
      return accepted('doctors', a).map(toDoctor);
    },

    async listSlots(doctorCode) {
      const a = await t.read({
        op: 'slots',
        method: 'GET',
        path: '/api/registration/slots',
        query: { doctor_code: doctorCode },
        data: z.array(SlotW),
      });
      return accepted('slots', a).map(toSlot);
    },

    async preSettleRegistration(q, ctx) {
      const a = await t.write({
        op: 'preSettleRegistration',
        method: 'POST',
        path: '/api/registration/pre-settle',
        idempotencyKey: ctx.idempotencyKey,
        body: { patient_id: q.hisPatientId, slot_id: q.slotId, ...preSettleModeW(q) },
        data: PreSettlementW,
      });
      return toPreSettlement(accepted('preSettleRegistration', a));
    },

    async listUnpaidBills(q) {
      const a = await t.read({
        op: 'bills',
        method: 'GET',
        path: '/api/outpatient/unpaid',
        query: { patient_id: q.hisPatientId },
        data: z.array(BillSummaryW),
      });
      return accepted('bills', a).map(toBillSummary);
    },

    async getBill(q) {
      const a = await t.read({
        op: 'bill',
        method: 'GET',
        path: `/api/outpatient/bills/${encodeURIComponent(q.billNo)}`,
        query: { patient_id: q.hisPatientId },
        data: BillDetailW,
      });
      return toBillDetail(accepted('bill', a));
    },

    async preSettleOutpatient(q, ctx) {
      const a = await t.write({
        op: 'preSettleOutpatient',
        method: 'POST',
        path: '/api/outpatient/pre-settle',
        idempotencyKey: ctx.idempotencyKey,
        body: { patient_id: q.hisPatientId, bill_nos: q.billNos, ...preSettleModeW(q) },
        data: PreSettlementW,
      });
      return toPreSettlement(accepted('preSettleOutpatient', a));
    },

    async releasePreSettlement(q, ctx) {
      const a = await t.write({
        op: 'release',
        method: 'POST',
        path: `/api/pre-settlements/${encodeURIComponent(q.preSettlementId)}/release`,
        idempotencyKey: ctx.idempotencyKey,
        data: ReleaseW,
      });
      // already released or expired: the lock is gone, which is what was asked
      if (a.kind === 'refused' && a.code === BUSINESS.PRESETTLEMENT_GONE) return;
      accepted('release', a);
    },

    async writeBackSettlement(s, ctx) {
      const a = await t.write({
        op: 'writeBack',
        method: 'POST',
        path: '/api/settlements',
        idempotencyKey: ctx.idempotencyKey,
        body: settlementW(s),
        data: SettlementW,
      });
      if (a.kind === 'refused' && a.code === BUSINESS.ALREADY_SETTLED) {
        // "already settled" is an answer about the past, not a refusal: confirm and take its receipt.
        const check = await this.queryBooking({ orderNo: s.orderNo, kind: 'settlement' });
        if (check.booked) return { outcome: 'recorded', hisReceiptNo: check.hisReceiptNo };
        throw new HisUnclearError('writeBack', 'HIS says already settled but has no booking for the order');
      }
      if (a.kind === 'refused') return { outcome: 'rejected', code: a.code, reason: a.message, refusal: a.band === 'param' ? 'request' : 'business' };
      return { outcome: 'recorded', hisReceiptNo: a.data.receipt_no };
    },

    async reverseInsurance(q, ctx) {
      const a = await t.write({
        op: 'reverse',
        method: 'POST',
        path: `/api/settlements/${encodeURIComponent(q.orderNo)}/reversal`,
        idempotencyKey: ctx.idempotencyKey,
        body: { pay_ord_id: q.payOrdId, revs_token: q.revsToken, ...amountsW(q.amounts) },
        data: ReversalW,
      });
      if (a.kind === 'refused') return { outcome: 'rejected', code: a.code, reason: a.message };
      return { outcome: 'reversed', hisReversalNo: a.data.reversal_no };
    },

    async refundSettlement(q, ctx) {
      const a = await t.write({
        op: 'refund',
        method: 'POST',
        path: '/api/refunds',
        idempotencyKey: ctx.idempotencyKey,
        body: { order_no: q.orderNo, refund_no: q.refundNo, ...amountsW(q.amounts) },
        data: RefundW,
      });
      if (a.kind === 'refused') return { outcome: 'rejected', code: a.code, reason: a.message, refusal: a.band === 'param' ? 'request' : 'business' };
      return { outcome: 'recorded', hisReceiptNo: a.data.refund_receipt_no };
    },

    async cancelRegistration(q, ctx) {
      const a = await t.write({
        op: 'cancelRegistration',
        method: 'POST',
        path: '/api/registration/cancel',
        idempotencyKey: ctx.idempotencyKey,
        body: { order_no: q.orderNo, refund_no: q.refundNo, reason: q.reason },
        data: CancelW,
      });
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
      const a = await t.read({
        op: 'tradeCheck',
        method: 'POST',
        path: '/api/trade-check',
        body: { trade_no: q.orderNo, business: q.kind, ...(q.refundNo ? { refund_no: q.refundNo } : {}) },
        data: TradeCheckW,
      });
      // A refused check answers nothing about the booking: it must not read as "not booked".
      if (a.kind === 'refused') throw new HisUnclearError('tradeCheck', `HIS refused the check (${a.code} ${a.message})`);
      const no = a.data.reconciliation_no;
      return no === 'notfound' ? { booked: false } : { booked: true, hisReceiptNo: no };
    },
  };
}
