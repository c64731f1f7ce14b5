import { orderFixture } from './fixtures';
import { onWriteBack, unmarkedFirstRequest, writeBackAction } from './write-back';

const policy = { baseDelayMs: 1000, maxDelayMs: 8000 };
const paid = () =>
  orderFixture({ state: 'paid', paidAt: '2026-11-23T02:00:00.000Z', writeBack: { attempts: 0, deadlineAt: '2026-11-23T02:10:00.000Z' } });
const before = new Date('2026-11-23T02:05:00.000Z');
const after = new Date('2026-11-23T02:11:00.000Z');

describe('write-back policy', () => {
  it('completes the order when HIS records the settlement', () => {
    const d = onWriteBack(paid(), { kind: 'recorded', hisReceiptNo: 'R1' }, policy, before);
    expect(d.change!.order.state).toBe('completed');
    expect(d.retryInMs).toBeUndefined();
  });

  it('retries with back-off while HIS is unreachable before the deadline', () => {
    const d = onWriteBack(paid(), { kind: 'not_delivered', reason: 'ECONNREFUSED' }, policy, before);
    expect(d.change!.order.state).toBe('paid');
    expect(d.change!.order.writeBack!.attempts).toBe(1);
    expect(d.retryInMs).toBeGreaterThanOrEqual(1000);
  });

  it('starts the reversal when HIS is still unreachable after the deadline', () => {
    const d = onWriteBack(paid(), { kind: 'not_delivered', reason: 'ECONNREFUSED' }, policy, after);
    expect(d.change!.order.state).toBe('reversing');
    expect(d.change!.jobs).toEqual([{ type: 'reversal.run', key: 'O261123100000ABCDEF' }]);
    expect(d.change!.order.refunds[0]).toMatchObject({ refundNo: 'O261123100000ABCDEFRV', requestedBy: 'reversal', amounts: { totalFen: 10_000 } });
  });

  it('starts the reversal at once when HIS clearly refuses', () => {
    const d = onWriteBack(paid(), { kind: 'rejected', code: '5001', reason: '患者已退号', refusal: 'business' }, policy, before);
    expect(d.change!.order.state).toBe('reversing');
    expect(d.change!.order.reversal!.reason).toContain('5001');
  });

  it('gives a write-back refused as malformed to a person instead of reversing', () => {
    const d = onWriteBack(paid(), { kind: 'rejected', code: '100', reason: '参数错误', refusal: 'request' }, policy, before);
    expect(d.change!.order.state).toBe('manual_review');
  });

  it('marks an unclear answer so that the next attempt asks HIS before writing again', () => {
    const d = onWriteBack(paid(), { kind: 'unclear', reason: 'timeout' }, policy, before);
    expect(d.change!.order.writeBack!.unclear).toBe(true);
    expect(d.retryInMs).toBeGreaterThan(0);
  });

  it('completes without writing again when HIS says it booked it', () => {
    const o = onWriteBack(paid(), { kind: 'unclear', reason: 'timeout' }, policy, before).change!.order;
    expect(onWriteBack(o, { kind: 'booked', hisReceiptNo: 'R9' }, policy, before).change!.order.state).toBe('completed');
  });

  it('keeps asking HIS for a while after the deadline when its answers are unclear', () => {
    const o = onWriteBack(paid(), { kind: 'unclear', reason: 'timeout' }, policy, before).change!.order;
    const d = onWriteBack(o, { kind: 'unclear', reason: 'timeout' }, policy, after);
    expect(d.change!.order.state).toBe('paid');
    expect(d.retryInMs).toBeGreaterThan(0);
  });

  it('reverses when HIS, asked after the deadline, has no record', () => {
    const o = onWriteBack(paid(), { kind: 'unclear', reason: 'timeout' }, policy, before).change!.order;
    expect(onWriteBack(o, { kind: 'not_booked' }, policy, after).change!.order.state).toBe('reversing');
  });

  it('sends an answer that stays unclear well past the deadline to manual review', () => {
    const o = onWriteBack(paid(), { kind: 'unclear', reason: 'timeout' }, policy, before).change!.order;
    const muchLater = new Date(Date.parse('2026-11-23T02:10:00.000Z') + 6 * 60_000);
    expect(onWriteBack(o, { kind: 'unclear', reason: 'timeout' }, policy, muchLater).change!.order.state).toBe('manual_review');
  });

  it('ignores a write-back result for an order that is no longer paid', () => {
    expect(onWriteBack(orderFixture({ state: 'completed' }), { kind: 'recorded', hisReceiptNo: 'R1' }, policy, before).change).toBeNull();
  });

  it('tells the next run it is past the deadline by the clock it is given', () => {
    expect(writeBackAction(paid(), before)).toBe('write');
    expect(writeBackAction(paid(), after)).toBe('past_deadline');
  });

  it('tells the next run to ask HIS first after an unclear answer, even past the deadline', () => {
    const o = paid();
    o.writeBack!.unclear = true;
    expect(writeBackAction(o, after)).toBe('query');
  });

  it('tells a run that is not the job’s first delivery to ask HIS first while no answer is on the order, even past the deadline', () => {
    expect(writeBackAction(paid(), before, true)).toBe('query');
    expect(writeBackAction(paid(), after, true)).toBe('query');
  });

  it('lets a later run write without asking once an answer of an earlier request is on the order', () => {
    const o = onWriteBack(paid(), { kind: 'not_delivered', reason: 'ECONNREFUSED' }, policy, before).change!.order;
    expect(writeBackAction(o, before, true)).toBe('write');
  });

  it('sends the first request without the write-ahead step only on the job’s first delivery', () => {
    expect(unmarkedFirstRequest(paid(), true)).toBe(true);
    expect(unmarkedFirstRequest(paid(), false)).toBe(false);
    const retried = onWriteBack(paid(), { kind: 'not_delivered', reason: 'ECONNREFUSED' }, policy, before).change!.order;
    expect(unmarkedFirstRequest(retried, true)).toBe(false);
  });
});
