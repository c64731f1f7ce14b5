/**
 * The life of one insurance order (keyed by the hospital order number, 6201 medOrgOrd).
 * The table is the only place transitions are allowed: every decision checks it when it moves an order
 * (bff/src/domain/change.ts, Draft.moveTo). The BFF's atomic Redis step (bff/src/store/scripts.ts,
 * ORDER_WRITE) does not look at states: it compares the order's version only, so of a racing callback
 * and poll one writes and the other re-runs its decision on the fresh order (checked against the table again).
 */

export const ORDER_STATES = [
  'created', //               HIS pre-settled; nothing sent to the centre yet
  'fee_uploaded', //          6201 accepted: payOrdId + payToken held
  'awaiting_payment', //      6202 accepted, split known; patient confirms / pays self-pay in the channel
  'awaiting_confirmation', // a peer's answer was unknown (timeout, unknown ordStas): 6301 polling decides
  'paid', //                  centre settled the insurance part and the self-pay part is collected; HIS write-back pending
  'completed', //             HIS recorded the settlement
  'reversing', //             HIS write-back abandoned: reversing insurance, refunding self-pay (C6)
  'reversed', //              one-sided payment undone
  'partially_refunded', //    after completion, part of the money went back
  'refunded', //              after completion, everything went back
  'cancelled', //             abandoned before payment (6401) or expired
  'failed', //                definitely not paid; nothing charged
  'manual_review', //         a person must decide (amount mismatch, reversal unclear, EXP refund…)
] as const;

export type OrderState = (typeof ORDER_STATES)[number];

const T: Record<OrderState, readonly OrderState[]> = {
  // created → awaiting_payment: a self-pay (自费) order, which never goes to the centre (no 6201)
  created: ['fee_uploaded', 'awaiting_payment', 'cancelled', 'failed', 'manual_review'],
  fee_uploaded: ['awaiting_payment', 'awaiting_confirmation', 'cancelled', 'failed', 'manual_review'],
  awaiting_payment: ['paid', 'awaiting_confirmation', 'cancelled', 'failed', 'manual_review'],
  awaiting_confirmation: ['fee_uploaded', 'awaiting_payment', 'paid', 'cancelled', 'failed', 'manual_review'],
  paid: ['completed', 'reversing', 'manual_review'],
  completed: ['partially_refunded', 'refunded', 'manual_review'],
  // completed: HIS turned out to have booked it after all (booking query), nothing to undo
  reversing: ['reversed', 'completed', 'manual_review'],
  partially_refunded: ['partially_refunded', 'refunded', 'manual_review'],
  reversed: [],
  refunded: [],
  // Final, unless contradicting evidence arrives later (money taken on a cancelled order):
  // that never silently stays final, it goes to a person.
  cancelled: ['manual_review'],
  failed: ['manual_review'],
  // A person resolves a case to the state that matches what actually happened.
  manual_review: ['completed', 'reversed', 'refunded', 'cancelled', 'failed'],
};

export const ORDER_TRANSITIONS: Readonly<Record<OrderState, readonly OrderState[]>> = T;

export function canTransition(from: OrderState, to: OrderState): boolean {
  return T[from].includes(to);
}

/** States in which nothing more happens without a person or a new refund request. */
export const FINAL_STATES: readonly OrderState[] = ['completed', 'reversed', 'partially_refunded', 'refunded', 'cancelled', 'failed'];

export function isFinal(s: OrderState): boolean {
  return FINAL_STATES.includes(s);
}

/** States in which the patient's money may be held by a peer and the outcome is still being settled. */
export const IN_FLIGHT_STATES: readonly OrderState[] = ['fee_uploaded', 'awaiting_payment', 'awaiting_confirmation', 'paid', 'reversing'];

export function isOrderState(v: unknown): v is OrderState {
  return typeof v === 'string' && (ORDER_STATES as readonly string[]).includes(v);
}

/** What the patient is shown for each state (plain Chinese, no jargon). */
export const ORDER_STATE_LABEL: Record<OrderState, string> = {
  created: '待支付',
  fee_uploaded: '待支付',
  awaiting_payment: '待支付',
  awaiting_confirmation: '支付确认中',
  paid: '已支付，医院确认中',
  completed: '支付成功',
  reversing: '退款处理中',
  reversed: '已退款',
  partially_refunded: '部分退款',
  refunded: '已退款',
  cancelled: '已取消',
  failed: '支付未成功',
  manual_review: '人工核对中',
};

/** What staff see for each state: the exact state (the patient labels merge several), plain Chinese all the same. */
export const STAFF_ORDER_STATE_LABEL: Record<OrderState, string> = {
  created: '已预结算',
  fee_uploaded: '已上传费用',
  awaiting_payment: '待患者支付',
  awaiting_confirmation: '支付结果确认中',
  paid: '已支付，待医院系统入账',
  completed: '已完成',
  reversing: '冲正中',
  reversed: '已冲正退回',
  partially_refunded: '部分退款',
  refunded: '已全额退款',
  cancelled: '已取消',
  failed: '支付失败',
  manual_review: '待人工核对',
};

export const REFUND_STATES = ['requested', 'insurance_refunded', 'succeeded', 'awaiting_confirmation', 'failed', 'manual_review'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

/** What the patient is shown for each refund state. */
export const REFUND_STATE_LABEL: Record<RefundState, string> = {
  requested: '退款申请中',
  insurance_refunded: '医保部分已退回，自付部分退款中',
  succeeded: '退款成功',
  awaiting_confirmation: '退款确认中',
  failed: '退款未成功，医院会与您联系',
  manual_review: '退款人工核对中',
};
