/**
 * C6 one-sided reversal (单边账冲正), as a resumable sequence of steps recorded on the order:
 *   1. booking_query     ask HIS once more whether it booked the settlement after all
 *   2. his_reversal      HIS reverses the insurance part (冲正), when HIS has such a call
 *      insurance_refund  otherwise, or when HIS refused the reversal: 6203 refund of the insurance part
 *   3. cash_refund       refund the self-pay part through the channel
 * Unclear answers are retried a bounded number of times, then the order goes to a person.
 * Each step's peer call is idempotent (fixed refund numbers), so a step repeated after a crash
 * moves no money twice.
 */
import { type Change, Draft } from './change';
import type { Order, ReversalStep, ReversalStepName } from './order';

export const REVERSAL_MAX_UNCLEAR = 5;

export type NextStep = ReversalStepName | 'finish';

/** The steps in the staff console's words (timeline and review reason). */
const STEP_WORD: Record<ReversalStepName, string> = { booking_query: '查询HIS入账', his_reversal: 'HIS冲正', insurance_refund: '医保退费', cash_refund: '自费退款' };

function last(o: Order, step: ReversalStepName): ReversalStep | undefined {
  return [...(o.reversal?.steps ?? [])].reverse().find((s) => s.step === step);
}

/** Which step runs next, from what is recorded. */
export function nextReversalStep(o: Order, hisCanReverse: boolean): NextStep {
  const done = (s: ReversalStepName) => last(o, s)?.outcome === 'done' || last(o, s)?.outcome === 'skipped';
  if (!done('booking_query')) return 'booking_query';
  const insurance = o.amounts.fundFen + o.amounts.acctFen;
  const insuranceDone = insurance === 0 || done('his_reversal') || done('insurance_refund');
  if (!insuranceDone) {
    const his = last(o, 'his_reversal');
    const hisRefused = his?.outcome === 'rejected';
    return hisCanReverse && !hisRefused ? 'his_reversal' : 'insurance_refund';
  }
  if (o.amounts.cashFen > 0 && !done('cash_refund')) return 'cash_refund';
  return 'finish';
}

export interface StepResult {
  outcome: ReversalStep['outcome'];
  detail: string;
  /** booking_query only: HIS had booked the settlement after all */
  booked?: { hisReceiptNo: string };
}

export interface ReversalDecision {
  change: Change | null;
  /** run the job again after this delay; undefined when nothing is left */
  retryInMs?: number;
}

export function onReversalStep(order: Order, step: ReversalStepName, r: StepResult, now: Date): ReversalDecision {
  const d = new Draft(order, now);
  const o = d.order;
  if (o.state !== 'reversing' || !o.reversal) return { change: null };
  o.reversal.steps.push({ step, at: d.iso, outcome: r.outcome, detail: r.detail });
  const rv = o.refunds.find((x) => x.requestedBy === 'reversal');

  if (step === 'booking_query' && r.booked) {
    if (o.writeBack) o.writeBack.hisReceiptNo = r.booked.hisReceiptNo;
    if (rv) {
      rv.state = 'failed';
      rv.lastError = 'not needed: HIS had booked the settlement';
      rv.finishedAt = d.iso;
    }
    return { change: d.moveTo('completed', 'HIS 实际已入账，无需冲正', 'his', r.booked.hisReceiptNo).done() };
  }

  if (r.outcome === 'done' || r.outcome === 'skipped') {
    d.note(`冲正步骤「${STEP_WORD[step]}」完成`, step === 'cash_refund' ? 'channel' : step === 'insurance_refund' ? 'centre' : 'his', r.detail);
    if (rv && (step === 'his_reversal' || step === 'insurance_refund')) rv.state = 'insurance_refunded';
    return { change: d.done(), retryInMs: 0 };
  }
  if (r.outcome === 'rejected' && step === 'his_reversal') {
    d.note('HIS 拒绝冲正：改由医保中心退费 (6203)', 'his', r.detail);
    return { change: d.done(), retryInMs: 0 };
  }
  const unclearCount = o.reversal.steps.filter((s) => s.step === step && (s.outcome === 'unclear' || s.outcome === 'failed')).length;
  if (r.outcome === 'rejected' || (r.outcome === 'failed' && step !== 'booking_query') || unclearCount >= REVERSAL_MAX_UNCLEAR) {
    if (rv) {
      rv.state = 'manual_review';
      rv.lastError = r.detail;
    }
    return { change: d.moveTo('manual_review', `冲正步骤「${STEP_WORD[step]}」需人工处理`, 'system', `冲正步骤「${STEP_WORD[step]}」未能完成: ${r.detail}`).done() };
  }
  d.note(`冲正步骤「${STEP_WORD[step]}」结果不明：稍后重试`, 'system', r.detail);
  return { change: d.done(), retryInMs: Math.min(60_000, 2000 * 2 ** unclearCount) };
}

export function onReversalFinished(order: Order, now: Date): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  if (o.state !== 'reversing') return null;
  const rv = o.refunds.find((x) => x.requestedBy === 'reversal');
  if (rv) {
    rv.state = 'succeeded';
    rv.finishedAt = d.iso;
  }
  return d.moveTo('reversed', '单边账已冲正', 'system', o.reversal?.reason).done();
}
