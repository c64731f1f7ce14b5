/**
 * Registration rules of the sandbox HIS beyond pricing: one registration per patient per doctor
 * session, and 退号 (cancelling a paid registration before its session starts). Both are how
 * hospital HIS products behave (inferred, configurable in config.ts: no public HIS spec names
 * them; the hsa-his sample's 挂号/退号 pair has the same shape — fengzaiqishi11/hsa-his).
 */
import { doctorByCode, halfDaysOf } from '../seed/his-catalog';
import { cnDateTime, cnInstant } from './clock';
import { CODES, refuse } from './protocol';
import type { HisWorld, RefundRec } from './world';

/** When the session a slot id names starts (epoch ms); undefined for an id HIS never issued. */
export function slotStart(slotId: string): number | undefined {
  const m = /^(.+)-(\d{4})(\d{2})(\d{2})-(AM|PM)$/.exec(slotId);
  const doctor = m ? doctorByCode(m[1]) : undefined;
  const half = m && doctor ? halfDaysOf(doctor).find((h) => h.period === m[5]) : undefined;
  return m && half ? cnInstant(`${m[2]}-${m[3]}-${m[4]}`, half.start) : undefined;
}

/** The registration of this patient in this slot that is paid (and not cancelled) or pending under another order number. */
export function heldRegistration(world: HisWorld, patientId: string, slotId: string, key: string, now = Date.now()): string | undefined {
  world.expireLocks(now);
  for (const s of world.settlements) {
    if (s.kind !== 'registration' || s.orderNo === key || s.patientId !== patientId || s.cancelledAt || s.refundedFen >= s.totalFen) continue;
    if (world.preSettlements.get(s.preSettlementId)?.slotId === slotId) return s.orderNo;
  }
  for (const ps of world.preSettlements.values()) {
    if (ps.status === 'active' && ps.kind === 'registration' && ps.patientId === patientId && ps.slotId === slotId && ps.key !== key) return ps.key;
  }
  return undefined;
}

/** Refuses a pre-settlement that would give the patient a second registration in the session. */
export function assertOneRegistration(world: HisWorld, patientId: string, slotId: string, key: string, now = Date.now()): void {
  const held = heldRegistration(world, patientId, slotId, key, now);
  if (held) throw refuse(CODES.ALREADY_REGISTERED, `该患者已有本医生本时段的挂号（订单 ${held}），同一时段限挂一个号`);
}

export interface CancelIn {
  order_no: string;
  refund_no: string;
  reason?: string;
}

/**
 * 退号: the paid registration is cancelled, its place goes back to the slot and the whole
 * payment is booked as refunded under `refund_no` (the BFF then returns the money). A repeat
 * answers the same cancellation.
 */
export function cancelRegistration(world: HisWorld, input: CancelIn, cutoffMinutes: number, now = Date.now()) {
  const s = world.settlementsOf(input.order_no).find((x) => !x.duplicate);
  if (!s) throw refuse(CODES.SETTLEMENT_NOT_FOUND, '原挂号记录不存在');
  if (s.kind !== 'registration') throw refuse(CODES.BUSINESS, '该订单不是挂号，不能退号');
  const answer = (r: RefundRec) => ({
    cancel_no: r.refundReceiptNo,
    order_no: s.orderNo,
    refund_no: r.refundNo,
    total_fen: r.totalFen,
    fund_fen: r.fundFen,
    acct_fen: r.acctFen,
    cash_fen: r.cashFen,
    cancelled_at: s.cancelledAt ?? r.refundedAt,
  });
  const done = world.refunds.find((r) => r.orderNo === s.orderNo && r.refundNo === input.refund_no);
  if (s.cancelledAt && done) return answer(done);
  if (s.cancelledAt) throw refuse(CODES.BUSINESS, '该挂号已退号');
  if (s.refundedFen > 0) throw refuse(CODES.REFUND_EXCEEDS, '该挂号已部分退费，请到窗口办理退号');
  const ps = world.preSettlements.get(s.preSettlementId);
  const start = ps?.slotId ? slotStart(ps.slotId) : undefined;
  if (start === undefined) throw refuse(CODES.NOT_FOUND, '号源不存在');
  if (now >= start - cutoffMinutes * 60_000) throw refuse(CODES.CANCEL_TOO_LATE, '已过退号时间（就诊时段已开始），不能退号');
  const at = cnDateTime(now);
  const rec: RefundRec = {
    totalFen: s.totalFen,
    fundFen: s.fundFen,
    acctFen: s.acctFen,
    cashFen: s.cashFen,
    refundReceiptNo: world.nextNo('TH', now),
    orderNo: s.orderNo,
    refundNo: input.refund_no,
    settlementReceiptNo: s.receiptNo,
    refundedAt: at,
  };
  world.refunds.push(rec);
  s.refundedFen = s.totalFen;
  s.cancelledAt = at;
  if (ps?.slotId) world.slotBookings.set(ps.slotId, Math.max(0, (world.slotBookings.get(ps.slotId) ?? 0) - 1));
  return answer(rec);
}
