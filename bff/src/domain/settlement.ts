/**
 * Decisions about payment evidence. The centre (6302 notification, 6301 query) is the authority
 * for the insurance part, the channel (notification, query) for the self-pay part; the order is
 * `paid` only when both are known, in whichever order they arrive. Notifications and polls race:
 * every decision here is deterministic on (order, report), so a repeated report decides nothing.
 */
import { splitAddsUp, type OrderState, type Split } from '@mip/shared';
import { type Change, Draft, type By } from './change';
import { AFTER_CASH, AFTER_INSURANCE, job } from './jobs';
import type { Order } from './order';
import { classifyOrdStas, ordStasText } from './ord-stas';
import { isSelfPay, onSelfPayCashReport } from './self-pay';
import { failedWithMoneyBack, onInsuranceSettledAfterFailure, onPaymentFailedWithMoneyTaken } from './money-back';
import type { CashReport, SettlementPolicy } from './reports';

export type { CashReport, SettlementPolicy };

export interface SettlementReport {
  source: 'notify_6302' | 'query_6301';
  payOrdId: string;
  medOrgOrd?: string;
  /**
   * Absent in a TSX-form 6302 (callType "02" instead, TSX normalizeMedicalInsuranceSettlementNotification);
   * HSA SeltSucCallbackDTO carries it. Without it the report is a hint, settled only when its
   * amounts are the stored 6202 split, otherwise confirmed through 6301.
   */
  ordStas?: string;
  callType?: string;
  /** an authentic 6302 sealed longer ago than the freshness window: only a hint to ask 6301 */
  stale?: boolean;
  amounts?: Split;
  traceTime?: string;
  setlId?: string;
  mdtrtId?: string;
  revsToken?: string;
}

/** States in which the outcome of the payment is still open. */
const OPEN: readonly OrderState[] = ['fee_uploaded', 'awaiting_payment', 'awaiting_confirmation'];
const isOpen = (o: Order) => OPEN.includes(o.state);
/** States where a report of money movement contradicts what we believe. */
const DEAD: readonly OrderState[] = ['cancelled', 'failed'];

/** Every part, the other-fund and hospital parts included (TSX medicalInsuranceStatusForNotification compares them all). */
function sameSplit(a: Split, b: Split): boolean {
  return a.totalFen === b.totalFen && a.fundFen === b.fundFen && a.acctFen === b.acctFen && a.cashFen === b.cashFen &&
    (a.otherFundFen ?? 0) === (b.otherFundFen ?? 0) && (a.hospitalFen ?? 0) === (b.hospitalFen ?? 0);
}

/** Not proof enough to decide: an open order asks the centre (6301); anything else ignores it. */
function confirmByQuery(d: Draft, policy: SettlementPolicy, what: string, by: By): Change | null {
  const o = d.order;
  if (o.evidence.insuranceSettled || !isOpen(o) || o.state === 'awaiting_confirmation') return null;
  return d.moveTo('awaiting_confirmation', what, by).enqueue(job('settlement.poll', o.orderNo, { delayMs: 0, attempt: 1 })).done();
}

/**
 * A report without ordStas (TSX 6302) or an old copy: settled only when it says callType "02"
 * with exactly the split the centre gave in 6202; when in doubt, 6301 decides.
 */
function classifyHint(o: Order, r: SettlementReport): 'settled' | 'confirm' {
  if (r.stale) return 'confirm';
  return r.callType === '02' && r.amounts && o.national?.ordered && sameSplit(r.amounts, o.amounts) ? 'settled' : 'confirm';
}

function toReview(d: Draft, reason: string, by: By): Change | null {
  if (d.order.state === 'manual_review') return null;
  return d.moveTo('manual_review', '转人工核对', by, reason).done();
}

/** When both legs are known, the order is paid and the HIS write-back is queued. */
function completeIfBothKnown(d: Draft, policy: SettlementPolicy, by: By): void {
  const o = d.order;
  if (!o.evidence.insuranceSettled) return;
  if (!o.evidence.cashPaid && o.amounts.cashFen === 0) o.evidence.cashPaid = { source: 'not_needed', at: d.iso };
  if (!o.evidence.cashPaid) return;
  o.paidAt = d.iso;
  o.writeBack = { attempts: 0, deadlineAt: new Date(d.now.getTime() + policy.writeBackDeadlineMs).toISOString() };
  d.moveTo('paid', '支付完成', by).enqueue(job('his.writeBack', o.orderNo));
}

export function onSettlementReport(order: Order, r: SettlementReport, policy: SettlementPolicy, now: Date): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  const by: By = 'centre';
  if (!o.national || o.national.payOrdId !== r.payOrdId) {
    return toReview(d, `结算结果的支付订单号 ${r.payOrdId} 与本单不符`, by);
  }
  if (r.ordStas === undefined || r.stale) {
    if (classifyHint(o, r) === 'confirm') return confirmByQuery(d, policy, r.stale ? '收到过期的医保结算通知，向医保中心核实' : '医保结算通知待核实 (6301)', by);
  } else if (o.national.lastOrdStas === r.ordStas && !isOpen(o)) return null;
  const cls = r.ordStas === undefined ? 'settled' : classifyOrdStas(r.ordStas, policy.settledOrdStas);
  const text = r.ordStas === undefined ? `callType ${r.callType}` : ordStasText(r.ordStas);

  if (cls === 'settled') {
    if (o.evidence.insuranceSettled) return null; // duplicate
    // a payment that failed with money taken: the insurance the centre settled goes back too
    if (failedWithMoneyBack(o)) {
      if (r.amounts && !sameSplit(r.amounts, o.amounts)) return toReview(d, `支付失败的订单被医保中心结算，且金额不一致: ${JSON.stringify(r.amounts)}`, by);
      return onInsuranceSettledAfterFailure(d, r.source, r.ordStas ?? `callType ${r.callType}`);
    }
    if (DEAD.includes(o.state)) return toReview(d, `订单已${o.state === 'cancelled' ? '取消' : '失败'}，但医保中心报告已结算 (${text})`, by);
    if (!isOpen(o)) return null;
    if (!r.amounts) {
      // Settled without amounts cannot be checked: confirm through 6301, which must carry them.
      if (o.state === 'awaiting_confirmation') return null;
      return d.moveTo('awaiting_confirmation', '医保中心报告已结算但缺少金额', by, text)
        .enqueue(job('settlement.poll', o.orderNo, { delayMs: policy.pollBaseMs, attempt: 1 })).done();
    }
    if (!sameSplit(r.amounts, o.amounts)) {
      return toReview(d, `医保结算金额与下单金额不一致: 结算 ${JSON.stringify(r.amounts)} / 下单 ${JSON.stringify(o.amounts)}`, by);
    }
    if (r.ordStas !== undefined) o.national.lastOrdStas = r.ordStas;
    o.national.settledAt = d.iso;
    if (r.traceTime) o.national.traceTime = r.traceTime;
    if (r.setlId) o.national.setlId = r.setlId;
    if (r.revsToken) o.national.revsToken = r.revsToken;
    if (r.mdtrtId && !o.national.mdtrtId) o.national.mdtrtId = r.mdtrtId;
    o.evidence.insuranceSettled = { source: r.source, ordStas: r.ordStas ?? text, at: d.iso };
    d.note(`医保已结算 (${text})`, by, r.source);
    completeIfBothKnown(d, policy, by);
    if (o.state !== 'paid') {
      // The centre has settled; the channel's word on the self-pay part is still missing.
      d.enqueue(job('payment.poll', o.orderNo, { delayMs: 1000, attempt: 1, data: { ...AFTER_INSURANCE } }));
    }
    return d.done();
  }

  if (r.ordStas !== undefined) o.national.lastOrdStas = r.ordStas;
  switch (cls) {
    case 'processing':
      // After an unanswered 6202 the query tells whether the insurance order exists.
      if (o.state === 'awaiting_confirmation' && !o.payment && !o.national.ordered) {
        if (r.amounts && r.amounts.totalFen === o.amounts.totalFen && splitAddsUp(r.amounts)) {
          o.amounts = r.amounts;
          o.amountsFinal = true;
          o.national.ordered = true;
          return d.moveTo('awaiting_payment', '查询确认医保已下单 (6301)', by, text).done();
        }
        if (!r.amounts && r.ordStas === '0') return d.moveTo('fee_uploaded', '医保未下单，可重新支付', by, text).done();
      }
      return null;
    case 'failed':
      if (isOpen(o) && !o.evidence.cashPaid) return d.moveTo('failed', '医保结算失败', by, text).done();
      if (failedWithMoneyBack(o)) return null; // the channel said so first; its money is on its way back
      return toReview(d, `医保中心报告结算失败，但本单状态为 ${o.state} (${text})`, by);
    case 'cancelled':
      if (isOpen(o) && !o.evidence.cashPaid) return d.moveTo('cancelled', '医保中心已撤销', by, text).done();
      if (o.state === 'cancelled' || failedWithMoneyBack(o)) return null;
      // our own reversal through HIS (冲正, C6) shows at the centre as revoked: expected, not a case for a person
      if (o.state === 'reversing' || o.state === 'reversed') return null;
      return toReview(d, `医保中心报告已撤销，但本单状态为 ${o.state} (${text})`, by);
    case 'refunded':
      if (['refunded', 'partially_refunded', 'reversed', 'reversing'].includes(o.state) || failedWithMoneyBack(o)) return null;
      return toReview(d, `医保中心报告已退款，但本单状态为 ${o.state} (${text})`, by);
    case 'anomaly':
      return toReview(d, `医保中心报告订单异常 (${text})`, by);
    case 'unknown':
    default:
      if (o.state === 'awaiting_confirmation' || !isOpen(o)) return null;
      return d.moveTo('awaiting_confirmation', '医保中心返回未知订单状态', by, text)
        .enqueue(job('settlement.poll', o.orderNo, { delayMs: policy.pollBaseMs, attempt: 1 })).done();
  }
}

export function onCashReport(order: Order, r: CashReport, policy: SettlementPolicy, now: Date): Change | null {
  if (isSelfPay(order)) return onSelfPayCashReport(order, r, policy, now);
  const d = new Draft(order, now);
  const o = d.order;
  const by: By = 'channel';
  if (r.status === 'pending') return null;
  if (r.status === 'unknown') {
    if (o.state === 'awaiting_confirmation' || !isOpen(o)) return null;
    return d.moveTo('awaiting_confirmation', '支付渠道返回未知状态', by)
      .enqueue(job('settlement.poll', o.orderNo, { delayMs: policy.pollBaseMs, attempt: 1 })).done();
  }
  if (r.status === 'failed' && (r.legs?.cash === 'taken' || r.legs?.insurance === 'taken')) {
    // failed, yet a leg was taken (WeChat MIX_PAY_FAIL + SELF_PAY_SUCCESS, public-rules item 13):
    // the order fails and what was taken goes back at once (domain/money-back.ts)
    return onPaymentFailedWithMoneyTaken(d, r.legs, by);
  }
  if (r.status === 'failed' || r.status === 'refunded') {
    if (!isOpen(o) || o.evidence.cashPaid) return null;
    // A failed mixed payment means neither leg was taken — but only the centre can say so for
    // the insurance part, so the order waits for 6301 instead of failing on the channel's word.
    if (o.state === 'awaiting_confirmation') return null;
    return d.moveTo('awaiting_confirmation', `支付渠道报告支付${r.status === 'failed' ? '失败' : '已退款'}`, by)
      .enqueue(job('settlement.poll', o.orderNo, { delayMs: 0, attempt: 1 })).done();
  }
  // paid
  if (o.evidence.cashPaid) return null;
  if (DEAD.includes(o.state)) return toReview(d, `订单已${o.state === 'cancelled' ? '取消' : '失败'}，但支付渠道报告已付款`, by);
  if (!isOpen(o)) return null;
  if (r.cashPaidFen !== undefined && r.cashPaidFen !== o.amounts.cashFen) {
    return toReview(d, `自费实付 ${r.cashPaidFen} 分与应付 ${o.amounts.cashFen} 分不一致`, by);
  }
  if (r.totalFen !== undefined && r.totalFen !== o.amounts.totalFen) {
    return toReview(d, `支付渠道的订单总额 ${r.totalFen} 分与本单 ${o.amounts.totalFen} 分不一致`, by);
  }
  o.evidence.cashPaid = { source: r.source, at: r.paidAt ?? d.iso, cashTradeNo: r.cashTradeNo };
  if (o.payment && r.cashTradeNo) o.payment.cashTradeNo = r.cashTradeNo;
  d.note('自费部分已收款', by, r.source);
  completeIfBothKnown(d, policy, by);
  // the centre's 6302 is due about when the channel's word is: 6301 asks only once it is late (issue 14)
  if (o.state !== 'paid') d.enqueue(job('settlement.poll', o.orderNo, { delayMs: policy.pollBaseMs, attempt: 1, data: { ...AFTER_CASH } }));
  return d.done();
}

/** A peer did not answer (timeout, dropped connection): the outcome is open until a query says. */
export function onOutcomeUnknown(order: Order, what: string, policy: SettlementPolicy, now: Date): Change | null {
  const d = new Draft(order, now);
  if (d.order.state === 'awaiting_confirmation' || !isOpen(d.order)) return null;
  return d.moveTo('awaiting_confirmation', what, 'system', '结果不明：向医保中心查询确认 (6301)')
    .enqueue(job('settlement.poll', d.order.orderNo, { delayMs: policy.pollBaseMs, attempt: 1 })).done();
}

/**
 * Polling gave no final answer after the allowed attempts. An outcome we could not learn goes to a
 * person: an order awaiting confirmation, and an open order one of whose legs took money while the
 * other's word never came — the cash with no settlement from the centre (its 6302 lost, 6301
 * unanswered), or the insurance with no word from the channel. Nothing else would close such an
 * order: its expiry ends once money moved (flows/cancelling.ts); the fault suite under load left one
 * awaiting_payment with the cash taken and ordStas 6 at the centre. Only the poll the money started
 * (`after`, domain/jobs.ts AFTER_CASH / AFTER_INSURANCE) decides that, so an older poll that runs out
 * just after the money came does not hand the order over early. An order the patient simply has not
 * paid yet is left to its expiry (6401).
 */
export function onPollingExhausted(order: Order, attempts: number, now: Date, after?: string): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  if (o.state === 'awaiting_confirmation') return toReview(d, `医保结算结果查询 ${attempts} 次仍未确定`, 'system');
  if (!isOpen(o)) return null;
  if (after === AFTER_CASH.after && o.evidence.cashPaid && !o.evidence.insuranceSettled) {
    // an order with no self-pay part was confirmed by the channel all the same (an insurance-only WeChat order)
    return toReview(d, `${o.amounts.cashFen > 0 ? '自费部分已收款' : '支付渠道已确认支付'}，医保结算结果查询 ${attempts} 次仍未确定`, 'system');
  }
  if (after === AFTER_INSURANCE.after && o.evidence.insuranceSettled && !o.evidence.cashPaid) {
    return toReview(d, `医保已结算，支付渠道查询 ${attempts} 次仍未确认自费部分`, 'system');
  }
  return null;
}

/**
 * The expiry could not cancel an unpaid order in all its attempts (6401 refused or unanswered, the
 * channel's order not closable): a person finds out what happened, instead of the order staying
 * open with nothing left to close it.
 */
export function onExpiryExhausted(order: Order, attempts: number, now: Date): Change | null {
  const d = new Draft(order, now);
  if (!isOpen(d.order)) return null;
  return toReview(d, `订单超时后 ${attempts} 次仍未能取消或确认`, 'system');
}
