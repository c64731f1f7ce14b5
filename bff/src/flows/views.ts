import { FAMILY_RELATION_LABELS, ORDER_STATE_LABEL, type FamilyRelation, type OrderView, type PaymentView } from '@mip/shared';
import type { Order } from '../domain/order';
import { cancelDeadline, checkCancel, refundStateLabel } from '../domain/registration-cancel';

const PAYABLE = ['created', 'fee_uploaded', 'awaiting_payment'];

/**
 * The payments actually taken, from the order's evidence (the centre's settlement for the
 * insurance part, the channel's word for the self-pay part). A part that is zero, or a self-pay
 * leg the order never needed, is no payment. Amounts are the order's (fixed by 6202 and checked
 * against the settlement before the evidence was recorded).
 */
export function paymentsOf(o: Order): PaymentView[] {
  const channel = o.payment?.channel ?? o.channel;
  const out: PaymentView[] = [];
  const insuranceFen = o.amounts.fundFen + o.amounts.acctFen;
  if (o.evidence.insuranceSettled && insuranceFen > 0) {
    out.push({ kind: 'insurance', amountFen: insuranceFen, at: o.evidence.insuranceSettled.at, channel });
  }
  const cash = o.evidence.cashPaid;
  if (cash && cash.source !== 'not_needed' && o.amounts.cashFen > 0) {
    out.push({ kind: 'self_pay', amountFen: o.amounts.cashFen, at: cash.at, channel });
  }
  return out;
}

/**
 * The patient's view of an order: no tokens, no identity beyond the masked copies. With
 * `unpaidTtlMs` (the order.expire job's delay, config unpaidOrderTtlMs), a payable order says
 * when it is released if not paid (`payBefore`).
 */
export function toOrderView(o: Order, now = new Date(), unpaidTtlMs?: number, cancelCutoffMinutes?: number): OrderView {
  const expired = o.payment ? Date.parse(o.payment.expiresAt) < now.getTime() : false;
  const view: OrderView = {
    orderNo: o.orderNo,
    kind: o.kind,
    channel: o.channel,
    title: o.title,
    state: o.state,
    stateLabel: ORDER_STATE_LABEL[o.state],
    amounts: { ...o.amounts },
    amountsFinal: o.amountsFinal,
    createdAt: o.createdAt,
    patient: { ...o.patientMasked, ...(o.familyMember ? { memberId: o.familyMember.memberId, relationLabel: FAMILY_RELATION_LABELS[o.familyMember.relation as FamilyRelation] ?? '家人' } : {}) },
    detail: {
      ...(o.detail.department ? { department: o.detail.department } : {}),
      ...(o.detail.doctor ? { doctor: o.detail.doctor } : {}),
      ...(o.detail.visitTime ? { visitTime: o.detail.visitTime } : {}),
      items: o.preSettlement.items.map((i) => ({ name: i.name, amountFen: i.amountFen })),
    },
    payments: paymentsOf(o),
    refunds: o.refunds
      .filter((r) => r.requestedBy !== 'reversal' || ['reversed', 'reversing', 'failed', 'cancelled'].includes(o.state))
      .map((r) => ({
        refundNo: r.refundNo,
        state: r.state,
        amounts: { ...r.amounts },
        reason: r.reason,
        createdAt: r.createdAt,
        ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
        stateLabel: refundStateLabel(r),
      })),
    canPay: PAYABLE.includes(o.state) && !expired,
    canCancel: PAYABLE.includes(o.state),
  };
  if (o.paidAt) view.paidAt = o.paidAt;
  if (cancelCutoffMinutes !== undefined && o.kind === 'registration') {
    const c = checkCancel(o, now, cancelCutoffMinutes);
    view.canCancelRegistration = c.ok && !c.repeat;
    const until = cancelDeadline(o, cancelCutoffMinutes);
    if (view.canCancelRegistration && until) view.cancelBefore = until.toISOString();
  }
  if (o.payMode === 'self') view.payMode = 'self';
  if (unpaidTtlMs !== undefined && PAYABLE.includes(o.state)) view.payBefore = new Date(Date.parse(o.createdAt) + unpaidTtlMs).toISOString();
  return view;
}
