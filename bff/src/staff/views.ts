import { STAFF_ORDER_STATE_LABEL } from '@mip/shared';
import type { StaffOrderDetail, StaffOrderRow } from './contract';
import { refundedSoFar, type Order } from '../domain/order';
import { reviewTargets } from '../domain/review';
import { maskText } from '../obs/mask';
import type { PeerCallRecord } from '../store/order-store';

/**
 * What staff see of an order. Identity only masked; tokens (payToken, revsToken) and the sealed
 * identity never leave the BFF. Free text from peers passes the ID-number masker, because a
 * peer's error message may quote the number it was sent.
 */
/** Staff labels live with the patient's in the one source (shared/src/order-state.ts). */
export const STAFF_STATE_LABEL = STAFF_ORDER_STATE_LABEL;

const opt = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } => (v === undefined ? {} : ({ [key]: v } as { [P in K]?: V }));

export function toStaffRow(o: Order): StaffOrderRow {
  return {
    orderNo: o.orderNo,
    kind: o.kind,
    channel: o.channel,
    state: o.state,
    stateLabel: STAFF_STATE_LABEL[o.state],
    title: o.title,
    createdAt: o.createdAt,
    ...opt('paidAt', o.paidAt),
    patient: { nameMasked: o.patientMasked.nameMasked, idNoMasked: o.patientMasked.idNoMasked },
    amounts: { ...o.amounts },
    refundedFen: refundedSoFar(o).totalFen,
    reviewOpen: o.state === 'manual_review',
    ...opt('payMode', o.payMode),
  };
}

function payments(o: Order): StaffOrderDetail['payments'] {
  const out: StaffOrderDetail['payments'] = [];
  const insuranceFen = o.amounts.fundFen + o.amounts.acctFen;
  if (o.national) {
    const settled = o.evidence.insuranceSettled;
    out.push({
      part: 'insurance',
      via: 'centre',
      amountFen: insuranceFen,
      reference: o.national.payOrdId,
      ...opt('tradeNo', o.national.setlId),
      status: insuranceFen === 0 ? 'not_needed' : settled ? 'paid' : 'pending',
      ...opt('at', o.national.settledAt ?? settled?.at),
    });
  }
  if (o.payment) {
    const cash = o.evidence.cashPaid;
    out.push({
      part: 'self_pay',
      via: o.payment.channel,
      amountFen: o.amounts.cashFen,
      reference: o.payment.outTradeNo,
      ...opt('tradeNo', o.payment.cashTradeNo ?? cash?.cashTradeNo),
      status: o.amounts.cashFen === 0 || cash?.source === 'not_needed' ? 'not_needed' : cash ? 'paid' : 'pending',
      ...opt('at', cash?.at),
    });
  }
  return out;
}

export function toStaffDetail(o: Order, calls: PeerCallRecord[]): StaffOrderDetail {
  const wb = o.writeBack;
  return {
    ...toStaffRow(o),
    version: o.version,
    updatedAt: o.updatedAt,
    amountsFinal: o.amountsFinal,
    hisPatientId: o.hisPatientId,
    regionCode: o.regionCode,
    insutype: o.insutype,
    detail: {
      ...opt('department', o.detail.department),
      ...opt('doctor', o.detail.doctor),
      ...opt('visitTime', o.detail.visitTime),
      ...opt('billNos', o.detail.billNos),
      items: o.preSettlement.items.map((i) => ({ name: i.name, amountFen: i.amountFen })),
    },
    payments: payments(o),
    refunds: o.refunds.map((r) => ({
      refundNo: r.refundNo,
      requestedBy: r.requestedBy,
      state: r.state,
      amounts: { ...r.amounts },
      reason: maskText(r.reason),
      createdAt: r.createdAt,
      ...opt('finishedAt', r.finishedAt),
      ...opt('insuranceOutcome', r.insurance?.outcome),
      ...opt('cashOutcome', r.cash?.outcome),
      ...opt('insuranceRoute', r.insurance?.route),
      ...opt('noticeState', r.notice?.state),
      ...opt('lastError', r.lastError === undefined ? undefined : maskText(r.lastError)),
    })),
    reversal: o.reversal
      ? { startedAt: o.reversal.startedAt, reason: maskText(o.reversal.reason), steps: o.reversal.steps.map((s) => ({ ...s, detail: maskText(s.detail) })) }
      : null,
    writeBack: wb
      ? {
          attempts: wb.attempts,
          ...opt('lastAttemptAt', wb.lastAttemptAt),
          ...opt('lastError', wb.lastError === undefined ? undefined : maskText(wb.lastError)),
          unclear: wb.unclear ?? false,
          ...opt('hisReceiptNo', wb.hisReceiptNo),
          deadlineAt: wb.deadlineAt,
        }
      : null,
    review: o.review ? { ...o.review, reason: maskText(o.review.reason), ...opt('note', o.review.note) } : null,
    reviewTargets: reviewTargets(o),
    timeline: o.timeline.map((t) => ({ ...t, ...opt('reason', t.reason === undefined ? undefined : maskText(t.reason)) })),
    calls: calls.map((c) => ({ ...c, ...opt('detail', c.detail === undefined ? undefined : maskText(c.detail)) })),
  };
}
