/**
 * M5 write-back and the entry into C6. Policy: retry with back-off while HIS is unreachable;
 * after an unclear answer, ask HIS whether it booked it before anything else (a blind retry
 * books twice on a HIS without idempotency); reverse only on a clear refusal, or when the
 * deadline passed and HIS clearly has not booked it. What stays unclear goes to a person.
 * The reversal itself (what goes back, by which route) is domain/money-back.ts.
 */
import { type Change, Draft } from './change';
import { backoffMs } from './jobs';
import { startReversal } from './money-back';
import type { Order } from './order';

export type WriteBackOutcome =
  | { kind: 'recorded'; hisReceiptNo: string } //  HIS booked it (write-back answer)
  | { kind: 'booked'; hisReceiptNo: string } //    HIS booked it (booking query)
  | { kind: 'not_booked' } //                     booking query: HIS has no record
  | { kind: 'rejected'; code: string; reason: string; refusal: 'business' | 'request' } // clear refusal
  | { kind: 'unclear'; reason: string } //         timeout, garbled answer, 5xx
  | { kind: 'not_delivered'; reason: string }; //  HIS unreachable: certainly not booked

/** How long after the deadline the booking query keeps trying before a person decides. */
export const UNCLEAR_GRACE_MS = 5 * 60_000;

export interface WriteBackPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface WriteBackDecision {
  change: Change | null;
  /** when the job should run again; undefined = the job is finished */
  retryInMs?: number;
}

/**
 * What the next run does, from the order and the ONE clock (the injected `now`, never the
 * process's own): ask HIS first after an unclear answer or a lost request; past the deadline with
 * nothing unclear, HIS certainly has not booked it (→ onWriteBack 'not_booked' reverses); else write.
 *
 * `afterUnmarkedRun`: this run is not the job's first delivery, so an earlier run may have sent
 * the first request without a write-ahead mark (unmarkedFirstRequest) and died, or failed to
 * record its answer. While no answer of any request is on the order, HIS is asked first.
 */
export function writeBackAction(o: Order, now: Date, afterUnmarkedRun = false): 'query' | 'past_deadline' | 'write' {
  if (mustQueryBooking(o)) return 'query';
  if (afterUnmarkedRun && o.writeBack && o.writeBack.attempts === 0) return 'query';
  if (o.writeBack && now.getTime() >= Date.parse(o.writeBack.deadlineAt)) return 'past_deadline';
  return 'write';
}

/**
 * Whether a request may leave without the write-ahead step (onWriteBackAttempt): only on the
 * job's first delivery (attempt 1, read new from the stream, never handed to anyone before) and
 * before any request of this order. If that run dies with the request in flight, its entry stays
 * pending and is claimed by another run — never a first delivery — which asks HIS first
 * (writeBackAction `afterUnmarkedRun`). Saves one versioned order step per payment (issue 14).
 */
export function unmarkedFirstRequest(o: Order, firstDelivery: boolean): boolean {
  return firstDelivery && !!o.writeBack && o.writeBack.attempts === 0 && !mustQueryBooking(o);
}

/**
 * Records that a write-back request is about to leave (write-ahead): if the process dies before
 * the answer is recorded, the next run finds `attemptStartedAt` and asks HIS before writing again.
 */
export function onWriteBackAttempt(order: Order, now: Date): Change | null {
  const d = new Draft(order, now);
  const o = d.order;
  if (o.state !== 'paid' || !o.writeBack) return null;
  o.writeBack.attemptStartedAt = d.iso;
  return d.done();
}

/** Whether the next run must ask HIS first: an unclear answer, or a request lost with its process. */
export function mustQueryBooking(o: Order): boolean {
  return !!o.writeBack && (o.writeBack.unclear === true || o.writeBack.attemptStartedAt !== undefined);
}

export function onWriteBack(order: Order, r: WriteBackOutcome, p: WriteBackPolicy, now: Date): WriteBackDecision {
  const d = new Draft(order, now);
  const o = d.order;
  if (o.state !== 'paid' || !o.writeBack) return { change: null };
  const wb = o.writeBack;
  // whatever the outcome, the attempt in flight (if any) has its answer now
  delete wb.attemptStartedAt;
  const pastDeadline = now.getTime() >= Date.parse(wb.deadlineAt);
  const retry = () => backoffMs(wb.attempts, p.baseDelayMs, p.maxDelayMs);

  switch (r.kind) {
    case 'recorded':
    case 'booked':
      wb.hisReceiptNo = r.hisReceiptNo;
      wb.unclear = false;
      return { change: d.moveTo('completed', r.kind === 'recorded' ? 'HIS 已入账' : 'HIS 查询确认已入账', 'his', r.hisReceiptNo).done() };
    case 'rejected':
      wb.lastError = `${r.code} ${r.reason}`;
      if (r.refusal === 'request') {
        // HIS calls our request malformed: a defect to fix, not a reason to move money back.
        d.moveTo('manual_review', 'HIS 认为回写请求格式有误', 'his', `HIS 认为回写请求格式有误: ${r.code} ${r.reason}`);
        return { change: d.done() };
      }
      startReversal(d, `HIS 拒绝入账: ${r.code} ${r.reason}`);
      return { change: d.done() };
    case 'not_booked':
      wb.unclear = false;
      if (pastDeadline) {
        startReversal(d, `HIS 在期限内未能入账 (${wb.attempts} 次尝试)`);
        return { change: d.done() };
      }
      d.note('HIS 查无入账：重新回写', 'his');
      return { change: d.done(), retryInMs: 0 };
    case 'unclear':
      wb.attempts++;
      wb.unclear = true;
      wb.lastAttemptAt = d.iso;
      wb.firstAttemptAt ??= d.iso;
      wb.lastError = r.reason;
      // Past the deadline the next run only asks HIS (it never writes again); an answer that
      // stays unclear for a while after the deadline is for a person to settle.
      if (pastDeadline && now.getTime() >= Date.parse(wb.deadlineAt) + UNCLEAR_GRACE_MS) {
        d.moveTo('manual_review', 'HIS 回写结果不明且已超期限', 'system', `HIS 无法确认是否已入账: ${r.reason}`);
        return { change: d.done() };
      }
      d.note('HIS 答复不明：将先查询是否已入账', 'his', r.reason);
      return { change: d.done(), retryInMs: retry() };
    case 'not_delivered':
      wb.attempts++;
      wb.lastAttemptAt = d.iso;
      wb.firstAttemptAt ??= d.iso;
      wb.lastError = r.reason;
      if (pastDeadline) {
        startReversal(d, `HIS 在期限内无法连接 (${wb.attempts} 次尝试): ${r.reason}`);
        return { change: d.done() };
      }
      d.note('HIS 回写失败：稍后重试', 'his', r.reason);
      return { change: d.done(), retryInMs: retry() };
  }
}
