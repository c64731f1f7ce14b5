/**
 * ONE MONEY-BACK PROCESS: every path on which a patient's money goes back, what goes back, by
 * which route, and what happens after each leg's answer. The flows (flows/money-back.ts) only
 * call the peer this file names and hand the answer back here.
 *
 * Why money goes back (each is one `Refund` record on the order, carried out by one job):
 *   refund          HIS or staff asked for it on a completed order (domain/refund.ts admits it)  `<refundNo>`
 *   reversal        the HIS write-back was refused or ran past its deadline (C6 单边账冲正)       `<orderNo>RV`
 *   failed payment  the channel says the mixed payment failed, yet a leg was taken (WeChat
 *                   MIX_PAY_FAIL + SELF_PAY_SUCCESS: 质量检查 #10, public-rules item 13), or the
 *                   centre settled the insurance of an order that had already failed           `<orderNo>RF` / `<orderNo>RI`
 *
 * Routes, in this order (the insurance part first, then the cash: 6203 notes §11, WeChat 开发参数 §七):
 *   0. reversal only: ask HIS once more whether it booked the settlement after all → completed
 *   1. insurance  reversal with a HIS that can reverse: HIS 冲正; refused by HIS → 6203 (refdType HI)
 *                 every other case: 6203 (refdType HI), appRefdSn fixed per refund (its idempotency key)
 *   2. cash       through the payment channel (`refundCash`, the refund number is out_refund_no)
 *   3. notice     医保退款通知 to the channel, a durable job of its own, after the cash refund,
 *                 with refundedAt = the insurance refund's time (开发参数 §七, 质量检查 #23)
 *
 * After each leg's answer:
 *   succeeded               record it (with its time), go on to the next leg
 *   processing              ask again with the same number, with back-off; too long → a person
 *   unknown (no answer)     ask again with the same number (every route is idempotent on it),
 *                           at most MONEY_BACK_MAX_UNCLEAR times → a person. A 6203 is not sent
 *                           again before the centre is asked (6301, public-rules item 9): refunded
 *                           → succeeded; untouched → send again; anything else → a person
 *   refused                 nothing moved. A refund someone asked for fails (they may ask again)
 *                           as long as no part of it moved; money the system owes back (reversal,
 *                           failed payment) or a half-done refund → a person
 *   abnormal (6203 EXP)     may have moved: never repeated blindly (notes §11) → a person
 *   authorization missing   6203 needs the original authorization (public-rules item 1) → a person
 * Every "→ a person" is manual review with a line on the order's timeline saying what is left.
 * Plain TS: no Koa, Redis or peer types.
 */
import type { Split } from '@mip/shared';
import { type Change, Draft, type By } from './change';
import { job } from './jobs';
import { refundableLeft, type Order, type Refund, type ReversalStepName } from './order';

// One refund's job is retried through the durable queue, which gives up after its maxAttempts
// (bff/src/main.ts: 60): the limits below add up to less (3 × 5 unclear + 30 processing), so a
// person is always called before the queue would drop the job.
export const MONEY_BACK_MAX_UNCLEAR = 5;
/** A cash refund still PROCESSING after this many looks (~2 h with the back-off below) goes to a person. */
export const CASH_PROCESSING_MAX = 30;
/** 医保退款通知 back-off: a channel refusing for an hour is still told later (the queue keeps ~9 h of attempts). */
export const NOTICE_BASE_MS = 10_000;
export const NOTICE_MAX_MS = 10 * 60_000;

export type Purpose = 'refund' | 'reversal' | 'failed_payment';
export type InsuranceRoute = 'his_reversal' | '6203';

export const reversalRefundNo = (orderNo: string) => `${orderNo}RV`;
const failedRefundNo = (orderNo: string) => `${orderNo}RF`;
const lateInsuranceRefundNo = (orderNo: string) => `${orderNo}RI`;

export function purposeOf(o: Order, r: Refund): Purpose {
  if (r.requestedBy !== 'reversal') return 'refund';
  return r.refundNo === reversalRefundNo(o.orderNo) ? 'reversal' : 'failed_payment';
}

const insuranceOf = (a: Split) => a.fundFen + a.acctFen;
const isClosed = (r: Refund) => ['succeeded', 'failed', 'manual_review'].includes(r.state);
const find = (o: Order, refundNo: string) => o.refunds.find((x) => x.refundNo === refundNo);

export type MoneyBackStep =
  | { step: 'booking_query' }
  | { step: 'insurance'; route: InsuranceRoute; appRefdSn: string; amounts: Split }
  | { step: 'insurance_query'; appRefdSn: string }
  | { step: 'cash'; cashFen: number }
  | { step: 'finish' }
  | { step: 'none' };

function lastStep(o: Order, step: ReversalStepName) {
  return [...(o.reversal?.steps ?? [])].reverse().find((s) => s.step === step);
}

/** What the refund needs next, from what is recorded on it. */
export function nextMoneyBackStep(o: Order, refundNo: string, hisCanReverse: boolean): MoneyBackStep {
  const r = find(o, refundNo);
  if (!r || isClosed(r)) return { step: 'none' };
  const purpose = purposeOf(o, r);
  if (purpose === 'reversal') {
    if (o.state !== 'reversing') return { step: 'none' };
    if (lastStep(o, 'booking_query')?.outcome !== 'done') return { step: 'booking_query' };
  }
  const a = r.amounts;
  if (insuranceOf(a) > 0 && r.state === 'requested') {
    const route = r.insurance?.route ?? (purpose === 'reversal' && hisCanReverse ? 'his_reversal' : '6203');
    // a 6203 without a trustworthy answer is asked about (6301) before it is sent again (public-rules item 9)
    if (route === '6203' && r.insurance?.outcome === 'unknown') return { step: 'insurance_query', appRefdSn: r.insurance.appRefdSn };
    const amounts = { totalFen: insuranceOf(a), fundFen: a.fundFen, acctFen: a.acctFen, cashFen: 0 };
    return { step: 'insurance', route, appRefdSn: r.insurance?.appRefdSn ?? r.refundNo, amounts };
  }
  if (a.cashFen > 0 && r.cash?.outcome !== 'succeeded') return { step: 'cash', cashFen: a.cashFen };
  return { step: 'finish' };
}

/** A leg's answer, whichever peer gave it (one mapping per peer lives in flows/money-back.ts). */
export type LegResult =
  | { outcome: 'succeeded'; ref?: string }
  | { outcome: 'processing' | 'refused' | 'unknown' | 'abnormal' | 'authorization_missing'; detail: string };
export type BookingResult = { booked: true; hisReceiptNo: string } | { booked: false } | { booked: 'unknown'; detail: string };

export interface MoneyBackDecision {
  change: Change | null;
  /** run the job again after this delay (0: at once); undefined: nothing left for this job */
  retryInMs?: number;
}

const unclearDelay = (n: number) => Math.min(60_000, 2000 * 2 ** n);

/** The steps in the staff console's words (timeline and review reason). */
const STEP_WORD: Record<ReversalStepName, string> = { booking_query: '查询HIS入账', his_reversal: 'HIS冲正', insurance_refund: '医保退费', cash_refund: '自费退款' };

/** Sends the refund (and the order, unless already there) to a person, saying what is left to do. */
function toPerson(d: Draft, r: Refund, step: ReversalStepName, why: string): MoneyBackDecision {
  const reason = `${why}（停在「${STEP_WORD[step]}」）`;
  r.state = 'manual_review';
  r.lastError = reason;
  if (d.order.state === 'manual_review') d.note('退款需人工处理', 'system', reason);
  else d.moveTo('manual_review', '退款需人工处理', 'system', reason);
  return { change: d.done() };
}

function logReversalStep(d: Draft, r: Refund, step: ReversalStepName, outcome: 'done' | 'rejected' | 'unclear' | 'failed', detail: string): void {
  if (d.order.reversal && purposeOf(d.order, r) === 'reversal') d.order.reversal.steps.push({ step, at: d.iso, outcome, detail });
}

/** Reversal step 0: HIS's answer to "did you book it after all?". */
export function onBookingChecked(order: Order, refundNo: string, res: BookingResult, now: Date): MoneyBackDecision {
  const d = new Draft(order, now);
  const o = d.order;
  const r = find(o, refundNo);
  if (!r || isClosed(r) || o.state !== 'reversing') return { change: null };
  if (res.booked === true) {
    logReversalStep(d, r, 'booking_query', 'done', `HIS 已入账 ${res.hisReceiptNo}`);
    if (o.writeBack) o.writeBack.hisReceiptNo = res.hisReceiptNo;
    Object.assign(r, { state: 'failed', lastError: 'not needed: HIS had booked the settlement', finishedAt: d.iso });
    return { change: d.moveTo('completed', 'HIS 实际已入账，无需冲正', 'his', res.hisReceiptNo).done() };
  }
  if (res.booked === false) {
    logReversalStep(d, r, 'booking_query', 'done', 'HIS 确认未入账');
    return { change: d.note('HIS 确认未入账：开始冲正', 'his').done(), retryInMs: 0 };
  }
  logReversalStep(d, r, 'booking_query', 'unclear', res.detail);
  const tries = (o.reversal?.steps ?? []).filter((s) => s.step === 'booking_query' && s.outcome === 'unclear').length;
  if (tries >= MONEY_BACK_MAX_UNCLEAR) return toPerson(d, r, 'booking_query', `冲正前无法确认 HIS 是否已入账 (${tries} 次): ${res.detail}`);
  d.note('HIS 是否已入账尚不明确：稍后再问', 'his', res.detail);
  return { change: d.done(), retryInMs: unclearDelay(tries) };
}

const ROUTE_TEXT: Record<InsuranceRoute, string> = { his_reversal: 'HIS 冲正', '6203': '医保中心退费 (6203)' };

/** Leg 1: the insurance part's answer. */
export function onInsuranceLeg(order: Order, refundNo: string, route: InsuranceRoute, res: LegResult, now: Date): MoneyBackDecision {
  const d = new Draft(order, now);
  const o = d.order;
  const r = find(o, refundNo);
  if (!r || isClosed(r) || r.state !== 'requested') return { change: null };
  const ins = (r.insurance ??= { appRefdSn: r.refundNo });
  ins.route = route;
  const step: ReversalStepName = route === 'his_reversal' ? 'his_reversal' : 'insurance_refund';
  const by: By = route === 'his_reversal' ? 'his' : 'centre';
  const what = `退款 ${refundNo} 的医保部分 (${ROUTE_TEXT[route]})`;
  if (res.outcome === 'succeeded') {
    Object.assign(ins, { outcome: 'SUCC', refundedAt: d.iso, ...(res.ref ? { refdSn: res.ref } : {}) });
    r.state = 'insurance_refunded';
    logReversalStep(d, r, step, 'done', res.ref ?? '');
    return { change: d.note(`${what}已退回`, by, res.ref).done(), retryInMs: 0 };
  }
  logReversalStep(d, r, step, res.outcome === 'refused' ? 'rejected' : res.outcome === 'unknown' || res.outcome === 'processing' ? 'unclear' : 'failed', res.detail);
  if (res.outcome === 'refused' && route === 'his_reversal') {
    ins.route = '6203';
    return { change: d.note('HIS 拒绝冲正：改由医保中心退费 (6203)', 'his', res.detail).done(), retryInMs: 0 };
  }
  if (res.outcome === 'refused') {
    ins.outcome = 'FAIL';
    if (purposeOf(o, r) === 'refund') {
      // asked for by HIS or staff, and nothing has moved: the refund fails and may be asked again
      Object.assign(r, { state: 'failed', lastError: res.detail, finishedAt: d.iso });
      return { change: d.note(`退款 ${refundNo} 被医保中心拒绝`, 'centre', res.detail).done() };
    }
    return toPerson(d, r, step, `${what}被拒绝，需人工退回: ${res.detail}`);
  }
  if (res.outcome === 'authorization_missing') {
    return toPerson(d, r, step, `${what}无法办理：原支付授权 (payAuthNo/ecToken) 已失效或未保存，请在医保中心人工退费: ${res.detail}`);
  }
  if (res.outcome === 'abnormal') {
    ins.outcome = 'EXP';
    return toPerson(d, r, step, `${what}结果异常 (EXP)，不可盲目重试，请核对医保中心: ${res.detail}`);
  }
  ins.outcome = 'unknown';
  ins.unclear = (ins.unclear ?? 0) + 1;
  if (ins.unclear >= MONEY_BACK_MAX_UNCLEAR) return toPerson(d, r, step, `${what}结果不明 (${ins.unclear} 次): ${res.detail}`);
  d.note(route === '6203' ? `${what}结果不明：先向医保中心查询 (6301) 再决定` : `${what}结果不明：以同一退款号稍后再试`, by, res.detail);
  return { change: d.done(), retryInMs: unclearDelay(ins.unclear) };
}

/** The centre's answer to 6301 after a 6203 without a trustworthy answer: its order status, or none. */
export type RefundQueryResult = { answered: true; ordStas: string } | { answered: false; detail: string };

// ordStas after a 6203 (dictionary: HSA OutptTmakePriceFormBOImpl.java ~L4516, national notes §7;
// EXP "query 6301 ordStas 7–11", notes §11): 6 settled and nothing refunded; 7 refunded; 8 the
// insurance refunded in full; 9/10 self-pay refunded in full/part (a partial insurance refund shows
// as 10 too: no code of its own); 11 the insurance in full and part of the self-pay.
const UNTOUCHED = '6';
const INSURANCE_ALL_BACK = ['7', '8', '11'];
const PART_BACK = '10';

/**
 * After an unclear 6203 the centre's order status decides (public-rules item 9; TSX stores progress
 * and never repeats blindly): the insurance back → the leg succeeded; the order untouched → the
 * same 6203 is sent again; no answer → ask again later; a status that does not tell which refund
 * moved what (another refund of ours reached the centre too) → a person.
 */
export function onInsuranceQueried(order: Order, refundNo: string, res: RefundQueryResult, now: Date): MoneyBackDecision {
  const d = new Draft(order, now);
  const o = d.order;
  const r = find(o, refundNo);
  if (!r || isClosed(r) || r.state !== 'requested' || r.insurance?.outcome !== 'unknown') return { change: null };
  const ins = r.insurance;
  const what = `退款 ${refundNo} 的医保部分 (6203)`;
  if (!res.answered) {
    ins.unclear = (ins.unclear ?? 0) + 1;
    logReversalStep(d, r, 'insurance_refund', 'unclear', `6301: ${res.detail}`);
    if (ins.unclear >= MONEY_BACK_MAX_UNCLEAR) return toPerson(d, r, 'insurance_refund', `${what}结果不明，查询 (6301) 也无应答 (${ins.unclear} 次): ${res.detail}`);
    d.note(`${what}结果不明，查询 (6301) 无应答：稍后再查`, 'centre', res.detail);
    return { change: d.done(), retryInMs: unclearDelay(ins.unclear) };
  }
  const s = res.ordStas;
  const backBefore = o.refunds.filter((x) => x !== r && x.insurance?.outcome === 'SUCC').reduce((t, x) => t + insuranceOf(x.amounts), 0);
  const completesInsurance = backBefore + insuranceOf(r.amounts) === insuranceOf(o.amounts);
  // a part refunded shows as 10 whoever refunded it: it tells only while no other refund of ours is alive
  const alone = !o.refunds.some((x) => x !== r && x.state !== 'failed');
  const moved = completesInsurance ? INSURANCE_ALL_BACK.includes(s) : alone && s === PART_BACK;
  if (moved) {
    Object.assign(ins, { outcome: 'SUCC', refundedAt: d.iso });
    r.state = 'insurance_refunded';
    logReversalStep(d, r, 'insurance_refund', 'done', `6301 ordStas=${s}`);
    return { change: d.note(`${what}已退回（查询 6301 确认，订单状态 ${s}）`, 'centre', s).done(), retryInMs: 0 };
  }
  // 6 is shown only while nothing at all went back through the centre
  if (s === UNTOUCHED) {
    delete ins.outcome;
    return { change: d.note(`${what}未被医保中心办理（查询 6301 订单状态 ${s}）：以同一退款号重发`, 'centre', s).done(), retryInMs: 0 };
  }
  logReversalStep(d, r, 'insurance_refund', 'unclear', `6301 ordStas=${s}`);
  return toPerson(d, r, 'insurance_refund', `${what}结果不明，查询 (6301) 的订单状态 ${s} 不能说明是否已退，请核对医保中心`);
}

/** Leg 2: the cash part's answer. */
export function onCashLeg(order: Order, refundNo: string, res: LegResult, now: Date): MoneyBackDecision {
  const d = new Draft(order, now);
  const o = d.order;
  const r = find(o, refundNo);
  if (!r || isClosed(r)) return { change: null };
  const cash = (r.cash ??= {});
  const what = `退款 ${refundNo} 的自费部分`;
  logReversalStep(d, r, 'cash_refund', res.outcome === 'succeeded' ? 'done' : res.outcome === 'refused' ? 'failed' : 'unclear', res.outcome === 'succeeded' ? (res.ref ?? '') : res.detail);
  switch (res.outcome) {
    case 'succeeded':
      Object.assign(cash, { outcome: 'succeeded', refundedAt: d.iso, ...(res.ref ? { channelRefundId: res.ref } : {}) });
      return { change: d.note(`${what}已原路退回`, 'channel', res.ref).done(), retryInMs: 0 };
    case 'processing':
      cash.outcome = 'processing';
      cash.polls = (cash.polls ?? 0) + 1;
      if (cash.polls >= CASH_PROCESSING_MAX) return toPerson(d, r, 'cash_refund', `${what}长时间处理中 (${cash.polls} 次查询)，请核对支付渠道`);
      if (cash.polls === 1) d.note(`${what}处理中`, 'channel', res.detail);
      return { change: d.done(), retryInMs: Math.min(5 * 60_000, 5000 * 2 ** Math.min(cash.polls - 1, 6)) };
    case 'refused':
      cash.outcome = 'failed';
      if (purposeOf(o, r) === 'refund' && r.state === 'requested') {
        Object.assign(r, { state: 'failed', lastError: res.detail, finishedAt: d.iso });
        return { change: d.note(`${what}被支付渠道拒绝`, 'channel', res.detail).done() };
      }
      return toPerson(d, r, 'cash_refund', `${what}被支付渠道拒绝，需人工退回${r.state === 'insurance_refunded' ? '（医保部分已退）' : ''}: ${res.detail}`);
    case 'abnormal':
    case 'authorization_missing':
      return toPerson(d, r, 'cash_refund', `${what}结果异常，请人工核对: ${res.detail}`);
    case 'unknown':
      cash.outcome = 'unknown';
      cash.unclear = (cash.unclear ?? 0) + 1;
      if (cash.unclear >= MONEY_BACK_MAX_UNCLEAR) return toPerson(d, r, 'cash_refund', `${what}结果不明 (${cash.unclear} 次): ${res.detail}`);
      d.note(`${what}结果不明：以同一退款号稍后再试`, 'channel', res.detail);
      return { change: d.done(), retryInMs: unclearDelay(cash.unclear) };
  }
}

/** Every leg is back: the refund succeeds, the order moves on, the 医保退款通知 is queued. */
export function onMoneyBackFinished(order: Order, refundNo: string, now: Date): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  const r = find(o, refundNo);
  if (!r || isClosed(r)) return null;
  Object.assign(r, { state: 'succeeded', finishedAt: d.iso });
  // WeChat must be told of an insurance refund made outside it, after the cash refund (开发参数 §七);
  // the channel answers 'not_needed' where there is no such notice (Alipay)
  if (insuranceOf(r.amounts) > 0 && o.payment) {
    r.notice = { state: 'pending', attempts: 0 };
    d.enqueue(job('refund.notice', o.orderNo, { data: { refundNo } }));
  }
  switch (purposeOf(o, r)) {
    case 'reversal':
      return d.moveTo('reversed', '单边账已冲正', 'system', o.reversal?.reason).done();
    case 'failed_payment':
      return d.note(`支付未成功，已扣的款项已原路退回 (${refundNo})`, 'system', r.reason).done();
    case 'refund': {
      // the order went to a person meanwhile: record the refund, the person decides the state
      if (!['completed', 'partially_refunded'].includes(o.state)) return d.note(`退款 ${refundNo} 完成`, 'system', r.reason).done();
      const to = refundableLeft(o).totalFen === 0 ? 'refunded' : 'partially_refunded';
      if (o.state === to && to === 'refunded') return d.done();
      return d.moveTo(to, `退款 ${refundNo} 完成`, 'system', r.reason).done();
    }
  }
}

export type NoticeResult = { status: 'sent' | 'not_needed' } | { status: 'retry'; detail: string };

/** Leg 3: the 医保退款通知's answer. 'retry' (or no answer) is sent again with back-off, never given up on by the policy. */
export function onNoticeResult(order: Order, refundNo: string, res: NoticeResult, now: Date): MoneyBackDecision {
  const d = new Draft(order, now);
  const r = find(d.order, refundNo);
  if (!r?.notice || r.notice.state !== 'pending') return { change: null };
  const n = r.notice;
  n.attempts++;
  if (res.status === 'sent') {
    Object.assign(n, { state: 'sent', sentAt: d.iso });
    return { change: d.note(`已向支付渠道发送医保退款通知 (${refundNo})`, 'channel').done() };
  }
  if (res.status !== 'retry') {
    n.state = 'not_needed';
    return { change: d.done() };
  }
  n.lastError = res.detail;
  if (n.attempts === 1) d.note(`医保退款通知未送达：稍后重发 (${refundNo})`, 'channel', res.detail);
  return { change: d.done(), retryInMs: Math.min(NOTICE_MAX_MS, NOTICE_BASE_MS * 2 ** Math.min(n.attempts - 1, 10)) };
}

// ————— how a money-back starts —————

function openRefund(d: Draft, refundNo: string, amounts: Split, reason: string): void {
  d.order.refunds.push({ refundNo, requestedBy: 'reversal', state: 'requested', amounts, reason, createdAt: d.iso });
}

/** C6: the write-back was refused or ran out of time — everything paid goes back. */
export function startReversal(d: Draft, reason: string): void {
  const o = d.order;
  o.reversal = { startedAt: d.iso, reason, steps: [] };
  openRefund(d, reversalRefundNo(o.orderNo), { ...o.amounts }, reason);
  d.moveTo('reversing', '单边账：开始冲正', 'system', reason).enqueue(job('reversal.run', o.orderNo));
}

export interface TakenLegs {
  cash: 'taken' | 'not_taken' | 'unknown';
  insurance: 'taken' | 'not_taken' | 'unknown';
}

/**
 * The channel says the payment failed, but it took a leg (public-rules item 13). The order fails
 * and what was taken goes back at once; insurance the centre settles later goes back too
 * (onInsuranceSettledAfterFailure). Null when this is not such a report or it was handled.
 */
export function onPaymentFailedWithMoneyTaken(d: Draft, legs: TakenLegs, by: By): Change | null {
  const o = d.order;
  const undecided = ['fee_uploaded', 'awaiting_payment', 'awaiting_confirmation'].includes(o.state);
  if (!(undecided || o.state === 'failed' || o.state === 'cancelled') || o.evidence.cashPaid || find(o, failedRefundNo(o.orderNo))) return null;
  const cashFen = legs.cash === 'taken' ? o.amounts.cashFen : 0;
  const insurance = legs.insurance === 'taken' || o.evidence.insuranceSettled;
  // Cancelled (expired, or by the patient) while the patient was still paying: a channel that cannot
  // close its order (Alipay) took the cash anyway, and it goes back the same way; insurance taken on
  // an order whose fee upload was withdrawn (6401) contradicts us, and goes to a person.
  const cancelled = o.state === 'cancelled';
  if (cancelled && insurance) return d.moveTo('manual_review', '转人工核对', by, '订单已取消，但支付渠道报告已扣医保部分').done();
  const amounts = insurance ? { ...o.amounts, cashFen, totalFen: insuranceOf(o.amounts) + cashFen } : { totalFen: cashFen, fundFen: 0, acctFen: 0, cashFen };
  if (amounts.totalFen === 0) return null;
  const reason = cancelled ? '订单已取消，但支付渠道已扣自费部分' : `支付渠道报告支付失败，但已扣${cashFen > 0 ? '自费' : ''}${cashFen > 0 && insurance ? '及' : ''}${insurance ? '医保' : ''}部分`;
  if (undecided) d.moveTo('failed', '支付未成功', by, reason);
  openRefund(d, failedRefundNo(o.orderNo), amounts, reason);
  return d.note('已扣款项将原路退回', 'system', reason).enqueue(job('refund.run', o.orderNo, { data: { refundNo: failedRefundNo(o.orderNo) } })).done();
}

/** Whether a settled report for this failed order is one this process expects (and handles). */
export function failedWithMoneyBack(o: Order): boolean {
  return o.state === 'failed' && !!find(o, failedRefundNo(o.orderNo));
}

/** The centre settled the insurance of an order whose payment had failed: it goes back through 6203. */
export function onInsuranceSettledAfterFailure(d: Draft, source: 'notify_6302' | 'query_6301', ordStas: string): Change | null {
  const o = d.order;
  if (o.evidence.insuranceSettled) return null;
  o.evidence.insuranceSettled = { source, ordStas, at: d.iso };
  const covered = o.refunds.some((r) => r.requestedBy === 'reversal' && insuranceOf(r.amounts) > 0);
  if (covered || insuranceOf(o.amounts) === 0) return d.note('医保中心报告已结算：医保部分已在退回中', 'centre', ordStas).done();
  const refundNo = lateInsuranceRefundNo(o.orderNo);
  openRefund(d, refundNo, { ...o.amounts, cashFen: 0, totalFen: insuranceOf(o.amounts) }, '支付未成功，但医保中心已结算医保部分');
  return d.note('医保中心报告已结算：医保部分将退回 (6203)', 'centre', ordStas).enqueue(job('refund.run', o.orderNo, { data: { refundNo } })).done();
}
