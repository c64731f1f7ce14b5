import { orderFixture } from './fixtures';
import { nextReversalStep, onReversalFinished, onReversalStep } from './reversal';
import { onWriteBack } from './write-back';

const now = new Date('2026-11-23T02:11:00.000Z');
function reversing() {
  const paid = orderFixture({ state: 'paid', writeBack: { attempts: 3, deadlineAt: '2026-11-23T02:10:00.000Z' } });
  return onWriteBack(paid, { kind: 'not_delivered', reason: 'down' }, { baseDelayMs: 1, maxDelayMs: 2 }, now).change!.order;
}

describe('reversal policy', () => {
  it('asks HIS first, then reverses through HIS, then refunds the self-pay part', () => {
    let o = reversing();
    expect(nextReversalStep(o, true)).toBe('booking_query');
    o = onReversalStep(o, 'booking_query', { outcome: 'done', detail: 'not booked' }, now).change!.order;
    expect(nextReversalStep(o, true)).toBe('his_reversal');
    o = onReversalStep(o, 'his_reversal', { outcome: 'done', detail: 'ok' }, now).change!.order;
    expect(nextReversalStep(o, true)).toBe('cash_refund');
    o = onReversalStep(o, 'cash_refund', { outcome: 'done', detail: 'ok' }, now).change!.order;
    expect(nextReversalStep(o, true)).toBe('finish');
    const done = onReversalFinished(o, now)!.order;
    expect(done.state).toBe('reversed');
    expect(done.refunds[0].state).toBe('succeeded');
    expect(done.reversal!.steps.map((s) => s.step)).toEqual(['booking_query', 'his_reversal', 'cash_refund']);
  });

  it('uses a 6203 insurance refund when HIS has no reversal call', () => {
    const o = onReversalStep(reversing(), 'booking_query', { outcome: 'done', detail: 'not booked' }, now).change!.order;
    expect(nextReversalStep(o, false)).toBe('insurance_refund');
  });

  it('falls back to a 6203 insurance refund when HIS refuses the reversal', () => {
    let o = onReversalStep(reversing(), 'booking_query', { outcome: 'done', detail: 'not booked' }, now).change!.order;
    o = onReversalStep(o, 'his_reversal', { outcome: 'rejected', detail: '不支持' }, now).change!.order;
    expect(o.state).toBe('reversing');
    expect(nextReversalStep(o, true)).toBe('insurance_refund');
  });

  it('completes the order instead of reversing when HIS had booked it after all', () => {
    const d = onReversalStep(reversing(), 'booking_query', { outcome: 'done', detail: 'booked', booked: { hisReceiptNo: 'R7' } }, now);
    expect(d.change!.order.state).toBe('completed');
    expect(d.retryInMs).toBeUndefined();
  });

  it('retries an unclear step and gives it to a person after five tries', () => {
    let o = reversing();
    for (let i = 0; i < 4; i++) {
      const d = onReversalStep(o, 'booking_query', { outcome: 'unclear', detail: 'timeout' }, now);
      expect(d.retryInMs).toBeGreaterThan(0);
      o = d.change!.order;
    }
    expect(onReversalStep(o, 'booking_query', { outcome: 'unclear', detail: 'timeout' }, now).change!.order.state).toBe('manual_review');
  });

  it('gives a refused insurance refund to a person', () => {
    let o = onReversalStep(reversing(), 'booking_query', { outcome: 'done', detail: 'x' }, now).change!.order;
    o = onReversalStep(o, 'insurance_refund', { outcome: 'rejected', detail: 'FAIL' }, now).change!.order;
    expect(o.state).toBe('manual_review');
    expect(o.refunds[0].state).toBe('manual_review');
  });
});
